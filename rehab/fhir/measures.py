"""Scored questionnaires (the measures frame) as QuestionnaireResponse + an Observation.

The QuestionnaireResponse keeps the item answers as entered (numbers; a missing answer is an
item without an answer); the Observation carries the total, with the LOINC code where one
exists (:data:`rehab.fhir.codes.MEASURE_LOINC`), else rehab's measure code system. No
questionnaire text is written: some forms (the Oswestry) are licensed.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any, Final

from rehab.fhir import codes
from rehab.fhir.resources import JsonDict, content_id, effective, reference

if TYPE_CHECKING:
    from collections.abc import Mapping

TITLES: Final = {
    "psfs": "Patient-Specific Functional Scale",
    "start_back": "Keele STarT Back Screening Tool",
    "rmdq": "Roland-Morris Disability Questionnaire",
    "odi": "Oswestry Disability Index",
    "pain_nrs": "Pain 0-10 numeric rating scale",
}
_UNITS: Final = {"odi": "%"}


def _answers(text: object) -> list[Any]:
    try:
        loaded = json.loads(str(text)) if isinstance(text, str) and text else []
    except ValueError:
        return []
    return loaded if isinstance(loaded, list) else []


def _item(index: int, answer: object) -> JsonDict:
    item: JsonDict = {"linkId": f"item_{index}"}
    if isinstance(answer, bool) or not isinstance(answer, int | float) or math.isnan(answer):
        return item
    value = (
        {"valueInteger": int(answer)} if float(answer).is_integer() else {"valueDecimal": float(answer)}
    )
    item["answer"] = [value]
    return item


def _code(measure: str) -> JsonDict:
    title = TITLES.get(measure, measure)
    if measure in codes.MEASURE_LOINC:
        code, display = codes.MEASURE_LOINC[measure]
        coding = [{"system": codes.LOINC, "code": code, "display": display}]
    else:
        coding = [{"system": codes.MEASURE, "code": measure, "display": title}]
    return {"coding": coding, "text": title}


def _score(measure: str, score: float) -> JsonDict:
    unit = _UNITS.get(measure, "{score}")
    value = int(score) if float(score).is_integer() else round(float(score), 4)
    return {"valueQuantity": {"value": value, "unit": unit, "system": codes.UCUM, "code": unit}}


def _components(row: Mapping[str, Any]) -> list[JsonDict]:
    components: list[JsonDict] = []
    band = str(row.get("band") or "")
    if band and band != "<NA>":
        code = {"coding": [{"system": codes.MEASURE, "code": "band", "display": "Risk band"}]}
        components.append({"code": code, "valueString": band})
    subscale = row.get("subscale")
    if isinstance(subscale, int | float) and not math.isnan(subscale):
        code = {
            "coding": [
                {"system": codes.MEASURE, "code": "distress-subscale", "display": "Distress subscale"}
            ]
        }
        components.append(
            {
                "code": code,
                "valueQuantity": {
                    "value": _number(subscale),
                    "unit": "{score}",
                    "system": codes.UCUM,
                    "code": "{score}",
                },
            }
        )
    return components


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def response_content(row: Mapping[str, Any]) -> tuple[object, ...]:
    """Return what a questionnaire row is (for its stable id): measure, version, day, answers."""
    day = effective(row["date"], None, None)
    return (row["measure"], row.get("version") or "", day, json.dumps(_answers(row.get("answers"))))


def measure_resources(row: Mapping[str, Any], subject: str, response_id: str) -> list[JsonDict]:
    """Return the QuestionnaireResponse of one measures row and, when scored, its total.

    Parameters
    ----------
    row
        One row of the measures frame (``rehab.measures.schema.empty_measures`` columns).
    subject
        The Patient's resource id in the Bundle.
    response_id
        The QuestionnaireResponse's id (unique in the Bundle; see :func:`response_content`).

    Returns
    -------
    list of dict
        ``[QuestionnaireResponse]`` or ``[QuestionnaireResponse, Observation]``.
    """
    measure = str(row["measure"])
    version = str(row.get("version") or "")
    day = effective(row["date"], None, None)
    answers = _answers(row.get("answers"))
    response_id = content_id(
        "QuestionnaireResponse", subject, measure, version, day, json.dumps(answers)
    )
    response: JsonDict = {
        "resourceType": "QuestionnaireResponse",
        "id": response_id,
        "questionnaire": f"{codes.QUESTIONNAIRE}{measure}" + (f"|{version}" if version else ""),
        "status": "completed" if bool(row.get("complete", False)) else "in-progress",
        "subject": reference(subject),
        "authored": day,
        "item": [_item(index, answer) for index, answer in enumerate(answers, start=1)],
    }
    if not response["item"]:
        del response["item"]
    source_file, source_row = row.get("source_file"), row.get("source_row")
    if isinstance(source_file, str) and source_file and isinstance(source_row, int | float):
        response["identifier"] = {
            "system": codes.SOURCE_ROW,
            "value": f"{source_file}#{int(source_row)}",
        }
    score = row.get("score")
    if not isinstance(score, int | float) or math.isnan(score):
        return [response]
    observation: JsonDict = {
        "resourceType": "Observation",
        "id": content_id("Observation", response_id),
        "status": "final",
        "category": [
            {"coding": [{"system": codes.OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}
        ],
        "code": _code(measure),
        "subject": reference(subject),
        "effectiveDateTime": day,
        "derivedFrom": [reference(response_id)],
        **_score(measure, float(score)),
    }
    components = _components(row)
    if components:
        observation["component"] = components
    return [response, observation]
