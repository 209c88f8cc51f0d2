"""Export: one patient's stored logs as rehab's own CSV, read back by the importer as stored."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from rehab.disclaimer import DISCLAIMER
from rehab.importer import import_files
from rehab.schema import PROVENANCE
from tests.store.conftest import PAIN_HEADER, SAMPLE, SESSION_HEADER, csv_bytes

if TYPE_CHECKING:
    from rehab.store import Workspace


def _values(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=list(PROVENANCE)).reset_index(drop=True)


def test_an_export_reads_back_as_the_stored_rows(workspace: Workspace) -> None:
    patient = "PT-0105"
    sample = [
        (f"{patient}_{k}.csv", (SAMPLE / f"{patient}_{k}.csv").read_bytes())
        for k in ("sessions", "pain")
    ]
    odd = [
        # Text that CSV must quote, an exercise the library does not know, a set number,
        # a red flag, a time zone, and a decimal that must not be rounded.
        [
            patient,
            "2026-11-21",
            "07:05",
            "Wall sit",
            "3",
            "12.5",
            "",
            "2",
            "",
            'said "ok", then\nstopped',
        ],
        [patient, "2026-11-21", "07:30", "Back Extension", "", "10", "15", "", "3", "numb leg"],
    ]
    workspace.import_files(
        [
            *sample,
            ("extra_sessions.csv", csv_bytes(("Patient", *SESSION_HEADER), odd)),
            (
                "extra_pain.csv",
                csv_bytes(
                    ("Patient", *PAIN_HEADER, "Red flag", "Timezone"),
                    [[patient, "2026-11-21", "", "0.5", "", "", "yes", "Europe/Paris"]],
                ),
            ),
            ("PT-OTHER_pain.csv", csv_bytes(PAIN_HEADER, [["2026-11-21", "08:00", "3", "no", ""]])),
        ]
    )
    files = workspace.export_csv(patient)
    assert list(files) == [f"{patient}_sessions.csv", f"{patient}_pain.csv"]
    for data in files.values():
        header = data.decode("utf-8-sig").splitlines()[0].split(",")
        assert header[0] == "patient_id"
        assert header[-1] == "disclaimer"
        assert DISCLAIMER.split(";")[0].encode() in data
    # Imported under other names: the rows say whose they are.
    again = import_files([(f"export-{i}.csv", data) for i, data in enumerate(files.values())])
    assert again.exit_code == 0
    pd.testing.assert_frame_equal(_values(again.sessions), _values(workspace.sessions(patient)))
    pd.testing.assert_frame_equal(_values(again.pain), _values(workspace.pain(patient)))
    assert workspace.sessions(patient)["exercise_known"].value_counts()[False] == 1
    assert again.pain["red_flag"].sum() == 1


def test_a_patient_without_pain_rows_gets_only_a_sessions_file(workspace: Workspace) -> None:
    workspace.import_files(
        [
            (
                "Ann Lee_sessions.csv",
                csv_bytes(SESSION_HEADER, [["2026-09-02", "08:00", "Core", "1", "10", "8", "", "", ""]]),
            )
        ]
    )
    assert list(workspace.export_csv("Ann Lee")) == ["Ann_Lee_sessions.csv"]
    assert workspace.export_csv("nobody") == {}


def test_text_a_spreadsheet_would_run_is_neutralised_in_the_export(workspace: Workspace) -> None:
    formula = '=HYPERLINK("http://example.test","x")'
    workspace.import_files(
        [("PT-9_pain.csv", csv_bytes(PAIN_HEADER, [["2026-09-02", "08:00", "3", "no", formula]]))]
    )
    data = workspace.export_csv("PT-9")["PT-9_pain.csv"]
    assert b"'=HYPERLINK" in data
    (note,) = import_files([("PT-9_pain.csv", data)]).pain["notes"]
    assert note == "'" + formula  # documented: the quote stays when read back


def test_the_export_names_and_one_kind_at_a_time_match_the_whole_export(workspace: Workspace) -> None:
    # The patient page offers the downloads from export_names and writes a file only when
    # asked (export_csv of that kind): the same names and the same bytes as the whole export.
    workspace.import_files(
        [
            *[
                (f"PT-0105_{k}.csv", (SAMPLE / f"PT-0105_{k}.csv").read_bytes())
                for k in ("sessions", "pain")
            ],
            (
                "Ann Lee_sessions.csv",
                csv_bytes(SESSION_HEADER, [["2026-09-02", "08:00", "Core", "1", "10", "8", "", "", ""]]),
            ),
        ]
    )
    for patient in ("PT-0105", "Ann Lee", "nobody"):
        whole = workspace.export_csv(patient)
        names = workspace.export_names(patient)
        assert list(names) == list(whole)
        for name, kind in names.items():
            assert workspace.export_csv(patient, [kind]) == {name: whole[name]}
    assert list(workspace.export_names("PT-0105").values()) == ["sessions", "pain"]
    assert workspace.export_names("nobody") == {}
