"""The columnar cache: whatever happens to the rows, a full read gives exactly the stored rows."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

import pandas as pd

from rehab.store.rows import KINDS, load_frame
from tests.store.conftest import SAMPLE, sample_slice

if TYPE_CHECKING:
    from pathlib import Path

    from rehab.store import Workspace


def _rows(path: Path) -> dict[str, pd.DataFrame]:
    """Every kind read from its rows table, bypassing the cache."""
    connection = sqlite3.connect(path)
    frames = {kind: load_frame(connection, kind) for kind in KINDS}
    connection.close()
    return frames


def _complete(path: Path) -> dict[str, int]:
    connection = sqlite3.connect(path)
    state = dict(connection.execute("SELECT kind, complete FROM frame_cache").fetchall())
    connection.close()
    return state


def _same_as_rows(workspace: Workspace) -> None:
    rows = _rows(workspace.path)
    sessions, pain = workspace.frames()
    pd.testing.assert_frame_equal(sessions, rows["sessions"])
    pd.testing.assert_frame_equal(pain, rows["pain"])
    pd.testing.assert_frame_equal(workspace.measures(), rows["measures"])


def test_full_reads_match_the_rows_through_imports_and_forgets(workspace: Workspace) -> None:
    files = lambda p, a, b: [sample_slice(f"{p}_{k}.csv", a, b) for k in ("sessions", "pain")]  # noqa: E731
    _same_as_rows(workspace)  # empty
    workspace.import_files(files("PT-0101", 0, 200) + files("PT-0102", 0, None))
    _same_as_rows(workspace)  # chunks appended by the import
    workspace.import_files(files("PT-0101", 100, None))
    _same_as_rows(workspace)
    workspace.forget("PT-0102")
    assert _complete(workspace.path) == {"sessions": 0, "pain": 0, "measures": 0}
    _same_as_rows(workspace)  # read from the rows, and the cache rebuilt
    assert _complete(workspace.path) == {"sessions": 1, "pain": 1, "measures": 1}
    workspace.import_files(files("PT-0103", 0, None))
    _same_as_rows(workspace)
    assert set(workspace.sessions()["patient_id"]) == {"PT-0101", "PT-0103"}


def test_many_small_imports_are_compacted_by_the_next_full_read(workspace: Workspace) -> None:
    for start in range(0, 40 * 3, 3):  # forty weekly exports of three new rows each
        workspace.import_files([sample_slice("PT-0106_sessions.csv", start, start + 3)])
    connection = sqlite3.connect(workspace.path)

    def chunks() -> int:
        return int(
            connection.execute("SELECT COUNT(*) FROM frame_chunks WHERE kind = 'sessions'").fetchone()[0]
        )

    assert chunks() == 40
    _same_as_rows(workspace)
    assert chunks() == 1
    _same_as_rows(workspace)
    connection.close()


def test_a_reader_never_waits_for_a_writer_to_rebuild_the_cache(workspace: Workspace) -> None:
    workspace.import_files(
        [(n, (SAMPLE / n).read_bytes()) for n in ("PT-0104_pain.csv", "PT-0105_pain.csv")]
    )
    workspace.forget("PT-0105")  # drops the cache
    writer = sqlite3.connect(workspace.path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a long import elsewhere holds the write lock
    try:
        pain = workspace.pain()  # from the rows, at once
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert len(pain) == len(_rows(workspace.path)["pain"])
    assert _complete(workspace.path)["pain"] == 0  # left for a later read
    workspace.pain()
    assert _complete(workspace.path)["pain"] == 1
