from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rehab.charts import EXERCISE_PICK, MAX_CHART_ROWS, count_chart_rows, response_chart
from rehab.charts.response import MAX_RESPONSE_EXERCISES
from rehab.charts.theme import VERMILLION
from rehab.schema import coerce_frame
from tests.charts.chart_frames import EXERCISES, NAMES, all_params, find, spec, title_text, tooltips


def sessions_frame():
    rows = [
        # back_extension: before 4, 6 -> after 3, 4 (the third row has no after score).
        ("back_extension", 4.0, 3.0),
        ("back_extension", 6.0, 4.0),
        ("back_extension", 5.0, None),
        # hip_rolls raises pain: 3 -> 5, 4 -> 6.
        ("hip_rolls", 3.0, 5.0),
        ("hip_rolls", 4.0, 6.0),
        ("cat_stretch", 2.0, 2.0),
        ("core", None, None),
    ]
    frame = pd.DataFrame(rows, columns=["exercise", "pain_before", "pain_after"])
    return coerce_frame("sessions", frame.assign(date="2026-09-01"))


def response_frame(
    verdicts=("ok", "ok", "stop", "no data"),
    mean_change=(np.nan,) * 4,
    evidence=("", "", "+2 on 1 Sep", ""),
    paused_since=(None,) * 4,
):
    return pd.DataFrame(
        {
            "exercise": list(EXERCISES),
            "name": [NAMES[e] for e in EXERCISES],
            "sessions": [3, 1, 2, 1],
            "sessions_with_pain": [2, 1, 2, 0],
            "mean_change": list(mean_change),
            "last_change": [np.nan] * 4,
            "last_session": pd.to_datetime(["2026-09-01"] * 4),
            "verdict": list(verdicts),
            "sessions_this_week": [3, 1, 2, 1],
            "paused_since": pd.to_datetime(list(paused_since)),
            "evidence": list(evidence),
        }
    )


def response_spec(**kwargs):
    return spec(response_chart(sessions_frame(), response_frame(**kwargs), NAMES, title="Response"))


def row_targets(top):
    return next((u, rows) for u, rows in find(top, "rect"))


def test_the_stop_exercise_says_stop_in_vermillion_and_bold():
    top = response_spec()
    [(unit, rows)] = find(top, "text", fontWeight="bold")
    assert "datum.status === 'Stop: raises pain'" in [s.get("filter") for s in unit["transform"]]
    stop = [row for row in rows if row["status"] == "Stop: raises pain"]
    assert [(row["exercise"], row["label"]) for row in stop] == [
        ("hip_rolls", "Stop: raises pain (+2 on 1 Sep)")
    ]
    colour = unit["encoding"]["color"]["scale"]
    assert colour["range"][colour["domain"].index("Stop: raises pain")] == VERMILLION
    assert [row["exercise"] for row in rows if "Stop" in row["label"]] == ["hip_rolls"]


def test_mean_pain_before_and_after_use_sessions_that_scored_both():
    top = response_spec()
    _, rows = row_targets(top)
    by_id = {row["exercise"]: row for row in rows}
    assert (by_id["back_extension"]["before"], by_id["back_extension"]["after"]) == (5.0, 3.5)
    assert by_id["back_extension"]["scored"] == 2
    assert by_id["back_extension"]["label"] == "−1.5 on average (rated 2 times)"
    assert by_id["core"]["before"] is None
    assert by_id["core"]["label"] == "No pain scores logged yet"


def test_the_analysis_mean_change_is_the_one_shown():
    top = response_spec(mean_change=(-1.25, 0.0, 2.5, np.nan))
    _, rows = row_targets(top)
    assert {row["exercise"]: row["change"] for row in rows}["hip_rolls"] == 2.5


def test_before_and_after_points_have_shapes_pointing_the_way_pain_moved():
    top = response_spec()
    [(unit, rows)] = find(top, "point")
    shapes = {(row["exercise"], row["when"]) for row in rows}
    assert ("hip_rolls", "After (higher)") in shapes
    assert ("back_extension", "After (same or lower)") in shapes
    assert ("back_extension", "Before") in shapes
    assert unit["encoding"]["shape"]["scale"]["range"] == ["circle", "triangle-right", "triangle-left"]


def test_the_pain_axis_is_fixed_from_0_to_10_and_typed():
    top = response_spec()
    [(unit, _)] = find(top, "point")
    x = unit["encoding"]["x"]
    assert (x["type"], x["scale"]["domain"]) == ("quantitative", [0.0, 10.0])
    assert x["title"].startswith("Pain (0–10)")
    assert unit["encoding"]["y"]["type"] == "nominal"
    assert unit["encoding"]["y"]["sort"] == [NAMES[e] for e in EXERCISES]
    assert title_text(top) == "Response"


def test_each_row_is_a_click_target_with_the_exercise_pick_selection_and_a_tooltip():
    top = response_spec()
    params = [p for p in all_params(top) if p["name"] == EXERCISE_PICK]
    assert [p["select"] for p in params] == [{"type": "point", "fields": ["exercise"]}]
    unit, rows = row_targets(top)
    # Altair lifts a layer's selection to the top and names the views that carry it.
    assert params[0]["views"] == [unit["name"]]
    assert {row["exercise"] for row in rows} == set(EXERCISES)
    formats = {tip["field"]: tip.get("format") for tip in tooltips(unit)}
    assert formats["before"] == formats["after"] == ".1f"
    assert formats["last_session"] == "%-d %b %Y"


def test_a_million_sessions_reduce_to_a_few_rows():
    n = 1_000_000
    rng = np.random.default_rng(0)
    sessions = pd.DataFrame(
        {
            "exercise": pd.array(rng.choice(list(EXERCISES), n), dtype="string"),
            "pain_before": pd.array(rng.integers(0, 11, n).astype(float), dtype="Float64"),
            "pain_after": pd.array(rng.integers(0, 11, n).astype(float), dtype="Float64"),
        }
    )
    chart = response_chart(sessions, response_frame(), NAMES)
    assert count_chart_rows(chart) <= 4 * 4
    _, rows = row_targets(spec(chart))
    assert sum(row["scored"] for row in rows) == n


def test_many_exercises_are_capped_keeping_every_stop():
    count = MAX_RESPONSE_EXERCISES + 10
    ids = [f"exercise_{i}" for i in range(count)]
    response = pd.DataFrame(
        {
            "exercise": ids,
            "name": ids,
            "sessions": list(range(count)),
            "mean_change": np.nan,
            "last_session": pd.Timestamp("2026-09-01"),
            "verdict": ["stop" if i == 0 else "ok" for i in range(count)],
            "paused_since": [pd.Timestamp("2026-09-02") if i == 1 else pd.NaT for i in range(count)],
            "evidence": ["+2 on 1 Sep" if i < 2 else "" for i in range(count)],
        }
    )
    sessions = coerce_frame(
        "sessions",
        pd.DataFrame({"exercise": ids, "date": "2026-09-01", "pain_before": 3.0, "pain_after": 3.0}),
    )
    chart = response_chart(sessions, response, {})
    assert count_chart_rows(chart) <= MAX_CHART_ROWS
    _, rows = row_targets(spec(chart))
    shown = [row["exercise"] for row in rows]
    assert len(shown) == MAX_RESPONSE_EXERCISES
    assert shown[:2] == ["exercise_0", "exercise_1"]  # stop and paused, despite few sessions
    assert "exercise_2" not in shown
    assert shown[-1] == f"exercise_{count - 1}"


@pytest.mark.parametrize("verdict", ["ok", "no data"])
def test_no_stop_text_without_a_stop_verdict(verdict):
    top = response_spec(verdicts=("ok", "ok", verdict, "no data"))
    labels = [row["label"] for _, rows in find(top, "text") for row in rows]
    assert not [label for label in labels if "Stop" in label]


def test_a_stop_shows_the_evidence_not_a_negative_all_time_mean():
    # Issue 9 item 2: "Stop: raises pain (+-0.2 on average...)" showed the all-time mean (which
    # was negative) under a "raises pain" label with a hard-coded "+".
    top = response_spec(
        mean_change=(np.nan, np.nan, -0.2, np.nan), evidence=("", "", "+1 in 2 of the last 3", "")
    )
    labels = {row["exercise"]: row["label"] for _, rows in find(top, "text") for row in rows}
    assert labels["hip_rolls"] == "Stop: raises pain (+1 in 2 of the last 3)"
    assert not [label for label in labels.values() if "+-" in label or "+\N{MINUS SIGN}" in label]


def test_a_paused_exercise_is_marked_with_its_day_even_without_a_stop_verdict():
    top = response_spec(
        verdicts=("ok", "ok", "ok", "no data"),
        evidence=("", "", "+2 on 1 Sep", ""),
        paused_since=(None, None, "2026-09-02", None),
    )
    [(_unit, rows)] = find(top, "text", fontWeight="bold")
    labels = {row["exercise"]: row["label"] for row in rows if row["status"] == "Stop: raises pain"}
    assert labels == {"hip_rolls": "Paused since 2 Sep (+2 on 1 Sep)"}
    tips = {tip["field"] for _, rows in find(top, "rect") for tip in tooltips(_)}
    assert {"evidence", "paused_since"} <= tips


def test_a_negative_mean_uses_a_real_minus_sign():
    top = response_spec(mean_change=(-0.2, np.nan, np.nan, np.nan))
    labels = {row["exercise"]: row["label"] for _, rows in find(top, "text") for row in rows}
    assert labels["back_extension"] == "\N{MINUS SIGN}0.2 on average (rated 2 times)"


def test_long_exercise_names_are_cut_on_the_axis_and_whole_in_the_tooltip():
    long_name = "Side-lying hip roll with a towel under the waist, both directions"
    names = {**NAMES, "hip_rolls": long_name}
    top = spec(response_chart(sessions_frame(), response_frame(), names, title="Response"))
    unit, rows = row_targets(top)
    by_id = {row["exercise"]: row for row in rows}
    assert by_id["hip_rolls"]["name"] == "Side-lying hip roll with a …"[:27].rstrip() + "…"
    assert len(by_id["hip_rolls"]["name"]) <= 28
    assert by_id["hip_rolls"]["full_name"] == long_name
    assert by_id["core"]["name"] == "Core"
    assert "full_name" in {tip["field"] for tip in tooltips(unit)}


def test_the_average_label_counts_times_rated_not_sessions():
    # Issue 9 item 4: a session is a round of the programme; these are times one exercise was rated.
    top = response_spec()
    _, rows = row_targets(top)
    labels = {row["exercise"]: row["label"] for row in rows}
    # No change reads "0", not "+0.0" (issue 9 item 16: signs formatted properly).
    assert labels["cat_stretch"] == "0 on average (rated once)"
    assert all("session" not in label for label in labels.values())
