"""One file's import, step by step: bytes -> text -> table -> checked columns -> frames."""

from __future__ import annotations

import csv
import logging
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import numpy as np

from rehab.importer.coded import blank_rows, encode_all, first_occurrence
from rehab.importer.columns import ColumnChecks, Outcome, check_columns
from rehab.importer.decode import decode_bytes, stray_controls_note
from rehab.importer.dialect import header_line, sniff_delimiter
from rehab.importer.frames import rejected_frame
from rehab.importer.issuelog import row_ranges
from rehab.importer.limits import MAX_COLUMNS, too_many_columns
from rehab.importer.mapping import map_and_resolve
from rehab.importer.names import patient_from_filename
from rehab.importer.parse import RawTable, parse_table
from rehab.importer.report import FileProblem, FileReport, ImportOptions, IssueLog
from rehab.importer.results import FileImport
from rehab.importer.rowreport import report_duplicates

if TYPE_CHECKING:
    import pandas as pd

    from rehab.importer.coded import CodedColumn
    from rehab.importer.headers import ColumnMap
    from rehab.importer.report import ReportKind
    from rehab.library import ExerciseLibrary

__all__ = ["Checker", "Stopwatch", "TableRows", "import_bytes"]

logger = logging.getLogger(__name__)


class Stopwatch:
    """Adds the time of each named step to ``timings`` (when given): the benchmark's breakdown.

    Without ``timings`` a step is a shared no-op context (a generator-based context manager
    cost a few microseconds per step, ten steps a file).
    """

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings

    def __call__(self, step: str) -> AbstractContextManager[None]:
        """Time the block as step ``step``."""
        if self.timings is None:
            return _UNTIMED
        return _Step(self.timings, step)


_UNTIMED: Final = nullcontext()


class _Step:
    """One timed step: its seconds are added to ``timings[step]`` however the block ends."""

    def __init__(self, timings: dict[str, float], step: str) -> None:
        self.timings, self.step, self.start = timings, step, 0.0

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *_exc: object) -> None:
        elapsed = time.perf_counter() - self.start
        self.timings[self.step] = self.timings.get(self.step, 0.0) + elapsed


def _read(data: bytes, issues: IssueLog, clock: Stopwatch) -> RawTable:
    with clock("decode"):
        decoded = decode_bytes(data)
    if decoded.fallback:
        issues.add("encoding_fallback", "warning", decoded.note())
    if decoded.removed_controls:
        issues.add("control_characters", "warning", stray_controls_note(decoded.removed_controls))
    with clock("parse"):
        line = header_line(decoded.utf8)
        delimiter = sniff_delimiter(line)
        # Refused before parsing: thousands of columns cost time in every later step.
        width = len(next(csv.reader([line], delimiter=delimiter, strict=False), []))
        if width > MAX_COLUMNS:
            raise FileProblem("too_many_columns", too_many_columns(width))
        try:
            table = parse_table(decoded, delimiter)
        except csv.Error:
            raise FileProblem("unreadable", "The file could not be read as CSV.") from None
    if not table.header:
        raise FileProblem("empty", "The file is empty: there is no header and no rows.")
    if len(table.header) > MAX_COLUMNS:
        raise FileProblem("too_many_columns", too_many_columns(len(table.header)))
    return table


def _unusable(
    name: str, problem: FileProblem, issues: IssueLog, kind: ReportKind | None = None
) -> FileImport:
    issues.add(problem.code, "error", problem.message)
    logger.info("import: a file could not be used (%s)", problem.code)
    report = FileReport(file=name, kind=problem.kind or kind, usable=False, issues=issues.issues())
    return FileImport(report=report)


def _records(
    table: RawTable, coded_blank: np.ndarray, issues: IssueLog
) -> tuple[np.ndarray, np.ndarray]:
    """Return the positions of counted rows and of rows with too many fields."""
    too_long = np.zeros(table.size, dtype=bool)
    too_long[table.too_long] = True
    counted = ~coded_blank | too_long
    issues.add_rows(
        table.rows[table.too_long],
        "too_many_fields",
        "error",
        "This row has more values than the header has columns (an unquoted comma or "
        "delimiter inside a value?); row not imported.",
    )
    return np.flatnonzero(counted & ~too_long), table.too_long


@dataclass(frozen=True)
class TableRows:
    """A parsed table ready for its column checks: coded cells and the rows still in play.

    ``unique`` are the positions of counted rows that are not exact repeats of an earlier
    row (those are reported as duplicates before any check sees them).
    """

    name: str
    table: RawTable
    coded: list[CodedColumn]
    unique: np.ndarray
    options: ImportOptions
    issues: IssueLog
    clock: Stopwatch


# A kind of file's column checks: the session and pain logs' (rehab.importer.columns), or
# a measures log's (rehab.measures.importer).
Checker = Callable[[TableRows], Outcome]


def _log_checker(columns: ColumnMap, library: ExerciseLibrary) -> Checker:
    def check(rows: TableRows) -> Outcome:
        return check_columns(
            ColumnChecks(
                file=rows.name,
                kind=columns.kind,
                table=rows.table,
                coded=rows.coded,
                positions=columns.positions,
                unnamed=columns.unnamed,
                rows=rows.unique,
                patient=patient_from_filename(rows.name),
                options=rows.options,
                library=library,
                issues=rows.issues,
                clock=rows.clock,
            )
        )

    return check


# A file without rejected rows gets an empty frame that depends on its header alone: built
# once per header (a few hundred microseconds) and handed out as shallow copies, which
# copy-on-write keeps apart. Cleared when full: uploads mix few headers.
_NO_REJECTED: dict[tuple[str, ...], pd.DataFrame] = {}
_NO_REJECTED_HEADERS: Final = 64


def _rejected_rows(
    table: RawTable, coded: list[CodedColumn], rejected: np.ndarray, issues: IssueLog
) -> pd.DataFrame:
    """Return the rejected rows as written (see :func:`rejected_frame`)."""
    if len(rejected):
        return rejected_frame(table, coded, rejected, issues.problems_by_row(table.rows[rejected]))
    empty = _NO_REJECTED.get(table.header)
    if empty is None:
        if len(_NO_REJECTED) >= _NO_REJECTED_HEADERS:
            _NO_REJECTED.clear()
        empty = rejected_frame(table, coded, rejected, issues.problems_by_row(table.rows[rejected]))
        _NO_REJECTED[table.header] = empty
    return empty.copy(deep=False)


def _import_table(
    name: str,
    table: RawTable,
    kind: ReportKind,
    check: Checker,
    options: ImportOptions,
    issues: IssueLog,
    clock: Stopwatch,
) -> FileImport:
    with clock("encode"):
        coded = encode_all(table.columns)
    with clock("duplicates"):
        candidates, too_long = _records(table, blank_rows(coded, table.size), issues)
        first = first_occurrence(coded, candidates)
        repeated = first != candidates
        report_duplicates(table.rows[candidates[repeated]], table.rows[first[repeated]], issues)
        unique = candidates[~repeated]
    outcome = check(TableRows(name, table, coded, unique, options, issues, clock))
    with clock("report"):
        rejected = np.sort(np.concatenate([outcome.rejected, too_long]))
        rejected_rows = _rejected_rows(table, coded, rejected, issues)
        report = FileReport(
            file=name,
            kind=kind,
            rows=len(candidates) + len(too_long),
            accepted=outcome.accepted,
            sessions=len(outcome.frame) if len(outcome.frame) != outcome.accepted else None,
            rejected=len(rejected),
            duplicates=int(repeated.sum()),
            issues=issues.issues(),
            issues_cut=issues.cut,
            rejected_rows=row_ranges(table.rows[rejected]),
            patients=outcome.patients,
        )
    logger.info(
        "import: %d rows, %d accepted, %d rejected, %d duplicates (%s parser)",
        report.rows,
        report.accepted,
        report.rejected,
        report.duplicates,
        table.parser,
    )
    return FileImport(report=report, rejected=rejected_rows, **{kind: outcome.frame})


def import_bytes(
    name: str,
    data: bytes,
    options: ImportOptions,
    library: ExerciseLibrary,
    timings: dict[str, float] | None = None,
) -> FileImport:
    """Import one file's bytes (see :func:`rehab.importer.import_file`).

    ``timings``, when given, receives the seconds spent in each step.
    """
    # Imported here: rehab.measures.importer builds on this package's modules.
    from rehab.measures.importer import looks_like_measures, measures_checker

    issues = IssueLog()
    clock = Stopwatch(timings)
    measures: Checker | None = None
    is_measures = False
    try:
        table = _read(data, issues, clock)
        with clock("headers"):
            # A questionnaire log (a `measure` column): its own columns and checks.
            is_measures = looks_like_measures(table.header, options)
            if is_measures:
                measures = measures_checker(table.header, issues)
            else:
                # Presets, the user's column mapping and long files (rehab.importer.mapping).
                table, columns = map_and_resolve(table, options, issues)
    except FileProblem as problem:
        return _unusable(name, problem, issues, "measures" if is_measures else None)
    if measures is not None:
        return _import_table(name, table, "measures", measures, options, issues, clock)
    check = _log_checker(columns, library)
    return _import_table(name, table, columns.kind, check, options, issues, clock)
