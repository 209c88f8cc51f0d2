"""From accepted file rows to sessions: set rows collapse, exercise lists split.

A session is one performance of one exercise (the adherence rules count them). Two shapes
of real files do not write one row per session:

- workout apps write a row per **set** (Strong's ``Set Order``, Hevy's ``set_index``), or
  repeat the exercise at the same date and time. Rows of the same patient, day, time and
  exercise are one session (with a set number column: while the set numbers count up, so
  two rounds of sets 1-3 on one day stay two sessions). The session keeps ``sets`` = the
  number of set rows, ``reps`` and ``hold_seconds`` = their mean per set (the dose of a
  typical set, which the dose adherence compares with the prescription per set), pain
  before from the first set, pain after from the last, any red flag, and the notes joined.
- forms write the ticked boxes of one question into one cell (``Back Extension, Cat
  Stretch``): when every part is a library exercise, the row becomes one session each.

Only accepted rows are touched, and the report's counts stay counts of file rows; the
report says how many sessions these rows became.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from rehab.importer.coded import repeated_keys
from rehab.importer.frames import empty_like
from rehab.importer.messages import compose, plural
from rehab.importer.rowreport import describe_rows
from rehab.schema import frame_dtypes

if TYPE_CHECKING:
    from rehab.importer.report import IssueLog

__all__ = [
    "SetPlan",
    "apply_sessions",
    "combine_codes",
    "count_lone_sets",
    "merge_sessions",
    "plan_sets",
    "report_sets",
    "split_lists",
]

IntArray = npt.NDArray[np.int64]
_MEAN_COLUMNS: Final = ("reps", "hold_seconds")


def combine_codes(parts: list[npt.NDArray[Any]]) -> IntArray:
    """One integer per row, equal exactly when every part is equal (mixed radix)."""
    size = len(parts[0]) if parts else 0
    key = np.zeros(size, dtype=np.int64)
    span = 1
    for part in parts:
        values = np.asarray(part)
        width = int(values.max()) + 1 if size else 1
        if span * width >= 2**62:
            key = np.asarray(pd.factorize(key)[0], dtype=np.int64)
            span = int(key.max()) + 1 if size else 1
        # In place, the part added as it is (int32 codes): no new million-row arrays.
        key *= width
        key += values
        span *= width
    return key


def _runs(group: IntArray, set_numbers: npt.NDArray[np.float64]) -> IntArray:
    """Split each group where its set numbers stop counting up (a new round of sets)."""
    order = np.argsort(group, kind="stable")
    sorted_group, sorted_sets = group[order], set_numbers[order]
    new = np.ones(len(order), dtype=bool)
    with np.errstate(invalid="ignore"):
        new[1:] = (
            (sorted_group[1:] != sorted_group[:-1])
            | ~(sorted_sets[1:] > sorted_sets[:-1])
            | np.isnan(sorted_sets[1:])
        )
    run = np.empty(len(order), dtype=np.int64)
    run[order] = np.cumsum(new) - 1
    return run


def _joined_notes(notes: pd.Series, run: IntArray) -> list[Any]:
    """Each session's distinct notes, in file order, joined by " | " (NA when none)."""
    texts: list[dict[str, None]] = [{} for _ in range(int(run.max()) + 1)]
    for group, text in zip(run.tolist(), notes.tolist(), strict=True):
        if isinstance(text, str) and text.strip():
            texts[group][text] = None
    return [" | ".join(kept) if kept else pd.NA for kept in texts]


@dataclass(frozen=True)
class SetPlan:
    """Which rows merge: ``merged`` (ascending indices), their session, each session's first."""

    merged: IntArray
    run: IntArray
    first: IntArray

    @property
    def dropped(self) -> IntArray:
        """Rows merged into an earlier row's session."""
        return np.asarray(self.merged[self.merged != self.first[self.run]], dtype=np.int64)


def plan_sets(
    key: IntArray, has_time: npt.NDArray[np.bool_], set_numbers: npt.NDArray[np.float64] | None
) -> SetPlan | None:
    """Find the set rows of each exercise performance (``None``: nothing to merge).

    ``key`` is equal for rows of the same patient, day, time and exercise. Without set
    numbers (``None``) only rows with a time of day merge: a day's three rows without a
    time are three sessions. With them, a session runs while its set numbers count up.
    """
    candidates = repeated_keys(key)
    if set_numbers is None:
        candidates = candidates[has_time[candidates]]
    if len(candidates) == 0:
        return None
    group = np.asarray(pd.factorize(key[candidates])[0], dtype=np.int64)
    numbers = (
        np.arange(len(candidates), dtype=np.float64) if set_numbers is None else set_numbers[candidates]
    )
    run = _runs(group, numbers)
    merging = np.bincount(run)[run] > 1
    if not merging.any():
        return None
    merged = candidates[merging]
    run = np.asarray(pd.factorize(run[merging])[0], dtype=np.int64)
    first = np.full(int(run.max()) + 1, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, run, merged)
    return SetPlan(merged=merged, run=run, first=first)


def merge_sessions(sub: pd.DataFrame, plan: SetPlan) -> dict[str, Any]:
    """Combine the merged rows (``sub``, in ``plan.merged`` order) into each session's values.

    Sets = the number of set rows; reps and hold = the mean per set; pain before from the
    first set, pain after from the last; a red flag in any set; notes joined.
    """
    run = plan.run
    grouped = sub.groupby(run, sort=True)
    merged: dict[str, Any] = {
        "pain_before": grouped["pain_before"].first(),
        "pain_after": grouped["pain_after"].last(),
        "sets": grouped.size().astype("float64"),
        "set_number": grouped["set_number"].max(),
        "red_flag": grouped["red_flag"].max(),
        "notes": _joined_notes(sub["notes"], run),
    }
    for name in _MEAN_COLUMNS:
        merged[name] = grouped[name].mean()
    return merged


def _as_array(values: Any, dtype: str) -> Any:
    # pandas-stubs type pd.array's string dtypes so that strict mypy loses the result.
    make: Any = pd.array
    return make(values, dtype=dtype, copy=False)


def _replaced_text(column: Any, at: IntArray, values: Any) -> Any:
    """Return text ``column`` with ``values`` written at the distinct positions ``at``.

    One masked replace over the column: pandas' item assignment rebuilt a million-row
    column chunk by chunk (0.05 s of a 0.4 s import).
    """
    order = np.argsort(at, kind="stable")
    texts = pa.array(_as_array(column, "string"))
    texts = texts.combine_chunks() if isinstance(texts, pa.ChunkedArray) else texts
    new = pa.array(_as_array(list(values), "string")[order])
    new = new.combine_chunks() if isinstance(new, pa.ChunkedArray) else new
    mask = np.zeros(len(texts), dtype=bool)
    mask[at] = True
    return pd.arrays.ArrowStringArray(pc.replace_with_mask(texts, pa.array(mask), new.cast(texts.type)))


def apply_sessions(columns: dict[str, Any], size: int, at: IntArray, values: dict[str, Any]) -> None:
    """Write each merged session's values at its row (positions ``at``) into ``columns``.

    ``columns`` are the arrays of the frame about to be built (``size`` rows); a column the
    file does not have (``sets`` in a workout app's export) is added.
    """
    dtypes = frame_dtypes("sessions")
    for name, column_values in values.items():
        if name not in columns:
            columns[name] = empty_like(dtypes[name], size)
        if dtypes[name] == "string" and len(np.unique(at)) == len(at):
            columns[name] = _replaced_text(columns[name], at, column_values)
            continue
        # Arrays built for this frame alone (Arrow text is immutable: a write makes new chunks).
        array = _as_array(columns[name], dtypes[name])
        array[at] = _as_array(list(column_values), dtypes[name])
        columns[name] = array


def count_lone_sets(frame: pd.DataFrame) -> None:
    """Count a set row alone (one set of an exercise) as a session of one set, in place."""
    numbered = frame["set_number"].notna() & frame["sets"].isna()
    if numbered.any():
        frame.loc[numbered, "sets"] = 1.0


def report_sets(source: IntArray, plan: SetPlan, has_set_numbers: bool, issues: IssueLog) -> None:
    """One summary, and one line per set row merged into an earlier row's session.

    ``source`` holds the spreadsheet rows of the merged rows (``plan.merged`` order).
    """
    rows = np.sort(source)
    why = (
        "the file writes one row per set (a set number column)"
        if has_set_numbers
        else "they repeat the same exercise at the same day and time, as workout apps write sets"
    )
    issues.add(
        "set_rows",
        "warning",
        f"{len(rows)} set rows were counted as {plural(len(plan.first), 'session')} "
        f"({describe_rows(rows)}): {why}, so the rows of one exercise performance are one "
        "session. Each session keeps sets = the number of set rows and reps and hold = the "
        "mean per set; no row was left out.",
    )
    first = np.full(len(plan.first), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, plan.run, source)
    later = source != first[plan.run]
    messages = compose(
        "Counted as a set of the session at row ",
        pc.cast(pa.array(first[plan.run][later]), pa.string()),
        " (same patient, day, time and exercise); imported as part of that session.",
    )
    issues.add_rows(source[later], "set_row", "warning", messages, column="set_number")


def split_lists(frame: pd.DataFrame, lists: npt.NDArray[np.object_], issues: IssueLog) -> pd.DataFrame:
    """Give each exercise of a listed cell its own session (``lists``: ids per row, or None)."""
    listed = np.flatnonzero(pd.notna(lists))
    if len(listed) == 0:
        return frame
    counts = np.ones(len(frame), dtype=np.int64)
    counts[listed] = [len(lists[i]) for i in listed.tolist()]
    exercises = np.repeat(np.asarray(frame["exercise"].astype(object)), counts)
    starts = np.cumsum(counts) - counts
    for position in listed.tolist():
        exercises[starts[position] : starts[position] + counts[position]] = lists[position]
    out = frame.iloc[np.repeat(np.arange(len(frame)), counts)].copy()
    out["exercise"] = pd.Series(exercises, index=out.index).astype(frame["exercise"].dtype)
    out["exercise_known"] = np.repeat(frame["exercise_known"].to_numpy(), counts)
    out.loc[np.repeat(pd.notna(lists), counts), "exercise_known"] = True
    rows = np.sort(frame["source_row"].to_numpy(dtype=np.int64)[listed])
    issues.add(
        "exercise_list",
        "warning",
        f"{plural(len(listed), 'row')} {'lists' if len(listed) == 1 else 'list'} several "
        "exercises in one cell, as a form's tick boxes do "
        f"({describe_rows(rows)}); they became {plural(int(counts[listed].sum()), 'session')}, one per "
        "exercise.",
        column="exercise",
    )
    return out
