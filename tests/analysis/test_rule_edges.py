"""Edges of the rules, where a slightly wrong rule would still pass the ordinary tests.

Issue 9, "Tests that would catch a wrong rule": the day's maximum against its mean, decimal
pain at each threshold, baselines over gaps, and the 7-day boundary of every window on both
sides. Values are worked out by hand from shared/guides/clinical-rules.md.
"""

from __future__ import annotations

import pytest

from rehab.analysis import analyse
from tests.analysis.analysis_frames import day, full_sessions, pain_frame, pain_series, sessions_frame

NO_SESSIONS = sessions_frame([])


def patient_of(pain_rows: list[dict], as_of: int, session_rows: list[dict] | None = None):
    frame = sessions_frame(session_rows or [])
    return analyse(frame, pain_frame(pain_rows), as_of=day(as_of)).patients["P1"]


def codes(patient) -> set[str]:
    return {flag.code for flag in patient.flags}


def two_entries(offset: int, low: float, high: float) -> list[dict]:
    """Two entries on day(offset): its mean and maximum disagree."""
    return [{"date": day(offset), "pain": low}, {"date": day(offset), "pain": high}]


# The day's maximum: relapse and pain-free.


def test_relapse_reads_the_daily_maximum_not_the_mean():
    # Days 0-8 pain-free (maintenance from day 7); days 9 and 10 read 0 and 3: mean 1.5 is
    # below the relapse level of 2, the maximum 3 is not.
    rows = pain_series([0] * 9) + two_entries(9, 0, 3) + two_entries(10, 0, 3)
    patient = patient_of(rows, as_of=10)
    assert [p.reason for p in patient.phases] == ["start", "pain_free_run", "relapse"]
    assert patient.phases[-1].start == day(9)
    assert "relapse" in codes(patient)


def test_a_day_whose_mean_is_pain_free_but_maximum_is_not_breaks_the_run():
    # Six pain-free days, then a day of 0 and 2 (mean 1, maximum 2), then one more.
    rows = pain_series([0] * 6) + two_entries(6, 0, 2) + pain_series([0], first=7)
    patient = patient_of(rows, as_of=8)
    assert patient.summary.phase == "rehab"
    assert patient.daily["pain_free"].tolist()[6] is False
    assert patient.summary.pain_free_streak == 1


# The day's mean: baseline, current pain and flares.


def test_baseline_and_current_read_the_daily_mean_not_the_maximum():
    rows = [entry for offset in range(3) for entry in two_entries(offset, 2, 6)]
    pain = patient_of(rows, as_of=2).summary.pain
    assert pain.baseline == 4.0
    assert pain.current == 4.0


def test_a_flare_reads_the_daily_mean_not_the_maximum():
    reference = pain_series([2, 2, 2])
    assert "pain_flare" not in codes(patient_of(reference + two_entries(3, 0, 5), as_of=3))
    assert "pain_flare" in codes(patient_of(reference + two_entries(3, 3, 5), as_of=3))


# Decimal pain at every threshold: a rise or fall of exactly the threshold counts.


@pytest.mark.parametrize(("peak", "flare"), [(4.1, True), (4.0, False)])
def test_a_decimal_rise_of_two_is_a_flare(peak, flare):
    patient = patient_of(pain_series([2.1, 2.1, 2.1, peak]), as_of=3)
    assert ("pain_flare" in codes(patient)) is flare


@pytest.mark.parametrize(("now", "reached"), [(6.2, True), (6.3, False)])
def test_a_decimal_fall_of_two_points_is_meaningful(now, reached):
    # 8.2 -> 6.2 is 2 points better (24 %, so only the points rule can say so).
    patient = patient_of(pain_series([8.2, 8.2, 8.2, now]), as_of=3)
    assert patient.summary.pain.current == pytest.approx((8.2 * 3 + now) / 4)
    rows = pain_series([8.2, 8.2, 8.2]) + pain_series([now], first=10)
    assert patient_of(rows, as_of=10).summary.pain.mcid_reached is reached


@pytest.mark.parametrize(("now", "reached"), [(2.1, True), (2.2, False)])
def test_a_decimal_fall_of_thirty_percent_is_meaningful(now, reached):
    # 3 -> 2.1 is 30 % better but under 2 points.
    rows = pain_series([3.0, 3.0, 3.0]) + pain_series([now], first=10)
    assert patient_of(rows, as_of=10).summary.pain.mcid_reached is reached


def hip_rolls(changes: list[tuple[int, float, float]]) -> list[dict]:
    return [
        {"date": day(offset), "exercise": "hip_rolls", "pain_before": before, "pain_after": after}
        for offset, before, after in changes
    ]


@pytest.mark.parametrize(("after", "verdict"), [(4.1, "stop"), (4.0, "ok")])
def test_a_decimal_rise_of_two_in_one_session_means_stop(after, verdict):
    patient = patient_of([], as_of=1, session_rows=hip_rolls([(0, 2.1, after)]))
    assert patient.exercise_response.set_index("exercise").loc["hip_rolls", "verdict"] == verdict
    assert ("exercise_increases_pain" in codes(patient)) is (verdict == "stop")


@pytest.mark.parametrize(("after", "verdict"), [(4.3, "stop"), (4.2, "ok")])
def test_decimal_rises_of_one_in_two_of_three_sessions_mean_stop(after, verdict):
    sessions = hip_rolls([(0, 3.3, after), (1, 3.3, 3.3), (2, 3.3, after)])
    patient = patient_of([], as_of=3, session_rows=sessions)
    assert patient.exercise_response.set_index("exercise").loc["hip_rolls", "verdict"] == verdict


# Baseline: the first 3 days WITH entries, across gaps.


def test_baseline_skips_days_without_entries():
    # Sessions from day 0; pain entries on days 2, 5 and 9 (then more): baseline (6+4+2)/3.
    rows = pain_series([6, None, None, 4, None, None, None, 2, 8, 8], first=2)
    patient = patient_of(rows, as_of=11, session_rows=full_sessions(0, 11, per_day=1))
    assert patient.summary.pain.baseline == 4.0
    assert patient.summary.pain.first_entry == day(2)


# The 7-day boundary of every window, on both sides: day as_of - 6 is in, as_of - 7 is out.


@pytest.mark.parametrize(("days_before", "inside"), [(6, True), (7, False)])
def test_severe_pain_window_boundary(days_before, inside):
    # An old severe reading does not raise today's flag.
    rows = pain_series([3] * 12)
    rows[11 - days_before]["pain"] = 8
    assert ("severe_pain" in codes(patient_of(rows, as_of=11))) is inside


@pytest.mark.parametrize(("days_before", "inside"), [(6, True), (7, False)])
def test_flare_window_boundary(days_before, inside):
    values = [2.0] * 12
    values[11 - days_before] = 5.0
    assert ("pain_flare" in codes(patient_of(pain_series(values), as_of=11))) is inside


@pytest.mark.parametrize(("days_before", "inside"), [(6, True), (7, False)])
def test_tagged_flare_window_boundary(days_before, inside):
    rows = pain_series([3] * 12)
    rows[11 - days_before]["flare"] = True
    assert ("pain_flare" in codes(patient_of(rows, as_of=11))) is inside


@pytest.mark.parametrize(("days_before", "verdict"), [(6, "stop"), (7, "ok")])
def test_stop_rule_window_boundary(days_before, verdict):
    sessions = hip_rolls([(11 - days_before, 2, 4)])
    patient = patient_of([], as_of=11, session_rows=sessions)
    assert patient.exercise_response.set_index("exercise").loc["hip_rolls", "verdict"] == verdict


@pytest.mark.parametrize(("days_before", "last_7"), [(6, 6 / 7), (7, 1.0)])
def test_adherence_window_boundary(days_before, last_7):
    missed = 11 - days_before
    rows = full_sessions(0, missed - 1) + full_sessions(missed + 1, 11)
    patient = patient_of([], as_of=11, session_rows=rows)
    assert patient.summary.adherence.last_7_days == pytest.approx(last_7, abs=1e-3)


@pytest.mark.parametrize(("days_before", "current"), [(6, 5.0), (7, 2.0)])
def test_current_pain_window_boundary(days_before, current):
    # The window is the 7 calendar days ending at the last entry (day 20).
    rows = pain_series([2.0], first=20) + pain_series([8.0], first=20 - days_before)
    assert patient_of(rows, as_of=20).summary.pain.current == current


def test_flare_reference_stops_at_the_seventh_entry_day_before():
    # The eighth entry day back (9) is not in the reference: 4.5 rises 2.5 over seven 2s. With
    # it the reference would be 23/8 and the rise only 1.6.
    assert "pain_flare" in codes(patient_of(pain_series([9, *[2] * 7, 4.5]), as_of=8))


@pytest.mark.parametrize(("now", "reached"), [(0.3, True), (0.4, False)])
def test_thirty_percent_counts_for_a_baseline_below_one(now, reached):
    # 0.5 -> 0.3 is 40 % better; 0.5 -> 0.4 only 20 %.
    rows = pain_series([0.5, 0.5, 0.5]) + pain_series([now], first=10)
    assert patient_of(rows, as_of=10).summary.pain.mcid_reached is reached


def test_a_single_pain_entry_is_baseline_current_first_and_last():
    pain = patient_of(pain_series([4.0], first=2), as_of=5).summary.pain
    assert (pain.baseline, pain.current, pain.days_with_entries) == (4.0, 4.0, 1)
    assert pain.first_entry == pain.last_entry == day(2)


def test_a_patient_without_pain_beside_one_with_a_single_entry():
    sessions = sessions_frame([{"patient_id": "B", "date": day(0), "exercise": "core"}])
    cohort = analyse(sessions, pain_frame(pain_series([4.0], patient="A")), as_of=day(3))
    assert cohort.patients["A"].summary.pain.current == 4.0
    assert cohort.patients["B"].summary.pain.current is None
    assert cohort.patients["B"].summary.pain.first_entry is None
    assert cohort.patients["B"].summary.pain.last_entry is None
    assert cohort.patients["B"].summary.pain.mcid_date is None


@pytest.mark.parametrize(
    ("values", "met_on"),
    [
        # Baseline days 10 days apart: the third one's 7-day window holds only itself (2), so
        # the MCID is met on the last baseline day itself.
        ([8, 8, 2], 20),
        # Met on the second entry day already (2 vs a baseline of 4), but the MCID date is
        # never before the last baseline day.
        ([8, 2, 2], 20),
    ],
)
def test_the_mcid_date_is_never_before_the_last_baseline_day(values, met_on):
    rows = [{"date": day(10 * index), "pain": value} for index, value in enumerate(values)]
    pain = patient_of(rows, as_of=21).summary.pain
    assert pain.mcid_reached
    assert pain.mcid_date == day(met_on)


def test_a_one_day_patient_without_pain_has_no_streak_from_the_patient_before():
    # "A" is pain-free up to the as-of date; "B" logged only a session, on the as-of date.
    pain = pain_frame(pain_series([0, 0, 0, 0], patient="A"))
    sessions = sessions_frame([{"patient_id": "B", "date": day(3), "exercise": "core"}])
    cohort = analyse(sessions, pain, as_of=day(3))
    assert cohort.patients["A"].summary.pain_free_streak == 4
    assert cohort.patients["B"].summary.pain_free_streak == 0


def test_adherence_by_phase_averages_each_phase_own_days():
    # Rehab days 0-6 pain-free (sessions in full on days 0-3, none on 4-6): 4/7. Maintenance
    # from day 7: once a day on days 7 and 8, nothing on day 9: 2/3.
    rows = full_sessions(0, 3) + full_sessions(7, 8, per_day=1)
    patient = patient_of(pain_series([0] * 10), as_of=9, session_rows=rows)
    assert patient.summary.phase == "maintenance"
    assert patient.summary.adherence.by_phase == {
        "rehab": pytest.approx(4 / 7, abs=1e-3),
        "maintenance": pytest.approx(2 / 3, abs=1e-3),
    }
