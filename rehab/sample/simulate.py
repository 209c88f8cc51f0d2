"""Draw session and pain rows for a whole cohort at once (vectorised with numpy).

Each logged day has up to three sittings (morning, midday, evening; one in maintenance or for
a once-a-day patient) in which the patient does the prescribed exercises one after another,
and one to three pain ratings. Doses, times and scores carry small natural noise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd

from rehab.library import load_library
from rehab.sample.days import DayGrid, build_day_grid
from rehab.sample.notes import (
    FLARE_NOTE,
    PAIN_NOTES,
    RED_FLAG_PAIN_NOTE,
    RED_FLAG_SESSION_NOTE,
    SESSION_NOTES,
    hurting_note,
)
from rehab.schema import coerce_frame

if TYPE_CHECKING:
    from rehab.library import ExerciseLibrary
    from rehab.sample.plan import CohortPlan, FloatArray, IntArray

# Base times (hours) of the three daily sittings and of the three pain ratings.
SITTING_HOURS: Final = np.array([8.0, 13.0, 19.5])
PAIN_HOURS: Final = np.array([8.5, 14.0, 21.0])
TIME_JITTER_MINUTES: Final = 35.0
FIRST_MINUTE: Final = 7 * 60
LAST_MINUTE: Final = 21 * 60 + 30
MINUTES_PER_EXERCISE: Final = 4
MINUTE_TEXT: Final = np.array([f"{m // 60:02d}:{m % 60:02d}" for m in range(24 * 60)])

EXERCISE_SKIP: Final = 0.03  # one exercise left out of a sitting
SCORES_MISSING: Final = 0.04  # pain before/after not filled in
HURTING_RISE_RATE: Final = 0.7  # sessions of the hurting exercise that raise pain by 1
SESSION_NOTE_RATE: Final = 0.02
PAIN_NOTE_RATE: Final = 0.05
SCORE_NOISE_SD: Final = 0.5
DEFAULT_DOSE: Final = 10.0

# Which of PAIN_HOURS a day's entries use, by the number of entries (one entry: drawn).
_ENTRY_SLOTS: Final = np.array([[0, 0, 0], [0, 2, 0], [0, 1, 2]])


@dataclass(frozen=True)
class SampleCohort:
    """Synthetic logs in the canonical imported shape (:func:`rehab.schema.coerce_frame`)."""

    sessions: pd.DataFrame
    pain: pd.DataFrame


@dataclass(frozen=True)
class _Rows:
    patient: IntArray
    day: IntArray


def simulate(
    plan: CohortPlan,
    end: date,
    rng: np.random.Generator,
    entries_per_day: tuple[float, float, float],
    library: ExerciseLibrary | None = None,
) -> SampleCohort:
    """Draw every patient's session and pain rows from ``plan``; the grid's last day is ``end``.

    Parameters
    ----------
    plan
        The cohort's courses.
    end
        Date of the grid's last day.
    rng
        The only source of randomness: the same seed gives the same cohort.
    entries_per_day
        Probabilities of one, two and three pain ratings on a logged day.
    library
        Exercises and doses (the bundled library by default).
    """
    library = library or load_library()
    grid = build_day_grid(plan, rng)
    first_date = np.datetime64(end - timedelta(days=plan.grid_days - 1), "D")
    sessions = _sessions(plan, grid, rng, library)
    pain = _pain(plan, grid, rng, entries_per_day)
    for frame in (sessions, pain):
        frame["date"] = (first_date + frame.pop("day").to_numpy()).astype("datetime64[ns]")
        frame["patient_id"] = np.asarray(plan.patient_ids, dtype=object)[frame["patient_id"]]
    return SampleCohort(sessions=coerce_frame("sessions", sessions), pain=coerce_frame("pain", pain))


def _sittings(plan: CohortPlan, grid: DayGrid, rng: np.random.Generator) -> tuple[_Rows, IntArray]:
    """Each sitting's patient, day and minute of the day."""
    cell_patient, cell_day = np.nonzero(grid.logged)
    target = grid.sittings_target[cell_patient, cell_day][:, np.newaxis]
    slots = np.arange(len(SITTING_HOURS))[np.newaxis, :]
    slot = np.where(target == 1, plan.preferred_slot[cell_patient][:, np.newaxis], slots)
    skip = plan.sitting_skip[cell_patient][:, np.newaxis]
    kept = (slots < target) & (rng.random(slot.shape) >= skip)
    cell, column = np.nonzero(kept)
    raw = SITTING_HOURS[slot[cell, column]] * 60 + rng.normal(0, TIME_JITTER_MINUTES, len(cell))
    minute = np.clip(np.rint(raw), FIRST_MINUTE, LAST_MINUTE - 20).astype(np.int64)
    return _Rows(cell_patient[cell], cell_day[cell]), minute


def _sessions(
    plan: CohortPlan, grid: DayGrid, rng: np.random.Generator, library: ExerciseLibrary
) -> pd.DataFrame:
    sittings, sitting_minute = _sittings(plan, grid, rng)
    exercise_ids = np.asarray(library.prescribed_ids, dtype=object)
    n_exercises = len(exercise_ids)
    sitting = np.repeat(np.arange(len(sitting_minute)), n_exercises)
    exercise = np.tile(np.arange(n_exercises), len(sitting_minute))
    patient, day = sittings.patient[sitting], sittings.day[sitting]

    hurting = (exercise == plan.hurting_exercise[patient]) & (day >= plan.hurting_from[patient])
    kept = hurting | (rng.random(len(sitting)) >= EXERCISE_SKIP)
    sitting, exercise, patient, day, hurting = (
        a[kept] for a in (sitting, exercise, patient, day, hurting)
    )
    n = len(sitting)
    minute = sitting_minute[sitting] + exercise * MINUTES_PER_EXERCISE + rng.integers(0, 3, n)

    before = grid.clip_scores(grid.level[patient, day] + rng.normal(0, SCORE_NOISE_SD, n), patient, day)
    change = rng.choice(np.array([-2.0, -1.0, 0.0]), size=n, p=[0.12, 0.5, 0.38])
    change = np.where(hurting, (rng.random(n) < HURTING_RISE_RATE).astype(np.float64), change)
    spike = _first_per_day(hurting & (day == plan.hurting_spike[patient]), patient, day)
    of_hurting = exercise == plan.hurting_exercise[patient]
    # The stop rule trips in the day's last session of that exercise; the patient stops there.
    stop = _last_per_day(of_hurting & (day == plan.stop_day[patient]), patient, day)
    spike = np.union1d(spike, stop)
    change[spike] = 2.0
    after = np.clip(before + change, 0, np.where(grid.pain_free[patient, day], 1, 10))
    missing = ~hurting & (rng.random(n) < SCORES_MISSING)
    missing[stop] = False  # the session that makes the patient stop is rated
    before[missing] = np.nan
    after[missing] = np.nan

    reps, hold = _doses(library)
    notes = _benign(rng, n, SESSION_NOTE_RATE, SESSION_NOTES)
    spike_notes = np.array([hurting_note(library.name_of(str(i))) for i in exercise_ids], dtype=object)
    notes[spike] = spike_notes[exercise[spike]]
    notes[_first_per_day(day == plan.red_flag_day[patient], patient, day)] = RED_FLAG_SESSION_NOTE
    # The stop rule, obeyed: no more of that exercise until the day the patient restarts it.
    # Rows are dropped only now, after every draw, so the other patients' rows stay the same.
    stopped = of_hurting & (day > plan.stop_day[patient]) & (day < plan.restart_day[patient])
    frame = pd.DataFrame(
        {
            "patient_id": patient,
            "day": day,
            "time": MINUTE_TEXT[np.minimum(minute, LAST_MINUTE)],
            "exercise": exercise_ids[exercise],
            "sets": rng.choice(np.array([1.0, 2.0]), size=n, p=[0.85, 0.15]),
            "reps": reps[exercise]
            + rng.choice(np.array([-2.0, -1.0, 0.0, 2.0]), size=n, p=[0.06, 0.1, 0.78, 0.06]),
            "hold_seconds": np.maximum(
                np.rint(
                    hold[exercise]
                    * rng.choice(np.array([0.7, 0.8, 1.0, 1.3]), size=n, p=[0.05, 0.1, 0.78, 0.07])
                ),
                1.0,
            ),
            "pain_before": before,
            "pain_after": after,
            "notes": notes,
        }
    )
    rows: pd.DataFrame = frame.loc[~stopped].reset_index(drop=True)
    return rows


def _pain(
    plan: CohortPlan,
    grid: DayGrid,
    rng: np.random.Generator,
    entries_per_day: tuple[float, float, float],
) -> pd.DataFrame:
    cell_patient, cell_day = np.nonzero(grid.logged)
    per_day = rng.choice(np.array([1, 2, 3]), size=len(cell_patient), p=list(entries_per_day))
    cell = np.repeat(np.arange(len(cell_patient)), per_day)
    order = np.arange(len(cell)) - np.repeat(np.cumsum(per_day) - per_day, per_day)
    slot = np.where(
        per_day[cell] == 1,
        rng.integers(0, len(PAIN_HOURS), len(cell)),
        _ENTRY_SLOTS[per_day[cell] - 1, order],
    )
    n = len(cell)
    minute = PAIN_HOURS[slot] * 60 + rng.normal(0, TIME_JITTER_MINUTES, n)
    minute = np.clip(np.rint(minute), FIRST_MINUTE, LAST_MINUTE).astype(np.int64)
    patient, day = cell_patient[cell], cell_day[cell]
    flare = grid.flare[patient, day]
    # A flare day's ratings sit on the day's (raised) level: the rise is the story, not noise.
    noise = np.where(flare, 0.0, rng.normal(0, SCORE_NOISE_SD, n))
    pain = grid.clip_scores(grid.level[patient, day] + noise, patient, day)

    notes = _benign(rng, n, PAIN_NOTE_RATE, PAIN_NOTES)
    first_of_day = order == 0
    notes[first_of_day & flare] = FLARE_NOTE
    notes[first_of_day & (day == plan.red_flag_day[patient])] = RED_FLAG_PAIN_NOTE
    return pd.DataFrame(
        {
            "patient_id": patient,
            "day": day,
            "time": MINUTE_TEXT[minute],
            "pain": pain,
            "flare": flare,
            "notes": notes,
        }
    )


def _first_per_day(mask: np.ndarray, patient: IntArray, day: IntArray) -> IntArray:
    """Positions of the first row, per patient and day, among the rows ``mask`` selects."""
    positions = np.flatnonzero(mask)
    keys = patient[positions] * 1_000_000 + day[positions]
    _, first = np.unique(keys, return_index=True)
    return positions[first]


def _last_per_day(mask: np.ndarray, patient: IntArray, day: IntArray) -> IntArray:
    """Positions of the last row, per patient and day, among the rows ``mask`` selects."""
    positions = np.flatnonzero(mask)[::-1]
    keys = patient[positions] * 1_000_000 + day[positions]
    _, last = np.unique(keys, return_index=True)
    return np.sort(positions[last])


def _doses(library: ExerciseLibrary) -> tuple[FloatArray, FloatArray]:
    exercises = [library.get(i) for i in library.prescribed_ids]
    reps = np.array([e.reps or DEFAULT_DOSE for e in exercises], dtype=np.float64)
    hold = np.array([e.hold_seconds or DEFAULT_DOSE for e in exercises], dtype=np.float64)
    return reps, hold


def _benign(rng: np.random.Generator, n: int, rate: float, vocabulary: tuple[str, ...]) -> np.ndarray:
    notes = np.full(n, None, dtype=object)
    chosen = np.flatnonzero(rng.random(n) < rate)
    notes[chosen] = np.asarray(vocabulary, dtype=object)[rng.integers(0, len(vocabulary), len(chosen))]
    return notes
