"""A patient's daily series and exercise table are cut from the cohort's frames when read.

The engine keeps where each patient's rows are (issue 13: cutting 2,000 frames for 1,000
patients cost a third of the analysis); reading, copying or pickling a patient must still give
exactly that patient's frames, numbered from 0, and never carry the whole cohort along.
"""

from __future__ import annotations

import copy
import pickle

import pandas as pd

from rehab.analysis import PatientAnalysis, analyse
from rehab.analysis.patient_rows import CohortRows
from tests.analysis.analysis_frames import day, full_sessions, pain_frame, pain_series, sessions_frame


def cohort(patients: int = 6):
    sessions = [row for p in range(patients) for row in full_sessions(p, 20, patient=f"P{p}")]
    pain = [
        row for p in range(patients) for row in pain_series([5, 4, 4, 3, 2], first=p, patient=f"P{p}")
    ]
    return analyse(sessions_frame(sessions), pain_frame(pain), as_of=day(20))


def test_each_patients_frames_are_their_own_rows_numbered_from_zero():
    analysis = cohort()
    for offset, (patient_id, patient) in enumerate(analysis.patients.items()):
        daily = patient.daily
        # P0 starts on day 0, P5 on day 5; each runs to the as-of date.
        assert daily["date"].tolist() == list(pd.date_range(day(offset), day(20)))
        assert daily.index.equals(pd.RangeIndex(21 - offset))
        assert patient.daily is daily  # cut once, then kept
        response = patient.exercise_response
        assert response.index.equals(pd.RangeIndex(4))
        assert response["sessions"].tolist() == [3 * (21 - offset)] * 4, patient_id


def test_a_pickled_or_copied_patient_carries_its_own_rows_only():
    analysis = cohort()
    patient = analysis.patients["P5"]
    alone = pickle.dumps(patient)
    # The rows are cut before pickling: the cohort's 6 patients would be 5 times larger.
    assert isinstance(patient.__dict__["_daily"], CohortRows)
    assert len(alone) < len(pickle.dumps(analysis.patients)) / 3
    restored = pickle.loads(alone)
    assert not isinstance(restored.__dict__["_daily"], CohortRows)
    pd.testing.assert_frame_equal(restored.daily, patient.daily, check_exact=True)
    pd.testing.assert_frame_equal(
        restored.exercise_response, patient.exercise_response, check_exact=True
    )
    assert restored.summary == patient.summary
    pd.testing.assert_frame_equal(copy.deepcopy(patient).daily, patient.daily, check_exact=True)


def test_a_patient_built_from_frames_keeps_them():
    daily, response = pd.DataFrame({"date": []}), pd.DataFrame({"exercise": []})
    summary = cohort(1).patients["P0"].summary
    patient = PatientAnalysis(
        summary=summary, daily=daily, phases=[], exercise_response=response, flags=[]
    )
    assert patient.daily is daily
    assert patient.exercise_response is response


def test_a_patient_without_questionnaires_reads_an_empty_frame_of_its_own():
    analysis = cohort(3)
    first, second, third = analysis.patients.values()
    empty = first.measures
    pd.testing.assert_frame_equal(empty, pd.DataFrame(), check_exact=True)
    assert first.measures is empty  # made once, then kept
    empty["score"] = []
    # Another patient's, and a patient built without measures, are still empty.
    pd.testing.assert_frame_equal(second.measures, pd.DataFrame(), check_exact=True)
    frames = {"daily": pd.DataFrame(), "exercise_response": pd.DataFrame()}
    built = PatientAnalysis(summary=third.summary, phases=[], flags=[], **frames)
    pd.testing.assert_frame_equal(built.measures, pd.DataFrame(), check_exact=True)
    for moved in (pickle.loads(pickle.dumps(third)), copy.deepcopy(third)):
        pd.testing.assert_frame_equal(moved.measures, pd.DataFrame(), check_exact=True)
