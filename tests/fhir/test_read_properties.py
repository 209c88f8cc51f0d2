"""The FHIR reader never raises, whatever the bytes, and accounts for every entry it reads."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rehab.fhir.read import import_fhir
from rehab.importer import ImportOptions
from rehab.library import load_library

LIBRARY = load_library()

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False),
    st.sampled_from(
        [
            "72514-3",
            "38208-5",
            "73985-4",
            "http://loinc.org",
            "Patient/1",
            "2026-09-01T08:00:00Z",
            "2026-13-40",
            "Z",
        ]
    ),
    st.text(max_size=12),
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.text(max_size=8)
            | st.sampled_from(
                [
                    "resourceType",
                    "code",
                    "coding",
                    "system",
                    "valueInteger",
                    "valueQuantity",
                    "value",
                    "subject",
                    "reference",
                    "effectiveDateTime",
                    "component",
                    "valueCodeableConcept",
                    "identifier",
                    "note",
                ]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=25,
)


def _observation(code: str, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
        **body,
    }


def _response(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": "urn:rehab:questionnaire:odi",
        **body,
    }


_FIELDS = st.sampled_from(
    [
        "status",
        "subject",
        "effectiveDateTime",
        "valueInteger",
        "valueQuantity",
        "component",
        "note",
        "valueCodeableConcept",
        "derivedFrom",
        "item",
        "authored",
    ]
)
_RESOURCES = st.one_of(
    _JSON,
    st.builds(
        _observation,
        st.sampled_from(["72514-3", "38208-5", "73985-4"]),
        st.dictionaries(_FIELDS, _JSON, max_size=5),
    ),
    st.dictionaries(_FIELDS, _JSON, max_size=5).map(_response),
)
_BUNDLES = st.lists(
    st.one_of(
        st.tuples(st.text(max_size=6) | st.none(), _RESOURCES).map(
            lambda p: {"fullUrl": p[0], "resource": p[1]}
        ),
        _JSON,
    ),
    max_size=6,
).map(lambda entries: {"resourceType": "Bundle", "type": "collection", "entry": entries})


def _check(data: bytes) -> None:
    result = import_fhir("upload.json", data, ImportOptions(timezone="Europe/Berlin"), LIBRARY)
    report = result.report
    assert report.rows == report.accepted + report.rejected + report.duplicates
    assert len(result.rejected) == report.rejected
    assert len(result.pain) + len(result.sessions) == report.accepted


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_BUNDLES)
def test_any_bundle_shaped_json_is_read_without_raising(bundle: dict[str, Any]) -> None:
    _check(json.dumps(bundle).encode())


@settings(max_examples=40, deadline=None)
@given(st.lists(_RESOURCES, max_size=5))
def test_any_ndjson_is_read_without_raising(lines: list[Any]) -> None:
    _check("\n".join(json.dumps(line) for line in lines).encode())


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_bytes_are_read_without_raising(data: bytes) -> None:
    _check(data)
