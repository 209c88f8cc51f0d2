"""Events on the pain chart (flare, relapse, severe pain ...): a shape each, and a label."""

from __future__ import annotations

from typing import Final

import altair as alt
import pandas as pd

from rehab.charts.axes import pain_y
from rehab.charts.labels import haloed_text
from rehab.charts.theme import DATE_FORMAT, VERMILLION

EVENT_SHAPES: Final = {"flare": "triangle-up", "relapse": "diamond", "severe": "square"}
OTHER_EVENT_SHAPE: Final = "cross"
MAX_MARKER_ROWS: Final = 300
# Event labels are written beside their marker only while they cannot crowd each other.
MAX_LABELLED_MARKERS: Final = 12
EVENT_Y: Final = 9.4
# Labels of events in the last part of the period go left of the marker, inside the plot.
RIGHT_EDGE_SHARE: Final = 0.8


def event_name(kind: str) -> str:
    """Return the legend name of an event kind (``"red_flag_symptom"`` -> "Red flag symptom")."""
    return kind.replace("_", " ").strip().capitalize()


def marker_frame(markers: pd.DataFrame | None) -> pd.DataFrame:
    """Return the events to draw: ``date``, ``kind``, ``label``, ``event``, ``near_end``.

    Only the latest :data:`MAX_MARKER_ROWS` events are kept (a chart's row budget).
    """
    if markers is None or markers.empty:
        text = pd.Series(dtype="str")
        flags = pd.Series(dtype="bool")
        dates = pd.Series(dtype="datetime64[ns]")
        return pd.DataFrame(
            {"date": dates, "kind": text, "label": text, "event": text, "near_end": flags}
        )
    frame = markers.loc[:, ["date", "kind", "label"]].sort_values("date").tail(MAX_MARKER_ROWS)
    kind = frame["kind"].astype(str).str.lower()
    return frame.assign(kind=kind, event=kind.map(event_name)).reset_index(drop=True)


def mark_near_end(events: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    """Set ``near_end`` on events in the last part of ``first``..``last`` (labels go left)."""
    cut = first + (last - first) * RIGHT_EDGE_SHARE
    return events.assign(near_end=events["date"] > cut)


def event_layers(events: pd.DataFrame, x: alt.X) -> list[alt.Chart]:
    """Return the layers drawing ``events`` (from :func:`marker_frame`) near the top of the chart."""
    kinds = sorted(events["kind"].unique())
    # The shape carries the kind (and the legend); one warning colour marks them all as events.
    shape = alt.Shape(
        "event:N",
        title="Event",
        scale=alt.Scale(
            domain=[event_name(k) for k in kinds],
            range=[EVENT_SHAPES.get(k, OTHER_EVENT_SHAPE) for k in kinds],
        ),
    )
    tooltip = [
        alt.Tooltip("date:T", title="Date", format=DATE_FORMAT),
        alt.Tooltip("label:N", title="Event"),
    ]
    # The shared title: an explicit None here drops the merged pain axis title of the chart.
    base = alt.Chart(events).transform_calculate(y=str(EVENT_Y)).encode(x=x, y=pain_y("y"))
    points = base.mark_point(filled=True, size=110, opacity=1, color=VERMILLION).encode(
        shape=shape, tooltip=tooltip
    )
    if len(events) > MAX_LABELLED_MARKERS:
        return [points]
    text = {"baseline": "middle", "fontSize": 11, "color": VERMILLION}
    right = base.transform_filter("!datum.near_end").encode(text="label:N")
    left = base.transform_filter("datum.near_end").encode(text="label:N")
    return [
        points,
        *haloed_text(right, align="left", dx=8, **text),
        *haloed_text(left, align="right", dx=-8, **text),
    ]
