"""The prescription the analysis measures adherence against."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, model_validator

if TYPE_CHECKING:
    from rehab.library import ExerciseLibrary
    from rehab.settings import RuleSettings


class Prescription(BaseModel):
    """Which exercises a patient does, how often a day in each phase, and their dose.

    ``reps`` and ``hold_seconds`` map each prescribed exercise to its prescribed dose, or to
    ``None`` when the dose is left to the therapist (that component of dose adherence is then
    not measured).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    exercises: tuple[str, ...] = Field(min_length=1)
    rehab_per_day: int = Field(ge=1, le=10)
    maintenance_per_day: int = Field(ge=1, le=10)
    reps: dict[str, int | None] = {}
    hold_seconds: dict[str, float | None] = {}

    @model_validator(mode="after")
    def _exercises_are_unique(self) -> Prescription:
        if len(set(self.exercises)) != len(self.exercises):
            raise ValueError("each exercise may be prescribed only once")
        return self

    @classmethod
    def from_library(cls, library: ExerciseLibrary, settings: RuleSettings) -> Prescription:
        """Build the default prescription: the library's prescribed exercises and doses.

        Parameters
        ----------
        library
            The exercise library; its ``prescribed`` exercises and their reps and holds.
        settings
            The rules; the times a day in rehab and in maintenance come from here.

        Returns
        -------
        Prescription
            The programme as the library and the settings describe it.
        """
        ids = library.prescribed_ids
        return cls(
            exercises=ids,
            rehab_per_day=settings.rehab_sessions_per_day,
            maintenance_per_day=settings.maintenance_sessions_per_day,
            reps={exercise_id: library.get(exercise_id).reps for exercise_id in ids},
            hold_seconds={exercise_id: library.get(exercise_id).hold_seconds for exercise_id in ids},
        )

    def target(self, phase: str) -> int:
        """Return the times a day each exercise is prescribed in ``phase`` ("rehab" or "maintenance")."""
        return self.maintenance_per_day if phase == "maintenance" else self.rehab_per_day
