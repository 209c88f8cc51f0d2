"""The look shared by every chart: a colour-blind-safe palette, fonts and formats.

The theme is registered with Altair once, when :mod:`rehab.charts` is first imported, and
enabled there, so every chart of the package (and its PNG export) looks the same.
"""

from __future__ import annotations

from typing import Final

import altair as alt

THEME_NAME: Final = "rehab"

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common
# colour-vision deficiency.
BLACK: Final = "#000000"
ORANGE: Final = "#E69F00"
SKY_BLUE: Final = "#56B4E9"
BLUISH_GREEN: Final = "#009E73"
YELLOW: Final = "#F0E442"
BLUE: Final = "#0072B2"
VERMILLION: Final = "#D55E00"
REDDISH_PURPLE: Final = "#CC79A7"
OKABE_ITO: Final = (ORANGE, SKY_BLUE, BLUISH_GREEN, YELLOW, BLUE, VERMILLION, REDDISH_PURPLE, BLACK)

# One meaning per colour across the charts that sit side by side: bluish green is "good"
# (pain-free, meaningful improvement, the plan done, adherent), vermillion is "stop / warning",
# blue is a pain measurement. Exercises take the colours left over; black, the last, is
# also the target line's, so it comes only for a fifth exercise.
EXERCISE_PALETTE: Final = (ORANGE, SKY_BLUE, REDDISH_PURPLE, YELLOW, BLACK)

GREY_TEXT: Final = "#444444"
GREY_MARK: Final = "#8C8C8C"
NO_LOG_FILL: Final = "#EDEDED"
NO_LOG_STROKE: Final = "#9A9A9A"

# Adherence reads without a legend: one hue, from pale (nothing done) to dark green (the whole
# day's plan), the green that means "good" everywhere. Lightness alone carries the value, so
# it survives every colour-vision deficiency and greyscale printing.
ADHERENCE_RANGE: Final = ("#E6F2EC", BLUISH_GREEN, "#004D38")
# Phases are named on the chart; their shading stays neutral so it takes no colour's meaning.
MAINTENANCE_SHADE: Final = "#9AA5AB"

# The app's own font (Streamlit's "Source Sans", shipped with it), then common fallbacks.
FONT: Final = '"Source Sans", "Source Sans 3", "Source Sans Pro", "Liberation Sans", Arial, sans-serif'

DATE_FORMAT: Final = "%-d %b %Y"
SHORT_DATE_FORMAT: Final = "%-d %b"
PAIN_FORMAT: Final = ".1f"
PERCENT_FORMAT: Final = ".0%"

PAIN_DOMAIN: Final = (0.0, 10.0)
DEFAULT_HEIGHT: Final = 380
# Streamlit stretches a chart with autosize "fit": the height then includes the title, the
# axes and the legend. Every single or layered chart asks for it too, so that its PNG export
# and the app lay it out alike and every height below is a total height.
FIT: Final = {"type": "fit", "contains": "padding"}
# Title with a two- or three-line subtitle, x axis with title, and legends stacked below (two
# entries a row): what a chart's frame takes, so the plot keeps its rows on a phone too.
FRAME_HEIGHT: Final = 250


def rehab_theme() -> alt.theme.ThemeConfig:
    """Return the project's Altair theme: fonts, sizes and the Okabe-Ito palette.

    Returns
    -------
    alt.theme.ThemeConfig
        The typed theme configuration Altair merges into every chart's ``config``.
    """
    return alt.theme.ThemeConfig(
        config={
            "font": FONT,
            "background": "white",
            "view": {"stroke": None},
            "title": {"fontSize": 16, "anchor": "start", "subtitleColor": GREY_TEXT, "offset": 10},
            "axis": {
                "labelFontSize": 12,
                "titleFontSize": 13,
                "titleFontWeight": "normal",
                "titleColor": GREY_TEXT,
                "gridColor": "#E4E4E4",
            },
            "legend": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "orient": "bottom",
                # Several legends stack under the plot instead of running off its right edge.
                "layout": {"bottom": {"anchor": "start", "direction": "vertical", "margin": 6}},
                "labelLimit": 260,
                # Two entries a row: three or more in one row overrun a phone's column.
                "columns": 2,
            },
            "range": {"category": list(OKABE_ITO)},
            "text": {"fontSize": 12},
        }
    )


def register_theme() -> None:
    """Register the theme under :data:`THEME_NAME` (once) and enable it."""
    if THEME_NAME not in alt.theme.names():
        alt.theme.register(THEME_NAME, enable=False)(rehab_theme)
    alt.theme.enable(THEME_NAME)
