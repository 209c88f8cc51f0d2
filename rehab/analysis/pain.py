"""Pain rules: baseline, current pain, clinically meaningful improvement, streaks and flares.

They read the days that have pain entries, taken in order per patient (``EntryDays``), so
"the first 3 days with entries" or "the 7 days with entries before a day" are array offsets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from rehab.analysis.daily import DailyPain, DayGrid, run_lengths
from rehab.analysis.thresholds import at_least, at_most

if TYPE_CHECKING:
    from rehab.settings import RuleSettings


@dataclass(frozen=True)
class EntryDays:
    """Grid rows of the days with pain entries, with each one's patient and rank (0 = first)."""

    rows: np.ndarray
    patient: np.ndarray
    rank: np.ndarray
    first: np.ndarray
    count: np.ndarray

    @classmethod
    def of(cls, grid: DayGrid, pain: DailyPain) -> EntryDays:
        """Collect the entry days of every patient, in date order."""
        rows = np.flatnonzero(pain.has_entry)
        patient = grid.patient[rows]
        patients = np.arange(len(grid.first_day))
        first = np.searchsorted(patient, patients)
        count = np.bincount(patient, minlength=len(patients))
        rank = np.arange(len(rows)) - first[patient]
        return cls(rows=rows, patient=patient, rank=rank, first=first, count=count)


def improvement_met(current: np.ndarray, baseline: np.ndarray, settings: RuleSettings) -> np.ndarray:
    """MCID: current at least ``mcid_points`` below baseline, or at least ``mcid_fraction`` below."""
    change = current - baseline
    with np.errstate(invalid="ignore", divide="ignore"):
        fraction = np.where(baseline > 0, change / np.where(baseline > 0, baseline, 1.0), np.nan)
    return np.asarray(
        at_most(change, -settings.mcid_points) | at_most(fraction, -settings.mcid_fraction)
    )


def _grid_rows(entries: EntryDays, positions: np.ndarray, has_entries: np.ndarray) -> np.ndarray:
    """Grid row of the entry day at ``positions`` (row 0 for patients without entries)."""
    if not len(entries.rows):
        return np.zeros(len(positions), dtype=np.int64)
    return np.asarray(entries.rows[np.where(has_entries, positions, 0)], dtype=np.int64)


@dataclass(frozen=True)
class PainTotals:
    """Per patient (NaN / -1 / 0 where there are no entries)."""

    baseline: np.ndarray
    current: np.ndarray
    mcid_reached: np.ndarray
    mcid_day: np.ndarray
    first_entry_day: np.ndarray
    last_entry_day: np.ndarray
    entry_days: np.ndarray
    pain_free_streak: np.ndarray


def pain_totals(grid: DayGrid, pain: DailyPain, settings: RuleSettings) -> PainTotals:
    """Compute baseline, current pain, MCID (and the day it was first met), and the streak.

    Baseline is the mean daily pain of the first ``baseline_days`` days with entries (fewer if
    the patient has fewer). Current pain is the rolling mean at the last entry day. The MCID
    is evaluated on every entry day from the last baseline day on, with that day's rolling
    mean as "current"; ``mcid_day`` is the first day it held, kept only when it holds now.
    """
    entries = EntryDays.of(grid, pain)
    patients = len(grid.first_day)
    has_entries = entries.count > 0
    means = pain.mean[entries.rows]
    in_baseline = entries.rank < settings.baseline_days
    baseline_sum = np.bincount(entries.patient[in_baseline], means[in_baseline], minlength=patients)
    baseline_n = np.bincount(entries.patient[in_baseline], minlength=patients)
    with np.errstate(invalid="ignore", divide="ignore"):
        baseline = np.where(baseline_n > 0, baseline_sum / np.maximum(baseline_n, 1), np.nan)
    first_rows = _grid_rows(entries, entries.first, has_entries)
    last_rows = _grid_rows(entries, entries.first + entries.count - 1, has_entries)
    current = np.where(has_entries, pain.rolling[last_rows], np.nan)
    reached = has_entries & improvement_met(current, baseline, settings)

    eligible = entries.rank >= np.minimum(entries.count, settings.baseline_days)[entries.patient] - 1
    met = eligible & improvement_met(pain.rolling[entries.rows], baseline[entries.patient], settings)
    met_patients, first_met = np.unique(entries.patient[met], return_index=True)
    mcid_day = np.full(patients, -1, dtype=np.int64)
    mcid_day[met_patients] = grid.day[entries.rows[met][first_met]]
    mcid_day[~reached] = -1

    return PainTotals(
        baseline=baseline,
        current=current,
        mcid_reached=reached,
        mcid_day=mcid_day,
        first_entry_day=np.where(has_entries, grid.day[first_rows], -1),
        last_entry_day=np.where(has_entries, grid.day[last_rows], -1),
        entry_days=entries.count,
        pain_free_streak=pain_free_streak(grid, pain, settings),
    )


def pain_free_days(pain: DailyPain, settings: RuleSettings) -> np.ndarray:
    """Days with at least one entry and a daily maximum within ``pain_free_max``."""
    return np.asarray(pain.has_entry & at_most(pain.high, settings.pain_free_max))


def pain_free_streak(grid: DayGrid, pain: DailyPain, settings: RuleSettings) -> np.ndarray:
    """Pain-free days in a row up to the as-of date, per patient.

    A missing day breaks the run, except the as-of date itself: its entry may still come, so
    without one the streak is the run that ends the day before.
    """
    runs = run_lengths(grid, pain_free_days(pain, settings))
    last = grid.last_rows()
    first = grid.offsets[:-1]
    previous = np.where(last > first, runs[np.maximum(last - 1, 0)], 0)
    return np.where(pain.has_entry[last], runs[last], previous)


@dataclass(frozen=True)
class FlareDays:
    """Per grid row: whether the day's mean rose above its reference, and that reference."""

    risen: np.ndarray
    reference: np.ndarray


def flare_days(grid: DayGrid, pain: DailyPain, settings: RuleSettings) -> FlareDays:
    """Find days whose mean pain is ``flare_rise`` or more above the days with entries before.

    The reference is the mean daily pain of the (up to) ``flare_reference_days`` entry days
    before the day, and needs at least ``flare_reference_min_days`` of them.
    """
    entries = EntryDays.of(grid, pain)
    means = pain.mean[entries.rows]
    positions = np.arange(len(entries.rows))
    used = np.minimum(entries.rank, settings.flare_reference_days)
    # Summed from the patient's own days (as in ``window_mean``), never as a difference of
    # running sums over the cohort, whose rounding would leak from one patient into the next.
    total = np.zeros(len(means))
    for back in range(1, min(settings.flare_reference_days, len(means)) + 1):
        total += np.where(used >= back, means[np.maximum(positions - back, 0)], 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        reference = total / used
    enough = used >= settings.flare_reference_min_days
    rose = enough & at_least(means - reference, settings.flare_rise)
    risen = np.zeros(grid.size, dtype=bool)
    risen[entries.rows[rose]] = True
    reference_by_row = np.full(grid.size, np.nan)
    reference_by_row[entries.rows[enough]] = reference[enough]
    return FlareDays(risen=risen, reference=reference_by_row)
