"""The import report: options, issues with their rows, and one report per file.

Pydantic describes the report (it is small and goes to JSON); the per-row work happens in
numpy/pyarrow and only reaches these models at the end, through :class:`IssueLog`.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from rehab.importer.issuelog import ImportIssue, IssueLog, Severity
from rehab.importer.zones import zone_problem

if TYPE_CHECKING:
    from rehab.schema import LogKind

# What a file held: the two CSV logs, questionnaires (rehab/measures), or a FHIR Bundle (rehab/fhir).
ReportKind = Literal["sessions", "pain", "measures", "bundle"]

DateOrder = Literal["auto", "dmy", "mdy"]
DateSystem = Literal["1900", "1904"]

__all__ = [
    "DateOrder",
    "DateSystem",
    "FileProblem",
    "FileReport",
    "ImportIssue",
    "ImportOptions",
    "IssueLog",
    "Severity",
]


class ImportOptions(BaseModel):
    """Choices the file cannot make for itself."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    date_order: DateOrder = Field(
        "auto",
        description=(
            "How to read slash dates (dd/mm/yyyy or mm/dd/yyyy) when the file does not "
            "settle it with a day above 12."
        ),
    )
    as_of: datetime.date | None = Field(
        None, description="Rows dated after this day get a 'future_date' warning (and are kept)."
    )
    timezone: str | None = Field(
        None,
        description=(
            "The patient's IANA time zone (e.g. Europe/Berlin): UTC stamps are moved to the "
            "patient's day. None: dates are read as written."
        ),
    )
    date_system: DateSystem = Field(
        "1900", description="Spreadsheet serial dates count from 1900 (Excel default) or 1904 (old Mac)."
    )
    # Column mapping (rehab.importer.mapping): for files whose headers rehab does not know.
    mapping: tuple[tuple[str, str], ...] = Field(
        (), description="File header -> canonical column, for every file (`--map HEADER=column`)."
    )
    header_mappings: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = Field(
        (),
        description=(
            "Header fingerprint -> mapping: applies only to files with exactly that header "
            "(the app remembers a mapping per header)."
        ),
    )
    long_format: bool = Field(
        False,
        description=(
            "The file is long: one row per measurement, a series name in one column and its "
            "value in another (`--long`)."
        ),
    )
    long_columns: tuple[str, str] | None = Field(
        None, description="(series column, value column) of a long file; found by name when not given."
    )
    series: tuple[tuple[str, str], ...] = Field(
        (), description="Series name -> canonical column in a long file (`--series 'Back pain=pain'`)."
    )
    header_long: tuple[tuple[str, tuple[str, str], tuple[tuple[str, str], ...]], ...] = Field(
        (),
        description=(
            "Header fingerprint -> (series column, value column) and series mapping: files with "
            "exactly that header are long (the app remembers this per header)."
        ),
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str | None) -> str | None:
        problem = None if name is None else zone_problem(name)
        if problem is not None:
            raise ValueError(problem)
        return name


class FileReport(BaseModel):
    """What became of one file: counts, issues, and the patients it holds."""

    file: str
    kind: ReportKind | None = Field(
        description=(
            "sessions or pain (a CSV log), measures (questionnaires), bundle (a FHIR Bundle); "
            "None when the kind could not be told."
        )
    )
    rows: int = 0
    accepted: int = 0
    rejected: int = 0
    duplicates: int = 0
    sessions: int | None = Field(
        None,
        description=(
            "Rows of the imported log (a session log: its sessions) when they differ from the "
            "accepted file rows: set rows collapse into one session, a cell listing several "
            "exercises becomes one session each. None: one per accepted row."
        ),
    )
    issues: list[ImportIssue] = Field(
        default_factory=list,
        description=(
            "Grouped (one issue, many rows) and capped per code and column; a closing issue "
            "counts the rest and names their rows."
        ),
    )
    issues_cut: int = Field(
        0, description="Issues folded into closing issues to keep the report short (0: all listed)."
    )
    rejected_rows: str = Field(
        "",
        description="Every rejected row as ranges ('4, 9-12'); the rejected-rows download has them all.",
    )
    patients: list[str] = Field(default_factory=list)
    usable: bool = Field(True, description="False when the file could not be used at all.")


class FileProblem(Exception):
    """The whole file cannot be used (not text, empty, no date column ...)."""

    def __init__(self, code: str, message: str, *, kind: LogKind | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.kind = kind
