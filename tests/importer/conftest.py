from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, settings

from rehab.importer import FileImport, ImportOptions, import_file

Importer = Callable[..., FileImport]


@pytest.fixture
def run() -> Importer:
    """Import bytes (or text, written as UTF-8) and check the report's counting invariant."""

    def _run(data: bytes | str, name: str = "PT-0101_sessions.csv", **options: object) -> FileImport:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        result = import_file(name, raw, ImportOptions(**options))
        report = result.report
        assert report.rows == report.accepted + report.rejected + report.duplicates
        assert len(result.rejected) == report.rejected
        # Set rows collapse and listed exercises split: the report then counts the sessions.
        sessions = report.accepted if report.sessions is None else report.sessions
        assert len(result.sessions) + len(result.pain) == sessions
        return result

    return _run


# `make fuzz` (not in CI): HYPOTHESIS_PROFILE=fuzz runs every importer property with at least
# 10,000 examples; the property files take max(their own count, the profile's).
settings.register_profile(
    "fuzz", max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck)
)
if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz":
    settings.load_profile("fuzz")
