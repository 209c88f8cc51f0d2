"""FHIR import: real sources' shapes, entry-level answers for bad entries, nothing good lost.

Fixtures in data/ follow real files:
- synthea_pain_transaction.json: a Synthea-style transaction Bundle (Patient with Synthea's and
  the MR identifier, an Encounter, pain as LOINC 72514-3 ``valueQuantity`` in ``{score}``,
  subjects as ``urn:uuid`` references, ``request`` POST per entry). Shapes from Synthea-derived
  pain Observations in hl7-eu/eps (_attic/examples-new/e7d7cc67-...fsh, 1cdebaff-...fsh) and
  Aidbox/examples (samurai-lab/game-of-pools/k6/seed/observation.js).
- Observation.ndjson: bulk-data export, one Observation a line, subjects ``Patient/<id>``
  (the Patients are in another file), with a heart rate and a LOINC 38208-5 ``valueInteger``.
"""

from __future__ import annotations

import json
from copy import deepcopy
from datetime import date
from typing import Any

import pytest

from rehab.fhir.read import import_fhir, looks_like_fhir
from rehab.importer import ImportOptions, import_file, import_files
from rehab.library import load_library
from tests.fhir.conftest import DATA_DIR

LIBRARY = load_library()
SYNTHEA = (DATA_DIR / "synthea_pain_transaction.json").read_bytes()


def _read(name: str, data: bytes, **options: Any) -> Any:
    return import_fhir(name, data, ImportOptions(**options), LIBRARY)


def _counts_add_up(report: Any) -> bool:
    return bool(report.rows == report.accepted + report.rejected + report.duplicates)


def test_a_synthea_transaction_bundle_is_read() -> None:
    result = import_file("synthea.json", SYNTHEA)
    report = result.report
    assert (report.kind, report.rows, report.accepted, report.rejected) == ("bundle", 2, 2, 0)
    # The patient is the first identifier of the Patient the urn:uuid subject points at.
    assert report.patients == ["8499029f-70ec-4919-88a9-938d8ad56397"]
    assert result.pain["pain"].tolist() == [1.0, 2.0]
    # An offset other than UTC keeps the day and time as written.
    assert result.pain["time"].tolist() == ["09:10", "14:40"]
    assert [d.date() for d in result.pain["date"]] == [date(2023, 10, 4), date(2024, 10, 9)]
    (note,) = report.issues
    assert note.code == "ignored_resources"
    assert (
        note.message == "2 entries were left out: rehab reads pain and exercise Observations and "
        "its own questionnaires (Encounter 1, Observation (other codes) 1)."
    )


def test_bulk_ndjson_names_patients_from_references_and_counts_lines() -> None:
    data = (DATA_DIR / "Observation.ndjson").read_bytes()
    result = _read("Observation.ndjson", data, timezone="America/New_York")
    report = result.report
    assert (report.rows, report.accepted) == (2, 2)
    assert report.patients == [
        "b2c4e6a8-0000-4a5b-9c1d-2e3f4a5b6c7d",
        "fd7382da-c790-4b9d-bc2e-b4265a00a7f1",
    ]
    assert result.pain["source_row"].tolist() == [1, 3]  # line numbers
    # UTC stamps moved to the patient's zone: 11:07 UTC is 06:07 in New York.
    assert result.pain["time"].tolist() == ["06:07", "16:30"]


def test_utc_stamps_without_a_zone_stay_on_the_utc_day_with_one_warning() -> None:
    data = (DATA_DIR / "Observation.ndjson").read_bytes()
    report = _read("Observation.ndjson", data).report
    utc = [i for i in report.issues if i.code == "utc_time"]
    assert len(utc) == 1
    assert utc[0].message.startswith("Lines 1, 3: the time is stamped in UTC")


def _synthea_with(change: Any) -> bytes:
    bundle = json.loads(SYNTHEA)
    change(bundle)
    return json.dumps(bundle).encode()


def _pain(bundle: dict[str, Any], index: int) -> dict[str, Any]:
    resource: dict[str, Any] = bundle["entry"][index]["resource"]
    return resource


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [
        (
            lambda b: _pain(b, 2)["valueQuantity"].update(value=11),
            "out_of_range",
            "Entry 3: the pain score is 11; pain is scored 0 to 10",
        ),
        (lambda b: _pain(b, 2).pop("effectiveDateTime"), "missing_date", "Entry 3: it has no date"),
        (
            lambda b: _pain(b, 2).update(effectiveDateTime="2023-10"),
            "bad_date",
            "only a year or a month",
        ),
        (
            lambda b: _pain(b, 2).update(valueString="mild", valueQuantity=None),
            "value_type",
            "is a valueString, not a number",
        ),
        (lambda b: _pain(b, 2).update(status="entered-in-error"), "status", "entered-in-error"),
        (
            lambda b: b["entry"].insert(0, {"fullUrl": "x"}),
            "not_resource",
            "Entry 1: it holds no FHIR resource",
        ),
    ],
)
def test_a_bad_entry_gets_an_entry_level_answer_and_the_good_one_is_kept(
    change: Any, code: str, words: str
) -> None:
    result = _read("synthea.json", _synthea_with(change))
    report = result.report
    assert report.usable
    assert _counts_add_up(report)
    assert report.rejected == 1
    # Only the broken entry is lost (the not_resource case adds one and loses none).
    assert result.pain["pain"].tolist() == ([1.0, 2.0] if code == "not_resource" else [2.0])
    (issue,) = [i for i in report.issues if i.severity == "error"]
    assert issue.code == code
    assert words in issue.message
    assert result.rejected["row"].tolist() == [issue.row]
    assert result.rejected["problem"].iloc[0] in issue.message


def test_repeated_entries_are_counted_once() -> None:
    def double(bundle: dict[str, Any]) -> None:
        bundle["entry"].append(deepcopy(bundle["entry"][2]))

    report = _read("synthea.json", _synthea_with(double)).report
    assert (report.rows, report.accepted, report.duplicates) == (3, 2, 1)
    (duplicate,) = [i for i in report.issues if i.code == "duplicate_row"]
    assert duplicate.message == "Entry 6: repeats entry 3 exactly, so it was counted once."


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\xff\xfe\x00garbage", "not_json"),
        (b"date,pain\n2026-01-01,4\n", "not_json"),
        (b'{"hello": "world"}', "not_fhir"),
        (b'{"resourceType": "Bundle", "entry": {"not": "a list"}}', "not_fhir"),
        (b"", "empty"),
    ],
)
def test_a_file_that_is_not_fhir_is_refused_with_a_reason(data: bytes, code: str) -> None:
    report = _read("upload.json", data).report
    assert not report.usable
    assert [i.code for i in report.issues] == [code]


def test_ndjson_lines_that_are_not_json_are_rejected_by_line() -> None:
    data = (DATA_DIR / "Observation.ndjson").read_bytes() + b"{not json\n"
    result = _read("Observation.ndjson", data)
    assert (result.report.rows, result.report.accepted, result.report.rejected) == (3, 2, 1)
    assert result.report.rejected_rows == "4"


def test_the_importer_routes_json_by_name_or_content() -> None:
    assert looks_like_fhir("x.ndjson", b"")
    assert looks_like_fhir("export", b'\xef\xbb\xbf {"resourceType": "Bundle"}')
    assert not looks_like_fhir("PT-1_pain.csv", b"date,pain\n")
    batch = import_files([("synthea.json", SYNTHEA), ("PT-1_pain.csv", b"date,pain\n2026-01-01,4\n")])
    assert [f.report.kind for f in batch.files] == ["bundle", "pain"]
    assert batch.pain["patient_id"].tolist() == ["8499029f-70ec-4919-88a9-938d8ad56397"] * 2 + ["PT-1"]


def test_questionnaires_rehab_exported_are_read_back_as_measures() -> None:
    from rehab.fhir.export import bundle_bytes, patient_bundle
    from rehab.measures import coerce_measures
    from tests.fhir.test_export import _measures

    measures = coerce_measures(_measures())
    bundle = patient_bundle("P", measures=measures, as_of=date(2026, 10, 2))
    result = _read("P.fhir.json", bundle_bytes(bundle))
    report = result.report
    # Two responses are two rows; the ODI's score Observation is read with its response.
    assert (report.rows, report.accepted, report.issues) == (2, 2, [])
    columns = ["patient_id", "date", "measure", "version", "score", "band", "complete", "subscale"]
    assert result.measures[columns].equals(measures[columns])
    assert json.loads(result.measures["answers"].iloc[0]) == [2, 3, 1, 2, 3, 2, 2, None, 2, 2]
    assert result.measures["source_row"].tolist() == [2, 4]  # entry numbers


def test_entries_without_a_subject_belong_to_the_patient_the_file_is_named_after() -> None:
    def drop_subjects(bundle: dict[str, Any]) -> None:
        for entry in bundle["entry"]:
            entry["resource"].pop("subject", None)

    for name in ("PT-0101.fhir.json", "PT-0101_pain.json", "PT-0101.ndjson"):
        assert _read(name, _synthea_with(drop_subjects)).report.patients == ["PT-0101"], name
