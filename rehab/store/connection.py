"""The workspace file: created owner-only, opened with the settings that keep it safe.

WAL journal (readers never wait for the writer), ``synchronous=FULL`` (a committed import
survives a power cut), ``secure_delete`` (a forgotten patient's rows are overwritten, not
left in free pages), foreign keys on, and a busy timeout so that concurrent writers queue
instead of failing.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

__all__ = ["FILE_MODE", "Connections", "create_file", "from_text", "to_text"]

FILE_MODE: Final = 0o600
BUSY_TIMEOUT_SECONDS: Final = 60.0


def create_file(path: Path) -> bool:
    """Create ``path`` empty with owner-only permissions unless it exists; True when created.

    SQLite gives its ``-wal`` and ``-shm`` companions the permissions of the database file,
    so they are owner-only too.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    except FileExistsError:
        return False
    os.close(descriptor)
    return True


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
    )
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA secure_delete = ON")
    return connection


class Connections:
    """A small pool of SQLite connections: each thread borrows one, never two threads at once.

    Streamlit runs every rerun on a new thread, so a connection per thread would pile up;
    a borrowed connection goes back to the pool when the work is done.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._idle: list[sqlite3.Connection] = []
        self._all: list[sqlite3.Connection] = []
        self._closed = False

    @contextmanager
    def borrow(self) -> Iterator[sqlite3.Connection]:
        """Lend this thread a connection; it goes back to the pool afterwards."""
        with self._lock:
            if self._closed:
                raise sqlite3.ProgrammingError("the workspace is closed")
            connection = self._idle.pop() if self._idle else None
        if connection is None:
            connection = _connect(self.path)
            with self._lock:
                self._all.append(connection)
        try:
            yield connection
        finally:
            with self._lock:
                if not self._closed:
                    self._idle.append(connection)

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """Run a write transaction: taken at once (``BEGIN IMMEDIATE``), committed or rolled back."""
        with self.borrow() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """Run a read transaction: every query inside sees the same committed state."""
        with self.borrow() as connection:
            connection.execute("BEGIN")
            try:
                yield connection
            finally:
                connection.execute("COMMIT")

    def close(self) -> None:
        """Close every connection (the last one checkpoints the WAL into the file)."""
        with self._lock:
            self._closed = True
            connections, self._all, self._idle = self._all, [], []
        for connection in connections:
            connection.close()


def to_text(moment: datetime) -> str:
    """Write a moment as stored: UTC ISO 8601 with microseconds, so text order is time order.

    A naive datetime is read as local time (as :meth:`datetime.astimezone` does).
    """
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_text(text: str) -> datetime:
    """Read a stored moment back as an aware UTC datetime."""
    return datetime.fromisoformat(text)
