from __future__ import annotations

import pytest

from rehab.charts import EXERCISE_PICK, MAX_CHART_ROWS, count_chart_rows, sessions_chart
from tests.charts.chart_frames import (
    NAMES,
    all_params,
    daily_frame,
    find,
    long_daily_frame,
    spec,
    title_text,
)

PER_EXERCISE = [3, 2, 0, 1, 2]


def sessions_spec():
    daily = daily_frame([4.0] * 5, maintenance_from=3, sessions=PER_EXERCISE)
    daily.loc[1, "sessions"] += 2  # two sessions of an exercise that is not prescribed
    return spec(sessions_chart(daily, NAMES, title="Sessions"))


def bars(top):
    [(unit, rows)] = find(top, "bar")
    return unit, rows


def test_the_exercise_pick_selection_is_on_the_exercise_id():
    top = sessions_spec()
    params = [p for p in all_params(top) if p["name"] == EXERCISE_PICK]
    assert len(params) == 1
    assert params[0]["select"] == {"type": "point", "fields": ["exercise"]}
    unit, _ = bars(top)
    assert params[0]["views"] == [unit["name"]]
    assert unit["encoding"]["opacity"]["condition"]["param"] == EXERCISE_PICK


def test_the_target_line_steps_from_12_in_rehab_to_4_in_maintenance():
    top = sessions_spec()
    [(line, rows)] = find(top, "line")
    assert line["mark"]["interpolate"] == "step-after"
    assert [row["target_total"] for row in rows] == [12.0, 12.0, 12.0, 4.0, 4.0, 4.0]
    # The step sits at the edge between the last rehab day and the first maintenance day.
    assert rows[3]["edge"].startswith("2026-09-03T12:00")
    labels = [row["label"] for _, r in find(top, "text") for row in r]
    assert labels == ["Plan 12 (3 × 4)", "Plan 4 (1 × 4)"]


def test_bars_stack_each_exercise_and_other_sessions_without_zero_rows():
    unit, rows = bars(sessions_spec())
    day_one = sorted(
        (row["name"], row["sessions"]) for row in rows if row["date"].startswith("2026-09-02")
    )
    assert day_one == [
        ("Back Extension", 2.0),
        ("Cat Stretch", 2.0),
        ("Core", 2.0),
        ("Hip Rolls", 2.0),
        ("Other (not prescribed)", 2.0),
    ]
    assert not [row for row in rows if row["date"].startswith("2026-09-03")]
    assert {row["exercise"] for row in rows} == {*NAMES, "other"}
    assert unit["encoding"]["y"]["stack"] == "zero"
    assert unit["encoding"]["order"]["field"] == "stack_order"


def test_encodings_are_typed_titled_and_coloured_by_name():
    top = sessions_spec()
    unit, _ = bars(top)
    encoding = unit["encoding"]
    assert title_text(top) == "Sessions"
    assert (encoding["x"]["type"], encoding["x2"]["field"]) == ("temporal", "end")
    assert (encoding["y"]["type"], encoding["y"]["title"]) == ("quantitative", "Exercises a day")
    assert encoding["color"]["type"] == "nominal"
    assert encoding["color"]["scale"]["domain"] == [*NAMES.values(), "Other (not prescribed)"]
    assert "#D55E00" not in encoding["color"]["scale"]["range"]  # vermillion means "stop"


def test_other_sessions_join_the_legend_only_when_logged():
    daily = daily_frame([4.0] * 3, sessions=[1, 1, 1])
    unit, _ = bars(spec(sessions_chart(daily, NAMES)))
    assert unit["encoding"]["color"]["scale"]["domain"] == list(NAMES.values())


def test_tooltips_give_the_date_exercise_and_counts():
    unit, _ = bars(sessions_spec())
    formats = {tip["field"]: tip.get("format") for tip in unit["encoding"]["tooltip"]}
    assert formats == {"date": "%-d %b %Y", "full_name": None, "sessions": "d", "target_each": "d"}


def test_twenty_years_are_binned_under_the_row_limit_with_mean_sessions_per_day():
    daily = long_daily_frame(20)
    chart = sessions_chart(daily, NAMES)
    assert count_chart_rows(chart) <= MAX_CHART_ROWS
    top = spec(chart)
    unit, rows = bars(top)
    assert "monthly mean" in unit["encoding"]["y"]["title"]
    first_month = [row for row in rows if row["date"].startswith("2026-09-01")]
    # September 2026: 30 days of sessions cycling 0, 1, 2, 3 -> mean 1.5 per exercise per day.
    means = [row["sessions"] for row in first_month if row["exercise"] != "other"]
    assert means == pytest.approx([sum(i % 4 for i in range(30)) / 30] * 4)


def test_paused_days_are_drawn_as_paused_not_missed():
    # Hip Rolls paused from day 2 (the stop rule): the plan drops to 3 x 3 = 9 and the
    # paused part shows as paused, so the bars reach the plan on a day all else was done.
    daily = daily_frame([4.0] * 4, sessions=[3, 3, 3, 3])
    daily["paused_exercises"] = [0, 0, 1, 1]
    daily.loc[2:, "sessions_hip_rolls"] = 0
    daily.loc[2:, "sessions"] = 9
    top = spec(sessions_chart(daily, NAMES))
    [(_, rows)] = find(top, "line")
    assert [row["target_total"] for row in rows] == [12.0, 12.0, 9.0, 9.0, 9.0]
    labels = [row["label"] for _, r in find(top, "text") for row in r]
    assert labels == ["Plan 12 (3 × 4)", "Plan 9 (3 × 3)"]
    [(band, paused)] = find(top, "rect")
    assert [(row["target_total"], row["full_total"]) for row in paused] == [(9.0, 12.0), (9.0, 12.0)]
    assert band["encoding"]["fill"]["scale"]["domain"] == ["Paused (stop rule): not missed"]


def test_without_pauses_there_is_no_paused_band_nor_legend_entry():
    top = sessions_spec()
    assert find(top, "rect") == []
    assert "Paused" not in str(top)


LONG = {
    **NAMES,
    "back_extension": "Prone press-up on elbows, then on straight arms (McKenzie)",
    "cat_stretch": "Prone press-up on elbows, then kneeling cat-camel",
}


def test_long_exercise_names_are_cut_in_the_legend_and_whole_in_the_tooltip():
    # Browser review: a clinic's long exercise names ran across the chart uncut.
    daily = daily_frame([4.0] * 5, maintenance_from=3, sessions=PER_EXERCISE)
    unit, rows = bars(spec(sessions_chart(daily, LONG, title="Sessions")))
    domain = unit["encoding"]["color"]["scale"]["domain"]
    assert all(len(name) <= 28 for name in domain), domain
    # Both cut alike, so each gets a number: "Prone press-up on elbows,…1", "…2".
    assert domain[0].endswith("…1")
    assert domain[1].endswith("…2")
    assert len(set(domain)) == len(domain)  # two names cut alike stay two entries
    assert {row["name"] for row in rows} <= set(domain)
    full = {row["exercise"]: row["full_name"] for row in rows}
    assert full["back_extension"] == LONG["back_extension"]
    assert "full_name" in {tip["field"] for tip in unit["encoding"]["tooltip"]}
    assert "Hip Rolls" in domain  # short names stay as they are
