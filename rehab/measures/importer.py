"""Importing a measures log: the same report, row numbers and rejected rows as the other logs.

The pipeline (:mod:`rehab.importer.pipeline`) reads the bytes, finds the header, counts
blank, over-long and repeated rows, and builds the report; this module checks the columns
of a measures log. Dates and patients are read by the importer's own pieces (every date
style, time zones, ids as text); each distinct row is scored once (:mod:`rehab.measures.rows`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd
import pyarrow as pa

from rehab.importer.columns import ColumnChecks, Outcome
from rehab.importer.datecolumn import check_date_column
from rehab.importer.names import patient_from_filename
from rehab.importer.patients import PatientColumn, assign_patients, warn_invisible
from rehab.importer.rowreport import NOT_IMPORTED, report_cells, report_grouped
from rehab.importer.validate import Checked, check_text
from rehab.library import load_library
from rehab.measures.columns import MeasureColumns, looks_like_measures, resolve_measure_headers
from rehab.measures.judge import Judged, judge_rows
from rehab.measures.schema import MEASURE_DTYPES, empty_measures
from rehab.schema import PAIN

if TYPE_CHECKING:
    from collections.abc import Callable

    from rehab.importer.pipeline import TableRows
    from rehab.importer.report import IssueLog

__all__ = ["check_measures", "looks_like_measures", "measures_checker"]

IntArray = np.ndarray
# `PT-0102_measures.csv` is patient PT-0102's, as `PT-0102_pain.csv` is (rehab.importer.names).
_MEASURES_SUFFIX: Final = re.compile(
    r"[\s_.-]*(?:measures?|questionnaires?|outcomes?)(?=\.[A-Za-z0-9]+$|$)", re.I
)


def measures_checker(header: tuple[str, ...], issues: IssueLog) -> Callable[[TableRows], Outcome]:
    """Resolve a measures log's header and return the check of its rows.

    Raises
    ------
    FileProblem
        ``no_date_column`` when the log has no date column.
    """
    columns = resolve_measure_headers(header, issues)

    def check(rows: TableRows) -> Outcome:
        return check_measures(rows, columns)

    return check


def _job(rows: TableRows, columns: MeasureColumns) -> ColumnChecks:
    """Return the log importer's view of the table, for its date and patient checks."""
    shared = {k: v for k, v in columns.positions.items() if k in ("patient_id", "date", "timezone")}
    return ColumnChecks(
        file=rows.name,
        kind="pain",
        table=rows.table,
        coded=rows.coded,
        positions=shared,
        unnamed=(),
        rows=rows.unique,
        patient=patient_from_filename(_MEASURES_SUFFIX.sub("", rows.name)),
        options=rows.options,
        library=load_library(),
        issues=rows.issues,
        clock=rows.clock,
    )


def _required_dates(checked: Checked) -> Checked:
    error = np.where(checked.blank, "missing_value", checked.error)
    message = np.where(checked.blank, "date is empty; every row needs a date", checked.message)
    return Checked(checked.values, checked.blank, error, message)


def _report(judged: Judged, numbers: IntArray, date_bad: np.ndarray, issues: IssueLog) -> np.ndarray:
    """Report every row's problems; return which rows are rejected."""
    rejected = date_bad.copy()
    for where in judged.problems.errors.values():
        rejected[np.concatenate(where)] = True
    for (code, column, message), where in judged.problems.errors.items():
        issues.add_rows(
            numbers[np.concatenate(where)], code, "error", f"{message}; {NOT_IMPORTED}", column=column
        )
    for (code, column, message), where in judged.problems.warnings.items():
        kept = np.concatenate(where)
        kept = kept[~rejected[kept]]
        issues.add_rows(numbers[kept], code, "warning", message, column=column)
    return rejected


def _patients(job: ColumnChecks, accepted: IntArray, numbers: IntArray) -> tuple[Any, list[str]]:
    if "patient_id" not in job.positions:
        column = PatientColumn("", None, np.zeros(0, np.int32), None)
        return assign_patients(column, numbers, job.file, job.patient, job.issues)
    coded = job.column("patient_id")
    checked = check_text(PAIN.column("patient_id"), coded.uniques, strip=True)
    warn_invisible(coded, checked, job.rows, job.table.rows, job.issues)
    codes = coded.at(accepted)
    usable = ~(checked.invalid | checked.blank)
    values = np.asarray(checked.values, dtype=object).copy()
    values[~usable] = None
    given = pa.array(values[codes].tolist(), type=pa.large_string())
    header = job.table.header[job.positions["patient_id"]]
    return assign_patients(
        PatientColumn(header, checked, codes, given), numbers, job.file, job.patient, job.issues
    )


def _warn_future(job: ColumnChecks, days: np.ndarray, numbers: IntArray) -> None:
    as_of = job.options.as_of
    if as_of is None:
        return
    later = days > np.datetime64(as_of.isoformat(), "ns")
    report_grouped(
        numbers[later],
        np.zeros(int(later.sum()), np.int64),
        "future_date",
        lambda _key, where: (
            f"{where.capitalize()}: dated after the as-of date {as_of:%Y-%m-%d}. Kept, but "
            "the analysis leaves rows after the as-of date out."
        ),
        job.issues,
        column="date",
    )


def _frame(
    judged: Judged, keep: np.ndarray, days: np.ndarray, patients: Any, rows: TableRows, numbers: IntArray
) -> pd.DataFrame:
    if not keep.any():
        return empty_measures()
    data = {
        "patient_id": patients.to_pylist(),
        "date": days,
        "measure": judged.measure[keep],
        "version": judged.version[keep],
        "score": judged.score[keep],
        "band": judged.band[keep],
        "complete": judged.complete[keep],
        "subscale": judged.subscale[keep],
        "answers": judged.answers[keep],
        "source_file": np.full(int(keep.sum()), rows.name, dtype=object),
        "source_row": numbers,
    }
    return pd.DataFrame(data).astype(MEASURE_DTYPES)


def check_measures(rows: TableRows, columns: MeasureColumns) -> Outcome:
    """Check a measures log's rows: dates, patients, measures and answers; build its frame.

    Every row is accepted (scored, or imported as an incomplete form with a warning) or
    rejected with its row number: a bad or missing date, an unknown measure (with a "did
    you mean"), an answer out of range or not one of the form's words, nothing to score.
    """
    job = _job(rows, columns)
    with rows.clock("dates"):
        dates = check_date_column(job)
        checked = _required_dates(dates.checked)
    numbers = rows.table.rows[rows.unique]
    date_codes = job.column("date").at(rows.unique)
    with rows.clock("values"):
        date_bad = report_cells("date", checked, date_codes, numbers, rows.issues)
        judged = judge_rows(rows.coded, columns, rows.unique)
        rejected = _report(judged, numbers, date_bad, rows.issues)
    with rows.clock("frames"):
        keep = ~rejected
        accepted = rows.unique[keep]
        days = np.asarray(checked.values)[date_codes[keep]].astype("datetime64[ns]")
        patients, names = _patients(job, accepted, numbers[keep])
        _warn_future(job, days, numbers[keep])
        frame = _frame(judged, keep, days, patients, rows, numbers[keep])
    return Outcome(frame=frame, rejected=rows.unique[rejected], patients=names, accepted=len(accepted))
