"""Pain over time: daily range and mean, rolling mean, baseline, MCID, phases, events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import altair as alt
import pandas as pd

from rehab.charts.axes import pain_y, time_axis
from rehab.charts.events import MAX_LABELLED_MARKERS, event_layers, mark_near_end, marker_frame
from rehab.charts.labels import haloed_text
from rehab.charts.limits import MAX_CHART_ROWS, TimeBin, bin_start, choose_time_bin
from rehab.charts.phases import PhaseLike, phase_frame
from rehab.charts.theme import (
    BLACK,
    BLUE,
    BLUISH_GREEN,
    DATE_FORMAT,
    FIT,
    GREY_TEXT,
    MAINTENANCE_SHADE,
    PAIN_DOMAIN,
    PAIN_FORMAT,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

SERIES_ROLLING: Final = "7-day average"
BIN_ADJECTIVES: Final = {
    "day": "Daily",
    "week": "Weekly",
    "month": "Monthly",
    "quarter": "Quarterly",
    "year": "Yearly",
}
# A lighter blue of the same hue as the mean, so range and mean read as one measurement.
RANGE_BLUE: Final = "#8DB8DA"
REFERENCE_COLOURS: Final = {"baseline": GREY_TEXT, "mcid": BLUISH_GREEN}
# About one point per pixel pair on a laptop: more would only blur into a band.
MAX_SERIES_POINTS: Final = 800
# Streamlit fits title and legends inside the height: leave the plot itself room for 0-10.
PAIN_CHART_HEIGHT: Final = 420
# Pixels right of the plot taken by "Baseline 10.0" (bold, 11 px) and its 4 px gap, plus air.
REFERENCE_LABEL_ROOM: Final = 100
PAIN_COLUMNS: Final = ("pain_mean", "pain_min", "pain_max", "pain_entries", "pain_rolling7")


def pain_series(daily: pd.DataFrame, max_rows: int) -> tuple[pd.DataFrame, TimeBin]:
    """Return the pain columns of ``daily``, binned when there are more than ``max_rows`` days.

    Days (or bins) without a pain entry keep NaN: they are absent from the chart, never 0.
    """
    frame = daily.loc[:, ["date", *PAIN_COLUMNS]]
    if frame.empty:
        return frame, choose_time_bin(pd.Timestamp(0), pd.Timestamp(0), max_rows)
    time_bin = choose_time_bin(frame["date"].min(), frame["date"].max(), max_rows)
    if time_bin.is_daily:
        return frame.reset_index(drop=True), time_bin
    binned = frame.assign(date=bin_start(frame["date"], time_bin)).groupby("date", as_index=False)
    series = binned.agg(
        pain_mean=("pain_mean", "mean"),
        pain_min=("pain_min", "min"),
        pain_max=("pain_max", "max"),
        pain_entries=("pain_entries", "sum"),
        pain_rolling7=("pain_rolling7", "mean"),
    )
    return series, time_bin


def series_names(time_bin: TimeBin) -> tuple[str, str, str]:
    """Return the legend names of the mean, the range and the rolling mean for ``time_bin``."""
    adjective = BIN_ADJECTIVES[time_bin.unit]
    return f"{adjective} mean", f"{adjective} low–high", SERIES_ROLLING


def _series_colour(names: tuple[str, str, str]) -> alt.Color:
    # One field and one explicit scale in every layer: the three layers share one legend.
    return alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=list(names), range=[BLUE, RANGE_BLUE, BLACK]),
        legend=alt.Legend(symbolType="stroke", symbolStrokeWidth=4),
    )


def _pain_layers(series: pd.DataFrame, time_bin: TimeBin, x: alt.X) -> list[alt.Chart]:
    date_tip = alt.Tooltip("date:T", title=time_bin.tooltip_title, format=DATE_FORMAT)
    tooltip = [
        date_tip,
        alt.Tooltip("pain_mean:Q", title="Mean pain", format=PAIN_FORMAT),
        alt.Tooltip("pain_min:Q", title="Lowest", format=PAIN_FORMAT),
        alt.Tooltip("pain_max:Q", title="Highest", format=PAIN_FORMAT),
        alt.Tooltip("pain_entries:Q", title="Pain entries", format="d"),
        alt.Tooltip("pain_rolling7:Q", title="7-day mean", format=PAIN_FORMAT),
    ]
    has_entry = "isValid(datum.pain_mean)"
    names = series_names(time_bin)
    mean_name, range_name, rolling_name = names
    colour = _series_colour(names)
    base = alt.Chart(series)
    value_range = (
        base.mark_rule(strokeWidth=3)
        .transform_filter(has_entry)
        .transform_calculate(series=f"'{range_name}'")
        .encode(x=x, y=pain_y("pain_min"), y2=alt.Y2("pain_max:Q"), color=colour)
    )
    # Nulls break the line (Vega-Lite's default for invalid values) instead of joining gaps.
    rolling = (
        base.mark_line(strokeWidth=2.5)
        .transform_calculate(series=f"'{rolling_name}'")
        .encode(
            x=x,
            y=pain_y("pain_rolling7"),
            color=colour,
            tooltip=[date_tip, tooltip[-1]],
        )
    )
    mean = (
        base.mark_point(filled=True, size=40, shape="circle")
        .transform_filter(has_entry)
        .transform_calculate(series=f"'{mean_name}'")
        .encode(x=x, y=pain_y("pain_mean"), color=colour, tooltip=tooltip)
    )
    return [value_range, rolling, mean]


def _phase_layers(phases: pd.DataFrame, x_start: alt.X) -> list[alt.Chart]:
    # Named above the plot, so no legend; a neutral shade marks maintenance, rehab is blank:
    # the colours stay free for what they mean in the neighbouring charts.
    fill = alt.Fill(
        "phase_name:N",
        scale=alt.Scale(domain=["Rehab", "Maintenance"], range=["white", MAINTENANCE_SHADE]),
        legend=None,
    )
    tooltip = [
        alt.Tooltip("label:N", title="Phase"),
        alt.Tooltip("first_day:T", title="From", format=DATE_FORMAT),
        alt.Tooltip("last_day:T", title="To", format=DATE_FORMAT),
        alt.Tooltip("days:Q", title="Days", format="d"),
    ]
    base = alt.Chart(phases).transform_calculate(
        phase_name="datum.phase === 'maintenance' ? 'Maintenance' : 'Rehab'"
    )
    shade = base.mark_rect(opacity=0.18).encode(
        x=x_start, x2=alt.X2("end:T"), fill=fill, tooltip=tooltip
    )
    # Labels sit just above the plot, at the start of each phase long enough to hold one.
    labels = (
        base.transform_filter("datum.show_label")
        .mark_text(align="left", baseline="bottom", dx=3, dy=-3, color=GREY_TEXT, fontWeight="bold")
        .encode(x=x_start, y=alt.YDatum(PAIN_DOMAIN[1]), text=alt.Text("label:N"))
    )
    return [shade, labels]


def _reference_frame(baseline: float | None, mcid_points: float) -> pd.DataFrame:
    rows = []
    if baseline is not None and pd.notna(baseline):
        rows.append({"line": "baseline", "y": baseline, "label": f"Baseline {baseline:.1f}"})
        target = baseline - mcid_points
        if target >= PAIN_DOMAIN[0]:
            # A meaningful improvement (the MCID, named in the rules behind the chart).
            rows.append({"line": "mcid", "y": target, "label": f"Goal {target:.1f}"})
    return pd.DataFrame(rows, columns=["line", "y", "label"])


def reference_rows(baseline: float | None, mcid_points: float) -> dict[str, pd.DataFrame]:
    """Return each reference line drawn (``baseline``, ``mcid``) and its one-row frame."""
    references = _reference_frame(baseline, mcid_points)
    rows = {line: references[references["line"] == line] for line in REFERENCE_COLOURS}
    return {line: frame for line, frame in rows.items() if not frame.empty}


def pain_free_band(pain_free_max: float) -> pd.DataFrame:
    """Return the one-row frame of the shaded pain-free band."""
    return pd.DataFrame(
        {"low": [PAIN_DOMAIN[0]], "high": [pain_free_max], "label": [f"Pain-free (0–{pain_free_max:g})"]}
    )


def _reference_layers(
    band: pd.DataFrame, references: dict[str, pd.DataFrame]
) -> tuple[list[alt.Chart], list[alt.Chart]]:
    """Return the pain-free band and reference lines, and their labels (drawn over the data)."""
    band_label = (
        alt.Chart(band)
        .encode(
            y=alt.Y("mid:Q", scale=alt.Scale(domain=list(PAIN_DOMAIN), nice=False)),
            text=alt.Text("label:N"),
        )
        .transform_calculate(mid="(datum.low + datum.high) / 2")
    )
    shapes = [
        alt.Chart(band)
        .mark_rect(color=BLUISH_GREEN, opacity=0.16)
        .encode(y=pain_y("low"), y2=alt.Y2("high:Q"))
    ]
    labels = haloed_text(
        band_label, align="left", baseline="middle", x=6, color=BLUISH_GREEN, fontWeight="bold"
    )
    for line, colour in REFERENCE_COLOURS.items():
        if line not in references:
            continue
        base = alt.Chart(references[line]).encode(y=pain_y("y"))
        shapes.append(
            base.mark_rule(strokeDash=[6, 4], strokeWidth=1.5, color=colour).encode(
                tooltip=[alt.Tooltip("label:N", title="Line")]
            )
        )
        # Right of the plot, beside the axis it reads against: never on the data.
        labels.append(
            base.encode(text=alt.Text("label:N")).mark_text(
                align="left", baseline="middle", x="width", dx=4, fontWeight="bold", color=colour
            )
        )
    return shapes, labels


def legends_beside(chart: alt.LayerChart, font_size: int = 11) -> alt.LayerChart:
    """Put ``chart``'s legends right of the plot, clear of the baseline and goal labels.

    The labels sit right of the plot (never on the data), where a right-hand legend would
    start: Vega places legends by the plot and its axes, not by text drawn outside it. The
    offset leaves room for the longest label ("Baseline 10.0") before the first legend.
    """
    configured: alt.LayerChart = chart.configure_legend(
        orient="right",
        direction="vertical",
        labelFontSize=font_size,
        titleFontSize=font_size,
        rowPadding=2,
        offset=REFERENCE_LABEL_ROOM,
    )
    return configured


def pain_chart(
    daily: pd.DataFrame,
    phases: Sequence[PhaseLike],
    *,
    baseline: float | None,
    mcid_points: float = 2.0,
    pain_free_max: float = 1.0,
    markers: pd.DataFrame | None = None,
    title: str = "Pain over time",
) -> alt.LayerChart:
    """Draw daily pain against the baseline, the goal (MCID) line, the pain-free band and phases.

    Parameters
    ----------
    daily
        The analysis' daily frame (``date`` and the ``pain_*`` columns).
    phases
        The patient's phases, shaded and labelled.
    baseline
        Baseline pain, drawn as a dashed line; ``None`` when unknown (no line, no MCID).
    mcid_points
        The clinically meaningful improvement; its line sits this far below the baseline.
    pain_free_max
        Top of the shaded pain-free band.
    markers
        Optional events (``date``, ``kind`` such as "flare"/"relapse"/"severe", ``label``)
        drawn as shapes with their label.
    title
        Chart title.

    Returns
    -------
    alt.LayerChart
        Pain on a fixed 0-10 axis; days without a pain entry are absent, never 0.
    """
    return pain_chart_of(
        pain_chart_parts(
            daily,
            phases,
            baseline=baseline,
            mcid_points=mcid_points,
            pain_free_max=pain_free_max,
            markers=markers,
        ),
        title,
    )


@dataclass(frozen=True)
class PainChartParts:
    """What a pain chart draws: its frames (drawn as data) and the choices made from them.

    :func:`pain_chart_of` reads the frames only as data to draw; everything else it decides
    comes from :meth:`shape`, so two patients of one shape differ only in the data sets.
    """

    series: pd.DataFrame
    time_bin: TimeBin
    x: alt.X
    x_start: alt.X
    phases: pd.DataFrame
    band: pd.DataFrame
    references: dict[str, pd.DataFrame]
    events: pd.DataFrame

    def frames(self) -> dict[str, pd.DataFrame]:
        """Return each frame the chart draws, by role."""
        drawn = {"phases": self.phases, "band": self.band, "series": self.series}
        drawn.update({f"line:{line}": rows for line, rows in self.references.items()})
        if not self.events.empty:
            drawn["events"] = self.events
        return drawn

    def shape(self) -> tuple[object, ...]:
        """Return everything besides the frames' values that the chart depends on."""
        kinds = tuple(sorted(self.events["kind"].unique())) if not self.events.empty else ()
        return (
            self.time_bin,
            repr(self.x.to_dict()),
            repr(self.x_start.to_dict()),
            tuple(self.references),
            self.events.empty,
            len(self.events) > MAX_LABELLED_MARKERS,
            kinds,
        )


def pain_chart_parts(
    daily: pd.DataFrame,
    phases: Sequence[PhaseLike],
    *,
    baseline: float | None,
    mcid_points: float = 2.0,
    pain_free_max: float = 1.0,
    markers: pd.DataFrame | None = None,
) -> PainChartParts:
    """Return the frames and choices of :func:`pain_chart` (same parameters)."""
    events = marker_frame(markers)
    phase_rows = phase_frame(phases, daily["date"].max() if not daily.empty else pd.Timestamp.now())
    reserved = len(events) + len(phase_rows) + 3
    series, time_bin = pain_series(daily, min(MAX_SERIES_POINTS, MAX_CHART_ROWS - reserved))
    if not series.empty:
        events = mark_near_end(events, series["date"].min(), series["date"].max())
    span_days = (phase_rows["days"].sum() or 1) if not phase_rows.empty else 1
    phase_rows["show_label"] = phase_rows["days"] >= max(4, span_days // 12)
    return PainChartParts(
        series=series,
        time_bin=time_bin,
        x=time_axis("date", series["date"]),
        x_start=time_axis("start", series["date"]),
        phases=phase_rows,
        band=pain_free_band(pain_free_max),
        references=reference_rows(baseline, mcid_points),
        events=events,
    )


def pain_chart_of(parts: PainChartParts, title: str = "Pain over time") -> alt.LayerChart:
    """Return the pain chart of ``parts`` (:func:`pain_chart_parts`), titled ``title``."""
    reference_shapes, reference_labels = _reference_layers(parts.band, parts.references)
    layers = [
        *_phase_layers(parts.phases, parts.x_start),
        *reference_shapes,
        *_pain_layers(parts.series, parts.time_bin, parts.x),
        *reference_labels,
    ]
    if not parts.events.empty:
        layers.extend(event_layers(parts.events, parts.x))
    # Short lines: a title does not wrap, and a phone's column is about 350 px wide.
    subtitle = ["0 = no pain, 10 = worst imaginable.", "Days without a pain entry are left blank."]
    if not parts.time_bin.is_daily:
        subtitle.append(f"Long period: one point per {parts.time_bin.unit}.")
    return alt.LayerChart(
        layer=[*layers],
        title=alt.Title(title, subtitle=subtitle),
        height=PAIN_CHART_HEIGHT,
        autosize=FIT,
    )
