"""rehab."""
