"""Questionnaires rehab exported, read back: a QuestionnaireResponse and its score Observation.

Only responses to rehab's own questionnaires (``urn:rehab:questionnaire:<measure>``) are read:
their items hold the answers as numbers, and the score Observation that is ``derivedFrom``
the response holds the total, the band and the subscale as exported. Other
QuestionnaireResponses (another system's forms) are counted and left out.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from rehab.fhir import codes
from rehab.fhir.entries import EntryProblem, ReadRow, as_list, read_day

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["is_rehab_response", "read_response", "score_observations"]


def is_rehab_response(resource: dict[str, Any]) -> bool:
    """Return whether a resource is a QuestionnaireResponse to one of rehab's questionnaires."""
    questionnaire = resource.get("questionnaire")
    return (
        resource.get("resourceType") == "QuestionnaireResponse"
        and isinstance(questionnaire, str)
        and questionnaire.startswith(codes.QUESTIONNAIRE)
    )


def _derived_from(resource: dict[str, Any]) -> list[str]:
    return [
        ref["reference"]
        for ref in as_list(resource.get("derivedFrom"))
        if isinstance(ref, dict) and isinstance(ref.get("reference"), str)
    ]


def _component(resource: dict[str, Any], code: str) -> dict[str, Any] | None:
    for component in as_list(resource.get("component")):
        concept = component.get("code") if isinstance(component, dict) else None
        codings = as_list(concept.get("coding")) if isinstance(concept, dict) else []
        if any(
            isinstance(c, dict) and c.get("system") == codes.MEASURE and c.get("code") == code
            for c in codings
        ):
            return dict(component)
    return None


def _quantity(holder: dict[str, Any] | None) -> float:
    quantity = holder.get("valueQuantity") if isinstance(holder, dict) else None
    value = quantity.get("value") if isinstance(quantity, dict) else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return math.nan
    try:
        number = float(value)
    except OverflowError:
        return math.nan
    return number if math.isfinite(number) else math.nan


def score_observations(
    entries: Iterable[tuple[int, str | None, Any]],
) -> tuple[dict[str, dict[str, Any]], set[int]]:
    """Find the score Observations of rehab's questionnaires.

    Parameters
    ----------
    entries
        ``(number, fullUrl, resource)`` of every entry.

    Returns
    -------
    tuple
        Response reference -> ``{"score", "band", "subscale"}``, and the entry numbers of
        those Observations (read with their response, not on their own).
    """
    responses = {url for _, url, r in entries if isinstance(r, dict) and is_rehab_response(r) and url}
    scores: dict[str, dict[str, Any]] = {}
    used: set[int] = set()
    for number, _, resource in entries:
        if not isinstance(resource, dict) or resource.get("resourceType") != "Observation":
            continue
        targets = [ref for ref in _derived_from(resource) if ref in responses]
        if not targets:
            continue
        band = _component(resource, "band")
        scores[targets[0]] = {
            "score": _quantity(resource),
            "band": str(band.get("valueString", "")) if band else "",
            "subscale": _quantity(_component(resource, "distress-subscale")),
        }
        used.add(number)
    return scores, used


def _finite(number: Any) -> bool:
    try:
        return math.isfinite(float(number))
    except OverflowError:
        return False


def _answers(resource: dict[str, Any]) -> str:
    answers: list[float | int | None] = []
    for item in as_list(resource.get("item")):
        given = as_list(item.get("answer")) if isinstance(item, dict) else []
        value = given[0] if given and isinstance(given[0], dict) else {}
        number = value.get("valueInteger", value.get("valueDecimal"))
        valid = isinstance(number, int | float) and not isinstance(number, bool)
        answers.append(number if valid and _finite(number) else None)
    return json.dumps(answers)


def read_response(
    resource: dict[str, Any], full_url: str | None, scores: dict[str, dict[str, Any]]
) -> ReadRow:
    """Return the measures row of one of rehab's QuestionnaireResponses (``EntryProblem`` if none)."""
    target = str(resource["questionnaire"]).removeprefix(codes.QUESTIONNAIRE)
    measure, _, version = target.partition("|")
    if not measure:
        raise EntryProblem("missing_value", "its questionnaire names no measure", "measure")
    authored = resource.get("authored")
    if authored is None:
        raise EntryProblem("missing_date", "it has no date (authored)", "date")
    day = read_day(authored)
    found = scores.get(full_url or "", {"score": math.nan, "band": "", "subscale": math.nan})
    values = {
        "date": day.isoformat(),
        "measure": measure,
        "version": version,
        "complete": resource.get("status") == "completed",
        "answers": _answers(resource),
        **found,
    }
    return ReadRow("measures", values)
