"""Questionnaires in the analysis: per-patient rows, change from the first, the two flags.

The measures frames are hand-built in the importer's measures shape (the team contract:
patient_id, date, measure, version, score, band, complete, subscale, answers, source_file,
source_row). Expected values are worked out by hand in the comments.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from rehab.analysis import FLAG_CODES, analyse
from rehab.analysis.flags import FLAG_TIERS
from rehab.analysis.measure_flags import mcid_threshold, measure_changes
from rehab.screening import FLAG_WORDS
from rehab.settings import RuleSettings, rules
from tests.analysis.analysis_frames import day, full_sessions, pain_frame, pain_series, sessions_frame

AS_OF = day(20)
_PAIN = [6.0] * 3 + [2.0] * 18


def measures_frame(rows: list[dict[str, Any]], file: str = "measures.csv") -> pd.DataFrame:
    """A measures log in the importer's shape; rows give patient_id, date, measure, score, band."""
    frame = pd.DataFrame(
        {
            "patient_id": pd.Series([r.get("patient_id", "P1") for r in rows], dtype="string"),
            "date": pd.to_datetime([r["date"] for r in rows]).astype("datetime64[ns]"),
            "measure": pd.Series([r["measure"] for r in rows], dtype="string"),
            "version": pd.Series([r.get("version", "") for r in rows], dtype="string"),
            "score": pd.Series([r["score"] for r in rows], dtype="float64"),
            "band": pd.Series([r.get("band", "") for r in rows], dtype="string"),
            "complete": pd.Series([r.get("complete", True) for r in rows], dtype="bool"),
            "subscale": pd.Series([r.get("subscale", float("nan")) for r in rows], dtype="float64"),
            "answers": pd.Series(["[]"] * len(rows), dtype="string"),
            "source_file": pd.Series([file] * len(rows), dtype="string"),
            "source_row": pd.Series(range(2, len(rows) + 2), dtype="int64"),
        }
    )
    return frame


def _logs(patients: tuple[str, ...] = ("P1",)) -> tuple[pd.DataFrame, pd.DataFrame]:
    # Full adherence, pain from 6 down to 2 (a meaningful improvement): no flag of the logs
    # themselves, as of day 20.
    sessions = sessions_frame([row for p in patients for row in full_sessions(0, 20, patient=p)])
    pain = pain_frame([row for p in patients for row in pain_series(_PAIN, patient=p)])
    return sessions, pain


def _analyse(measures: pd.DataFrame | None, patients: tuple[str, ...] = ("P1",)) -> Any:
    sessions, pain = _logs(patients)
    return analyse(sessions, pain, measures=measures, as_of=AS_OF)


def test_without_measures_the_analysis_is_unchanged():
    sessions, pain = _logs(("P1", "P2"))
    before = analyse(sessions, pain, as_of=AS_OF)
    empty = measures_frame([])
    for measures in (None, empty):
        after = analyse(sessions, pain, measures=measures, as_of=AS_OF)
        assert after.summary_json() == before.summary_json()
        assert after.patients["P1"].measure_changes == []
        assert after.patients["P1"].measures.empty


def test_the_baseline_logs_raise_no_flag():
    # Guards the other tests: any flag they see comes from the questionnaires.
    assert _analyse(None).patients["P1"].flags == []


def test_start_back_high_risk_raises_a_moderate_flag_in_kind_words():
    measures = measures_frame(
        [{"date": day(2), "measure": "start_back", "score": 7, "band": "high", "subscale": 4}]
    )
    patient = _analyse(measures).patients["P1"]
    [flag] = patient.flags
    assert flag.code == "start_back_high_risk"
    assert flag.tier == "moderate"
    assert patient.summary.alert == "moderate"
    assert flag.dates == [day(2)]
    assert flag.rows == [("measures.csv", 2)]
    assert "7 of 9" in flag.message
    assert "3 Sep" in flag.message
    assert "not a diagnosis" in flag.message
    assert "talk" in flag.message


def test_only_the_latest_start_back_counts():
    # High at the first visit, medium three weeks later: no flag now.
    measures = measures_frame(
        [
            {"date": day(0), "measure": "start_back", "score": 8, "band": "high"},
            {"date": day(18), "measure": "start_back", "score": 5, "band": "medium"},
        ]
    )
    assert _analyse(measures).patients["P1"].flags == []


@pytest.mark.parametrize(
    ("measure", "first", "latest", "flagged"),
    [
        ("odi", 40.0, 52.0, True),  # 12 points worse >= 10
        ("odi", 40.0, 50.0, True),  # exactly 10: at least the MCID
        ("odi", 40.0, 49.0, False),  # 9 points: less than the MCID
        ("odi", 10.0, 18.0, False),  # 80 % worse but only 8 points: worsening is in points
        ("rmdq", 8.0, 13.0, True),  # 5 points worse
        ("rmdq", 8.0, 12.0, False),  # 4 points
        ("odi", 52.0, 40.0, False),  # better is never a worsening flag
        ("psfs", 6.0, 2.0, False),  # PSFS is not a disability score for this flag
    ],
)
def test_disability_worse_follows_the_mcid_in_points(measure, first, latest, flagged):
    measures = measures_frame(
        [
            {"date": day(1), "measure": measure, "score": first},
            {"date": day(15), "measure": measure, "score": latest},
        ]
    )
    patient = _analyse(measures).patients["P1"]
    codes = [flag.code for flag in patient.flags]
    assert codes == (["disability_worse"] if flagged else [])


def test_disability_worse_says_by_how_much_and_since_when():
    measures = measures_frame(
        [
            {"date": day(1), "measure": "odi", "score": 40.0},
            {"date": day(8), "measure": "odi", "score": 44.0},
            {"date": day(15), "measure": "odi", "score": 52.0},
        ]
    )
    patient = _analyse(measures).patients["P1"]
    [flag] = patient.flags
    assert flag.tier == "high"
    assert patient.summary.alert == "high"
    # First 40 % on 2 Sep, latest 52 % on 16 Sep: 12 points worse; the MCID is 10.
    assert "40% on 2 Sep to 52% on 16 Sep" in flag.message
    assert "12 percentage points worse" in flag.message
    assert "10 percentage points" in flag.message
    assert flag.dates == [day(1), day(15)]
    assert flag.rows == [("measures.csv", 2), ("measures.csv", 4)]


def test_a_changed_mcid_setting_changes_the_flag():
    measures = measures_frame(
        [
            {"date": day(1), "measure": "rmdq", "score": 8.0},
            {"date": day(15), "measure": "rmdq", "score": 11.0},
        ]
    )
    sessions, pain = _logs()
    default = analyse(sessions, pain, measures=measures, as_of=AS_OF)
    strict = analyse(
        sessions, pain, measures=measures, as_of=AS_OF, settings=RuleSettings(rmdq_mcid_points=3)
    )
    assert default.patients["P1"].flags == []
    assert [f.code for f in strict.patients["P1"].flags] == ["disability_worse"]


def test_both_flags_sort_with_the_others_by_tier_then_rule_order():
    # Pain of 8 on the last day: severe_pain (critical) comes before disability_worse (high),
    # then start_back_high_risk (moderate).
    sessions, _ = _logs()
    pain = pain_frame(pain_series([*_PAIN[:-1], 8.0]))
    measures = measures_frame(
        [
            {"date": day(0), "measure": "start_back", "score": 7, "band": "high"},
            {"date": day(1), "measure": "rmdq", "score": 6.0},
            {"date": day(16), "measure": "rmdq", "score": 14.0},
        ]
    )
    patient = analyse(sessions, pain, measures=measures, as_of=AS_OF).patients["P1"]
    codes = [flag.code for flag in patient.flags]
    assert codes[0] == "severe_pain"
    assert codes.index("disability_worse") < codes.index("start_back_high_risk")
    assert patient.summary.alert == "critical"
    assert patient.summary.flags == patient.flags
    # docs/rules.md lists each flag's tier from FLAG_TIERS: the flags raised carry those tiers.
    assert all(flag.tier == FLAG_TIERS[flag.code] for flag in patient.flags)
    assert set(FLAG_TIERS) == set(FLAG_CODES)


def test_rows_after_the_as_of_date_and_unscored_rows_are_left_out():
    measures = measures_frame(
        [
            {"date": day(1), "measure": "odi", "score": 30.0},
            {"date": day(10), "measure": "odi", "score": float("nan"), "complete": False},
            {"date": day(12), "measure": "odi", "score": 34.0},
            {"date": day(25), "measure": "odi", "score": 60.0},  # after the as-of day 20
        ]
    )
    patient = _analyse(measures).patients["P1"]
    assert len(patient.measures) == 3
    assert patient.measures["date"].is_monotonic_increasing
    [change] = patient.measure_changes
    # Scored responses on or before day 20: 30 then 34; the unscored one does not count.
    assert (change.first_score, change.latest_score, change.change) == (30.0, 34.0, 4.0)
    assert change.responses == 2
    assert change.latest_date == day(12)
    assert patient.flags == []


def test_measures_are_cut_per_patient_and_sorted_by_date():
    measures = measures_frame(
        [
            {"patient_id": "P2", "date": day(9), "measure": "psfs", "score": 7.0},
            {"patient_id": "P1", "date": day(3), "measure": "psfs", "score": 3.0},
            {"patient_id": "P2", "date": day(2), "measure": "psfs", "score": 4.0},
            {"patient_id": "NO-LOGS", "date": day(2), "measure": "psfs", "score": 4.0},
        ]
    )
    cohort = _analyse(measures, patients=("P1", "P2"))
    assert set(cohort.patients) == {"P1", "P2"}  # questionnaires alone do not add a patient
    p2 = cohort.patients["P2"]
    assert p2.measures["date"].tolist() == [pd.Timestamp(day(2)), pd.Timestamp(day(9))]
    [change] = p2.measure_changes
    # PSFS: higher is better; 4 -> 7 is 3 points better, more than the 2 that matter.
    assert (change.change, change.meaningful, change.rule_id) == (3.0, "better", "psfs_mcid")
    assert len(cohort.patients["P1"].measures) == 1


def test_improvement_counts_by_points_or_percent():
    settings = RuleSettings()
    # ODI 20 -> 14: 6 points, which is 30 % of 20 (fewer than 10 points): meaningful.
    assert mcid_threshold("odi", 20.0, settings) == pytest.approx(6.0)
    assert mcid_threshold("odi", 20.0, settings, worse=True) == 10.0
    assert mcid_threshold("start_back", 5.0, settings) is None
    rows = measures_frame(
        [
            {"date": day(0), "measure": "odi", "score": 20.0},
            {"date": day(10), "measure": "odi", "score": 14.0},
            {"date": day(0), "measure": "start_back", "score": 5.0, "band": "medium"},
            {"date": day(10), "measure": "start_back", "score": 2.0, "band": "low"},
        ]
    )
    odi, start_back = measure_changes(rows, settings)
    assert (odi.measure, odi.meaningful) == ("odi", "better")
    assert (start_back.measure, start_back.meaningful, start_back.latest_band) == (
        "start_back",
        "",
        "low",
    )


def test_new_flags_have_rules_words_and_a_place_in_the_order():
    described = rules()
    for code in ("start_back_high_risk", "disability_worse"):
        assert code in FLAG_CODES
        assert described[code].source
        assert FLAG_WORDS[code]
    assert set(FLAG_WORDS) == set(FLAG_CODES)


def test_change_sentences_say_the_direction_size_and_whether_it_matters():
    from rehab.measure_words import measure_view

    rows = measures_frame(
        [
            {"date": day(0), "measure": "rmdq", "score": 14.0},
            {"date": day(20), "measure": "rmdq", "score": 11.0},
            {"date": day(0), "measure": "odi", "score": 30.0},
            {"date": day(20), "measure": "odi", "score": 41.0},
            {"date": day(0), "measure": "psfs", "score": 5.0},
            {"date": day(0), "measure": "start_back", "score": 6.0, "band": "medium"},
            {"date": day(20), "measure": "start_back", "score": 2.0, "band": "low"},
        ]
    )
    odi, rmdq, psfs, start_back = (measure_view(c) for c in measure_changes(rows, RuleSettings()))
    # ODI 30 -> 41: 11 points worse; worsening is judged in points (10).
    assert (
        odi.change
        == "Worse by 11 percentage points since 1 Sep, more than the 10-point change that matters."
    )
    assert (odi.meaningful, odi.delta) == ("yes, worse", "+11 since 1 Sep")
    # RMDQ 14 -> 11: 3 better; 30 % of 14 is 4.2, fewer than the 5 points, so 4.2 applies.
    assert rmdq.change == "Better by 3 points since 1 Sep, less than the 4.2-point change that matters."
    assert (rmdq.latest, rmdq.meaningful) == ("11 of 24", "no")
    assert psfs.change == "One response so far: the change shows from the second."
    assert (psfs.delta, psfs.meaningful) == (None, "-")
    assert start_back.change == "Lower by 4 points since 1 Sep."
    assert (start_back.band, start_back.meaningful) == ("low risk", "-")
