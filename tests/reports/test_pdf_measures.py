"""Questionnaires on the patient's PDF: a second page with the table, the rules and Keele's line.

Measures frames are hand-built in the importer's measures shape (TEAM.md, "Measures").
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest

from rehab.analysis import analyse
from rehab.disclaimer import DISCLAIMER
from rehab.library import load_library
from rehab.measures import KEELE_COPYRIGHT, coerce_measures
from rehab.reports.pdf import cohort_pdf, patient_pdf
from rehab.reports.pdf_content import page_content
from tests.reports.report_frames import log_frame
from tests.reports.test_pdf import content_streams, page_count, plain, shown_text

START = date(2026, 9, 1)
AS_OF = START + timedelta(days=20)
GENERATED = datetime(2026, 9, 22, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def cohort():
    sessions = [
        {"patient_id": p, "date": START + timedelta(days=d), "exercise": "core"}
        for p in ("P1", "P2")
        for d in range(21)
    ]
    pain = [
        {"patient_id": p, "date": START + timedelta(days=d), "pain": 5 if d < 3 else 2}
        for p in ("P1", "P2")
        for d in range(21)
    ]
    # P1: ODI 40 % -> 52 % (12 points worse: disability_worse), PSFS 3 -> 6 (better by 3),
    # STarT Back 7 of 9, high risk. P2 has no questionnaire.
    measures = coerce_measures(
        pd.DataFrame(
            {
                "patient_id": ["P1"] * 5,
                "date": pd.to_datetime(
                    ["2026-09-01", "2026-09-15", "2026-09-01", "2026-09-15", "2026-09-01"]
                ),
                "measure": ["odi", "odi", "psfs", "psfs", "start_back"],
                "score": [40.0, 52.0, 3.0, 6.0, 7.0],
                "band": ["", "", "", "", "high"],
                "source_file": ["measures.csv"] * 5,
                "source_row": [2, 3, 4, 5, 6],
            }
        )
    )
    return analyse(
        log_frame("sessions", sessions), log_frame("pain", pain), measures=measures, as_of=AS_OF
    )


def test_questionnaire_rows_say_first_latest_change_and_whether_it_matters(cohort):
    content = page_content(cohort, "P1", load_library(), GENERATED)
    assert content.measures == [
        ("ODI", "40% (1 Sep)", "52% (15 Sep)", "+12", "yes, worse"),
        ("PSFS", "3 (1 Sep)", "6 of 10 (15 Sep)", "+3", "yes, better"),
        ("STarT Back", "7 (1 Sep)", "7 of 9 (1 Sep), high risk", "-", "-"),
    ]
    rules = " ".join(content.measure_notes)
    assert "Oswestry (ODI): meaningful change: A change of 10 points or more" in rules
    assert "Source: Ostelo et al." in rules
    assert "STarT Back risk groups" in rules
    assert content.measure_licences == [KEELE_COPYRIGHT]
    assert [item.rule.split(":")[0] for item in content.flags][:1] == ["Disability score worse"]


def test_a_patient_with_questionnaires_gets_a_second_page(cohort):
    pdf = patient_pdf(cohort, "P1", compress=False, generated_at=GENERATED)
    assert page_count(pdf) == 2
    first, second = (shown_text(stream) for stream in content_streams(pdf))
    assert "Questionnaires" not in first
    assert "Questionnaire First Latest Change Meaningful" in second
    assert "ODI 40% (1 Sep) 52% (15 Sep) +12 yes, worse" in second
    assert plain(KEELE_COPYRIGHT) in second
    # The disclaimer stays, on both pages, and the page count knows there are two.
    for text in (first, second):
        assert plain(DISCLAIMER) in text
    assert "Page 2 of 2" in second


def test_a_patient_without_questionnaires_keeps_one_page(cohort):
    pdf = cohort_pdf(cohort, ["P2", "P1"], compress=False, generated_at=GENERATED)
    streams = [shown_text(stream) for stream in content_streams(pdf)]
    # P2 one page, P1 two: three pages in all, numbered of 3.
    assert page_count(pdf) == 3
    assert "Patient P2" in streams[0]
    assert "Page 1 of 3" in streams[0]
    assert "Questionnaires" not in streams[0]
    assert "Patient P1" in streams[2]
    assert "Page 3 of 3" in streams[2]
    assert page_content(cohort, "P2", load_library(), GENERATED).measures == []
