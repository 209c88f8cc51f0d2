"""Sessions per day by exercise, against the day's target (which steps down at maintenance)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import altair as alt
import pandas as pd

from rehab.charts.axes import time_axis
from rehab.charts.daily import SESSIONS_PREFIX, daily_target_total, exercise_ids, paused_counts
from rehab.charts.labels import cut_names
from rehab.charts.limits import MAX_CHART_ROWS, TimeBin, bin_end, bin_start, choose_time_bin
from rehab.charts.selection import exercise_pick
from rehab.charts.theme import BLACK, DATE_FORMAT, DEFAULT_HEIGHT, EXERCISE_PALETTE, FIT, GREY_MARK
from rehab.wording import plural

if TYPE_CHECKING:
    from collections.abc import Mapping

OTHER_ID: Final = "other"
OTHER_NAME: Final = "Other (not prescribed)"
PAUSED_NAME: Final = "Paused (stop rule): not missed"
PAUSED_FILL: Final = "#E4E4E4"
MAX_TARGET_LABELS: Final = 6
# Beyond this many bars they get too thin to read: bin by week, month ... instead.
MAX_BARS: Final = 400


def _binned_days(daily: pd.DataFrame, ids: list[str], budget_rows: int) -> tuple[pd.DataFrame, TimeBin]:
    """Per bin: ``start``, ``end``, mean sessions per day per exercise, mean target, phase."""
    frame = pd.DataFrame({"date": daily["date"], "target_total": daily_target_total(daily)})
    for exercise in ids:
        frame[exercise] = daily[SESSIONS_PREFIX + exercise].astype("float64")
    prescribed = frame[ids].sum(axis=1) if ids else 0.0
    frame[OTHER_ID] = (daily["sessions"].astype("float64") - prescribed).clip(lower=0)
    frame["target_each"] = daily["target"].astype("float64")
    frame["paused"] = paused_counts(daily)
    # The plan without pauses: the paused part is drawn as paused, never as missed.
    frame["full_total"] = frame["target_each"] * max(len(ids), 1)
    if frame.empty:
        return frame.assign(start=frame["date"], end=frame["date"]), choose_time_bin(
            pd.Timestamp(0), pd.Timestamp(0), 1
        )
    # Every bin may need one bar segment per exercise, plus the target line's point.
    time_bin = choose_time_bin(frame["date"].min(), frame["date"].max(), budget_rows // (len(ids) + 2))
    if time_bin.is_daily:
        half_day = pd.Timedelta(hours=12)
        return frame.assign(start=frame["date"] - half_day, end=frame["date"] + half_day), time_bin
    frame["date"] = bin_start(frame["date"], time_bin)
    binned = frame.groupby("date", as_index=False).mean()
    return binned.assign(start=binned["date"], end=bin_end(binned["date"], time_bin)), time_bin


def _bar_frame(days: pd.DataFrame, ids: list[str], names: Mapping[str, str]) -> pd.DataFrame:
    long = days.melt(
        id_vars=["date", "start", "end", "target_each", "paused", "full_total"],
        value_vars=[*ids, OTHER_ID],
        var_name="exercise",
        value_name="sessions",
    )
    # A zero draws nothing in a stack: leaving it out keeps the chart small.
    long = long[long["sessions"] > 0]
    order = {exercise: position for position, exercise in enumerate([*ids, OTHER_ID])}
    all_names = {**{e: names.get(e, e) for e in ids}, OTHER_ID: OTHER_NAME}
    return long.assign(
        name=long["exercise"].map(cut_names(all_names)),
        full_name=long["exercise"].map(all_names),
        stack_order=long["exercise"].map(order),
    ).reset_index(drop=True)


def _target_frames(days: pd.DataFrame, count: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    # Step-after from each bar's left edge, closed by one point at the last bar's right edge,
    # so the line spans exactly the bars it is the target for.
    line = pd.concat(
        [
            pd.DataFrame({"edge": days["start"], "target_total": days["target_total"]}),
            pd.DataFrame({"edge": days["end"].tail(1), "target_total": days["target_total"].tail(1)}),
        ],
        ignore_index=True,
    )
    rounded = days["target_total"].round()
    first_of_run = rounded.ne(rounded.shift())
    # A bin that mixes phases has a fractional mean target: label only the phases' own values.
    whole = days["target_each"].sub(days["target_each"].round()).abs().lt(0.01)
    starts = days.loc[first_of_run & whole, ["start", "target_total", "target_each"]].tail(
        MAX_TARGET_LABELS
    )
    # Short enough to fit after the last phase change even on a phone; the subtitle says
    # what the number is made of.
    labels = starts.assign(
        label=[
            f"Plan {total:.0f} ({each:.0f} × {round(total / each) if each else count})"
            for total, each in zip(starts["target_total"], starts["target_each"], strict=True)
        ]
    )
    return line, labels.reset_index(drop=True)


def _paused_layer(days: pd.DataFrame, time_bin: TimeBin) -> alt.Chart:
    """Shade the part of the plan the stop rule paused, from the plan down to what is left."""
    columns = ["date", "start", "end", "target_total", "full_total", "paused"]
    paused = days.loc[days["paused"] > 0, columns]
    fill = alt.Fill(
        "status:N",
        title=None,
        scale=alt.Scale(domain=[PAUSED_NAME], range=[PAUSED_FILL]),
        legend=alt.Legend(symbolType="square", symbolStrokeColor=GREY_MARK),
    )
    layer: alt.Chart = (
        alt.Chart(paused)
        .transform_calculate(status=f"'{PAUSED_NAME}'")
        .mark_rect(stroke=GREY_MARK, strokeDash=[2, 2], strokeWidth=1, xOffset=1, x2Offset=-1)
        .encode(
            x=alt.X("start:T"),
            x2=alt.X2("end:T"),
            y=alt.Y("target_total:Q"),
            y2=alt.Y2("full_total:Q"),
            fill=fill,
            tooltip=[
                alt.Tooltip("date:T", title=time_bin.tooltip_title, format=DATE_FORMAT),
                alt.Tooltip("paused:Q", title="Exercises paused (stop rule)", format=".0f"),
            ],
        )
    )
    return layer


def sessions_chart(
    daily: pd.DataFrame,
    exercise_names: Mapping[str, str],
    *,
    title: str = "Exercises done per day against the plan",
) -> alt.LayerChart:
    """Draw stacked sessions per day by exercise, with the day's target as a step line.

    Parameters
    ----------
    daily
        The analysis' daily frame (``date``, ``sessions``, ``sessions_<exercise>``,
        ``target``).
    exercise_names
        Display name of each exercise id (ids without a name are shown as the id).
    title
        Chart title.

    Returns
    -------
    alt.LayerChart
        Bars carry the point selection ``exercise_pick`` on the ``exercise`` field (the
        library id), so the app can open that exercise's card. The target is the sum over
        prescribed exercises (3 each in rehab, 1 in maintenance), labelled where it changes.
    """
    ids = exercise_ids(daily)
    budget = min(MAX_CHART_ROWS - MAX_TARGET_LABELS, MAX_BARS * (len(ids) + 2))
    days, time_bin = _binned_days(daily, ids, budget)
    bars = _bar_frame(days, ids, exercise_names)
    target_line, target_labels = _target_frames(days, max(len(ids), 1))
    per_day = "Exercises a day" if time_bin.is_daily else f"Exercises a day ({time_bin.unit}ly mean)"
    count_format = "d" if time_bin.is_daily else ".1f"
    # "Other" joins the legend only when some logged exercise is not prescribed.
    has_other = bool(bars["exercise"].eq(OTHER_ID).any())
    shown = cut_names({**{e: exercise_names.get(e, e) for e in ids}, OTHER_ID: OTHER_NAME})
    names_in_order = [shown[e] for e in ids] + ([shown[OTHER_ID]] if has_other else [])
    palette = [*EXERCISE_PALETTE[: len(ids)], *([GREY_MARK] if has_other else [])]
    colours = palette if len(ids) <= len(EXERCISE_PALETTE) else None
    pick = exercise_pick()
    bar_layer = (
        alt.Chart(bars)
        .mark_bar(xOffset=1, x2Offset=-1)
        .encode(
            x=time_axis("start", days["date"]),
            x2=alt.X2("end:T"),
            y=alt.Y("sum(sessions):Q", title=per_day, stack="zero"),
            color=alt.Color(
                "name:N",
                title="Exercise",
                scale=alt.Scale(domain=names_in_order, range=colours) if colours else alt.Undefined,
                sort=names_in_order,
                # Two columns: five names in a row do not fit a phone or a laptop's column.
                legend=alt.Legend(columns=2, symbolType="square"),
            ),
            order=alt.Order("stack_order:Q"),
            opacity=alt.OpacityValue(**alt.condition(pick, alt.value(1.0), alt.value(0.3))),
            tooltip=[
                alt.Tooltip("date:T", title=time_bin.tooltip_title, format=DATE_FORMAT),
                alt.Tooltip("full_name:N", title="Exercise"),
                alt.Tooltip("sessions:Q", title="Times done", format=count_format),
                alt.Tooltip("target_each:Q", title="Planned (sessions a day)", format=count_format),
            ],
        )
        .add_params(pick)
    )
    line_layer = (
        alt.Chart(target_line)
        .mark_line(interpolate="step-after", color=BLACK, strokeDash=[6, 3], strokeWidth=2)
        .encode(
            x=alt.X("edge:T"),
            y=alt.Y("target_total:Q"),
            tooltip=[alt.Tooltip("target_total:Q", title="Plan, all exercises", format=".0f")],
        )
    )
    # Only when something was paused: an empty layer would still put "Paused" in the legend.
    paused_layers = [_paused_layer(days, time_bin)] if bool(days["paused"].gt(0).any()) else []
    label_layer = (
        alt.Chart(target_labels)
        .mark_text(align="left", baseline="bottom", dx=4, dy=-4, color=BLACK, fontWeight="bold")
        .encode(x=alt.X("start:T"), y=alt.Y("target_total:Q"), text=alt.Text("label:N"))
    )
    count = max(len(ids), 1)
    subtitle = [
        "Each bar stacks the exercises done that day."
        if time_bin.is_daily
        else f"Each bar: the {time_bin.unit}'s mean exercises done a day.",
        f"Dashed line: the plan, sessions a day × {plural(count, 'exercise')}.",
    ]
    return alt.LayerChart(
        layer=[*paused_layers, bar_layer, line_layer, label_layer],
        title=alt.Title(title, subtitle=subtitle),
        height=DEFAULT_HEIGHT,
        autosize=FIT,
    )
