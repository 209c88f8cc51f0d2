"""Schema versions: a file of every earlier version opens, keeps its data and gains the new columns."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest

from rehab.store import SCHEMA_VERSION, Workspace, WorkspaceError
from rehab.store.migrations import STEPS, migrate, schema_version
from tests.store.conftest import PAIN_HEADER, csv_bytes

if TYPE_CHECKING:
    from pathlib import Path

OLD_IMPORT = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)


def _old_file(path: Path, version: int) -> None:
    """A workspace as rehab wrote it at ``version``: one import of one pain row, one review."""
    connection = sqlite3.connect(path, isolation_level=None)
    migrate(connection, target=version)
    stamp = OLD_IMPORT.isoformat(timespec="microseconds")
    connection.execute(
        'INSERT INTO imports (id, at, "by", file, rows, accepted, rejected, duplicates, added) '
        "VALUES (1, ?, 'Ana', 'PT-1_pain.csv', 1, 1, 0, 0, 1)",
        (stamp,),
    )
    days = (datetime(2026, 9, 30) - datetime(1970, 1, 1)).days
    connection.execute(
        'INSERT INTO pain (import_id, patient_id, "date", "time", pain, flare, source_file, source_row) '
        "VALUES (1, 'PT-1', ?, '09:00', 4.0, 0, 'PT-1_pain.csv', 2)",
        (days,),
    )
    connection.execute(
        'INSERT INTO reviews (patient_id, at, "by", action, note) '
        "VALUES ('PT-1', ?, 'Ana', 'reviewed', 'ok')",
        (stamp,),
    )
    connection.close()


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_every_earlier_version_is_migrated_without_losing_data(tmp_path: Path, version: int) -> None:
    path = tmp_path / "old.rehab"
    _old_file(path, version)
    with Workspace.open(path) as workspace:
        (record,) = workspace.imports()
        assert (record.file, record.by, record.at, record.fingerprint) == (
            "PT-1_pain.csv",
            "Ana",
            OLD_IMPORT,
            None,  # v1 kept no fingerprints; they are not invented
        )
        assert (record.already_stored, record.conflicts) == (0, 0)
        (review,) = workspace.reviews()
        assert (review.note, review.flags, review.snooze_until) == ("ok", [], None)
        assert workspace.pain()["pain"].tolist() == [4.0]
        # The migrated file works like a new one: the same row again is already stored.
        again = workspace.import_files(
            [("PT-1_pain.csv", csv_bytes(PAIN_HEADER, [["2026-09-30", "09:00", "4", "no", ""]]))]
        )
        assert (again.added["pain"], again.already_stored) == (0, 1)
        assert workspace.imports()[0].fingerprint is not None
    connection = sqlite3.connect(path)
    assert schema_version(connection) == SCHEMA_VERSION
    connection.close()


def test_a_new_file_is_built_by_the_same_steps(tmp_path: Path) -> None:
    Workspace.open(tmp_path / "new.rehab").close()
    migrated = tmp_path / "old.rehab"
    _old_file(migrated, 1)
    Workspace.open(migrated).close()

    def columns(path: Path) -> dict[str, list[str]]:
        connection = sqlite3.connect(path)
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        found = {t: [r[1] for r in connection.execute(f"PRAGMA table_info({t})")] for t in tables}
        connection.close()
        return found

    assert columns(tmp_path / "new.rehab") == columns(migrated)
    assert len(STEPS) == SCHEMA_VERSION


def test_a_file_from_a_newer_rehab_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.rehab"
    Workspace.open(path).close()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    with pytest.raises(WorkspaceError, match="newer"):
        Workspace.open(path)
    connection = sqlite3.connect(path)
    assert schema_version(connection) == SCHEMA_VERSION + 1
    connection.close()


def test_another_programs_sqlite_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "contacts.db"
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("CREATE TABLE contacts (name TEXT)")
    connection.close()
    with pytest.raises(WorkspaceError, match="another program's database"):
        Workspace.open(path)
    connection = sqlite3.connect(path)
    tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master")]
    connection.close()
    assert tables == ["contacts"]


def test_a_file_that_is_not_a_workspace_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"these are not the logs you are looking for" * 100)
    with pytest.raises(WorkspaceError, match="not a rehab workspace"):
        Workspace.open(path)
