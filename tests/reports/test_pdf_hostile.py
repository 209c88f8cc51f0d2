"""PDF reports from hostile logs: text a file wrote prints as written, and stays in its place.

Issue 10: a patient id ``PT-{nb}`` printed as ``PT-2`` (fpdf2's page-count alias, another
patient's id), long names overprinted the disclaimer and long ids ran off the page. These
tests read where every line of text is drawn from the uncompressed page content, so they need
no PDF reader.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fpdf import FPDF

from rehab.analysis import analyse
from rehab.disclaimer import DISCLAIMER
from rehab.library import load_library
from rehab.reports.pdf import cohort_pdf, pain_chart_png, patient_pdf
from rehab.reports.pdf_content import MAX_MESSAGE_CHARS, FlagItem, page_content
from rehab.reports.pdf_document import MARGIN_SIDE, ReportDocument
from rehab.reports.pdf_page import ChartImage, fit_layout, overflow
from rehab.reports.pdf_text import MAX_ID_CHARS, MAX_NAME_CHARS, cut
from tests.reports.report_frames import log_frame

START = date(2026, 9, 1)
AS_OF = START + timedelta(days=16)
GENERATED = datetime(2026, 9, 18, 9, 30, tzinfo=UTC)
PT_TO_MM = 25.4 / 72
A4_WIDTH, A4_HEIGHT = 210.0, 297.0

ALIASED = "PT-{nb}"  # printed as "PT-2" in a two-page PDF before the fix
BARE_ALIAS = "{nb}"
ALIASED_EXERCISE = "Squat {nb} **twice** --slow--"  # fpdf2 markdown markers too
LONG_ID = "PT-" + "1234567890" * 30  # 303 characters
LONG_NAMES = "PT-long-names"
LONG_NAME = "Knee bend with a resistance band " * 15  # 495 characters, with spaces
UNBROKEN_NAME = "Hamstringstretch" * 32  # 512 characters, one word
FOREIGN_ID = "PT-\U0001f600\u4e2d\u202e\x07-7"  # emoji, CJK, a direction override, a bell
FOREIGN_NAME = "Knie \u05e2\u05d1 \u4e2d\u6587 \U0001f9b5 bend"  # Hebrew, Chinese, an emoji


def day(offset: int) -> date:
    return START + timedelta(days=offset)


def daily_sessions(patient: str, exercises: list[str], note: str = "") -> list[dict[str, Any]]:
    """Every exercise every day, then each raising pain by 4 on the 16th: the stop rule trips."""
    rows = [
        {"patient_id": patient, "date": day(offset), "exercise": exercise, "notes": note}
        for offset in range(17)
        for exercise in exercises
    ]
    rows += [
        {"patient_id": patient, "date": day(15), "exercise": name, "pain_before": 1, "pain_after": 5}
        for name in exercises
    ]
    return rows


@pytest.fixture(scope="module")
def cohort():
    many = [LONG_NAME, UNBROKEN_NAME, FOREIGN_NAME] + [f"Drill {n} {{nb}}" for n in range(50)]
    long_note = "{nb} numbness in both legs, " + "a long note about the day " * 80
    sessions = (
        daily_sessions(LONG_ID, many, long_note)
        + daily_sessions(ALIASED, [ALIASED_EXERCISE], "felt {nb} better")
        + daily_sessions(BARE_ALIAS, ["core"])
        + daily_sessions(FOREIGN_ID, [FOREIGN_NAME])
        + daily_sessions(LONG_NAMES, [LONG_NAME, UNBROKEN_NAME], long_note)
    )
    pain = [
        {"patient_id": patient, "date": day(offset), "pain": 7, "notes": long_note}
        for patient in (LONG_ID, ALIASED, BARE_ALIAS, FOREIGN_ID, LONG_NAMES)
        for offset in range(17)
    ]
    return analyse(log_frame("sessions", sessions), log_frame("pain", pain), as_of=AS_OF)


@pytest.fixture(scope="module")
def chart_png(cohort) -> bytes:
    # The crowded patient's own chart, rendered once: the tests below are about the text.
    return pain_chart_png(cohort, LONG_ID)


@pytest.fixture(scope="module")
def report(cohort, chart_png):
    """Build an uncompressed PDF of the given patients, the chart rendered once."""

    def build(*patient_ids: str) -> bytes:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("rehab.reports.pdf.pain_chart_png", lambda cohort, patient_id: chart_png)
            return cohort_pdf(cohort, list(patient_ids), compress=False, generated_at=GENERATED)

    return build


# --- reading the page back ----------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of text as drawn: its words, where it starts, and how wide it is (mm)."""

    text: str
    x: float
    top: float  # from the top of the page, like the layout's own numbers
    bottom: float
    width: float

    @property
    def right(self) -> float:
        return self.x + self.width


_TOKENS = re.compile(
    r"/F(\d+) ([\d.]+) Tf"
    r"|BT ([\d.]+) ([\d.]+) Td [^(]*?\(((?:[^()\\]|\\.)*)\) Tj"
    r"|([\d.]+) 0 0 ([\d.]+) ([\d.]+) ([\d.]+) cm /I\d+ Do"
)
_STYLES = {
    "Helvetica": "",
    "Helvetica-Bold": "B",
    "Helvetica-Oblique": "I",
    "Helvetica-BoldOblique": "BI",
}


def font_styles(pdf: bytes) -> dict[str, str]:
    """Map the page's font names (``1`` for /F1) to Helvetica styles ("B", "I")."""
    objects = dict(re.findall(rb"(\d+) 0 obj\s*<<\s*/BaseFont /([\w-]+)", pdf))
    return {
        name.decode(): _STYLES[objects[number].decode()]
        for name, number in re.findall(rb"/F(\d+) (\d+) 0 R", pdf)
    }


def page_lines(pdf: bytes) -> list[list[Line]]:
    """Every text line and image of every page, in drawing order, measured in mm."""
    styles = font_styles(pdf)
    ruler = FPDF(unit="pt")
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL)
    pages = []
    for stream in (s.decode("latin-1") for s in streams if b" Tj" in s):
        lines, size = [], 0.0
        for match in _TOKENS.finditer(stream):
            font, points, x, y, text, *image = match.groups()
            if font:
                size = float(points)
                ruler.set_font("Helvetica", styles[font], size)
            elif text is not None:
                shown = re.sub(r"\\(.)", r"\1", text)
                baseline = A4_HEIGHT - float(y) * PT_TO_MM
                lines.append(
                    Line(
                        shown,
                        float(x) * PT_TO_MM,
                        baseline - 0.75 * size * PT_TO_MM,
                        baseline + 0.25 * size * PT_TO_MM,
                        ruler.get_string_width(shown) * PT_TO_MM,
                    )
                )
            else:
                width, height, left, low = (float(value) for value in image)
                lines.append(
                    Line(
                        "<image>",
                        left * PT_TO_MM,
                        A4_HEIGHT - (low + height) * PT_TO_MM,
                        A4_HEIGHT - low * PT_TO_MM,
                        width * PT_TO_MM,
                    )
                )
        pages.append(lines)
    return pages


def body_and_footer(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """Split a page's lines where the disclaimer starts (the footer is drawn last)."""
    start = next(i for i, line in enumerate(lines) if DISCLAIMER.startswith(line.text[:30]))
    return lines[:start], lines[start:]


def page_text(lines: list[Line]) -> str:
    return " ".join(" ".join(line.text for line in lines).split())


def footer_top() -> float:
    """The lowest point (mm from the top) the page body may reach."""
    document = ReportDocument(AS_OF)
    document.add_page()
    return document.footer_top()


def assert_inside_and_above_the_footer(lines: list[Line]) -> None:
    body, footer = body_and_footer(lines)
    footer_top_mm = footer_top()
    assert body
    assert footer
    for line in lines:
        assert line.x >= MARGIN_SIDE - 0.5, line.text
        assert line.right <= A4_WIDTH - MARGIN_SIDE + 0.5, line.text
    for line in body:
        assert line.bottom <= footer_top_mm + 0.01, line.text
    # The footer itself starts below the body, and ends on the page.
    assert min(line.top for line in footer) > footer_top_mm
    assert max(line.bottom for line in footer) < A4_HEIGHT


# --- the page-count alias ------------------------------------------------------------------


def test_an_id_that_spells_the_page_count_alias_prints_as_written(report):
    pages = page_lines(report(ALIASED, BARE_ALIAS))
    first, second = (page_text(lines) for lines in pages)
    assert "Patient PT-{nb}" in first
    assert "rehab \u00b7 patient PT-{nb} \u00b7 as of" in first
    assert "PT-2" not in first  # what fpdf2 made of it: another patient's id
    assert "Patient {nb}" in second
    assert "rehab \u00b7 patient {nb} \u00b7 as of" in second
    # The pages are still counted.
    assert "Page 1 of 2" in first
    assert "Page 2 of 2" in second


def test_an_exercise_name_that_spells_the_alias_prints_as_written(report):
    text = page_text(page_lines(report(ALIASED))[0])
    # In the stop sentence, the flag's message and the exercise table.
    assert f"Stop: {ALIASED_EXERCISE} (+4 on 16 Sep)" in text
    assert f"{ALIASED_EXERCISE} raised pain" in text
    assert text.count("Squat {nb} **twice**") >= 3
    assert "Squat 1" not in text


def test_the_drill_names_keep_their_braces_on_a_crowded_page(report):
    text = page_text(page_lines(report(LONG_ID))[0])
    assert "Drill 0 {nb}" in text
    assert re.search(r"Drill \d+ 1\b", text) is None


# --- long text -----------------------------------------------------------------------------


def test_a_crowded_hostile_page_stays_on_the_page_and_above_the_footer(report, cohort):
    assert len(cohort.patients[LONG_ID].summary.flags) >= 50
    pdf = report(LONG_ID)
    (lines,) = page_lines(pdf)
    assert_inside_and_above_the_footer(lines)
    text = page_text(lines)
    # The id is cut with "..." in the title and the footer, never wrapped off the page.
    assert f"Patient {LONG_ID[:20]}" in text
    assert LONG_ID[: MAX_ID_CHARS + 1] not in text
    assert "..." in next(line.text for line in lines if line.text.startswith("Patient "))
    # What is left out is counted.
    assert re.search(r"more flags not shown here: .*Exercise increases pain \(x\d+\)", text)
    assert re.search(r"and \d+ more\. The programme says to stop", text)


def test_long_exercise_names_are_cut_where_they_are_named(report):
    (lines,) = page_lines(report(LONG_NAMES))
    assert_inside_and_above_the_footer(lines)
    text = page_text(lines)
    stop = re.search(r"Stop: (.*?) \(\+4 on 16 Sep\), (.*?) \(\+4 on 16 Sep\)\.", text)
    assert stop is not None
    for named in stop.groups():
        assert named.endswith("...")
        assert len(named) <= MAX_NAME_CHARS
    assert stop.group(1).startswith("Hamstringstretch")
    assert stop.group(2).startswith("Knee bend with a resistance band")
    assert LONG_NAME.strip()[: MAX_NAME_CHARS + 1] not in text
    assert UNBROKEN_NAME[: MAX_NAME_CHARS + 1] not in text
    # In the table, a name is cut to one line of its column (bold, for a stopped exercise).
    cells = [
        line.text
        for line in lines
        if line.text.startswith(("Hamstringstretch", "Knee bend")) and line.text.endswith("...")
    ]
    assert len(cells) == 2
    assert not any(line.text.strip(" .") == "" for line in lines)  # no "..." wrapped alone


def test_flag_messages_name_long_exercises_as_cut(cohort):
    content = page_content(cohort, LONG_NAMES, load_library(), GENERATED)
    messages = [item.message for item in content.flags if "raised pain" in item.message]
    assert len(messages) == 2
    for message in messages:
        named = message.split(" raised pain", 1)[0]
        assert named.endswith("...")
        assert len(named) <= MAX_NAME_CHARS


@pytest.mark.parametrize("patient", [ALIASED, BARE_ALIAS, FOREIGN_ID])
def test_every_hostile_page_stays_on_the_page_and_above_the_footer(report, patient):
    (lines,) = page_lines(report(patient))
    assert_inside_and_above_the_footer(lines)


def test_the_page_body_never_reaches_the_footer_whatever_the_lengths(cohort, chart_png):
    content = page_content(cohort, ALIASED, load_library(), GENERATED)
    # As long as page_content lets anything be: messages of 600 characters, names of 60.
    huge = FlagItem("critical", "Critical", "W" * MAX_MESSAGE_CHARS, "Rule: " + "r " * 200, "s " * 50)
    stopped = f"{cut(UNBROKEN_NAME, MAX_NAME_CHARS)} (+4 on 16 Sep)"
    crowded = replace(
        content,
        flags=[huge] * 3,
        stopped_exercises=[stopped] * 40,
        paused_exercises=[f"{stopped} since 3 Sep 2026"] * 40,
        phases=content.phases * 30,
        exercises=[(UNBROKEN_NAME, *content.exercises[0][1:])] * 30,
    )
    height = ChartImage.from_png(chart_png).height_for(ReportDocument(AS_OF).epw)
    layout = fit_layout(crowded, height, AS_OF)
    assert layout.shown_flags == 1
    assert overflow(crowded, layout, AS_OF) <= 0.01
    assert 0 <= layout.chart_height < height


# --- characters the core font lacks -------------------------------------------------------


def test_characters_outside_the_core_font_become_a_placeholder_and_the_rest_is_kept(report):
    text = page_text(page_lines(report(FOREIGN_ID))[0])
    # Emoji and CJK: "?"; the direction override vanishes; the bell is white space.
    assert "Patient PT-?? -7" in text
    assert "Knie ?? ?? ? bend" in text


def test_hostile_reports_are_the_same_bytes_for_the_same_time(report):
    assert report(LONG_ID, FOREIGN_ID) == report(LONG_ID, FOREIGN_ID)


def test_one_pdf_page_per_hostile_patient(cohort, chart_png, monkeypatch):
    monkeypatch.setattr("rehab.reports.pdf.pain_chart_png", lambda cohort, patient_id: chart_png)
    pdf = patient_pdf(cohort, LONG_ID, generated_at=GENERATED)
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 1
