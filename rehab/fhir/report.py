"""The report of a FHIR file: issues named by entry (or line), duplicates, rejected entries."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from rehab.fhir.entries import ReadRow
    from rehab.importer.issuelog import IssueLog
    from rehab.importer.report import ImportOptions

__all__ = [
    "ReadResult",
    "drop_duplicates",
    "name_entries",
    "rejected_frame",
    "report_read",
    "row_numbers",
]

_RESOURCE_CHARS: Final = 2_000


@dataclass
class ReadResult:
    """The rows read from a file, the entries rejected (with why) and the resources left out."""

    rows: list[tuple[int, ReadRow]] = field(default_factory=list)
    rejected: list[tuple[int, str, str, str | None, Any]] = field(default_factory=list)
    ignored: Counter[str] = field(default_factory=Counter)


def name_entries(issue: Any, unit: str) -> Any:
    """Name the entries (or lines) an issue is about at the start of its message."""
    if issue.row is None or issue.message.startswith("And "):
        return issue
    plural = "Entries" if unit == "entry" else "Lines"
    where = f"{unit.capitalize()} {issue.row}" if not issue.rows else f"{plural} {issue.rows}"
    return issue.model_copy(update={"message": f"{where}: {issue.message}"})


def row_numbers(numbers: list[int]) -> np.ndarray:
    """Return entry (or line) numbers as the int64 array the issue log takes."""
    return np.asarray(numbers, dtype=np.int64)


def _report_rejected(read: ReadResult, issues: IssueLog) -> None:
    by_code: dict[tuple[str, str | None], list[tuple[int, str]]] = {}
    for number, code, message, column, _ in read.rejected:
        by_code.setdefault((code, column), []).append((number, f"{message}; not imported."))
    for (code, column), found in by_code.items():
        issues.add_rows(
            row_numbers([n for n, _ in found]), code, "error", [m for _, m in found], column=column
        )


def _report_rows(read: ReadResult, options: ImportOptions, issues: IssueLog) -> None:
    dropped: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for number, row in read.rows:
        for column, code, message in row.dropped:
            dropped.setdefault((code, column), []).append((number, message))
    for (code, column), found in dropped.items():
        issues.add_rows(
            row_numbers([n for n, _ in found]), code, "error", [m for _, m in found], column=column
        )
    utc = [number for number, row in read.rows if row.utc]
    issues.add_rows(
        row_numbers(utc),
        "utc_time",
        "warning",
        "the time is stamped in UTC and no time zone was given, so it stays on the UTC day; give "
        "the patient's time zone (--tz, or the app's choice) to move it to their own day.",
        column="date",
    )
    unknown = [
        (n, str(r.values["exercise"]))
        for n, r in read.rows
        if r.kind == "sessions" and not r.values["exercise_known"]
    ]
    issues.add_rows(
        row_numbers([n for n, _ in unknown]),
        "unknown_exercise",
        "warning",
        [
            f"exercise '{name[:60]}' is not in the exercise library, so it was kept as written."
            for _, name in unknown
        ],
        column="exercise",
    )
    if options.as_of is not None:
        future = [n for n, r in read.rows if r.values["date"] > options.as_of.isoformat()]
        issues.add_rows(
            row_numbers(future),
            "future_date",
            "warning",
            f"dated after {options.as_of.isoformat()}; kept.",
            column="date",
        )
    if read.ignored:
        listed = ", ".join(f"{kind} {count}" for kind, count in sorted(read.ignored.items()))
        total = sum(read.ignored.values())
        issues.add(
            "ignored_resources",
            "warning",
            f"{total} {'entry was' if total == 1 else 'entries were'} left out: rehab reads pain and "
            f"exercise Observations and its own questionnaires ({listed}).",
        )


def drop_duplicates(frame: pd.DataFrame, unit: str, issues: IssueLog) -> tuple[pd.DataFrame, int]:
    """Keep the first of identical rows; report the copies (a Bundle exported twice into one)."""
    if len(frame) < 2:
        return frame, 0
    keys = [c for c in frame.columns if c not in ("source_file", "source_row")]
    group = frame.groupby(keys, dropna=False, sort=False).ngroup().to_numpy()
    first = np.full(int(group.max()) + 1, len(frame), dtype=np.int64)
    np.minimum.at(first, group, np.arange(len(frame)))
    repeat = first[group] != np.arange(len(frame))
    if not repeat.any():
        return frame, 0
    rows = frame["source_row"].to_numpy(dtype=np.int64)
    originals = rows[first[group][repeat]]
    issues.add_rows(
        rows[repeat],
        "duplicate_row",
        "warning",
        [f"repeats {unit} {o} exactly, so it was counted once." for o in originals.tolist()],
    )
    return frame[~repeat].reset_index(drop=True), int(repeat.sum())


def rejected_frame(read: ReadResult) -> pd.DataFrame:
    """Return the rejected entries: ``row``, ``problem`` and ``resource`` (JSON text, cut)."""
    rejected = sorted(read.rejected, key=lambda item: item[0])
    text = [
        json.dumps(r, ensure_ascii=False)[:_RESOURCE_CHARS] if r is not None else ""
        for *_, r in rejected
    ]
    return pd.DataFrame(
        {
            "row": [item[0] for item in rejected],
            "problem": [item[2] for item in rejected],
            "resource": text,
        }
    )


def report_read(read: ReadResult, options: ImportOptions, issues: IssueLog) -> None:
    """Record the issues of a file's read: rejected entries, dropped values, warnings."""
    _report_rejected(read, issues)
    _report_rows(read, options, issues)
