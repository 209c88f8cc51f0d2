"""Entry point: analyse the logs of one or many patients as of a date.

Every step runs on all patients at once (flat arrays over the daily grid); only the phase state
machine walks each patient's days. Results are then cut into one :class:`PatientAnalysis` per
patient.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rehab.analysis.adherence import adherence_totals, daily_adherence, dose_scores
from rehab.analysis.daily import (
    DayGrid,
    build_grid,
    daily_pain,
    exercise_codes,
    logged_days,
    session_counts,
)
from rehab.analysis.daily_frame import DailyParts, daily_frame
from rehab.analysis.flags import FlagInputs, cohort_flags, sort_flags
from rehab.analysis.inputs import PreparedLogs, prepare
from rehab.analysis.measure_flags import MeasureChange, measure_changes, measure_flags, patient_measures
from rehab.analysis.pain import flare_days, pain_free_days, pain_totals
from rehab.analysis.pain_flags import PainFlagInputs
from rehab.analysis.patient_rows import CohortRows, FrameField, cut_state
from rehab.analysis.pauses import current_pauses, paused_grid, trip_day_grid
from rehab.analysis.phases import phase_timeline
from rehab.analysis.prescription import Prescription
from rehab.analysis.redflags import red_flag_rows
from rehab.analysis.response import exercise_response
from rehab.analysis.summary import CohortArrays, patient_summary
from rehab.analysis.triage import summary_json, triage_frame
from rehab.library import ExerciseLibrary, load_library
from rehab.settings import DEFAULT_SETTINGS, RuleSettings

if TYPE_CHECKING:
    from rehab.analysis.models import Flag, PatientSummary, Phase


@dataclass
class PatientAnalysis:
    """Everything the analysis found for one patient.

    ``daily`` has one row per calendar day from the first log to the as-of date (see
    :data:`rehab.analysis.DAILY_COLUMNS`); ``exercise_response`` one row per exercise (see
    :data:`rehab.analysis.RESPONSE_COLUMNS`). ``measures`` holds the patient's questionnaire
    rows (the measures log's columns, sorted by date; empty without any) and
    ``measure_changes`` each measure's first and latest score and whether the change matters.
    """

    summary: PatientSummary
    # Frames given as a DataFrame or as CohortRows (cut on first read; see patient_rows.py).
    # FrameField is no default (dataclasses find none on the class); mypy takes it for one.
    daily: FrameField = FrameField()  # noqa: RUF009 (a descriptor)
    phases: list[Phase]  # type: ignore[misc]
    exercise_response: FrameField = FrameField()  # noqa: RUF009 (a descriptor)
    flags: list[Flag]  # type: ignore[misc]
    measures: FrameField = FrameField(empty_default=True)  # noqa: RUF009 (a descriptor)
    measure_changes: list[MeasureChange] = field(default_factory=list)

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the patient's own rows, never the cohort-wide frames they are cut from."""
        return cut_state(self.__dict__)


@dataclass
class CohortAnalysis:
    """The analysis of every patient in the logs, as of one date and one set of rules."""

    as_of: date
    settings: RuleSettings
    patients: dict[str, PatientAnalysis]

    def summary_json(self) -> dict[str, object]:
        """Return the ``rehab summary --json`` document: as-of date, patients in triage order."""
        return summary_json(self.as_of, [p.summary for p in self.patients.values()])

    def triage(self) -> pd.DataFrame:
        """Return one row per patient, most urgent first (:data:`rehab.analysis.TRIAGE_COLUMNS`)."""
        return triage_frame([p.summary for p in self.patients.values()], self.settings)


def _last_log_day(logs: PreparedLogs) -> np.ndarray:
    last = np.full(logs.patient_count, np.iinfo(np.int64).min, dtype=np.int64)
    for frame in (logs.sessions, logs.pain_log):
        np.maximum.at(last, frame["patient"].to_numpy(), frame["day"].to_numpy())
    return last


def _short_days(grid: DayGrid, recent: np.ndarray, frequency: np.ndarray) -> dict[int, list[int]]:
    """Per patient, the recent days whose frequency adherence fell short of the target."""
    rows = np.flatnonzero(recent & (frequency < 1.0))
    patients = grid.patient[rows]
    cuts = np.flatnonzero(np.diff(patients)) + 1
    return {
        int(group_patients[0]): grid.day[group_rows].tolist()
        for group_patients, group_rows in zip(
            np.split(patients, cuts), np.split(rows, cuts), strict=True
        )
        if len(group_rows)
    }


def _daily_dose(grid: DayGrid, logs: PreparedLogs, dose: np.ndarray) -> np.ndarray:
    scored = ~np.isnan(dose)
    rows = grid.row(logs.sessions["patient"].to_numpy()[scored], logs.sessions["day"].to_numpy()[scored])
    total = np.bincount(rows, dose[scored], minlength=grid.size)
    count = np.bincount(rows, minlength=grid.size)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


@dataclass(frozen=True)
class _Computed:
    arrays: CohortArrays
    daily: pd.DataFrame
    response: pd.DataFrame


def _compute(
    logs: PreparedLogs, settings: RuleSettings, library: ExerciseLibrary, prescription: Prescription
) -> _Computed:
    """Run every rule over all patients at once."""
    grid = build_grid(logs)
    pain_days = daily_pain(grid, logs.pain_entries, settings.current_window_days)
    timeline = phase_timeline(grid, pain_days, settings)
    codes = exercise_codes(logs, prescription.exercises)
    sessions, counts = session_counts(grid, logs.sessions, codes, len(prescription.exercises))
    names = {exercise.id: exercise.name for exercise in library.exercises}
    response = exercise_response(logs, prescription.exercises, names, settings)
    paused = paused_grid(
        grid,
        response.pauses,
        response.prescribed_index,
        len(prescription.exercises),
        len(response.exercises),
    )
    tripped = trip_day_grid(
        grid,
        response.pauses,
        response.prescribed_index,
        len(prescription.exercises),
        len(response.exercises),
    )
    adherence_days = daily_adherence(counts, timeline.maintenance, prescription, paused, tripped)
    pauses_now = current_pauses(response.pauses, response.exercises, names, logs.as_of_day)
    dose = dose_scores(logs.sessions, codes, prescription)
    recent = grid.day > logs.as_of_day - settings.recent_days
    adherence = adherence_totals(
        grid, adherence_days, timeline.maintenance, recent, logs.sessions["patient"].to_numpy(), dose
    )
    pain_summary = pain_totals(grid, pain_days, settings)
    flares = flare_days(grid, pain_days, settings)
    last_log_day = _last_log_day(logs)
    flags = cohort_flags(
        FlagInputs(
            pain=PainFlagInputs(grid, pain_days, logs.pain_entries, logs.as_of_day, settings),
            flares=flares,
            pain_totals=pain_summary,
            adherence=adherence,
            short_days=_short_days(grid, recent, adherence_days.frequency),
            periods=timeline.periods,
            stops=response.stops,
            pauses=pauses_now,
            red_flags=red_flag_rows((logs.sessions, logs.pain_log)),
            last_log_day=last_log_day,
        )
    )
    daily = daily_frame(
        DailyParts(
            grid=grid,
            pain=pain_days,
            pain_free=pain_free_days(pain_days, settings),
            has_log=logged_days(grid, logs),
            sessions=sessions,
            exercise_sessions=counts,
            maintenance=timeline.maintenance,
            adherence=adherence_days,
            dose=_daily_dose(grid, logs, dose),
            flares=flares,
        ),
        prescription.exercises,
    )
    arrays = CohortArrays(
        logs=logs,
        grid=grid,
        prescription=prescription,
        settings=settings,
        daily_adherence=adherence_days,
        session_counts=counts,
        adherence=adherence,
        pain=pain_summary,
        periods=timeline.periods,
        flags=flags,
        last_log_day=last_log_day,
        paused={patient: [p.paused for p in found] for patient, found in pauses_now.items()},
    )
    return _Computed(arrays=arrays, daily=daily, response=response.table)


def _add_measures(
    computed: _Computed, measures: pd.DataFrame | None, as_of: date, settings: RuleSettings
) -> dict[str, tuple[pd.DataFrame, list[MeasureChange]]]:
    """Each analysed patient's questionnaire rows and changes; their flags join the others.

    Questionnaires of a patient without session or pain logs are left out: the analysis
    speaks for patients with logs.
    """
    per_patient = patient_measures(measures, as_of)
    found = {}
    for patient, patient_id in enumerate(computed.arrays.logs.patient_ids):
        rows = per_patient.get(patient_id)
        if rows is None:
            continue
        changes = measure_changes(rows, settings)
        found[patient_id] = (rows, changes)
        raised = measure_flags(changes)
        if raised:
            computed.arrays.flags[patient].extend(raised)
            sort_flags(computed.arrays.flags[patient])
    return found


# A patient without questionnaires: no rows, an empty frame of its own when first read.
_NO_MEASURES = CohortRows(pd.DataFrame(), 0, 0)


def _per_patient(
    computed: _Computed, measures: dict[str, tuple[pd.DataFrame, list[MeasureChange]]]
) -> dict[str, PatientAnalysis]:
    """Cut the cohort-wide results into one analysis per patient."""
    arrays = computed.arrays
    offsets = arrays.grid.offsets.tolist()
    table = computed.response
    cuts = np.searchsorted(table["patient"].to_numpy(), np.arange(len(offsets))).tolist()
    table = table.drop(columns="patient")
    patients = {}
    for patient, patient_id in enumerate(arrays.logs.patient_ids):
        rows, changes = measures.get(patient_id, (_NO_MEASURES, []))
        patients[patient_id] = PatientAnalysis(
            summary=patient_summary(arrays, patient),
            daily=CohortRows(computed.daily, offsets[patient], offsets[patient + 1]),
            phases=arrays.periods[patient],
            exercise_response=CohortRows(table, cuts[patient], cuts[patient + 1]),
            flags=arrays.flags[patient],
            measures=rows,
            measure_changes=changes,
        )
    return patients


def analyse(
    sessions: pd.DataFrame,
    pain: pd.DataFrame,
    *,
    measures: pd.DataFrame | None = None,
    as_of: date | None = None,
    settings: RuleSettings = DEFAULT_SETTINGS,
    library: ExerciseLibrary | None = None,
    prescription: Prescription | None = None,
) -> CohortAnalysis:
    """Analyse session and pain logs of one or many patients.

    Parameters
    ----------
    sessions, pain
        Imported frames in the canonical shape (:func:`rehab.schema.frame_dtypes`); either
        may be empty. Rows dated after ``as_of`` are ignored.
    measures
        Scored questionnaires (the importer's measures frame), or ``None``. Each patient's
        rows up to ``as_of`` join their analysis, with the two questionnaire flags
        (:mod:`rehab.analysis.measure_flags`).
    as_of
        The day the analysis speaks for; today when not given.
    settings
        The clinical rules (every threshold).
    library
        The exercise library (exercise names; the default prescription); the bundled one
        when not given.
    prescription
        Exercises, times a day and doses to measure adherence against; by default the
        library's prescribed exercises with the per-day targets of ``settings``.

    Returns
    -------
    CohortAnalysis
        One :class:`PatientAnalysis` per patient with a log on or before ``as_of``, keyed and
        ordered by patient id.
    """
    as_of = as_of or date.today()
    library = library or load_library()
    prescription = prescription or Prescription.from_library(library, settings)
    logs = prepare(sessions, pain, as_of, prescription.exercises)
    computed = _compute(logs, settings, library, prescription)
    patients = _per_patient(computed, _add_measures(computed, measures, as_of, settings))
    return CohortAnalysis(as_of=as_of, settings=settings, patients=patients)
