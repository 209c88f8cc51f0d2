"""Questionnaires in the workspace: stored as imported, merged like the logs, summarised, exported.

The measures file is the measures log of docs/measures.md: a ``measure`` column, the answers
as ``item_1`` ..., or a total ``score`` where the clinic has only totals.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from rehab.cli import main as rehab_main
from rehab.importer import import_files
from rehab.measures.schema import MEASURE_DTYPES
from tests.store.conftest import SAMPLE, csv_bytes

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

    from rehab.store import Workspace

HEADER = ("patient_id", "date", "measure", "version", *(f"item_{i}" for i in range(1, 11)), "score")
ODI_FIRST = [
    "PT-0101",
    "2026-09-02",
    "odi",
    "2.1a",
    "3",
    "2",
    "2",
    "3",
    "1",
    "2",
    "2",
    "1",
    "2",
    "3",
    "",
]
ODI_LATER = [
    "PT-0101",
    "2026-10-30",
    "odi",
    "2.1a",
    "4",
    "3",
    "3",
    "4",
    "2",
    "3",
    "3",
    "2",
    "3",
    "4",
    "",
]
START_BACK = [
    "PT-0103",
    "2026-09-02",
    "start_back",
    "",
    "1",
    "1",
    "0",
    "1",
    "1",
    "1",
    "0",
    "1",
    "1",
    "",
    "",
]
RMDQ_TOTAL = ["PT-0101", "2026-09-03", "rmdq", "", *[""] * 10, "12"]
PSFS = ["PT-0101", "2026-09-04", "psfs", "", "4", "6.5", "3", *[""] * 7, ""]


def _measures(*rows: list[str]) -> tuple[str, bytes]:
    return "clinic_measures.csv", csv_bytes(HEADER, rows)


def test_questionnaires_are_stored_as_imported_and_merged_like_logs(workspace: Workspace) -> None:
    first = _measures(ODI_FIRST, START_BACK, RMDQ_TOTAL, PSFS)
    outcome = workspace.import_files([first])
    assert outcome.added["measures"] == 4
    stored = workspace.measures()
    assert dict(stored.dtypes.astype(str)) == MEASURE_DTYPES
    pd.testing.assert_frame_equal(stored, import_files([first]).measures)
    assert workspace.measures("PT-0103")["band"].tolist() == ["high"]
    assert workspace.patients() == ["PT-0101", "PT-0103"]

    changed = list(ODI_FIRST)
    changed[4] = "5"  # the same day's Oswestry, another answer
    again = workspace.import_files([_measures(ODI_FIRST, changed, ODI_LATER)])
    assert again.added["measures"] == 1
    assert again.already_stored == 1
    (conflict,) = again.conflicts
    assert (conflict.kind, conflict.measure, conflict.date, conflict.exercise) == (
        "measures",
        "odi",
        date(2026, 9, 2),
        None,
    )
    assert conflict.columns == ("score", "answers")
    assert workspace.measures("PT-0101")["score"].tolist() == [42.0, 12.0, 4.5, 62.0]
    assert workspace.forget("PT-0103")["measures"] == 1


def test_a_b_a_with_questionnaires_summarises_as_rehab_summary(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    logs = [(n, (SAMPLE / n).read_bytes()) for n in ("PT-0101_sessions.csv", "PT-0101_pain.csv")]
    export_a = [*logs, _measures(ODI_FIRST, RMDQ_TOTAL)]
    export_b = [_measures(ODI_FIRST, ODI_LATER, PSFS)]
    for export in (export_a, export_b, export_a):
        workspace.import_files(export)
    as_of = date(2026, 11, 20)
    stored = workspace.summary_json(as_of)
    for patient in stored["patients"]:
        patient.pop("last_reviewed")
    paths = []
    for folder, files in (("a", export_a), ("b", export_b)):
        (tmp_path / folder).mkdir()
        for name, data in files:
            (tmp_path / folder / name).write_bytes(data)
            paths.append(str(tmp_path / folder / name))
    assert rehab_main(["summary", "--json", "--as-of", as_of.isoformat(), *paths]) == 0
    together = json.loads(capsys.readouterr().out)
    assert stored == together
    (patient,) = stored["patients"]
    assert patient["measures"]["odi"]["score"] == 62.0  # the later Oswestry counts
    assert "disability_worse" in {flag["code"] for flag in patient["flags"]}


def test_exported_questionnaires_read_back_as_stored(workspace: Workspace) -> None:
    workspace.import_files([_measures(ODI_FIRST, RMDQ_TOTAL, PSFS, ODI_LATER)])
    files = workspace.export_csv("PT-0101")
    assert list(files) == ["PT-0101_measures.csv"]
    again = import_files([("export.csv", files["PT-0101_measures.csv"])])
    assert again.exit_code == 0

    def values(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.drop(columns=["source_file", "source_row"]).reset_index(drop=True)

    pd.testing.assert_frame_equal(values(again.measures), values(workspace.measures("PT-0101")))
