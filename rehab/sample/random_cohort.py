"""Large random cohorts (for benchmarks and load tests): a mix of the demo's archetypes.

Every patient covers the same ``days`` ending on ``end`` (dropouts stop 16-20 days early);
the plan is drawn with numpy for all patients at once, then :func:`simulate` draws the rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import numpy as np

from rehab.library import load_library
from rehab.sample.plan import NEVER, PAIN_FREE_RUN, CohortPlan, FloatArray, IntArray
from rehab.sample.simulate import SampleCohort, simulate
from rehab.sample.stories import DEMO_END

if TYPE_CHECKING:
    from datetime import date

# Archetype -> share of the cohort. "improving" is a plain, uneventful rehab course.
ARCHETYPES: Final = {
    "recovers": 0.14,
    "improving": 0.3,
    "once_a_day": 0.05,
    "hurting_exercise": 0.1,
    "flare": 0.1,
    "relapse": 0.08,
    "dropped_out": 0.08,
    "red_flag": 0.03,
    "slow_improver": 0.12,
}
# Most patients of a large cohort rate their pain once a day.
RANDOM_ENTRIES_PER_DAY: Final = (0.9, 0.1, 0.0)
# Pain level on the last day before the pain-free run (the floor then lifts it to 2).
_LEVEL_BEFORE_PAIN_FREE: Final = 1.6


def random_cohort(patients: int, days: int, seed: int = 7, end: date = DEMO_END) -> SampleCohort:
    """Return ``patients`` random patients with ``days`` days of logs each, ending on ``end``.

    Parameters
    ----------
    patients
        Number of patients (ids ``PT-00001`` ...).
    days
        Days from each patient's first log to ``end``.
    seed
        Seed of every random choice: the same seed gives the same cohort.
    end
        The cohort's last day.

    Notes
    -----
    About 11 session rows and 1.1 pain entries per patient-day: 1,000 patients x 90 days
    give roughly a million session rows and 100,000 pain entries.
    """
    if patients < 1 or days < 1:
        raise ValueError("patients and days must be at least 1")
    rng = np.random.default_rng(seed)
    plan = random_plan(patients, days, rng)
    return simulate(plan, end, rng, RANDOM_ENTRIES_PER_DAY)


def random_plan(patients: int, days: int, rng: np.random.Generator) -> CohortPlan:
    """Draw each patient's archetype and course parameters (all patients at once)."""
    names = list(ARCHETYPES)
    shares = np.array(list(ARCHETYPES.values()))
    archetype = rng.choice(len(names), size=patients, p=shares / shares.sum())

    def is_(name: str) -> np.ndarray:
        return np.asarray(archetype == names.index(name))

    end = days - 1
    size = patients
    pain_start = rng.uniform(4.5, 7.5, size)
    pain_end = rng.uniform(2.5, 3.8, size)
    pain_end = np.where(is_("slow_improver"), pain_start - rng.uniform(0.8, 1.3, size), pain_end)
    decay = np.where(is_("slow_improver"), 0.8 * days, rng.uniform(0.2, 0.35, size) * days)

    pain_free = np.rint(rng.uniform(0.45, 0.6, size) * days).astype(np.int64)
    recovering = (is_("recovers") & (pain_free + PAIN_FREE_RUN <= end)) | (
        is_("relapse") & (pain_free + PAIN_FREE_RUN < end - 6)
    )
    relapsing = recovering & is_("relapse")
    pain_end = np.where(recovering, np.where(relapsing, 0.8, 0.3), pain_end)
    decay = np.where(recovering, _decay_to_pain_free(pain_start, pain_end, pain_free), decay)
    exercises = len(load_library().prescribed_ids)
    hurting = is_("hurting_exercise")
    return CohortPlan(
        patient_ids=tuple(f"PT-{i + 1:05d}" for i in range(patients)),
        grid_days=days,
        first_day=np.zeros(size, dtype=np.int64),
        last_day=np.where(
            is_("dropped_out"), np.maximum(end - rng.integers(16, 21, size), 0), end
        ).astype(np.int64),
        pain_start=pain_start,
        pain_end=pain_end,
        decay_days=np.maximum(decay, 1.0),
        pain_free_day=np.where(recovering, pain_free, NEVER),
        relapse_day=_on(relapsing, end - 5),
        relapse_level=np.full(size, 2.0),
        flare_day=_on(is_("flare"), end - 2),
        flare_rise=np.full(size, 3.0),
        sittings_per_day=np.where(is_("once_a_day"), 1, 3).astype(np.int64),
        preferred_slot=rng.choice(np.array([0, 2]), size=size),
        sitting_skip=rng.uniform(0.02, 0.08, size),
        hurting_exercise=np.where(hurting, rng.integers(0, exercises, size), -1).astype(np.int64),
        hurting_from=_on(hurting, max(end - 20, 0)),
        hurting_spike=_on(hurting, max(end - 3, 0)),
        stop_day=np.full(size, NEVER, dtype=np.int64),
        restart_day=np.full(size, NEVER, dtype=np.int64),
        red_flag_day=_on(is_("red_flag"), max(end - 1, 0)),
    )


def _on(mask: np.ndarray, day: int) -> IntArray:
    return np.where(mask, day, NEVER).astype(np.int64)


def _decay_to_pain_free(start: FloatArray, end: FloatArray, pain_free: IntArray) -> FloatArray:
    """Decay time that brings pain down to about 1.6 on the day before the pain-free run."""
    ratio = (start - end) / (_LEVEL_BEFORE_PAIN_FREE - end)
    return np.asarray(np.maximum(pain_free, 1) / np.log(np.maximum(ratio, 1.01)), dtype=np.float64)
