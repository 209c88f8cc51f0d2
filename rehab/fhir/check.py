"""Checks of a Bundle rehab writes: the FHIR R4 structure, and what a model library does not check.

``fhir.resources`` (its R4B models: R4B shares R4's Observation, Patient, Flag and
QuestionnaireResponse; its default models are R5) checks types, cardinalities and value
formats. On top: pain scores within 0-10, LOINC codes under the LOINC system URI, the codes
each kind of entry requires, a subject on every clinical resource, and references that
resolve inside the Bundle.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final

from pydantic import ValidationError

from rehab.fhir import codes

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["bundle_problems", "resource_problems"]

_LOINC_LIKE: Final = re.compile(r"^(?:LA|LP|LL)?\d{1,7}-\d$")
_PAIN_COMPONENTS: Final = frozenset({"pain-before", "pain-after"})
_SUBJECT_TYPES: Final = frozenset({"Observation", "Flag", "QuestionnaireResponse"})


def _codings(value: Any) -> Iterator[dict[str, Any]]:
    """Every Coding anywhere inside ``value`` (dicts with a ``code`` and maybe a ``system``)."""
    if isinstance(value, dict):
        if (
            "code" in value
            and isinstance(value.get("code"), str)
            and ("system" in value or "display" in value)
        ):
            yield value
        for item in value.values():
            yield from _codings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _codings(item)


def _score(holder: dict[str, Any]) -> float | None:
    if "valueInteger" in holder:
        return float(holder["valueInteger"])
    quantity = holder.get("valueQuantity")
    if isinstance(quantity, dict) and isinstance(quantity.get("value"), int | float):
        return float(quantity["value"])
    return None


def _codes(concept: Any) -> set[tuple[str, str]]:
    if not isinstance(concept, dict):
        return set()
    return {
        (str(c.get("system")), str(c.get("code")))
        for c in concept.get("coding", [])
        if isinstance(c, dict)
    }


def _observation_problems(resource: dict[str, Any]) -> list[str]:
    found = _codes(resource.get("code"))
    problems = []
    if not any(system and code for system, code in found):
        problems.append("an Observation needs a coded code (system and code)")
    if {(codes.LOINC, c) for c in codes.PAIN_CODES} & found:
        score = _score(resource)
        if score is None or not 0 <= score <= 10:
            problems.append("a pain Observation needs a value from 0 to 10")
    if (codes.LOINC, codes.EXERCISE_ACTIVITY) in found and "valueCodeableConcept" not in resource:
        problems.append("an exercise Observation (73985-4) needs the exercise as valueCodeableConcept")
    for component in resource.get("component", []):
        if _codes(component.get("code")) & {(codes.COMPONENT, c) for c in _PAIN_COMPONENTS}:
            score = _score(component)
            if score is None or not 0 <= score <= 10:
                problems.append("pain before or after an exercise must be from 0 to 10")
    return problems


def resource_problems(resource: dict[str, Any]) -> list[str]:
    """Return what is wrong with one resource beyond its FHIR structure (empty: nothing)."""
    kind = resource.get("resourceType")
    problems = [
        f"LOINC code {coding['code']} has system {coding.get('system')!r}, not {codes.LOINC}"
        for coding in _codings(resource)
        if _LOINC_LIKE.match(coding["code"]) and coding.get("system") != codes.LOINC
    ]
    if kind in _SUBJECT_TYPES and not isinstance(resource.get("subject"), dict):
        problems.append(f"a {kind} needs a subject")
    if kind == "Observation":
        problems.extend(_observation_problems(resource))
    elif kind == "Patient":
        systems = {i.get("system") for i in resource.get("identifier", []) if isinstance(i, dict)}
        if codes.PATIENT_ID not in systems:
            problems.append(f"the Patient needs an identifier in {codes.PATIENT_ID}")
    elif kind == "Flag" and not {s for s, _ in _codes(resource.get("code"))} & {codes.RULE}:
        problems.append(f"a Flag needs its rule id in {codes.RULE}")
    return problems


def _references(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        if isinstance(value.get("reference"), str):
            yield value["reference"]
        for item in value.values():
            yield from _references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)


def _structure_problems(bundle: dict[str, Any]) -> list[str]:
    from fhir.resources.R4B.bundle import Bundle

    try:
        Bundle.model_validate(bundle)
    except ValidationError as error:
        return [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()[:20]]
    return []


def bundle_problems(bundle: dict[str, Any]) -> list[str]:
    """Return every problem of a Bundle rehab is about to write (empty list: valid).

    Parameters
    ----------
    bundle
        The Bundle as a JSON-ready dict.

    Returns
    -------
    list of str
        FHIR R4 structure errors (from ``fhir.resources``' R4B models), then rehab's own
        checks per entry, each naming the entry (``entry[3]``).
    """
    problems = _structure_problems(bundle)
    entries = bundle.get("entry", [])
    urls = {entry.get("fullUrl") for entry in entries}
    for index, entry in enumerate(entries):
        resource = entry.get("resource", {})
        if entry.get("fullUrl") != f"urn:uuid:{resource.get('id')}":
            problems.append(f"entry[{index}]: fullUrl is not urn:uuid:<resource id>")
        problems.extend(f"entry[{index}]: {problem}" for problem in resource_problems(resource))
        problems.extend(
            f"entry[{index}]: reference {target} is not in the Bundle"
            for target in _references(resource)
            if target not in urls
        )
    return problems
