r"""CSV import of session and pain logs: bytes in, canonical frames and a row-level report out.

>>> from rehab.importer import import_file
>>> result = import_file("PT-0101_pain.csv", b"Date,Pain\n2026-09-01,4\n")
>>> result.report.accepted, result.report.patients
(1, ['PT-0101'])

The names below are loaded on first use, so that importing one leaf module of the package
(``rehab.importer.parse`` on the command line's early-parse thread) does not load pandas
and the whole pipeline with it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rehab.importer.api import import_file, import_files
    from rehab.importer.names import patient_from_filename
    from rehab.importer.report import FileReport, ImportIssue, ImportOptions
    from rehab.importer.results import FileImport, ImportBatch

__all__ = [
    "FileImport",
    "FileReport",
    "ImportBatch",
    "ImportIssue",
    "ImportOptions",
    "import_file",
    "import_files",
    "patient_from_filename",
]

_HOMES = {
    "FileImport": "rehab.importer.results",
    "FileReport": "rehab.importer.report",
    "ImportBatch": "rehab.importer.results",
    "ImportIssue": "rehab.importer.report",
    "ImportOptions": "rehab.importer.report",
    "import_file": "rehab.importer.api",
    "import_files": "rehab.importer.api",
    "patient_from_filename": "rehab.importer.names",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
