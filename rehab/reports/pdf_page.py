"""One patient's page: header, flags, adherence and pain, the chart, phases and exercises.

The page must fit on one A4 sheet above the disclaimer. Long lists are cut with a note saying
how much was left out; when the flags still do not fit, the least urgent go first (a trial
layout on a scratch document decides how many stay).
"""

from __future__ import annotations

import struct
from collections import Counter
from dataclasses import dataclass, replace
from io import BytesIO
from typing import TYPE_CHECKING, Final

from rehab.reports.pdf_content import (
    ACTION_VERDICTS,
    EXERCISE_COLUMNS,
    HEADER_TITLE,
    MEASURE_COLUMNS,
    PHASE_COLUMNS,
)
from rehab.reports.pdf_document import ACCENT, MUTED, STOP_RED, ReportDocument
from rehab.wording import plural

if TYPE_CHECKING:
    from datetime import date

    from rehab.reports.pdf_content import FlagItem, PageContent

CHART_CAPTION: Final = (
    "0 = no pain, 10 = worst imaginable. Dashed lines: baseline and the MCID target; green band: "
    "pain-free. Days without a pain entry are left blank."
)
EXERCISE_CAPTION: Final = (
    "Change: pain after minus pain before a session; a positive change means the exercise raised pain."
)
MEASURE_CAPTION: Final = (
    "Change: latest minus first, in the measure's own points (ODI in percentage points). "
    "Meaningful: the change reaches the measure's minimal important change (rules below); "
    "'-' when there is one response or the measure has no such change (STarT Back is read by "
    "its risk group)."
)
# The chart keeps at least this share of its height when a page is crowded.
MIN_CHART_SHARE: Final = 0.75
# Table rows on a page, and the fewer a crowded page falls back to.
MAX_PHASE_ROWS: Final = 5
MAX_EXERCISE_ROWS: Final = 8
CROWDED_PHASE_ROWS: Final = 3
CROWDED_EXERCISE_ROWS: Final = 4
BADGE_WIDTH: Final = 19.0
ALERT_WIDTH: Final = 42.0
# Stopped or paused exercises named in a sentence; a crowded page names fewer.
MAX_LISTED: Final = 8
CROWDED_LISTED: Final = 3
COLUMN_GAP: Final = 6.0
PHASE_WIDTHS: Final = (16, 18, 18, 8, 40)
EXERCISE_WIDTHS: Final = (28, 13, 12, 12, 12, 16, 16, 23)
MEASURE_WIDTHS: Final = (30, 30, 42, 14, 22)


@dataclass(frozen=True)
class ChartImage:
    """A PNG and its size in pixels (read from the file's header)."""

    png: bytes
    width_px: int
    height_px: int

    @classmethod
    def from_png(cls, png: bytes) -> ChartImage:
        """Read the pixel size from the PNG's IHDR chunk."""
        if png[:8] != b"\x89PNG\r\n\x1a\n" or len(png) < 24:
            raise ValueError("not a PNG file")
        width, height = struct.unpack(">II", png[16:24])
        return cls(png=png, width_px=width, height_px=height)

    def height_for(self, width: float) -> float:
        """Height in mm of the image drawn ``width`` mm wide."""
        return width * self.height_px / self.width_px


def _header(pdf: ReportDocument, content: PageContent) -> None:
    top = pdf.t_margin
    pdf.set_xy(pdf.l_margin, top)
    pdf.style(8, bold=True, colour=ACCENT)
    pdf.cell(0, 4, HEADER_TITLE)
    pdf.set_x(pdf.l_margin)
    pdf.style(8, colour=MUTED)
    # The day the analysis speaks for, and when this copy was made: they differ for old logs.
    pdf.cell(0, 4, f"As of {content.as_of} \u00b7 generated {content.generated}", align="R")
    pdf.rule(top + 5.5)
    pdf.set_xy(pdf.l_margin, top + 8)
    pdf.style(17, bold=True)
    # The id stops short of the alert badge, however long a file made it.
    title_width = pdf.epw - ALERT_WIDTH - 3
    pdf.cell(title_width, 8, pdf.shorten(f"Patient {content.patient_id}", title_width))
    alert = "No alerts" if content.alert == "none" else f"{content.alert_word} alert"
    pdf.badge(
        pdf.w - pdf.r_margin - ALERT_WIDTH,
        top + 8.5,
        alert,
        content.alert,
        width=ALERT_WIDTH,
        height=7,
        size=9,
    )
    _facts(
        pdf,
        top + 18,
        [("Period", content.period), ("Last log", content.last_log), ("Current phase", content.phase)],
    )


def _facts(pdf: ReportDocument, y: float, facts: list[tuple[str, str]]) -> None:
    """Write short labelled facts side by side, label above value."""
    widths = (52.0, 62.0, pdf.epw - 114.0)
    x = pdf.l_margin
    for (label, value), width in zip(facts, widths, strict=True):
        pdf.set_xy(x, y)
        pdf.style(7, colour=MUTED)
        pdf.cell(width, 3.5, label.upper())
        pdf.set_xy(x, y + 3.6)
        pdf.style(9, bold=True)
        pdf.cell(width, 4.5, value)
        x += width
    pdf.set_xy(pdf.l_margin, y + 9)


def _flag(pdf: ReportDocument, item: FlagItem) -> None:
    top = pdf.get_y()
    text_x = pdf.l_margin + BADGE_WIDTH + 3
    text_width = pdf.epw - BADGE_WIDTH - 3
    pdf.badge(pdf.l_margin, top + 0.3, item.tier_word, item.tier, width=BADGE_WIDTH, height=4.2, size=7)
    pdf.set_xy(text_x, top)
    pdf.paragraph(item.message, 8.5, 3.9, width=text_width)
    pdf.paragraph(f"Rule - {item.rule} Source: {item.source}", 7, 3.1, width=text_width, colour=MUTED)
    pdf.set_xy(pdf.l_margin, max(pdf.get_y(), top + 4.5) + 1.4)


def _flags(pdf: ReportDocument, content: PageContent, shown: int) -> None:
    pdf.section("Flags, most urgent first")
    if not content.flags:
        pdf.paragraph(f"No flags as of {content.as_of}.", 8.5, 4)
        return
    for item in content.flags[:shown]:
        _flag(pdf, item)
    left_out = content.flags[shown:]
    if left_out:
        counts = Counter(item.rule.split(":", 1)[0] for item in left_out)
        titles = ", ".join(
            title if count == 1 else f"{title} (x{count})" for title, count in counts.items()
        )
        pdf.paragraph(
            f"and {plural(len(left_out), 'more flag')} not shown here: {titles} "
            "(see the screening page).",
            8,
            3.6,
            italic=True,
            colour=MUTED,
        )


def _key_values(
    pdf: ReportDocument, x: float, y: float, width: float, title: str, rows: list[tuple[str, str]]
) -> float:
    """Write a titled two-column table at (x, y); return the y below it."""
    pdf.set_y(y)
    pdf.section(title, x=x, width=width)
    pdf.grid(
        (), rows, (0.38, 0.62), width=width, align="RIGHT" if x > pdf.l_margin else "LEFT", size=7.5
    )
    return float(pdf.get_y())


def _numbers(pdf: ReportDocument, content: PageContent) -> None:
    top = pdf.get_y()
    half = (pdf.epw - COLUMN_GAP) / 2
    left = _key_values(
        pdf, pdf.l_margin, top, half, "Adherence (share of planned exercises done)", content.adherence
    )
    right = _key_values(pdf, pdf.l_margin + half + COLUMN_GAP, top, half, "Pain (0-10)", content.pain)
    pdf.set_xy(pdf.l_margin, max(left, right))


def _chart(pdf: ReportDocument, chart: ChartImage | None, height: float) -> None:
    pdf.section("Pain over time")
    if chart is not None:
        # Full text width unless the layout had to shorten the chart: then centred, same shape.
        width = min(pdf.epw, height * chart.width_px / chart.height_px)
        x = pdf.l_margin + (pdf.epw - width) / 2
        pdf.image(BytesIO(chart.png), x=x, y=pdf.get_y(), w=width, h=height)
    pdf.set_y(pdf.get_y() + height + 0.8)
    pdf.paragraph(CHART_CAPTION, 7, 3.1, colour=MUTED)


def _cut_note(pdf: ReportDocument, count: int, noun: str) -> None:
    if count > 0:
        pdf.paragraph(f"and {plural(count, noun)} not shown here.", 7, 3.2, italic=True, colour=MUTED)


def _phases(pdf: ReportDocument, content: PageContent, limit: int) -> None:
    pdf.section("Phase history")
    rows = content.phases[-limit:]
    pdf.grid(PHASE_COLUMNS, rows, PHASE_WIDTHS)
    _cut_note(pdf, len(content.phases) - len(rows), "earlier phase")


def _listed(names: list[str], limit: int, separator: str) -> str:
    """Join the first ``limit`` names, saying how many more there are."""
    shown = separator.join(names[:limit])
    rest = len(names) - limit
    return f"{shown}{separator}and {rest} more" if rest > 0 else shown


def _exercises(pdf: ReportDocument, content: PageContent, layout: Layout) -> None:
    pdf.section("Exercise response")
    if content.stopped_exercises:
        names = _listed(content.stopped_exercises, layout.listed, ", ")
        pdf.paragraph(
            # Each name carries what tripped the rule ("+2 on 17 Nov"): pain rose during it.
            f"Stop: {names}. The programme says to stop any exercise that increases pain.",
            8.5,
            4,
            bold=True,
            colour=STOP_RED,
        )
        pdf.ln(0.8)
    if content.paused_exercises:
        pdf.paragraph(
            f"Paused: {_listed(content.paused_exercises, layout.listed, '; ')}. Left out of the "
            "adherence target until it is logged again; check with the therapist before "
            "restarting it.",
            8.5,
            4,
            bold=True,
        )
        pdf.ln(0.8)
    stopped = [row[-1].startswith(ACTION_VERDICTS) for row in content.exercises]
    # When the table is cut, stopped exercises stay; the table keeps the analysis' order.
    ranked = sorted(range(len(stopped)), key=lambda index: not stopped[index])
    kept = sorted(ranked[: layout.exercise_rows])
    name_width = pdf.epw * EXERCISE_WIDTHS[0] / sum(EXERCISE_WIDTHS) - 2.4
    rows = []
    for index in kept:
        # Measured in the row's own font: stopped exercises print in bold, which is wider.
        pdf.style(7.5, bold=stopped[index])
        rows.append(
            (pdf.shorten(content.exercises[index][0], name_width), *content.exercises[index][1:])
        )
    emphasis = [stopped[index] for index in kept]
    pdf.grid(EXERCISE_COLUMNS, rows, EXERCISE_WIDTHS, emphasis=emphasis)
    _cut_note(pdf, len(content.exercises) - len(rows), "more exercise")
    pdf.ln(0.6)
    pdf.paragraph(EXERCISE_CAPTION, 7, 3.1, colour=MUTED)


@dataclass(frozen=True)
class Layout:
    """How a page fits: how many flags and table rows it prints, and the chart's height (mm)."""

    shown_flags: int
    chart_height: float
    phase_rows: int = MAX_PHASE_ROWS
    exercise_rows: int = MAX_EXERCISE_ROWS
    listed: int = MAX_LISTED


def draw_page(
    pdf: ReportDocument, content: PageContent, chart: ChartImage | None, layout: Layout
) -> None:
    """Draw one patient's page on the current page of ``pdf``.

    ``chart`` ``None`` leaves the chart's space empty (for a trial layout).
    """
    _header(pdf, content)
    _flags(pdf, content, layout.shown_flags)
    _numbers(pdf, content)
    _chart(pdf, chart, layout.chart_height)
    _phases(pdf, content, layout.phase_rows)
    _exercises(pdf, content, layout)


def draw_measures_page(pdf: ReportDocument, content: PageContent) -> None:
    """Draw the patient's questionnaires on the current page: table, rules, sources, licence.

    A page of its own, after the patient's first page: on that page the flags come first
    and it is full already.
    """
    _header(pdf, content)
    pdf.section("Questionnaires: first and latest score, and whether the change matters")
    pdf.grid(MEASURE_COLUMNS, content.measures, MEASURE_WIDTHS, size=8)
    pdf.ln(1)
    pdf.paragraph(MEASURE_CAPTION, 7, 3.1, colour=MUTED)
    pdf.ln(2)
    pdf.section("Rules and sources")
    for note in content.measure_notes:
        pdf.paragraph(note, 7.5, 3.4)
        pdf.ln(0.8)
    for licence in content.measure_licences:
        pdf.ln(1)
        pdf.paragraph(licence, 7, 3.1, italic=True, colour=MUTED)


def overflow(content: PageContent, layout: Layout, as_of: date) -> float:
    """Return how far (mm) the page body reaches into the footer; negative when it fits."""
    trial = ReportDocument(as_of)
    trial.add_page()
    draw_page(trial, content, None, layout)
    return float(trial.get_y() - trial.footer_top())


def _most_flags(content: PageContent, chart_height: float, give: float, as_of: date) -> Layout | None:
    """Return the layout with the most flags whose overflow the chart can absorb, if any.

    Each flag adds height, so the count is found by halving (a few trial pages, not one per
    flag: a file can make hundreds of flags).
    """
    full = Layout(len(content.flags), chart_height)
    excess = overflow(content, full, as_of)
    if excess <= give:
        return replace(full, chart_height=chart_height - max(excess, 0.0))
    best, low, high = None, 1, len(content.flags) - 1
    while low <= high:
        middle = (low + high) // 2
        excess = overflow(content, Layout(middle, chart_height), as_of)
        if excess <= give:
            best = Layout(middle, chart_height - max(excess, 0.0))
            low = middle + 1
        else:
            high = middle - 1
    return best


def fit_layout(content: PageContent, chart_height: float, as_of: date) -> Layout:
    """Return the fullest layout that fits the page above the footer.

    Flags matter more than the chart's size: when the page is too full, the chart first gives
    up height (down to :data:`MIN_CHART_SHARE` of it); only then are the least urgent flags
    left out, down to the most urgent one, and at last the tables and the lists of stopped
    and paused exercises are cut shorter. Should even that not fit (text from a file can be
    long), the chart gives up what it must: the body never reaches into the disclaimer.
    """
    give = chart_height * (1 - MIN_CHART_SHARE)
    fitted = _most_flags(content, chart_height, give, as_of)
    if fitted is not None:
        return fitted
    crowded = Layout(
        min(1, len(content.flags)),
        chart_height,
        phase_rows=CROWDED_PHASE_ROWS,
        exercise_rows=CROWDED_EXERCISE_ROWS,
        listed=CROWDED_LISTED,
    )
    excess = overflow(content, crowded, as_of)
    return replace(crowded, chart_height=max(0.0, chart_height - max(excess, 0.0)))
