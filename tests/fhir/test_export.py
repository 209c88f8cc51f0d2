"""FHIR export: every demo Bundle is valid R4 (fhir.resources R4B) and passes our own checks."""

from __future__ import annotations

from copy import deepcopy
from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd
import pytest

from rehab.disclaimer import DISCLAIMER
from rehab.fhir import codes
from rehab.fhir.check import bundle_problems
from rehab.fhir.export import bundle_bytes, patient_bundle, patient_bundle_bytes, write_bundles
from rehab.fhir.measures import measure_resources

if TYPE_CHECKING:
    from tests.fhir.conftest import Demo


def _resources(bundle: dict[str, Any], kind: str, code: str | None = None) -> list[dict[str, Any]]:
    found = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]
    if code is None:
        return found
    return [r for r in found if any(c["code"] == code for c in r["code"]["coding"])]


def test_every_exported_bundle_is_valid_r4_and_passes_our_checks(demo: Demo) -> None:
    assert [p.name for p in demo.files] == [f"PT-010{i}.fhir.json" for i in range(1, 9)]
    for path in demo.files:
        bundle = demo.bundle(path)
        assert bundle["resourceType"] == "Bundle"
        assert bundle["type"] == "collection"
        assert bundle_problems(bundle) == [], path.name


def test_a_bundle_holds_every_row_of_its_patient(demo: Demo) -> None:
    bundle = demo.bundle(demo.folder / "PT-0107.fhir.json")
    pain = demo.batch.pain[demo.batch.pain["patient_id"] == "PT-0107"]
    sessions = demo.batch.sessions[demo.batch.sessions["patient_id"] == "PT-0107"]
    pain_entries = _resources(bundle, "Observation", codes.PAIN_NRS)
    exercise_entries = _resources(bundle, "Observation", codes.EXERCISE_ACTIVITY)
    assert len(pain_entries) == len(pain)
    assert len(exercise_entries) == len(sessions)
    assert sorted(r["valueInteger"] for r in pain_entries) == sorted(int(v) for v in pain["pain"])
    (patient,) = _resources(bundle, "Patient")
    assert patient["identifier"] == [{"system": codes.PATIENT_ID, "value": "PT-0107"}]
    assert DISCLAIMER in patient["text"]["div"]


def test_pain_and_exercise_observations_carry_the_codes_and_the_time(demo: Demo) -> None:
    bundle = demo.bundle(demo.folder / "PT-0101.fhir.json")
    first_pain = _resources(bundle, "Observation", codes.PAIN_NRS)[0]
    # sample_data/PT-0101_pain.csv row 2: 2026-09-02 14:23, pain 6 (no --tz: written as UTC).
    assert first_pain["effectiveDateTime"] == "2026-09-02T14:23:00+00:00"
    assert first_pain["valueInteger"] == 6
    assert first_pain["code"]["coding"][0]["system"] == codes.LOINC
    exercise = _resources(bundle, "Observation", codes.EXERCISE_ACTIVITY)[0]
    categories = {c["coding"][0]["code"] for c in exercise["category"]}
    assert categories == {"activity", "PhysicalActivity"}
    # Row 2 of the session log: Back Extension, 1 set of 10 reps held 15 s, pain 6 -> 5.
    assert exercise["valueCodeableConcept"]["coding"][0] == {
        "system": codes.EXERCISE,
        "code": "back_extension",
        "display": "Back Extension",
    }
    numbers = {
        c["code"]["coding"][0]["code"]: c["valueQuantity"]["value"] for c in exercise["component"]
    }
    assert numbers == {"sets": 1, "reps": 10, "hold-seconds": 15, "pain-before": 6, "pain-after": 5}


def test_flags_are_exported_with_their_rule_and_source(demo: Demo) -> None:
    bundle = demo.bundle(demo.folder / "PT-0107.fhir.json")
    flags = _resources(bundle, "Flag")
    expected = {f.code for f in demo.cohort.patients["PT-0107"].flags}
    assert expected
    assert {f["code"]["coding"][0]["code"] for f in flags} == expected
    red = next(f for f in flags if f["code"]["coding"][0]["code"] == "red_flag_symptom")
    assert red["code"]["coding"][0]["system"] == codes.RULE
    assert "Source:" in red["text"]["div"]
    assert {"system": f"{codes.RULE}:tier", "code": "critical", "display": "Critical"} in [
        c["coding"][0] for c in red["category"]
    ]


def test_export_is_stable_and_written_files_match(demo: Demo) -> None:
    for patient_id in ("PT-0101", "PT-0107"):
        again = patient_bundle_bytes(demo.batch, demo.cohort, patient_id, check=False)
        assert again == (demo.folder / f"{patient_id}.fhir.json").read_bytes()


def test_questionnaires_and_their_flag_are_in_the_bundle(demo: Demo) -> None:
    bundle = demo.bundle(demo.folder / "PT-0101.fhir.json")
    # The demo's own questionnaires (a low-risk STarT Back, four Oswestry forms) sit beside
    # the fixture's high-risk STarT Back of 3 Sep: one response and one score each.
    responses = _resources(bundle, "QuestionnaireResponse")
    assert len(responses) == 6
    (response,) = [r for r in responses if str(r["authored"]).startswith("2026-09-03")]
    assert response["questionnaire"] == "urn:rehab:questionnaire:start_back"
    (score,) = [
        s
        for s in _resources(bundle, "Observation", "start_back")
        if str(s["effectiveDateTime"]).startswith("2026-09-03")
    ]
    assert score["valueQuantity"]["value"] == 8
    assert {
        "code": {"coding": [{"system": codes.MEASURE, "code": "band", "display": "Risk band"}]},
        "valueString": "high",
    } in score["component"]
    assert "start_back_high_risk" in {f["code"]["coding"][0]["code"] for f in _resources(bundle, "Flag")}


def test_write_bundles_refuses_to_write_an_invalid_bundle(demo: Demo, tmp_path: Any) -> None:
    broken = demo.batch.pain.copy()
    broken.loc[0, "pain"] = 12  # only a bug could put this past the importer
    batch = type(
        "Batch",
        (),
        {
            "sessions": demo.batch.sessions.iloc[:0],
            "pain": broken.iloc[:3],
            "measures": demo.batch.measures.iloc[:0],
        },
    )()
    with pytest.raises(ValueError, match="from 0 to 10"):
        write_bundles(batch, demo.cohort, tmp_path)  # type: ignore[arg-type]
    assert not list(tmp_path.iterdir())


def test_a_zone_gives_the_local_offset() -> None:
    pain = pd.DataFrame(
        {"patient_id": ["P"], "date": [pd.Timestamp("2026-07-01")], "time": ["08:30"], "pain": [4.0]}
    )
    from rehab.schema import coerce_frame

    bundle = patient_bundle(
        "P", pain=coerce_frame("pain", pain), as_of=date(2026, 7, 2), timezone="Europe/Berlin"
    )
    (observation,) = _resources(bundle, "Observation")
    assert observation["effectiveDateTime"] == "2026-07-01T08:30:00+02:00"


def _measures() -> pd.DataFrame:
    # The measures frame's contract (TEAM.md "Measures"), built by hand.
    return pd.DataFrame(
        {
            "patient_id": pd.array(["P", "P"], dtype="string"),
            "date": pd.to_datetime(["2026-09-01", "2026-10-01"]),
            "measure": pd.array(["odi", "rmdq"], dtype="string"),
            "version": pd.array(["2.1a", ""], dtype="string"),
            "score": [42.0, float("nan")],
            "band": pd.array(["", ""], dtype="string"),
            "complete": [True, False],
            "subscale": [float("nan"), float("nan")],
            "answers": pd.array(["[2, 3, 1, 2, 3, 2, 2, null, 2, 2]", "[1, 0, null]"], dtype="string"),
            "source_file": pd.array(["m.csv", "m.csv"], dtype="string"),
            "source_row": [2, 3],
        }
    )


def test_questionnaires_become_a_response_and_a_score_observation() -> None:
    bundle = patient_bundle("P", measures=_measures(), as_of=date(2026, 10, 2))
    assert bundle_problems(bundle) == []
    responses = _resources(bundle, "QuestionnaireResponse")
    assert [r["status"] for r in responses] == ["completed", "in-progress"]
    odi = responses[0]
    assert odi["questionnaire"] == "urn:rehab:questionnaire:odi|2.1a"
    assert odi["item"][7] == {"linkId": "item_8"}  # the missing answer has no answer
    assert odi["item"][0]["answer"] == [{"valueInteger": 2}]
    # Only the scored ODI gets a total; the unscored (incomplete) RMDQ has its response only.
    (score,) = _resources(bundle, "Observation")
    assert score["code"]["coding"][0] == {
        "system": codes.LOINC,
        "code": "97909-6",
        "display": "Oswestry disability index score ODI",
    }
    assert score["valueQuantity"]["value"] == 42
    assert score["derivedFrom"] == [{"reference": f"urn:uuid:{odi['id']}"}]


def test_a_measure_without_loinc_code_uses_our_code_system() -> None:
    row = _measures().iloc[1].to_dict() | {"score": 7.0, "complete": True}
    _, observation = measure_resources(row, "subject-id", "response-id")
    assert observation["code"]["coding"][0]["system"] == codes.MEASURE
    assert observation["code"]["coding"][0]["code"] == "rmdq"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda o: o.update(valueInteger=11), "a pain Observation needs a value from 0 to 10"),
        (
            lambda o: o["code"]["coding"][0].update(system="https://loinc.org"),
            "has system 'https://loinc.org'",
        ),
        (lambda o: o.pop("code"), "code"),
        (lambda o: o.update(effectiveDateTime="2026-09-02T14:23:00"), "effectiveDateTime"),
    ],
)
def test_our_checks_catch_what_a_bad_export_would_write(demo: Demo, change: Any, problem: str) -> None:
    bundle = deepcopy(demo.bundle(demo.folder / "PT-0101.fhir.json"))
    bundle["entry"] = bundle["entry"][:3]
    change(bundle["entry"][1]["resource"])
    problems = bundle_problems(bundle)
    assert any(problem in p for p in problems), problems
    with pytest.raises(ValueError, match="not valid"):
        bundle_bytes(bundle)


def test_a_patient_without_our_identifier_is_refused(demo: Demo) -> None:
    bundle = deepcopy(demo.bundle(demo.folder / "PT-0101.fhir.json"))
    bundle["entry"] = bundle["entry"][:2]
    bundle["entry"][0]["resource"]["identifier"] = []
    assert any(codes.PATIENT_ID in p for p in bundle_problems(bundle))
