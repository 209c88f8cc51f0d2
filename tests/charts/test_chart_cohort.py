from __future__ import annotations

import numpy as np
import pandas as pd

from rehab.charts import MAX_CHART_ROWS, cohort_overview, cohort_panels, count_chart_rows
from rehab.charts.cohort import adherence_bins, pain_change_bins, tier_phase_counts
from tests.charts.chart_frames import find, spec, title_text, tooltips, units

TRIAGE = pd.DataFrame(
    {
        "patient_id": ["P1", "P2", "P3", "P4", "P5", "P6"],
        "alert": ["critical", "critical", "high", "none", "?", "moderate"],
        "phase": ["rehab", "maintenance", "rehab", "maintenance", None, "rehab"],
        "adherence_7d": [1.0, 0.7, 0.75, np.nan, 0.69, 0.0],
        "pain_change": [-3.0, -2.0, -1.5, np.nan, 0.5, -10.0],
    }
)


def test_patients_are_counted_per_tier_and_phase_with_every_pair_shown():
    counts = tier_phase_counts(TRIAGE)
    table = {(row.tier, row.phase): row.patients for row in counts.itertuples()}
    assert table == {
        ("Critical", "Rehab"): 1,
        ("Critical", "Maintenance"): 1,
        ("High", "Rehab"): 1,
        ("High", "Maintenance"): 0,
        ("Moderate", "Rehab"): 1,
        ("Moderate", "Maintenance"): 0,
        ("No alert", "Rehab"): 0,
        ("No alert", "Maintenance"): 1,
        ("No alert", "Unknown"): 1,
    }
    assert "Rehab: 1" in set(counts["label"])


def test_adherence_is_binned_by_tenths_with_its_band():
    bins = adherence_bins(TRIAGE)
    assert bins["patients"].tolist() == [1, 0, 0, 0, 0, 0, 1, 2, 0, 1]
    assert bins["band"].iloc[6] == "Low (under 70%)"
    assert bins["band"].iloc[7] == "Borderline (70–80%)"
    assert bins["band"].iloc[8] == "Adherent (80% or more)"
    nearly = adherence_bins(pd.DataFrame({"adherence_7d": [7 / 10, 0.1 * 7]}))
    assert nearly["patients"].iloc[7] == 2


def test_pain_change_bins_are_right_closed_so_minus_two_counts_as_meaningful():
    bins = pain_change_bins(TRIAGE, mcid_points=2.0)
    counted = bins[bins["patients"] > 0]
    assert list(zip(counted["low"], counted["high"], counted["patients"], strict=True)) == [
        (-10.0, -9.0, 1),
        (-4.0, -3.0, 1),
        (-3.0, -2.0, 1),
        (-2.0, -1.0, 1),
        (0.0, 1.0, 1),
    ]
    kinds = dict(zip(bins["high"], bins["kind"], strict=True))
    assert kinds[-2.0] == "Improved 2 points or more"
    assert kinds[-1.0] == "Changed less than 2 points"
    assert kinds[1.0] == "Worse"


def test_the_overview_has_three_titled_panels_with_counts_written_on_them():
    top = spec(cohort_overview(TRIAGE))
    assert title_text(top) == "Cohort overview"
    assert top["title"]["subtitle"] == "6 patients"
    titles = [title_text(node) for node in [top["vconcat"][0], *top["vconcat"][1]["hconcat"]]]
    assert titles == ["Patients by alert and phase", "Adherence this week", "Pain change"]
    assert (
        top["vconcat"][1]["hconcat"][0]["title"]["subtitle"]
        == "1 patient without data this week not shown"
    )
    texts = [unit for unit, _ in units(top) if unit["mark"]["type"] == "text"]
    assert {t["encoding"]["text"]["field"] for t in texts} >= {"label", "patients"}


def test_encodings_are_typed_and_tooltips_formatted():
    top = spec(cohort_overview(TRIAGE))
    bars = [(u, r) for u, r in find(top, "bar")]
    tier_bar = next(u for u, r in bars if r and "tier" in r[0])
    assert tier_bar["encoding"]["y"]["type"] == "nominal"
    assert tier_bar["encoding"]["x"]["type"] == "quantitative"
    adherence_bar = next(u for u, r in bars if r and "band" in r[0])
    formats = {tip["field"]: tip.get("format") for tip in tooltips(adherence_bar)}
    assert formats["low"] == ".0%"
    assert adherence_bar["encoding"]["x"]["axis"]["format"] == ".0%"


def test_the_panels_the_screening_page_draws_unchecked_pass_the_vega_lite_schema():
    # The page serialises these without Altair's schema check (app_pages/state.py); this is
    # where they are checked. A triage with no adherence or pain change at all is the edge.
    empty = TRIAGE.assign(adherence_7d=np.nan, pain_change=np.nan)
    for triage, mcid in ((TRIAGE, 2.0), (empty, 1.5), (TRIAGE.iloc[:1], 3.0)):
        for panel in cohort_panels(triage, mcid_points=mcid):
            assert panel.to_dict(validate=True) == panel.to_dict(validate=False)


def test_a_million_patients_still_draw_a_few_dozen_rows():
    n = 1_000_000
    rng = np.random.default_rng(1)
    triage = pd.DataFrame(
        {
            "patient_id": np.arange(n).astype(str),
            "alert": rng.choice(["critical", "high", "moderate", "none"], n),
            "phase": rng.choice(["rehab", "maintenance"], n),
            "adherence_7d": rng.random(n),
            "pain_change": rng.normal(-2, 2, n),
        }
    )
    chart = cohort_overview(triage)
    assert count_chart_rows(chart) <= 60 < MAX_CHART_ROWS
    assert (
        sum(row["patients"] for _, rows in find(spec(chart), "bar") for row in rows if "tier" in row)
        == n
    )
