"""How much one upload may hold: bounds that keep any upload to seconds and a few hundred MB.

The limits are per upload (everything dropped at once, ZIPs unpacked), not per file or per
archive, so splitting a bomb into many small files or archives does not get round them. Each
refusal names the limit and how to split the upload.
"""

from __future__ import annotations

from typing import Final

from rehab.importer.issuelog import ImportIssue
from rehab.importer.parse import count_newlines
from rehab.importer.report import FileReport
from rehab.importer.results import FileImport

__all__ = [
    "MAX_COLUMNS",
    "MAX_UPLOAD_PATIENTS",
    "MAX_UPLOAD_ROWS",
    "UploadBudget",
    "refused",
    "too_many_columns",
    "too_many_patients",
    "too_many_rows",
]

# No log has more: a session log has 16 known columns, a pain log 9; forms add a few dozen.
MAX_COLUMNS: Final = 200
# Rows across all files of one upload (a year of daily logs for 2,000 patients is 730,000).
MAX_UPLOAD_ROWS: Final = 2_000_000
# Patients across all files of one upload: each is analysed on its own (about a millisecond
# each on a laptop), so 100,000 one-row patients cost minutes; a clinic's caseload is below.
MAX_UPLOAD_PATIENTS: Final = 2_000
# Unpacked bytes across all files and archives of one upload: rehab.archive.ArchiveLimits.

_SPLIT: Final = (
    "Split the upload into smaller ones (for example one per clinic, team or quarter) and "
    "upload them one at a time."
)


def too_many_columns(count: int) -> str:
    """Word the refusal of a file with more than :data:`MAX_COLUMNS` columns."""
    return (
        f"This file has {count:,} columns; a session or pain log has at most {MAX_COLUMNS} "
        "(rehab's logs use about 15), so it was not read. Is it another kind of file, or an "
        "export with a column per day? Save only the log's columns and import it again."
    )


def too_many_rows(total: int) -> str:
    """Word the refusal of the files past :data:`MAX_UPLOAD_ROWS` rows of one upload."""
    return (
        f"This upload holds more than {MAX_UPLOAD_ROWS:,} rows in all (about {total:,} with this "
        f"file), so this file was not imported. {_SPLIT}"
    )


def too_many_patients(total: int) -> str:
    """Word the refusal of the file that takes an upload past :data:`MAX_UPLOAD_PATIENTS`."""
    return (
        f"With this file the upload names {total:,} patients; one upload can hold up to "
        f"{MAX_UPLOAD_PATIENTS:,}, so this file was not imported. {_SPLIT}"
    )


class UploadBudget:
    """Counts rows and patients across the files of one upload, refusing what goes past."""

    def __init__(self) -> None:
        self.rows = 0
        self.patients: set[str] = set()
        self.spent = False

    def before(self, data: bytes) -> tuple[str, str] | None:
        """Refuse a file (code, message) when its lines would take the upload past the rows."""
        # Line ends less the header's: the rows, give or take a last line without one.
        lone_cr = data.count(b"\r") - data.count(b"\r\n") if b"\r" in data else 0  # most files: no CR
        lines = max(count_newlines(data) + lone_cr - 1, 0)
        if self.spent or self.rows + lines > MAX_UPLOAD_ROWS:
            self.spent = True
            return "upload_too_many_rows", too_many_rows(self.rows + lines)
        self.rows += lines
        return None

    def after(self, result: FileImport) -> tuple[str, str] | None:
        """Refuse an imported file whose patients take the upload past the patient limit."""
        names = set(result.report.patients) - self.patients
        if len(self.patients) + len(names) > MAX_UPLOAD_PATIENTS:
            return "upload_too_many_patients", too_many_patients(len(self.patients) + len(names))
        self.patients |= names
        return None


def refused(name: str, refusal: tuple[str, str]) -> FileImport:
    """Return the import of a file left out of an upload by a limit: unusable, nothing read."""
    code, message = refusal
    issue = ImportIssue(row=None, column=None, code=code, severity="error", message=message)
    return FileImport(report=FileReport(file=name, kind=None, usable=False, issues=[issue]))
