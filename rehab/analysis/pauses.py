"""Paused exercises: obeying the stop rule never counts against the patient.

A session that trips the stop rule (a rise of ``exercise_pain_rise_single`` or more, or of
``exercise_pain_rise_repeated`` or more that makes ``exercise_repeated_count`` of the exercise's
last ``exercise_repeated_window`` rated sessions) pauses that exercise from the next day until
the day it is logged again. A paused exercise leaves the frequency target (see
:func:`rehab.analysis.adherence.daily_adherence`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from rehab.analysis.inputs import day_date
from rehab.analysis.models import PausedExercise
from rehab.analysis.text import short_date, signed
from rehab.analysis.thresholds import reaches

if TYPE_CHECKING:
    from rehab.analysis.daily import DayGrid
    from rehab.settings import RuleSettings


def repeated_evidence(count: int, settings: RuleSettings) -> str:
    """Evidence of repeated rises: ``"+1 in 2 of the last 3"``."""
    rise = signed(settings.exercise_pain_rise_repeated)
    return f"{rise} in {count} of the last {settings.exercise_repeated_window}"


@dataclass(frozen=True)
class TripSessions:
    """The rated sessions that tripped the stop rule, in (cell, day, time) order.

    ``cell`` is ``patient * exercises + exercise code``; ``window_rises`` counts the rises in
    the exercise's last rated sessions up to and including this one.
    """

    cell: np.ndarray
    day: np.ndarray
    change: np.ndarray
    window_rises: np.ndarray
    rows: list[tuple[str, int] | None]


@dataclass(frozen=True)
class Pauses:
    """Every pause: its cell, first paused day, the first day no longer paused, and why.

    ``end`` is the day the exercise was logged again, or the day after the as-of date while
    the pause lasts.
    """

    cell: np.ndarray
    start: np.ndarray
    end: np.ndarray
    evidence: list[str]
    rows: list[tuple[str, int] | None]


def _trip_evidence(change: float, day: int, window_rises: int, settings: RuleSettings) -> str:
    if reaches(change, settings.exercise_pain_rise_single):
        return f"{signed(change)} on {short_date(day_date(day))}"
    return repeated_evidence(window_rises, settings)


def find_pauses(
    trips: TripSessions,
    session_cell: np.ndarray,
    session_day: np.ndarray,
    as_of_day: int,
    settings: RuleSettings,
) -> Pauses:
    """Turn tripping sessions into pauses, ended by the next day the exercise is logged.

    Parameters
    ----------
    trips
        The sessions that tripped the stop rule.
    session_cell, session_day
        Cell and day of every session row (rated or not): any log ends a pause.
    as_of_day
        The as-of date as a day number.
    settings
        The stop-rule thresholds (for the evidence text).

    Returns
    -------
    Pauses
        One pause per cell and restart: of several trips on one day, the last one speaks.
    """
    first = int(session_day.min()) if len(session_day) else 0
    span = int(session_day.max()) - first + 1 if len(session_day) else 1
    # Sorted, repeats kept: the search below finds the first later day either way, and a sort
    # costs a fraction of numpy's hash-based unique over a cohort's session rows.
    logged = np.sort(session_cell * span + (session_day - first))
    trip_code = trips.cell * span + (trips.day - first)
    after = np.searchsorted(logged, trip_code, side="right")
    # Trips are sessions, so ``logged`` is never empty when there is a trip to look up.
    following = logged[np.minimum(after, len(logged) - 1)]
    restarted = (after < len(logged)) & (following // span == trips.cell)
    end = np.where(restarted, following % span + first, as_of_day + 1)
    start = trips.day + 1
    keep = start < end
    # Trips on one day share their pause: keep the last of each (cell, end) run.
    last_of_run = np.ones(len(keep), dtype=bool)
    last_of_run[:-1] = (trips.cell[1:] != trips.cell[:-1]) | (end[1:] != end[:-1])
    chosen = np.flatnonzero(keep & last_of_run)
    return Pauses(
        cell=trips.cell[chosen],
        start=start[chosen],
        end=end[chosen],
        evidence=[
            _trip_evidence(
                float(trips.change[i]), int(trips.day[i]), int(trips.window_rises[i]), settings
            )
            for i in chosen.tolist()
        ],
        rows=[trips.rows[i] for i in chosen.tolist()],
    )


def paused_grid(
    grid: DayGrid, pauses: Pauses, cell_exercise: np.ndarray, exercises: int, cells_per_patient: int
) -> np.ndarray:
    """Per grid row and prescribed exercise: is that exercise paused that day.

    ``cell_exercise`` maps an exercise code to its position in the prescription (-1 for an
    exercise outside it).
    """
    patient, code = np.divmod(pauses.cell, cells_per_patient)
    prescribed = cell_exercise[code]
    inside = prescribed >= 0
    change = np.zeros((grid.size + 1, exercises), dtype=np.int64)
    np.add.at(change, (grid.row(patient[inside], pauses.start[inside]), prescribed[inside]), 1)
    np.add.at(change, (grid.row(patient[inside], pauses.end[inside]), prescribed[inside]), -1)
    return np.asarray(np.cumsum(change, axis=0)[:-1] > 0)


def trip_day_grid(
    grid: DayGrid, pauses: Pauses, cell_exercise: np.ndarray, exercises: int, cells_per_patient: int
) -> np.ndarray:
    """Per grid row and prescribed exercise: did a session of it trip the stop rule that day.

    The pause begins the next day; on the trip day itself the patient who stops at once has
    sessions of it left undone, which :func:`rehab.analysis.adherence.daily_adherence` must
    not count as missed.
    """
    patient, code = np.divmod(pauses.cell, cells_per_patient)
    prescribed = cell_exercise[code]
    inside = prescribed >= 0
    tripped = np.zeros((grid.size, exercises), dtype=bool)
    tripped[grid.row(patient[inside], pauses.start[inside] - 1), prescribed[inside]] = True
    return tripped


@dataclass(frozen=True)
class CurrentPause:
    """An exercise paused on the as-of date, with the row of the session that paused it."""

    paused: PausedExercise
    rows: list[tuple[str, int]]


def current_pauses(
    pauses: Pauses, exercises: list[str], names: dict[str, str], as_of_day: int
) -> dict[int, list[CurrentPause]]:
    """Per patient, the exercises still paused on the as-of date (in exercise-code order)."""
    found: dict[int, list[CurrentPause]] = {}
    lasting = np.flatnonzero(pauses.end > as_of_day).tolist()
    for index in lasting:
        patient, code = divmod(int(pauses.cell[index]), len(exercises))
        exercise = exercises[code]
        row = pauses.rows[index]
        found.setdefault(patient, []).append(
            CurrentPause(
                paused=PausedExercise(
                    exercise=exercise,
                    name=names.get(exercise, exercise),
                    since=day_date(int(pauses.start[index])),
                    evidence=pauses.evidence[index],
                ),
                rows=[] if row is None else [row],
            )
        )
    return found
