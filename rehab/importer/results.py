"""What an import returns: per file, and for many files at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from rehab.importer.crossfile import drop_cross_file_repeats
from rehab.measures.schema import empty_measures
from rehab.schema import empty_frame

if TYPE_CHECKING:
    from rehab.importer.report import FileReport

__all__ = ["FileImport", "ImportBatch"]


@cache
def _empty(kind: Literal["sessions", "pain", "measures"]) -> pd.DataFrame:
    return empty_measures() if kind == "measures" else empty_frame(kind)


def _no_rows(kind: Literal["sessions", "pain", "measures"]) -> pd.DataFrame:
    """Return an empty frame of ``kind`` (sessions, pain or measures).

    A file fills one kind; the others get a shallow copy of one empty frame per kind (a
    deep copy of its dozen columns, for every file of a batch, cost about 0.1 ms a file).
    Copy-on-write keeps the copies apart: a change to one never reaches the others.
    """
    return _empty(kind).copy(deep=False)


class _Rows:
    """A :class:`FileImport` field of accepted rows of one kind (its name): none by default.

    No rows are kept as ``None`` and read as an empty frame of the kind, made on the first
    read. A file fills one kind: an upload of 400 files made 800 empty frames (25 ms, and
    24,000 objects the garbage collector walked on every full collection of the session).
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self._kind: Literal["sessions", "pain", "measures"] = name  # type: ignore[assignment]
        self._key = f"_{name}"

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if instance is None:
            return None  # the dataclass field's default: no rows
        state = instance.__dict__
        frame = state.get(self._key)
        if frame is None:
            frame = state[self._key] = _no_rows(self._kind)
        return frame

    def __set__(self, instance: object, value: pd.DataFrame | None) -> None:
        instance.__dict__[self._key] = value


@dataclass
class FileImport:
    """One file's import: its report, its accepted rows, and its rejected rows.

    ``sessions`` and ``pain`` have the canonical shape of :func:`rehab.schema.frame_dtypes`
    (the one that does not match the file's kind is empty); ``measures`` holds a measures
    log's scored questionnaires (:func:`rehab.measures.empty_measures`). ``rejected`` holds the rejected
    rows as written (original headers, text cells) plus ``row`` and ``problem``, ready to
    be fixed and imported again.
    """

    report: FileReport
    sessions: pd.DataFrame = _Rows()  # type: ignore[assignment]
    pain: pd.DataFrame = _Rows()  # type: ignore[assignment]
    measures: pd.DataFrame = _Rows()  # type: ignore[assignment]
    rejected: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"row": [], "problem": []}))

    def rows(self, kind: str) -> pd.DataFrame | None:
        """Return the accepted rows of ``kind``, or ``None`` when there are none (made no frame)."""
        frame: pd.DataFrame | None = self.__dict__.get(f"_{kind}")
        return frame if frame is not None and len(frame) else None


def _concat(frames: list[pd.DataFrame | None], empty: pd.DataFrame) -> pd.DataFrame:
    filled = [frame for frame in frames if frame is not None and len(frame)]
    if not filled:
        return empty
    return pd.concat(filled, ignore_index=True)


@dataclass
class ImportBatch:
    """Many files imported together; ``sessions``/``pain``/``measures`` hold every accepted row."""

    files: list[FileImport]
    sessions: pd.DataFrame = field(init=False)
    pain: pd.DataFrame = field(init=False)
    measures: pd.DataFrame = field(init=False)

    def __post_init__(self) -> None:
        # Rows an earlier file of the upload already holds are reported, not counted twice.
        drop_cross_file_repeats(self.files)
        self.sessions = _concat([f.rows("sessions") for f in self.files], empty_frame("sessions"))
        self.pain = _concat([f.rows("pain") for f in self.files], empty_frame("pain"))
        self.measures = _concat([f.rows("measures") for f in self.files], empty_measures())

    def report_json(self) -> dict[str, Any]:
        """Return ``{"files": [report, ...]}``, the JSON shape of ``rehab validate --json``."""
        return {"files": [f.report.model_dump(mode="json") for f in self.files]}

    @property
    def exit_code(self) -> int:
        """0: every row accepted; 1: some rows rejected; 2: some file could not be used."""
        if any(not f.report.usable for f in self.files):
            return 2
        if any(f.report.rejected for f in self.files):
            return 1
        return 0
