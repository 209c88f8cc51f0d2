"""What each synthetic patient's course looks like, before any row is drawn.

A plan holds one value per patient (as numpy arrays, so a cohort of thousands is planned and
simulated at once). Days are indices into the cohort's day grid, whose last index is the
cohort's end date; :data:`NEVER` marks an event that does not happen.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from collections.abc import Sequence

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# A day index no grid reaches: the event never happens.
NEVER: Final = 1_000_000

# Days of pain-free logging that switch a patient to maintenance (the rules' default).
PAIN_FREE_RUN: Final = 7


@dataclass(frozen=True)
class PatientPlan:
    """One patient's course, with day offsets counted back from the cohort's end (0 = end).

    Pain follows ``pain_end + (pain_start - pain_end) * exp(-t / decay_days)`` over the days
    ``t`` since the first log. From ``pain_free_from`` every day's maximum is 0 or 1 (and
    maintenance starts :data:`PAIN_FREE_RUN` days later); before it, and from ``relapse_on``,
    every day's maximum is at least 2, so the phase changes fall exactly on the planned days.

    ``stops_on`` follows the stop rule: that day's last session of ``hurting_exercise`` raises
    pain by 2, and the patient does not log that exercise again until ``restarts_on`` (never,
    when ``None``): the exercise is paused in between.
    """

    patient_id: str
    first: int
    last: int = 0
    pain_start: float = 6.0
    pain_end: float = 3.0
    decay_days: float = 20.0
    pain_free_from: int | None = None
    relapse_on: int | None = None
    relapse_level: float = 2.0
    flare_on: int | None = None
    flare_rise: float = 3.0
    sittings_per_day: int = 3
    preferred_slot: int = 0
    sitting_skip: float = 0.05
    hurting_exercise: int = -1
    hurting_from: int | None = None
    hurting_spike_on: int | None = None
    stops_on: int | None = None
    restarts_on: int | None = None
    red_flag_on: int | None = None


@dataclass(frozen=True)
class CohortPlan:
    """Plans of a whole cohort, one array element per patient, days as grid indices."""

    patient_ids: tuple[str, ...]
    grid_days: int
    first_day: IntArray
    last_day: IntArray
    pain_start: FloatArray
    pain_end: FloatArray
    decay_days: FloatArray
    pain_free_day: IntArray
    relapse_day: IntArray
    relapse_level: FloatArray
    flare_day: IntArray
    flare_rise: FloatArray
    sittings_per_day: IntArray
    preferred_slot: IntArray
    sitting_skip: FloatArray
    hurting_exercise: IntArray
    hurting_from: IntArray
    hurting_spike: IntArray
    stop_day: IntArray
    restart_day: IntArray
    red_flag_day: IntArray

    @property
    def size(self) -> int:
        """Number of patients."""
        return len(self.patient_ids)

    @property
    def maintenance_day(self) -> IntArray:
        """Grid day each patient's maintenance starts (:data:`NEVER` when it does not)."""
        return np.where(self.pain_free_day < NEVER, self.pain_free_day + PAIN_FREE_RUN, NEVER)

    @classmethod
    def from_patients(cls, plans: Sequence[PatientPlan], grid_days: int) -> CohortPlan:
        """Stack per-patient plans (day offsets from the end) into grid-indexed arrays."""
        end = grid_days - 1

        def day(offset: int | None) -> int:
            return NEVER if offset is None else end + offset

        columns: dict[str, list[float] | list[int]] = {}
        for field in fields(PatientPlan):
            if field.name == "patient_id":
                continue
            values = [getattr(plan, field.name) for plan in plans]
            if field.name in _DAY_FIELDS:
                values = [day(value) for value in values]
            columns[_ARRAY_NAME.get(field.name, field.name)] = values
        arrays: dict[str, Any] = {
            name: np.asarray(values, dtype=np.float64 if name in _FLOAT_FIELDS else np.int64)
            for name, values in columns.items()
        }
        return cls(patient_ids=tuple(plan.patient_id for plan in plans), grid_days=grid_days, **arrays)


_DAY_FIELDS: Final = frozenset(
    {"first", "last", "pain_free_from", "relapse_on", "flare_on", "hurting_from"}
    | {"hurting_spike_on", "stops_on", "restarts_on", "red_flag_on"}
)
_ARRAY_NAME: Final = {
    "first": "first_day",
    "last": "last_day",
    "pain_free_from": "pain_free_day",
    "relapse_on": "relapse_day",
    "flare_on": "flare_day",
    "hurting_spike_on": "hurting_spike",
    "stops_on": "stop_day",
    "restarts_on": "restart_day",
    "red_flag_on": "red_flag_day",
}
_FLOAT_FIELDS: Final = frozenset(
    {"pain_start", "pain_end", "decay_days", "relapse_level", "flare_rise", "sitting_skip"}
)
