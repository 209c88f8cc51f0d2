"""Exports for the record: the summary as a spreadsheet-safe, machine-readable CSV.

The CSV's first line is its header; the disclaimer is its last column (see
:mod:`rehab.safe_csv`). Numbers are written as numbers in the app's units: percentages as
whole numbers in ``*_percent`` columns (95 for "95%"), pain with one decimal, dates as
``YYYY-MM-DD``; tier, phase and band are the words the app shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from rehab import present
from rehab.safe_csv import to_safe_csv

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rehab.analysis import CohortAnalysis
    from rehab.analysis.models import PatientSummary

__all__ = ["summary_csv", "summary_frame"]


def _whole_percent(value: float | None) -> int | None:
    """Return a 0..1 fraction as the whole percentage the app shows (0.952 -> 95)."""
    return None if value is None else round(value * 100)


def _pain(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def summary_row(summary: PatientSummary, as_of: str) -> dict[str, Any]:
    """One patient's record: the numbers and words of the summary, in export units."""
    adherence, pain = summary.adherence, summary.pain
    return {
        "patient_id": summary.patient_id,
        "as_of": as_of,
        "alert": present.TIER_WORDS[summary.alert],
        "phase": present.PHASE_WORDS[summary.phase],
        "maintenance_start": summary.maintenance_start,
        "first_day": summary.first_day,
        "last_log": summary.last_log,
        "days_since_last_log": summary.days_since_last_log,
        "adherence_last_7_days_percent": _whole_percent(adherence.last_7_days),
        "adherence_last_7_days_band": present.band_word(adherence.band_last_7_days),
        "exercises_done_last_7_days": adherence.sessions_last_7_days,
        "exercises_planned_last_7_days": adherence.target_last_7_days,
        "adherence_overall_percent": _whole_percent(adherence.overall),
        "adherence_overall_band": present.band_word(adherence.band),
        "adherence_dose_percent": _whole_percent(adherence.dose),
        "pain_baseline": _pain(pain.baseline),
        "pain_current": _pain(pain.current),
        "pain_last_entry": pain.last_entry,
        "pain_change": _pain(pain.change),
        "pain_change_percent": _whole_percent(pain.change_pct),
        "mcid_reached": pain.mcid_reached,
        "pain_free_days_in_a_row": summary.pain_free_streak,
        "paused_exercises": "; ".join(
            f"{item.name} since {item.since.isoformat()} ({item.evidence})"
            for item in summary.paused_exercises
        ),
        "flags": "; ".join(f"{present.TIER_WORDS[flag.tier]}: {flag.message}" for flag in summary.flags),
    }


def summary_frame(cohort: CohortAnalysis, patient_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """Return one row per patient, in triage order, with the numbers a record needs."""
    triage = cohort.triage()
    if patient_ids is not None:
        triage = triage.loc[triage["patient_id"].isin(list(patient_ids))]
    as_of = cohort.as_of.isoformat()
    rows = [
        summary_row(cohort.patients[str(patient_id)].summary, as_of)
        for patient_id in triage["patient_id"]
    ]
    frame = pd.DataFrame(rows)
    # Whole numbers with gaps stay whole numbers (95, not 95.0), blanks stay blank.
    for column in [c for c in frame.columns if c.endswith("_percent")]:
        frame[column] = frame[column].astype("Int64")
    return frame


def summary_csv(cohort: CohortAnalysis, patient_ids: Sequence[str] | None = None) -> bytes:
    """Return the summary as spreadsheet-safe CSV bytes: header first, disclaimer last column."""
    return to_safe_csv(summary_frame(cohort, patient_ids))
