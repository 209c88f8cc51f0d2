"""The questionnaires panel of the patient page: latest scores, change, charts, rules, licence.

It draws; it does not compute. Words come from :mod:`rehab.measure_words`, charts from
:mod:`rehab.charts.measures`, the changes from the analysis. Nothing is drawn for a patient
without questionnaires.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import streamlit as st

from app_pages import views
from rehab import measure_words
from rehab.charts.measures import measure_charts
from rehab.charts.trusted import unvalidated

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd

    from rehab.analysis.measure_flags import MeasureChange
    from rehab.settings import RuleSettings

# Two small charts a row on a laptop; Streamlit stacks the columns on a phone.
CHARTS_PER_ROW = 2


def _metric(view: measure_words.MeasureView) -> None:
    # A risk screen says its group under the score; an outcome its change since the first.
    colour: Literal["normal", "inverse", "off"]
    if view.band:
        delta, colour = view.band.capitalize(), "off"
    elif view.delta is not None:
        delta = view.delta
        # Lower is better on ODI and RMDQ: a fall is drawn green, with its arrow.
        colour = "inverse" if view.better == "lower" else "normal"
    else:
        delta, colour = None, "off"
    st.metric(
        f"{view.short} ({view.latest_date})",
        view.latest,
        delta=delta,
        delta_color=colour,
        delta_arrow="off" if view.band else "auto",
        border=True,
        help=view.title,
    )
    st.caption(view.change)


def measures_panel(
    rows: pd.DataFrame, changes: Sequence[MeasureChange], settings: RuleSettings, *, key: str
) -> None:
    """Each questionnaire's latest score, band and change from the first, then its chart.

    Parameters
    ----------
    rows
        The patient's questionnaire rows (the analysis' ``PatientAnalysis.measures``).
    changes
        Their first and latest scores (``PatientAnalysis.measure_changes``); nothing is
        drawn when empty.
    settings
        The rules in use (MCIDs, STarT Back bands).
    key
        Makes the chart keys unique per patient.
    """
    if not changes:
        return
    shown = measure_words.measure_views(changes, settings)
    st.subheader("Questionnaires", anchor=False)
    st.caption(
        "Scores from the questionnaires filled in with the therapist: the latest, and how each "
        "changed since the first."
    )
    for start in range(0, len(shown), CHARTS_PER_ROW):
        for column, view in zip(
            st.columns(CHARTS_PER_ROW), shown[start : start + CHARTS_PER_ROW], strict=False
        ):
            with column:
                _metric(view)
    start_back = next((c for c in changes if c.measure == "start_back"), None)
    low_max = settings.start_back_low_total_max if start_back is not None else None
    charts = measure_charts(
        rows, measure_words.chart_bands(changes, settings), start_back_low_max=low_max
    )
    drawn = list(charts.items())
    for start in range(0, len(drawn), CHARTS_PER_ROW):
        pairs = drawn[start : start + CHARTS_PER_ROW]
        for column, (measure, chart) in zip(st.columns(CHARTS_PER_ROW), pairs, strict=False):
            with column:
                st.altair_chart(unvalidated(chart), width="stretch", key=f"{key}_{measure}")
    rule_ids = measure_words.rules_of(shown)
    if rule_ids:
        views.rule_caption(rule_ids, label="Rules behind these scores")
    for licence in measure_words.licences(shown):
        st.caption(licence)


def questionnaires_only(measures: pd.DataFrame, settings: RuleSettings) -> None:
    """The page for an upload of questionnaires alone: pick a patient, see their scores.

    Adherence and pain need session or pain logs; the scores need nothing else.
    """
    from rehab.analysis.measure_flags import patients_measures

    st.title("My progress", anchor=False)
    st.info(
        "This upload holds questionnaires only. Add session or pain logs to see adherence, "
        "pain and alerts beside the scores.",
        icon=":material/assignment:",
    )
    found = patients_measures(measures, settings)
    if not found:
        return
    with st.sidebar:
        chosen = st.selectbox("Patient", list(found), key="measures_only_patient")
    rows, changes = found[str(chosen)]
    measures_panel(rows, changes, settings, key=f"measures_only_{chosen}")
