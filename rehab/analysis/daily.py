"""The daily grid: one row per patient and calendar day, from the first log to the as-of date.

All patients share one set of flat arrays; a patient's days are the contiguous slice
``offsets[p]:offsets[p + 1]``. Aggregations are ``np.bincount`` over row positions, so the cost
grows with the number of log rows, not with the number of patients.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from rehab.analysis.inputs import PreparedLogs


@dataclass(frozen=True)
class DayGrid:
    """Calendar days of every patient, laid end to end."""

    first_day: np.ndarray
    offsets: np.ndarray
    patient: np.ndarray
    day: np.ndarray

    @property
    def size(self) -> int:
        """Number of patient-days."""
        return len(self.day)

    def row(self, patient: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Grid position of each (patient, day) pair; days must lie inside the patient's range."""
        return np.asarray(self.offsets[patient] + (day - self.first_day[patient]), dtype=np.int64)

    def last_rows(self) -> np.ndarray:
        """Grid position of each patient's as-of day."""
        return np.asarray(self.offsets[1:] - 1, dtype=np.int64)

    def per_patient_sum(self, values: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        """Sum ``values`` over each patient's days (only where ``mask`` holds)."""
        weights = values if mask is None else np.where(mask, values, 0.0)
        return np.bincount(self.patient, weights=weights, minlength=len(self.first_day))

    def per_patient_count(self, mask: np.ndarray) -> np.ndarray:
        """Count each patient's days where ``mask`` holds."""
        return np.bincount(self.patient[mask], minlength=len(self.first_day))


def build_grid(logs: PreparedLogs) -> DayGrid:
    """Lay out each patient's days from their first log (session or pain) to the as-of date."""
    count = logs.patient_count
    first_day = np.full(count, logs.as_of_day, dtype=np.int64)
    for frame in (logs.sessions, logs.pain_log):
        np.minimum.at(first_day, frame["patient"].to_numpy(), frame["day"].to_numpy())
    lengths = logs.as_of_day - first_day + 1
    offsets = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    patient = np.repeat(np.arange(count, dtype=np.int64), lengths)
    day = np.arange(offsets[-1], dtype=np.int64) - offsets[patient] + first_day[patient]
    return DayGrid(first_day=first_day, offsets=offsets, patient=patient, day=day)


@dataclass(frozen=True)
class DailyPain:
    """Per grid row: the day's pain statistics (NaN where the day has no entry)."""

    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray
    entries: np.ndarray
    rolling: np.ndarray
    flare_tagged: np.ndarray

    @property
    def has_entry(self) -> np.ndarray:
        """Days with at least one pain entry."""
        return np.asarray(self.entries > 0)


def window_mean(grid: DayGrid, values: np.ndarray, present: np.ndarray, window: int) -> np.ndarray:
    """Mean of ``values`` over the ``window`` calendar days ending at each row (present days only).

    Windows never reach into another patient's days; NaN where no day in the window is present.
    Each window is summed from its own days (one shifted add per day of the window), never as
    a difference of running sums over the cohort: those carry the rounding of every patient
    before, so a patient's mean would depend on who else is analysed, in the last bits.
    """
    positions = np.arange(grid.size)
    days_into_patient = positions - grid.offsets[grid.patient]
    kept = np.where(present, values, 0.0)
    total = np.zeros(grid.size)
    days = np.zeros(grid.size, dtype=np.int64)
    for back in range(min(window, grid.size)):
        inside = days_into_patient >= back
        earlier = np.maximum(positions - back, 0)
        total += np.where(inside, kept[earlier], 0.0)
        days += inside & present[earlier]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(days > 0, total / np.maximum(days, 1), np.nan)


def daily_pain(grid: DayGrid, entries: pd.DataFrame, window: int) -> DailyPain:
    """Aggregate pain entries per day: mean (trends), min, max (pain-free), count, rolling mean."""
    rows = grid.row(entries["patient"].to_numpy(), entries["day"].to_numpy())
    pain = entries["pain"].to_numpy(dtype=np.float64)
    count = np.bincount(rows, minlength=grid.size)
    total = np.bincount(rows, weights=pain, minlength=grid.size)
    low = np.full(grid.size, np.inf)
    high = np.full(grid.size, -np.inf)
    np.minimum.at(low, rows, pain)
    np.maximum.at(high, rows, pain)
    present = count > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(present, total / np.maximum(count, 1), np.nan)
    flare = entries["flare"].fillna(False).to_numpy(dtype=bool)
    return DailyPain(
        mean=mean,
        low=np.where(present, low, np.nan),
        high=np.where(present, high, np.nan),
        entries=count,
        rolling=window_mean(grid, mean, present, window),
        flare_tagged=np.bincount(rows[flare], minlength=grid.size) > 0,
    )


def exercise_codes(logs: PreparedLogs, exercises: tuple[str, ...]) -> np.ndarray:
    """Position of each session's exercise among ``exercises``; -1 for any other exercise."""
    lookup = pd.Index(list(exercises)).get_indexer(pd.Index(logs.exercise_names, dtype=object))
    codes = logs.sessions["exercise_code"].to_numpy()
    return np.asarray(lookup[codes], dtype=np.int64) if len(lookup) else np.full(len(codes), -1)


def session_counts(
    grid: DayGrid, sessions: pd.DataFrame, exercise_code: np.ndarray, exercise_count: int
) -> tuple[np.ndarray, np.ndarray]:
    """Rows logged per day: in total, and per prescribed exercise (grid size x exercises)."""
    rows = grid.row(sessions["patient"].to_numpy(), sessions["day"].to_numpy())
    total = np.bincount(rows, minlength=grid.size)
    known = exercise_code >= 0
    cells = rows[known] * exercise_count + exercise_code[known]
    per_exercise = np.bincount(cells, minlength=grid.size * exercise_count)
    return total, per_exercise.reshape(grid.size, exercise_count)


def logged_days(grid: DayGrid, logs: PreparedLogs) -> np.ndarray:
    """Days with any log at all (a session row or a pain-log row)."""
    has_log = np.zeros(grid.size, dtype=bool)
    for frame in (logs.sessions, logs.pain_log):
        has_log[grid.row(frame["patient"].to_numpy(), frame["day"].to_numpy())] = True
    return has_log


def run_lengths(grid: DayGrid, condition: np.ndarray) -> np.ndarray:
    """Consecutive days, ending at each row, on which ``condition`` held (within a patient)."""
    positions = np.arange(grid.size)
    breaks = np.where(condition, grid.offsets[grid.patient] - 1, positions)
    return np.asarray(positions - np.maximum.accumulate(breaks), dtype=np.int64)
