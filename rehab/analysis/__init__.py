"""The analysis engine: adherence, pain trends, phases and safety flags for every patient.

>>> from rehab.analysis import analyse
>>> cohort = analyse(sessions, pain, as_of=date(2026, 10, 4))  # doctest: +SKIP
>>> cohort.triage()  # doctest: +SKIP

Every threshold comes from :class:`rehab.settings.RuleSettings`; the rules and their sources
are in ``docs/`` and :func:`rehab.settings.rules`.
"""

from __future__ import annotations

from rehab.analysis.adherence import adherence_band
from rehab.analysis.daily_frame import DAILY_COLUMNS, daily_columns
from rehab.analysis.engine import CohortAnalysis, PatientAnalysis, analyse
from rehab.analysis.flags import FLAG_CODES, alert_of
from rehab.analysis.models import (
    TIER_ORDER,
    AdherenceBand,
    AdherenceSummary,
    Alert,
    Flag,
    PainSource,
    PainSummary,
    PatientSummary,
    PausedExercise,
    Phase,
    PhaseName,
    PhaseReason,
    Tier,
)
from rehab.analysis.prescription import Prescription
from rehab.analysis.redflags import RED_FLAG_PATTERNS, matched_words, mentions_red_flag
from rehab.analysis.response import RESPONSE_COLUMNS
from rehab.analysis.text import short_date
from rehab.analysis.triage import TRIAGE_COLUMNS

__all__ = [
    "DAILY_COLUMNS",
    "FLAG_CODES",
    "RED_FLAG_PATTERNS",
    "RESPONSE_COLUMNS",
    "TIER_ORDER",
    "TRIAGE_COLUMNS",
    "AdherenceBand",
    "AdherenceSummary",
    "Alert",
    "CohortAnalysis",
    "Flag",
    "PainSource",
    "PainSummary",
    "PatientAnalysis",
    "PatientSummary",
    "PausedExercise",
    "Phase",
    "PhaseName",
    "PhaseReason",
    "Prescription",
    "Tier",
    "adherence_band",
    "alert_of",
    "analyse",
    "daily_columns",
    "matched_words",
    "mentions_red_flag",
    "short_date",
]
