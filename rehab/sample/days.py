"""Turn a cohort plan into a patient-by-day grid: pain level, phase and which days are logged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from rehab.sample.plan import CohortPlan, FloatArray, IntArray

BoolArray = npt.NDArray[np.bool_]

# The last days before the end keep every daily maximum below the severe-pain threshold (7),
# so "severe pain" is never an accident of the noise in the demo stories.
RECENT_DAYS: Final = 7
RECENT_PAIN_CEILING: Final = 6
PAIN_CEILING: Final = 9
# While in pain, a day's entries are at least this: a day is only pain-free when planned.
IN_PAIN_FLOOR: Final = 2
PAIN_FREE_CEILING: Final = 1
# Days (before the last week, while in pain) with no log at all: life gets in the way.
GAP_RATE: Final = 0.025
DAY_NOISE_SD: Final = 0.4
NIGGLE_LEVEL: Final = 1.3


@dataclass(frozen=True)
class DayGrid:
    """Per patient (rows) and day (columns): what the simulation draws rows from."""

    logged: BoolArray
    level: FloatArray
    pain_free: BoolArray
    floor: IntArray
    ceiling: IntArray
    sittings_target: IntArray
    flare: BoolArray

    def clip_scores(self, raw: FloatArray, patient: IntArray, day: IntArray) -> FloatArray:
        """Round raw pain to 0-10 scores within the bounds each (patient, day) allows."""
        bounded = np.clip(np.rint(raw), self.floor[patient, day], self.ceiling[patient, day])
        return bounded.astype(np.float64)


def build_day_grid(plan: CohortPlan, rng: np.random.Generator) -> DayGrid:
    """Lay out every patient's days: pain level with day-to-day noise, phase and gaps."""
    days = np.arange(plan.grid_days)[np.newaxis, :]

    def col(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
        return values[:, np.newaxis]

    since_start = np.maximum(days - col(plan.first_day), 0)
    active = (days >= col(plan.first_day)) & (days <= col(plan.last_day))
    level = col(plan.pain_end) + col(plan.pain_start - plan.pain_end) * np.exp(
        -since_start / col(plan.decay_days)
    )
    relapsed = days >= col(plan.relapse_day)
    level = np.where(relapsed, col(plan.relapse_level), level)
    # A niggly week (mostly 1s) leads into a relapse, and its first two days stay at 2: a
    # recurrence rises over days, so it does not also read as a sudden flare.
    niggly = (days >= col(plan.relapse_day) - RECENT_DAYS) & ~relapsed
    level = np.where(niggly, np.maximum(level, NIGGLE_LEVEL), level)
    relapse_start = relapsed & (days <= col(plan.relapse_day) + 1)
    flare = days == col(plan.flare_day)
    level = level + np.where(flare, col(plan.flare_rise), 0.0)
    level = level + np.where(days == col(plan.flare_day) + 1, col(plan.flare_rise) / 2, 0.0)
    level = level + np.where(days == col(plan.red_flag_day), 0.5, 0.0)
    level = level + rng.normal(0.0, DAY_NOISE_SD, size=level.shape)

    pain_free = (days >= col(plan.pain_free_day)) & ~relapsed
    in_maintenance = (days >= col(plan.maintenance_day)) & (days <= col(plan.relapse_day))
    sittings = np.where(in_maintenance, 1, col(plan.sittings_per_day))

    # Gaps never fall in the baseline days, a pain-free run, or the last week, so the
    # planned phase changes and the recent picture stay exactly as the story says.
    gap_allowed = (since_start >= 3) & ~pain_free & (days < col(plan.last_day) - RECENT_DAYS)
    gap = gap_allowed & (rng.random(level.shape) < GAP_RATE)
    recent = days > plan.grid_days - 1 - RECENT_DAYS
    ceiling = np.where(recent, RECENT_PAIN_CEILING, PAIN_CEILING)
    ceiling = np.where(relapse_start, IN_PAIN_FLOOR, ceiling)
    return DayGrid(
        logged=active & ~gap,
        level=level,
        pain_free=pain_free,
        floor=np.where(pain_free, 0, IN_PAIN_FLOOR).astype(np.int64),
        ceiling=np.where(pain_free, PAIN_FREE_CEILING, ceiling).astype(np.int64),
        sittings_target=sittings.astype(np.int64),
        flare=flare,
    )
