"""One FHIR R4 resource (a JSON dict) per logged row, flag or patient.

Builders take plain values (a row of an imported frame as a dict) and return the resource;
:mod:`rehab.fhir.export` puts them in a Bundle. Nothing here validates: see
:mod:`rehab.fhir.check`.
"""

from __future__ import annotations

import html
import math
import uuid
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo

import pandas as pd

from rehab.fhir import codes

if TYPE_CHECKING:
    from collections.abc import Mapping

    from rehab.analysis import Flag
    from rehab.library import ExerciseLibrary
    from rehab.settings import Rule

# Fixed namespace: the same content gives the same id in every export (uuid5 of the content).
_NAMESPACE: Final = uuid.UUID("6f1d3c52-8a4e-5b7f-9c2d-3e4f5a6b7c8d")
_UTC: Final = ZoneInfo("UTC")

JsonDict = dict[str, Any]


def content_id(*parts: object) -> str:
    """Return a stable id (uuid5) for the given content: same content, same id."""
    return str(uuid.uuid5(_NAMESPACE, "\x1f".join(str(part) for part in parts)))


def reference(resource_id: str) -> JsonDict:
    """Return a Reference to a resource of the same Bundle (by its ``urn:uuid`` full URL)."""
    return {"reference": f"urn:uuid:{resource_id}"}


def _present(value: object) -> bool:
    if value is None or value is pd.NA:
        return False
    return not (isinstance(value, float) and math.isnan(value))


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def _coding(system: str, code: str, display: str | None = None) -> JsonDict:
    coding: JsonDict = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return coding


def _category(system: str, code: str, display: str) -> list[JsonDict]:
    return [{"coding": [_coding(system, code, display)]}]


def effective(day: date | pd.Timestamp, clock: object, zone: str | None) -> str:
    """Return a FHIR dateTime: the day alone, or day and time with the zone's offset.

    FHIR wants an offset with every time of day; a log's time is the patient's local clock,
    so its offset comes from the patient's zone (``zone``), else the time is written as UTC.
    """
    day = day.date() if isinstance(day, pd.Timestamp) else day
    if not _present(clock) or not str(clock).strip():
        return day.isoformat()
    clock_time = time.fromisoformat(str(clock).strip())
    local = datetime.combine(day, clock_time, tzinfo=ZoneInfo(zone) if zone else _UTC)
    return local.isoformat(timespec="seconds")


def patient(patient_id: str, resource_id: str, disclaimer: str) -> JsonDict:
    """Return the Patient: our id as its identifier, and the disclaimer as its narrative."""
    return {
        "resourceType": "Patient",
        "id": resource_id,
        # Narrative (DomainResource.text) is where FHIR puts text for people; "additional":
        # it says something the structured data does not.
        "text": {
            "status": "additional",
            "div": f'<div xmlns="http://www.w3.org/1999/xhtml"><p>{html.escape(disclaimer)}</p></div>',
        },
        "identifier": [{"system": codes.PATIENT_ID, "value": patient_id}],
    }


def _source_identifier(row: Mapping[str, Any]) -> list[JsonDict]:
    if not _present(row.get("source_file")) or not _present(row.get("source_row")):
        return []
    return [{"system": codes.SOURCE_ROW, "value": f"{row['source_file']}#{int(row['source_row'])}"}]


def _score_value(value: float) -> JsonDict:
    number = _number(value)
    if isinstance(number, int):
        return {"valueInteger": number}
    return {
        "valueQuantity": {"value": number, "unit": "{score}", "system": codes.UCUM, "code": "{score}"}
    }


def _flag_components(row: Mapping[str, Any], names: tuple[str, ...]) -> list[JsonDict]:
    components = []
    for name in names:
        if name in row and _present(row[name]):
            code, display = codes.FLAGS[name]
            components.append(
                {
                    "code": {"coding": [_coding(codes.COMPONENT, code, display)]},
                    "valueBoolean": bool(row[name]),
                }
            )
    return components


def _common(row: Mapping[str, Any], resource_id: str, subject: str, zone: str | None) -> JsonDict:
    row_zone = row.get("timezone")
    return {
        "resourceType": "Observation",
        "id": resource_id,
        "identifier": _source_identifier(row),
        "status": "final",
        "subject": reference(subject),
        "effectiveDateTime": effective(
            row["date"], row.get("time"), row_zone if _present(row_zone) else zone
        ),
    }


def _note(resource: JsonDict, row: Mapping[str, Any]) -> JsonDict:
    if _present(row.get("notes")) and str(row["notes"]).strip():
        resource["note"] = [{"text": str(row["notes"])}]
    if not resource["identifier"]:
        del resource["identifier"]
    return resource


def pain_observation(
    row: Mapping[str, Any], resource_id: str, subject: str, zone: str | None
) -> JsonDict:
    """Return a pain entry as an Observation: LOINC 72514-3, the 0-10 score, flare and red flag."""
    resource = _common(row, resource_id, subject, zone)
    resource["category"] = _category(codes.OBSERVATION_CATEGORY, "survey", "Survey")
    resource["code"] = {"coding": [_coding(codes.LOINC, codes.PAIN_NRS, codes.PAIN_NRS_DISPLAY)]}
    resource |= _score_value(float(row["pain"]))
    components = _flag_components(row, ("flare", "red_flag"))
    if components:
        resource["component"] = components
    return _note(resource, row)


def _exercise_value(row: Mapping[str, Any], library: ExerciseLibrary) -> JsonDict:
    exercise = str(row["exercise"])
    if bool(row.get("exercise_known", False)) and exercise in library.ids:
        name = library.get(exercise).name
        return {"coding": [_coding(codes.EXERCISE, exercise, name)], "text": name}
    return {"text": exercise}


def session_observation(
    row: Mapping[str, Any], resource_id: str, subject: str, zone: str | None, library: ExerciseLibrary
) -> JsonDict:
    """Return one logged exercise as the Physical Activity IG's activity Observation.

    Code LOINC 73985-4 "Exercise activity", the exercise as the value, and the dose and the
    pain before and after as components.
    """
    resource = _common(row, resource_id, subject, zone)
    resource["category"] = [
        *_category(codes.OBSERVATION_CATEGORY, "activity", "Activity"),
        *_category(codes.PA_TEMPORARY, "PhysicalActivity", "Physical Activity"),
    ]
    resource["code"] = {
        "coding": [_coding(codes.LOINC, codes.EXERCISE_ACTIVITY, codes.EXERCISE_ACTIVITY_DISPLAY)]
    }
    resource["performer"] = [reference(subject)]
    resource["valueCodeableConcept"] = _exercise_value(row, library)
    components = []
    for column, (code, display, unit) in codes.SESSION_NUMBERS.items():
        if column in row and _present(row[column]):
            quantity = {
                "value": _number(float(row[column])),
                "unit": unit,
                "system": codes.UCUM,
                "code": unit,
            }
            components.append(
                {
                    "code": {"coding": [_coding(codes.COMPONENT, code, display)]},
                    "valueQuantity": quantity,
                }
            )
    components.extend(_flag_components(row, ("red_flag",)))
    if components:
        resource["component"] = components
    return _note(resource, row)


def flag(found: Flag, rule: Rule | None, resource_id: str, subject: str, as_of: date) -> JsonDict:
    """Return an analysis flag as a Flag: its rule id as the code, the rule's source in the text."""
    title = rule.title if rule else found.code
    source = rule.source if rule else "rehab default"
    start = min(found.dates) if found.dates else as_of
    words = f"{found.message} Rule: {title} ({found.code}). Source: {source}."
    return {
        "resourceType": "Flag",
        "id": resource_id,
        "text": {
            "status": "generated",
            "div": f'<div xmlns="http://www.w3.org/1999/xhtml"><p>{html.escape(words)}</p></div>',
        },
        "status": "active",
        "category": [
            *_category(codes.FLAG_CATEGORY, "clinical", "Clinical"),
            {"coding": [_coding(codes.RULE + ":tier", found.tier, found.tier.capitalize())]},
        ],
        "code": {"coding": [_coding(codes.RULE, found.code, title)], "text": found.message},
        "subject": reference(subject),
        "period": {"start": start.isoformat()},
    }
