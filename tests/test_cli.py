import json
import zipfile
from datetime import date
from pathlib import Path

import pytest

from rehab.cli import build_parser, import_options, main

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
        "count": 1,
        "rows": None,
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


# --- archives, files with no usable row, and the reading options (issue 8) -------------


def _zip(path: Path, entries: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return path


def test_validate_reads_a_zip_as_the_app_does(tmp_path, capsys):
    archive = _zip(
        tmp_path / "clinic.zip",
        {"logs/PT-1_pain.csv": CLEAN, "logs/PT-2_pain.csv": BAD, "__MACOSX/._PT-1_pain.csv": "x"},
    )
    assert main(["validate", str(archive)]) == 1
    captured = capsys.readouterr()
    assert "PT-1_pain.csv (pain): 2 rows, 2 accepted" in captured.out
    assert "PT-2_pain.csv (pain): 3 rows, 1 accepted, 2 rejected" in captured.out
    assert "1 entries that are not CSV files were skipped" in captured.err


def test_summary_of_a_zip_equals_the_summary_of_its_files(tmp_path, capsys):
    entries = {p.name: p.read_text(encoding="utf-8") for p in sorted(SAMPLE.glob("*.csv"))}
    archive = _zip(tmp_path / "cohort.zip", entries)
    assert main(["summary", "--json", "--as-of", "2026-11-20", str(SAMPLE)]) == 0
    from_folder = json.loads(capsys.readouterr().out)
    assert main(["summary", "--json", "--as-of", "2026-11-20", str(archive)]) == 0
    from_zip = json.loads(capsys.readouterr().out)
    assert from_zip == from_folder
    # A folder holding the archive reads it too.
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "cohort.zip").write_bytes(archive.read_bytes())
    assert main(["summary", "--json", "--as-of", "2026-11-20", str(folder)]) == 0
    assert json.loads(capsys.readouterr().out) == from_folder


def test_summary_fails_and_points_to_validate_when_no_row_of_a_file_was_used(tmp_path, capsys):
    good = _write(tmp_path, "PT-1_pain.csv", CLEAN)
    useless = _write(tmp_path, "PT-2_pain.csv", "Date,Pain\n2026-10-01,11\n2026-10-02,12\n")
    assert main(["summary", "--as-of", "2026-10-03", str(good), str(useless)]) == 2
    captured = capsys.readouterr()
    assert "PT-1" in captured.out
    assert "no row of PT-2_pain.csv could be used" in captured.err
    assert "rehab validate PT-2_pain.csv" in captured.err
    # Some rejected rows are not a failure of the summary: validate reports them.
    partly = _write(tmp_path, "PT-3_pain.csv", BAD)
    assert main(["summary", "--as-of", "2026-10-03", str(good), str(partly)]) == 0
    assert capsys.readouterr().err == ""


FORM = "Timestamp,How bad is your back pain right now?\n10/1/2026 8:05:14,4\n10/13/2026 8:11:02,3\n"


def test_map_reads_a_question_header_as_a_column(tmp_path, capsys):
    form = _write(tmp_path, "PT-7_form.csv", FORM)
    assert main(["validate", str(form)]) == 2
    capsys.readouterr()
    assert main(["validate", "--map", "How bad is your back pain right now?=pain", str(form)]) == 0
    out = capsys.readouterr().out
    assert "PT-7_form.csv (pain): 2 rows, 2 accepted" in out
    assert "'How bad is your back pain right now?' as pain" in out


def test_map_refuses_a_column_rehab_does_not_have(tmp_path, capsys):
    form = _write(tmp_path, "PT-7_form.csv", FORM)
    with pytest.raises(SystemExit) as stopped:
        main(["validate", "--map", "How bad?=pain_score", str(form)])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "'pain_score' is not a column of rehab" in err
    assert "pain_before" in err


LONG = (
    "name,timestamp,value\n"
    "Steps,2026-10-01T08:00:00,5012\n"
    "Back ache,2026-10-01T08:05:00,4\n"
    "Back ache,2026-10-02T08:05:00,3\n"
)


def test_long_and_series_read_one_series_of_a_long_file(tmp_path, capsys):
    long = _write(tmp_path, "PT-8_tracker.csv", LONG)
    assert main(["validate", "--long", "auto", str(long)]) == 2
    assert "No series in column 'name'" in capsys.readouterr().out
    assert main(["validate", "--series", "Back ache=pain", str(long)]) == 0
    out = capsys.readouterr().out
    assert "PT-8_tracker.csv (pain): 2 rows, 2 accepted" in out
    assert "1 row of other series was left out: Steps (1)" in out
    assert main(["validate", "--long", "name,value", "--series", "back ache=pain", str(long)]) == 0
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["validate", "--long", "name", str(long)])


def test_reading_options_reach_the_importer():
    args = build_parser().parse_args(
        [
            "validate",
            "--tz",
            "Europe/Berlin",
            "--date-system",
            "1904",
            "--date-order",
            "dmy",
            "--map",
            "Q1=pain",
            "--series",
            "Back ache=pain",
            "x.csv",
        ]
    )
    options = import_options(args, date(2026, 11, 20))
    assert options.timezone == "Europe/Berlin"
    assert options.date_system == "1904"
    assert options.date_order == "dmy"
    assert options.mapping == (("Q1", "pain"),)
    assert options.series == (("Back ache", "pain"),)
    assert options.long_format
    assert options.long_columns is None
    plain = import_options(build_parser().parse_args(["summary", "x.csv"]), None)
    assert plain.timezone is None
    assert plain.date_system == "1900"
    assert not plain.long_format


def test_tz_must_be_a_real_time_zone(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["validate", "--tz", "Europe/Atlantis", "x.csv"])
    assert "not a time zone" in capsys.readouterr().err


def _pain_days(capsys) -> list[str]:
    payload = json.loads(capsys.readouterr().out)
    (patient,) = payload["patients"]
    return [patient["first_day"], patient["last_log"]]


def test_tz_moves_utc_stamps_to_the_patients_day_east_and_west(tmp_path, capsys):
    # 23:30 UTC on 1 Oct is 01:30 on 2 Oct in Berlin; 02:30 UTC on 2 Oct is 22:30 on 1 Oct
    # in New York.
    late = _write(tmp_path, "PT-1_pain.csv", "Date,Pain\n2026-10-01T23:30:00Z,4\n")
    assert main(["validate", "--json", "--tz", "Europe/Berlin", str(late)]) == 0
    (issue,) = json.loads(capsys.readouterr().out)["files"][0]["issues"]
    assert "Europe/Berlin" in issue["message"]
    early = _write(tmp_path, "PT-2_pain.csv", "Date,Pain\n2026-10-02T02:30:00Z,4\n")
    for path, zone, day in [
        (late, "Europe/Berlin", "2026-10-02"),
        (late, None, "2026-10-01"),
        (early, "America/New_York", "2026-10-01"),
        (early, None, "2026-10-02"),
    ]:
        zone_args = ["--tz", zone] if zone else []
        assert main(["summary", "--json", "--as-of", "2026-10-05", *zone_args, str(path)]) == 0
        assert _pain_days(capsys) == [day, day], (path.name, zone)


def test_date_system_chooses_how_spreadsheet_day_numbers_count(tmp_path, capsys):
    serial = _write(tmp_path, "PT-1_pain.csv", "Date,Pain\n46328,4\n")
    assert main(["summary", "--json", "--as-of", "2030-12-01", str(serial)]) == 0
    # Day 0 is 30 Dec 1899 in the 1900 system (Excel's leap-year quirk included) and
    # 1 Jan 1904 in the 1904 one.
    assert _pain_days(capsys)[0] == "2026-11-02"
    mac = ["--date-system", "1904"]
    assert main(["summary", "--json", "--as-of", "2030-12-01", *mac, str(serial)]) == 0
    assert _pain_days(capsys)[0] == "2030-11-03"


def test_validate_names_every_row_of_a_grouped_issue(tmp_path, capsys):
    # Copies of one row are one issue (issue 10): the text report says which rows.
    log = _write(tmp_path, "PT-3_pain.csv", "Date,Pain\n2026-09-01,4\n2026-09-01,4\n2026-09-01,4\n")
    assert main(["validate", str(log)]) == 0
    assert "warning rows 3-4: Repeats row 2 exactly" in capsys.readouterr().out


def test_dask_only_options_without_the_dask_engine_are_refused(capsys):
    # --out without --engine dask used to be ignored: a user would look for a file never written.
    status = main(["summary", "sample_data", "--as-of", "2026-11-20", "--out", "result.jsonl"])
    assert status == 2
    error = capsys.readouterr().err
    assert "--out" in error
    assert "--engine dask" in error


def test_summary_judges_questionnaire_change_by_the_clinics_settings(capsys):
    def odi_of_pt_0101(*settings: str) -> dict:
        extra = [item for value in settings for item in ("--set", value)]
        assert main(["summary", "--json", "--as-of", "2026-11-20", *extra, "sample_data"]) == 0
        payload = json.loads(capsys.readouterr().out)
        (patient,) = [p for p in payload["patients"] if p["patient_id"] == "PT-0101"]
        return patient["measures"]["odi"]

    assert odi_of_pt_0101()["meaningful"] == "better"  # 40 % -> 2 %: beyond 10 points and 30 %
    stricter = odi_of_pt_0101("odi_mcid_points=50", "odi_mcid_percent=99")
    assert stricter["meaningful"] == ""


def test_a_core_command_loads_no_feature_package_but_every_command_is_listed(tmp_path):
    import subprocess
    import sys

    clean = _write(tmp_path, "PT-1_pain.csv", CLEAN)
    probe = (
        "import sys; from rehab.cli import main; code = main(sys.argv[1:]); "
        "print(code, sorted(m for m in ('rehab.store', 'rehab.analysis') if m in sys.modules))"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe, "validate", str(clean)], capture_output=True, text=True, check=True
    )
    assert run.stdout.splitlines()[-1] == "0 []"
    listed = subprocess.run(
        [sys.executable, "-m", "rehab", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert all(name in listed for name in ("validate", "summary", "workspace", "measures", "export"))


def test_python_m_rehab_writes_all_its_output_and_keeps_the_exit_status(tmp_path):
    import subprocess
    import sys

    bad = _write(tmp_path, "PT-2_pain.csv", BAD)
    rejected = tmp_path / "rejected.csv"
    run = subprocess.run(
        [sys.executable, "-m", "rehab", "validate", "--json", str(bad), "--rejected", str(rejected)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1
    assert json.loads(run.stdout)["files"][0]["rejected"] == 2
    assert "2 rejected rows written" in run.stderr
    assert rejected.read_text(encoding="utf-8").count("\n") == 3


def _pdf_text(pdf: bytes) -> str:
    """Every string the PDF's (deflated) content streams show, joined by spaces."""
    import re
    import zlib

    shown = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            text = zlib.decompress(stream).decode("latin-1")
        except zlib.error:
            continue
        shown += [re.sub(r"\\(.)", r"\1", s) for s in re.findall(r"\(((?:[^()\\]|\\.)*)\) Tj", text)]
    return " ".join(" ".join(shown).split())


def test_report_names_exercises_from_the_library_it_is_given(tmp_path, capsys):
    # A clinic's own library renames Hip Rolls; the PDF must use the clinic's name, as the
    # analysis (which matched the log's names against that library) already does.
    bundled = (ROOT / "rehab" / "library" / "exercises.toml").read_text(encoding="utf-8")
    assert bundled.count('name = "Hip Rolls"') == 1
    clinic = _write(
        tmp_path, "clinic.toml", bundled.replace('name = "Hip Rolls"', 'name = "Knee Rocking"')
    )
    files = [str(SAMPLE / "PT-0105_pain.csv"), str(SAMPLE / "PT-0105_sessions.csv")]
    outputs = {}
    for label, extra in (("bundled", []), ("clinic", ["--library", str(clinic)])):
        out = tmp_path / label
        assert (
            main(["report", "--as-of", "2026-11-20", "--jobs", "1", *extra, "--out", str(out), *files])
            == 0
        )
        outputs[label] = _pdf_text((out / "PT-0105.pdf").read_bytes())
    assert "Hip Rolls" in outputs["bundled"]
    assert "Knee Rocking" not in outputs["bundled"]
    assert "Knee Rocking" in outputs["clinic"]
    assert "Hip Rolls" not in outputs["clinic"]
