"""Every patient of a cohort is analysed exactly as when alone, and "stop" always has its flag.

Issue 9, "Tests that would catch a wrong rule": a rule that read the first patient's offsets
(day numbers, baseline, flare reference, phase walk, relapse) stayed green when only the first
patient was compared. Here every patient is.

Issue 13 (the Dask path must give exactly the in-process summary): "as when alone" means to the
last bit and in the same order. Window sums taken over the whole cohort printed a patient's
zero change as -0.0, and flags of one rule followed the cohort's order of exercises, so the
comparison is of the JSON text and of the frames exactly.
"""

from __future__ import annotations

import json
import math

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from rehab.analysis import analyse
from tests.analysis.analysis_frames import day, pain_frame, pain_series, sessions_frame

AS_OF = 30


def as_json(patient) -> str:
    """The patient's summary as ``rehab summary --json`` prints it (-0.0 and 0.0 differ here)."""
    return json.dumps(patient.summary.model_dump(mode="json"), indent=2)


def assert_same_analysis(alone, together) -> None:
    assert together.summary == alone.summary
    assert as_json(together) == as_json(alone)
    assert together.phases == alone.phases
    assert together.flags == alone.flags
    pd.testing.assert_frame_equal(together.daily, alone.daily, check_exact=True)
    pd.testing.assert_frame_equal(together.exercise_response, alone.exercise_response, check_exact=True)


def frames(data, patient):
    """The patient's logs as imported from their own files (row numbers as when alone)."""
    sessions, pain = data[patient]
    return sessions_frame(sessions, file=f"{patient}.csv"), pain_frame(pain, file=f"{patient}_pain.csv")


def cohort_of(data, session_order, pain_order):
    """All patients' logs in one pair of frames, rows in the given patient orders."""
    sessions = pd.concat([frames(data, patient)[0] for patient in session_order], ignore_index=True)
    pain = pd.concat([frames(data, patient)[1] for patient in pain_order], ignore_index=True)
    return analyse(sessions, pain, as_of=day(AS_OF))


def stories() -> dict[str, tuple[list[dict], list[dict]]]:
    """Three patients starting on different days, each exercising a different rule."""
    # "B": starts on day 6, baseline 6 over days with gaps, improves (MCID), then 8 pain-free
    # days: in maintenance at the as-of date, the period that must not spill into "C".
    steady = pain_series([6, None, 6, 6, 5, 4, 3, 3, 2, 2, *[0] * 8], first=6, patient="B")
    # "A": starts on day 0: 8 pain-free days (maintenance), then a relapse of two bad days.
    relapse = pain_series([4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 1], first=0, patient="A")
    # "C": starts on day 12, flares on its 5th entry day (daily pain_flare); hip rolls +2.
    flare = pain_series([3, 3, 3, 3, 6, 3], first=12, patient="C")
    sessions = {
        "B": [{"patient_id": "B", "date": day(7 + d), "exercise": "core"} for d in range(8)],
        "A": [{"patient_id": "A", "date": day(d), "exercise": "cat_stretch"} for d in range(0, 20, 2)],
        "C": [
            {
                "patient_id": "C",
                "date": day(25),
                "exercise": "hip_rolls",
                "pain_before": 3,
                "pain_after": 5,
            },
            {"patient_id": "C", "date": day(27), "exercise": "core", "pain_before": 3, "pain_after": 4},
        ],
    }
    return {
        patient: (sessions[patient], pain)
        for patient, pain in (("B", steady), ("A", relapse), ("C", flare))
    }


def test_every_patient_of_a_three_patient_cohort_is_analysed_as_when_alone():
    data = stories()
    # Rows in orders that do not follow the ids.
    cohort = cohort_of(data, ("C", "A", "B"), ("B", "C", "A"))
    assert list(cohort.patients) == ["A", "B", "C"]
    for patient in data:
        alone = analyse(*frames(data, patient), as_of=day(AS_OF))
        assert_same_analysis(alone.patients[patient], cohort.patients[patient])
    # The stories really exercise the rules they are for.
    a = cohort.patients["A"].summary
    assert [period.reason for period in a.phases] == ["start", "pain_free_run", "relapse"]
    assert a.phases[-1].start == day(12)
    assert cohort.patients["B"].summary.pain.baseline == 6.0
    assert cohort.patients["B"].summary.phase == "maintenance"
    assert cohort.patients["B"].summary.first_day == day(6)
    c_flags = {flag.code for flag in cohort.patients["C"].flags}
    assert "exercise_increases_pain" in c_flags
    assert cohort.patients["C"].daily["pain_flare"].tolist().count(True) == 1


pain_values = st.lists(
    st.one_of(st.none(), st.sampled_from([0, 1, 2, 3, 5, 8])), min_size=1, max_size=14
)
patient_logs = st.tuples(
    st.integers(0, 10),  # first day
    pain_values,
    st.lists(st.tuples(st.integers(0, 14), st.integers(-1, 3)), max_size=6),  # sessions
)


@settings(max_examples=30, deadline=None)
@given(logs=st.lists(patient_logs, min_size=3, max_size=3))
def test_any_three_patients_are_each_analysed_as_when_alone(logs):
    data = {}
    for index, (first, values, sessions) in enumerate(logs):
        patient = f"P{index}"
        pain = pain_series(values, first=first, patient=patient)
        rows = [
            {
                "patient_id": patient,
                "date": day(first + offset),
                "exercise": "hip_rolls",
                "pain_before": 3,
                "pain_after": 3 + change,
            }
            for offset, change in sessions
        ]
        if not pain and not rows:
            rows = [{"patient_id": patient, "date": day(first), "exercise": "core"}]
        data[patient] = (rows, pain)
    everything = cohort_of(data, ("P2", "P1", "P0"), ("P1", "P0", "P2"))
    for patient in data:
        alone = analyse(*frames(data, patient), as_of=day(AS_OF))
        assert_same_analysis(alone.patients[patient], everything.patients[patient])


@settings(max_examples=40, deadline=None)
@given(
    sessions=st.lists(
        st.tuples(
            st.integers(0, 20),
            st.sampled_from(["hip_rolls", "core", "bridge"]),
            st.sampled_from([-1.0, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0]),
        ),
        min_size=1,
        max_size=12,
    ),
    as_of=st.integers(20, 30),
)
def test_a_stop_verdict_always_comes_with_its_flag(sessions, as_of):
    rows = [
        {"date": day(offset), "exercise": exercise, "pain_before": 4, "pain_after": 4 + change}
        for offset, exercise, change in sessions
    ]
    patient = analyse(sessions_frame(rows), pain_frame([]), as_of=day(as_of)).patients["P1"]
    response = patient.exercise_response
    stopped = set(response.loc[response["verdict"] == "stop", "exercise"])
    flagged = {flag.exercise for flag in patient.flags if flag.code == "exercise_increases_pain"}
    assert stopped == flagged
    for exercise in stopped:
        evidence = response.set_index("exercise").loc[exercise, "evidence"]
        assert evidence.startswith("+")
        assert any(evidence in flag.message for flag in patient.flags if flag.exercise == exercise)


def thirds(patient: str, days: int) -> list[dict]:
    """Three entries a day whose daily means are thirds (1.33, 1.67, 2): sums that do not add up
    exactly in binary floating point, so a sum carried over from this patient shows in the last
    bits of the next one's."""
    return [
        {"patient_id": patient, "date": day(offset), "pain": value}
        for offset in range(days)
        for value in (1, 1, 2 + offset % 3)
    ]


def pain_beside(other: list[dict], rows: list[dict]) -> pd.DataFrame:
    """Pain logs of two patients, each from their own file (row numbers as when alone)."""
    return pd.concat([pain_frame(other, file="other.csv"), pain_frame(rows)], ignore_index=True)


def test_a_steady_patients_zero_change_stays_zero_beside_another_patient():
    # "Z": pain 3 every day for 10 days: baseline 3, current 3, change exactly 0.
    steady = pain_series([3] * 10, first=20, patient="Z")
    alone = analyse(sessions_frame([]), pain_frame(steady), as_of=day(AS_OF)).patients["Z"]
    # "A" sorts first, and 10 days of thirds before "Z" left a running sum that made Z's
    # current pain 2.9999999999999996 and the change -0.0 in the printed summary.
    cohort = analyse(sessions_frame([]), pain_beside(thirds("A", 10), steady), as_of=day(AS_OF))
    together = cohort.patients["Z"]
    assert alone.summary.pain.change == 0.0
    assert math.copysign(1.0, together.summary.pain.change) == 1.0
    assert '"change": 0.0,' in as_json(together)
    assert together.daily["pain_rolling7"].tolist() == [3.0] * 11
    assert_same_analysis(alone, together)


def test_a_flare_reference_on_a_rounding_boundary_is_worded_alike_beside_another_patient():
    # "Z": entry days 1, 2, 3, 3 (reference mean exactly 2.25, written "2.2"), then 6: a flare.
    flare = pain_series([1, 2, 3, 3, 6], first=24, patient="Z")
    alone = analyse(sessions_frame([]), pain_frame(flare), as_of=day(AS_OF)).patients["Z"]
    # After 7 days of thirds the cohort-wide running sum made the reference 2.2500000000000004,
    # written "2.3".
    cohort = analyse(sessions_frame([]), pain_beside(thirds("A", 7), flare), as_of=day(AS_OF))
    together = cohort.patients["Z"]
    messages = [flag.message for flag in together.flags if flag.code == "pain_flare"]
    assert len(messages) == 1
    assert "up from about 2.2 on the days before" in messages[0]
    assert_same_analysis(alone, together)


def test_flags_of_one_rule_follow_the_library_then_the_name_whoever_else_is_analysed():
    # "Z" raises pain in four exercises, logged in an order that is neither the library's nor
    # alphabetical: hip rolls, an unknown "zumba", cat stretch, an unknown "aerobics". Each is
    # stopped (+2 this week) and paused from the next day on.
    logged = ["hip_rolls", "zumba", "cat_stretch", "aerobics"]
    z_rows = [
        {
            "patient_id": "Z",
            "date": day(24 + offset),
            "exercise": exercise,
            "pain_before": 3,
            "pain_after": 5,
        }
        for offset, exercise in enumerate(logged)
    ]
    alone = analyse(sessions_frame(z_rows), pain_frame([]), as_of=day(AS_OF)).patients["Z"]
    # "A" logs them first, in yet another order: the cohort met aerobics, cat stretch first.
    a_rows = [
        {"patient_id": "A", "date": day(offset), "exercise": exercise}
        for offset, exercise in enumerate(["aerobics", "cat_stretch", "zumba", "hip_rolls"])
    ]
    both = pd.concat(
        [sessions_frame(a_rows, file="other.csv"), sessions_frame(z_rows)], ignore_index=True
    )
    together = analyse(both, pain_frame([]), as_of=day(AS_OF)).patients["Z"]
    library_then_name = ["cat_stretch", "hip_rolls", "aerobics", "zumba"]
    for patient in (alone, together):
        for code in ("exercise_increases_pain", "exercise_paused"):
            assert [f.exercise for f in patient.flags if f.code == code] == library_then_name
        assert [p.exercise for p in patient.summary.paused_exercises] == library_then_name
        assert patient.exercise_response["exercise"].tolist() == [
            "back_extension",
            "cat_stretch",
            "hip_rolls",
            "core",
            "aerobics",
            "zumba",
        ]
    assert_same_analysis(alone, together)


@settings(max_examples=25, deadline=None)
@given(
    other_days=st.integers(1, 30),
    values=st.lists(st.sampled_from([0, 1, 2, 3, 5, 8]), min_size=1, max_size=12),
    first=st.integers(10, 25),
)
def test_any_patient_beside_one_with_fractional_pain_is_analysed_as_when_alone(
    other_days, values, first
):
    patient = pain_series(values, first=first, patient="Z")
    alone = analyse(sessions_frame([]), pain_frame(patient), as_of=day(AS_OF)).patients["Z"]
    cohort = analyse(sessions_frame([]), pain_beside(thirds("A", other_days), patient), as_of=day(AS_OF))
    assert_same_analysis(alone, cohort.patients["Z"])
