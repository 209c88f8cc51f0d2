"""The import report: options, issues with their rows, and one report per file.

Pydantic describes the report (it is small and goes to JSON); the per-row work happens in
numpy/pyarrow and only reaches these models at the end, through :class:`IssueLog`.
"""

from __future__ import annotations

import datetime
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from rehab.importer.zones import zone_problem
from rehab.schema import LogKind

Severity = Literal["error", "warning"]
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


class ImportIssue(BaseModel):
    """One thing worth telling the user, with the spreadsheet row it is about."""

    model_config = ConfigDict(frozen=True)

    row: int | None = Field(description="Row number as a spreadsheet shows it; null: the whole file.")
    column: str | None = Field(description="Canonical column name; null when not about one column.")
    code: str
    severity: Severity
    message: str


class FileReport(BaseModel):
    """What became of one file: counts, issues, and the patients it holds."""

    file: str
    kind: LogKind | None
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
    issues: list[ImportIssue] = Field(default_factory=list)
    patients: list[str] = Field(default_factory=list)
    usable: bool = Field(True, description="False when the file could not be used at all.")


class FileProblem(Exception):
    """The whole file cannot be used (not text, empty, no date column ...)."""

    def __init__(self, code: str, message: str, *, kind: LogKind | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.kind = kind


IntArray = npt.NDArray[np.int64]


class IssueLog:
    """Collects issues in batches (one batch = one column, one code, many rows).

    Batches keep row numbers and messages as arrays so that a million-row file with many
    issues costs array operations, not Python objects, until the report is built.
    """

    def __init__(self) -> None:
        self._rows: list[IntArray] = []
        self._messages: list[npt.NDArray[np.object_]] = []
        self._meta: list[tuple[str | None, str, Severity]] = []

    def add(self, code: str, severity: Severity, message: str, *, column: str | None = None) -> None:
        """Record a file-level issue (or any issue about no particular row)."""
        self.add_rows(np.array([-1], dtype=np.int64), code, severity, message, column=column)

    def add_rows(
        self,
        rows: IntArray,
        code: str,
        severity: Severity,
        messages: str | npt.NDArray[np.object_],
        *,
        column: str | None = None,
    ) -> None:
        """Record one issue per row; ``messages`` is one text for all or one per row."""
        if len(rows) == 0:
            return
        if isinstance(messages, str):
            texts = np.full(len(rows), messages, dtype=object)
        else:
            texts = np.asarray(messages, dtype=object)
        self._rows.append(np.asarray(rows, dtype=np.int64))
        self._messages.append(texts)
        self._meta.append((column, code, severity))

    def _table(self) -> pd.DataFrame:
        if not self._rows:
            return pd.DataFrame({"row": [], "batch": [], "message": []})
        batch = np.concatenate([np.full(len(r), i) for i, r in enumerate(self._rows)])
        return pd.DataFrame(
            {
                "row": np.concatenate(self._rows),
                "batch": batch,
                "message": np.concatenate(self._messages),
            }
        )

    def issues(self) -> list[ImportIssue]:
        """Return all issues, file-level ones first, then by row (stable within a row)."""
        table = self._table().sort_values(["row", "batch"], kind="stable")
        issues: list[ImportIssue] = []
        for row, batch, message in zip(
            table["row"].tolist(), table["batch"].tolist(), table["message"].tolist(), strict=True
        ):
            column, code, severity = self._meta[batch]
            # model_construct: the fields are built here from trusted values; validating
            # each of possibly many issues would only cost time.
            issues.append(
                ImportIssue.model_construct(
                    row=None if row < 0 else row,
                    column=column,
                    code=code,
                    severity=severity,
                    message=message,
                )
            )
        return issues

    def problems_by_row(self, rows: IntArray) -> npt.NDArray[np.object_]:
        """Return, for each of ``rows``, its error messages joined into one text."""
        table = self._table()
        errors = [i for i, meta in enumerate(self._meta) if meta[2] == "error"]
        table = table[table["batch"].isin(errors) & table["row"].isin(rows)]
        joined = (
            table.sort_values(["row", "batch"], kind="stable").groupby("row")["message"].agg("; ".join)
        )
        return np.asarray(joined.reindex(rows).fillna("").to_numpy(dtype=object), dtype=object)
