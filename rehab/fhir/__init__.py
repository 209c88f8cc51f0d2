"""FHIR R4: Bundles out (export) and pain and exercise Observations in (import)."""
