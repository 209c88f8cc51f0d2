"""Issues about rows: one per bad cell, grouped warnings for repeated harmless things."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from rehab.importer.messages import compose, to_objects

if TYPE_CHECKING:
    from rehab.importer.report import IssueLog, Severity
    from rehab.importer.validate import Checked

__all__ = [
    "KEPT_WITHOUT",
    "NOT_IMPORTED",
    "describe_rows",
    "report_cells",
    "report_duplicates",
    "report_grouped",
]

_LISTED_ROWS: Final = 10
# Distinct bad values of one column quoted in their messages (the report lists 50 at most).
_QUOTED_VALUES: Final = 1_000

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


# What became of a kept row whose cell in an optional column could not be read.
KEPT_WITHOUT: Final = {
    "time": "time",
    "sets": "number of sets",
    "set_number": "set number",
    "reps": "number of reps",
    "hold_seconds": "hold time",
    "pain_before": "pain score",
    "pain_after": "pain score",
    "flare": "flare answer",
    "red_flag": "red-flag answer",
}
NOT_IMPORTED: Final = "row not imported"


def _ending(messages: npt.NDArray[np.object_], ending: str) -> npt.NDArray[np.object_]:
    """Append ``; ending`` to each message that does not already say it."""
    texts = pa.array(np.asarray(messages, dtype=object), type=pa.string())
    said = pc.ends_with(texts, ending)
    joined = pc.binary_join_element_wise(texts, pa.scalar(f"; {ending}"), "")
    return to_objects(pc.if_else(said, texts, joined))


def _few_texts(
    messages: npt.NDArray[np.object_], inverse: IntArray
) -> tuple[npt.NDArray[np.object_], IntArray]:
    """Quote at most :data:`_QUOTED_VALUES` distinct values; the others share unquoted wording.

    A file whose every cell is a different bad value would otherwise keep a message per
    row (hundreds of MB); past the first values the rejected-rows file shows the value.
    """
    if len(messages) <= _QUOTED_VALUES:
        return messages, inverse
    texts = pa.array(messages[_QUOTED_VALUES:], type=pa.string())
    plain = pc.replace_substring_regex(texts, "'.*'", "this row's value").dictionary_encode()
    shared = to_objects(plain.dictionary)
    keys = np.asarray(plain.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    merged = np.concatenate([messages[:_QUOTED_VALUES], shared])
    remap = np.concatenate([np.arange(_QUOTED_VALUES), _QUOTED_VALUES + keys])
    return merged, remap[inverse]


def report_cells(
    name: str,
    checked: Checked,
    codes: npt.NDArray[np.int32],
    rows: IntArray,
    issues: IssueLog,
    *,
    rejected: BoolArray | None = None,
) -> BoolArray:
    """Add one issue per row whose cell in column ``name`` is invalid; return those rows.

    Every message says what became of the row: "row not imported" for the rows in
    ``rejected`` (and for every row when ``rejected`` is None: a required column), else
    "kept without this <value>" (a warning: the row was imported).
    """
    if not checked.invalid.any():
        return np.zeros(len(codes), dtype=bool)
    bad = checked.invalid[codes]
    positions = np.flatnonzero(bad)
    if len(positions) == 0:
        return bad
    dropped = np.ones(len(positions), dtype=bool) if rejected is None else rejected[positions]
    kept_ending = f"kept without this {KEPT_WITHOUT.get(name, name.replace('_', ' '))}"
    # Messages are worded once per distinct value, then spread to the rows.
    unique_codes, inverse = np.unique(codes[positions], return_inverse=True)
    messages, inverse = _few_texts(checked.message[unique_codes], inverse)
    fates: tuple[tuple[bool, Severity, str], ...] = (
        (True, "error", NOT_IMPORTED),
        (False, "warning", kept_ending),
    )
    for is_dropped, severity, ending in fates:
        worded = _ending(messages, ending)
        for code in sorted(set(checked.error[unique_codes].tolist())):
            selected = (checked.error[codes[positions]] == code) & (dropped == is_dropped)
            if selected.any():
                issues.add_keyed(
                    rows[positions[selected]], inverse[selected], worded, code, severity, column=name
                )
    return bad


def report_duplicates(rows: IntArray, first_rows: IntArray, issues: IssueLog) -> None:
    """One warning per repeated row: the copies of one row are one issue naming all of them."""
    if len(rows) == 0:
        return
    originals, keys = np.unique(first_rows, return_inverse=True)
    messages = compose(
        "Repeats row ",
        pc.cast(pa.array(originals), pa.string()),
        " exactly (a double export?), so it was counted once: that row was imported, the "
        "copies were not.",
    )
    issues.add_keyed(rows, keys.astype(np.int64), messages, "duplicate_row", "warning")


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
