from __future__ import annotations

import re

import pytest

from rehab.analysis import Prescription, analyse
from rehab.settings import RuleSettings
from tests.analysis.analysis_frames import day, full_sessions, pain_frame, pain_series, sessions_frame

NO_SESSIONS = sessions_frame([])


def flags_of(sessions, pain, as_of: int, settings: RuleSettings | None = None, prescription=None):
    cohort = analyse(
        sessions, pain, as_of=day(as_of), settings=settings or RuleSettings(), prescription=prescription
    )
    return {flag.code: flag for flag in cohort.patients["P1"].flags}


def pain_only(values: list[float | None], as_of: int, **kwargs):
    return flags_of(NO_SESSIONS, pain_frame(pain_series(values)), as_of, **kwargs)


@pytest.mark.parametrize(("peak", "severe"), [(7.0, True), (6.9, False), (10.0, True)])
def test_severe_pain_at_exactly_the_threshold(peak, severe):
    flags = pain_only([3, 3, peak, 3], as_of=3)
    assert ("severe_pain" in flags) is severe
    if severe:
        assert flags["severe_pain"].tier == "critical"
        assert flags["severe_pain"].dates == [day(2)]
        assert flags["severe_pain"].rows == [("pain.csv", 4)]


def test_severe_pain_reads_the_daily_maximum():
    pain = pain_frame([{"date": day(0), "pain": 1}, {"date": day(0), "pain": 7}])
    assert "severe_pain" in flags_of(NO_SESSIONS, pain, as_of=0)


def test_severe_pain_counts_only_the_last_seven_days():
    # Day 0 is 7 days before the as-of date (day 7): outside the window (day 1 to day 7).
    assert "severe_pain" not in pain_only([8, 3, 3, 3, 3, 3, 3, 3], as_of=7)
    assert "severe_pain" in pain_only([8, 3, 3, 3, 3, 3, 3], as_of=6)


def test_severe_pain_threshold_comes_from_settings():
    assert "severe_pain" not in pain_only([3, 7], as_of=1, settings=RuleSettings(severe_pain=8))


def test_a_rise_of_two_over_at_least_three_earlier_days_is_a_flare():
    flags = pain_only([3, 3, 3, 5], as_of=3)
    assert flags["pain_flare"].tier == "high"
    assert flags["pain_flare"].dates == [day(3)]
    assert flags["pain_flare"].message.startswith(
        "Pain flared on 4 Sep: 5, up from about 3 on the days before."
    )


def test_no_flare_with_fewer_than_three_earlier_days_or_a_smaller_rise():
    assert "pain_flare" not in pain_only([3, 3, 5], as_of=2)
    assert "pain_flare" not in pain_only([3, 3, 3, 4.9], as_of=3)


def test_flare_reference_is_the_seven_entry_days_before():
    # Days 0-2 at 9, days 3-9 at 2 (seven days): the day-10 value of 4.5 is 2.5 above the
    # reference of the 7 entry days before it (all 2), though below the earlier 9s.
    assert "pain_flare" in pain_only([9, 9, 9, 2, 2, 2, 2, 2, 2, 2, 4.5], as_of=10)


def test_a_tagged_flare_in_the_last_seven_days_is_a_flare():
    pain = pain_frame([{"date": day(0), "pain": 3, "flare": True}])
    flags = flags_of(NO_SESSIONS, pain, as_of=0)
    assert flags["pain_flare"].dates == [day(0)]
    assert flags["pain_flare"].rows == [("pain.csv", 2)]
    assert "pain_flare" not in flags_of(NO_SESSIONS, pain, as_of=7)


@pytest.mark.parametrize(
    ("gap", "code"), [(2, None), (3, "stale_logs"), (13, "stale_logs"), (14, "dropped_out")]
)
def test_stale_and_dropped_out_at_their_thresholds(gap, code):
    flags = flags_of(NO_SESSIONS, pain_frame(pain_series([5])), as_of=gap)
    found = {c for c in ("stale_logs", "dropped_out") if c in flags}
    assert found == ({code} if code else set())
    if code:
        assert flags[code].dates == [day(0)]
        assert f"{gap} days" in flags[code].message
    if code == "dropped_out":
        assert flags[code].tier == "high"


@pytest.mark.parametrize(("first_entry_days_ago", "flagged"), [(13, False), (14, True)])
def test_not_improving_after_fourteen_days_without_mcid(first_entry_days_ago, flagged):
    values = [5.0] * (first_entry_days_ago + 1)
    flags = pain_only(values, as_of=first_entry_days_ago)
    assert ("not_improving" in flags) is flagged
    if flagged:
        assert flags["not_improving"].tier == "moderate"


def test_not_improving_is_silent_once_mcid_is_reached():
    assert "not_improving" not in pain_only([6] * 8 + [3] * 7, as_of=14)


ONE_EXERCISE = Prescription(exercises=("core",), rehab_per_day=2, maintenance_per_day=1)


def core_days(per_day: list[int]) -> list[dict]:
    return [
        {"date": day(i), "exercise": "core"} for i, count in enumerate(per_day) for _ in range(count)
    ]


def test_low_adherence_below_seventy_percent():
    # Two cores a day prescribed; 5 days so far: 1 + 1 + 1 + 0.5 + 0 = 3.5 of 5 = exactly 70%.
    exactly = flags_of(
        sessions_frame(core_days([2, 2, 2, 1])), pain_frame([]), 4, prescription=ONE_EXERCISE
    )
    assert "low_adherence" not in exactly
    below = flags_of(sessions_frame(core_days([2, 2, 2])), pain_frame([]), 4, prescription=ONE_EXERCISE)
    flag = below["low_adherence"]
    assert flag.tier == "moderate"
    # Issue 9 item 4: the count is of exercises done (one row each), not of sessions (rounds).
    assert flag.message.startswith("6 of 10 prescribed exercises done in the last 7 days (60%)")
    assert not re.search(r"\d+ of \d+ (prescribed )?sessions", flag.message)
    assert flag.dates == [day(3), day(4)]


def test_relapse_flag_points_at_the_two_bad_days():
    flags = pain_only([0] * 7 + [0, 2, 2], as_of=9)
    assert flags["relapse"].tier == "high"
    assert flags["relapse"].dates == [day(8), day(9)]
    assert "back to 3 sessions a day" in flags["relapse"].message


def test_no_relapse_flag_once_back_in_maintenance():
    flags = pain_only([0] * 7 + [0, 2, 2] + [0] * 8, as_of=17)
    assert "relapse" not in flags


def test_alert_is_the_highest_tier_and_flags_are_ordered_by_tier():
    sessions = sessions_frame(full_sessions(0, 3))
    pain = pain_frame(pain_series([3, 3, 3, 8]))
    cohort = analyse(sessions, pain, as_of=day(6))
    summary = cohort.patients["P1"].summary
    assert summary.alert == "critical"
    tiers = [flag.tier for flag in summary.flags]
    assert tiers == sorted(tiers, key=["critical", "high", "moderate"].index)
    assert {f.code for f in summary.flags} == {
        "severe_pain",
        "pain_flare",
        "stale_logs",
        "low_adherence",
    }


def test_a_patient_with_nothing_to_flag_has_alert_none():
    sessions = sessions_frame(full_sessions(0, 3))
    summary = (
        analyse(sessions, pain_frame(pain_series([3, 3, 3, 3])), as_of=day(3)).patients["P1"].summary
    )
    assert summary.flags == []
    assert summary.alert == "none"


def test_flag_rule_id_is_the_code_and_is_exported():
    flag = pain_only([3, 7], as_of=1)["severe_pain"]
    assert flag.rule_id == "severe_pain"
    assert flag.model_dump(mode="json")["rule_id"] == "severe_pain"
