"""Questionnaire scores over time: one small chart per measure, each on its own fixed scale.

ODI 0-100 %, RMDQ 0-24, PSFS 0-10, STarT Back 0-9 (with its risk bands named on the chart),
pain 0-10. Every panel marks the first response (a diamond, and the legend says so), writes
each score beside its point (text as well as colour), and shades the band around the first
score inside which a change is smaller than the one that matters (the measure's MCID).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import altair as alt
import pandas as pd

from rehab.charts.labels import haloed_text
from rehab.charts.limits import MAX_CHART_ROWS
from rehab.charts.theme import BLUE, DATE_FORMAT, FIT, SHORT_DATE_FORMAT
from rehab.measures import MEASURES

if TYPE_CHECKING:
    from collections.abc import Mapping

FIRST: Final = "First response"
LATER: Final = "Later response"
# Total height: title (two lines), two legend rows and the axis leave the plot about 170 px.
MEASURE_CHART_HEIGHT: Final = 340
BAND_GREY: Final = "#D9D9D9"
STEADY: Final = "Change smaller than the one that matters"
# Band words as STarT Back names its groups.
START_BACK_BANDS: Final = {"low": "low risk", "medium": "medium risk", "high": "high risk"}


def low_risk(low_max: float) -> str:
    """Name the STarT Back low-risk band in the legend: "Low risk (total 0-3)"."""
    return f"Low risk (total 0-{low_max:g})"


def _scale(measure: str, scores: pd.Series) -> tuple[float, float]:
    spec = MEASURES.get(measure)
    if spec is not None:
        return float(spec.score_min), float(spec.score_max)
    return 0.0, float(max(scores.max(), 1.0))


def _label(measure: str, score: float, band: str) -> str:
    text = f"{round(score, 1):g}"
    if measure == "odi":
        text += "%"
    if measure == "start_back" and band:
        text += f" {band}"
    return text


def measure_points(rows: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Return the scored responses of one measure as the chart draws them.

    Columns: ``date``, ``score``, ``band`` (in words), ``complete`` ("complete" or
    "incomplete"), ``version``, ``point`` (:data:`FIRST` or :data:`LATER`) and ``label`` (the
    score as written beside its point). At most :data:`MAX_CHART_ROWS` rows: the latest.
    """
    chosen = rows[(rows["measure"] == measure) & rows["score"].notna()].sort_values(
        "date", kind="stable"
    )
    chosen = chosen.tail(MAX_CHART_ROWS)
    bands = chosen["band"].fillna("").astype(str)
    frame = pd.DataFrame(
        {
            "date": chosen["date"].to_numpy(),
            "score": chosen["score"].astype(float).to_numpy(),
            "band": [START_BACK_BANDS.get(b, b) for b in bands],
            "complete": ["complete" if c else "incomplete" for c in chosen["complete"]],
            "version": chosen["version"].fillna("").astype(str).to_numpy(),
        }
    )
    frame["point"] = [FIRST if i == 0 else LATER for i in range(len(frame))]
    frame["label"] = [_label(measure, s, b) for s, b in zip(frame["score"], bands, strict=True)]
    return frame


def _shade(low: float, high: float, name: str, domain: tuple[float, float]) -> alt.Chart:
    """Shade a band of scores across the plot, named in the legend (not in the plot)."""
    frame = pd.DataFrame({"low": [max(low, domain[0])], "high": [min(high, domain[1])], "shade": [name]})
    shade: alt.Chart = (
        alt.Chart(frame)
        .mark_rect(opacity=0.6)
        .encode(
            y=alt.Y("low:Q"),
            y2=alt.Y2("high:Q"),
            color=alt.Color(
                "shade:N",
                scale=alt.Scale(domain=[name], range=[BAND_GREY]),
                legend=alt.Legend(title=None, orient="bottom", symbolType="square"),
            ),
        )
    )
    return shade


def measure_chart(
    rows: pd.DataFrame,
    measure: str,
    *,
    band: tuple[float, float] | None = None,
    start_back_low_max: float | None = None,
) -> alt.LayerChart:
    """Draw one measure of one patient over time.

    Parameters
    ----------
    rows
        The patient's measures rows (the importer's measures frame); other measures and
        unscored responses are left out.
    measure
        The measure to draw (an id of :data:`rehab.measures.MEASURES`).
    band
        Low and high score of the no-meaningful-change band around the first score
        (shaded), or ``None`` for no band.
    start_back_low_max
        For STarT Back: the highest total of the low-risk group, drawn as a dashed line
        with both groups named.

    Returns
    -------
    alt.LayerChart
        Points (a diamond for the first response), a line, each score written beside its
        point, on the measure's fixed scale, titled with the measure's name.
    """
    data = measure_points(rows, measure)
    spec = MEASURES.get(measure)
    domain = _scale(measure, data["score"])
    name = spec.title if spec is not None else measure
    short = spec.short if spec is not None else measure
    unit = " (%)" if spec is not None and spec.unit == "%" else ""
    direction = f"{spec.better} is better" if spec is not None else ""
    if measure == "start_back":  # a screen, not an outcome: its score is a risk
        direction = "higher means a higher risk of slow recovery"
    scale = alt.Scale(domain=list(domain), nice=False, zero=False)
    y = alt.Y("score:Q", scale=scale, title=f"{short}{unit}")
    x = alt.X(
        "date:T",
        title=None,
        # Room left and right of the first and last points for the scores written over them.
        scale=alt.Scale(padding=28),
        axis=alt.Axis(format=SHORT_DATE_FORMAT, labelOverlap=True, tickCount=5),
    )
    tooltip = [
        alt.Tooltip("date:T", title="Date", format=DATE_FORMAT),
        alt.Tooltip("score:Q", title=short, format=".1f"),
        alt.Tooltip("point:N", title="Response"),
        alt.Tooltip("complete:N", title="Form"),
    ]
    if measure == "start_back":
        tooltip.insert(2, alt.Tooltip("band:N", title="Risk group"))
    base = alt.Chart(data).encode(x=x, y=y)
    line = base.mark_line(color=BLUE, strokeWidth=2)
    points = base.mark_point(filled=True, size=90, color=BLUE, opacity=1).encode(
        shape=alt.Shape(
            "point:N",
            scale=alt.Scale(domain=[FIRST, LATER], range=["diamond", "circle"]),
            legend=alt.Legend(title=None, orient="bottom"),
        ),
        tooltip=tooltip,
    )
    labels = haloed_text(base.encode(text=alt.Text("label:N")), dy=-12, fontSize=11, fontWeight="bold")
    layers: list[alt.Chart | alt.LayerChart] = []
    if band is not None:
        layers.append(_shade(band[0], band[1], STEADY, domain))
    if measure == "start_back" and start_back_low_max is not None:
        layers.append(_shade(domain[0], start_back_low_max + 0.5, low_risk(start_back_low_max), domain))
    layers += [line, points, *labels]
    chart = alt.LayerChart(layer=layers).properties(
        title=alt.Title(name, subtitle=f"{domain[0]:g}-{domain[1]:g}{unit.strip(' ()')}, {direction}"),
        height=MEASURE_CHART_HEIGHT,
        width="container",
        autosize=FIT,
    )
    return chart


def measure_charts(
    rows: pd.DataFrame,
    bands: Mapping[str, tuple[float, float] | None],
    *,
    start_back_low_max: float | None = None,
) -> dict[str, alt.LayerChart]:
    """Return one chart per measure with a scored response, keyed by measure, in ``bands`` order.

    ``bands`` gives each measure to draw and its no-meaningful-change band (see
    :func:`measure_chart`).
    """
    scored = set(rows.loc[rows["score"].notna(), "measure"].astype(str))
    return {
        measure: measure_chart(rows, measure, band=band, start_back_low_max=start_back_low_max)
        for measure, band in bands.items()
        if measure in scored
    }
