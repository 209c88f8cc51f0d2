"""Cohort overview for the therapist: patients per tier and phase, adherence, pain change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import altair as alt
import numpy as np
import pandas as pd

from rehab.charts.theme import (
    BLUISH_GREEN,
    FIT,
    GREY_MARK,
    GREY_TEXT,
    ORANGE,
    PERCENT_FORMAT,
    SKY_BLUE,
    VERMILLION,
    YELLOW,
)
from rehab.wording import plural

TIERS: Final = ("critical", "high", "moderate", "none")
TIER_LABELS: Final = {"critical": "Critical", "high": "High", "moderate": "Moderate", "none": "No alert"}
PHASES: Final = ("rehab", "maintenance", "unknown")
PHASE_LABELS: Final = {"rehab": "Rehab", "maintenance": "Maintenance", "unknown": "Unknown"}
ADHERENCE_BANDS: Final = ("Low (under 70%)", "Borderline (70–80%)", "Adherent (80% or more)")
PAIN_CHANGE_KINDS: Final = ("Improved 2 points or more", "Changed less than 2 points", "Worse")
PANEL_WIDTH: Final = 320
PANEL_HEIGHT: Final = 200


def tier_phase_counts(triage: pd.DataFrame) -> pd.DataFrame:
    """Return patients per alert tier and phase: ``tier``, ``phase``, ``patients``, ``label``.

    Every tier and phase appears (with 0), so the chart always reads the same way.
    """
    tier = triage["alert"].astype("str").where(triage["alert"].isin(TIERS), "none")
    phase = triage["phase"].astype("str").where(triage["phase"].isin(PHASES), "unknown")
    every_pair = pd.MultiIndex.from_product([TIERS, PHASES], names=["tier", "phase"])
    counts = pd.DataFrame({"tier": tier, "phase": phase}).value_counts()
    long = counts.reindex(every_pair, fill_value=0).rename("patients").reset_index()
    long = long[(long["phase"] != "unknown") | (long["patients"] > 0)]
    return long.assign(
        tier=long["tier"].map(TIER_LABELS),
        phase=long["phase"].map(PHASE_LABELS),
        label=long["phase"].map(PHASE_LABELS) + ": " + long["patients"].astype(str),
    ).reset_index(drop=True)


def adherence_bins(
    triage: pd.DataFrame, *, low_below: float = 0.70, adherent_min: float = 0.80
) -> pd.DataFrame:
    """Return a 10 %-wide histogram of this week's adherence with each bin's band.

    Columns: ``low``, ``high`` (bin edges, 0..1), ``patients``, ``band``. Patients without an
    adherence value are left out (the chart says how many).
    """
    values = triage["adherence_7d"].astype("float64").dropna().clip(0, 1)
    edges = np.linspace(0, 1, 11)
    # 100 % belongs to the last bin, not to a bin of its own.
    # The small nudge keeps 0.7 computed as 0.6999999... in the 70 % bin its band belongs to.
    index = np.minimum(np.floor(values.to_numpy() * 10 + 1e-9).astype(int), 9)
    counts = np.bincount(index, minlength=10)
    low = edges[:-1]
    band = np.where(
        low >= adherent_min - 1e-9,
        ADHERENCE_BANDS[2],
        np.where(low >= low_below - 1e-9, ADHERENCE_BANDS[1], ADHERENCE_BANDS[0]),
    )
    return pd.DataFrame({"low": low, "high": edges[1:], "patients": counts, "band": band})


def pain_change_bins(triage: pd.DataFrame, *, mcid_points: float = 2.0) -> pd.DataFrame:
    """Return a 1-point histogram of pain change (current minus baseline), -10..10.

    Bins are closed on the right (``-2`` falls in ``(-3, -2]``, a meaningful improvement);
    ``kind`` says whether the bin is an improvement of ``mcid_points`` or more, less, or worse.
    """
    values = triage["pain_change"].astype("float64").dropna().clip(-10, 10)
    edges = np.arange(-10, 11)
    # Right-closed bins; -10 itself joins the first bin.
    index = np.clip(np.ceil(values.to_numpy()).astype(int) + 9, 0, 19)
    counts = np.bincount(index, minlength=20)
    low, high = edges[:-1].astype(float), edges[1:].astype(float)
    kind = np.where(
        high <= -mcid_points,
        PAIN_CHANGE_KINDS[0],
        np.where(low >= 0, PAIN_CHANGE_KINDS[2], PAIN_CHANGE_KINDS[1]),
    )
    return pd.DataFrame({"low": low, "high": high, "patients": counts, "kind": kind})


def _tier_chart(triage: pd.DataFrame) -> alt.LayerChart:
    counts = tier_phase_counts(triage)
    phases = [p for p in PHASE_LABELS.values() if p in set(counts["phase"])]
    y = alt.Y("tier:N", title="Alert tier", sort=[TIER_LABELS[t] for t in TIERS])
    base = alt.Chart(counts).encode(
        y=y,
        yOffset=alt.YOffset("phase:N", sort=phases),
        x=alt.X("patients:Q", title="Patients", axis=alt.Axis(tickMinStep=1, format="d")),
        tooltip=[
            alt.Tooltip("tier:N", title="Alert"),
            alt.Tooltip("phase:N", title="Phase"),
            alt.Tooltip("patients:Q", title="Patients", format="d"),
        ],
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "phase:N",
            title="Phase",
            scale=alt.Scale(domain=phases, range=[ORANGE, SKY_BLUE, GREY_MARK][: len(phases)]),
        )
    )
    # The phase is written beside every bar: colour is never the only cue.
    text = base.mark_text(align="left", dx=4, color=GREY_TEXT, fontSize=11).encode(
        text=alt.Text("label:N")
    )
    return alt.LayerChart(
        layer=[bars, text],
        title=alt.Title("Patients by alert and phase"),
        width=PANEL_WIDTH * 2 + 40,
        height=PANEL_HEIGHT,
    )


@dataclass(frozen=True)
class _Histogram:
    """How one pre-binned histogram panel reads: its groups, colours, axis and titles."""

    group_field: str
    groups: tuple[str, ...]
    colours: tuple[str, ...]
    x: alt.X
    edge_format: str
    title: alt.Title


def _histogram(
    bins: pd.DataFrame, panel: _Histogram, extra_layers: tuple[alt.Chart, ...] = ()
) -> alt.LayerChart:
    base = alt.Chart(bins).encode(x=panel.x)
    bars = base.mark_bar(stroke="white", strokeWidth=1).encode(
        y=alt.Y("patients:Q", title="Patients", axis=alt.Axis(tickMinStep=1, format="d")),
        x2=alt.X2("high:Q"),
        y2=alt.Y2Datum(0),
        color=alt.Color(
            f"{panel.group_field}:N",
            title=None,
            scale=alt.Scale(domain=list(panel.groups), range=list(panel.colours)),
            legend=alt.Legend(orient="bottom", direction="vertical"),
        ),
        tooltip=[
            alt.Tooltip("low:Q", title="From", format=panel.edge_format),
            alt.Tooltip("high:Q", title="To", format=panel.edge_format),
            alt.Tooltip("patients:Q", title="Patients", format="d"),
            alt.Tooltip(f"{panel.group_field}:N", title="Group"),
        ],
    )
    # Counts written on the bars: the height is read as a number, not only as a colour area.
    counts = (
        base.transform_filter("datum.patients > 0")
        .transform_calculate(centre="(datum.low + datum.high) / 2")
        .mark_text(baseline="bottom", dy=-2, fontSize=11, color=GREY_TEXT)
        .encode(x=alt.X("centre:Q"), y=alt.Y("patients:Q"), text=alt.Text("patients:Q", format="d"))
    )
    return alt.LayerChart(
        layer=[bars, counts, *extra_layers], title=panel.title, width=PANEL_WIDTH, height=PANEL_HEIGHT
    )


def _adherence_chart(triage: pd.DataFrame) -> alt.LayerChart:
    missing = int(triage["adherence_7d"].isna().sum())
    panel = _Histogram(
        group_field="band",
        groups=ADHERENCE_BANDS,
        colours=(VERMILLION, YELLOW, BLUISH_GREEN),
        x=alt.X(
            "low:Q",
            title="Adherence in the last 7 days",
            scale=alt.Scale(domain=[0, 1]),
            axis=alt.Axis(format=PERCENT_FORMAT, values=[0, 0.2, 0.4, 0.6, 0.7, 0.8, 1.0]),
        ),
        edge_format=PERCENT_FORMAT,
        title=alt.Title(
            "Adherence this week",
            subtitle=f"{plural(missing, 'patient')} without data this week not shown" if missing else "",
        ),
    )
    return _histogram(adherence_bins(triage), panel)


def _pain_change_chart(triage: pd.DataFrame, mcid_points: float) -> alt.LayerChart:
    missing = int(triage["pain_change"].isna().sum())
    panel = _Histogram(
        group_field="kind",
        groups=PAIN_CHANGE_KINDS,
        colours=(BLUISH_GREEN, GREY_MARK, VERMILLION),
        x=alt.X(
            "low:Q",
            title="Pain change from baseline (points; below 0 = better)",
            scale=alt.Scale(domain=[-10, 10]),
            axis=alt.Axis(values=[-10, -5, -mcid_points, 0, 5, 10]),
        ),
        edge_format="+d",
        title=alt.Title(
            "Pain change",
            subtitle=(
                f"{plural(missing, 'patient')} without enough pain entries not shown" if missing else ""
            ),
        ),
    )
    mcid = pd.DataFrame({"x": [-mcid_points], "label": [f"MCID −{mcid_points:g}"]})
    rule = alt.Chart(mcid).encode(x=alt.X("x:Q"))
    # The label sits just above the plot: inside, it would collide with the bars' counts.
    mcid_layers = (
        rule.mark_rule(strokeDash=[5, 3], color=GREY_TEXT),
        rule.mark_text(
            align="left", baseline="bottom", dx=3, y=-3, color=GREY_TEXT, fontWeight="bold"
        ).encode(text=alt.Text("label:N")),
    )
    return _histogram(pain_change_bins(triage, mcid_points=mcid_points), panel, mcid_layers)


def cohort_overview(triage: pd.DataFrame, *, mcid_points: float = 2.0) -> alt.VConcatChart:
    """Draw the cohort at a glance: alert tiers by phase, adherence, pain change.

    Parameters
    ----------
    triage
        One row per patient: ``patient_id``, ``alert`` (critical/high/moderate/none),
        ``phase``, ``adherence_7d`` (0..1 or NaN), ``pain_change`` (points or NaN).
    mcid_points
        Improvement that is clinically meaningful (colours the pain-change bins).

    Returns
    -------
    alt.VConcatChart
        Counts are computed here, so the chart carries a few dozen rows for any cohort.
    """
    tiers = _tier_chart(triage)
    distributions = alt.hconcat(
        _adherence_chart(triage), _pain_change_chart(triage, mcid_points), spacing=40
    ).resolve_scale(color="independent")
    overview: alt.VConcatChart = alt.vconcat(
        tiers,
        distributions,
        spacing=30,
        title=alt.Title("Cohort overview", subtitle=f"{len(triage)} patients"),
    ).resolve_scale(color="independent")
    return overview


def cohort_panels(
    triage: pd.DataFrame, *, mcid_points: float = 2.0
) -> tuple[alt.LayerChart, alt.LayerChart, alt.LayerChart]:
    """Return the three cohort panels as separate charts that stretch to their container.

    The app lays them out in columns (a concatenated chart cannot stretch to the page);
    :func:`cohort_overview` keeps them together for a PNG or a report.
    """
    panels = (
        _tier_chart(triage),
        _adherence_chart(triage),
        _pain_change_chart(triage, mcid_points),
    )
    # Streamlit fits title, axes and legend inside the height, so these need more of it
    # than the same panels inside the concatenated overview.
    tiers, adherence, pain = (
        panel.properties(width="container", height=height, autosize=FIT)
        for panel, height in zip(panels, (330, 360, 360), strict=True)
    )
    return tiers, adherence, pain
