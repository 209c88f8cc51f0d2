"""One FHIR resource -> one log row (a dict of canonical columns), or the reason why not.

Reads what real sources write for a 0-10 pain score (LOINC 72514-3 or 38208-5,
``valueInteger`` or ``valueQuantity``; Synthea, SMART sample data, bulk-data NDJSON) and the
exercise Observations rehab exports (LOINC 73985-4, the Physical Activity IG's code).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any, Final, Literal
from zoneinfo import ZoneInfo

from rehab.fhir import codes

if TYPE_CHECKING:
    from rehab.library import ExerciseLibrary

__all__ = ["EntryProblem", "ReadRow", "as_list", "kind_of", "read_day", "read_entry", "read_when"]

EntryKind = Literal["pain", "sessions", "measures"]

_DATE_TIME: Final = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2})?)?$"
)
_PARTIAL: Final = re.compile(r"^\d{4}(?:-\d{2})?$")
_NOT_READ_STATUS: Final = frozenset({"entered-in-error", "cancelled"})
_COMPONENT_COLUMNS: Final = {code: column for column, (code, _, _) in codes.SESSION_NUMBERS.items()}
_FLAG_COLUMNS: Final = {code: column for column, (code, _) in codes.FLAGS.items()}
# Days a log can hold (pandas' nanosecond dates end in 2262).
_FIRST_YEAR: Final = 1900
_LAST_YEAR: Final = 2200
_LIMITS: Final = {"sets": 50.0, "reps": 500.0, "hold_seconds": 600.0}


class EntryProblem(Exception):
    """The entry cannot become a row: ``code`` and a plain message (without the entry's place)."""

    def __init__(self, code: str, message: str, column: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.message = message
        self.column = column


@dataclass
class ReadRow:
    """A row read from one entry, with what is worth a warning about it."""

    kind: EntryKind
    values: dict[str, Any]
    utc: bool = False
    dropped: list[tuple[str, str, str]] = field(default_factory=list)  # (column, code, message)


def as_list(value: Any) -> list[Any]:
    """``value`` when it is a JSON list, else an empty list (a file may hold anything)."""
    return value if isinstance(value, list) else []


def _codes(concept: Any) -> set[tuple[str, str]]:
    if not isinstance(concept, dict):
        return set()
    return {
        (str(c.get("system", "")), str(c.get("code", "")))
        for c in as_list(concept.get("coding"))
        if isinstance(c, dict)
    }


def kind_of(resource: dict[str, Any]) -> EntryKind | None:
    """Return what an Observation holds for rehab ("pain", "sessions"), or None."""
    if resource.get("resourceType") != "Observation":
        return None
    found = _codes(resource.get("code"))
    if any((codes.LOINC, code) in found for code in codes.PAIN_CODES):
        return "pain"
    if (codes.LOINC, codes.EXERCISE_ACTIVITY) in found:
        return "sessions"
    return None


def _number(holder: dict[str, Any], what: str) -> float | None:
    """Return ``valueInteger`` or ``valueQuantity.value`` (None: no value at all)."""
    if "valueInteger" in holder:
        value = holder["valueInteger"]
    elif isinstance(holder.get("valueQuantity"), dict):
        value = holder["valueQuantity"].get("value")
    elif any(key.startswith("value") and holder[key] is not None for key in holder):
        kinds = ", ".join(
            sorted(key for key in holder if key.startswith("value") and holder[key] is not None)
        )
        raise EntryProblem(
            "value_type", f"{what} is a {kinds}, not a number (valueInteger or valueQuantity)"
        )
    else:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise EntryProblem("value_type", f"{what} is not a number")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise EntryProblem("value_type", f"{what} is not a finite number")
    return number


def _when(resource: dict[str, Any], zone: str | None) -> tuple[date, str | None, bool]:
    """Return the local day and time of an entry, and whether it is a UTC stamp left as UTC."""
    period = resource.get("effectivePeriod")
    text = resource.get("effectiveDateTime") or resource.get("effectiveInstant")
    if text is None and isinstance(period, dict):
        text = period.get("start")
    if text is None:
        raise EntryProblem(
            "missing_date", "it has no date (effectiveDateTime or effectivePeriod.start)", "date"
        )
    return read_when(text, zone)


def read_day(text: object) -> date:
    """Return the day of a FHIR date or dateTime as written (:class:`EntryProblem` if none)."""
    return read_when(text, None)[0]


def read_when(text: object, zone: str | None) -> tuple[date, str | None, bool]:
    """Return the day and time of a FHIR dateTime, and whether it is a UTC stamp left as UTC.

    A UTC stamp is moved to ``zone`` when given; any other offset keeps the day and time
    written. Raises :class:`EntryProblem` for a partial or impossible date.
    """
    found = _DATE_TIME.match(str(text).strip())
    if found is None:
        what = "only a year or a month" if _PARTIAL.match(str(text).strip()) else "not a FHIR date-time"
        raise EntryProblem("bad_date", f"its date is {what}, so it cannot be placed on a day", "date")
    try:
        day = date.fromisoformat(found["date"])
        if not _FIRST_YEAR <= day.year <= _LAST_YEAR:
            raise ValueError(day.year)
        if found["hour"] is None:
            return day, None, False
        stamp = datetime.combine(
            day, time(int(found["hour"]), int(found["minute"]), int(found["second"] or 0) % 60)
        )
        utc = found["zone"] in ("Z", "+00:00", "-00:00")
        if utc and zone:
            stamp = stamp.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    except (ValueError, OverflowError):
        raise EntryProblem("bad_date", "its date is not a real day and time", "date") from None
    return stamp.date(), stamp.strftime("%H:%M"), utc and not zone


def _notes(resource: dict[str, Any]) -> str | None:
    texts = [
        str(n["text"])
        for n in as_list(resource.get("note"))
        if isinstance(n, dict) and isinstance(n.get("text"), str)
    ]
    return "\n".join(texts) if texts else None


def _components(resource: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for component in as_list(resource.get("component")):
        if not isinstance(component, dict):
            continue
        for system, code in _codes(component.get("code")):
            if system == codes.COMPONENT:
                found.append((code, component))
    return found


def _optional(row: ReadRow, column: str, component: dict[str, Any]) -> None:
    """Read one optional number; a bad one is dropped with an error and the row kept."""
    upper = 10.0 if column in codes.SCORE_COLUMNS else _LIMITS.get(column, math.inf)
    try:
        value = _number(component, column)
    except EntryProblem as problem:
        row.dropped.append((column, problem.code, f"{problem.message}; kept without it"))
        return
    if value is None:
        return
    if not 0 <= value <= upper:
        scale = "pain is scored 0 to 10" if upper == 10 else f"it goes from 0 to {upper:g}"
        row.dropped.append((column, "out_of_range", f"{column} is {value:g}; {scale}; kept without it"))
        return
    row.values[column] = value


def _read_components(row: ReadRow, resource: dict[str, Any]) -> None:
    for code, component in _components(resource):
        if code in _COMPONENT_COLUMNS and row.kind == "sessions":
            _optional(row, _COMPONENT_COLUMNS[code], component)
        elif (
            code in _FLAG_COLUMNS
            and isinstance(component.get("valueBoolean"), bool)
            and (row.kind == "pain" or code != "flare")
        ):
            row.values[_FLAG_COLUMNS[code]] = component["valueBoolean"]


def _exercise(resource: dict[str, Any], library: ExerciseLibrary) -> tuple[str, bool]:
    concept = resource.get("valueCodeableConcept")
    if not isinstance(concept, dict):
        raise EntryProblem("missing_exercise", "it names no exercise (valueCodeableConcept)", "exercise")
    for system, code in _codes(concept):
        if system == codes.EXERCISE and code in library.ids:
            return code, True
    names = [concept.get("text")] + [
        c.get("display") for c in as_list(concept.get("coding")) if isinstance(c, dict)
    ]
    names += [code for system, code in _codes(concept) if system == codes.EXERCISE]
    for name in names:
        if isinstance(name, str) and name.strip():
            matched = library.match(name)
            return (matched, True) if matched else (name.strip(), False)
    raise EntryProblem("missing_exercise", "it names no exercise (valueCodeableConcept)", "exercise")


def read_entry(resource: dict[str, Any], zone: str | None, library: ExerciseLibrary) -> ReadRow:
    """Return the row an Observation of pain or of an exercise holds; :class:`EntryProblem` if none.

    The patient is not set here (it comes from the Bundle's Patient resources).
    """
    kind = kind_of(resource)
    if kind is None:
        raise EntryProblem("not_read", "it is not a pain or exercise Observation")
    status = resource.get("status")
    if isinstance(status, str) and status in _NOT_READ_STATUS:
        raise EntryProblem("status", f"its status is {status}, so it does not count")
    day, clock, utc = _when(resource, zone)
    row = ReadRow(kind, {"date": day.isoformat(), "time": clock, "notes": _notes(resource)}, utc=utc)
    if kind == "pain":
        score = _number(resource, "the pain score")
        if score is None:
            raise EntryProblem(
                "missing_value", "it has no pain score (valueInteger or valueQuantity)", "pain"
            )
        if not 0 <= score <= 10:
            raise EntryProblem(
                "out_of_range", f"the pain score is {score:g}; pain is scored 0 to 10", "pain"
            )
        row.values["pain"] = score
    else:
        row.values["exercise"], row.values["exercise_known"] = _exercise(resource, library)
    _read_components(row, resource)
    return row
