"""The clinic workspace: one SQLite file of patients' logs, imports and reviews.

Every import goes through :func:`rehab.importer.import_files` (the importer the app and the
command line use) and is merged with the stored rows in one transaction; the stored logs
come back as the importer's canonical frames, so the analysis sees what it would see from
the same files. See docs/workspace.md.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from rehab.store import reviews as stored_reviews
from rehab.store.cache import MAX_CHUNKS, drop_cache, read_cached, store_whole, try_write
from rehab.store.connection import Connections, create_file
from rehab.store.export import export_files, file_stem
from rehab.store.importing import fingerprint, store_batch
from rehab.store.migrations import WorkspaceError, migrate
from rehab.store.rows import KINDS, StoredKind, load_frame

if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import TracebackType

    import pandas as pd

    from rehab.importer import ImportBatch, ImportOptions
    from rehab.library import ExerciseLibrary
    from rehab.settings import RuleSettings
    from rehab.store.models import ImportRecord, Review, WorkspaceImport

__all__ = ["Workspace"]

logger = logging.getLogger("rehab.store")

FORGOTTEN_FILE = "(file named after a forgotten patient)"


def _before_commit(connection: sqlite3.Connection) -> None:
    """Run inside an import's transaction, just before it commits.

    Does nothing; the crash-safety test replaces it in a child process to stop the import
    at its most dangerous point (every row written, nothing committed) and kill it there.
    """
    del connection


def _revision(connection: sqlite3.Connection) -> tuple[int, ...]:
    (revision,) = connection.execute(
        "SELECT (SELECT COALESCE(MAX(id), 0) FROM imports WHERE added > 0), "
        "(SELECT COUNT(*) FROM sessions), (SELECT COUNT(*) FROM pain), "
        "(SELECT COUNT(*) FROM measures)"
    ).fetchall()
    return tuple(int(value) for value in revision)


def _now(at: datetime | None) -> datetime:
    return at if at is not None else datetime.now(UTC)


class Workspace:
    """A workspace file: open it with :meth:`open`, close it (or use ``with``) when done.

    Safe to share between threads: each call borrows its own SQLite connection, writes are
    serialised by SQLite (an import or review waits for the one in progress), and readers
    see the last committed state.
    """

    def __init__(self, path: Path, connections: Connections) -> None:
        self.path = path
        self._connections = connections

    @classmethod
    def open(cls, path: Path | str) -> Workspace:
        """Open the workspace at ``path``, creating it (owner-only, mode 0600) when missing.

        An existing file of an earlier schema version is migrated to the current one.

        Raises
        ------
        WorkspaceError
            When the file is not a workspace, or was written by a newer rehab.
        """
        location = Path(path)
        created = create_file(location)
        connections = Connections(location)
        try:
            with connections.borrow() as connection:
                before = migrate(connection)
        except sqlite3.DatabaseError as error:
            connections.close()
            raise WorkspaceError(f"{location.name} is not a rehab workspace ({error})") from None
        except BaseException:
            connections.close()
            raise
        logger.info("workspace opened (%s, schema version %d)", "new" if created else "existing", before)
        return cls(location, connections)

    def close(self) -> None:
        """Close the workspace's connections."""
        self._connections.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    # Imports -------------------------------------------------------------------------------

    def import_files(
        self,
        files: Sequence[tuple[str, bytes]],
        *,
        by: str | None = None,
        options: ImportOptions | None = None,
        library: ExerciseLibrary | None = None,
        at: datetime | None = None,
    ) -> WorkspaceImport:
        """Import files and merge their rows with the stored ones, in one transaction.

        Parameters
        ----------
        files
            ``(name, bytes)`` pairs, as for :func:`rehab.importer.import_files` (ZIPs
            unpacked by the caller, as the app and the command line do).
        by
            Who imports (the signed-in user), for the audit trail.
        options, library
            The importer's options and exercise library.
        at
            When (now by default).

        Returns
        -------
        WorkspaceImport
            The importer's batch, the rows added, already stored and in conflict, and the
            audit records. A row already stored is not added again; a conflicting row is
            reported and not stored; the stored row is never changed.
        """
        from rehab.importer import import_files

        pairs = list(files)
        batch = import_files(pairs, options, library)
        digests = self._digests(pairs, batch)
        with self._connections.write() as connection:
            outcome = store_batch(connection, batch, digests, by=by, at=_now(at))
            _before_commit(connection)
        return outcome

    @staticmethod
    def _digests(pairs: list[tuple[str, bytes]], batch: ImportBatch) -> list[str | None]:
        if len(pairs) == len(batch.files):
            return [fingerprint(data) for _, data in pairs]
        by_name = {name: fingerprint(data) for name, data in pairs}
        return [by_name.get(f.report.file) for f in batch.files]

    def imports(self) -> list[ImportRecord]:
        """Return the audit trail, one record per imported file, newest first."""
        with self._connections.read() as connection:
            return stored_reviews.import_records(connection)

    # Stored logs ---------------------------------------------------------------------------

    def _frame(self, kind: StoredKind, patient_id: str | None) -> pd.DataFrame:
        if patient_id is None:
            return self._whole((kind,))[kind]
        with self._connections.read() as connection:
            return load_frame(connection, kind, [patient_id])

    def _whole(self, kinds: Sequence[StoredKind] = KINDS) -> dict[StoredKind, pd.DataFrame]:
        """Read every stored row of ``kinds`` in one transaction, from the cache when it is whole.

        A kind read from its rows is cached afterwards, unless the logs changed meanwhile or
        a writer holds the file (the cache is then rebuilt by a later read).
        """
        with self._connections.read() as connection:
            revision = _revision(connection)
            cached = {kind: read_cached(connection, kind) for kind in kinds}
            frames = {
                kind: frame if frame is not None else load_frame(connection, kind)
                for kind, (frame, _) in cached.items()
            }
        # Rebuild what was missing, and compact what many imports left in small chunks.
        missing = [
            kind for kind, (frame, chunks) in cached.items() if frame is None or chunks > MAX_CHUNKS
        ]
        if missing:
            with self._connections.borrow() as connection:
                if try_write(connection):
                    try:
                        if _revision(connection) == revision:
                            for kind in missing:
                                store_whole(connection, kind, frames[kind])
                    except BaseException:
                        connection.execute("ROLLBACK")
                        raise
                    connection.execute("COMMIT")
        return frames

    def sessions(self, patient_id: str | None = None) -> pd.DataFrame:
        """Return stored session rows (one patient's or everyone's), canonical columns and dtypes."""
        return self._frame("sessions", patient_id)

    def pain(self, patient_id: str | None = None) -> pd.DataFrame:
        """Return stored pain rows (one patient's or everyone's), canonical columns and dtypes."""
        return self._frame("pain", patient_id)

    def measures(self, patient_id: str | None = None) -> pd.DataFrame:
        """Return stored questionnaires (one patient's or everyone's), as ``ImportBatch.measures``."""
        return self._frame("measures", patient_id)

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Every stored session and pain row, read in one transaction (a consistent pair)."""
        whole = self._whole(("sessions", "pain"))
        return whole["sessions"], whole["pain"]

    def logs_revision(self) -> tuple[int, ...]:
        """Return a value that changes whenever the stored logs change (to cache frames on).

        The newest import that added rows (import records are never deleted, so it only
        grows), and the row count of each kind (a forget only lowers them). Reviews and
        imports that add nothing leave it as it was.
        """
        with self._connections.read() as connection:
            return _revision(connection)

    def patients(self) -> list[str]:
        """Every patient with a stored row, sorted."""
        with self._connections.read() as connection:
            rows = connection.execute(
                " UNION ".join(
                    f"SELECT DISTINCT patient_id FROM {kind} WHERE patient_id IS NOT NULL"
                    for kind in KINDS
                )
            ).fetchall()
        return sorted(str(row[0]) for row in rows)

    # Reviews -------------------------------------------------------------------------------

    def review(
        self,
        patient_id: str,
        *,
        action: Literal["reviewed", "contacted"] = "reviewed",
        note: str = "",
        by: str | None = None,
        snooze_until: date | None = None,
        flags: Sequence[str] = (),
        at: datetime | None = None,
    ) -> Review:
        """Record that a patient was reviewed or contacted; return the review as stored.

        ``flags`` are the patient's flag codes at the time (so a flag raised later shows as
        new); ``snooze_until`` keeps them down the list until that day.
        """
        with self._connections.borrow() as connection:
            return stored_reviews.add_review(
                connection,
                patient_id,
                action=action,
                note=note,
                by=by,
                snooze_until=snooze_until,
                flags=flags,
                at=_now(at),
            )

    def reviews(self, patient_id: str | None = None) -> list[Review]:
        """Reviews of one patient (or everyone), newest first."""
        with self._connections.read() as connection:
            return stored_reviews.list_reviews(connection, patient_id)

    def last_reviews(self) -> dict[str, Review]:
        """Each reviewed patient's newest review."""
        with self._connections.read() as connection:
            return stored_reviews.last_reviews(connection)

    def rows_since(self, patient_id: str, at: datetime) -> dict[str, int]:
        """How many of the patient's stored rows came in imports after ``at``, per kind."""
        with self._connections.read() as connection:
            return stored_reviews.rows_since(connection, patient_id, at)

    def rows_since_last_review(self) -> dict[str, dict[str, int]]:
        """For each reviewed patient, rows stored after their last review, per kind."""
        with self._connections.read() as connection:
            return stored_reviews.rows_since_last_review(connection)

    # Forget and export ---------------------------------------------------------------------

    def forget(self, patient_id: str) -> dict[str, int]:
        """Remove every stored record of a patient; return how many were removed, per kind.

        Their session, pain and questionnaire rows and their reviews are deleted (keys
        ``sessions``, ``pain``, ``measures``, ``reviews``). The audit trail keeps
        its records (when, by whom, counts, fingerprints: no patient data), but a file name
        that contains the patient's id is replaced by a placeholder (``imports_renamed``).
        Deleted content is overwritten in the file (``secure_delete``) and the journal is
        emptied, so the patient's data does not linger on disk.
        """
        if not patient_id:
            raise ValueError("forget needs the patient's id")
        removed: dict[str, int] = {}
        with self._connections.write() as connection:
            for table in (*KINDS, "reviews"):
                cursor = connection.execute(
                    f"DELETE FROM {table} WHERE patient_id = ?",
                    (patient_id,),
                )
                removed[table] = cursor.rowcount
            cursor = connection.execute(
                "UPDATE imports SET file = ? WHERE instr(lower(file), lower(?)) > 0",
                (FORGOTTEN_FILE, patient_id),
            )
            removed["imports_renamed"] = cursor.rowcount
            if any(removed[kind] for kind in KINDS):
                drop_cache(connection)
        with self._connections.borrow() as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        logger.info(
            "workspace forget: %d session, %d pain and %d questionnaire rows, %d reviews removed; "
            "%d file names cleared",
            removed["sessions"],
            removed["pain"],
            removed["measures"],
            removed["reviews"],
            removed["imports_renamed"],
        )
        return removed

    def export_csv(self, patient_id: str, kinds: Sequence[StoredKind] = KINDS) -> dict[str, bytes]:
        """Return one patient's stored logs as rehab's own CSV files: ``{file name: bytes}``.

        ``<patient>_sessions.csv``, ``<patient>_pain.csv`` and ``<patient>_measures.csv``
        (a kind without rows is left out; ``kinds`` picks the kinds to write); importing them
        gives back the stored rows (see :mod:`rehab.store.export`).
        """
        with self._connections.read() as connection:
            frames = {kind: load_frame(connection, kind, [patient_id]) for kind in kinds}
        return export_files(patient_id, frames)

    def export_names(self, patient_id: str) -> dict[str, StoredKind]:
        """Return the file names :meth:`export_csv` would write for the patient, with their kind.

        Only asks which kinds hold rows of the patient, so that a page can offer the downloads
        without writing the files until one is asked for.
        """
        with self._connections.read() as connection:
            held = [
                kind
                for kind in KINDS
                if connection.execute(
                    f"SELECT EXISTS (SELECT 1 FROM {kind} WHERE patient_id = ?)",
                    (patient_id,),
                ).fetchone()[0]
            ]
        return {f"{file_stem(patient_id)}_{kind}.csv": kind for kind in held}

    # Analysis ------------------------------------------------------------------------------

    def summary_json(
        self,
        as_of: date,
        settings: RuleSettings | None = None,
        library: ExerciseLibrary | None = None,
    ) -> dict[str, Any]:
        """Return the ``rehab summary --json`` document of the stored logs, plus ``last_reviewed``.

        Each patient gains ``last_reviewed``: the moment of their newest review (ISO 8601,
        UTC) or ``None``.
        """
        from rehab.store.summary import summary_payload

        whole = self._whole()
        payload = summary_payload(
            whole["sessions"], whole["pain"], as_of, settings, library, measures=whole["measures"]
        )
        latest = self.last_reviews()
        for patient in payload["patients"]:
            review = latest.get(patient["patient_id"])
            patient["last_reviewed"] = review.at.isoformat() if review else None
        return payload
