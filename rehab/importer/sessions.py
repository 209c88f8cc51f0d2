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

from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from rehab.importer.coded import repeated_keys
from rehab.importer.messages import compose
from rehab.importer.rowreport import describe_rows

if TYPE_CHECKING:
    from rehab.importer.report import IssueLog

__all__ = ["collapse_sets", "combine_codes", "split_lists"]

IntArray = npt.NDArray[np.int64]
_MEAN_COLUMNS: Final = ("reps", "hold_seconds")


def combine_codes(parts: list[npt.NDArray[Any]]) -> IntArray:
    """One integer per row, equal exactly when every part is equal (mixed radix)."""
    size = len(parts[0]) if parts else 0
    key = np.zeros(size, dtype=np.int64)
    span = 1
    for part in parts:
        values = np.asarray(part, dtype=np.int64)
        width = int(values.max()) + 1 if size else 1
        if span * width >= 2**62:
            key = np.asarray(pd.factorize(key)[0], dtype=np.int64)
            span = int(key.max()) + 1 if size else 1
        key = key * width + values
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


def _joined_notes(notes: pd.Series) -> Any:
    kept = [text for text in dict.fromkeys(notes.dropna().tolist()) if str(text).strip()]
    return " | ".join(kept) if kept else pd.NA


def _aggregate(sub: pd.DataFrame, run: IntArray) -> pd.DataFrame:
    grouped = sub.groupby(run, sort=False)
    merged = grouped.first()
    merged["pain_after"] = grouped["pain_after"].last()
    for name in _MEAN_COLUMNS:
        merged[name] = grouped[name].mean()
    merged["sets"] = grouped.size().astype("float64")
    merged["set_number"] = grouped["set_number"].max()
    merged["red_flag"] = grouped["red_flag"].max()
    merged["notes"] = grouped["notes"].agg(_joined_notes)
    merged.index = pd.Index(sub.index.to_series().groupby(run, sort=False).min().to_numpy())
    return merged


def collapse_sets(
    frame: pd.DataFrame, key: IntArray, has_set_numbers: bool, issues: IssueLog
) -> pd.DataFrame:
    """Merge the set rows of one exercise performance into one session.

    ``key`` is equal for rows of the same patient, day, time and exercise. Without a set
    number column only rows with a time of day are merged (a day's three rows without a
    time are three sessions). The frame keeps its index (file order).
    """
    if has_set_numbers:
        # A lone set row is a session of one set.
        numbered = frame["set_number"].notna() & frame["sets"].isna()
        frame.loc[numbered, "sets"] = 1.0
    candidates = repeated_keys(key)
    if not has_set_numbers and len(candidates):
        candidates = candidates[np.asarray(frame["time"].iloc[candidates].notna())]
    if len(candidates) == 0:
        return frame
    sub = frame.iloc[candidates]
    group = np.asarray(pd.factorize(key[candidates])[0], dtype=np.int64)
    set_numbers = (
        sub["set_number"].to_numpy(dtype=np.float64, na_value=np.nan)
        if has_set_numbers
        else np.arange(len(sub), dtype=np.float64)
    )
    run = _runs(group, set_numbers)
    sizes = np.bincount(run)
    merging = sizes[run] > 1
    if not merging.any():
        return frame
    sub, run = sub[merging], np.asarray(pd.factorize(run[merging])[0], dtype=np.int64)
    merged = _aggregate(sub, run)
    rest = frame.drop(index=sub.index)
    out = pd.concat([rest, merged[frame.columns]]).sort_index()
    _report_sets(sub, run, len(merged), has_set_numbers, issues)
    return out.astype(dict(frame.dtypes))


def _sessions(count: int) -> str:
    return "1 session" if count == 1 else f"{count} sessions"


def _report_sets(
    sub: pd.DataFrame, run: IntArray, sessions: int, has_set_numbers: bool, issues: IssueLog
) -> None:
    """One summary, and one line per set row merged into an earlier row's session."""
    source = sub["source_row"].to_numpy(dtype=np.int64)
    rows = np.sort(source)
    why = (
        "the file writes one row per set (a set number column)"
        if has_set_numbers
        else "they repeat the same exercise at the same day and time, as workout apps write sets"
    )
    issues.add(
        "set_rows",
        "warning",
        f"{len(rows)} set rows were counted as {_sessions(sessions)} ({describe_rows(rows)}): "
        f"{why}, so the rows of one exercise performance are one session. Each session keeps "
        "sets = the number of set rows and reps and hold = the mean per set; no row was "
        "left out.",
    )
    first = np.full(int(run.max()) + 1, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, run, source)
    later = source != first[run]
    messages = compose(
        "Counted as a set of the session at row ",
        pc.cast(pa.array(first[run][later]), pa.string()),
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
        f"{len(listed)} row(s) list several exercises in one cell, as a form's tick boxes do "
        f"({describe_rows(rows)}); they became {_sessions(int(counts[listed].sum()))}, one per "
        "exercise.",
        column="exercise",
    )
    return out
