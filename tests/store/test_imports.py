"""Imports accumulate: stored rows come back as the importer's frames, repeats are kept once,
conflicts are reported and never overwrite, and every import is in the audit trail."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import pandas as pd

from rehab.cli import main as rehab_main
from rehab.importer import import_files
from rehab.schema import frame_dtypes
from tests.store.conftest import PAIN_HEADER, SAMPLE, SESSION_HEADER, csv_bytes, sample_slice

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

    from rehab.store import Workspace

AS_OF = date(2026, 11, 20)


def _sample_files(*patients: str) -> list[tuple[str, bytes]]:
    return [
        (f"{p}_{kind}.csv", (SAMPLE / f"{p}_{kind}.csv").read_bytes())
        for p in patients
        for kind in ("sessions", "pain")
    ]


def test_stored_frames_are_the_importers_frames_column_for_column(workspace: Workspace) -> None:
    files = _sample_files("PT-0101", "PT-0104", "PT-0108")
    workspace.import_files(files)
    batch = import_files(files)
    for kind, stored in (("sessions", workspace.sessions()), ("pain", workspace.pain())):
        assert dict(stored.dtypes.astype(str)) == frame_dtypes(kind)
        pd.testing.assert_frame_equal(stored, getattr(batch, kind))
    one = workspace.sessions("PT-0104")
    assert set(one["patient_id"]) == {"PT-0104"}
    assert len(one) == (batch.sessions["patient_id"] == "PT-0104").sum()
    assert workspace.patients() == ["PT-0101", "PT-0104", "PT-0108"]


def test_the_same_file_again_changes_nothing_and_is_audited(workspace: Workspace) -> None:
    files = _sample_files("PT-0102")
    first = workspace.import_files(files, by="Ana", at=datetime(2026, 11, 1, 9, tzinfo=UTC))
    before = workspace.sessions(), workspace.pain()
    again = workspace.import_files(files, by="Ben", at=datetime(2026, 11, 8, 9, tzinfo=UTC))
    assert first.added["sessions"] > 0
    assert again.added == {"sessions": 0, "pain": 0, "measures": 0}
    assert again.already_stored == first.added["sessions"] + first.added["pain"]
    assert again.conflicts == []
    assert again.exit_code == 0
    pd.testing.assert_frame_equal(workspace.sessions(), before[0])
    pd.testing.assert_frame_equal(workspace.pain(), before[1])
    records = workspace.imports()
    assert [r.by for r in records] == ["Ben", "Ben", "Ana", "Ana"]  # newest first
    newest = records[0]
    assert newest.file == "PT-0102_pain.csv"
    assert newest.fingerprint == hashlib.blake2b(files[1][1], digest_size=16).hexdigest()
    assert (newest.added, newest.already_stored, newest.conflicts) == (0, newest.accepted, 0)
    assert newest.rows == newest.accepted + newest.rejected + newest.duplicates
    assert records[3].added == first.added["sessions"]


def test_overlapping_exports_keep_one_copy(workspace: Workspace) -> None:
    week1 = [sample_slice("PT-0101_sessions.csv", 0, 400), sample_slice("PT-0101_pain.csv", 0, 90)]
    week2 = [sample_slice("PT-0101_sessions.csv", 300, None), sample_slice("PT-0101_pain.csv", 60, None)]
    workspace.import_files(week1)
    second = workspace.import_files(week2)
    whole = import_files(_sample_files("PT-0101"))
    assert second.already_stored == 100 + 30
    assert second.added == {
        "sessions": len(whole.sessions) - 400,
        "pain": len(whole.pain) - 90,
        "measures": 0,
    }
    stored = workspace.sessions().drop(columns=["source_row"])
    pd.testing.assert_frame_equal(stored, whole.sessions.drop(columns=["source_row"]))


def _write(folder: Path, name: str, files: list[tuple[str, bytes]]) -> list[Path]:
    (folder / name).mkdir()
    paths = []
    for file_name, data in files:
        path = folder / name / file_name
        path.write_bytes(data)
        paths.append(path)
    return paths


def test_a_then_b_then_a_summarises_as_a_and_b_together(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Two overlapping weekly exports of three patients (the second adds new days).
    names = [f"{p}_{k}.csv" for p in ("PT-0101", "PT-0103", "PT-0107") for k in ("sessions", "pain")]
    export_a = [sample_slice(n, 0, 250 if "sessions" in n else 50) for n in names]
    export_b = [sample_slice(n, 150 if "sessions" in n else 30, None) for n in names]
    for export in (export_a, export_b, export_a):
        workspace.import_files(export)
    stored = workspace.summary_json(AS_OF)
    assert all(patient.pop("last_reviewed") is None for patient in stored["patients"])

    # `rehab summary --json` on both exports at once: A's files, then B's.
    paths = _write(tmp_path, "a", export_a) + _write(tmp_path, "b", export_b)
    assert rehab_main(["summary", "--json", "--as-of", AS_OF.isoformat(), *map(str, paths)]) == 0
    together = json.loads(capsys.readouterr().out)
    assert stored == together
    assert len(stored["patients"]) == 3


def _session(time: str, reps: str, notes: str = "") -> list[str]:
    return ["2026-09-02", time, "Back Extension", "1", reps, "15", "6", "5", notes]


def test_a_conflicting_row_is_reported_and_the_stored_row_stays(workspace: Workspace) -> None:
    workspace.import_files(
        [
            (
                "PT-0201_sessions.csv",
                csv_bytes(SESSION_HEADER, [_session("08:00", "10"), _session("13:00", "10")]),
            ),
            ("PT-0201_pain.csv", csv_bytes(PAIN_HEADER, [["2026-09-02", "09:00", "4", "no", ""]])),
        ]
    )
    later = workspace.import_files(
        [
            (
                "PT-0201_sessions.csv",
                csv_bytes(
                    SESSION_HEADER,
                    [
                        _session("08:00", "12", "felt fine"),  # the stored 08:00 row says 10
                        _session("13:00", "10"),  # stored value for value
                        _session("", "8"),  # no time: never "the same record"
                        _session("18:00", "10"),
                    ],
                ),
            ),
            ("PT-0201_pain.csv", csv_bytes(PAIN_HEADER, [["2026-09-02", "09:00", "6", "no", ""]])),
        ]
    )
    assert later.added == {"sessions": 2, "pain": 0, "measures": 0}
    assert later.already_stored == 1
    assert later.exit_code == 1
    by_kind = {c.kind: c for c in later.conflicts}
    assert set(by_kind) == {"sessions", "pain"}
    session = by_kind["sessions"]
    assert (session.patient_id, session.date, session.time, session.exercise) == (
        "PT-0201",
        date(2026, 9, 2),
        "08:00",
        "back_extension",
    )
    assert session.columns == ("reps", "notes")
    assert (session.file, session.row, session.stored_row) == ("PT-0201_sessions.csv", 2, 2)
    assert by_kind["pain"].columns == ("pain",)
    assert by_kind["pain"].exercise is None
    stored = workspace.sessions()
    assert stored["reps"].tolist() == [10, 10, 8, 10]
    assert stored["time"].tolist() == ["08:00", "13:00", pd.NA, "18:00"]
    assert workspace.pain()["pain"].tolist() == [4]
    assert [r.conflicts for r in workspace.imports()[:2]] == [1, 1]


def test_a_file_that_cannot_be_used_adds_nothing_and_exits_2(workspace: Workspace) -> None:
    outcome = workspace.import_files([("PT-0301_sessions.csv", b"\x00\x01 not a log")])
    assert outcome.exit_code == 2
    assert outcome.added == {"sessions": 0, "pain": 0, "measures": 0}
    assert workspace.patients() == []
    (record,) = workspace.imports()
    assert (record.file, record.accepted, record.added) == ("PT-0301_sessions.csv", 0, 0)
