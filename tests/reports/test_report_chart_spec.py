"""The report's pain chart spec from a template per chart shape equals Altair's own spec."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from rehab import present
from rehab.analysis import analyse
from rehab.reports import pdf
from rehab.reports.pdf import report_chart_spec, report_pain_chart
from rehab.sample import DEMO_END, demo_cohort
from rehab.sample.random_cohort import random_cohort


def _cohorts():
    demo = demo_cohort()
    # Two years of logs: the series is binned by week, with the subtitle that says so.
    long = random_cohort(6, 700, 7, end=date(2026, 11, 30))
    # A patient without a single pain entry: an empty series, no baseline, no goal.
    silent = demo.pain.loc[demo.pain["patient_id"] != "PT-0101"]
    return [
        analyse(demo.sessions, demo.pain, as_of=DEMO_END),
        analyse(long.sessions, long.pain, as_of=date(2026, 11, 30)),
        analyse(demo.sessions, silent, as_of=DEMO_END),
    ]


def _many_markers(summary):
    # More events than get labels, of kinds the legend must name, on the patient's own days.
    days = pd.date_range(end=pd.Timestamp(summary.last_log or DEMO_END), periods=15, freq="3D")
    kinds = ["pain_flare", "severe_pain", "red_flag_symptom", "relapse", "other_event"]
    return pd.DataFrame(
        {"date": days, "kind": [kinds[i % 5] for i in range(15)], "label": ["Event"] * 15}
    )


def _no_markers(summary):
    return pd.DataFrame(columns=["date", "kind", "label"])


@pytest.mark.parametrize("markers", [None, _many_markers, _no_markers])
def test_the_spec_from_a_template_is_altairs_spec_key_for_key_in_order(monkeypatch, markers):
    if markers is not None:
        monkeypatch.setattr(present, "chart_markers", markers)
    monkeypatch.setattr(pdf, "_templates", {})
    checked = 0
    for cohort in _cohorts():
        # Twice: the first chart of a shape makes the template, the next ones are made from it.
        for _ in range(2):
            for patient_id in cohort.patients:
                built = report_pain_chart(cohort, patient_id).to_dict(validate=False)
                assert json.dumps(report_chart_spec(cohort, patient_id)) == json.dumps(built)
                checked += 1
    assert pdf._templates, "no chart was made from a template"
    assert checked > 30


def test_two_patients_of_one_shape_get_each_their_own_data(monkeypatch):
    monkeypatch.setattr(pdf, "_templates", {})
    cohort = _cohorts()[0]
    first, second = list(cohort.patients)[:2]
    report_chart_spec(cohort, first)
    spec = report_chart_spec(cohort, second)
    assert spec["datasets"] != report_chart_spec(cohort, first)["datasets"]
    assert spec == report_pain_chart(cohort, second).to_dict(validate=False)
