"""Concurrency: imports and reviews at once, from threads and from two open workspaces, lose nothing."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from rehab.importer import import_files
from rehab.store import Workspace
from tests.store.conftest import SAMPLE, sample_slice

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

PATIENTS = ("PT-0101", "PT-0102", "PT-0103", "PT-0104", "PT-0105", "PT-0106")


def _run_together(tasks: list[Callable[[], object]]) -> None:
    """Start every task at the same moment; fail if any of them raised."""
    start = threading.Barrier(len(tasks))
    errors: list[BaseException] = []

    def run(task: Callable[[], object]) -> None:
        start.wait()
        try:
            task()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(task,)) for task in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors


def _weekly_imports_and_reviews(workspace: Workspace, patient: str) -> Callable[[], None]:
    def work() -> None:
        for start, stop in ((0, 300), (200, 500), (450, None)):
            workspace.import_files(
                [sample_slice(f"{patient}_sessions.csv", start, stop)], by=f"therapist of {patient}"
            )
            workspace.review(patient, note=f"week from row {start}")
        workspace.import_files([(f"{patient}_pain.csv", (SAMPLE / f"{patient}_pain.csv").read_bytes())])

    return work


def test_two_sessions_importing_and_reviewing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "clinic.rehab"
    # Two open workspaces on one file (two app processes), each shared by three threads.
    with Workspace.open(path) as first, Workspace.open(path) as second:
        _run_together(
            [
                _weekly_imports_and_reviews(first if i % 2 else second, patient)
                for i, patient in enumerate(PATIENTS)
            ]
        )
        whole = import_files(
            [
                (f"{p}_{k}.csv", (SAMPLE / f"{p}_{k}.csv").read_bytes())
                for p in PATIENTS
                for k in ("sessions", "pain")
            ]
        )
        for patient in PATIENTS:
            stored = first.sessions(patient)
            expected = whole.sessions[whole.sessions["patient_id"] == patient]
            assert len(stored) == len(expected), patient
            assert stored["date"].tolist() == expected["date"].tolist()
            assert len(first.pain(patient)) == (whole.pain["patient_id"] == patient).sum()
            assert [r.note for r in second.reviews(patient)] == [
                "week from row 450",
                "week from row 200",
                "week from row 0",
            ]
        assert len(first.imports()) == len(PATIENTS) * 4


def test_the_same_file_imported_by_four_threads_at_once_is_stored_once(workspace: Workspace) -> None:
    files = [
        (f"PT-0107_{k}.csv", (SAMPLE / f"PT-0107_{k}.csv").read_bytes()) for k in ("sessions", "pain")
    ]
    outcomes: list[int] = []
    lock = threading.Lock()

    def work() -> None:
        outcome = workspace.import_files(files)
        with lock:
            outcomes.append(outcome.added["sessions"])

    _run_together([work] * 4)
    batch = import_files(files)
    assert sorted(outcomes) == [0, 0, 0, len(batch.sessions)]
    assert len(workspace.sessions()) == len(batch.sessions)
    assert len(workspace.pain()) == len(batch.pain)
