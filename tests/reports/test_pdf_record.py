"""What the PDF record says beside the numbers: when it was made, the pain axis, the words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import vl_convert as vlc

from rehab.analysis import analyse
from rehab.library import load_library
from rehab.reports.pdf import report_pain_chart
from rehab.reports.pdf_content import date_time, page_content
from rehab.sample import DEMO_END, demo_cohort

GENERATED = datetime(2026, 11, 30, 18, 40, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo():
    sample = demo_cohort()
    return analyse(sample.sessions, sample.pain, as_of=DEMO_END)


def _left_axis_titles(chart) -> list[object]:
    vega = vlc.vegalite_to_vega(chart.to_dict())
    return [axis.get("title") for axis in vega.get("axes", []) if axis.get("orient") == "left"]


@pytest.mark.parametrize("patient_id", ["PT-0101", "PT-0104", "PT-0105", "PT-0107"])
def test_the_pain_axis_is_titled_whatever_the_chart_marks(demo, patient_id):
    # PT-0101 has no marked day; the others have a flare, a relapse or a red flag marked,
    # whose layers once dropped the merged axis title.
    assert _left_axis_titles(report_pain_chart(demo, patient_id)) == ["Pain (0–10)"]


def test_a_marked_patient_really_has_marks(demo):
    spec = report_pain_chart(demo, "PT-0107").to_dict()
    assert any(layer.get("mark", {}).get("color") == "#D55E00" for layer in spec["layer"])


def test_the_page_says_when_it_was_generated_beside_the_as_of_date(demo):
    content = page_content(demo, "PT-0107", load_library(), GENERATED)
    assert content.as_of == "20 Nov 2026"
    assert content.generated == "30 Nov 2026, 18:40 UTC"


def test_generated_time_keeps_its_own_zone():
    berlin = timezone(timedelta(hours=1), "CET")
    assert date_time(datetime(2026, 1, 2, 8, 5, tzinfo=berlin)) == "2 Jan 2026, 08:05 CET"
    assert date_time(datetime(2026, 1, 2, 8, 5)) == "2 Jan 2026, 08:05"


def test_the_record_uses_the_app_band_words(demo):
    from rehab.present import BAND_WORDS

    for patient_id in demo.patients:
        rows = dict(page_content(demo, patient_id, load_library(), GENERATED).adherence)
        week = rows["Last 7 days"]
        band = demo.patients[patient_id].summary.adherence.band_last_7_days
        if band is not None:
            assert f"({BAND_WORDS[band]})" in week
        assert " %" not in week


def test_old_pain_is_named_by_its_last_entry_not_current(demo):
    # PT-0106 stopped logging on 3 Nov: 17 days before the as-of date.
    stale = dict(page_content(demo, "PT-0106", load_library(), GENERATED).pain)
    assert "At last entry (3 Nov 2026)" in stale
    assert "Current (last 7 days)" not in stale
    fresh = dict(page_content(demo, "PT-0107", load_library(), GENERATED).pain)
    assert "Current (last 7 days)" in fresh


@pytest.fixture(scope="module")
def paused_cohort():
    return paused_analysis()


def paused_analysis():
    from tests.reports.test_pdf import EXERCISES, day, log_frame

    # Hip rolls 2 -> 4 on 10 Sep, then never logged again while the rest go on: the stop rule
    # pauses it from 11 Sep (clinical-rules.md, "paused exercise").
    sessions = [
        {"patient_id": "P", "date": day(offset), "exercise": exercise}
        for offset in range(17)
        for exercise in EXERCISES
        if exercise != "hip_rolls" or offset < 9
    ]
    sessions.append(
        {"patient_id": "P", "date": day(9), "exercise": "hip_rolls", "pain_before": 2, "pain_after": 4}
    )
    pain = [{"patient_id": "P", "date": day(offset), "pain": 3} for offset in range(17)]
    return analyse(log_frame("sessions", sessions), log_frame("pain", pain), as_of=day(16))


def test_a_paused_exercise_is_named_with_since_and_evidence(paused_cohort):
    from rehab.reports.pdf import patient_pdf
    from tests.reports.test_pdf import content_streams, shown_text

    summary = paused_cohort.patients["P"].summary
    assert [(p.exercise, p.since.isoformat()) for p in summary.paused_exercises] == [
        ("hip_rolls", "2026-09-11")
    ]
    content = page_content(paused_cohort, "P", load_library(), GENERATED)
    assert content.paused_exercises == ["Hip Rolls since 11 Sep 2026 (+2 on 10 Sep)"]
    assert content.stopped_exercises == []  # said once, as paused
    hip_rolls = next(row for row in content.exercises if row[0] == "Hip Rolls")
    assert hip_rolls[-1] == "PAUSED since 11 Sep"
    (stream,) = content_streams(patient_pdf(paused_cohort, "P", compress=False, generated_at=GENERATED))
    assert "Paused: Hip Rolls since 11 Sep 2026 (+2 on 10 Sep)." in shown_text(stream)


def test_no_change_has_no_sign(paused_cohort):
    # Pain 3 every day: baseline 3, current 3.
    rows = dict(page_content(paused_cohort, "P", load_library(), GENERATED).pain)
    assert rows["Change"] == "0.0 points (0%)"
