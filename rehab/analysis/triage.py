"""Triage: patients in the order a therapist should look at them, one row each."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from rehab.analysis.adherence import adherence_band
from rehab.analysis.models import TIER_ORDER, PatientSummary

if TYPE_CHECKING:
    from datetime import date

    from rehab.settings import RuleSettings

TRIAGE_COLUMNS = (
    "patient_id",
    "alert",
    "alert_rank",
    "flag_codes",
    "flag_count",
    "top_message",
    "phase",
    "adherence_7d",
    "adherence_band_7d",
    "adherence_overall",
    "pain_baseline",
    "pain_current",
    "pain_change",
    "mcid_reached",
    "pain_free_streak",
    "days_since_last_log",
    "last_log",
    "latest_flag_date",
    "first_day",
)


def latest_flag_date(summary: PatientSummary) -> date | None:
    """Return the most recent date pointed at by the patient's flags of their alert tier.

    Only the top tier counts, so a recent moderate flag does not lift a patient above others
    whose high flag is newer.
    """
    return max(
        (day for flag in summary.flags if flag.tier == summary.alert for day in flag.dates),
        default=None,
    )


def triage_order(summaries: list[PatientSummary]) -> list[PatientSummary]:
    """Sort by tier (critical first), newest flag date, most days since the last log, then id."""

    def key(summary: PatientSummary) -> tuple[int, int, int, str]:
        latest = latest_flag_date(summary)
        newest_first = -latest.toordinal() if latest is not None else 0
        return (
            TIER_ORDER[summary.alert],
            newest_first,
            -summary.days_since_last_log,
            summary.patient_id,
        )

    return sorted(summaries, key=key)


def triage_frame(summaries: list[PatientSummary], settings: RuleSettings) -> pd.DataFrame:
    """One row per patient in triage order, with the columns of :data:`TRIAGE_COLUMNS`.

    ``flag_codes`` is the patient's flag codes joined by ", " (most urgent first);
    ``top_message`` is the message of the most urgent flag (empty when none).
    """
    rows = [
        {
            "patient_id": s.patient_id,
            "alert": s.alert,
            "alert_rank": TIER_ORDER[s.alert],
            "flag_codes": ", ".join(dict.fromkeys(flag.code for flag in s.flags)),
            "flag_count": len(s.flags),
            "top_message": s.flags[0].message if s.flags else "",
            "phase": s.phase,
            "adherence_7d": s.adherence.last_7_days,
            "adherence_band_7d": adherence_band(s.adherence.last_7_days, settings),
            "adherence_overall": s.adherence.overall,
            "pain_baseline": s.pain.baseline,
            "pain_current": s.pain.current,
            "pain_change": s.pain.change,
            "mcid_reached": s.pain.mcid_reached,
            "pain_free_streak": s.pain_free_streak,
            "days_since_last_log": s.days_since_last_log,
            "last_log": s.last_log,
            "latest_flag_date": latest_flag_date(s),
            "first_day": s.first_day,
        }
        for s in triage_order(summaries)
    ]
    frame = pd.DataFrame(rows, columns=list(TRIAGE_COLUMNS))
    for column in ("adherence_7d", "adherence_overall", "pain_baseline", "pain_current", "pain_change"):
        frame[column] = frame[column].astype("Float64")
    for column in ("last_log", "latest_flag_date", "first_day"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def summary_json(as_of: date, summaries: list[PatientSummary]) -> dict[str, object]:
    """Build the summary document: ``{"as_of": "YYYY-MM-DD", "patients": [...]}`` in triage order."""
    return {
        "as_of": as_of.isoformat(),
        "patients": [s.model_dump(mode="json") for s in triage_order(summaries)],
    }
