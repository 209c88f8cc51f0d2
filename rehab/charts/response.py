"""Exercise response: pain before vs after each exercise; one that raises pain says "stop"."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import altair as alt
import pandas as pd

from rehab.analysis.text import short_date, signed
from rehab.charts.labels import cut_names
from rehab.charts.selection import exercise_pick
from rehab.charts.theme import (
    BLUE,
    DATE_FORMAT,
    FIT,
    FRAME_HEIGHT,
    GREY_MARK,
    PAIN_DOMAIN,
    PAIN_FORMAT,
    VERMILLION,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

STOP: Final = "Stop: raises pain"
NO_RISE: Final = "No rise in pain"
NO_DATA: Final = "No pain scores"
STATUS_BY_VERDICT: Final = {"stop": STOP, "ok": NO_RISE}
BEFORE: Final = "Before"
AFTER_HIGHER: Final = "After (higher)"
AFTER_LOWER: Final = "After (same or lower)"
MAX_RESPONSE_EXERCISES: Final = 40
ROW_HEIGHT: Final = 60


def _mean_scores(sessions: pd.DataFrame) -> pd.DataFrame:
    """Mean pain before and after per exercise, over sessions that scored both."""
    scored = sessions.loc[
        sessions["pain_before"].notna() & sessions["pain_after"].notna(),
        ["exercise", "pain_before", "pain_after"],
    ].astype({"exercise": "str", "pain_before": "float64", "pain_after": "float64"})
    return scored.groupby("exercise").agg(
        before=("pain_before", "mean"), after=("pain_after", "mean"), scored=("pain_before", "size")
    )


def _stopped(response: pd.DataFrame) -> pd.Series:
    """Exercises the patient should not do now: a "stop" verdict, or paused by the stop rule."""
    return response["verdict"].eq("stop") | response["paused_since"].notna()


def _shown_exercises(response: pd.DataFrame) -> pd.DataFrame:
    """Keep at most :data:`MAX_RESPONSE_EXERCISES`: every stopped one first, then the most used."""
    if len(response) <= MAX_RESPONSE_EXERCISES:
        return response
    priority = response.assign(_stop=~_stopped(response), _sessions=-response["sessions"])
    kept = priority.sort_values(["_stop", "_sessions"], kind="stable").head(MAX_RESPONSE_EXERCISES)
    return response.loc[sorted(kept.index)]


def _stop_label(evidence: str, paused_since: pd.Timestamp | None) -> str:
    """Why the exercise stops (the evidence that tripped the rule), and since when it is paused."""
    why = f" ({evidence})" if evidence else ""
    if paused_since is None or pd.isna(paused_since):
        return f"{STOP}{why}"
    # Short: with ": check with your therapist" (the subtitle and the card say it) the words
    # ran past a phone's column (458 px in 358), and rows are too close for two lines.
    return f"Paused since {short_date(paused_since.date())}{why}"


def _label(row: pd.Series) -> str:
    if row["status"] == NO_DATA:
        return "No pain scores logged yet"
    if row["status"] == STOP:
        return _stop_label(row["evidence"], row["paused_since"])
    # Times this exercise was rated before and after; a session is a round of the programme.
    rated = "rated once" if row["scored"] == 1 else f"rated {row['scored']} times"
    return f"{signed(float(row['change']))} on average ({rated})"


def response_frame(
    sessions: pd.DataFrame, response: pd.DataFrame, exercise_names: Mapping[str, str]
) -> pd.DataFrame:
    """Return one row per exercise of ``response`` with its mean pain before and after.

    Columns: ``exercise``, ``name``, ``verdict``, ``status``, ``before``, ``after``,
    ``change``, ``scored``, ``sessions``, ``last_session``, ``paused_since``, ``evidence``
    and ``label`` (the words drawn above the exercise's row). A stopped or paused exercise
    is labelled with the evidence that tripped the stop rule ("+2 on 17 Nov"), never with the
    all-time mean change.
    """
    shown = _shown_exercises(response.reset_index(drop=True))
    means = _mean_scores(sessions)
    columns = ["exercise", "verdict", "sessions", "last_session", "paused_since", "evidence"]
    frame = shown.loc[:, columns].astype({"exercise": "str"})
    frame["evidence"] = frame["evidence"].fillna("").astype(str)
    frame["stopped"] = _stopped(shown)
    frame = frame.join(means, on="exercise")
    names = shown["name"] if "name" in shown.columns else frame["exercise"]
    full = {e: str(exercise_names.get(e, n)) for e, n in zip(frame["exercise"], names, strict=True)}
    frame["full_name"] = frame["exercise"].map(full)
    # The row label is cut ("…"); the tooltip keeps the whole name.
    frame["name"] = frame["exercise"].map(cut_names(full))
    frame["scored"] = frame["scored"].fillna(0).astype("int64")
    has_scores = frame["scored"] > 0
    frame["status"] = frame["verdict"].map(STATUS_BY_VERDICT).where(has_scores, NO_DATA).fillna(NO_RISE)
    frame.loc[frame.pop("stopped").astype(bool), "status"] = STOP
    # The analysis' mean change is the authority; the means here are for drawing.
    mean_change = shown["mean_change"].astype("float64") if "mean_change" in shown else pd.Series()
    frame["change"] = mean_change.fillna(frame["after"] - frame["before"])
    frame["label"] = [_label(row) for _, row in frame.iterrows()]
    return frame.reset_index(drop=True)


def _point_frame(frame: pd.DataFrame) -> pd.DataFrame:
    scored = frame[frame["scored"] > 0]
    after_kind = scored["after"].gt(scored["before"]).map({True: AFTER_HIGHER, False: AFTER_LOWER})
    before = scored.assign(when=BEFORE, pain=scored["before"])
    after = scored.assign(when=after_kind, pain=scored["after"])
    columns = ["exercise", "name", "status", "when", "pain"]
    return pd.concat([before[columns], after[columns]], ignore_index=True)


def _pain_x(field: str) -> alt.X:
    return alt.X(
        f"{field}:Q",
        # Short: a longer title ran past a phone's column (390 px).
        title="Pain (0–10): mean before → after",
        scale=alt.Scale(domain=list(PAIN_DOMAIN), nice=False),
        axis=alt.Axis(values=list(range(11))),
    )


def _encodings(names: list[str]) -> tuple[alt.Y, alt.Color]:
    y = alt.Y(
        "name:N",
        title=None,
        sort=names,
        axis=alt.Axis(labelFontSize=13, labelFontWeight="bold", labelLimit=180, ticks=False),
    )
    colour = alt.Color(
        "status:N",
        title="Response",
        scale=alt.Scale(domain=[STOP, NO_RISE, NO_DATA], range=[VERMILLION, BLUE, GREY_MARK]),
    )
    return y, colour


def response_chart(
    sessions: pd.DataFrame,
    response: pd.DataFrame,
    exercise_names: Mapping[str, str],
    *,
    title: str = "How each exercise affects pain",
) -> alt.LayerChart:
    """Draw, per exercise, mean pain before and after it; a "stop" exercise stands out.

    Parameters
    ----------
    sessions
        Imported session rows (``exercise``, ``pain_before``, ``pain_after`` ...), any size:
        they are reduced to one mean per exercise before drawing.
    response
        The analysis' exercise response (one row per exercise, with ``verdict``).
    exercise_names
        Display name of each exercise id.
    title
        Chart title.

    Returns
    -------
    alt.LayerChart
        A dumbbell per exercise on a fixed 0-10 pain axis (circle = before, triangle =
        after, pointing the way pain moved). A "stop" exercise is vermillion and labelled
        "Stop: raises pain (+2 on 17 Nov)"; a paused one "Paused since 18 Nov (...)". Each row
        carries the ``exercise_pick`` point selection.
    """
    frame = response_frame(sessions, response, exercise_names)
    points = _point_frame(frame)
    names = frame["name"].tolist()
    y, colour = _encodings(names)
    scored = alt.Chart(frame).transform_filter("datum.scored > 0")
    rules = scored.mark_rule(strokeWidth=3).encode(
        y=y, x=_pain_x("before"), x2=alt.X2("after:Q"), color=colour
    )
    shape = alt.Shape(
        "when:N",
        title="Pain",
        scale=alt.Scale(
            domain=[BEFORE, AFTER_HIGHER, AFTER_LOWER],
            range=["circle", "triangle-right", "triangle-left"],
        ),
    )
    dots = (
        alt.Chart(points)
        .mark_point(filled=True, size=170, opacity=1)
        .encode(y=y, x=_pain_x("pain"), color=colour, shape=shape)
    )
    # Captions start at the left edge, above their row: they never run past the axis.
    label_base = alt.Chart(frame).encode(y=y, text=alt.Text("label:N"), color=colour)
    stop_labels = label_base.transform_filter(f"datum.status === '{STOP}'").mark_text(
        align="left", baseline="bottom", x=4, dy=-13, fontSize=13, fontWeight="bold"
    )
    other_labels = label_base.transform_filter(f"datum.status !== '{STOP}'").mark_text(
        align="left", baseline="bottom", x=4, dy=-13, fontSize=12
    )
    pick = exercise_pick()
    # On top and nearly transparent: the whole row is the click and hover target.
    rows = (
        alt.Chart(frame)
        .mark_rect(color=GREY_MARK)
        .encode(
            y=y,
            opacity=alt.when(pick, empty=False).then(alt.value(0.18)).otherwise(alt.value(0.01)),
            tooltip=[
                alt.Tooltip("full_name:N", title="Exercise"),
                alt.Tooltip("before:Q", title="Mean pain before", format=PAIN_FORMAT),
                alt.Tooltip("after:Q", title="Mean pain after", format=PAIN_FORMAT),
                alt.Tooltip("change:Q", title="Mean change", format="+.1f"),
                alt.Tooltip("evidence:N", title="Why stop"),
                alt.Tooltip("paused_since:T", title="Paused since", format=DATE_FORMAT),
                alt.Tooltip("scored:Q", title="Times with both scores", format="d"),
                alt.Tooltip("last_session:T", title="Last done", format=DATE_FORMAT),
                alt.Tooltip("status:N", title="Response"),
            ],
        )
        .add_params(pick)
    )
    # Two short lines: a title does not wrap, and a phone's column is about 350 px wide.
    subtitle = ["If an exercise raises your pain,", "stop it and check with your therapist."]
    return alt.LayerChart(
        layer=[rules, dots, stop_labels, other_labels, rows],
        title=alt.Title(title, subtitle=subtitle),
        height=max(len(frame), 1) * ROW_HEIGHT + FRAME_HEIGHT,
        autosize=FIT,
    )
