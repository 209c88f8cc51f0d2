"""Keep what a chart sends to the browser small, whatever the size of the log.

Streamlit does not enforce Altair's row limit, so every chart pre-aggregates: a daily series
longer than its share of :data:`MAX_CHART_ROWS` is binned by week, month, quarter or year,
and :func:`count_chart_rows` measures what a chart actually carries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import pandas as pd

if TYPE_CHECKING:
    import altair as alt

MAX_CHART_ROWS: Final = 5000


@dataclass(frozen=True)
class TimeBin:
    """A calendar bin for a daily series: its pandas period alias and how to name it."""

    period: str
    unit: str
    tooltip_title: str
    approx_days: int

    @property
    def is_daily(self) -> bool:
        """True when each row is one calendar day (no aggregation)."""
        return self.unit == "day"


DAY: Final = TimeBin("D", "day", "Date", 1)
WEEK: Final = TimeBin("W-SUN", "week", "Week starting", 7)
# The shortest length of each bin, so that a span's bin count is never underestimated.
MONTH: Final = TimeBin("M", "month", "Month starting", 28)
QUARTER: Final = TimeBin("Q", "quarter", "Quarter starting", 90)
YEAR: Final = TimeBin("Y", "year", "Year starting", 365)
TIME_BINS: Final = (DAY, WEEK, MONTH, QUARTER, YEAR)


def choose_time_bin(first: pd.Timestamp, last: pd.Timestamp, max_bins: int) -> TimeBin:
    """Return the finest bin that splits ``first``..``last`` into at most ``max_bins`` bins.

    Parameters
    ----------
    first, last
        The first and last day of the series (inclusive).
    max_bins
        How many rows the series may have in the chart.

    Returns
    -------
    TimeBin
        Days when they fit, else weeks, months, quarters or years (pandas timestamps span
        under 600 years, so yearly bins always fit a budget of a few thousand rows).
    """
    span_days = (last - first).days + 1
    for time_bin in TIME_BINS:
        # +2: a span that starts and ends mid-bin touches a bin more at each end.
        bins = span_days if time_bin.is_daily else span_days // time_bin.approx_days + 2
        if bins <= max_bins:
            return time_bin
    return YEAR


def bin_start(dates: pd.Series, time_bin: TimeBin) -> pd.Series:
    """Return the first day of the bin each date falls in (the date itself for days)."""
    if time_bin.is_daily:
        return dates
    starts: pd.Series = dates.dt.to_period(time_bin.period).dt.start_time
    return starts


def bin_end(starts: pd.Series, time_bin: TimeBin) -> pd.Series:
    """Return the first day after each bin that starts at ``starts``."""
    if time_bin.is_daily:
        return starts + pd.Timedelta(days=1)
    ends: pd.Series = (starts.dt.to_period(time_bin.period) + 1).dt.start_time
    return ends


def count_chart_rows(chart: alt.TopLevelMixin | Mapping[str, Any]) -> int:
    """Count the data rows a chart carries: named datasets plus any inline ``values``.

    Parameters
    ----------
    chart
        An Altair chart, or the dictionary ``chart.to_dict()`` returned.

    Returns
    -------
    int
        Total rows over every dataset in the specification (what reaches the browser).
    """
    spec = chart if isinstance(chart, Mapping) else chart.to_dict()
    named = sum(len(rows) for rows in spec.get("datasets", {}).values())
    return named + _count_inline_values(spec)


def _count_inline_values(node: object) -> int:
    if isinstance(node, Mapping):
        total = 0
        data = node.get("data")
        if isinstance(data, Mapping) and isinstance(data.get("values"), list):
            total += len(data["values"])
        for key, value in node.items():
            # Rows are data, not specification: never walk into them.
            if key not in ("datasets", "values"):
                total += _count_inline_values(value)
        return total
    if isinstance(node, list):
        return sum(_count_inline_values(item) for item in node)
    return 0
