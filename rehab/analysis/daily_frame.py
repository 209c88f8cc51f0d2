"""The daily series as a DataFrame: what charts draw, one row per patient-day."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from rehab.analysis.daily import DailyPain, DayGrid, run_lengths

if TYPE_CHECKING:
    from rehab.analysis.adherence import DailyAdherence
    from rehab.analysis.pain import FlareDays

# Columns of PatientAnalysis.daily; ``sessions_<exercise id>`` columns follow ``sessions``, one
# per prescribed exercise (see :func:`daily_columns`).
DAILY_COLUMNS = (
    "date",
    "pain_mean",
    "pain_min",
    "pain_max",
    "pain_entries",
    "pain_rolling7",
    "pain_free",
    "pain_free_run",
    "has_log",
    "sessions",
    "phase",
    "target",
    "paused_exercises",
    "adherence",
    "dose",
    "flare_tagged",
    "pain_flare",
)


def daily_columns(exercises: tuple[str, ...]) -> tuple[str, ...]:
    """All daily columns for a prescription of ``exercises``, in order."""
    split = DAILY_COLUMNS.index("sessions") + 1
    per_exercise = tuple(f"sessions_{exercise}" for exercise in exercises)
    return DAILY_COLUMNS[:split] + per_exercise + DAILY_COLUMNS[split:]


@dataclass(frozen=True)
class DailyParts:
    """The cohort-wide per-day arrays the frame is made of."""

    grid: DayGrid
    pain: DailyPain
    pain_free: np.ndarray
    has_log: np.ndarray
    sessions: np.ndarray
    exercise_sessions: np.ndarray
    maintenance: np.ndarray
    adherence: DailyAdherence
    dose: np.ndarray
    flares: FlareDays


def daily_frame(parts: DailyParts, exercises: tuple[str, ...]) -> pd.DataFrame:
    """Build the daily frame of all patients (rows in grid order).

    ``adherence`` is NOT missing on days without a log: it is 0, and ``has_log`` is False so
    a chart can show "no log" apart from a logged day with nothing done. It is missing (NaN)
    only on a day whose every exercise is paused (``paused_exercises`` counts them): that day
    has no target.
    """
    return pd.DataFrame(
        {
            "date": parts.grid.day.astype("datetime64[D]").astype("datetime64[ns]"),
            "pain_mean": parts.pain.mean,
            "pain_min": parts.pain.low,
            "pain_max": parts.pain.high,
            "pain_entries": parts.pain.entries,
            "pain_rolling7": parts.pain.rolling,
            "pain_free": parts.pain_free,
            "pain_free_run": run_lengths(parts.grid, parts.pain_free),
            "has_log": parts.has_log,
            "sessions": parts.sessions,
            **{
                f"sessions_{exercise}": parts.exercise_sessions[:, index]
                for index, exercise in enumerate(exercises)
            },
            "phase": np.where(parts.maintenance, "maintenance", "rehab"),
            "target": parts.adherence.target,
            "paused_exercises": parts.adherence.active.shape[1] - parts.adherence.active_count,
            "adherence": parts.adherence.frequency,
            "dose": parts.dose,
            "flare_tagged": parts.pain.flare_tagged,
            "pain_flare": parts.flares.risen,
        },
        columns=list(daily_columns(exercises)),
    )
