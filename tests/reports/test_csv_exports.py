"""The CSV exports a program reads: header on the first line, numbers as numbers, and the
disclaimer a person still sees (the last column, on every row)."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from rehab.analysis import analyse
from rehab.disclaimer import DISCLAIMER
from rehab.present import BAND_WORDS, PHASE_WORDS, TIER_WORDS
from rehab.reports import summary_csv
from rehab.sample import DEMO_END, demo_cohort


@pytest.fixture(scope="module")
def demo():
    sample = demo_cohort()
    return analyse(sample.sessions, sample.pain, as_of=DEMO_END)


@pytest.fixture(scope="module")
def exported(demo) -> bytes:
    return summary_csv(demo)


def test_the_first_line_is_the_header(exported):
    assert exported.startswith(b"\xef\xbb\xbf")  # Excel reads the accents right
    first = exported.decode("utf-8-sig").splitlines()[0]
    assert first.startswith("patient_id,as_of,alert,phase,")
    assert first.endswith(",disclaimer")


def test_pandas_reads_it_as_it_is_and_the_disclaimer_is_on_every_row(exported, demo):
    table = pd.read_csv(io.BytesIO(exported), encoding="utf-8-sig")
    assert len(table) == len(demo.patients)
    assert table.columns[-1] == "disclaimer"
    assert (table["disclaimer"] == DISCLAIMER).all()
    assert list(table["patient_id"]) == list(demo.triage()["patient_id"])


def test_numbers_are_numbers_in_the_units_the_app_shows(exported, demo):
    table = pd.read_csv(io.BytesIO(exported), encoding="utf-8-sig").set_index("patient_id")
    summary = demo.patients["PT-0107"].summary
    row = table.loc["PT-0107"]
    # 95% in the app is 95 in adherence_last_7_days_percent, a whole number.
    assert table["adherence_last_7_days_percent"].dtype.kind == "i"
    assert row["adherence_last_7_days_percent"] == round(summary.adherence.last_7_days * 100)
    assert row["pain_current"] == round(summary.pain.current, 1)
    assert row["days_since_last_log"] == 0
    assert row["last_log"] == summary.last_log.isoformat()
    assert table.loc["PT-0106", "days_since_last_log"] == 17


def test_tier_phase_and_band_are_the_app_words(exported, demo):
    table = pd.read_csv(io.BytesIO(exported), encoding="utf-8-sig").set_index("patient_id")
    assert set(table["alert"]) <= set(TIER_WORDS.values())
    assert table.loc["PT-0107", "alert"] == "Critical"
    assert set(table["phase"]) <= set(PHASE_WORDS.values())
    bands = set(table["adherence_last_7_days_band"].dropna())
    assert bands
    assert bands <= set(BAND_WORDS.values())
    assert table.loc["PT-0106", "adherence_last_7_days_band"] == BAND_WORDS["low"]


def test_a_selection_keeps_triage_order_and_the_header(demo):
    data = summary_csv(demo, ["PT-0101", "PT-0107"])
    table = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(table["patient_id"]) == ["PT-0107", "PT-0101"]
    assert (table["disclaimer"] == DISCLAIMER).all()


def test_no_text_cell_can_run_as_a_formula(exported):
    table = pd.read_csv(io.BytesIO(exported), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    for column in table.columns:
        for cell in table[column]:
            if cell.startswith(("=", "+", "-", "@")):
                float(cell)  # only numbers may start like a formula


def test_paused_exercises_are_listed_with_since_and_evidence():
    from tests.reports.test_pdf_record import paused_analysis

    table = pd.read_csv(io.BytesIO(summary_csv(paused_analysis())), encoding="utf-8-sig")
    assert table.loc[0, "paused_exercises"] == "Hip Rolls since 2026-09-11 (+2 on 10 Sep)"
    assert table.columns[-1] == "disclaimer"
