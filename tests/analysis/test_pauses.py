"""The paused-exercise rule, built by hand from shared/guides/clinical-rules.md.

"A session that trips the stop rule pauses that exercise from the next day until the day it
is logged again. A paused exercise leaves the frequency target ... a day on which every
exercise is paused has no target and is left out of adherence."
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rehab.analysis import PausedExercise, Prescription, analyse
from rehab.settings import RuleSettings
from tests.analysis.analysis_frames import day, full_sessions, pain_frame, sessions_frame

OTHERS = ("back_extension", "cat_stretch", "core")


def rated(offset: int, change: float, exercise: str = "hip_rolls") -> dict:
    """One session of ``exercise`` on day(offset) whose pain moved by ``change`` from 2."""
    return {"date": day(offset), "exercise": exercise, "pain_before": 2, "pain_after": 2 + change}


def run(rows: list[dict], as_of: int, **kwargs):
    return analyse(sessions_frame(rows), pain_frame([]), as_of=day(as_of), **kwargs).patients["P1"]


def stopped_on_day_four(extra: list[dict] | None = None) -> list[dict]:
    """Full days 0-4 (hip rolls +2 in its last session of day 4); then the other three only."""
    rows = [*full_sessions(0, 4), rated(4, 2)]
    rows += full_sessions(5, 9, exercises=OTHERS)
    return rows + (extra or [])


def test_a_rise_of_two_pauses_the_exercise_from_the_next_day():
    patient = run(stopped_on_day_four(), as_of=9)
    paused = patient.daily.set_index("date")["paused_exercises"]
    assert paused[pd.Timestamp(day(4))] == 0  # the day of the session itself still counts
    assert paused[pd.Timestamp(day(5)) :].tolist() == [1] * 5
    assert patient.summary.paused_exercises == [
        PausedExercise(exercise="hip_rolls", name="Hip Rolls", since=day(5), evidence="+2 on 5 Sep")
    ]
    row = patient.exercise_response.set_index("exercise").loc["hip_rolls"]
    assert row["paused_since"] == pd.Timestamp(day(5))
    assert row["evidence"] == "+2 on 5 Sep"
    assert pd.isna(patient.exercise_response.set_index("exercise").loc["core", "paused_since"])


def test_a_paused_exercise_is_flagged_with_its_day_and_a_check_with_the_therapist():
    patient = run(stopped_on_day_four(), as_of=9)
    flags = [flag for flag in patient.flags if flag.code == "exercise_paused"]
    assert len(flags) == 1
    flag = flags[0]
    assert (flag.tier, flag.exercise, flag.dates) == ("moderate", "hip_rolls", [day(5)])
    assert "Hip Rolls" in flag.message
    assert "6 Sep" in flag.message
    assert "+2 on 5 Sep" in flag.message
    # Issue 9 item 4: "sessions" are rounds of the programme; the pause leaves the plan.
    assert "left out of your plan" in flag.message
    assert "session" not in flag.message
    assert "therapist before restarting" in flag.message
    # Source row of the session that paused it: 60 full rows come first, so it is row 62.
    assert flag.rows == [("sessions.csv", 62)]


def test_obeying_stop_keeps_adherence_whole():
    patient = run(stopped_on_day_four(), as_of=9)
    adherence = patient.daily.set_index("date")["adherence"]
    assert adherence[pd.Timestamp(day(5)) :].tolist() == [1.0] * 5
    assert patient.summary.adherence.last_7_days == 1.0
    assert patient.summary.adherence.overall == 1.0
    # Last 7 days = days 3-9: 12 + 12 on days 3 and 4 (hip rolls capped at 3), then 9 a day.
    assert patient.summary.adherence.sessions_last_7_days == 24 + 45
    assert patient.summary.adherence.target_last_7_days == 24 + 45
    assert patient.summary.target_today == 9
    assert "low_adherence" not in [flag.code for flag in patient.flags]


def test_logging_the_exercise_again_ends_the_pause_that_day():
    patient = run(stopped_on_day_four([{"date": day(7), "exercise": "hip_rolls"}]), as_of=9)
    paused = patient.daily["paused_exercises"].tolist()
    assert paused == [0, 0, 0, 0, 0, 1, 1, 0, 0, 0]
    adherence = patient.daily["adherence"].tolist()
    # Day 7: hip rolls once (1/3) and the others in full; days 8 and 9: hip rolls missed.
    assert adherence[7] == pytest.approx((1 / 3 + 3) / 4)
    assert adherence[8:] == [0.75, 0.75]
    assert patient.summary.paused_exercises == []
    assert "exercise_paused" not in [flag.code for flag in patient.flags]
    assert pd.isna(patient.exercise_response.set_index("exercise").loc["hip_rolls", "paused_since"])


def test_a_day_with_every_exercise_paused_has_no_target_and_is_left_out():
    rows = full_sessions(0, 4) + [rated(4, 3, exercise) for exercise in (*OTHERS, "hip_rolls")]
    rows += full_sessions(7, 7)  # restarted all four on day 7
    patient = run(rows, as_of=7)
    daily = patient.daily
    assert daily["paused_exercises"].tolist() == [0, 0, 0, 0, 0, 4, 4, 0]
    assert daily["adherence"].isna().tolist() == [False] * 5 + [True, True] + [False]
    adherence = patient.summary.adherence
    assert adherence.overall == 1.0  # six full days; the two paused days are not zeros
    assert adherence.last_7_days == 1.0
    # Days 1-7 minus the two paused days: 5 days x 4 exercises x 3.
    assert adherence.target_last_7_days == 60
    assert "low_adherence" not in [flag.code for flag in patient.flags]


def test_a_week_with_everything_paused_has_no_adherence_and_no_low_adherence_flag():
    rows = full_sessions(0, 1) + [rated(1, 2, exercise) for exercise in (*OTHERS, "hip_rolls")]
    patient = run(rows, as_of=8)  # days 2-8 all paused: the last 7 days have no target
    assert patient.summary.adherence.last_7_days is None
    assert patient.summary.adherence.target_last_7_days == 0
    assert patient.summary.target_today == 0
    codes = [flag.code for flag in patient.flags]
    assert "low_adherence" not in codes
    assert codes.count("exercise_paused") == 4


def test_a_rise_of_one_in_two_of_the_last_three_rated_sessions_pauses():
    patient = run([rated(0, 1), rated(1, 0), rated(2, 1)], as_of=4)
    assert patient.daily["paused_exercises"].tolist() == [0, 0, 0, 1, 1]
    assert patient.summary.paused_exercises[0].evidence == "+1 in 2 of the last 3"
    assert patient.summary.paused_exercises[0].since == day(3)


def test_rises_of_one_further_apart_than_three_rated_sessions_do_not_pause():
    patient = run([rated(0, 1), rated(1, 0), rated(2, 0), rated(3, 1)], as_of=5)
    assert patient.daily["paused_exercises"].tolist() == [0] * 6
    assert patient.summary.paused_exercises == []


def test_a_session_with_one_pain_value_is_not_among_the_last_three_rated():
    one_value = [
        {"date": day(1), "exercise": "hip_rolls", "pain_before": 2},
        {"date": day(2), "exercise": "hip_rolls", "pain_after": 6},
    ]
    patient = run([rated(0, 1), *one_value, rated(3, 1)], as_of=5)
    # The last three RATED sessions at day 3 are days 0 and 3: two rises of 1.
    assert patient.daily["paused_exercises"].tolist() == [0, 0, 0, 0, 1, 1]
    verdict = patient.exercise_response.set_index("exercise").loc["hip_rolls"]
    assert verdict["verdict"] == "stop"
    assert verdict["evidence"] == "+1 in 2 of the last 3"


def test_a_pause_older_than_the_stop_verdict_still_holds():
    # +2 on day 0, nothing since: the stop verdict looks at the last 7 days only, the pause
    # lasts until the exercise is logged again.
    patient = run([rated(0, 2), *full_sessions(1, 12, exercises=OTHERS)], as_of=12)
    row = patient.exercise_response.set_index("exercise").loc["hip_rolls"]
    assert row["verdict"] == "ok"
    assert row["paused_since"] == pd.Timestamp(day(1))
    assert row["evidence"] == "+2 on 1 Sep"
    assert patient.summary.adherence.last_7_days == 1.0


def test_an_exercise_outside_the_prescription_is_flagged_but_leaves_the_target_alone():
    rows = [rated(0, 2, "bridge"), *full_sessions(0, 2)]
    patient = run(rows, as_of=2)
    assert patient.daily["paused_exercises"].tolist() == [0, 0, 0]
    assert [p.exercise for p in patient.summary.paused_exercises] == ["bridge"]


def test_with_one_prescribed_exercise_a_paused_day_has_no_target():
    custom = Prescription(exercises=("core",), rehab_per_day=1, maintenance_per_day=1)
    patient = run([rated(0, 2, "core")], as_of=3, prescription=custom)
    assert patient.daily["target"].tolist() == [1, 1, 1, 1]
    assert [math.isnan(value) for value in patient.daily["adherence"]] == [False, True, True, True]
    assert patient.summary.adherence.overall == 1.0


def test_the_pause_thresholds_come_from_settings():
    strict = RuleSettings(exercise_pain_rise_single=3.0)
    assert run([rated(0, 2)], as_of=2, settings=strict).summary.paused_exercises == []
    paused = run([rated(0, 3)], as_of=2, settings=strict).summary.paused_exercises
    assert [p.evidence for p in paused] == ["+3 on 1 Sep"]


NEVER_TRIPS = RuleSettings(exercise_pain_rise_single=10.0, exercise_pain_rise_repeated=10.0)

session_rows = st.lists(
    st.tuples(
        st.integers(0, 9),
        st.sampled_from(("hip_rolls", "core", "cat_stretch", "back_extension")),
        st.one_of(st.none(), st.integers(-2, 3)),
    ),
    max_size=25,
)


@settings(max_examples=40, deadline=None)
@given(rows=session_rows, as_of=st.integers(9, 16))
def test_pausing_never_lowers_adherence_nor_raises_low_adherence(rows, as_of):
    # The same logs with the stop rule unable to trip are the "stop is not obeyed" world.
    logged = [
        {"date": day(offset), "exercise": exercise}
        if change is None
        else rated(offset, change, exercise)
        for offset, exercise, change in rows
    ] or [{"date": day(0), "exercise": "core"}]
    paused = run(logged, as_of=as_of).summary
    unpaused = run(logged, as_of=as_of, settings=NEVER_TRIPS).summary
    for field in ("overall", "last_7_days"):
        with_pause = getattr(paused.adherence, field)
        if with_pause is not None:
            assert with_pause >= getattr(unpaused.adherence, field) - 1e-9, field
    assert [p.exercise for p in unpaused.paused_exercises] == []
    if "low_adherence" in [flag.code for flag in paused.flags]:
        assert "low_adherence" in [flag.code for flag in unpaused.flags]


def test_the_summary_json_lists_paused_exercises():
    rows = stopped_on_day_four()
    cohort = analyse(sessions_frame(rows), pain_frame([]), as_of=day(9))
    [record] = cohort.summary_json()["patients"]
    assert record["paused_exercises"] == [
        {"exercise": "hip_rolls", "name": "Hip Rolls", "since": "2026-09-06", "evidence": "+2 on 5 Sep"}
    ]


# Edges that surviving mutants showed untested.


def test_a_session_on_the_as_of_date_pauses_from_tomorrow_so_nothing_is_paused_yet():
    patient = run([rated(0, 0), rated(3, 2)], as_of=3)
    codes = [flag.code for flag in patient.flags]
    assert "exercise_increases_pain" in codes
    assert "exercise_paused" not in codes
    assert patient.summary.paused_exercises == []
    assert patient.daily["paused_exercises"].tolist() == [0, 0, 0, 0]


def test_restarting_on_the_as_of_date_ends_the_pause_today():
    patient = run([rated(0, 2), {"date": day(3), "exercise": "hip_rolls"}], as_of=3)
    assert patient.summary.paused_exercises == []
    assert patient.daily["paused_exercises"].tolist() == [0, 1, 1, 0]


def test_two_trips_on_one_day_make_one_pause():
    rows = [rated(0, 2, "core"), rated(1, 2), rated(1, 3)]
    patient = run(rows, as_of=3)
    # In the library's order (hip rolls before core), not the order they were first logged.
    assert [(p.exercise, p.since, p.evidence) for p in patient.summary.paused_exercises] == [
        ("hip_rolls", day(2), "+3 on 2 Sep"),  # the later session of the day speaks
        ("core", day(1), "+2 on 1 Sep"),
    ]
    assert [flag.exercise for flag in patient.flags if flag.code == "exercise_paused"] == [
        "hip_rolls",
        "core",
    ]


def test_a_restart_that_raises_pain_again_pauses_again():
    patient = run([rated(0, 2), rated(3, 2)], as_of=5)
    assert patient.daily["paused_exercises"].tolist() == [0, 1, 1, 0, 1, 1]
    assert [p.since for p in patient.summary.paused_exercises] == [day(4)]


def test_a_pause_from_a_row_without_a_row_number_has_no_rows():
    frame = sessions_frame([rated(0, 2)])
    frame["source_row"] = pd.array([None], dtype=frame["source_row"].dtype)
    patient = analyse(frame, pain_frame([]), as_of=day(2)).patients["P1"]
    [flag] = [flag for flag in patient.flags if flag.code == "exercise_paused"]
    assert flag.rows == []


def test_stopping_right_after_the_morning_session_that_hurt_loses_nothing_that_day():
    # Day 4: the morning's Hip Rolls raises pain by 2 and the patient stops it at once (the
    # article's rule), doing the other three exercises three times. Its two sessions not done
    # that day are not counted as missed: obeying "stop" must never lower adherence.
    rows = [*full_sessions(0, 3), rated(4, 2), *full_sessions(4, 9, exercises=OTHERS)]
    patient = run(rows, as_of=9)
    adherence = patient.daily.set_index("date")["adherence"]
    assert adherence[pd.Timestamp(day(4))] == 1.0
    assert patient.summary.adherence.last_7_days == 1.0
    # Days 3-9: 12 on day 3, 9 on day 4 (hip rolls out of that day's target), then 9 a day.
    assert patient.summary.adherence.sessions_last_7_days == 12 + 9 + 45
    assert patient.summary.adherence.target_last_7_days == 12 + 9 + 45


def test_the_trip_day_keeps_the_exercise_when_leaving_it_out_would_lower_the_day():
    # Day 4: only the Hip Rolls session that hurt was done. Counting it (1 of 3 for one of
    # four exercises) gives the day 1/12; leaving it out would give 0, so it is kept.
    rows = [*full_sessions(0, 3), rated(4, 2), *full_sessions(5, 9, exercises=OTHERS)]
    patient = run(rows, as_of=9)
    adherence = patient.daily.set_index("date")["adherence"]
    assert adherence[pd.Timestamp(day(4))] == pytest.approx(1 / 12)
