from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from rehab.charts import MAX_CHART_ROWS, count_chart_rows, pain_chart
from tests.charts.chart_frames import (
    Phase,
    daily_frame,
    day,
    filters,
    find,
    halos,
    long_daily_frame,
    spec,
    texts,
    title_text,
    tooltips,
    units,
)

PAIN = [6.0, 5.0, None, 4.0, None, 3.0, 2.0, 1.0, 0.0, 0.0]
PHASES = [
    Phase("rehab", dt.date(2026, 9, 1), dt.date(2026, 9, 7), "start"),
    Phase("maintenance", dt.date(2026, 9, 8), None, "pain_free_run"),
]


def chart_spec(**kwargs):
    options = {"baseline": 6.0} | kwargs
    return spec(pain_chart(daily_frame(PAIN, maintenance_from=7), PHASES, **options))


def series_layer(top, mark):
    return next((u, rows) for u, rows in find(top, mark) if "pain_mean" in (rows[0] if rows else {}))


def test_every_pain_axis_is_fixed_from_0_to_10():
    top = chart_spec()
    scales = [
        unit["encoding"]["y"]["scale"]
        for unit, _ in units(top)
        if "scale" in unit.get("encoding", {}).get("y", {})
    ]
    assert len(scales) >= 5
    assert all(scale["domain"] == [0.0, 10.0] for scale in scales)


def test_days_without_a_pain_entry_are_absent_not_zero():
    top = chart_spec()
    unit, rows = series_layer(top, "point")
    missing = [row for row in rows if row["date"].startswith(("2026-09-03", "2026-09-05"))]
    assert [row["pain_mean"] for row in missing] == [None, None]
    assert "isValid(datum.pain_mean)" in filters(unit)
    range_unit, _ = series_layer(top, "rule")
    assert "isValid(datum.pain_mean)" in filters(range_unit)
    assert sum(row["pain_mean"] is not None for row in rows) == 8


def test_mean_range_and_rolling_layers_are_typed_and_share_one_legend():
    top = chart_spec()
    point, _ = series_layer(top, "point")
    rule, _ = series_layer(top, "rule")
    line, _ = series_layer(top, "line")
    assert point["encoding"]["x"]["type"] == "temporal"
    assert point["encoding"]["y"]["field"] == "pain_mean"
    assert point["encoding"]["y"]["type"] == "quantitative"
    assert (rule["encoding"]["y"]["field"], rule["encoding"]["y2"]["field"]) == ("pain_min", "pain_max")
    assert line["encoding"]["y"]["field"] == "pain_rolling7"
    domains = {tuple(u["encoding"]["color"]["scale"]["domain"]) for u in (point, rule, line)}
    assert domains == {("Daily mean", "Daily low–high", "7-day average")}
    assert point["encoding"]["color"]["type"] == "nominal"


def test_titles_and_axis_titles():
    top = chart_spec(title="Your pain")
    assert title_text(top) == "Your pain"
    point, _ = series_layer(top, "point")
    assert point["encoding"]["x"]["title"] == "Date"
    assert point["encoding"]["y"]["title"] == "Pain (0–10)"


def test_tooltips_format_dates_and_pain():
    point, _ = series_layer(chart_spec(), "point")
    formats = {tip["field"]: tip.get("format") for tip in tooltips(point)}
    assert formats["date"] == "%-d %b %Y"
    assert formats["pain_mean"] == formats["pain_max"] == ".1f"


def test_baseline_and_goal_lines_are_labelled_beside_the_plot_not_on_the_data():
    top = chart_spec(baseline=6.0, mcid_points=2.0)
    labelled = [(unit, row["label"]) for unit, rows in texts(top) for row in rows if "line" in row]
    # Patient words: the MCID is the goal; the jargon stays in the rules behind the chart.
    assert [label for _, label in labelled] == ["Baseline 6.0", "Goal 4.0"]
    for unit, _ in labelled:
        mark = unit["mark"]
        # Left-aligned from the plot's right edge: outside the data area.
        assert (mark["x"], mark["align"]) == ("width", "left")
        assert mark["dx"] > 0
    rule_heights = sorted(row["y"] for _, rows in find(top, "rule", strokeDash=[6, 4]) for row in rows)
    assert rule_heights == [4.0, 6.0]


def test_no_mcid_line_below_zero_and_no_lines_without_baseline():
    low = chart_spec(baseline=1.5)
    assert [row["y"] for _, rows in find(low, "rule", strokeDash=[6, 4]) for row in rows] == [1.5]
    assert find(chart_spec(baseline=None), "rule", strokeDash=[6, 4]) == []


def test_pain_free_band_spans_0_to_pain_free_max_with_a_label():
    top = chart_spec(pain_free_max=1.0)
    [(band, rows)] = [(u, r) for u, r in find(top, "rect") if r and "low" in r[0]]
    assert (rows[0]["low"], rows[0]["high"]) == (0.0, 1.0)
    assert band["encoding"]["y2"]["field"] == "high"
    labels = [row["label"] for _, r in texts(top) for row in r if "low" in row]
    assert labels == ["Pain-free (0–1)"]
    assert [row["label"] for _, r in halos(top) for row in r if "low" in row] == ["Pain-free (0–1)"]


def test_phases_are_shaded_and_labelled_and_the_open_phase_ends_at_the_last_day():
    relapse = [
        *PHASES[:1],
        Phase("maintenance", dt.date(2026, 9, 8), dt.date(2026, 9, 8), "pain_free_run"),
    ]
    relapse.append(Phase("rehab", dt.date(2026, 9, 9), None, "relapse"))
    top = spec(pain_chart(daily_frame(PAIN, maintenance_from=7), relapse, baseline=6.0))
    [(shade, rows)] = [(u, r) for u, r in find(top, "rect") if r and "phase" in r[0]]
    assert [row["label"] for row in rows] == ["Rehab", "Maintenance", "Rehab (relapse)"]
    assert rows[-1]["end"].startswith("2026-09-10T12:00")  # last day (10 Sep) + half a day
    assert shade["encoding"]["fill"]["scale"]["domain"] == ["Rehab", "Maintenance"]
    label_units = [u for u, r in find(top, "text") if r and "phase" in r[0]]
    assert label_units
    assert label_units[0]["encoding"]["text"]["field"] == "label"


def test_markers_get_a_shape_per_kind_and_a_text_label():
    markers = pd.DataFrame(
        {"date": [day(1), day(8)], "kind": ["flare", "Relapse"], "label": ["Flare", "Relapse"]}
    )
    top = chart_spec(markers=markers)
    [(points, _rows)] = [(u, r) for u, r in find(top, "point") if r and "kind" in r[0]]
    assert points["encoding"]["shape"]["scale"]["domain"] == ["Flare", "Relapse"]
    assert points["encoding"]["shape"]["scale"]["range"] == ["triangle-up", "diamond"]
    marker_texts = [(u, r) for u, r in texts(top) if r and "kind" in r[0]]
    # Flare (day 1) is labelled to the right; Relapse (day 8 of 10) to the left, inside the plot.
    sides = {u["mark"]["align"]: filters(u) for u, _ in marker_texts}
    assert sides == {
        "left": ["datum.show_label && !datum.near_end"],
        "right": ["datum.show_label && datum.near_end"],
    }
    rows = marker_texts[0][1]
    assert [(row["label"], row["near_end"]) for row in rows] == [("Flare", False), ("Relapse", True)]


def test_many_markers_keep_their_shapes_but_drop_the_crowding_labels():
    markers = pd.DataFrame({"date": [day(i % 10) for i in range(13)], "kind": "flare", "label": "Flare"})
    top = chart_spec(markers=markers)
    assert [u for u, r in find(top, "point") if r and "kind" in r[0]]
    assert not [u for u, r in find(top, "text") if r and "kind" in r[0]]


def test_event_kinds_are_named_in_words_with_a_fallback_shape():
    markers = pd.DataFrame({"date": [day(2)], "kind": ["red_flag_symptom"], "label": ["Red flag"]})
    top = chart_spec(markers=markers)
    [(points, _rows)] = [(u, r) for u, r in find(top, "point") if r and "kind" in r[0]]
    shape = points["encoding"]["shape"]["scale"]
    # Named as the rules name it ("Red-flag symptom"), so the legend and the alert agree.
    assert (shape["domain"], shape["range"]) == (["Red-flag symptom"], ["cross"])


def test_twenty_years_of_days_stay_under_the_row_limit():
    chart = pain_chart(long_daily_frame(20), PHASES, baseline=6.0)
    assert count_chart_rows(chart) <= MAX_CHART_ROWS
    assert "Long period: one point per month." in spec(chart)["title"]["subtitle"]


def test_a_few_years_of_days_are_binned_by_week_with_means_of_the_days():
    daily = long_daily_frame(5)
    top = spec(pain_chart(daily, PHASES, baseline=6.0))
    assert "Long period: one point per week." in top["title"]["subtitle"]
    unit, rows = series_layer(top, "point")
    assert unit["encoding"]["color"]["scale"]["domain"][:2] == ["Weekly mean", "Weekly low–high"]
    assert len(rows) <= len(daily) // 7 + 2
    # Week of Mon 31 Aug 2026: Tue-Sun have pain on even offsets 0, 2, 4 -> 0, 2, 4 -> mean 2.
    assert rows[0]["date"].startswith("2026-08-31")
    assert rows[0]["pain_mean"] == pytest.approx(2.0)
    assert (rows[0]["pain_min"], rows[0]["pain_max"]) == (-1.0, 5.0)
    assert rows[0]["pain_entries"] == 6


def test_the_apps_flag_codes_get_one_distinct_shape_each():
    # present.chart_markers marks days by flag code; flare and severe pain once fell back to
    # the red flag's cross, so three kinds of event looked alike.
    markers = pd.DataFrame(
        {
            "date": [day(1), day(4), day(8)],
            "kind": ["pain_flare", "severe_pain", "red_flag_symptom"],
            "label": ["Flare", "Severe pain", "Red flag"],
        }
    )
    top = chart_spec(markers=markers)
    [(points, _rows)] = [(u, r) for u, r in find(top, "point") if r and "kind" in r[0]]
    scale = points["encoding"]["shape"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
        "Flare": "triangle-up",
        "Red-flag symptom": "cross",
        "Severe pain": "square",
    }


def _shown_labels(markers: pd.DataFrame) -> list[str]:
    top = chart_spec(markers=markers)
    [(_unit, rows)] = [(u, r) for u, r in find(top, "point") if r and "kind" in r[0]]
    return [row["label"] for row in rows if row["show_label"]]


def test_event_labels_that_would_run_into_each_other_are_left_out_most_urgent_kept():
    # Browser review: on a crowded chart "Relapse" ran into "Flare", and a label's white
    # halo hid the next marker. A day apart on a 10-day chart there is room for one.
    crowded = pd.DataFrame(
        {
            "date": [day(1), day(2), day(3)],
            "kind": ["relapse", "flare", "red_flag_symptom"],
            "label": ["Relapse", "Flare", "Red flag"],
        }
    )
    assert _shown_labels(crowded) == ["Red flag"]
    apart = pd.DataFrame(
        {"date": [day(0), day(9)], "kind": ["flare", "relapse"], "label": ["Flare", "Relapse"]}
    )
    assert _shown_labels(apart) == ["Flare", "Relapse"]


def test_right_hand_legends_start_clear_of_the_baseline_label():
    # The PDF puts legends right of the plot, where the "Baseline" label is drawn: the
    # event legend ("Red-flag symptom") sat on "Baseline 8.4". Measured in the laid-out scene.
    import vl_convert

    from rehab.charts.export import _with_fixed_width
    from rehab.charts.pain import legends_beside

    markers = pd.DataFrame({"date": [day(2)], "kind": ["red_flag_symptom"], "label": ["Red flag"]})
    chart = legends_beside(pain_chart(daily_frame([8.0] * 10), PHASES, baseline=8.4, markers=markers))
    root = vl_convert.vegalite_to_scenegraph(_with_fixed_width(chart.to_dict(), 760))["scenegraph"]
    view = root["items"][0]
    legends = [item for mark in view["items"] if mark.get("role") == "legend" for item in mark["items"]]
    assert legends
    # "Baseline 8.4" starts 4 px right of the plot; bold 11 px text is under 7 px a character.
    label_end = view["width"] + 4 + 7 * len("Baseline 10.0")
    assert min(item["x"] for item in legends) >= label_end
