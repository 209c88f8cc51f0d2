"""Assemble each patient's :class:`PatientSummary` from the cohort-wide arrays."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rehab.analysis.adherence import AdherenceTotals, DailyAdherence, adherence_band
from rehab.analysis.flags import alert_of
from rehab.analysis.inputs import PreparedLogs, day_date, day_number
from rehab.analysis.models import (
    AdherenceSummary,
    Flag,
    PainSummary,
    PatientSummary,
    PausedExercise,
    Phase,
)

if TYPE_CHECKING:
    import numpy as np

    from rehab.analysis.daily import DayGrid
    from rehab.analysis.pain import PainTotals
    from rehab.analysis.prescription import Prescription
    from rehab.settings import RuleSettings

# Digits kept in the summary: enough for any display, short enough to read in JSON.
DIGITS = 3


def rounded(value: float) -> float | None:
    """``value`` rounded for the summary, or ``None`` when it is missing (NaN)."""
    return None if math.isnan(value) else round(float(value), DIGITS)


@dataclass(frozen=True)
class CohortArrays:
    """The cohort-wide results a patient's summary is read from."""

    logs: PreparedLogs
    grid: DayGrid
    prescription: Prescription
    settings: RuleSettings
    daily_adherence: DailyAdherence
    session_counts: np.ndarray
    adherence: AdherenceTotals
    pain: PainTotals
    periods: list[list[Phase]]
    flags: list[list[Flag]]
    last_log_day: np.ndarray
    paused: dict[int, list[PausedExercise]]


def _adherence(data: CohortArrays, patient: int) -> AdherenceSummary:
    totals = data.adherence
    by_phase = {
        "rehab": rounded(float(totals.rehab[patient])),
        "maintenance": rounded(float(totals.maintenance[patient])),
    }
    overall = rounded(float(totals.overall[patient]))
    recent = rounded(float(totals.recent[patient]))
    return AdherenceSummary(
        overall=overall,
        last_7_days=recent,
        dose=rounded(float(totals.dose[patient])),
        by_exercise={
            exercise: value
            for index, exercise in enumerate(data.prescription.exercises)
            if (value := rounded(float(totals.by_exercise[patient, index]))) is not None
        },
        by_phase={phase: value for phase, value in by_phase.items() if value is not None},
        band=adherence_band(overall, data.settings),
        band_last_7_days=adherence_band(recent, data.settings),
        sessions_last_7_days=int(totals.recent_done[patient]),
        target_last_7_days=int(totals.recent_target[patient]),
    )


def _pain(data: CohortArrays, patient: int) -> PainSummary:
    totals = data.pain
    baseline = float(totals.baseline[patient])
    current = float(totals.current[patient])
    change = current - baseline
    change_pct = change / baseline if baseline > 0 else math.nan
    first, last = int(totals.first_entry_day[patient]), int(totals.last_entry_day[patient])
    mcid_day = int(totals.mcid_day[patient])
    return PainSummary(
        baseline=rounded(baseline),
        current=rounded(current),
        change=rounded(change),
        change_pct=rounded(change_pct),
        mcid_reached=bool(totals.mcid_reached[patient]),
        mcid_date=day_date(mcid_day) if mcid_day >= 0 else None,
        source=data.logs.pain_source[patient],
        first_entry=day_date(first) if first >= 0 else None,
        last_entry=day_date(last) if last >= 0 else None,
        days_with_entries=int(totals.entry_days[patient]),
    )


def patient_summary(data: CohortArrays, patient: int) -> PatientSummary:
    """Build the summary of one patient (``patient`` is its code in the cohort)."""
    periods = data.periods[patient]
    current = periods[-1]
    first_day = int(data.grid.first_day[patient])
    as_of_row = int(data.grid.offsets[patient + 1]) - 1
    target = int(data.daily_adherence.target[as_of_row])
    streak = int(data.pain.pain_free_streak[patient])
    first_maintenance = next((p.start for p in periods if p.phase == "maintenance"), None)
    in_rehab = current.phase == "rehab"
    return PatientSummary(
        patient_id=data.logs.patient_ids[patient],
        first_day=day_date(first_day),
        last_log=day_date(int(data.last_log_day[patient])),
        phase=current.phase,
        maintenance_start=None if in_rehab else current.start,
        phases=periods,
        adherence=_adherence(data, patient),
        pain=_pain(data, patient),
        alert=alert_of(data.flags[patient]),
        flags=data.flags[patient],
        days_since_last_log=data.logs.as_of_day - int(data.last_log_day[patient]),
        pain_free_streak=streak,
        pain_free_days_to_go=(
            max(data.settings.pain_free_days_for_maintenance - streak, 0) if in_rehab else 0
        ),
        days_to_maintenance=(
            None if first_maintenance is None else day_number(first_maintenance) - first_day
        ),
        pain_source=data.logs.pain_source[patient],
        target_per_day=target,
        sessions_today=int(data.session_counts[as_of_row].sum()),
        # One row of the grid: active_count sums the whole cohort's grid (quadratic, issue 10).
        target_today=target * int(data.daily_adherence.active[as_of_row].sum()),
        paused_exercises=data.paused.get(patient, []),
    )
