"""What the charts read from the analysis' daily frame besides single columns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import pandas as pd

SESSIONS_PREFIX: Final = "sessions_"


def exercise_ids(daily: pd.DataFrame) -> list[str]:
    """Return the prescribed exercise ids, from the ``sessions_<id>`` columns, in order."""
    return [
        str(column).removeprefix(SESSIONS_PREFIX)
        for column in daily.columns
        if str(column).startswith(SESSIONS_PREFIX)
    ]


def daily_target_total(daily: pd.DataFrame) -> pd.Series:
    """Return each day's target of sessions over all prescribed exercises (3 x 4 = 12 ...)."""
    count = max(len(exercise_ids(daily)), 1)
    return daily["target"].astype("float64") * count
