"""The workspace's schema, one version at a time, and the steps from each version to the next.

The version lives in SQLite's ``PRAGMA user_version``. A new file is created at version 1 and
taken through every step, so a fresh workspace and a migrated one are built by the same
statements. Each step runs inside the transaction that sets the new version: a step that
fails leaves the file at the version it had.

- 1: the logs (``sessions``, ``pain``), the audit trail (``imports``) and ``reviews``.
- 2: the audit trail keeps each file's BLAKE2b fingerprint and the rows an import found
  already stored or in conflict (older records: no fingerprint, zero counts).
- 3: a review keeps the patient's flag codes at that moment and a snooze date (older
  reviews: no flags, no snooze).
- 4: questionnaires (``measures``, rehab/measures) are stored like the logs (a workspace
  of an earlier version did not keep them: it holds none).
- 5: a columnar cache of the stored frames (:mod:`rehab.store.cache`); a migrated file's
  cache starts empty and incomplete, and the first full read fills it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import sqlite3

__all__ = ["SCHEMA_VERSION", "STEPS", "WorkspaceError", "migrate"]


class WorkspaceError(Exception):
    """The file cannot be used as a workspace (not one, or written by a newer rehab)."""


_LOG_COLUMNS: Final = (
    "id INTEGER PRIMARY KEY",
    "import_id INTEGER NOT NULL REFERENCES imports(id)",
    "patient_id TEXT",
    '"date" INTEGER NOT NULL',  # days since 1970-01-01: compact, and cheap to turn back into dates
    '"time" TEXT',
    "timezone TEXT",
)
_PROVENANCE: Final = ("source_file TEXT", "source_row INTEGER")

# SQLite's application id marks the file as a rehab workspace ("rehb"), so that `file` and
# rehab itself can tell it from any other SQLite database.
APPLICATION_ID: Final = 0x72656862

VERSION_1: Final = (
    f"PRAGMA application_id = {APPLICATION_ID:d}",
    """CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        "by" TEXT,
        file TEXT NOT NULL,
        rows INTEGER NOT NULL,
        accepted INTEGER NOT NULL,
        rejected INTEGER NOT NULL,
        duplicates INTEGER NOT NULL,
        added INTEGER NOT NULL
    )""",
    "CREATE TABLE sessions ("
    + ", ".join(
        (
            *_LOG_COLUMNS,
            "exercise TEXT",
            "sets REAL",
            "set_number REAL",
            "reps REAL",
            "hold_seconds REAL",
            "pain_before REAL",
            "pain_after REAL",
            "notes TEXT",
            "red_flag INTEGER",
            "exercise_known INTEGER NOT NULL",
            *_PROVENANCE,
        )
    )
    + ")",
    "CREATE TABLE pain ("
    + ", ".join(
        (*_LOG_COLUMNS, "pain REAL", "flare INTEGER", "notes TEXT", "red_flag INTEGER", *_PROVENANCE)
    )
    + ")",
    """CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        patient_id TEXT NOT NULL,
        at TEXT NOT NULL,
        "by" TEXT,
        action TEXT NOT NULL CHECK (action IN ('reviewed', 'contacted')),
        note TEXT NOT NULL DEFAULT ''
    )""",
    # By patient, then import: one patient's rows, and what each import brought them.
    "CREATE INDEX sessions_patient ON sessions (patient_id, import_id)",
    "CREATE INDEX pain_patient ON pain (patient_id, import_id)",
    "CREATE INDEX reviews_patient ON reviews (patient_id, at)",
)

VERSION_2: Final = (
    "ALTER TABLE imports ADD COLUMN fingerprint TEXT",
    "ALTER TABLE imports ADD COLUMN already_stored INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE imports ADD COLUMN conflicts INTEGER NOT NULL DEFAULT 0",
)

VERSION_3: Final = (
    "ALTER TABLE reviews ADD COLUMN snooze_until TEXT",
    "ALTER TABLE reviews ADD COLUMN flags TEXT NOT NULL DEFAULT '[]'",
)

VERSION_4: Final = (
    "CREATE TABLE measures ("
    + ", ".join(
        (
            "id INTEGER PRIMARY KEY",
            "import_id INTEGER NOT NULL REFERENCES imports(id)",
            "patient_id TEXT",
            '"date" INTEGER NOT NULL',
            "measure TEXT NOT NULL",
            "version TEXT",
            "score REAL",
            "band TEXT",
            "complete INTEGER NOT NULL",
            "subscale REAL",
            "answers TEXT",
            *_PROVENANCE,
        )
    )
    + ")",
    "CREATE INDEX measures_patient ON measures (patient_id, import_id)",
)

VERSION_5: Final = (
    "CREATE TABLE frame_chunks (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, import_id INTEGER, "
    "rows INTEGER NOT NULL, data BLOB NOT NULL)",
    "CREATE TABLE frame_cache (kind TEXT PRIMARY KEY, complete INTEGER NOT NULL)",
    # Complete (with no chunk) only for a kind with no stored row yet.
    "INSERT INTO frame_cache (kind, complete) VALUES "
    "('sessions', NOT EXISTS (SELECT 1 FROM sessions)), "
    "('pain', NOT EXISTS (SELECT 1 FROM pain)), "
    "('measures', NOT EXISTS (SELECT 1 FROM measures))",
)

# STEPS[n - 1] takes a file from version n - 1 to version n (version 0: an empty file).
STEPS: Final[tuple[tuple[str, ...], ...]] = (VERSION_1, VERSION_2, VERSION_3, VERSION_4, VERSION_5)
SCHEMA_VERSION: Final = len(STEPS)


def schema_version(connection: sqlite3.Connection) -> int:
    """Return the file's schema version (0 for a new, empty file)."""
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def _is_workspace(connection: sqlite3.Connection) -> bool:
    """Return whether the file is a rehab workspace, or empty (about to become one)."""
    (application_id,) = connection.execute("PRAGMA application_id").fetchone()
    if application_id == APPLICATION_ID:
        return True
    (tables,) = connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    return bool(application_id == 0 and tables == 0)


def migrate(connection: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Bring the file to schema version ``target``; return the version it had before.

    Parameters
    ----------
    connection
        An autocommit connection (``isolation_level=None``) to the workspace file.
    target
        The version to reach (tests stop earlier to build old files).

    Returns
    -------
    int
        The version the file had.

    Raises
    ------
    WorkspaceError
        When the file was written by a newer rehab (its version is above ``SCHEMA_VERSION``),
        or is another program's SQLite database.
    """
    if schema_version(connection) == target and _is_workspace(connection):
        return target  # the usual case: no write lock taken just to open the file
    # One writer at a time: two processes opening an old file must not both migrate it.
    connection.execute("BEGIN IMMEDIATE")
    try:
        before = schema_version(connection)
        if not _is_workspace(connection):
            raise WorkspaceError("this SQLite file is another program's database, not a rehab workspace")
        if before > SCHEMA_VERSION:
            raise WorkspaceError(
                f"this workspace has schema version {before}, newer than this rehab knows "
                f"({SCHEMA_VERSION}); update rehab to open it"
            )
        for version in range(before + 1, target + 1):
            for statement in STEPS[version - 1]:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {version:d}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return before
