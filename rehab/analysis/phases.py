"""The phase state machine: rehab -> maintenance after a pain-free run -> rehab on relapse.

This is the one step that walks each patient's days in order (a phase depends on the one
before it); it is a tight loop over plain lists of booleans, everything else is vectorised.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from rehab.analysis.inputs import day_date
from rehab.analysis.models import Phase, PhaseName, PhaseReason
from rehab.analysis.thresholds import at_least, at_most

if TYPE_CHECKING:
    from rehab.analysis.daily import DailyPain, DayGrid
    from rehab.settings import RuleSettings

# A period opens at a day index (within the patient's days) with a phase and a reason.
_Opening = tuple[int, PhaseName, PhaseReason]


@dataclass(frozen=True)
class PhaseTimeline:
    """Per grid row whether the day is in maintenance; per patient its periods in order."""

    maintenance: np.ndarray
    periods: list[list[Phase]]


def walk_phases(
    pain_free: list[bool], bad: list[bool], run_needed: int, relapse_days: int
) -> list[_Opening]:
    """Walk one patient's days and return where each period opens.

    Parameters
    ----------
    pain_free
        Per day: a pain entry with a daily maximum within the pain-free limit.
    bad
        Per day: a pain entry with a daily maximum at or above the relapse level.
    run_needed
        Consecutive pain-free days after which maintenance starts (the next day).
    relapse_days
        Consecutive bad days in maintenance that send the patient back to rehab, from the
        first of them.

    Returns
    -------
    list of (day index, phase, reason)
        Openings in order; the first is always ``(0, "rehab", "start")``. An opening may lie
        one day past the end (maintenance earned on the last day), or repeat the previous
        opening's day (relapse on the first maintenance day); :func:`_periods` drops those.
    """
    openings: list[_Opening] = [(0, "rehab", "start")]
    in_maintenance = False
    run = 0
    for index, (free, hurts) in enumerate(zip(pain_free, bad, strict=True)):
        if in_maintenance:
            run = run + 1 if hurts else 0
            if run >= relapse_days:
                openings.append((index - relapse_days + 1, "rehab", "relapse"))
                in_maintenance, run = False, 0
        else:
            run = run + 1 if free else 0
            if run >= run_needed:
                openings.append((index + 1, "maintenance", "pain_free_run"))
                in_maintenance, run = True, 0
    return openings


def _spans(openings: list[_Opening], length: int) -> list[tuple[int, int, PhaseName, PhaseReason]]:
    """Turn openings into (first index, last index, phase, reason), dropping empty periods."""
    kept = [opening for opening in openings if opening[0] < length]
    spans = []
    for position, (start, phase, reason) in enumerate(kept):
        end = kept[position + 1][0] - 1 if position + 1 < len(kept) else length - 1
        if end >= start:
            spans.append((start, end, phase, reason))
    return spans


def phase_timeline(grid: DayGrid, pain: DailyPain, settings: RuleSettings) -> PhaseTimeline:
    """Run the state machine for every patient and label every grid day.

    Parameters
    ----------
    grid
        The patients' days.
    pain
        Daily pain on the grid; a day without an entry is neither pain-free nor bad.
    settings
        ``pain_free_max``, ``pain_free_days_for_maintenance``, ``relapse_pain_min`` and
        ``relapse_days`` govern the machine.

    Returns
    -------
    PhaseTimeline
        The maintenance label of every grid day and each patient's periods; the last period
        has ``end=None`` (it lasts at the as-of date).
    """
    pain_free = (pain.has_entry & at_most(pain.high, settings.pain_free_max)).tolist()
    bad = (pain.has_entry & at_least(pain.high, settings.relapse_pain_min)).tolist()
    offsets = grid.offsets.tolist()
    maintenance = np.zeros(grid.size, dtype=bool)
    periods: list[list[Phase]] = []
    for patient, first_day in enumerate(grid.first_day.tolist()):
        begin, length = offsets[patient], offsets[patient + 1] - offsets[patient]
        openings = walk_phases(
            pain_free[begin : begin + length],
            bad[begin : begin + length],
            settings.pain_free_days_for_maintenance,
            settings.relapse_days,
        )
        spans = _spans(openings, length)
        patient_periods = []
        for position, (start, end, phase, reason) in enumerate(spans):
            if phase == "maintenance":
                maintenance[begin + start : begin + end + 1] = True
            last = position == len(spans) - 1
            patient_periods.append(
                Phase(
                    phase=phase,
                    start=day_date(first_day + start),
                    end=None if last else day_date(first_day + end),
                    reason=reason,
                )
            )
        periods.append(patient_periods)
    return PhaseTimeline(maintenance=maintenance, periods=periods)
