"""The questionnaire chart, read through its Vega-Lite spec (``chart.to_dict()``)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from rehab.charts.measures import FIRST, LATER, measure_chart, measure_charts, measure_points
from rehab.measures import coerce_measures


def _rows() -> pd.DataFrame:
    return coerce_measures(
        pd.DataFrame(
            {
                "patient_id": ["P1"] * 6,
                "date": pd.to_datetime(
                    ["2026-09-15", "2026-09-01", "2026-09-29", "2026-09-01", "2026-09-20", "2026-09-08"]
                ),
                "measure": ["odi", "odi", "odi", "start_back", "start_back", "rmdq"],
                "score": [38.0, 44.0, float("nan"), 7.0, 3.0, 12.0],
                "band": ["", "", "", "high", "low", ""],
                "complete": [True, True, False, True, True, True],
                "source_file": ["m.csv"] * 6,
                "source_row": [2, 3, 4, 5, 6, 7],
            }
        )
    )


def _layers(spec: dict[str, Any], data: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Every leaf layer of a (nested) layer spec, each with the data it draws."""
    found = []
    for layer in spec.get("layer", []):
        inherited = layer.get("data", spec.get("data", data))
        if "layer" in layer:
            found.extend(_layers(layer, inherited))
        else:
            found.append({**layer, "data": inherited})
    return found


def _mark(layer: dict[str, Any]) -> str:
    mark = layer["mark"]
    return str(mark["type"] if isinstance(mark, dict) else mark)


def _data(spec: dict[str, Any], layer: dict[str, Any]) -> list[dict[str, Any]]:
    name = layer["data"]["name"]
    return list(spec["datasets"][name])


def test_points_are_the_scored_responses_in_date_order_with_the_first_marked():
    points = measure_points(_rows(), "odi")
    # The unscored 29 Sep form is left out; 1 Sep (44) comes before 15 Sep (38).
    assert points["score"].tolist() == [44.0, 38.0]
    assert points["point"].tolist() == [FIRST, LATER]
    assert points["label"].tolist() == ["44%", "38%"]


def test_each_measure_has_its_own_fixed_scale_and_a_title():
    rows = _rows()
    odi = measure_chart(rows, "odi").to_dict()
    rmdq = measure_chart(rows, "rmdq").to_dict()
    start = measure_chart(rows, "start_back").to_dict()
    for spec, domain in ((odi, [0.0, 100.0]), (rmdq, [0.0, 24.0]), (start, [0.0, 9.0])):
        line = next(layer for layer in _layers(spec) if _mark(layer) == "line")
        assert line["encoding"]["y"]["scale"]["domain"] == domain
        assert line["encoding"]["y"]["type"] == "quantitative"
        assert line["encoding"]["x"]["type"] == "temporal"
    assert odi["title"]["text"] == "Oswestry Disability Index"
    assert "lower is better" in odi["title"]["subtitle"]


def test_first_response_is_a_shape_and_every_score_is_written():
    spec = measure_chart(_rows(), "odi").to_dict()
    points = next(layer for layer in _layers(spec) if _mark(layer) == "point")
    shape = points["encoding"]["shape"]
    assert shape["scale"]["domain"] == [FIRST, LATER]
    assert shape["scale"]["range"][0] != shape["scale"]["range"][1]
    texts = [
        layer for layer in _layers(spec) if layer["encoding"].get("text", {}).get("field") == "label"
    ]
    assert texts  # the scores are written beside the points, not told by colour alone
    tooltips = {t["field"]: t for t in points["encoding"]["tooltip"]}
    assert tooltips["date"]["format"] == "%-d %b %Y"
    assert tooltips["score"]["format"] == ".1f"


def test_mcid_band_is_shaded_within_the_scale():
    spec = measure_chart(_rows(), "odi", band=(34.0, 54.0)).to_dict()
    rect = next(layer for layer in _layers(spec) if _mark(layer) == "rect")
    [band] = _data(spec, rect)
    assert (band["low"], band["high"]) == (34.0, 54.0)
    clipped = measure_chart(_rows(), "rmdq", band=(7.0, 27.0)).to_dict()
    rect = next(layer for layer in _layers(clipped) if _mark(layer) == "rect")
    assert _data(clipped, rect)[0]["high"] == 24.0
    without = measure_chart(_rows(), "odi").to_dict()
    assert not [layer for layer in _layers(without) if _mark(layer) == "rect"]


def test_start_back_shades_and_names_its_low_risk_group():
    spec = measure_chart(_rows(), "start_back", start_back_low_max=3).to_dict()
    rect = next(layer for layer in _layers(spec) if _mark(layer) == "rect")
    [shade] = _data(spec, rect)
    # Totals 0-3 are low risk: the shade ends halfway to 4.
    assert (shade["low"], shade["high"], shade["shade"]) == (0.0, 3.5, "Low risk (total 0-3)")
    assert rect["encoding"]["color"]["legend"] is not None
    # Each point's label carries its risk group in words.
    assert measure_points(_rows(), "start_back")["label"].tolist() == ["7 high", "3 low"]


def test_one_chart_per_measure_with_a_score():
    rows = _rows()
    charts = measure_charts(rows, {"odi": (34.0, 54.0), "rmdq": None, "psfs": None, "start_back": None})
    assert list(charts) == ["odi", "rmdq", "start_back"]  # no PSFS response: no empty panel
