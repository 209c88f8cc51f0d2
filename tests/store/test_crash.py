"""Crash safety: an import killed inside its transaction leaves the workspace as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from typing import TYPE_CHECKING

import pandas as pd

from rehab.store import Workspace
from tests.store.conftest import SAMPLE

if TYPE_CHECKING:
    from pathlib import Path

# The child imports through the real store; the hook that runs just before COMMIT (every row
# written, nothing committed) reports how many session rows its transaction holds, then
# waits to be killed. The kill happens at that point every time, not after a guessed delay.
CHILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path

    import rehab.store.workspace as store
    from rehab.store import Workspace

    database, marker, *files = sys.argv[1:]

    def stop_here(connection):
        held = connection.execute("SELECT COUNT(*) FROM sessions").fetchone()[0]
        Path(marker + ".tmp").write_text(str(held))
        Path(marker + ".tmp").rename(marker)
        time.sleep(600)

    store._before_commit = stop_here
    with Workspace.open(database) as workspace:
        workspace.import_files([(Path(f).name, Path(f).read_bytes()) for f in files])
    """
)


def _state(path: Path) -> tuple[pd.DataFrame, pd.DataFrame, list[object], list[object]]:
    with Workspace.open(path) as workspace:
        return workspace.sessions(), workspace.pain(), workspace.imports(), workspace.reviews()


def _wait_for(marker: Path, child: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert child.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "the child never reached the commit"
        time.sleep(0.02)


def test_an_import_killed_before_commit_leaves_the_workspace_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "clinic.rehab"
    with Workspace.open(path) as workspace:
        workspace.import_files([(n, (SAMPLE / n).read_bytes()) for n in ("PT-0101_sessions.csv",)])
        workspace.review("PT-0101", note="seen")
    before = _state(path)
    marker = tmp_path / "in-transaction"
    files = [SAMPLE / f"PT-0102_{kind}.csv" for kind in ("sessions", "pain")]
    log = tmp_path / "child.log"
    with log.open("wb") as output:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path), str(marker), *map(str, files)],
            stdout=output,
            stderr=output,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
    try:
        _wait_for(marker, child, log)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL
    held_when_killed = int(marker.read_text())
    assert held_when_killed > len(before[0])  # the new rows were written, not committed
    after = _state(path)
    pd.testing.assert_frame_equal(after[0], before[0])
    pd.testing.assert_frame_equal(after[1], before[1])
    assert after[2:] == before[2:]
    with Workspace.open(path) as workspace:  # and the workspace takes the import again
        again = workspace.import_files([(f.name, f.read_bytes()) for f in files])
        assert again.added["sessions"] == held_when_killed - len(before[0])
