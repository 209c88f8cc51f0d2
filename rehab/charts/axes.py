"""The shared axes: dates labelled to suit the span shown, and the fixed 0-10 pain scale."""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt

from rehab.charts.theme import PAIN_DOMAIN, SHORT_DATE_FORMAT

if TYPE_CHECKING:
    import pandas as pd


def date_label_format(dates: pd.Series) -> str:
    """Return a d3 time format for axis labels: days for short spans, months, then years."""
    if dates.empty:
        return SHORT_DATE_FORMAT
    span_days = (dates.max() - dates.min()).days
    if span_days <= 180:
        return SHORT_DATE_FORMAT
    if span_days <= 3 * 366:
        return "%b %Y"
    return "%Y"


def time_axis(field: str, dates: pd.Series, title: str | None = "Date") -> alt.X:
    """Return a temporal x encoding of ``field`` labelled to suit the span of ``dates``."""
    span_days = (dates.max() - dates.min()).days if not dates.empty else 0
    # Weekly ticks on short spans: the default adds a tick at each month start that crowds them.
    ticks = {"interval": "week", "step": 1 if span_days <= 90 else 2} if span_days <= 180 else None
    return alt.X(
        f"{field}:T",
        title=title,
        axis=alt.Axis(
            format=date_label_format(dates),
            labelOverlap=True,
            labelSeparation=8,  # drop a label rather than let two dates touch
            grid=False,
            tickCount=ticks if ticks is not None else alt.Undefined,
        ),
    )


def pain_y(field: str, title: str | None = "Pain (0–10)") -> alt.Y:
    """Return a y encoding on the fixed 0-10 pain scale."""
    return alt.Y(
        f"{field}:Q",
        title=title,
        scale=alt.Scale(domain=list(PAIN_DOMAIN), nice=False, clamp=True),
        # Every even tick, even on a short chart: the scale is read against them.
        axis=alt.Axis(values=[0, 2, 4, 6, 8, 10], labelOverlap=False),
    )
