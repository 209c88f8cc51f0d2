from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from rehab.charts import (
    MAX_CHART_ROWS,
    THEME_NAME,
    adherence_calendar,
    chart_png,
    cohort_overview,
    count_chart_rows,
    pain_chart,
    sessions_chart,
)
from rehab.charts.limits import choose_time_bin
from rehab.charts.theme import OKABE_ITO
from tests.charts.chart_frames import NAMES, Phase, daily_frame, spec

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_count_chart_rows_adds_named_datasets_and_inline_values():
    top = {
        "datasets": {"a": [{}, {}, {}], "b": [{}]},
        "layer": [{"data": {"values": [{"x": 1}, {"x": 2}]}}, {"data": {"name": "a"}}],
    }
    assert count_chart_rows(top) == 6


def test_count_chart_rows_reads_a_chart():
    chart = alt.Chart(pd.DataFrame({"x": range(7)})).mark_point().encode(x="x:Q")
    assert count_chart_rows(chart) == 7


def test_the_finest_bin_that_fits_is_chosen():
    first = pd.Timestamp("2026-01-01")
    assert choose_time_bin(first, first + pd.Timedelta(days=9), 10).unit == "day"
    assert choose_time_bin(first, first + pd.Timedelta(days=10), 10).unit == "week"
    assert choose_time_bin(first, first + pd.Timedelta(days=365 * 20), 800).unit == "month"
    assert choose_time_bin(first, first + pd.Timedelta(days=365 * 200), 800).unit == "year"


def test_the_theme_is_registered_once_and_gives_the_okabe_ito_palette():
    assert alt.theme.active == THEME_NAME
    config = spec(adherence_calendar(daily_frame([1.0, 2.0])))["config"]
    assert config["range"]["category"] == list(OKABE_ITO)
    assert "Source Sans Pro" in config["font"]


def test_charts_leave_their_width_to_the_app_and_fit_title_and_legend_in_their_height():
    daily = daily_frame([1.0, 2.0])
    phases = [Phase("rehab", dt.date(2026, 9, 1), None, "start")]
    for chart in (
        adherence_calendar(daily),
        pain_chart(daily, phases, baseline=2.0),
        sessions_chart(daily, NAMES),
    ):
        top = spec(chart)
        assert "width" not in top
        # Streamlit stretches with autosize "fit": the height is the whole chart's.
        assert top["autosize"] == {"type": "fit", "contains": "padding"}
        assert top["height"] >= 300


def test_chart_png_renders_a_layered_chart_offline():
    phases = [Phase("rehab", dt.date(2026, 9, 1), None, "start")]
    png = chart_png(pain_chart(daily_frame([5.0, None, 4.0]), phases, baseline=5.0), scale=1.0)
    assert png.startswith(PNG_MAGIC)
    assert len(png) > 1000


def test_chart_png_renders_a_concatenated_chart():
    triage = pd.DataFrame(
        {
            "patient_id": ["P1"],
            "alert": ["high"],
            "phase": ["rehab"],
            "adherence_7d": [0.5],
            "pain_change": [-1.0],
        }
    )
    png = chart_png(cohort_overview(triage), scale=1.0)
    assert png.startswith(PNG_MAGIC)
    assert count_chart_rows(cohort_overview(triage)) < MAX_CHART_ROWS


def test_exported_png_carries_the_disclaimer_lines(monkeypatch):
    import vl_convert

    from rehab.charts import export
    from rehab.disclaimer import DISCLAIMER_LINES

    seen = {}

    def fake_render(spec, **kwargs):
        seen["spec"] = spec
        return b"\x89PNG"

    monkeypatch.setattr(vl_convert, "vegalite_to_png", fake_render)
    chart = alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_point().encode(x="x:Q")
    assert export.chart_png(chart, footnote=DISCLAIMER_LINES) == b"\x89PNG"
    spec = seen["spec"]
    note = spec["vconcat"][1]
    assert [v["line"] for v in note["data"]["values"]] == list(DISCLAIMER_LINES)
    assert "config" in spec
    assert "config" not in spec["vconcat"][0]
    assert "not a diagnosis" in DISCLAIMER_LINES[0]
