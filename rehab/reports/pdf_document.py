"""The PDF document: A4 pages in the core Helvetica font, a house style, and the disclaimer footer.

Every string passes through :func:`rehab.reports.pdf_text.to_latin1` on its way in, so no
text can fail to print for want of a glyph.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import TYPE_CHECKING, Final, cast

from fpdf import FPDF, FontFace
from fpdf.enums import TableBordersLayout

from rehab.disclaimer import DISCLAIMER, RED_FLAG_SOURCE, RED_FLAG_SYMPTOMS, URGENCY_ADVICE
from rehab.reports.pdf_text import to_latin1

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

Colour = tuple[int, int, int]

FONT: Final = "Helvetica"
MARGIN_SIDE: Final = 16.0
MARGIN_TOP: Final = 14.0
MARGIN_BOTTOM: Final = 12.0
INK: Final[Colour] = (33, 37, 41)
MUTED: Final[Colour] = (96, 101, 107)
RULE_GREY: Final[Colour] = (206, 211, 216)
ACCENT: Final[Colour] = (0, 94, 150)
# Okabe-Ito hues, as in the charts; the tier is always written out, the colour only supports it.
TIER_COLOURS: Final[dict[str, Colour]] = {
    "critical": (213, 94, 0),
    "high": (230, 159, 0),
    "moderate": (240, 228, 66),
    "none": (0, 158, 115),
}
TIER_TEXT: Final[dict[str, Colour]] = {
    "critical": (255, 255, 255),
    "high": INK,
    "moderate": INK,
    "none": (255, 255, 255),
}
STOP_RED: Final[Colour] = (178, 34, 34)
RED_FLAG_HEADING: Final = "Red-flag symptoms (seek care now, whatever this report says):"
FOOTER_TEXT_SIZE: Final = 6.5
FOOTER_LINE: Final = 2.9
# Footer height (mm) by text width (mm): the footer's text is fixed, so one measure serves all.
_FOOTER_HEIGHTS: dict[float, float] = {}


def red_flag_advice() -> list[str]:
    """Return the red-flag symptoms grouped by where to go, one line per level of urgency.

    The same symptoms and advice as :func:`rehab.disclaimer.red_flag_lines`, grouped so that
    the footer leaves room for the report.
    """
    lines = []
    for level, advice in URGENCY_ADVICE.items():
        symptoms = [symptom.lower() for symptom, urgency in RED_FLAG_SYMPTOMS if urgency == level]
        if symptoms:
            lines.append(f"{advice[0].upper()}{advice[1:]}: {'; '.join(symptoms)}.")
    return lines


class ReportDocument(FPDF):
    """An A4 portrait PDF whose every page ends with the disclaimer and the red-flag advice.

    Parameters
    ----------
    as_of
        The analysis date: the document's creation date unless ``generated_at`` is given.
    generated_at
        When the document is made (its creation date); fixed in tests for equal bytes.
    compress
        Compress page content (turn off to read the text in tests).
    page_total
        How many pages the document will have, for "Page 1 of 3"; "Page 1" when not given.
    """

    def __init__(
        self,
        as_of: date,
        *,
        generated_at: datetime | None = None,
        compress: bool = True,
        page_total: int | None = None,
    ) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        # fpdf2 replaces "{nb}" in any text with the page count, so a patient id "PT-{nb}" would
        # print as another patient's id. The alias is off: every string prints as written, and
        # the footer counts pages from ``page_total``, known before the first page is drawn.
        self.alias_nb_pages("")
        self.page_total = page_total
        self.set_margins(MARGIN_SIDE, MARGIN_TOP, MARGIN_SIDE)
        # Pages are laid out to fit; an automatic break would split a patient over two pages.
        self.set_auto_page_break(auto=False, margin=MARGIN_BOTTOM)
        self.set_compression(compress)
        self.set_creation_date(generated_at or datetime.combine(as_of, time(12), tzinfo=UTC))
        self.set_creator("rehab")
        self.set_title("rehab patient report")
        self.set_lang("en")
        self.set_text_color(*INK)
        self.footer_label = ""
        self._footer_height: float | None = None

    def normalize_text(self, text: str) -> str:
        """Spell ``text`` in Latin-1 before the core font encodes it."""
        return str(super().normalize_text(to_latin1(text)))

    def style(
        self, size: float, *, bold: bool = False, italic: bool = False, colour: Colour = INK
    ) -> None:
        """Set the font size, emphasis and colour of the text that follows."""
        self.set_font(FONT, ("B" if bold else "") + ("I" if italic else ""), size)
        self.set_text_color(*colour)

    def paragraph(
        self,
        text: str,
        size: float,
        line: float,
        *,
        width: float = 0,
        bold: bool = False,
        italic: bool = False,
        colour: Colour = INK,
    ) -> None:
        """Write wrapped, left-aligned text at the current position and move below it."""
        self.style(size, bold=bold, italic=italic, colour=colour)
        x = self.get_x()
        self.multi_cell(width, line, text, align="L", new_x="LEFT", new_y="NEXT")
        self.set_x(x)

    def text_height(
        self, text: str, size: float, line: float, *, width: float = 0, bold: bool = False
    ) -> float:
        """Return the height :meth:`paragraph` would take, without drawing."""
        self.style(size, bold=bold)
        # With output="LINES", fpdf2 returns just the list of wrapped lines.
        lines = cast(
            "list[str]", self.multi_cell(width, line, text, align="L", dry_run=True, output="LINES")
        )
        return float(len(lines) * line)

    def shorten(self, text: str, width: float) -> str:
        """Return ``text`` on one line, cut with "..." to fit ``width`` mm in the current font."""
        text = " ".join(to_latin1(text).split())
        if self.get_string_width(text) <= width:
            return text
        # No Helvetica glyph is narrower than 0.19 em: start from the most that could fit.
        text = text[: max(0, int(width / (self.font_size * 0.15)))]
        while text and self.get_string_width(f"{text}...") > width:
            text = text[:-1]
        return f"{text.rstrip()}..."

    def rule(self, y: float, colour: Colour = RULE_GREY, width: float = 0.2) -> None:
        """Draw a horizontal rule across the text width at ``y``."""
        self.set_draw_color(*colour)
        self.set_line_width(width)
        self.line(self.l_margin, y, self.w - self.r_margin, y)

    def section(self, title: str, *, x: float | None = None, width: float | None = None) -> None:
        """Write a section title with a thin accent rule under it (across ``width`` from ``x``)."""
        x = self.l_margin if x is None else x
        width = self.epw if width is None else width
        self.set_xy(x, self.get_y() + 1.6)
        self.style(9.5, bold=True, colour=ACCENT)
        self.cell(width, 4.6, title, new_x="LEFT", new_y="NEXT")
        self.set_draw_color(*ACCENT)
        self.set_line_width(0.3)
        self.line(x, self.get_y(), x + width, self.get_y())
        self.set_xy(x, self.get_y() + 0.9)

    def badge(
        self, x: float, y: float, word: str, tier: str, *, width: float, height: float, size: float = 7.5
    ) -> None:
        """Draw the tier word in a filled box (the word carries the meaning, not the colour)."""
        self.set_fill_color(*TIER_COLOURS.get(tier, RULE_GREY))
        self.style(size, bold=True, colour=TIER_TEXT.get(tier, INK))
        self.set_xy(x, y)
        self.cell(width, height, word.upper(), align="C", fill=True)

    def grid(
        self,
        headings: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        width: float | None = None,
        align: str = "LEFT",
        size: float = 7.5,
        emphasis: Sequence[bool] = (),
    ) -> None:
        """Draw a table with light horizontal rules; ``emphasis`` marks rows to print in red."""
        self.set_draw_color(*RULE_GREY)
        self.set_line_width(0.2)
        self.set_fill_color(255, 255, 255)
        self.style(size)
        headings_style = FontFace(emphasis="BOLD", color=MUTED, size_pt=size)
        strong = FontFace(emphasis="BOLD", color=STOP_RED, size_pt=size)
        with self.table(
            col_widths=tuple(widths),
            width=width,
            align=align,
            text_align="LEFT",
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            headings_style=headings_style,
            line_height=size * 0.47,
            padding=(0.6, 1.2),
            first_row_as_headings=bool(headings),
        ) as table:
            if headings:
                table.row(list(headings))
            for index, row in enumerate(rows):
                marked = index < len(emphasis) and emphasis[index]
                table.row(list(row), style=strong if marked else None)

    def footer_height(self) -> float:
        """Height of the footer: disclaimer, red-flag lines, their source, the page line."""
        if self._footer_height is None:
            text_width = self.w - self.l_margin - self.r_margin
            # The same for every page of every report (trial layouts included): measured once.
            known = _FOOTER_HEIGHTS.get(text_width)
            if known is None:
                body = self.text_height(DISCLAIMER, 7, 3.2, width=text_width, bold=True)
                lines = sum(
                    self.text_height(f"\u00b7 {line}", FOOTER_TEXT_SIZE, FOOTER_LINE, width=text_width)
                    for line in red_flag_advice()
                )
                known = _FOOTER_HEIGHTS[text_width] = 3 + body + 1 + FOOTER_LINE + lines + FOOTER_LINE
            self._footer_height = known
        return self._footer_height

    def footer_top(self) -> float:
        """Return the lowest point (mm from the top) the page body may reach."""
        return self.h - self.b_margin - self.footer_height()

    def footer(self) -> None:
        """Print the disclaimer and the red-flag advice at the foot of every page."""
        top = self.footer_top()
        self.rule(top + 1, colour=MUTED, width=0.3)
        self.set_xy(self.l_margin, top + 3)
        self.paragraph(DISCLAIMER, 7, 3.2, bold=True)
        self.ln(1)
        self.paragraph(RED_FLAG_HEADING, FOOTER_TEXT_SIZE, FOOTER_LINE, bold=True)
        for line in red_flag_advice():
            self.paragraph(f"\u00b7 {line}", FOOTER_TEXT_SIZE, FOOTER_LINE)
        self.paragraph(
            f"Source: {RED_FLAG_SOURCE}", FOOTER_TEXT_SIZE, FOOTER_LINE, italic=True, colour=MUTED
        )
        self.style(FOOTER_TEXT_SIZE, colour=MUTED)
        # The page line sits in the bottom margin, under the text block.
        self.set_y(self.h - self.b_margin + 2)
        total = "" if self.page_total is None else f" of {self.page_total}"
        page = f"Page {self.page_no()}{total}"
        label_width = self.epw - self.get_string_width(page) - 4
        self.cell(label_width, 3, self.shorten(self.footer_label, label_width), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 3, page, align="R")
