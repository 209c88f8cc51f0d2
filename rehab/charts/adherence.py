"""Adherence calendar: one cell per day, "no log" days never drawn as zero effort."""

from __future__ import annotations

from typing import Final

import altair as alt
import pandas as pd

from rehab.charts.daily import daily_target_total, paused_counts
from rehab.charts.limits import MAX_CHART_ROWS
from rehab.charts.theme import (
    ADHERENCE_RANGE,
    DATE_FORMAT,
    FIT,
    FRAME_HEIGHT,
    GREY_TEXT,
    NO_LOG_FILL,
    NO_LOG_STROKE,
    PERCENT_FORMAT,
    SHORT_DATE_FORMAT,
)

NO_LOG: Final = "No log"
NO_LOG_GLYPH: Final = "–"
# A day on which the stop rule paused every exercise has no target: paused, not missed.
ALL_PAUSED: Final = "All paused"
PAUSED_GLYPH: Final = "P"
MAINTENANCE_GLYPH: Final = "M"
WEEKDAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Beyond about two years a day grid is too fine to read: one cell per month instead.
DAY_GRID_MAX_DAYS: Final = 742
CELL_HEIGHT: Final = 26


def _day_cells(daily: pd.DataFrame) -> pd.DataFrame:
    dates = daily["date"]
    return pd.DataFrame(
        {
            "date": dates,
            "column": dates - pd.to_timedelta(dates.dt.day_of_week, unit="D"),
            "row": dates.dt.day_of_week.map(dict(enumerate(WEEKDAYS))),
            "adherence": daily["adherence"].astype("float64"),
            "sessions": daily["sessions"].astype("int64"),
            "target": daily_target_total(daily).astype("int64"),
            "days": 1,
            "days_logged": daily["has_log"].astype("int64"),
            "maintenance": daily["phase"].eq("maintenance"),
            "has_log": daily["has_log"].astype(bool),
            "all_paused": (daily_target_total(daily) == 0) & (paused_counts(daily) > 0),
        }
    )


def _month_cells(daily: pd.DataFrame) -> pd.DataFrame:
    month = daily["date"].dt.to_period("M").dt.start_time
    grouped = daily.assign(
        month=month,
        target_total=daily_target_total(daily),
        maintenance=daily["phase"].eq("maintenance"),
        has_log=daily["has_log"].astype(bool),
    ).groupby("month", as_index=False)
    cells = grouped.agg(
        adherence=("adherence", "mean"),
        sessions=("sessions", "sum"),
        target=("target_total", "sum"),
        days=("date", "size"),
        days_logged=("has_log", "sum"),
        maintenance_days=("maintenance", "sum"),
    )
    cells = cells.rename(columns={"month": "date"})
    return pd.DataFrame(
        {
            "date": cells["date"],
            "column": cells["date"].dt.month.map(dict(enumerate(MONTHS, start=1))),
            "row": cells["date"].dt.year.astype(str),
            "adherence": cells["adherence"],
            "sessions": cells["sessions"].astype("int64"),
            "target": cells["target"].astype("int64"),
            "days": cells["days"],
            "days_logged": cells["days_logged"].astype("int64"),
            # A month is marked M when most of its days were maintenance days.
            "maintenance": cells["maintenance_days"] * 2 > cells["days"],
            "has_log": cells["days_logged"] > 0,
            "all_paused": cells["target"] == 0,
        }
    ).tail(MAX_CHART_ROWS)


def calendar_cells(daily: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """Return one row per calendar cell and whether the cells are days (else months).

    Each cell has ``date`` (first day), ``column``/``row`` (grid position), ``adherence``,
    ``sessions``, ``target``, ``days``, ``days_logged``, ``maintenance``, ``has_log`` and
    ``sessions_text`` ("10 of 12"). Spans over :data:`DAY_GRID_MAX_DAYS` days become months.
    """
    by_day = len(daily) <= DAY_GRID_MAX_DAYS
    cells = _day_cells(daily) if by_day else _month_cells(daily)
    sessions_text = cells["sessions"].astype(str) + " of " + cells["target"].astype(str)
    phase = cells["maintenance"].map({True: "Maintenance", False: "Rehab"})
    return cells.assign(sessions_text=sessions_text, phase=phase).reset_index(drop=True), by_day


def _grid_encodings(by_day: bool) -> tuple[alt.X, alt.Y]:
    if by_day:
        x = alt.X(
            "yearmonthdate(column):O",
            title="Week starting (Monday)",
            axis=alt.Axis(format=SHORT_DATE_FORMAT, labelAngle=0, labelOverlap=True),
        )
        y = alt.Y("row:O", title=None, sort=list(WEEKDAYS))
    else:
        x = alt.X("column:O", title="Month", sort=list(MONTHS), axis=alt.Axis(labelAngle=0))
        y = alt.Y("row:O", title="Year")
    return x, y


def _tooltip(by_day: bool) -> list[alt.Tooltip]:
    date = alt.Tooltip("date:T", title="Date" if by_day else "Month", format=DATE_FORMAT)
    if not by_day:
        date = alt.Tooltip("date:T", title="Month", format="%B %Y")
    tooltip = [
        date,
        alt.Tooltip("adherence:Q", title="Adherence", format=PERCENT_FORMAT),
        alt.Tooltip("sessions_text:N", title="Exercises done (of the plan)"),
        alt.Tooltip("phase:N", title="Phase"),
    ]
    if not by_day:
        tooltip.append(alt.Tooltip("days_logged:Q", title="Days with a log", format="d"))
    return tooltip


def adherence_calendar(
    daily: pd.DataFrame, *, title: str = "Exercise adherence calendar"
) -> alt.LayerChart:
    """Draw a calendar of frequency adherence, with days without any log shown apart.

    Parameters
    ----------
    daily
        The analysis' daily frame (``date``, ``adherence``, ``has_log``, ``sessions``,
        ``target``, ``phase`` and the ``sessions_<exercise>`` columns).
    title
        Chart title.

    Returns
    -------
    alt.LayerChart
        Week columns by weekday rows (month columns by year rows beyond two years). Logged
        days are coloured by adherence; days with no log are light grey with a dashed
        outline, a dash and their own legend entry; maintenance days carry an "M".
    """
    cells, by_day = calendar_cells(daily)
    coloured = cells["has_log"] & ~cells["all_paused"]
    logged = cells[coloured]
    unlogged = cells[~coloured].assign(
        status=cells["all_paused"].map({True: ALL_PAUSED, False: NO_LOG}),
        glyph=cells["all_paused"].map({True: PAUSED_GLYPH, False: NO_LOG_GLYPH}),
    )
    x, y = _grid_encodings(by_day)
    tooltip = _tooltip(by_day)
    colour = alt.Color(
        "adherence:Q",
        title="Share of the day's plan done",
        scale=alt.Scale(domain=[0, 0.5, 1], range=list(ADHERENCE_RANGE)),
        legend=alt.Legend(format=PERCENT_FORMAT, gradientLength=160, values=[0, 0.5, 1]),
    )
    logged_base = alt.Chart(logged).encode(x=x, y=y, tooltip=tooltip)
    cells_layer = logged_base.mark_rect(stroke="white", strokeWidth=1.5).encode(color=colour)
    # Light text on the dark (more done) end of the scale, dark text on the pale end.
    marks_text = alt.condition("datum.adherence >= 0.5", alt.value("white"), alt.value("black"))
    maintenance_layer = (
        logged_base.transform_filter("datum.maintenance")
        .mark_text(text=MAINTENANCE_GLYPH, fontWeight="bold", fontSize=11)
        .encode(color=alt.ColorValue(**marks_text))
    )
    statuses = [NO_LOG, *([ALL_PAUSED] if unlogged["status"].eq(ALL_PAUSED).any() else [])]
    status = alt.Color(
        "status:N",
        title=None,
        scale=alt.Scale(domain=statuses, range=[NO_LOG_FILL] * len(statuses)),
        legend=alt.Legend(symbolType="square", symbolStrokeColor=NO_LOG_STROKE, symbolSize=180),
    )
    unlogged_base = alt.Chart(unlogged).encode(x=x, y=y, tooltip=[*tooltip, alt.Tooltip("status:N")])
    no_log_layer = unlogged_base.mark_rect(
        stroke=NO_LOG_STROKE, strokeDash=[3, 2], strokeWidth=1
    ).encode(color=status)
    no_log_text = unlogged_base.mark_text(color=GREY_TEXT, fontSize=13).encode(text=alt.Text("glyph:N"))
    # Short lines: a title does not wrap, and a phone's column is about 350 px wide.
    if by_day:
        subtitle = [
            "Darker green = more of the day's plan done.",
            f"{NO_LOG_GLYPH} = nothing logged that day (not counted as 0).",
            f"{MAINTENANCE_GLYPH} = maintenance (once a day).",
        ]
        if len(statuses) > 1:
            subtitle.append(f"{PAUSED_GLYPH} = every exercise paused (stop rule).")
    else:
        subtitle = [
            "Darker green = more of the plan done (monthly mean).",
            f"{NO_LOG_GLYPH} = nothing logged all month.",
            f"{MAINTENANCE_GLYPH} = mostly maintenance days.",
        ]
    rows = 7 if by_day else max(cells["row"].nunique(), 1)
    chart: alt.LayerChart = alt.LayerChart(
        layer=[cells_layer, maintenance_layer, no_log_layer, no_log_text],
        title=alt.Title(title, subtitle=subtitle),
        height=rows * CELL_HEIGHT + FRAME_HEIGHT,
        autosize=FIT,
    ).resolve_scale(color="independent")
    return chart
