"""What keeps the patient's charts legible side by side, on a phone and a laptop alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from rehab.charts import adherence_calendar, pain_chart, sessions_chart
from rehab.charts.theme import (
    BLUE,
    BLUISH_GREEN,
    EXERCISE_PALETTE,
    FONT,
    VERMILLION,
    rehab_theme,
)
from tests.charts.chart_frames import NAMES, Phase, daily_frame, find, spec

PHASES = [
    Phase("rehab", dt.date(2026, 9, 1), dt.date(2026, 9, 7), "start"),
    Phase("maintenance", dt.date(2026, 9, 8), None, "pain_free_run"),
]
# About 350 px of a phone's column at 12 px text (about 6.3 px a character).
PHONE_LINE = 55


def _charts() -> dict[str, Any]:
    daily = daily_frame([6.0, 5.0, None, 4.0, None, 3.0, 2.0, 1.0, 0.0, 0.0], maintenance_from=7)
    return {
        "pain": pain_chart(daily, PHASES, baseline=6.0),
        "calendar": adherence_calendar(daily),
        "sessions": sessions_chart(daily, NAMES),
    }


def test_charts_use_the_app_s_font():
    # Streamlit ships its font as "Source Sans"; "Source Sans Pro" was never loaded.
    assert FONT.startswith('"Source Sans"')
    assert rehab_theme()["config"]["font"] == FONT


def test_legends_stack_under_the_plot_instead_of_running_off_its_edge():
    legend = rehab_theme()["config"]["legend"]
    assert legend["orient"] == "bottom"
    assert legend["layout"]["bottom"]["direction"] == "vertical"
    # Two entries a row: the response chart's three ran 70 px past a phone's column.
    assert legend["columns"] == 2


@pytest.mark.parametrize("name", ["pain", "calendar", "sessions"])
def test_every_subtitle_line_fits_a_phone(name):
    subtitle = spec(_charts()[name])["title"]["subtitle"]
    assert isinstance(subtitle, list)
    assert max(len(line) for line in subtitle) <= PHONE_LINE


def test_target_labels_fit_after_the_last_phase_change():
    labels = [row["label"] for _, rows in find(spec(_charts()["sessions"]), "text") for row in rows]
    assert labels
    assert max(len(label) for label in labels) <= 16


def test_the_exercise_legend_wraps_so_a_fifth_entry_is_not_cut():
    top = spec(_charts()["sessions"])
    (colour,) = {
        str(u["encoding"]["color"]["legend"]): u["encoding"]["color"] for u, _ in find(top, "bar")
    }.values()
    assert colour["legend"]["columns"] == 2


def test_one_meaning_per_colour_exercises_never_take_good_stop_or_pain():
    assert not {BLUISH_GREEN, VERMILLION, BLUE} & set(EXERCISE_PALETTE)


def test_phases_are_named_on_the_pain_chart_not_coloured_with_a_legend():
    top = spec(_charts()["pain"])
    fills = [u["encoding"]["fill"] for u, _ in find(top, "rect") if "fill" in u.get("encoding", {})]
    assert fills
    assert all(f.get("legend", "absent") is None for f in fills)
