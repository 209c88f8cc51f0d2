"""Altair charts of the patient dashboard and the therapist screening.

Every chart is a pure function from analysis frames to an Altair chart, testable through
``chart.to_dict()``. Pain is always drawn on a fixed 0-10 axis, colours come from the
colour-blind-safe Okabe-Ito palette and always go with a shape or a text, and no chart
carries more than :data:`MAX_CHART_ROWS` data rows whatever the size of the log.

The app passes the sessions and response charts to ``st.altair_chart(...,
on_select="rerun")``; the clicked exercise id is in the selection :data:`EXERCISE_PICK`.
"""

from __future__ import annotations

from rehab.charts.adherence import adherence_calendar
from rehab.charts.cohort import cohort_overview, cohort_panels
from rehab.charts.export import chart_png
from rehab.charts.limits import MAX_CHART_ROWS, count_chart_rows
from rehab.charts.pain import pain_chart
from rehab.charts.phases import PhaseLike
from rehab.charts.response import response_chart
from rehab.charts.selection import EXERCISE_PICK
from rehab.charts.sessions import sessions_chart
from rehab.charts.theme import THEME_NAME, register_theme
from rehab.charts.trusted import unvalidated

register_theme()

__all__ = [
    "EXERCISE_PICK",
    "MAX_CHART_ROWS",
    "THEME_NAME",
    "PhaseLike",
    "adherence_calendar",
    "chart_png",
    "cohort_overview",
    "cohort_panels",
    "count_chart_rows",
    "pain_chart",
    "response_chart",
    "sessions_chart",
    "unvalidated",
]
