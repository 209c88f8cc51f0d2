from __future__ import annotations

import pytest

from rehab.analysis import Prescription, adherence_band, analyse, daily_columns
from rehab.library import load_library
from rehab.settings import RuleSettings
from tests.analysis.analysis_frames import (
    EXERCISES,
    day,
    full_sessions,
    pain_frame,
    pain_series,
    sessions_frame,
)


def test_prescription_defaults_come_from_the_library_and_the_settings():
    library = load_library()
    prescription = Prescription.from_library(library, RuleSettings(rehab_sessions_per_day=4))
    assert prescription.exercises == library.prescribed_ids
    assert prescription.rehab_per_day == 4
    assert prescription.maintenance_per_day == 1
    assert prescription.reps["back_extension"] == 10
    assert prescription.hold_seconds["hip_rolls"] == 5


def rehab_days() -> tuple:
    """Day 0 complete; day 1 six back extensions only; day 2 no log; day 3 a pain entry only."""
    sessions = full_sessions(0, 0) + [{"date": day(1), "exercise": "back_extension"}] * 6
    pain = pain_series([5, 5, None, 5])
    return sessions_frame(sessions), pain_frame(pain)


def test_extra_sessions_never_make_up_for_a_missed_day():
    sessions, pain = rehab_days()
    patient = analyse(sessions, pain, as_of=day(3)).patients["P1"]
    assert patient.daily["adherence"].tolist() == [1.0, 0.25, 0.0, 0.0]
    adherence = patient.summary.adherence
    assert adherence.overall == pytest.approx((1 + 0.25) / 4, abs=1e-3)
    assert adherence.by_exercise["back_extension"] == pytest.approx(0.5, abs=1e-3)
    assert adherence.by_exercise["cat_stretch"] == pytest.approx(0.25, abs=1e-3)
    assert adherence.last_7_days == pytest.approx(adherence.overall)


def test_days_without_logs_count_zero_but_are_marked_no_log():
    sessions, pain = rehab_days()
    daily = analyse(sessions, pain, as_of=day(3)).patients["P1"].daily
    assert daily["has_log"].tolist() == [True, True, False, True]
    assert daily["sessions"].tolist() == [12, 6, 0, 0]
    assert daily["sessions_back_extension"].tolist() == [3, 6, 0, 0]
    assert daily["date"].dt.date.tolist() == [day(0), day(1), day(2), day(3)]


def test_daily_frame_has_the_documented_columns():
    sessions, pain = rehab_days()
    daily = analyse(sessions, pain, as_of=day(3)).patients["P1"].daily
    assert tuple(daily.columns) == daily_columns(EXERCISES)
    assert "sessions_core" in daily.columns


def test_maintenance_target_is_one_a_day_and_extra_is_capped():
    # Pain-free from day 0: maintenance from day 7. Day 7: one of each; day 8: two of each;
    # day 9: no core.
    sessions = full_sessions(0, 6) + full_sessions(7, 7, per_day=1) + full_sessions(8, 8, per_day=2)
    sessions += full_sessions(9, 9, per_day=1, exercises=EXERCISES[:3])
    pain = pain_series([0] * 10)
    patient = analyse(sessions_frame(sessions), pain_frame(pain), as_of=day(9)).patients["P1"]
    daily = patient.daily
    assert daily["target"].tolist() == [3] * 7 + [1] * 3
    assert daily["adherence"].tolist()[6:] == [1.0, 1.0, 1.0, 0.75]
    adherence = patient.summary.adherence
    assert adherence.by_phase == {"rehab": 1.0, "maintenance": pytest.approx(2.75 / 3, abs=1e-3)}
    # Last 7 days = days 3-9: 4 rehab days x 12 + 3 maintenance days x 4 prescribed sessions.
    assert adherence.target_last_7_days == 4 * 12 + 3 * 4
    assert adherence.sessions_last_7_days == 4 * 12 + 4 + 4 + 3
    assert patient.summary.target_today == 4
    assert patient.summary.sessions_today == 3


def test_last_7_days_is_the_as_of_date_and_the_six_days_before():
    # Complete days 0-9, nothing on days 10-13: the window 7-13 holds 3 complete days of 7.
    sessions = sessions_frame(full_sessions(0, 9))
    pain = pain_frame(pain_series([5] * 14))
    adherence = analyse(sessions, pain, as_of=day(13)).patients["P1"].summary.adherence
    assert adherence.last_7_days == pytest.approx(3 / 7, abs=1e-3)
    assert adherence.overall == pytest.approx(10 / 14, abs=1e-3)


def test_dose_is_the_mean_of_capped_reps_and_hold_ratios():
    rows = [
        {"date": day(0), "exercise": "back_extension", "reps": 5, "hold_seconds": 15},  # (0.5 + 1) / 2
        {"date": day(0), "exercise": "back_extension", "reps": 10},  # 1
        {"date": day(0), "exercise": "back_extension", "reps": 20, "hold_seconds": 30},  # capped: 1
        {"date": day(0), "exercise": "core", "hold_seconds": 5},  # 5 / 10
        {"date": day(0), "exercise": "core"},  # nothing to measure
        {"date": day(0), "exercise": "pelvic tilt", "reps": 1},  # not prescribed
    ]
    patient = analyse(sessions_frame(rows), pain_frame([]), as_of=day(0)).patients["P1"]
    assert patient.summary.adherence.dose == pytest.approx((0.75 + 1 + 1 + 0.5) / 4, abs=1e-3)
    assert patient.daily.loc[0, "dose"] == pytest.approx((0.75 + 1 + 1 + 0.5) / 4)
    # The unknown exercise is counted as a session but not towards adherence.
    assert patient.daily.loc[0, "sessions"] == 6


def test_a_custom_prescription_changes_what_is_measured():
    sessions = sessions_frame(full_sessions(0, 0, per_day=1, exercises=("core",)))
    custom = Prescription(exercises=("core",), rehab_per_day=1, maintenance_per_day=1)
    patient = analyse(sessions, pain_frame([]), as_of=day(0), prescription=custom).patients["P1"]
    assert patient.summary.adherence.overall == 1.0
    default = analyse(sessions, pain_frame([]), as_of=day(0)).patients["P1"]
    assert default.summary.adherence.overall == pytest.approx(1 / 12, abs=1e-3)


@pytest.mark.parametrize(
    ("value", "band"),
    [
        (1.0, "adherent"),
        (0.8, "adherent"),
        (0.79, "borderline"),
        (0.7, "borderline"),
        (0.69, "low"),
        (None, None),
    ],
)
def test_adherence_bands_at_their_cut_offs(value, band):
    assert adherence_band(value, RuleSettings()) == band


def test_adherence_band_cut_offs_come_from_settings():
    assert adherence_band(0.75, RuleSettings(adherent_min=0.75)) == "adherent"
    assert adherence_band(0.75, RuleSettings()) == "borderline"
