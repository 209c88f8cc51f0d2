"""A handful of realistic mistakes for the import report to find, without spoiling the stories.

Mistakes land only on rows at least three days after a patient's first log and three weeks
before their last (so baselines, recent weeks and key dates are untouched), and a pain row
that gets rejected is always on a day with another rating (so no pain-free run is broken).
Roughly 60 % of patients get one or two mistakes per file; the rest stay clean.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rehab.schema import LogKind

# (log kind, mistake) -> patients whose file gets it.
Assignments = dict[tuple["LogKind", str], list[str]]

SESSION_MISTAKES: Final = (
    "pain_after_out_of_range",  # 11: the cell is dropped with an error, the session counts
    "misspelled_exercise",  # "hip rols": kept, reported as unknown
    "duplicate_row",  # a double export: counted once, reported
    "impossible_date",  # 2026-09-31: the row is rejected
    "decimal_comma",  # hold "12,5" in a comma file: quoted, as a spreadsheet would
)
PAIN_MISTAKES: Final = (
    "pain_out_of_range",  # 11 in the required column: the row is rejected
    "pain_missing",  # empty required cell: the row is rejected
    "impossible_date",
)
MISSPELLING: Final = "hip rols"
MISSPELLED_ID: Final = "hip_rolls"
SHARE_OF_PATIENTS: Final = 0.6
FILES_PER_MISTAKE: Final = 0.15
# Distance (days) mistakes keep from a patient's first and last log.
AFTER_FIRST_DAYS: Final = 3
BEFORE_LAST_DAYS: Final = 21


def assign_typos(patients: Sequence[str], rng: np.random.Generator) -> Assignments:
    """Choose which patients' files get which mistake (at most a couple per file).

    The misspelled exercise appears once in the cohort; every other mistake in about 15 % of
    the patients, spread round-robin over a random 60 % of them.
    """
    if not patients:
        return {}
    chosen = max(1, math.ceil(SHARE_OF_PATIENTS * len(patients)))
    if len(patients) > 1:
        chosen = min(chosen, len(patients) - 1)
    assignments: Assignments = {}
    by_kind: dict[LogKind, tuple[str, ...]] = {"sessions": SESSION_MISTAKES, "pain": PAIN_MISTAKES}
    for kind, mistakes in by_kind.items():
        targets = list(rng.permutation(np.asarray(patients, dtype=object))[:chosen])
        slot = 0
        for mistake in mistakes:
            count = (
                1
                if mistake == "misspelled_exercise"
                else max(1, round(FILES_PER_MISTAKE * len(patients)))
            )
            assignments[(kind, mistake)] = [
                str(targets[(slot + i) % len(targets)]) for i in range(count)
            ]
            slot += count
    return assignments


def apply_typos(
    kind: LogKind,
    frame: pd.DataFrame,
    text: pd.DataFrame,
    assignments: Assignments,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Return the rendered ``text`` of ``frame`` with this kind's assigned mistakes applied."""
    free = _eligible(kind, frame)
    duplicates: list[int] = []
    for (mistake_kind, mistake), patients in assignments.items():
        if mistake_kind != kind:
            continue
        wanted = free & frame["patient_id"].isin(patients).to_numpy()
        if mistake == "misspelled_exercise":
            wanted &= (frame["exercise"] == MISSPELLED_ID).fillna(False).to_numpy()
        if mistake in ("pain_after_out_of_range", "decimal_comma"):
            column = "pain_after" if mistake == "pain_after_out_of_range" else "hold_seconds"
            wanted &= frame[column].notna().to_numpy()
        rows = _one_row_per_patient(wanted, frame["patient_id"].to_numpy(dtype=object), rng)
        free[rows] = False
        if mistake == "duplicate_row":
            duplicates.extend(rows)
        else:
            _spoil(text, frame, rows, mistake)
    if duplicates:
        repeats = np.ones(len(text), dtype=np.int64)
        repeats[duplicates] = 2
        text = text.iloc[np.repeat(np.arange(len(text)), repeats)].reset_index(drop=True)
    return text


def _eligible(kind: LogKind, frame: pd.DataFrame) -> np.ndarray:
    dates = frame["date"]
    by_patient = dates.groupby(frame["patient_id"])
    first = by_patient.transform("min")
    last = by_patient.transform("max")
    eligible = (dates >= first + timedelta(days=AFTER_FIRST_DAYS)) & (
        dates <= last - timedelta(days=BEFORE_LAST_DAYS)
    )
    if kind == "pain":
        entries = frame.groupby(["patient_id", "date"])["date"].transform("size")
        eligible &= entries >= 2
    return eligible.fillna(False).to_numpy(dtype=bool, copy=True)


def _one_row_per_patient(wanted: np.ndarray, patient: np.ndarray, rng: np.random.Generator) -> list[int]:
    positions = rng.permutation(np.flatnonzero(wanted))
    _, first = np.unique(patient[positions].astype(str), return_index=True)
    return sorted(int(p) for p in positions[first])


def _spoil(text: pd.DataFrame, frame: pd.DataFrame, rows: list[int], mistake: str) -> None:
    for row in rows:
        if mistake == "pain_after_out_of_range":
            text.at[row, "pain_after"] = "11"
        elif mistake == "pain_out_of_range":
            text.at[row, "pain"] = "11"
        elif mistake == "pain_missing":
            text.at[row, "pain"] = ""
        elif mistake == "misspelled_exercise":
            text.at[row, "exercise"] = MISSPELLING
        elif mistake == "decimal_comma":
            hold = float(frame["hold_seconds"].iloc[row])
            text.at[row, "hold_seconds"] = f"{max(hold - 3, 0):g},5"
        elif mistake == "impossible_date":
            text.at[row, "date"] = _impossible(pd.Timestamp(frame["date"].iloc[row]))


def _impossible(day: pd.Timestamp) -> str:
    """Return a date that looks right but does not exist, in the same year: 31 Sep, or 30 Feb."""
    if day.month in (4, 6, 9, 11):
        return f"{day.year}-{day.month:02d}-31"
    return f"{day.year}-02-30"
