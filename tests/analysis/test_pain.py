from __future__ import annotations

import math

import pandas as pd
import pytest

from rehab.analysis import analyse
from rehab.settings import RuleSettings
from tests.analysis.analysis_frames import day, pain_frame, pain_series, sessions_frame

NO_SESSIONS = sessions_frame([])


def pain_of(values: list[float | None], as_of: int, settings: RuleSettings | None = None):
    cohort = analyse(
        NO_SESSIONS,
        pain_frame(pain_series(values)),
        as_of=day(as_of),
        settings=settings or RuleSettings(),
    )
    return cohort.patients["P1"].summary.pain


def test_daily_pain_mean_min_max_and_count_with_several_entries():
    rows = [{"date": day(0), "pain": 6}, {"date": day(0), "pain": 8}, {"date": day(0), "pain": 1}]
    daily = analyse(NO_SESSIONS, pain_frame(rows), as_of=day(0)).patients["P1"].daily
    assert daily.loc[0, ["pain_mean", "pain_min", "pain_max", "pain_entries"]].tolist() == [
        5.0,
        1.0,
        8.0,
        3,
    ]


def test_baseline_and_current_follow_their_windows():
    # Baseline: the first 3 days with entries, days 0 (6 and 8 -> 7), 1 (5) and 3 (6) -> 6.
    # Current: the 7 calendar days ending at the last entry (day 20): days 14 (4), 16 (3) and
    # 20 (2 and 4 -> 3) -> 10/3. Day 10 (9) lies outside the window.
    rows = pain_series([6, 5, None, 6], first=0)
    rows += [{"date": day(0), "pain": 8}, {"date": day(10), "pain": 9}, {"date": day(14), "pain": 4}]
    rows += [{"date": day(16), "pain": 3}, {"date": day(20), "pain": 2}, {"date": day(20), "pain": 4}]
    cohort = analyse(NO_SESSIONS, pain_frame(rows), as_of=day(22))
    pain = cohort.patients["P1"].summary.pain
    assert pain.baseline == 6.0
    assert pain.current == pytest.approx(10 / 3, abs=1e-3)
    assert pain.change == pytest.approx(10 / 3 - 6, abs=1e-3)
    assert pain.change_pct == pytest.approx((10 / 3 - 6) / 6, abs=1e-3)
    assert pain.mcid_reached
    assert pain.first_entry == day(0)
    assert pain.last_entry == day(20)
    daily = cohort.patients["P1"].daily
    assert daily.loc[20, "pain_rolling7"] == pytest.approx(10 / 3)
    assert math.isnan(daily.loc[21, "pain_mean"])


def test_mcid_by_thirty_percent_but_not_two_points():
    # Baseline 5, current 3.5: 1.5 points (below 2) but exactly 30 % lower.
    pain = pain_of([5, 5, 5, 5, None, None, None, None, None, None, 3.5], as_of=10)
    assert pain.baseline == 5.0
    assert pain.current == 3.5
    assert pain.mcid_reached
    assert pain.mcid_date == day(10)


def test_mcid_by_two_points_but_not_thirty_percent():
    # Baseline 8, current 6: 25 % lower, but 2 points.
    pain = pain_of([8, 8, 8, None, None, None, None, None, None, None, 6], as_of=10)
    assert pain.change == -2.0
    assert pain.mcid_reached


def test_no_mcid_below_both_thresholds():
    # Baseline 5, current 3.6: 1.4 points and 28 % lower.
    pain = pain_of([5, 5, 5, None, None, None, None, None, None, None, 3.6], as_of=10)
    assert not pain.mcid_reached
    assert pain.mcid_date is None


def test_mcid_thresholds_come_from_settings():
    values = [5, 5, 5, None, None, None, None, None, None, None, 3.5]
    assert not pain_of(values, as_of=10, settings=RuleSettings(mcid_fraction=0.35)).mcid_reached


def test_mcid_date_is_the_first_day_the_rolling_current_meets_the_rule():
    # Baseline 6. Rolling 7-day means: day 4 5.6, day 5 5.0, day 6 4.57, day 7 27/7 = 3.86
    # (2.14 below baseline): the first day that meets the rule is day 7.
    pain = pain_of([6, 6, 6, 6, 4, 2, 2, 1], as_of=7)
    assert pain.mcid_reached
    assert pain.mcid_date == day(7)


def test_pain_before_serves_when_there_is_no_pain_log():
    rows = [
        {"date": day(0), "exercise": "core", "pain_before": 6},
        {"date": day(0), "exercise": "core", "pain_before": 4},
        {"date": day(1), "exercise": "core", "pain_before": 2},
        {"date": day(1), "exercise": "core"},
    ]
    cohort = analyse(sessions_frame(rows), pain_frame([]), as_of=day(1))
    summary = cohort.patients["P1"].summary
    assert summary.pain_source == "session_pain_before"
    assert summary.pain.source == "session_pain_before"
    assert summary.pain.baseline == 3.5  # mean of day 0 (5) and day 1 (2)
    assert cohort.patients["P1"].daily["pain_max"].tolist() == [6.0, 2.0]


def test_a_pain_log_takes_precedence_over_pain_before():
    sessions = sessions_frame([{"date": day(0), "exercise": "core", "pain_before": 9}])
    cohort = analyse(sessions, pain_frame(pain_series([3])), as_of=day(0))
    summary = cohort.patients["P1"].summary
    assert summary.pain_source == "pain_log"
    assert summary.pain.baseline == 3.0


def test_no_pain_anywhere_leaves_pain_empty():
    sessions = sessions_frame([{"date": day(0), "exercise": "core"}])
    pain = analyse(sessions, pain_frame([]), as_of=day(0)).patients["P1"].summary.pain
    assert (pain.baseline, pain.current, pain.mcid_reached, pain.source) == (None, None, False, None)


def test_pain_free_streak_ignores_an_as_of_day_not_yet_logged():
    # Pain-free days 1-4, and no entry yet on the as-of date (day 5).
    assert (
        analyse(NO_SESSIONS, pain_frame(pain_series([5, 0, 1, 0, 1])), as_of=day(5))
        .patients["P1"]
        .summary.pain_free_streak
        == 4
    )
    # A missing day before the as-of date ends the streak.
    assert (
        analyse(NO_SESSIONS, pain_frame(pain_series([5, 0, 1, 0, 1])), as_of=day(6))
        .patients["P1"]
        .summary.pain_free_streak
        == 0
    )


def _entries_both_ways(sessions, pain):
    from rehab.analysis import inputs

    logs = inputs.prepare(sessions, pain, day(30))
    logged = logs.pain_log.loc[logs.pain_log["pain"].notna(), inputs._ENTRY_COLUMNS]
    columns = ["patient", "day", "pain_before", "source_file", "source_row", "time"]
    no_sessions = logs.sessions.iloc[:0][columns]
    return logs.pain_entries, inputs._with_session_pain(logged, no_sessions)


def test_pain_entries_of_logs_alone_are_those_of_the_general_way():
    # Every patient with pain before a session also has a pain log: the entries are the log's,
    # made without gluing on an empty session part; the same rows, values and types.
    flares = [{**row, "flare": index % 3 == 0} for index, row in enumerate(pain_series([5, None, 4, 3]))]
    notes = pain_series([2, 6], first=3, patient="P2")
    notes.insert(1, {"patient_id": "P2", "date": day(4), "pain": None, "notes": "no score"})
    first = {"date": day(0), "exercise": "core", "pain_before": 9, "time": "08:00"}
    sessions = sessions_frame([first, {"patient_id": "P2", "date": day(4), "exercise": "core"}])
    for pain in (pain_frame(flares + notes), pain_frame(notes + flares)):
        shortcut, general = _entries_both_ways(sessions, pain)
        assert len(shortcut) == 5
        pd.testing.assert_frame_equal(shortcut, general, check_exact=True)
