"""Every patient of a cohort is analysed exactly as when alone, and "stop" always has its flag.

Issue 9, "Tests that would catch a wrong rule": a rule that read the first patient's offsets
(day numbers, baseline, flare reference, phase walk, relapse) stayed green when only the first
patient was compared. Here every patient is.
"""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from rehab.analysis import analyse
from tests.analysis.analysis_frames import day, pain_frame, pain_series, sessions_frame

AS_OF = 30


def assert_same_analysis(alone, together) -> None:
    assert together.summary == alone.summary
    assert together.phases == alone.phases
    assert together.flags == alone.flags
    pd.testing.assert_frame_equal(together.daily, alone.daily)
    pd.testing.assert_frame_equal(together.exercise_response, alone.exercise_response)


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
