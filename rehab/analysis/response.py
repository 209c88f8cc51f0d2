"""Exercise response: how pain changes across each exercise, and the stop rule.

The article's stop rule ("if any activity causes more pain, stop that exercise") is applied
per patient and exercise to the sessions that log both ``pain_before`` and ``pain_after``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from rehab.analysis.inputs import day_date
from rehab.analysis.pauses import Pauses, TripSessions, find_pauses, repeated_evidence
from rehab.analysis.text import short_date, signed
from rehab.analysis.thresholds import at_least

if TYPE_CHECKING:
    from rehab.analysis.inputs import PreparedLogs
    from rehab.settings import RuleSettings

RESPONSE_COLUMNS = (
    "exercise",
    "name",
    "sessions",
    "sessions_with_pain",
    "mean_change",
    "last_change",
    "last_session",
    "verdict",
    "sessions_this_week",
    "paused_since",
    "evidence",
)


@dataclass(frozen=True)
class StopFinding:
    """Why one exercise should stop for one patient: the sessions that raised pain."""

    exercise: str
    name: str
    largest_recent_rise: float | None
    repeated_rises: int
    days: list[int]
    rows: list[tuple[str, int]]
    evidence: str = ""


@dataclass(frozen=True)
class ExerciseResponse:
    """Per (patient, exercise) table (``patient`` + :data:`RESPONSE_COLUMNS`) and stop findings."""

    table: pd.DataFrame
    stops: dict[int, list[StopFinding]]
    pauses: Pauses
    exercises: list[str]
    prescribed_index: np.ndarray


@dataclass(frozen=True)
class _Keys:
    """Each session row's (patient, exercise) key, and the exercise names behind the codes."""

    key: np.ndarray
    exercises: list[str]

    def prescribed_index(self, prescribed: tuple[str, ...]) -> np.ndarray:
        """Position of each exercise code in ``prescribed`` (-1 when not prescribed)."""
        position = {exercise: index for index, exercise in enumerate(prescribed)}
        return np.array([position.get(e, -1) for e in self.exercises], dtype=np.int64)


def _keys(logs: PreparedLogs, prescribed: tuple[str, ...]) -> _Keys:
    names = list(logs.exercise_names)
    names += [exercise for exercise in prescribed if exercise not in set(names)]
    codes = logs.sessions["exercise_code"].to_numpy()
    key = logs.sessions["patient"].to_numpy() * len(names) + codes
    return _Keys(key=np.asarray(key, dtype=np.int64), exercises=names)


@dataclass(frozen=True)
class _Rated:
    """Sessions with both pain values, in (patient, exercise, day, time) order, with verdicts.

    ``position`` is each row's position in the prepared session frame (for provenance);
    ``single`` and ``repeated`` mark the rows that meet either half of the stop rule, and
    ``stop`` the rows of an exercise the rule stops (as of the as-of date). ``trip`` marks the
    sessions that tripped the rule when they were logged (a rise of ``single`` or more, or of
    ``repeated`` or more making ``count`` of the exercise's last ``window`` rated sessions):
    they pause the exercise. ``window_rises`` counts the rises in that window.
    """

    key: np.ndarray
    day: np.ndarray
    change: np.ndarray
    position: np.ndarray
    last: np.ndarray
    single: np.ndarray
    repeated: np.ndarray
    stop: np.ndarray
    trip: np.ndarray
    window_rises: np.ndarray


def _window_rises(key: np.ndarray, rises: np.ndarray, window: int) -> np.ndarray:
    """Per rated row: rises among the row and the ``window - 1`` rated rows of its key before it."""
    index = np.arange(len(key))
    run_start = np.maximum.accumulate(np.where(np.diff(key, prepend=-1) != 0, index, 0))
    cumulative = np.concatenate(([0], np.cumsum(rises)))
    low = np.maximum(index - window + 1, run_start)
    return np.asarray(cumulative[index + 1] - cumulative[low], dtype=np.int64)


def _rated_sessions(
    sessions: pd.DataFrame, key: np.ndarray, cells: int, as_of_day: int, settings: RuleSettings
) -> _Rated:
    """Order the sessions with pain before and after, and apply the stop rule to them.

    The sort is stable, so sessions logged at the same time keep their order in the logs.
    """
    before = sessions["pain_before"].to_numpy(dtype=np.float64, na_value=np.nan)
    after = sessions["pain_after"].to_numpy(dtype=np.float64, na_value=np.nan)
    position = np.flatnonzero(~np.isnan(before) & ~np.isnan(after))
    time_code, times = pd.factorize(sessions["time"].take(position), sort=True)
    day = sessions["day"].to_numpy()[position]
    first_day = int(day.min()) if len(day) else 0
    span = int(day.max()) - first_day + 1 if len(day) else 1
    # One integer per row orders by key, then day, then time (missing times first).
    order_key = (key[position] * span + (day - first_day)) * (len(times) + 1) + (time_code + 1)
    position = position[np.argsort(order_key, kind="stable")]
    rated_key, day = key[position], sessions["day"].to_numpy()[position]
    change = after[position] - before[position]
    last_position = np.zeros(cells, dtype=np.int64)
    last_position[rated_key] = np.arange(len(rated_key))  # later rows overwrite: the last wins
    from_end = last_position[rated_key] - np.arange(len(rated_key))
    single = (day > as_of_day - settings.recent_days) & at_least(
        change, settings.exercise_pain_rise_single
    )
    repeated = (from_end < settings.exercise_repeated_window) & at_least(
        change, settings.exercise_pain_rise_repeated
    )
    stop = np.bincount(rated_key[single], minlength=cells) > 0
    stop |= np.bincount(rated_key[repeated], minlength=cells) >= settings.exercise_repeated_count
    rises = at_least(change, settings.exercise_pain_rise_repeated)
    window_rises = _window_rises(rated_key, rises, settings.exercise_repeated_window)
    trip = at_least(change, settings.exercise_pain_rise_single) | (
        rises & (window_rises >= settings.exercise_repeated_count)
    )
    return _Rated(
        key=rated_key,
        day=day,
        change=change,
        position=position,
        last=from_end == 0,
        single=single,
        repeated=repeated,
        stop=stop[rated_key],
        trip=trip,
        window_rises=window_rises,
    )


@dataclass(frozen=True)
class _StopContext:
    """What the stop findings are described with."""

    keys: _Keys
    names: dict[str, str]
    cells: int
    settings: RuleSettings


def _stop_evidence(largest: float | None, day: int, repeated: int, settings: RuleSettings) -> str:
    """``"+2 on 17 Nov"`` for a big rise, else ``"+1 in 2 of the last 3"``."""
    if largest is not None:
        return f"{signed(largest)} on {short_date(day_date(day))}"
    return repeated_evidence(repeated, settings)


def _stop_findings(
    sessions: pd.DataFrame, rated: _Rated, context: _StopContext
) -> dict[int, list[StopFinding]]:
    """Describe each stopped exercise by the sessions that raised pain.

    A big recent rise names its sessions; otherwise the repeated rises do. Rated rows are
    sorted by key, so each exercise's sessions are one contiguous run.
    """
    keys, names, cells = context.keys, context.names, context.cells
    single = rated.single & rated.stop
    repeated = rated.repeated & rated.stop
    has_single = np.bincount(rated.key[single], minlength=cells) > 0
    hit = np.where(has_single[rated.key], single, repeated)
    repeated_count = np.bincount(rated.key[repeated], minlength=cells)
    hit_keys, days, changes = rated.key[hit], rated.day[hit], rated.change[hit]
    files = sessions["source_file"].take(rated.position[hit]).fillna("").astype(str).tolist()
    rows = sessions["source_row"].take(rated.position[hit]).to_numpy(np.float64, na_value=np.nan)
    bounds = [*np.flatnonzero(np.diff(hit_keys, prepend=-1)).tolist(), len(hit_keys)]
    findings: dict[int, list[StopFinding]] = {}
    for begin, end in itertools.pairwise(bounds):
        cell = int(hit_keys[begin])
        patient, code = divmod(cell, len(keys.exercises))
        exercise = keys.exercises[code]
        largest = float(changes[begin:end].max()) if has_single[cell] else None
        largest_day = int(days[begin:end][int(np.argmax(changes[begin:end]))])
        findings.setdefault(patient, []).append(
            StopFinding(
                exercise=exercise,
                name=names.get(exercise, exercise),
                largest_recent_rise=largest,
                repeated_rises=int(repeated_count[cell]),
                days=sorted(set(days[begin:end].tolist())),
                rows=[
                    (file, int(row))
                    for file, row in zip(files[begin:end], rows[begin:end].tolist(), strict=True)
                    if not np.isnan(row)
                ],
                evidence=_stop_evidence(
                    largest, largest_day, int(repeated_count[cell]), context.settings
                ),
            )
        )
    return findings


def exercise_response(
    logs: PreparedLogs, prescribed: tuple[str, ...], names: dict[str, str], settings: RuleSettings
) -> ExerciseResponse:
    """Summarise every patient's sessions per exercise and apply the stop rule.

    Parameters
    ----------
    logs
        The prepared logs; the as-of date sets "the last 7 days" and "this week".
    prescribed
        Exercises listed for every patient, even without sessions (verdict "no data").
    names
        Display name of each exercise id; unknown exercises show as written.
    settings
        The stop-rule thresholds.

    Returns
    -------
    ExerciseResponse
        The table, with a ``patient`` column, and the stop findings per patient.
    """
    sessions, patients, as_of_day = logs.sessions, logs.patient_count, logs.as_of_day
    keys = _keys(logs, prescribed)
    cells = patients * len(keys.exercises)
    days = sessions["day"].to_numpy()
    recent = days > as_of_day - settings.recent_days
    rated = _rated_sessions(sessions, keys.key, cells, as_of_day, settings)
    with_pain = np.bincount(rated.key, minlength=cells)
    change_sum = np.bincount(rated.key, rated.change, minlength=cells)
    last_change = np.full(cells, np.nan)
    last_change[rated.key[rated.last]] = rated.change[rated.last]
    stop = np.zeros(cells, dtype=bool)
    stop[rated.key[rated.stop]] = True
    last_day = np.full(cells, -1, dtype=np.int64)
    np.maximum.at(last_day, keys.key, days)
    table = pd.DataFrame(
        {
            "patient": np.repeat(np.arange(patients), len(keys.exercises)),
            "exercise": np.tile(np.asarray(keys.exercises, dtype=object), patients),
            "sessions": np.bincount(keys.key, minlength=cells),
            "sessions_with_pain": with_pain,
            "mean_change": np.where(with_pain > 0, change_sum / np.maximum(with_pain, 1), np.nan),
            "last_change": last_change,
            "last_day": last_day,
            "verdict": np.where(stop, "stop", np.where(with_pain > 0, "ok", "no data")),
            "sessions_this_week": np.bincount(keys.key[recent], minlength=cells),
        }
    )
    stops = _stop_findings(sessions, rated, _StopContext(keys, names, cells, settings))
    pauses = find_pauses(_trips(sessions, rated), keys.key, days, as_of_day, settings)
    table["paused_since"], table["evidence"] = _pause_columns(pauses, stops, keys, cells, as_of_day)
    return ExerciseResponse(
        table=_tidy(table, prescribed, names),
        stops=stops,
        pauses=pauses,
        exercises=keys.exercises,
        prescribed_index=keys.prescribed_index(prescribed),
    )


def _trips(sessions: pd.DataFrame, rated: _Rated) -> TripSessions:
    """Pick the rated sessions that tripped the stop rule, with their source rows."""
    position = rated.position[rated.trip]
    files = sessions["source_file"].take(position).fillna("").astype(str).tolist()
    rows = sessions["source_row"].take(position).to_numpy(np.float64, na_value=np.nan).tolist()
    return TripSessions(
        cell=rated.key[rated.trip],
        day=rated.day[rated.trip],
        change=rated.change[rated.trip],
        window_rises=rated.window_rises[rated.trip],
        rows=[
            None if np.isnan(row) else (file, int(row)) for file, row in zip(files, rows, strict=True)
        ],
    )


def _pause_columns(
    pauses: Pauses, stops: dict[int, list[StopFinding]], keys: _Keys, cells: int, as_of_day: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per cell: the first day of a pause lasting on the as-of date (NaT if none), and evidence.

    The evidence is the stop verdict's when the exercise is stopped, else the lasting pause's.
    """
    since = np.full(cells, np.datetime64("NaT"), dtype="datetime64[ns]")
    evidence = np.full(cells, "", dtype=object)
    lasting = np.flatnonzero(pauses.end > as_of_day)
    since[pauses.cell[lasting]] = pauses.start[lasting].astype("datetime64[D]")
    evidence[pauses.cell[lasting]] = [pauses.evidence[index] for index in lasting.tolist()]
    code = {exercise: index for index, exercise in enumerate(keys.exercises)}
    for patient, findings in stops.items():
        for finding in findings:
            evidence[patient * len(keys.exercises) + code[finding.exercise]] = finding.evidence
    return since, evidence


def _tidy(table: pd.DataFrame, prescribed: tuple[str, ...], names: dict[str, str]) -> pd.DataFrame:
    """Keep prescribed exercises and logged ones, prescribed first, with names and dates."""
    is_prescribed = table["exercise"].isin(prescribed)
    table = table[is_prescribed | (table["sessions"] > 0)].copy()
    order = {exercise: position for position, exercise in enumerate(prescribed)}
    table["rank"] = table["exercise"].map(order).fillna(len(order))
    table["name"] = table["exercise"].map(lambda exercise: names.get(exercise, exercise))
    last_day = table.pop("last_day").to_numpy()
    last_session = last_day.astype("datetime64[D]").astype("datetime64[ns]")
    last_session[last_day < 0] = np.datetime64("NaT")
    table["last_session"] = last_session
    table = table.sort_values(["patient", "rank", "exercise"], kind="stable").drop(columns="rank")
    return table.loc[:, ["patient", *RESPONSE_COLUMNS]].reset_index(drop=True)
