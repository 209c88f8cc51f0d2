"""Store an imported batch: merge it with the stored rows and write the audit, in one transaction."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import asdict, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from rehab.store.cache import append_chunk, read_cached
from rehab.store.connection import from_text, to_text
from rehab.store.merge import ADDED, ALREADY_STORED, CONFLICT, differing_columns, merge_rows
from rehab.store.models import Conflict, ImportRecord, WorkspaceImport
from rehab.store.rows import (
    KINDS,
    MAX_LISTED,
    StoredKind,
    column_names,
    empty_stored,
    encode,
    load_frame,
    quoted,
)

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Sequence
    from datetime import datetime

    from rehab.importer import FileImport, ImportBatch
    from rehab.store.merge import Merge

__all__ = ["fingerprint", "store_batch"]

logger = logging.getLogger("rehab.store")


def fingerprint(data: bytes) -> str:
    """Return the BLAKE2b digest (128 bits, hex) of a file's bytes: it names them, reveals nothing."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _new_rows(batch: ImportBatch, kind: StoredKind) -> pd.DataFrame:
    """Return the batch's accepted rows of ``kind``, with their file's position (``file_index``)."""
    # The batch's frame is every file's frame, in file order: no need to concatenate again.
    lengths = [0 if (rows := f.rows(kind)) is None else len(rows) for f in batch.files]
    frame: pd.DataFrame = getattr(batch, kind)
    owners = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    if len(owners) != len(frame):  # not the batch's own concatenation: build it
        frames = [rows for f in batch.files if (rows := f.rows(kind)) is not None]
        frame = pd.concat(frames, ignore_index=True) if frames else empty_stored(kind)
    return frame.assign(file_index=owners)


def _stored_rows(connection: sqlite3.Connection, kind: StoredKind, patients: list[str]) -> pd.DataFrame:
    """Return the stored rows of ``patients`` (from the cache when the import touches most of them)."""
    if len(patients) > MAX_LISTED:
        everyone, _ = read_cached(connection, kind)
        if everyone is not None:
            picked: pd.DataFrame = everyone[everyone["patient_id"].isin(patients)].reset_index(drop=True)
            return picked
    return load_frame(connection, kind, patients)


def _touched_patients(frames: dict[StoredKind, pd.DataFrame]) -> list[str]:
    names: set[str] = set()
    for frame in frames.values():
        if "patient_id" in frame:
            names.update(str(p) for p in frame["patient_id"].dropna().unique())
    return sorted(names)


def _conflicts(
    kind: StoredKind, stored: pd.DataFrame, new: pd.DataFrame, merged: Merge
) -> list[Conflict]:
    found = []
    for position in np.flatnonzero(merged.fate == CONFLICT):
        row = new.iloc[int(position)]
        held = stored.iloc[int(merged.stored_match[position])]
        found.append(
            Conflict(
                patient_id=str(row["patient_id"]),
                kind=kind,
                date=row["date"].date(),
                time="" if kind == "measures" else str(row["time"]),
                exercise=str(row["exercise"]) if kind == "sessions" else None,
                measure=str(row["measure"]) if kind == "measures" else None,
                file=str(row["source_file"]),
                row=None if pd.isna(row["source_row"]) else int(row["source_row"]),
                stored_file=str(held["source_file"]),
                stored_row=None if pd.isna(held["source_row"]) else int(held["source_row"]),
                columns=differing_columns(held, row),
            )
        )
    return found


def _per_file(new: pd.DataFrame, merged: Merge, fate: int, files: int) -> np.ndarray:
    owners = new["file_index"].to_numpy(dtype=np.int64)[merged.fate == fate]
    return np.bincount(owners, minlength=files)


def _insert_rows(
    connection: sqlite3.Connection, kind: StoredKind, rows: pd.DataFrame, import_ids: np.ndarray
) -> None:
    if not len(rows):
        return
    names = column_names(kind)
    columns: list[list[Any]] = [import_ids.tolist(), *encode(kind, rows)]
    marks = ", ".join("?" * (len(names) + 1))
    connection.executemany(
        f"INSERT INTO {kind} (import_id, {quoted(names)}) VALUES ({marks})",
        zip(*columns, strict=True),
    )


def _file_counts(
    new: dict[StoredKind, pd.DataFrame], merged: dict[StoredKind, Merge], files: int
) -> list[dict[str, int]]:
    """Per file: rows added, already stored and in conflict (both kinds together)."""
    totals = {
        name: np.sum([_per_file(new[kind], merged[kind], fate, files) for kind in KINDS], axis=0)
        for name, fate in (("added", ADDED), ("already_stored", ALREADY_STORED), ("conflicts", CONFLICT))
    }
    return [{name: int(values[index]) for name, values in totals.items()} for index in range(files)]


def _record(
    connection: sqlite3.Connection,
    file: FileImport,
    digest: str | None,
    stamp: str,
    by: str | None,
    counts: dict[str, int],
) -> ImportRecord:
    report = file.report
    record = ImportRecord(
        id=0,
        at=from_text(stamp),
        by=by,
        file=report.file,
        fingerprint=digest,
        rows=report.rows,
        accepted=report.accepted,
        rejected=report.rejected,
        duplicates=report.duplicates,
        added=counts["added"],
        already_stored=counts["already_stored"],
        conflicts=counts["conflicts"],
    )
    values = {**asdict(record), "at": stamp}
    del values["id"]
    cursor = connection.execute(
        f"INSERT INTO imports ({quoted(list(values))}) VALUES ({', '.join(':' + k for k in values)})",
        values,
    )
    return replace(record, id=int(cursor.lastrowid or 0))


def store_batch(
    connection: sqlite3.Connection,
    batch: ImportBatch,
    digests: Sequence[str | None],
    *,
    by: str | None,
    at: datetime,
) -> WorkspaceImport:
    """Merge ``batch`` into the workspace inside the caller's write transaction.

    Parameters
    ----------
    connection
        A connection inside ``BEGIN IMMEDIATE``: the stored rows read here cannot change
        before the new ones are written.
    batch
        The importer's result.
    digests
        The fingerprint of each of ``batch.files``.
    by, at
        Who imported, and when (stored as UTC).

    Returns
    -------
    WorkspaceImport
        Rows added per kind, rows already stored, conflicts, and one audit record per file.
    """
    files = batch.files
    new = {kind: _new_rows(batch, kind) for kind in KINDS}
    patients = _touched_patients(new)
    stored = {kind: _stored_rows(connection, kind, patients) for kind in KINDS}
    merged = {kind: merge_rows(kind, stored[kind], new[kind]) for kind in KINDS}
    conflicts = [c for kind in KINDS for c in _conflicts(kind, stored[kind], new[kind], merged[kind])]
    counts = _file_counts(new, merged, len(files))
    stamp = to_text(at)
    records = [
        _record(connection, file, digests[index], stamp, by, counts[index])
        for index, file in enumerate(files)
    ]
    ids = np.asarray([record.id for record in records], dtype=np.int64)
    for kind in KINDS:
        rows = new[kind][merged[kind].fate == ADDED]
        _insert_rows(connection, kind, rows, ids[rows["file_index"].to_numpy(dtype=np.int64)])
        append_chunk(
            connection, kind, rows.drop(columns=["file_index"]), records[0].id if records else None
        )
    added: dict[str, int] = {kind: merged[kind].count(ADDED) for kind in KINDS}
    already = sum(merged[kind].count(ALREADY_STORED) for kind in KINDS)
    logger.info(
        "workspace import: %d files, %d session, %d pain and %d questionnaire rows added, "
        "%d already stored, %d conflicts",
        len(files),
        added["sessions"],
        added["pain"],
        added["measures"],
        already,
        len(conflicts),
    )
    return WorkspaceImport(batch, added, already, conflicts, records)
