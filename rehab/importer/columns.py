"""Checking each canonical column, deciding each row's fate, and building the accepted frame."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from rehab.importer.datecolumn import check_date_column
from rehab.importer.exercises import ExerciseRows, warn_near_misses, warn_unknown_exercises
from rehab.importer.frames import canonical_frame, large_text, repeated_text, string_column
from rehab.importer.messages import to_objects
from rehab.importer.patients import PatientColumn, assign_patients, warn_invisible
from rehab.importer.report import IssueLog
from rehab.importer.rowreport import report_cells, report_grouped
from rehab.importer.scales import check_scale
from rehab.importer.sessions import (
    SetPlan,
    apply_sessions,
    combine_codes,
    count_lone_sets,
    merge_sessions,
    plan_sets,
    report_sets,
    split_lists,
)
from rehab.importer.validate import (
    Checked,
    check_exercise,
    check_flag,
    check_number,
    check_text,
    check_time,
)
from rehab.schema import SPECS, ColumnSpec, LogKind, frame_dtypes

if TYPE_CHECKING:
    from rehab.importer.coded import CodedColumn
    from rehab.importer.parse import RawTable
    from rehab.importer.report import ImportOptions
    from rehab.library import ExerciseLibrary

__all__ = ["ColumnChecks", "Outcome", "check_columns"]

IntArray = npt.NDArray[np.int64]
Codes = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]

_NEEDED: Final = {"date": "a date", "exercise": "an exercise", "pain": "a pain score"}


@dataclass(frozen=True)
class ColumnChecks:
    """Everything the column checks need about one file (``rows``: positions still in play)."""

    file: str
    kind: LogKind
    table: RawTable
    coded: list[CodedColumn]
    positions: dict[str, int]
    unnamed: tuple[int, ...]
    rows: IntArray
    patient: str
    options: ImportOptions
    library: ExerciseLibrary
    issues: IssueLog
    clock: Any

    def column(self, name: str) -> CodedColumn:
        """Return the coded column of canonical ``name``."""
        return self.coded[self.positions[name]]


@dataclass(frozen=True)
class Outcome:
    """Accepted rows as a canonical frame, positions of rejected rows, and the patients.

    ``accepted`` counts the file rows accepted; the frame has one row per session, which
    differs when set rows collapse or a cell lists several exercises.
    """

    frame: pd.DataFrame
    rejected: IntArray
    patients: list[str]
    accepted: int


def _require(checked: Checked, name: str) -> Checked:
    """Make an empty cell an error that rejects the row (for required columns)."""
    error = np.where(checked.blank, "missing_value", checked.error)
    message = np.where(
        checked.blank, f"{name} is empty; every row needs {_NEEDED.get(name, name)}", checked.message
    )
    return replace(checked, error=error, message=message)


def _check_value(spec: ColumnSpec, texts: Any, library: ExerciseLibrary) -> Checked:
    if spec.type in ("number", "score"):
        return check_number(spec, texts)
    if spec.type == "flag":
        return check_flag(spec, texts)
    if spec.type == "time":
        return check_time(spec, texts)
    if spec.type == "exercise":
        return check_exercise(texts, library)
    return check_text(spec, texts, strip=spec.name == "patient_id")


@dataclass(frozen=True)
class _Dates:
    checked: Checked
    time_of_day: npt.NDArray[np.object_]


def _check_dates(job: ColumnChecks) -> _Dates:
    # Styles, serial numbers, time zones and their warnings: rehab.importer.datecolumn.
    dates = check_date_column(job)
    return _Dates(_require(dates.checked, "date"), dates.time_of_day)


def _warn_unnamed(job: ColumnChecks) -> None:
    for position in job.unnamed:
        if not job.coded[position].blank_uniques()[job.coded[position].at(job.rows)].all():
            job.issues.add(
                "unknown_column",
                "warning",
                f"Column {position + 1} has values but no header; it was ignored.",
            )


def _rejections(job: ColumnChecks, checked: dict[str, Checked]) -> BoolArray:
    """Reject rows with a bad required cell, then report the optional columns' bad cells.

    Those say what became of their row: kept without the value, or not imported (for
    another column's reason).
    """
    spec = SPECS[job.kind]
    reject = np.zeros(len(job.rows), dtype=bool)
    rows = job.table.rows[job.rows]
    # Only columns with an invalid value need their codes spread over the rows.
    invalid = [name for name in spec.names if name in checked and checked[name].invalid.any()]
    for name in invalid:
        if spec.column(name).required:
            reject |= report_cells(name, checked[name], job.column(name).at(job.rows), rows, job.issues)
    for name in invalid:
        if not spec.column(name).required:
            codes = job.column(name).at(job.rows)
            report_cells(name, checked[name], codes, rows, job.issues, rejected=reject)
    return reject


def _strings(checked: Checked, column: CodedColumn, raw: Any, codes: Codes) -> Any:
    """Usable text of the rows with ``codes`` (null elsewhere), as a pyarrow string array.

    When every row is kept and no value was rewritten (the usual clean file), the parsed
    column itself is reused instead of building a million new strings.
    """
    usable = ~(checked.invalid | checked.blank)
    values = np.asarray(checked.values, dtype=object).copy()
    values[~usable] = None
    unchanged = bool(np.all((values == to_objects(column.uniques)) | ~usable))
    if unchanged and len(codes) == len(column.codes) and raw is not None:
        if usable.all():
            return raw
        return pc.if_else(pa.array(column.per_row(usable)), raw, pa.scalar(None, raw.type))
    # large_string: the type pandas keeps text in, so the frame takes it without a copy.
    return pa.array(values, type=pa.large_string()).take(pa.array(codes))


_TYPED: Final = ("date", "number", "score", "flag")
# From this many rows the typed columns are built on a second thread (see _FrameBuilder._frame).
_TYPED_APART_FROM: Final = 200_000


def _typed(spec: ColumnSpec, checked: Checked, codes: Codes) -> Any:
    """Return a date, number or flag column in its canonical dtype (invalid cells NA)."""
    unusable = checked.invalid | checked.blank
    if spec.type == "date":
        return np.take(np.asarray(checked.values), codes)
    if spec.type in ("number", "score"):
        numbers = np.take(
            np.where(unusable, np.nan, np.asarray(checked.values, dtype=np.float64)), codes
        )
        return pd.arrays.FloatingArray(numbers, np.isnan(numbers))
    # Flags: 0 no, 1 yes, 2 missing, in one take.
    states = np.take(
        np.where(unusable, 2, np.asarray(checked.values, dtype=np.int8)).astype(np.int8), codes
    )
    return pd.arrays.BooleanArray(states == 1, states == 2)


class _FrameBuilder:
    def __init__(
        self, job: ColumnChecks, checked: dict[str, Checked], dates: _Dates, accepted: IntArray
    ) -> None:
        self.job, self.checked, self.dates, self.accepted = job, checked, dates, accepted
        self.rows = job.table.rows[accepted]
        self._codes: dict[str, Codes] = {}

    def codes(self, name: str) -> Codes:
        """Codes of the accepted rows, picked once per column (several parts use them)."""
        if name not in self._codes:
            self._codes[name] = self.job.column(name).at(self.accepted)
        return self._codes[name]

    def strings(self, name: str) -> Any:
        raw = self.job.table.columns[self.job.positions[name]]
        return _strings(self.checked[name], self.job.column(name), raw, self.codes(name))

    def build(self) -> tuple[pd.DataFrame, list[str]]:
        """Build the accepted frame: one row per session (set rows merged, lists split)."""
        if self.job.kind != "sessions" or not len(self.accepted):
            return self._frame()
        plan = self._plan_sets()
        merged: dict[str, Any] = {}
        first_rows = np.zeros(0, dtype=np.int64)
        if plan is not None:
            # The merged rows are built apart (a small frame) and the rows merged into an
            # earlier one never enter the big frame: no second pass over a million rows.
            scratch = replace(self.job, issues=IssueLog())
            sub, _ = _FrameBuilder(
                scratch, self.checked, self.dates, self.accepted[plan.merged]
            )._frame()
            merged = merge_sessions(sub, plan)
            report_sets(
                sub["source_row"].to_numpy(dtype=np.int64), plan, self._has_sets, self.job.issues
            )
            first_rows = self.accepted[plan.first]
            self._drop(plan.dropped)
        frame, names = self._frame(merged, np.searchsorted(self.accepted, first_rows))
        return self._split(frame), names

    @property
    def _has_sets(self) -> bool:
        return "set_number" in self.checked

    def _drop(self, dropped: IntArray) -> None:
        keep = np.ones(len(self.accepted), dtype=bool)
        keep[dropped] = False
        self.accepted = self.accepted[keep]
        self.rows = self.job.table.rows[self.accepted]
        self._codes = {}

    def _plan_sets(self) -> SetPlan | None:
        """Find the rows of one patient, day, time and exercise: the sets of one session."""
        has_time = pd.notna(self.dates.time_of_day)[self.codes("date")]
        if "time" in self.checked:
            time = self.checked["time"]
            has_time |= ~(time.invalid | time.blank)[self.codes("time")]
        if not self._has_sets and not has_time.any():
            return None  # a diary without times or set numbers: each row is a session
        set_numbers = None
        if self._has_sets:
            sets = self.checked["set_number"]
            values = np.where(sets.invalid | sets.blank, np.nan, np.asarray(sets.values, dtype=float))
            set_numbers = values[self.codes("set_number")]
        exercise = self.checked["exercise"]
        # A cell listing several exercises is its own kind of row: never a set of one of them.
        names = np.asarray(exercise.values, dtype=object)
        if exercise.lists is not None:
            names = np.where(pd.notna(exercise.lists), exercise.lists, names)
        exercise_ids = pd.factorize(names)[0]
        parts: list[npt.NDArray[Any]] = [exercise_ids[self.codes("exercise")], self.codes("date")]
        parts += [self.codes(name) for name in ("patient_id", "time") if name in self.checked]
        return plan_sets(combine_codes(parts), has_time, set_numbers)

    def _split(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Give each exercise of a cell listing several its own session."""
        if self._has_sets:
            count_lone_sets(frame)
        lists = self.checked["exercise"].lists
        if lists is None or not pd.notna(lists).any():
            return frame
        per_row = lists[self.codes("exercise")]
        frame = split_lists(frame, per_row, self.job.issues)
        return frame.reset_index(drop=True).astype(frame_dtypes("sessions"))

    def _frame(
        self, merged: dict[str, Any] | None = None, at: IntArray | None = None
    ) -> tuple[pd.DataFrame, list[str]]:
        spec = SPECS[self.job.kind]
        present = [n for n in spec.names if n in self.checked and n not in ("patient_id", "time")]
        data: dict[str, Any] = {}
        # A big frame's dates, numbers and flags are built on a second thread meanwhile (they
        # are pure takes, which numpy runs without the GIL): on two cores the million-row
        # import ends 30-40 ms sooner. Whichever thread builds a column, it is the same.
        apart = len(self.rows) >= _TYPED_APART_FROM
        if apart and "date" in present:
            self.codes("date")  # taken once, here: this thread's times need them too
        with ThreadPoolExecutor(1, "rehab-frame") if apart else nullcontext() as pool:
            typed = {n: self._typed_column(n, pool) for n in present if spec.column(n).type in _TYPED}
            for name in present:
                if name in typed:
                    continue
                if merged and at is not None and name in merged:
                    data[name] = string_column(self._merged_strings(name, at, merged.pop(name)))
                else:
                    data[name] = string_column(self.strings(name))
            data["time"] = string_column(self._times())
            patients, names = self._patients()
            data["patient_id"] = string_column(patients)
            if "exercise" in self.checked:
                where = ExerciseRows(self.checked["exercise"], self.codes("exercise"), self.rows)
                warn_unknown_exercises(where, self.job.library, self.job.issues)
                warn_near_misses(
                    where, self.job.column("exercise").uniques, self.job.library, self.job.issues
                )
                data["exercise_known"] = np.asarray(self.checked["exercise"].known)[
                    self.codes("exercise")
                ]
            for name, column in typed.items():
                data[name] = column.result() if isinstance(column, Future) else column
        self._warn_future(data["date"])
        data["source_file"] = string_column(repeated_text(self.job.file, len(self.rows)))
        data["source_row"] = pd.arrays.IntegerArray(self.rows, np.zeros(len(self.rows), dtype=bool))
        if merged and at is not None:
            apply_sessions(data, len(self.rows), at, merged)
        frame = canonical_frame(self.job.kind, len(self.rows), data)
        return frame, names

    def _typed_column(self, name: str, pool: ThreadPoolExecutor | None) -> Any:
        """Return the typed column ``name``, or on ``pool`` its future."""
        spec, checked = SPECS[self.job.kind].column(name), self.checked[name]
        if pool is None:
            return _typed(spec, checked, self.codes(name))
        # The codes are taken on the pool's thread too: this thread's cache of them stays its own.
        known = self._codes.get(name)
        coded, accepted = self.job.column(name), self.accepted
        return pool.submit(lambda: _typed(spec, checked, coded.at(accepted) if known is None else known))

    def _merged_strings(self, name: str, at: IntArray, texts: list[Any]) -> Any:
        """Text of ``name`` with each merged session's ``texts`` at its row ``at``, in one take.

        The sessions' texts join the distinct values and their rows point at them: no second
        pass over the column to write them in.
        """
        checked = self.checked[name]
        values = np.asarray(checked.values, dtype=object).copy()
        values[checked.invalid | checked.blank] = None
        extra = np.asarray([None if pd.isna(text) else text for text in texts], dtype=object)
        codes = self.codes(name).copy()
        codes[at] = len(values) + np.arange(len(at), dtype=codes.dtype)
        dictionary = pa.array(np.concatenate([values, extra]), type=pa.large_string())
        return dictionary.take(pa.array(codes))

    def _times(self) -> Any:
        date_times = pa.array(self.dates.time_of_day, type=pa.large_string())
        if "time" in self.checked:
            given = self.strings("time")
            if date_times.null_count == len(date_times) or given.null_count == 0:
                return given
            return pc.coalesce(large_text(given), date_times.take(pa.array(self.codes("date"))))
        return date_times.take(pa.array(self.codes("date")))

    def _patients(self) -> tuple[Any, list[str]]:
        """Return every accepted row's patient, and the distinct patients, sorted."""
        if "patient_id" in self.checked:
            column = PatientColumn(
                header=self.job.table.header[self.job.positions["patient_id"]],
                checked=self.checked["patient_id"],
                codes=self.codes("patient_id"),
                given=self.strings("patient_id"),
            )
        else:
            column = PatientColumn("", None, np.zeros(0, np.int32), None)
        return assign_patients(column, self.rows, self.job.file, self.job.patient, self.job.issues)

    def _warn_future(self, days: Any) -> None:
        as_of = self.job.options.as_of
        if as_of is None:
            return
        later = np.asarray(days) > np.datetime64(as_of.isoformat(), "ns")
        report_grouped(
            self.rows[later],
            np.zeros(int(later.sum()), np.int64),
            "future_date",
            lambda _key, where: (
                f"{where.capitalize()}: dated after the as-of date {as_of:%Y-%m-%d}. Kept, but "
                "the analysis leaves rows after the as-of date out."
            ),
            self.job.issues,
            column="date",
        )


def _check_values(job: ColumnChecks, dates: _Dates) -> dict[str, Checked]:
    checked = {"date": dates.checked}
    for name in job.positions:
        if name != "date":
            spec = SPECS[job.kind].column(name)
            value = _check_value(spec, job.column(name).uniques, job.library)
            if spec.type == "score":
                header = job.table.header[job.positions[name]].strip()
                value = check_scale(header, job.column(name).uniques, spec, value, job.issues)
            checked[name] = _require(value, name) if spec.required else value
            if name == "patient_id":
                warn_invisible(job.column(name), value, job.rows, job.table.rows, job.issues)
    return checked


def check_columns(job: ColumnChecks) -> Outcome:
    """Check every canonical column, report bad cells, and build the accepted frame."""
    _warn_unnamed(job)
    with job.clock("dates"):
        dates = _check_dates(job)
    with job.clock("values"):
        checked = _check_values(job, dates)
    with job.clock("row issues"):
        reject = _rejections(job, checked)
    with job.clock("frames"):
        accepted = job.rows[~reject]
        frame, patients = _FrameBuilder(job, checked, dates, accepted).build()
    return Outcome(frame=frame, rejected=job.rows[reject], patients=patients, accepted=len(accepted))
