"""Events on the pain chart (flare, relapse, severe pain ...): a shape each, and a label."""

from __future__ import annotations

from typing import Final

import altair as alt
import pandas as pd

from rehab.charts.axes import pain_y
from rehab.charts.labels import haloed_text
from rehab.charts.theme import DATE_FORMAT, VERMILLION

EVENT_SHAPES: Final = {
    "flare": "triangle-up",
    "relapse": "diamond",
    "severe": "square",
    "red_flag_symptom": "cross",
}
OTHER_EVENT_SHAPE: Final = "cross"
# The app marks flags by their code: the same kinds as above, one shape and name each.
KIND_ALIASES: Final = {"pain_flare": "flare", "severe_pain": "severe"}
EVENT_NAMES: Final = {"red_flag_symptom": "Red-flag symptom", "severe": "Severe pain"}
MAX_MARKER_ROWS: Final = 300
# Event labels are written beside their marker only while they cannot crowd each other.
MAX_LABELLED_MARKERS: Final = 12
EVENT_Y: Final = 9.4
# Labels of events in the last part of the period go left of the marker, inside the plot.
RIGHT_EDGE_SHARE: Final = 0.8
# A label needs about 6 px a character plus its 8 px gap from the marker; widths are judged
# on a narrow plot (a phone's column, the PDF) so labels never meet on any screen.
LABEL_CHAR_PX: Final = 6.0
LABEL_GAP_PX: Final = 14.0
NARROW_PLOT_PX: Final = 360.0
# Which labels are placed first when they compete for room: the most urgent kinds.
LABEL_PRIORITY: Final = {"red_flag_symptom": 0, "severe": 1, "flare": 2, "relapse": 3}


def event_name(kind: str) -> str:
    """Return the legend name of an event kind (``"red_flag_symptom"`` -> "Red-flag symptom")."""
    return EVENT_NAMES.get(kind, kind.replace("_", " ").strip().capitalize())


def marker_frame(markers: pd.DataFrame | None) -> pd.DataFrame:
    """Return the events to draw: ``date``, ``kind``, ``label``, ``event``, ``near_end``.

    Only the latest :data:`MAX_MARKER_ROWS` events are kept (a chart's row budget).
    """
    if markers is None or markers.empty:
        text = pd.Series(dtype="str")
        flags = pd.Series(dtype="bool")
        dates = pd.Series(dtype="datetime64[ns]")
        return pd.DataFrame(
            {
                "date": dates,
                "kind": text,
                "label": text,
                "event": text,
                "near_end": flags,
                "show_label": flags,
            }
        )
    frame = markers.loc[:, ["date", "kind", "label"]].sort_values("date").tail(MAX_MARKER_ROWS)
    kind = frame["kind"].astype(str).str.lower().replace(KIND_ALIASES)
    return frame.assign(kind=kind, event=kind.map(event_name), show_label=True).reset_index(drop=True)


def mark_near_end(events: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    """Set ``near_end`` on events in the last part of ``first``..``last`` (labels go left).

    Also set ``show_label``: a label is shown only when it covers no other marker and meets
    no label already placed; the most urgent kinds, then the latest days, are placed first.
    The others keep their shape and tooltip (the legend names the shape).
    """
    span = last - first
    near_end = (events["date"] > first + span * RIGHT_EDGE_SHARE).tolist()
    dates = events["date"].tolist()
    spans = []
    for day, left, label in zip(dates, near_end, events["label"].astype(str), strict=True):
        room = span * (len(label) * LABEL_CHAR_PX + LABEL_GAP_PX) / NARROW_PLOT_PX
        spans.append((day - room, day) if left else (day, day + room))
    urgency = [LABEL_PRIORITY.get(kind, len(LABEL_PRIORITY)) for kind in events["kind"]]
    shown = [False] * len(dates)
    placed: list[tuple[pd.Timestamp, pd.Timestamp]] = []
    for i in sorted(range(len(dates)), key=lambda j: (urgency[j], -j)):
        start, end = spans[i]
        covers = any(start <= day <= end for j, day in enumerate(dates) if j != i)
        meets = any(start <= other_end and other_start <= end for other_start, other_end in placed)
        if not covers and not meets:
            shown[i] = True
            placed.append((start, end))
    return events.assign(near_end=near_end, show_label=shown)


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
    right = base.transform_filter("datum.show_label && !datum.near_end").encode(text=alt.Text("label:N"))
    left = base.transform_filter("datum.show_label && datum.near_end").encode(text=alt.Text("label:N"))
    return [
        points,
        *haloed_text(right, align="left", dx=8, **text),
        *haloed_text(left, align="right", dx=-8, **text),
    ]
