import json
from pathlib import Path

import pytest

from rehab.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"

CLEAN = "Date,Pain\n2026-10-01,4\n2026-10-02,3\n"
BAD = "Date,Pain\n2026-10-01,4\n2026-10-02,11\n2026-02-30,3\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_validate_exit_codes(tmp_path, capsys):
    clean = _write(tmp_path, "PT-1_pain.csv", CLEAN)
    bad = _write(tmp_path, "PT-2_pain.csv", BAD)
    empty = _write(tmp_path, "PT-3_pain.csv", "")
    assert main(["validate", str(clean)]) == 0
    assert main(["validate", str(clean), str(bad)]) == 1
    assert main(["validate", str(clean), str(bad), str(empty)]) == 2
    out = capsys.readouterr().out
    assert "PT-2_pain.csv (pain): 3 rows, 1 accepted, 2 rejected, 0 duplicates" in out
    assert "row 3 [pain]" in out


def test_validate_json_follows_the_contract(tmp_path, capsys):
    bad = _write(tmp_path, "PT-2_pain.csv", BAD)
    assert main(["validate", "--json", str(bad)]) == 1
    report = json.loads(capsys.readouterr().out)
    (file,) = report["files"]
    assert {"file", "kind", "rows", "accepted", "rejected", "duplicates", "issues"} <= set(file)
    assert file["rows"] == file["accepted"] + file["rejected"] + file["duplicates"]
    issue = next(i for i in file["issues"] if i["column"] == "pain")
    assert issue == {
        "row": 3,
        "column": "pain",
        "code": "out_of_range",
        "severity": "error",
        "message": issue["message"],
    }


def test_validate_writes_rejected_rows_safe_for_a_spreadsheet(tmp_path, capsys):
    bad = _write(tmp_path, "PT-2_pain.csv", "Date,Pain,Notes\n2026-10-01,12,=HYPERLINK(1)\n")
    out = tmp_path / "fixme.csv"
    assert main(["validate", "--rejected", str(out), str(bad)]) == 1
    text = out.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(1)" in text
    assert "12" in text


def test_summary_json_speaks_for_the_as_of_date(capsys):
    assert main(["summary", "--json", "--as-of", "2026-11-20", str(SAMPLE)]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["as_of"] == "2026-11-20"
    assert "not a diagnosis" in payload["disclaimer"]
    patients = {p["patient_id"]: p for p in payload["patients"]}
    assert len(patients) == 8
    assert payload["patients"][0]["alert"] == "critical"
    recovered = patients["PT-0101"]
    assert recovered["phase"] == "maintenance"
    assert recovered["maintenance_start"] is not None
    assert set(recovered["adherence"]) >= {"overall", "last_7_days", "dose", "by_exercise"}
    assert set(recovered["pain"]) >= {
        "baseline",
        "current",
        "change",
        "change_pct",
        "mcid_reached",
        "mcid_date",
    }


def test_summary_settings_can_be_changed(capsys):
    assert main(["summary", "--json", "--as-of", "2026-11-20", str(SAMPLE)]) == 0
    default = json.loads(capsys.readouterr().out)
    assert (
        main(
            [
                "summary",
                "--json",
                "--as-of",
                "2026-11-20",
                "--set",
                "low_adherence_below=0.2",
                str(SAMPLE),
            ]
        )
        == 0
    )
    relaxed = json.loads(capsys.readouterr().out)

    def flagged(payload):
        return {
            p["patient_id"]
            for p in payload["patients"]
            if any(f["code"] == "low_adherence" for f in p["flags"])
        }

    assert "PT-0102" in flagged(default)
    assert "PT-0102" not in flagged(relaxed)


def test_summary_refuses_an_invalid_setting():
    with pytest.raises(SystemExit, match="severe_pain"):
        main(["summary", "--set", "severe_pain=12", str(SAMPLE)])


def test_summary_table_is_readable(capsys):
    assert main(["summary", "--as-of", "2026-11-20", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "As of 2026-11-20"
    assert lines[1].split()[:3] == ["patient", "alert", "phase"]
    assert lines[3].startswith("PT-0107  Critical")
    assert "not a diagnosis" in out


def test_sample_writes_a_cohort(tmp_path, capsys):
    assert main(["sample", "--out", str(tmp_path), "--patients", "3", "--days", "20"]) == 0
    assert len(list(tmp_path.glob("*.csv"))) == 6


def test_missing_file_is_a_clear_error(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope.csv")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_docs_are_up_to_date(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["docs", "--check"]) == 0


def test_report_writes_one_pdf_per_patient(tmp_path, capsys):
    out = tmp_path / "reports"
    files = [str(SAMPLE / "PT-0105_pain.csv"), str(SAMPLE / "PT-0105_sessions.csv")]
    assert main(["report", "--as-of", "2026-11-20", "--out", str(out), *files]) == 0
    (pdf,) = out.iterdir()
    assert pdf.name == "PT-0105.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
