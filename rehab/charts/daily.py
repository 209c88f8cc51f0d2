"""What the charts read from the analysis' daily frame besides single columns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import pandas as pd

SESSIONS_PREFIX: Final = "sessions_"
# How many prescribed exercises the stop rule has paused that day (absent: none).
PAUSED_COLUMN: Final = "paused_exercises"


def exercise_ids(daily: pd.DataFrame) -> list[str]:
    """Return the prescribed exercise ids, from the ``sessions_<id>`` columns, in order."""
    return [
        str(column).removeprefix(SESSIONS_PREFIX)
        for column in daily.columns
        if str(column).startswith(SESSIONS_PREFIX)
    ]


def paused_counts(daily: pd.DataFrame) -> pd.Series:
    """Return how many exercises are paused each day (0 when the frame does not say)."""
    if PAUSED_COLUMN not in daily.columns:
        return daily["target"].astype("float64") * 0
    return daily[PAUSED_COLUMN].fillna(0).astype("float64")


def daily_target_total(daily: pd.DataFrame) -> pd.Series:
    """Return each day's target over the prescribed exercises not paused (3 x 4 = 12 ...).

    A paused exercise leaves the target (the stop rule): with one of four paused, a rehab
    day's target is 3 x 3 = 9, and a day on which every exercise is paused has none.
    """
    count = max(len(exercise_ids(daily)), 1)
    active = (count - paused_counts(daily)).clip(lower=0)
    return daily["target"].astype("float64") * active
