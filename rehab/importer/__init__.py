r"""CSV import of session and pain logs: bytes in, canonical frames and a row-level report out.

>>> result = import_file("PT-0101_pain.csv", b"Date,Pain\n2026-09-01,4\n")
>>> result.report.accepted, result.report.patients
(1, ['PT-0101'])
"""

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
