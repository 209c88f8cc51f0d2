"""Issues about rows: one per bad cell, grouped warnings for repeated harmless things."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from rehab.importer.messages import compose

if TYPE_CHECKING:
    from rehab.importer.report import IssueLog
    from rehab.importer.validate import Checked

__all__ = ["describe_rows", "report_cells", "report_duplicates", "report_grouped"]

_LISTED_ROWS: Final = 10

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def describe_rows(rows: IntArray) -> str:
    """``"row 4"``, ``"rows 4, 9 and 12"``, or the first ten and how many more."""
    listed = [str(r) for r in rows[:_LISTED_ROWS].tolist()]
    if len(rows) == 1:
        return f"row {listed[0]}"
    more = len(rows) - len(listed)
    if more:
        return f"rows {', '.join(listed)} and {more} more"
    return f"rows {', '.join(listed[:-1])} and {listed[-1]}"


def report_cells(
    name: str, checked: Checked, codes: npt.NDArray[np.int32], rows: IntArray, issues: IssueLog
) -> BoolArray:
    """Add one error per row whose cell in column ``name`` is invalid; return those rows."""
    if not checked.invalid.any():
        return np.zeros(len(codes), dtype=bool)
    bad = checked.invalid[codes]
    positions = np.flatnonzero(bad)
    if len(positions) == 0:
        return bad
    bad_codes = codes[positions]
    error_codes = checked.error[bad_codes]
    for code in sorted(set(checked.error[np.unique(bad_codes)].tolist())):
        selected = error_codes == code
        issues.add_rows(
            rows[positions[selected]], code, "error", checked.message[bad_codes[selected]], column=name
        )
    return bad


def report_duplicates(rows: IntArray, first_rows: IntArray, issues: IssueLog) -> None:
    """One warning per duplicate row, naming the row it repeats."""
    if len(rows) == 0:
        return
    messages = compose(
        "This row repeats row ",
        pc.cast(pa.array(first_rows), pa.string()),
        " exactly (a double export?); it was counted once.",
    )
    issues.add_rows(rows, "duplicate_row", "warning", messages)


def report_grouped(
    rows: IntArray,
    keys: npt.NDArray[Any],
    code: str,
    message: Any,
    issues: IssueLog,
    *,
    column: str | None = None,
) -> None:
    """One warning per distinct key, at its first row, naming all its rows.

    ``message(key, rows_text)`` words the warning, e.g. for an unknown exercise name.
    """
    if len(rows) == 0:
        return
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    for group in np.split(order, starts[1:]):
        group_rows = np.sort(rows[group])
        text = message(keys[group[0]], describe_rows(group_rows))
        issues.add_rows(group_rows[:1], code, "warning", text, column=column)
