"""Privacy: an owner-only file, no cell values in logs, and a forgotten patient leaves nothing."""

from __future__ import annotations

import logging
import os
import stat
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rehab.store import Workspace
from tests.store.conftest import PAIN_HEADER, SESSION_HEADER, csv_bytes

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    import pytest

SECRET_ID = "Zelda-Quartz-4471"
SECRET_NOTE = "numb saddle after the wedding in Ouagadougou"


def _files(patient: str, note: str) -> list[tuple[str, bytes]]:
    sessions = [["2026-09-02", "08:00", "Back Extension", "1", "10", "15", "6", "5", note]]
    pain = [["2026-09-02", "09:00", "7", "yes", note]]
    return [
        (f"{patient}_sessions.csv", csv_bytes(SESSION_HEADER, sessions)),
        (f"{patient}_pain.csv", csv_bytes(PAIN_HEADER, pain)),
    ]


def _permissions(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextmanager
def _umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def test_the_file_and_its_journal_are_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    path = tmp_path / "clinic" / "workspace.rehab"
    with _umask(0), Workspace.open(path) as workspace:  # a umask that lets everyone read new files
        workspace.import_files(_files("PT-1", "fine"))
        companions = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
        assert all(p.exists() for p in companions)  # open, in WAL mode
        assert [_permissions(p) for p in (path, *companions)] == [0o600, 0o600, 0o600]
    assert _permissions(path.parent) == 0o700


def test_logs_carry_counts_never_ids_notes_or_file_names(
    workspace: Workspace, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    workspace.import_files(_files(SECRET_ID, SECRET_NOTE), by="Dr Secretname")
    workspace.import_files(_files(SECRET_ID, SECRET_NOTE + " (edited)"))  # conflicts
    workspace.review(SECRET_ID, note=SECRET_NOTE, by="Dr Secretname")
    workspace.export_csv(SECRET_ID)
    workspace.forget(SECRET_ID)
    logged = "\n".join(f"{r.getMessage()} {r.args}" for r in caplog.records)
    assert "conflicts" in logged  # the store did log, in counts
    for secret in (SECRET_ID, "Ouagadougou", "Secretname", "_sessions.csv", "2026-09-02"):
        assert secret not in logged


def _raw_bytes(path: Path) -> bytes:
    companions = [path.with_name(path.name + s) for s in ("", "-wal", "-shm", "-journal")]
    return b"".join(p.read_bytes() for p in companions if p.exists())


def test_forget_removes_every_record_and_leaves_no_trace_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "clinic.rehab"
    with Workspace.open(path) as workspace:
        workspace.import_files(_files(SECRET_ID, SECRET_NOTE) + _files("PT-KEEP", "kept note"))
        workspace.review(SECRET_ID, note="called about " + SECRET_NOTE, at=datetime.now(UTC))
        workspace.review("PT-KEEP", note="fine")
        assert SECRET_NOTE.encode() in _raw_bytes(path)
        assert SECRET_ID in set(workspace.frames()[0]["patient_id"])  # the cache holds them too
        removed = workspace.forget(SECRET_ID)
        assert removed == {"sessions": 1, "pain": 1, "measures": 0, "reviews": 1, "imports_renamed": 2}
        assert workspace.patients() == ["PT-KEEP"]
        assert [r.patient_id for r in workspace.reviews()] == ["PT-KEEP"]
        records = workspace.imports()
        # The audit keeps every import's counts and fingerprint, without the patient's name.
        assert len(records) == 4
        assert all(r.fingerprint for r in records)
        assert sorted(r.file for r in records)[-2:] == ["PT-KEEP_pain.csv", "PT-KEEP_sessions.csv"]
        assert not any(SECRET_ID in r.file for r in records)
        leftovers = _raw_bytes(path)
        assert SECRET_ID.encode() not in leftovers
        assert b"Ouagadougou" not in leftovers
        assert b"kept note" in leftovers
        assert set(workspace.frames()[0]["patient_id"]) == {"PT-KEEP"}
        assert set(workspace.forget(SECRET_ID).values()) == {0}
