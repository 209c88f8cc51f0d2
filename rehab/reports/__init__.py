"""Exports for the record: the summary as a spreadsheet-safe CSV (and, later, PDF reports)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from rehab.disclaimer import DISCLAIMER
from rehab.safe_csv import to_safe_csv

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rehab.analysis import CohortAnalysis

__all__ = ["summary_csv", "summary_frame"]

BOM = b"\xef\xbb\xbf"


def summary_frame(cohort: CohortAnalysis, patient_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """Return one row per patient, in triage order, with the numbers a record needs."""
    triage = cohort.triage()
    if patient_ids is not None:
        triage = triage.loc[triage["patient_id"].isin(list(patient_ids))]
    rows = []
    for patient_id in triage["patient_id"]:
        summary = cohort.patients[str(patient_id)].summary
        rows.append(
            {
                "patient_id": summary.patient_id,
                "as_of": cohort.as_of.isoformat(),
                "alert": summary.alert,
                "phase": summary.phase,
                "maintenance_start": summary.maintenance_start,
                "first_day": summary.first_day,
                "last_log": summary.last_log,
                "adherence_overall": summary.adherence.overall,
                "adherence_last_7_days": summary.adherence.last_7_days,
                "adherence_dose": summary.adherence.dose,
                "pain_baseline": summary.pain.baseline,
                "pain_current": summary.pain.current,
                "pain_change": summary.pain.change,
                "mcid_reached": summary.pain.mcid_reached,
                "pain_free_streak": summary.pain_free_streak,
                "flags": "; ".join(f"{f.tier}: {f.message}" for f in summary.flags),
            }
        )
    return pd.DataFrame(rows)


def summary_csv(cohort: CohortAnalysis, patient_ids: Sequence[str] | None = None) -> bytes:
    """Return the summary as spreadsheet-safe CSV bytes, with the disclaimer first."""
    table = to_safe_csv(summary_frame(cohort, patient_ids)).removeprefix(BOM)
    # One quoted cell above the table, so a spreadsheet shows the disclaimer in A1.
    note = '"' + DISCLAIMER.replace('"', '""') + '"\r\n'
    return BOM + note.encode("utf-8") + table
