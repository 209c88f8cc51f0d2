"""Round trip on the demo cohort (plus questionnaires): exporting every patient and importing
the Bundles gives the same ``rehab summary --json`` as the CSV logs, and each flag still points
at its evidence."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from rehab.cli import main
from rehab.fhir import codes
from tests.fhir.conftest import AS_OF

if TYPE_CHECKING:
    import pytest

    from tests.fhir.conftest import Demo


def _summary(capsys: pytest.CaptureFixture[str], folder: Any) -> dict[str, Any]:
    code = main(["summary", "--json", "--as-of", AS_OF.isoformat(), str(folder)])
    assert code == 0
    loaded: dict[str, Any] = json.loads(capsys.readouterr().out)
    return loaded


def _flag_rows(summary: dict[str, Any]) -> dict[tuple[str, str], list[list[Any]]]:
    rows = {}
    for patient in summary["patients"]:
        for flag in patient["flags"]:
            rows[patient["patient_id"], flag["code"]] = flag.pop("rows")
    return rows


def test_the_summary_of_the_exported_bundles_is_the_summary_of_the_logs(
    demo: Demo, capsys: pytest.CaptureFixture[str]
) -> None:
    from_csv = _summary(capsys, demo.logs)
    from_fhir = _summary(capsys, demo.folder)
    csv_rows, fhir_rows = _flag_rows(from_csv), _flag_rows(from_fhir)
    assert any(p["flags"] for p in from_csv["patients"])
    assert {p["patient_id"] for p in from_csv["patients"] if p["measures"]} >= {"PT-0101", "PT-0107"}
    assert "start_back_high_risk" in {code for _, code in csv_rows}
    # Everything is the same but where a flag's evidence is: CSV rows there, Bundle entries here.
    assert from_fhir == from_csv
    assert csv_rows.keys() == fhir_rows.keys()
    for (patient_id, code), rows in fhir_rows.items():
        bundle = demo.bundle(demo.folder / f"{patient_id}.fhir.json")
        sources = []
        for file, entry in rows:
            assert file == f"{patient_id}.fhir.json"
            resource = bundle["entry"][entry - 1]["resource"]
            # A list on an Observation; one Identifier on a QuestionnaireResponse (R4).
            listed = resource["identifier"]
            listed = listed if isinstance(listed, list) else [listed]
            (identifier,) = [i["value"] for i in listed if i["system"] == codes.SOURCE_ROW]
            source_file, _, row = identifier.rpartition("#")
            sources.append([source_file, int(row)])
        assert sorted(sources) == sorted(csv_rows[patient_id, code]), patient_id
