"""Adherence: how much of the prescription was done (frequency) and how fully (dose)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from rehab.analysis.thresholds import reaches

if TYPE_CHECKING:
    import pandas as pd

    from rehab.analysis.daily import DayGrid
    from rehab.analysis.models import AdherenceBand
    from rehab.analysis.prescription import Prescription
    from rehab.settings import RuleSettings


def adherence_band(value: float | None, settings: RuleSettings) -> AdherenceBand | None:
    """Name the band of a frequency adherence (0..1): adherent, borderline or low.

    Parameters
    ----------
    value
        Frequency adherence, or ``None`` when there is nothing to measure.
    settings
        ``adherent_min`` and ``borderline_min`` are the cut-offs (inclusive).

    Returns
    -------
    str or None
        ``"adherent"``, ``"borderline"``, ``"low"``, or ``None`` for ``None``.
    """
    if value is None or np.isnan(value):
        return None
    if reaches(value, settings.adherent_min):
        return "adherent"
    if reaches(value, settings.borderline_min):
        return "borderline"
    return "low"


@dataclass(frozen=True)
class DailyAdherence:
    """Per grid row: the day's target, capped sessions per exercise, and frequency adherence.

    ``active`` marks, per day and prescribed exercise, the exercises in the target (not
    paused); ``frequency`` is NaN on a day whose every exercise is paused (no target).
    """

    target: np.ndarray
    counted: np.ndarray
    frequency: np.ndarray
    active: np.ndarray

    @property
    def has_target(self) -> np.ndarray:
        """Days with at least one exercise in the target (they count in adherence)."""
        return np.asarray(self.active.any(axis=1))

    @property
    def active_count(self) -> np.ndarray:
        """Exercises in the target each day."""
        return np.asarray(self.active.sum(axis=1), dtype=np.int64)


def daily_adherence(
    counts: np.ndarray,
    maintenance: np.ndarray,
    prescription: Prescription,
    paused: np.ndarray,
    tripped: np.ndarray | None = None,
) -> DailyAdherence:
    """Frequency adherence per day: mean over the exercises not paused of min(done, target) / target.

    Extra sessions never make up for a missed day: each day and exercise is capped at its
    target. Days without logs have zero counts and so count 0. A paused exercise (``paused``,
    grid size x exercises) leaves the target; a day with every exercise paused has none (NaN).
    ``tripped`` marks the exercises whose session tripped the stop rule that day: a patient
    who stops at once leaves sessions of it undone, so on that day it leaves the target too
    whenever counting it would lower the day (obeying "stop" never lowers adherence).
    """
    target = np.where(maintenance, prescription.maintenance_per_day, prescription.rehab_per_day)
    active = ~paused
    if tripped is not None:
        without = active & ~(tripped & (counts < target[:, None]))
        active = np.where(
            (_frequency(counts, target, without) > _frequency(counts, target, active))[:, None],
            without,
            active,
        )
    counted = np.where(active, np.minimum(counts, target[:, None]), 0)
    return DailyAdherence(
        target=target, counted=counted, frequency=_frequency(counts, target, active), active=active
    )


def _frequency(counts: np.ndarray, target: np.ndarray, active: np.ndarray) -> np.ndarray:
    """Mean over the ``active`` exercises of min(done, target) / target (NaN with none)."""
    counted = np.where(active, np.minimum(counts, target[:, None]), 0)
    exercises = active.sum(axis=1)
    share = (counted / target[:, None]).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(exercises > 0, share / np.maximum(exercises, 1), np.nan)


def dose_scores(
    sessions: pd.DataFrame, exercise_code: np.ndarray, prescription: Prescription
) -> np.ndarray:
    """Dose adherence of each session row (NaN where nothing can be measured).

    Mean of min(reps / prescribed reps, 1) and min(hold / prescribed hold, 1), over the parts
    that are both logged and prescribed; only prescribed exercises are scored.
    """
    parts = []
    for column, doses in (("reps", prescription.reps), ("hold_seconds", prescription.hold_seconds)):
        prescribed = np.array(
            [doses.get(exercise) or np.nan for exercise in prescription.exercises] + [np.nan],
            dtype=np.float64,
        )
        done = sessions[column].to_numpy(dtype=np.float64, na_value=np.nan)
        with np.errstate(invalid="ignore", divide="ignore"):
            parts.append(np.minimum(done / prescribed[exercise_code], 1.0))
    stacked = np.vstack(parts)
    measured = ~np.isnan(stacked)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(
            np.where(measured, stacked, 0.0).sum(axis=0) / measured.sum(axis=0), dtype=np.float64
        )


@dataclass(frozen=True)
class AdherenceTotals:
    """Per patient: adherence overall, in the last days, per phase, per exercise, and dose."""

    overall: np.ndarray
    recent: np.ndarray
    rehab: np.ndarray
    maintenance: np.ndarray
    by_exercise: np.ndarray
    dose: np.ndarray
    recent_done: np.ndarray
    recent_target: np.ndarray


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, numerator / np.maximum(denominator, 1), np.nan)


def adherence_totals(
    grid: DayGrid,
    daily: DailyAdherence,
    maintenance: np.ndarray,
    recent: np.ndarray,
    session_patient: np.ndarray,
    session_dose: np.ndarray,
) -> AdherenceTotals:
    """Average the daily values per patient (each day with a target weighs the same).

    ``recent`` marks the grid days of the "last 7 days" window; ``session_patient`` and
    ``session_dose`` give each session row's patient and dose score. Days with every exercise
    paused are left out; so is each exercise's paused days from its own adherence.
    """
    patients = len(grid.first_day)
    counts = daily.has_target
    frequency = np.nan_to_num(daily.frequency, nan=0.0)
    per_exercise = np.vstack(
        [
            _ratio(
                grid.per_patient_sum(daily.counted[:, index] / daily.target),
                grid.per_patient_count(daily.active[:, index]),
            )
            for index in range(daily.counted.shape[1])
        ]
    ).T
    scored = ~np.isnan(session_dose)
    dose_sum = np.bincount(session_patient[scored], session_dose[scored], minlength=patients)
    dose_rows = np.bincount(session_patient[scored], minlength=patients)
    return AdherenceTotals(
        overall=_ratio(grid.per_patient_sum(frequency), grid.per_patient_count(counts)),
        recent=_ratio(grid.per_patient_sum(frequency, recent), grid.per_patient_count(recent & counts)),
        rehab=_ratio(
            grid.per_patient_sum(frequency, ~maintenance),
            grid.per_patient_count(~maintenance & counts),
        ),
        maintenance=_ratio(
            grid.per_patient_sum(frequency, maintenance), grid.per_patient_count(maintenance & counts)
        ),
        by_exercise=per_exercise,
        dose=_ratio(dose_sum, dose_rows),
        recent_done=grid.per_patient_sum(daily.counted.sum(axis=1).astype(np.float64), recent).astype(
            np.int64
        ),
        recent_target=grid.per_patient_sum(
            (daily.target * daily.active_count).astype(np.float64), recent
        ).astype(np.int64),
    )
