"""A columnar copy of the stored frames, so that reading every row does not cost seconds.

The rows tables stay the record (imports merge against them, forget deletes from them); this
cache holds the same rows as Arrow IPC chunks (LZ4-compressed), in the order they were
stored, for the one read that wants everything (the screening page, the summary). Turning a
million SQLite rows into Python values takes seconds; reading the chunks takes a fraction.

It is kept exact or not used: every import appends a chunk of the rows it added, in the
same transaction; a forget drops the whole cache (its chunks are overwritten on disk like
the rows), and the next full read rebuilds it from the rows. ``frame_cache.complete`` says
whether the chunks of a kind hold every stored row.
"""

from __future__ import annotations

import sqlite3
from functools import cache
from typing import TYPE_CHECKING, Final

import pyarrow as pa

from rehab.store.connection import BUSY_TIMEOUT_SECONDS
from rehab.store.rows import KINDS, empty_stored

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd

    from rehab.store.rows import StoredKind

__all__ = ["MAX_CHUNKS", "append_chunk", "drop_cache", "read_cached", "store_whole", "try_write"]

_WRITE_OPTIONS: Final = pa.ipc.IpcWriteOptions(compression="lz4")
# A weekly import adds a small chunk; past this many, the next full read compacts them.
MAX_CHUNKS: Final = 32


@cache
def _schema(kind: StoredKind) -> pa.Schema:
    # One schema per kind, from the canonical empty frame: every chunk concatenates.
    return pa.Schema.from_pandas(empty_stored(kind), preserve_index=False)


def _chunk(kind: StoredKind, frame: pd.DataFrame) -> bytes:
    table = pa.Table.from_pandas(frame, schema=_schema(kind), preserve_index=False)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema, options=_WRITE_OPTIONS) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue().to_pybytes())


def _complete(connection: sqlite3.Connection, kind: StoredKind) -> bool:
    row = connection.execute("SELECT complete FROM frame_cache WHERE kind = ?", (kind,)).fetchone()
    return bool(row and row[0])


def read_cached(connection: sqlite3.Connection, kind: StoredKind) -> tuple[pd.DataFrame | None, int]:
    """Return every stored row of ``kind`` from the cache (None when it is not complete).

    Also returns the number of chunks read: each import adds one, so a reader that finds
    many rewrites them as one (:data:`MAX_CHUNKS`).
    """
    if not _complete(connection, kind):
        return None, 0
    blobs = connection.execute(
        "SELECT data FROM frame_chunks WHERE kind = ? ORDER BY id", (kind,)
    ).fetchall()
    if not blobs:
        return empty_stored(kind), 0
    tables = [pa.ipc.open_stream(blob).read_all() for (blob,) in blobs]
    frame: pd.DataFrame = pa.concat_tables(tables).to_pandas()
    return frame, len(blobs)


def append_chunk(
    connection: sqlite3.Connection, kind: StoredKind, rows: pd.DataFrame, import_id: int | None
) -> None:
    """Add the rows an import stored to a complete cache (inside the import's transaction)."""
    if len(rows) and _complete(connection, kind):
        connection.execute(
            "INSERT INTO frame_chunks (kind, import_id, rows, data) VALUES (?, ?, ?, ?)",
            (kind, import_id, len(rows), _chunk(kind, rows)),
        )


def drop_cache(connection: sqlite3.Connection, kinds: Sequence[StoredKind] = KINDS) -> None:
    """Forget the cached chunks (inside the transaction that changed the rows)."""
    for kind in kinds:
        connection.execute("DELETE FROM frame_chunks WHERE kind = ?", (kind,))
        connection.execute("UPDATE frame_cache SET complete = 0 WHERE kind = ?", (kind,))


def store_whole(connection: sqlite3.Connection, kind: StoredKind, frame: pd.DataFrame) -> None:
    """Make the cache of ``kind`` one chunk of ``frame``, every stored row (caller checks)."""
    connection.execute("DELETE FROM frame_chunks WHERE kind = ?", (kind,))
    if len(frame):
        connection.execute(
            "INSERT INTO frame_chunks (kind, import_id, rows, data) VALUES (?, NULL, ?, ?)",
            (kind, len(frame), _chunk(kind, frame)),
        )
    connection.execute("UPDATE frame_cache SET complete = 1 WHERE kind = ?", (kind,))


def try_write(connection: sqlite3.Connection) -> bool:
    """Take the write lock now, or return False at once when a writer holds it.

    Rebuilding the cache is a favour to the next reader: it never waits behind an import.
    """
    connection.execute("PRAGMA busy_timeout = 0")
    try:
        connection.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return False
    finally:
        connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000):d}")
    return True
