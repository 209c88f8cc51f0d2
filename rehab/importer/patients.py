"""Who each accepted row belongs to: the patient column, or the file's patient.

Two mistakes are worse than a refusal: one person split into a patient per row, and
several people merged into one without a word. So:

- a patient column whose value differs on every row (more than a handful of rows) is a
  row id, not a patient (a form's response ``ID``: 1, 2, 3 ...): it is not used, and the
  rows go to the file's patient with a warning. A bare ``ID`` is judged by that alone; a
  specific header (``Patient ID``) only when its values count the rows (1, 2, 3 ...);
  a person's name or e-mail never (a form filled once by each of many people is that);
- a file named by a date names nobody: its rows are kept under ``unnamed (<file name>)``
  and the report asks the user to name the patient.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt
import pyarrow.compute as pc

from rehab.importer.frames import large_text, repeated_text
from rehab.importer.headers import GENERIC_IDS, PERSON_HEADERS
from rehab.importer.messages import INVISIBLE, plural, to_objects
from rehab.importer.names import is_date_name
from rehab.importer.rowreport import report_grouped
from rehab.schema import normalise_header

if TYPE_CHECKING:
    from rehab.importer.coded import CodedColumn
    from rehab.importer.report import IssueLog
    from rehab.importer.validate import Checked

__all__ = ["PatientColumn", "assign_patients", "warn_invisible"]

# "More than a handful": fewer rows than this are never called row ids.
ROW_ID_MIN_ROWS: Final = 6

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class PatientColumn:
    """The checked patient column of the accepted rows (absent: ``checked`` is None)."""

    header: str
    checked: Checked | None
    codes: npt.NDArray[np.int32]
    given: Any  # pyarrow strings of the accepted rows (null where unusable)


def _counts_rows(values: npt.NDArray[np.object_]) -> bool:
    """Whether the values, in file order, are the integers n, n+1, n+2 ... (a row counter)."""
    texts = [str(v) for v in values.tolist()]
    if not all(t.isdigit() for t in texts):
        return False
    numbers = np.asarray([int(t) for t in texts], dtype=np.int64)
    return bool(np.all(np.diff(numbers) == 1))


def _is_row_id(column: PatientColumn, size: int) -> bool:
    checked = column.checked
    key = normalise_header(column.header)
    if checked is None or size < ROW_ID_MIN_ROWS or key in PERSON_HEADERS:
        return False
    # Distinct rows need at least as many distinct values: a cheap no before sorting codes.
    if len(checked.values) < size:
        return False
    usable = ~(checked.invalid | checked.blank)
    if not usable[column.codes].all() or len(np.unique(column.codes)) != size:
        return False
    if key in GENERIC_IDS:
        return True
    return _counts_rows(np.asarray(checked.values, dtype=object)[column.codes])


def _warn_row_id(header: str, size: int, patient: str, issues: IssueLog) -> None:
    issues.add(
        "row_id_column",
        "warning",
        f"Column '{header.strip()}' has a different value on every one of the {size} rows, so "
        "it numbers the rows (as a form's response ID does) rather than naming a patient. It "
        f"was not used: all rows were kept under '{patient}', the file's patient. If the file "
        "holds several patients, add a patient_id column (or map the right column to "
        "patient_id) and import it again.",
        column="patient_id",
    )


def _warn_unnamed(file: str, patient: str, count: int, issues: IssueLog) -> None:
    issues.add(
        "unnamed_patient",
        "warning",
        f"The file's name '{file}' is a date, not a patient's name, and no column says whose "
        f"rows these are, so {plural(count, 'row')} {'was' if count == 1 else 'were'} kept under "
        f"'{patient}'. Name the patient: add "
        "a patient_id column, or rename the file after the patient (for example "
        "PT-0101_sessions.csv), and import it again.",
        column="patient_id",
    )


def assign_patients(
    column: PatientColumn, rows: IntArray, file: str, patient: str, issues: IssueLog
) -> tuple[Any, list[str]]:
    """Return every accepted row's patient (pyarrow strings) and the distinct patients.

    Works on the distinct ids and their codes, without hashing a million strings.
    ``rows`` are the accepted rows' spreadsheet numbers; ``patient`` is the file's patient.
    """
    size = len(rows)
    checked = column.checked
    if checked is not None and _is_row_id(column, size):
        _warn_row_id(column.header, size, patient, issues)
        checked = None
    if checked is None:
        if size and is_date_name(file):
            _warn_unnamed(file, patient, size, issues)
        return repeated_text(patient, size), [patient] if size else []
    usable = ~(checked.invalid | checked.blank)
    missing = ~usable[column.codes]
    seen = np.zeros(len(usable), dtype=bool)
    seen[column.codes] = True
    names = set(np.asarray(checked.values, dtype=object)[seen & usable].tolist())
    if not missing.any():
        return column.given, sorted(names)
    report_grouped(
        rows[missing],
        np.zeros(int(missing.sum()), np.int64),
        "missing_patient_id",
        lambda _key, where: (
            f"No patient_id in {where}; those rows were kept and given to '{patient}', the "
            "file's patient."
        ),
        issues,
        column="patient_id",
    )
    if is_date_name(file):
        _warn_unnamed(file, patient, int(missing.sum()), issues)
    names.add(patient)
    return pc.coalesce(large_text(column.given), repeated_text(patient, size)), sorted(names)


def warn_invisible(
    column: CodedColumn, checked: Checked, rows: IntArray, numbers: IntArray, issues: IssueLog
) -> None:
    """Warn once about the rows whose patient id lost invisible marks (see ``check_text``).

    ``rows`` are positions in the table, ``numbers`` every position's spreadsheet row.
    """
    marked = np.asarray(pc.match_substring_regex(column.uniques, INVISIBLE), dtype=bool)
    if not marked.any():
        return
    codes = column.at(rows)
    hit = marked[codes]
    if not hit.any():
        return
    examples = sorted(set(to_objects(pc.utf8_trim_whitespace(column.uniques))[marked].tolist()))
    example = str(np.asarray(checked.values, dtype=object)[np.flatnonzero(marked)[0]])
    report_grouped(
        numbers[rows[hit]],
        np.zeros(int(hit.sum()), np.int64),
        "invisible_characters",
        lambda _key, where: (
            f"The patient id in {where} held invisible characters (a zero-width space or a "
            f"direction mark, {plural(len(examples), 'id')} in all); they were removed, so the rows "
            f"count for '{example[:60]}' and not for a look-alike second patient."
        ),
        issues,
        column="patient_id",
    )
