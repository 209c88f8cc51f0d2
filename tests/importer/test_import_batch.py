import json

from rehab.importer import ImportBatch, ImportOptions, import_file, import_files
from rehab.schema import empty_frame

SESSIONS = b"Date,Exercise,Pain before,Pain after\n2026-09-01,Core,4,3\n2026-09-02,Core,3,3\n"
PAIN = b"Date,Pain\n2026-09-01,4\n2026-09-02,3\n"
BAD_ROW = b"Date,Pain\n2026-09-01,4\n2026-09-02,12\n"


def test_batch_concatenates_accepted_rows_of_every_file():
    batch = import_files([("A_sessions.csv", SESSIONS), ("A_pain.csv", PAIN), ("B_pain.csv", PAIN)])
    assert len(batch.sessions) == 2
    assert batch.pain["patient_id"].tolist() == ["A", "A", "B", "B"]
    assert batch.pain.dtypes.to_dict() == empty_frame("pain").dtypes.to_dict()
    assert batch.exit_code == 0


def test_exit_code_is_1_when_rows_are_rejected_and_2_when_a_file_is_unusable():
    assert import_files([("A_pain.csv", BAD_ROW)]).exit_code == 1
    assert import_files([("A_pain.csv", BAD_ROW), ("x.csv", b"")]).exit_code == 2
    assert import_files([]).exit_code == 0


def test_report_json_has_the_issue_shape():
    batch = import_files([("S1_pain.csv", BAD_ROW)], ImportOptions())
    payload = batch.report_json()
    json.dumps(payload)
    (file,) = payload["files"]
    assert {"file", "kind", "rows", "accepted", "rejected", "duplicates", "issues"} <= set(file)
    assert (file["file"], file["kind"], file["rows"], file["accepted"], file["rejected"]) == (
        "S1_pain.csv",
        "pain",
        2,
        1,
        1,
    )
    assert file["issues"] == [
        {
            "row": 3,
            "column": "pain",
            "code": "out_of_range",
            "severity": "error",
            "message": "pain is 12; pain is scored 0 to 10; row not imported",
            "count": 1,
            "rows": None,
        }
    ]
    assert file["usable"] is True


def test_empty_batch_has_empty_canonical_frames():
    batch = ImportBatch([])
    assert list(batch.sessions.columns) == list(empty_frame("sessions").columns)
    assert batch.report_json() == {"files": []}


def test_unusable_file_has_empty_frames():
    result = import_file("x.csv", b"\x1f\x8b\x08\x00")
    assert len(result.sessions) == len(result.pain) == len(result.rejected) == 0
    assert not result.report.usable
