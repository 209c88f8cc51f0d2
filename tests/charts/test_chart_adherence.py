from __future__ import annotations

import pytest

from rehab.charts import MAX_CHART_ROWS, adherence_calendar, count_chart_rows
from rehab.charts.adherence import calendar_cells
from rehab.charts.theme import BLUISH_GREEN, NO_LOG_FILL
from tests.charts.chart_frames import daily_frame, find, long_daily_frame, spec, title_text, tooltips

# Day 2 has no log at all; day 3 is logged (a pain entry) but no exercise: adherence 0.
SESSIONS = [3, 2, 0, 0, 3, 1, 1, 0, 1]
HAS_LOG = [True, True, False, True, True, True, True, False, True]


def calendar_spec():
    daily = daily_frame([5.0] * 9, maintenance_from=5, sessions=SESSIONS, has_log=HAS_LOG)
    return spec(adherence_calendar(daily, title="Your week"))


def adherence_cells(top):
    return next(
        (u, rows) for u, rows in find(top, "rect") if u["encoding"]["color"]["field"] == "adherence"
    )


def no_log_cells(top):
    return next(
        (u, rows) for u, rows in find(top, "rect") if u["encoding"]["color"]["field"] == "status"
    )


def test_no_log_days_have_their_own_colour_outline_and_dash_never_zero():
    top = calendar_spec()
    unit, rows = no_log_cells(top)
    assert [row["date"][:10] for row in rows] == ["2026-09-03", "2026-09-08"]
    colour = unit["encoding"]["color"]
    assert colour["scale"] == {"domain": ["No log"], "range": [NO_LOG_FILL]}
    assert {row["status"] for row in rows} == {"No log"}
    assert unit["mark"]["strokeDash"] == [3, 2]
    glyphs = [r for u, r in find(top, "text") if u["encoding"].get("text", {}).get("field") == "glyph"]
    assert [[(row["date"][:10], row["glyph"]) for row in rows] for rows in glyphs] == [
        [("2026-09-03", "–"), ("2026-09-08", "–")]
    ]
    assert top["resolve"]["scale"]["color"] == "independent"


def test_a_logged_day_without_exercise_is_zero_adherence_not_no_log():
    _, rows = adherence_cells(calendar_spec())
    by_date = {row["date"][:10]: row for row in rows}
    assert "2026-09-03" not in by_date
    assert by_date["2026-09-04"]["adherence"] == 0.0
    assert by_date["2026-09-01"]["adherence"] == 1.0
    assert by_date["2026-09-02"]["adherence"] == pytest.approx(2 / 3)


def _lightness(hex_colour: str) -> float:
    red, green, blue = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def test_adherence_reads_without_its_legend_darker_green_is_more_done():
    unit, _ = adherence_cells(calendar_spec())
    colour = unit["encoding"]["color"]
    assert colour["type"] == "quantitative"
    assert colour["scale"]["domain"] == [0, 0.5, 1]
    # One hue whose lightness falls as more is done, ending on the "good" green of the
    # other charts (never a rainbow whose bright end means good in one chart, bad in another).
    shades = colour["scale"]["range"]
    assert BLUISH_GREEN in shades
    lightness = [_lightness(c) for c in shades]
    assert lightness == sorted(lightness, reverse=True)
    assert colour["legend"]["format"] == ".0%"


def test_week_columns_and_weekday_rows():
    unit, rows = adherence_cells(calendar_spec())
    x, y = unit["encoding"]["x"], unit["encoding"]["y"]
    assert (x["type"], x["timeUnit"], x["title"]) == (
        "ordinal",
        "yearmonthdate",
        "Week starting (Monday)",
    )
    assert (y["type"], y["sort"][0], y["sort"][-1]) == ("ordinal", "Mon", "Sun")
    first = rows[0]
    assert (first["row"], first["column"][:10]) == ("Tue", "2026-08-31")


def test_maintenance_days_carry_an_m():
    top = calendar_spec()
    [(unit, rows)] = find(top, "text", text="M")
    assert "datum.maintenance" in [step.get("filter") for step in unit["transform"]]
    maintenance = sorted(row["date"][:10] for row in rows if row["maintenance"])
    assert maintenance == ["2026-09-06", "2026-09-07", "2026-09-09"]


def test_tooltips_give_the_date_the_percentage_sessions_of_target_and_phase():
    unit, rows = adherence_cells(calendar_spec())
    formats = {tip["field"]: tip.get("format") for tip in tooltips(unit)}
    assert formats == {"date": "%-d %b %Y", "adherence": ".0%", "sessions_text": None, "phase": None}
    by_date = {row["date"][:10]: row for row in rows}
    assert by_date["2026-09-02"]["sessions_text"] == "8 of 12"
    assert by_date["2026-09-07"]["sessions_text"] == "4 of 4"
    assert by_date["2026-09-07"]["phase"] == "Maintenance"


def test_title_and_subtitle_explain_the_marks():
    top = calendar_spec()
    assert title_text(top) == "Your week"
    subtitle = " ".join(top["title"]["subtitle"])
    assert "– = nothing logged that day" in subtitle
    assert "M = maintenance" in subtitle
    # Each line fits a phone's chart column (about 350 px at 12 px, ~6 px a character).
    assert max(len(line) for line in top["title"]["subtitle"]) <= 55


def test_long_spans_become_a_month_grid_under_the_row_limit():
    daily = long_daily_frame(20)
    chart = adherence_calendar(daily)
    assert count_chart_rows(chart) <= MAX_CHART_ROWS
    cells, by_day = calendar_cells(daily)
    assert not by_day
    assert len(cells) == 240 + 1  # Sep 2026 to Sep 2046
    # September 2026: 30 days, sessions cycle 0,1,2,3; rehab target 3 -> adherence 0, 1/3, 2/3, 1.
    september = cells.iloc[0]
    cycle = [0, 1 / 3, 2 / 3, 1]
    assert september["adherence"] == pytest.approx(sum(cycle[i % 4] for i in range(30)) / 30)
    assert september["row"] == "2026"
    assert september["column"] == "Sep"
    assert not september["maintenance"]


def test_a_day_with_every_exercise_paused_is_shown_paused_not_missed():
    daily = daily_frame([4.0] * 3, sessions=[3, 0, 0])
    # Day 2: the stop rule paused all four exercises; day 3: one of four.
    daily["paused_exercises"] = [0, 4, 1]
    top = spec(adherence_calendar(daily))
    unit, rows = no_log_cells(top)
    assert [(row["date"][:10], row["status"], row["glyph"]) for row in rows] == [
        ("2026-09-02", "All paused", "P")
    ]
    assert unit["encoding"]["color"]["scale"]["domain"] == ["No log", "All paused"]
    _, coloured = adherence_cells(top)
    by_date = {row["date"][:10]: row for row in coloured}
    assert "2026-09-02" not in by_date
    assert by_date["2026-09-03"]["sessions_text"] == "0 of 9"
    assert "P = every exercise paused (stop rule)." in top["title"]["subtitle"]
