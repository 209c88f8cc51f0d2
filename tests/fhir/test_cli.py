"""``rehab export fhir``: one checked Bundle per patient, times with the patient's offset."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from rehab.cli import main
from rehab.fhir.check import bundle_problems

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

PAIN = "patient_id,date,time,pain\nPT-1,2026-07-01,08:30,4\nPT-2,2026-01-10,21:00,6\n"


def test_export_writes_one_bundle_per_patient_with_the_zone_offset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    logs = tmp_path / "pain.csv"
    logs.write_text(PAIN, encoding="utf-8")
    out = tmp_path / "out"
    code = main(
        [
            "export",
            "fhir",
            "--out",
            str(out),
            "--as-of",
            "2026-07-02",
            "--tz",
            "Europe/Berlin",
            str(logs),
        ]
    )
    assert code == 0
    assert "wrote 2 FHIR bundles" in capsys.readouterr().out
    times = {}
    for path in sorted(out.iterdir()):
        bundle = json.loads(path.read_bytes())
        assert bundle_problems(bundle) == []
        (observation,) = [
            e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"
        ]
        times[path.name] = observation["effectiveDateTime"]
    # Summer and winter time in Berlin.
    assert times == {
        "PT-1.fhir.json": "2026-07-01T08:30:00+02:00",
        "PT-2.fhir.json": "2026-01-10T21:00:00+01:00",
    }


def test_export_without_a_zone_says_times_are_written_as_utc(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    logs = tmp_path / "pain.csv"
    logs.write_text(PAIN, encoding="utf-8")
    assert (
        main(["export", "fhir", "--out", str(tmp_path / "out"), "--as-of", "2026-07-02", str(logs)]) == 0
    )
    assert "no --tz given" in capsys.readouterr().err
    bundle = json.loads((tmp_path / "out" / "PT-1.fhir.json").read_bytes())
    assert bundle["entry"][1]["resource"]["effectiveDateTime"] == "2026-07-01T08:30:00+00:00"
