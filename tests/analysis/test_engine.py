from __future__ import annotations

import json

import pandas as pd
import pytest

from rehab.analysis import TIER_ORDER, TRIAGE_COLUMNS, analyse
from rehab.schema import empty_frame
from rehab.settings import RuleSettings
from tests.analysis.analysis_frames import day, full_sessions, pain_frame, pain_series, sessions_frame


def test_logs_after_the_as_of_date_are_ignored():
    sessions = sessions_frame(full_sessions(0, 20))
    pain = pain_frame(pain_series([6] * 5 + [0] * 16))
    early = analyse(sessions, pain, as_of=day(10)).patients["P1"]
    assert early.summary.last_log == day(10)
    assert len(early.daily) == 11
    assert early.daily["date"].iloc[-1].date() == day(10)
    assert early.summary.pain.last_entry == day(10)
    assert early.summary.phase == "rehab"  # 6 pain-free days by day 10; 7 by day 11
    later = analyse(sessions, pain, as_of=day(20)).patients["P1"]
    assert later.summary.phase == "maintenance"
    assert later.summary.maintenance_start == day(12)


def test_patients_logging_only_after_the_as_of_date_are_left_out():
    pain = pain_frame(pain_series([5], first=0) + pain_series([5], first=5, patient="P2"))
    assert list(analyse(sessions_frame([]), pain, as_of=day(3)).patients) == ["P1"]


def test_patients_are_analysed_independently():
    first_sessions = sessions_frame(full_sessions(0, 9))
    first_pain = pain_frame(pain_series([6, 5, 4, 3, 2, 1, 1, 1, 1, 1]))
    other_sessions = sessions_frame(full_sessions(3, 12, per_day=1, patient="P2"), file="other.csv")
    other_pain = pain_frame(pain_series([9, 9, 9, 2], first=5, patient="P2"), file="other_pain.csv")
    alone = analyse(first_sessions, first_pain, as_of=day(12)).patients["P1"]
    together = analyse(
        pd.concat([other_sessions, first_sessions], ignore_index=True),
        pd.concat([first_pain, other_pain], ignore_index=True),
        as_of=day(12),
    )
    assert list(together.patients) == ["P1", "P2"]
    assert together.patients["P1"].summary == alone.summary
    pd.testing.assert_frame_equal(together.patients["P1"].daily, alone.daily)
    pd.testing.assert_frame_equal(together.patients["P1"].exercise_response, alone.exercise_response)
    assert together.patients["P2"].summary.first_day == day(3)


def test_summary_json_keeps_the_contract_field_names():
    sessions = sessions_frame(
        [
            *full_sessions(0, 9),
            {"date": day(9), "exercise": "hip_rolls", "pain_before": 1, "pain_after": 3},
        ]
    )
    pain = pain_frame(pain_series([6, 6, 6, 1, 1, 1, 1, 1, 1, 1]))
    document = analyse(sessions, pain, as_of=day(9)).summary_json()
    json.dumps(document)  # serialisable as it is
    assert set(document) == {"as_of", "patients"}
    assert document["as_of"] == "2026-09-10"
    patient = document["patients"][0]
    contract = {
        "patient_id",
        "first_day",
        "last_log",
        "phase",
        "maintenance_start",
        "phases",
        "adherence",
        "pain",
        "alert",
        "flags",
    }
    assert contract <= set(patient)
    assert {"phase", "start", "end"} <= set(patient["phases"][0])
    assert {"overall", "last_7_days", "dose", "by_exercise"} <= set(patient["adherence"])
    assert {"baseline", "current", "change", "change_pct", "mcid_reached", "mcid_date"} <= set(
        patient["pain"]
    )
    flag = patient["flags"][0]
    assert {"code", "tier", "exercise", "message", "dates"} <= set(flag)
    assert flag["code"] == "exercise_increases_pain"
    assert flag["exercise"] == "hip_rolls"
    assert flag["dates"] == ["2026-09-10"]
    assert patient["first_day"] == "2026-09-01"
    assert patient["phases"][-1]["end"] is None
    assert patient["alert"] == "high"
    # Baseline 6; rolling mean on day 3 (6, 6, 6, 1) = 4.75, on day 4 (6, 6, 6, 1, 1) = 4.0:
    # 2 points lower, first met on day 4.
    assert patient["pain"]["mcid_date"] == "2026-09-05"


def triage_cohort():
    """Patients built to land in a known triage order (as-of = day 30)."""
    sessions, pain = [], []
    # A: critical (severe pain today).
    sessions += full_sessions(20, 30, patient="A")
    pain += pain_series([8], first=30, patient="A")
    # C: high (exercise raised pain yesterday).
    sessions += full_sessions(20, 30, patient="C")
    sessions.append(
        {"patient_id": "C", "date": day(29), "exercise": "hip_rolls", "pain_before": 2, "pain_after": 4}
    )
    # B: high (dropped out 20 days ago; its moderate low-adherence flag does not lift it).
    sessions += full_sessions(0, 10, patient="B")
    # D and F: moderate (stale 5 and 10 days, both with low adherence dated today).
    sessions += full_sessions(15, 25, patient="D")
    sessions += full_sessions(10, 20, patient="F")
    # E1 and E2: nothing to flag; E2 last logged 2 days ago.
    sessions += full_sessions(20, 30, patient="E1")
    sessions += full_sessions(20, 28, patient="E2")
    return sessions_frame(sessions), pain_frame(pain)


def test_triage_orders_by_tier_then_newest_flag_then_days_since_last_log():
    sessions, pain = triage_cohort()
    triage = analyse(sessions, pain, as_of=day(30)).triage()
    assert triage["patient_id"].tolist() == ["A", "C", "B", "F", "D", "E2", "E1"]
    assert triage["alert"].tolist() == [
        "critical",
        "high",
        "high",
        "moderate",
        "moderate",
        "none",
        "none",
    ]
    assert triage["alert_rank"].tolist() == [TIER_ORDER[a] for a in triage["alert"]]
    assert tuple(triage.columns) == TRIAGE_COLUMNS
    row = triage.set_index("patient_id").loc["B"]
    assert row["flag_codes"] == "dropped_out, low_adherence"
    assert row["days_since_last_log"] == 20
    assert row["latest_flag_date"].date() == day(10)


def test_summary_json_lists_patients_in_triage_order():
    sessions, pain = triage_cohort()
    cohort = analyse(sessions, pain, as_of=day(30))
    ids = [p["patient_id"] for p in cohort.summary_json()["patients"]]
    assert ids == cohort.triage()["patient_id"].tolist()


def test_changed_settings_change_the_outcome():
    sessions = sessions_frame(full_sessions(0, 6))
    pain = pain_frame(pain_series([3, 3, 3, 3, 3, 3, 7]))
    default = analyse(sessions, pain, as_of=day(6))
    assert default.patients["P1"].summary.alert == "critical"
    relaxed = analyse(sessions, pain, as_of=day(6), settings=RuleSettings(severe_pain=8, flare_rise=5))
    assert relaxed.patients["P1"].summary.alert == "none"
    assert relaxed.settings.severe_pain == 8


def test_the_target_per_day_comes_from_settings():
    sessions = sessions_frame(full_sessions(0, 0, per_day=2))
    pain = pain_frame(pain_series([5]))
    assert analyse(sessions, pain, as_of=day(0)).patients[
        "P1"
    ].summary.adherence.overall == pytest.approx(2 / 3, abs=1e-3)
    two_a_day = RuleSettings(rehab_sessions_per_day=2)
    assert (
        analyse(sessions, pain, as_of=day(0), settings=two_a_day)
        .patients["P1"]
        .summary.adherence.overall
        == 1.0
    )


def test_empty_logs_give_an_empty_cohort():
    cohort = analyse(empty_frame("sessions"), empty_frame("pain"), as_of=day(0))
    assert cohort.patients == {}
    assert cohort.summary_json() == {"as_of": "2026-09-01", "patients": []}
    assert tuple(cohort.triage().columns) == TRIAGE_COLUMNS
    assert cohort.triage().empty


def test_row_order_does_not_change_the_summary():
    sessions = sessions_frame(
        [
            *full_sessions(0, 9),
            {"date": day(8), "exercise": "core", "pain_before": 2, "pain_after": 5, "notes": "fever"},
        ]
    )
    pain = pain_frame(pain_series([6, 6, 6, 4, 3, 2, 2, 2, 5, 1]))
    forward = analyse(sessions, pain, as_of=day(9)).patients["P1"].summary
    shuffled = (
        analyse(
            sessions.sample(frac=1, random_state=3), pain.sample(frac=1, random_state=4), as_of=day(9)
        )
        .patients["P1"]
        .summary
    )
    assert shuffled == forward
