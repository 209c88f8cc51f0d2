"""What the Dask path reads: inputs expanded to files, files grouped into import tasks.

Every file is imported by the app's importer (:func:`rehab.importer.import_file`), whole, so
its report numbers rows as the file does. A Parquet file is written out as CSV first and
read like any other log (row 2 is its first row). A ZIP is unpacked as the app unpacks an
upload. Files must be readable where the workers run (a shared file system on a cluster).
"""

from __future__ import annotations

import glob
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final

import pandas as pd
import pyarrow as pa

from rehab.archive import expand_uploads, is_zip
from rehab.cli import _FOLDER_SUFFIXES
from rehab.importer import import_file
from rehab.library import load_library
from rehab.scale.reports import FileOutcome
from rehab.scale.schema import empty_rows, kinds, rows_of

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rehab.importer import ImportOptions

__all__ = [
    "ENTRY_BITS",
    "Imported",
    "InputFile",
    "empty_outcomes",
    "expand_inputs",
    "group_files",
    "import_group",
    "outcome_rows",
    "outcomes_of",
]

PARQUET: Final = ".parquet"
SUFFIXES: Final = frozenset({*_FOLDER_SUFFIXES, PARQUET})
# A ZIP's entries are numbered after their archive: file = input position << ENTRY_BITS | entry.
ENTRY_BITS: Final = 20
_KIND_WORD_RE: Final = re.compile(r"[\s_.-]*(?:sessions?|pain|measures?)$", re.I)


@dataclass(frozen=True)
class InputFile:
    """One input file: its place in the input (reports and repeats follow it) and its size as CSV."""

    order: int
    path: str
    size: int


def _glob(text: str) -> list[Path]:
    if any(mark in text for mark in "*?["):
        # Path.glob takes no absolute pattern; glob.glob takes both.
        return sorted(Path(p) for p in glob.glob(text, recursive=True))  # noqa: PTH207
    return [Path(text)]


def expand_inputs(inputs: Sequence[Path]) -> list[InputFile]:
    """Files, folders (read recursively, sorted) and globs, in the order given.

    A missing file raises :class:`FileNotFoundError`, as the in-process commands do.
    """
    paths: list[Path] = []
    for given in inputs:
        for path in _glob(str(given)):
            if path.is_dir():
                paths.extend(
                    sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
                )
            else:
                paths.append(path)
    return [InputFile(order=i, path=str(p), size=_size(p)) for i, p in enumerate(paths)]


# Bytes a row of a log takes as CSV, about: a Parquet file is sized by its rows, since it
# compresses about tenfold and the importer reads it as CSV.
_CSV_BYTES_PER_ROW: Final = 50


def _size(path: Path) -> int:
    """Return the bytes of CSV the importer will read from ``path``, about."""
    if path.suffix.lower() == PARQUET:
        import pyarrow.parquet as pq

        return int(pq.read_metadata(path).num_rows) * _CSV_BYTES_PER_ROW
    return path.stat().st_size


def partition_key(path: str) -> tuple[str, ...]:
    """Return the partition a file belongs to (files of one partition share an import task).

    In a Hive-style layout, the ``name=value`` folders: ``sessions/bucket=017/part-0.parquet``
    and ``pain/bucket=017/part-0.parquet`` go together. Otherwise the folder and the file name
    without its kind word: ``b017/sessions.parquet`` and ``b017/pain.parquet`` go together, as
    do ``PT-0101_sessions.csv`` and ``PT-0101_pain.csv``.
    """
    name = Path(path)
    hive = tuple(part for part in name.parent.parts if "=" in part)
    if hive:
        return hive
    return str(name.parent), _KIND_WORD_RE.sub("", name.name[: -len(name.suffix) or None])


def group_files(
    files: list[InputFile], target_bytes: int, *, by_patient: bool = False
) -> list[list[InputFile]]:
    """Pack files into import tasks of about ``target_bytes`` each, in input order.

    With ``by_patient`` the files of one :func:`partition_key` always share a task.
    """
    units: dict[tuple[str, ...] | int, list[InputFile]] = {}
    for file in files:
        units.setdefault(partition_key(file.path) if by_patient else file.order, []).append(file)
    groups: list[list[InputFile]] = []
    size = target_bytes
    for unit in units.values():
        if size >= target_bytes:
            groups.append([])
            size = 0
        groups[-1].extend(unit)
        size += sum(file.size for file in unit)
    return groups


def _as_csv(data: bytes) -> bytes:
    """Write a Parquet file's table as CSV, for the importer (header first, as written)."""
    import pyarrow.csv as pa_csv
    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pa_csv.write_csv(pq.read_table(io.BytesIO(data)), sink)
    return sink.getvalue()


@dataclass
class Imported:
    """One import task's result: the rows of its files, their reports, and unpacking notes."""

    rows: pd.DataFrame
    outcomes: list[FileOutcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _entries(file: InputFile) -> tuple[list[tuple[str, bytes]], list[str]]:
    path = Path(file.path)
    data = path.read_bytes()
    if path.suffix.lower() == PARQUET:
        return [(path.name, _as_csv(data))], []
    if is_zip(data):
        unpacked = expand_uploads([(path.name, data)])
        return unpacked.files, unpacked.notes
    return [(path.name, data)], []


def import_group(files: list[InputFile], options: ImportOptions, library_path: Path | None) -> Imported:
    """Import each file of one task with the app's importer."""
    library = load_library(library_path)
    parts, outcomes, notes = [], [], []
    for file in files:
        entries, file_notes = _entries(file)
        notes.extend(file_notes)
        for entry, (name, data) in enumerate(entries):
            order = file.order << ENTRY_BITS | entry
            result = import_file(name, data, options, library)
            lengths = {kind: len(getattr(result, kind)) for kind in kinds()}
            outcomes.append(FileOutcome(file=order, report=result.report, lengths=lengths))
            parts.append(rows_of(result, order))
    filled = [part for part in parts if len(part)]
    rows = pd.concat(filled, ignore_index=True) if filled else empty_rows()
    # pyarrow's allocator keeps what the parse freed; on a worker with a memory limit that
    # reads as unmanaged memory that nothing can spill.
    pa.default_memory_pool().release_unused()
    return Imported(rows=rows, outcomes=outcomes, notes=notes)


# The reports of one task as a frame (a Dask collection like the rows): one row per file with
# its report as JSON, and one per unpacking note (no report).
_OUTCOME_DTYPES: Final = {"file": "int64", "report": "string", "lengths": "string", "note": "string"}


def empty_outcomes() -> pd.DataFrame:
    """Return the outcomes frame with no row: the ``meta`` of :func:`outcome_rows`."""
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in _OUTCOME_DTYPES.items()})


def outcome_rows(imported: Imported) -> pd.DataFrame:
    """Return one task's reports and notes as rows of the outcomes frame."""
    rows = [
        {
            "file": outcome.file,
            "report": outcome.report.model_dump_json(),
            "lengths": json.dumps(outcome.lengths),
            "note": None,
        }
        for outcome in imported.outcomes
    ]
    rows += [{"file": -1, "report": None, "lengths": None, "note": note} for note in imported.notes]
    if not rows:
        return empty_outcomes()
    return pd.DataFrame(rows, columns=list(_OUTCOME_DTYPES)).astype(_OUTCOME_DTYPES)


def outcomes_of(frame: pd.DataFrame) -> tuple[list[FileOutcome], list[str]]:
    """Return the file outcomes (in input order) and the notes of a computed outcomes frame."""
    from rehab.importer import FileReport

    notes = [str(note) for note in frame["note"].dropna()]
    reports = frame[frame["report"].notna()].sort_values("file", kind="stable")
    outcomes = [
        FileOutcome(
            file=int(file), report=FileReport.model_validate_json(report), lengths=json.loads(lengths)
        )
        for file, report, lengths in zip(
            reports["file"], reports["report"], reports["lengths"], strict=True
        )
    ]
    return outcomes, notes
