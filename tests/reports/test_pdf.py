from __future__ import annotations

import re
import string
import struct
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rehab.analysis import analyse
from rehab.disclaimer import DISCLAIMER, RED_FLAG_SOURCE, RED_FLAG_SYMPTOMS, URGENCY_ADVICE
from rehab.library import load_library
from rehab.reports.batch import write_report_batch
from rehab.reports.pdf import (
    CHART_HEIGHT_PX,
    CHART_SCALE,
    CHART_WIDTH_PX,
    cohort_pdf,
    pain_chart_png,
    patient_pdf,
    report_file_names,
)
from rehab.reports.pdf_content import FlagItem, page_content
from rehab.reports.pdf_document import ReportDocument
from rehab.reports.pdf_page import MIN_CHART_SHARE, ChartImage, Layout, draw_page, fit_layout, overflow
from rehab.reports.pdf_text import one_line, safe_file_stem, to_latin1
from rehab.sample import DEMO_END, demo_cohort
from tests.reports.report_frames import log_frame

START = date(2026, 9, 1)
AS_OF = START + timedelta(days=16)  # 17 Sep 2026
EXERCISES = ("back_extension", "cat_stretch", "hip_rolls", "core")
# P1: baseline 6 (days 0-2), 11 pain-free days, then 3 a day from 15 Sep: maintenance from
# 11 Sep (after 7 pain-free days, 4-10 Sep), a relapse on 15 and 16 Sep (back to rehab).
P1_PAIN = [6, 6, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 3]
GONE = "../evil/x"  # one session on 1 Sep, then nothing: dropped out
ACCENTED = "Zoë–1"  # an en dash, outside Latin-1
# When the reports are made: fixed, so that the same analysis gives the same bytes.
GENERATED = datetime(2026, 9, 18, 9, 30, tzinfo=UTC)


def day(offset: int) -> date:
    return START + timedelta(days=offset)


@pytest.fixture(scope="module")
def cohort():
    sessions = [
        {"patient_id": "P1", "date": day(offset), "exercise": exercise}
        for offset in range(17)
        for exercise in EXERCISES
        for _ in range(3)
    ]
    # Pain 2 -> 4 during hip rolls on 16 Sep: the stop rule names that exercise.
    sessions.append(
        {"patient_id": "P1", "date": day(15), "exercise": "hip_rolls", "pain_before": 2, "pain_after": 4}
    )
    sessions.append({"patient_id": GONE, "date": day(0), "exercise": "core"})
    sessions.append({"patient_id": ACCENTED, "date": day(16), "exercise": "core"})
    pain = [
        {"patient_id": "P1", "date": day(offset), "pain": value} for offset, value in enumerate(P1_PAIN)
    ]
    return analyse(log_frame("sessions", sessions), log_frame("pain", pain), as_of=AS_OF)


def content_streams(pdf: bytes) -> list[str]:
    """The page content streams of an uncompressed PDF (the ones that draw text), in page order."""
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL)
    return [stream.decode("latin-1") for stream in streams if b"BT " in stream and b" Tj" in stream]


def shown_text(stream: str) -> str:
    """Every string a stream shows, joined by spaces (wrapped lines join back up)."""
    strings = re.findall(r"\(((?:[^()\\]|\\.)*)\) Tj", stream)
    unescaped = [re.sub(r"\\(.)", r"\1", text) for text in strings]
    return " ".join(" ".join(unescaped).split())


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", pdf))


def plain(text: str) -> str:
    return " ".join(to_latin1(text).split())


@pytest.fixture(scope="module")
def p1_pdf(cohort) -> bytes:
    return patient_pdf(cohort, "P1", compress=False, generated_at=GENERATED)


@pytest.fixture(scope="module")
def p1_text(p1_pdf) -> str:
    (stream,) = content_streams(p1_pdf)
    return shown_text(stream)


@pytest.fixture(scope="module")
def chart(cohort) -> ChartImage:
    return ChartImage.from_png(pain_chart_png(cohort, "P1"))


# --- the file ---------------------------------------------------------------------------


def test_patient_pdf_is_one_a4_page(p1_pdf):
    assert p1_pdf.startswith(b"%PDF-")
    assert p1_pdf.rstrip().endswith(b"%%EOF")
    assert page_count(p1_pdf) == 1
    assert re.search(rb"/MediaBox ?\[0 0 595\.2\d* 841\.8\d*\]", p1_pdf)


def test_the_document_is_dated_when_it_was_generated(p1_pdf):
    assert b"/CreationDate (D:20260918093000" in p1_pdf


def test_the_same_analysis_and_time_give_the_same_bytes(cohort):
    first = patient_pdf(cohort, ACCENTED, generated_at=GENERATED)
    assert first == patient_pdf(cohort, ACCENTED, generated_at=GENERATED)
    later = patient_pdf(cohort, ACCENTED, generated_at=GENERATED + timedelta(days=1))
    assert later != first


def test_the_chart_is_embedded_as_an_image_at_its_fixed_size(p1_pdf):
    assert b"/Subtype /Image" in p1_pdf
    assert b"/Width %d\n" % int(CHART_WIDTH_PX * CHART_SCALE) in p1_pdf


def test_cohort_pdf_has_one_page_per_patient_in_the_order_given(cohort, cached_chart):
    order = [GONE, "P1", ACCENTED]
    pdf = cohort_pdf(cohort, order, compress=False)
    assert page_count(pdf) == 3
    streams = content_streams(pdf)
    assert len(streams) == 3
    titles = [re.search(r"Patient (\S+)", shown_text(stream)).group(1) for stream in streams]
    assert titles == [GONE, "P1", "Zoë-1"]
    for stream in streams:
        assert plain(DISCLAIMER) in shown_text(stream)


def test_an_empty_selection_gives_one_page_that_says_so(cohort):
    pdf = cohort_pdf(cohort, [], compress=False)
    assert page_count(pdf) == 1
    assert "No patients selected." in shown_text(content_streams(pdf)[0])


def test_an_unknown_patient_is_a_key_error(cohort):
    with pytest.raises(KeyError, match="no patient 'nobody'"):
        patient_pdf(cohort, "nobody")


# --- what the page says -----------------------------------------------------------------


def test_the_header_names_patient_period_as_of_and_alert_in_words(p1_text):
    assert "rehab · patient report" in p1_text
    assert "Patient P1" in p1_text
    assert "1 Sep 2026 - 17 Sep 2026" in p1_text
    assert "As of 17 Sep 2026 · generated 18 Sep 2026, 09:30 UTC" in p1_text
    assert "HIGH ALERT" in p1_text


def test_phase_history_gives_dates_and_why_each_phase_began(cohort):
    content = page_content(cohort, "P1", load_library(), GENERATED)
    assert content.phases == [
        ("Rehab", "1 Sep 2026", "10 Sep 2026", "10", "start of the logs"),
        ("Maintenance", "11 Sep 2026", "14 Sep 2026", "4", "7 pain-free days in a row"),
        ("Rehab", "15 Sep 2026", "ongoing", "3", "relapse: 2 days with pain 2 or more"),
    ]


def test_the_page_prints_the_phase_history(p1_text):
    assert "Maintenance 11 Sep 2026 14 Sep 2026 4 7 pain-free days in a row" in p1_text
    assert "Rehab 15 Sep 2026 ongoing 3 relapse: 2 days with pain 2 or more" in p1_text


def test_pain_rows_give_baseline_current_change_and_mcid_date(cohort):
    rows = dict(page_content(cohort, "P1", load_library(), GENERATED).pain)
    # Baseline: mean of 6, 6, 6. Current: 11-17 Sep = (0 * 4 + 3 * 3) / 7 = 1.29.
    assert rows["Baseline"] == "6.0 / 10"
    assert rows["Current (last 7 days)"] == "1.3 / 10"
    assert rows["Change"] == "-4.7 points (-79%)"
    # 30 Aug-5 Sep holds 6, 6, 6, 0, 0: mean 3.6, two points under 6 for the first time.
    assert rows["MCID (-2 or -30%)"] == "yes, on 5 Sep 2026"


def test_adherence_rows_give_overall_week_with_band_and_dose(cohort):
    full = dict(page_content(cohort, "P1", load_library(), GENERATED).adherence)
    # The app's band words, not a second set.
    assert full["Overall"] == "100% (on track)"
    # 17 Sep is the 3rd day of the relapse: 11-14 Sep once a day, 15-17 Sep 3 times, 4 exercises.
    assert full["Last 7 days"] == "100% (on track); 52 of 52 exercises"
    assert full["Dose (reps and hold)"] == "-"
    gone = dict(page_content(cohort, GONE, load_library(), GENERATED).adherence)
    assert gone["Last 7 days"] == "0% (below plan); 0 of 84 exercises"


def test_an_exercise_that_raised_pain_is_named_as_stop_with_what_tripped_it(cohort, p1_text):
    content = page_content(cohort, "P1", load_library(), GENERATED)
    # 2 -> 4 during hip rolls on 16 Sep; logged again that day and the next, so not paused.
    assert content.stopped_exercises == ["Hip Rolls (+2 on 16 Sep)"]
    assert content.paused_exercises == []
    hip_rolls = next(row for row in content.exercises if row[0] == "Hip Rolls")
    assert hip_rolls[-3:] == ("+2.0", "+2.0", "STOP: +2 on 16 Sep")
    assert "Stop: Hip Rolls (+2 on 16 Sep)." in p1_text


def test_flags_come_most_urgent_first_with_message_rule_and_source(cohort, p1_text):
    summary = cohort.patients["P1"].summary
    assert {flag.code for flag in summary.flags} >= {"relapse", "exercise_increases_pain"}
    for flag in summary.flags:
        assert plain(flag.message) in p1_text
    assert "Rule - Relapse: In maintenance, 2 consecutive days" in p1_text
    assert "Source: Stanton et al." in p1_text
    gone = page_content(cohort, GONE, load_library(), GENERATED)
    assert [item.tier for item in gone.flags] == ["high", "moderate"]


def test_every_page_ends_with_the_disclaimer_and_red_flag_advice(p1_text):
    assert plain(DISCLAIMER) in p1_text
    for symptom, urgency in RED_FLAG_SYMPTOMS:
        assert symptom.lower() in p1_text
        assert plain(URGENCY_ADVICE[urgency])[1:] in p1_text
    assert f"Source: {RED_FLAG_SOURCE}" in p1_text
    assert "Page 1 of 1" in p1_text


# --- fitting on one page ----------------------------------------------------------------


def long_flag(number: int) -> FlagItem:
    return FlagItem(
        tier="moderate",
        tier_word="Moderate",
        message=f"Flag number {number}: " + "a long explanation of what happened " * 6,
        rule=f"Rule {number}: " + "the rule in words " * 8,
        source="A source, 2026",
    )


def test_a_long_flag_list_is_cut_to_fit_with_a_note(cohort, chart):
    content = page_content(cohort, "P1", load_library(), GENERATED)
    crowded = replace(content, flags=content.flags + [long_flag(n) for n in range(12)])
    height = chart.height_for(ReportDocument(AS_OF).epw)
    layout = fit_layout(crowded, height, AS_OF)
    assert 1 <= layout.shown_flags < len(crowded.flags)
    assert height * MIN_CHART_SHARE <= layout.chart_height <= height
    assert overflow(crowded, layout, AS_OF) <= 0
    # One more flag would not fit even with the chart at its smallest.
    smallest = Layout(layout.shown_flags + 1, height * MIN_CHART_SHARE)
    assert overflow(crowded, smallest, AS_OF) > 0
    pdf = ReportDocument(AS_OF, compress=False)
    pdf.add_page()
    draw_page(pdf, crowded, chart, layout)
    left_out = len(crowded.flags) - layout.shown_flags
    assert f"and {left_out} more flags not shown here" in shown_text(
        content_streams(bytes(pdf.output()))[0]
    )


def test_long_tables_are_cut_and_the_chart_shrinks_before_the_page_overflows(cohort, chart):
    content = page_content(cohort, "P1", load_library(), GENERATED)
    crowded = replace(
        content,
        flags=[long_flag(1)],
        phases=content.phases * 10,
        exercises=[("A long clinic exercise name " * 2, *row[1:]) for row in content.exercises * 5],
    )
    height = chart.height_for(ReportDocument(AS_OF).epw)
    layout = fit_layout(crowded, height, AS_OF)
    assert layout.shown_flags == 1
    assert overflow(crowded, layout, AS_OF) <= 0
    pdf = ReportDocument(AS_OF, compress=False)
    pdf.add_page()
    draw_page(pdf, crowded, chart, layout)
    text = shown_text(content_streams(bytes(pdf.output()))[0])
    assert "and 27 earlier phases not shown here." in text
    assert "and 16 more exercises not shown here." in text
    # Cut tables keep the most recent phases, and the exercise the stop rule names.
    last_three = " ".join(" ".join(row) for row in content.phases)
    assert last_three in text
    assert "STOP: +2 on 16 Sep" in text


def test_the_demo_patients_fit_with_every_flag_and_the_full_chart():
    demo = demo_cohort()
    analysis = analyse(demo.sessions, demo.pain, as_of=DEMO_END)
    # The PNG is CHART_WIDTH_PX x CHART_HEIGHT_PX (times the scale), drawn across the text width.
    height = ReportDocument(DEMO_END).epw * CHART_HEIGHT_PX / CHART_WIDTH_PX
    for patient_id in analysis.patients:
        content = page_content(analysis, patient_id, load_library(), GENERATED)
        assert fit_layout(content, height, DEMO_END) == Layout(len(content.flags), height)


def test_a_crowded_page_shortens_the_chart_before_it_leaves_out_a_flag(cohort, chart):
    content = page_content(cohort, "P1", load_library(), GENERATED)
    height = chart.height_for(ReportDocument(AS_OF).epw)
    layout = fit_layout(content, height, AS_OF)
    assert layout.shown_flags == len(content.flags) == 3
    assert height * MIN_CHART_SHARE <= layout.chart_height < height
    assert -0.01 < overflow(content, layout, AS_OF) <= 0


def test_chart_image_reads_its_size_from_the_png_header():
    header = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + struct.pack(">II", 640, 230)
    image = ChartImage.from_png(header + b"\x00" * 8)
    assert (image.width_px, image.height_px) == (640, 230)
    assert image.height_for(64.0) == pytest.approx(23.0)
    with pytest.raises(ValueError, match="not a PNG"):
        ChartImage.from_png(b"GIF89a" + b"\x00" * 30)


# --- Latin-1 text -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pain 0–1 — less", "Pain 0-1 - less"),
        ("œuvre—ı", "oeuvre-i"),
        ("“quoted” ‘single’", "\"quoted\" 'single'"),
        ("≥ 2, ≤ 1, −3 …", ">= 2, <= 1, -3 ..."),
        ("café Zoë", "café Zoë"),  # Latin-1 letters stay
        ("Łódź ﬁt", "Lódz fit"),  # accents outside Latin-1 go, ligatures open up
        ("a\u00a0b\u202fc\u200bd\tE\r", "a b cd E "),
        ("line one\nline two", "line one\nline two"),
        ("😀 日本", "? ??"),
    ],
)
def test_to_latin1_spells_unicode_punctuation_in_latin1(text, expected):
    assert to_latin1(text) == expected


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_to_latin1_never_raises_and_always_encodes(text):
    spelled = to_latin1(text)
    spelled.encode("latin-1")
    assert all(char == "\n" or char.isprintable() for char in spelled)
    assert to_latin1(spelled) == spelled


@given(st.text(alphabet=string.printable.replace("\r", "").replace("\x0b", "").replace("\x0c", "")))
def test_to_latin1_leaves_plain_ascii_alone(text):
    assert to_latin1(text) == text.replace("\t", " ")


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=200))
def test_any_text_prints_in_the_core_font(text):
    pdf = ReportDocument(AS_OF)
    pdf.add_page()
    pdf.paragraph(text, 9, 4)
    pdf.grid(("Column",), [(text,)], (1,))
    assert bytes(pdf.output()).startswith(b"%PDF-")


def test_one_line_collapses_line_breaks():
    assert one_line(" a\n\tb  c ") == "a b c"


# --- files ------------------------------------------------------------------------------


@settings(max_examples=200)
@given(st.text())
def test_safe_file_stem_stays_inside_the_folder(tmp_path_factory, name):
    stem = safe_file_stem(name)
    assert re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9._-]*", stem)
    assert len(stem) <= 80
    folder = tmp_path_factory.getbasetemp()
    assert (folder / f"{stem}.pdf").resolve().parent == folder.resolve()


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("PT-0101", "PT-0101"),
        ("../evil/x", "evil_x"),
        ("..", "patient"),
        ("CON", "_CON"),
        (ACCENTED, "Zoe-1"),
    ],
)
def test_safe_file_stem_examples(name, stem):
    assert safe_file_stem(name) == stem


def test_file_names_stay_distinct_when_ids_clash_once_made_safe():
    assert report_file_names(["a/b", "a_b", "A_B", "c"]) == [
        "a_b.pdf",
        "a_b-2.pdf",
        "A_B-3.pdf",
        "c.pdf",
    ]


@pytest.fixture
def cached_chart(monkeypatch, chart):
    """Reuse one rendered chart: these tests are about files, not pictures."""
    monkeypatch.setattr("rehab.reports.pdf.pain_chart_png", lambda cohort, patient_id: chart.png)


def test_write_report_batch_defaults_to_every_patient_most_urgent_first(cohort, tmp_path, cached_chart):
    written = write_report_batch(cohort, tmp_path, jobs=1).written
    triage = [str(patient_id) for patient_id in cohort.triage()["patient_id"]]
    assert [path.name for path in written] == report_file_names(triage)
    assert len(written) == len(cohort.patients) == 3


def test_write_report_batch_writes_one_pdf_per_patient_inside_the_folder(cohort, tmp_path, cached_chart):
    out = tmp_path / "reports" / "today"
    written = write_report_batch(cohort, out, [GONE, ACCENTED], jobs=1).written
    assert written == [out / "evil_x.pdf", out / "Zoe-1.pdf"]
    assert sorted(path.name for path in tmp_path.rglob("*") if path.is_file()) == [
        "Zoe-1.pdf",
        "evil_x.pdf",
    ]
    for path in written:
        data = path.read_bytes()
        assert data.startswith(b"%PDF-")
        assert page_count(data) == 1
