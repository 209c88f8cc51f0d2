"""Import a FHIR Bundle (JSON) or bulk-data NDJSON of pain and exercise Observations.

The report keeps the CSV contract (``rows == accepted + rejected + duplicates``, grouped
issues, a rejected-rows frame). Its row numbers count entries from 1 in a Bundle
(``Bundle.entry[0]`` is entry 1) and lines from 1 in NDJSON; messages say "entry N" or
"line N". Rows are Observations of pain or of an exercise, and the QuestionnaireResponses
rehab exported (with their score Observations); Patients name the patients; every other
resource is counted and left out with one note. Never raises on any bytes.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

import pandas as pd

from rehab.fhir import codes
from rehab.fhir.entries import EntryProblem, ReadRow, as_list, kind_of, read_entry
from rehab.fhir.report import (
    ReadResult,
    drop_duplicates,
    name_entries,
    rejected_frame,
    report_read,
    row_numbers,
)
from rehab.fhir.responses import is_rehab_response, read_response, score_observations
from rehab.importer.issuelog import IssueLog, row_ranges
from rehab.importer.names import patient_from_filename
from rehab.importer.report import FileReport
from rehab.importer.results import FileImport
from rehab.schema import coerce_frame

if TYPE_CHECKING:
    from rehab.importer.report import ImportOptions
    from rehab.library import ExerciseLibrary

__all__ = ["import_fhir", "looks_like_fhir"]

logger = logging.getLogger(__name__)

_SUFFIXES: Final = (".json", ".ndjson")
_RESOURCE_CHARS: Final = 2_000


def looks_like_fhir(name: str, data: bytes) -> bool:
    """Return whether a file is FHIR JSON: a ``.json``/``.ndjson`` name, or JSON with a resourceType."""
    if name.lower().endswith(_SUFFIXES):
        return True
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and b'"resourceType"' in head


@dataclass
class _Entries:
    """The file's resources with their place (entry or line number) and what could not be read."""

    unit: str
    resources: list[tuple[int, Any]] = field(default_factory=list)
    unreadable: list[int] = field(default_factory=list)


class _Unusable(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(code)
        self.code = code
        self.message = message


def _ndjson(text: str) -> _Entries:
    entries = _Entries("line")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entries.resources.append((number, json.loads(line)))
        except (ValueError, RecursionError):
            entries.unreadable.append(number)
    if not entries.resources:
        raise _Unusable(
            "not_json", "The file is not JSON: neither a FHIR Bundle nor NDJSON (one resource a line)."
        )
    return entries


def _entries(data: bytes) -> _Entries:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _Unusable("not_json", "The file is not UTF-8 text, so it is not FHIR JSON.") from None
    if not text.strip():
        raise _Unusable("empty", "The file is empty.")
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return _ndjson(text)
    if not isinstance(document, dict) or not isinstance(document.get("resourceType"), str):
        raise _Unusable("not_fhir", "The file is JSON but not a FHIR resource (no resourceType).")
    if document["resourceType"] != "Bundle":
        return _Entries("line", [(1, document)])
    listed = document.get("entry", [])
    if not isinstance(listed, list):
        raise _Unusable("not_fhir", "The Bundle's entry is not a list of entries.")
    found = _Entries("entry")
    for number, entry in enumerate(listed, start=1):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        found.resources.append(
            (number, (entry.get("fullUrl") if isinstance(entry, dict) else None, resource))
        )
    return found


def _file_patient(name: str) -> str:
    """Name the patient after the file, as for CSVs: ``PT-0101.fhir.json`` -> ``PT-0101``."""
    for extension in (".fhir.json", ".fhir.ndjson", ".ndjson", ".json"):
        if name.lower().endswith(extension):
            return patient_from_filename(name[: -len(extension)])
    return patient_from_filename(name)


def _patient_id(resource: dict[str, Any]) -> str | None:
    identifiers = [
        i
        for i in as_list(resource.get("identifier"))
        if isinstance(i, dict) and isinstance(i.get("value"), str)
    ]
    for identifier in identifiers:
        if identifier.get("system") == codes.PATIENT_ID:
            return str(identifier["value"])
    if identifiers:
        return str(identifiers[0]["value"])
    return str(resource["id"]) if isinstance(resource.get("id"), str) else None


def _patients(resources: list[tuple[str | None, Any]]) -> dict[str, str]:
    """Map references to patient ids, for every Patient in the file (by full URL and Patient/id)."""
    found: dict[str, str] = {}
    for full_url, resource in resources:
        if not isinstance(resource, dict) or resource.get("resourceType") != "Patient":
            continue
        patient = _patient_id(resource)
        if patient is None:
            continue
        if isinstance(full_url, str):
            found[full_url] = patient
        if isinstance(resource.get("id"), str):
            found[f"Patient/{resource['id']}"] = patient
    return found


def _subject(resource: dict[str, Any], patients: dict[str, str], fallback: str) -> str:
    subject = resource.get("subject")
    target = subject.get("reference") if isinstance(subject, dict) else None
    if not isinstance(target, str):
        return fallback
    if target in patients:
        return patients[target]
    # Bulk data: Observation.ndjson names Patient/<id>; the Patients are in another file.
    kind, _, patient = target.rpartition("/")
    return patient if kind.endswith("Patient") and patient else fallback


@dataclass
class _Context:
    """What every entry of one file is read with."""

    patients: dict[str, str]
    fallback: str
    scores: dict[str, dict[str, Any]]
    score_entries: set[int]
    options: ImportOptions
    library: ExerciseLibrary


def _read_row(
    number: int, full_url: str | None, resource: dict[str, Any], context: _Context
) -> ReadRow | None:
    """Return the row an entry holds; None for an entry that is not a row (counted elsewhere)."""
    if is_rehab_response(resource):
        return read_response(resource, full_url, context.scores)
    if kind_of(resource) is None or number in context.score_entries:
        return None
    return read_entry(resource, context.options.timezone, context.library)


def _read_one(
    number: int, full_url: str | None, resource: Any, context: _Context, read: ReadResult
) -> None:
    if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
        message = "it holds no FHIR resource (no resourceType)"
        read.rejected.append((number, "not_resource", message, None, resource))
        return
    try:
        row = _read_row(number, full_url, resource, context)
    except EntryProblem as problem:
        read.rejected.append((number, problem.code, problem.message, problem.column, resource))
        return
    if row is not None:
        row.values["patient_id"] = _subject(resource, context.patients, context.fallback)
        read.rows.append((number, row))
    elif resource["resourceType"] != "Patient" and number not in context.score_entries:
        read.ignored[_ignored_name(resource)] += 1


def _read_all(
    entries: _Entries, name: str, options: ImportOptions, library: ExerciseLibrary
) -> ReadResult:
    pairs = [item if entries.unit == "entry" else (None, item) for _, item in entries.resources]
    numbered = [
        (number, url, resource)
        for (number, _), (url, resource) in zip(entries.resources, pairs, strict=True)
    ]
    scores, score_entries = score_observations(numbered)
    context = _Context(_patients(pairs), _file_patient(name), scores, score_entries, options, library)
    read = ReadResult()
    for number in entries.unreadable:
        read.rejected.append((number, "not_json", "this line is not JSON", None, None))
    for number, url, resource in numbered:
        _read_one(number, url, resource, context, read)
    return read


def _ignored_name(resource: dict[str, Any]) -> str:
    kind = str(resource["resourceType"])
    return "Observation (other codes)" if kind == "Observation" else kind


def _frame(kind: str, picked: list[tuple[int, ReadRow]], name: str) -> pd.DataFrame:
    from rehab.measures.schema import coerce_measures

    frame = pd.DataFrame([row.values for _, row in picked])
    frame["source_file"] = name
    frame["source_row"] = [number for number, _ in picked]
    if kind == "measures":
        return coerce_measures(frame)
    return coerce_frame("pain" if kind == "pain" else "sessions", frame)


def _unusable(name: str, code: str, message: str, kind: Any) -> FileImport:
    issues = IssueLog()
    issues.add(code, "error", message)
    logger.info("import: a FHIR file could not be used (%s)", code)
    return FileImport(report=FileReport(file=name, kind=kind, usable=False, issues=issues.issues()))


def import_fhir(name: str, data: bytes, options: ImportOptions, library: ExerciseLibrary) -> FileImport:
    """Import a FHIR Bundle (JSON) or NDJSON file of pain and exercise Observations.

    Parameters
    ----------
    name
        The file name: shown in the report; names the patient of entries without a subject.
    data
        The file's bytes as uploaded.
    options
        The time zone for UTC stamps and the as-of day for future-date warnings.
    library
        Exercises to match the exercise Observations' names against.

    Returns
    -------
    FileImport
        Report of kind "bundle" (row numbers are entry numbers from 1, or NDJSON line
        numbers), the pain and session rows, and the rejected entries (``row``, ``problem``,
        ``resource`` as JSON text).
    """
    try:
        entries = _entries(data)
    except _Unusable as problem:
        return _unusable(
            name, problem.code, problem.message, "bundle" if problem.code == "not_fhir" else None
        )
    read = _read_all(entries, name, options, library)
    issues = IssueLog()
    report_read(read, options, issues)
    result = FileImport(report=FileReport(file=name, kind="bundle"), rejected=rejected_frame(read))
    duplicates = 0
    for kind in ("pain", "sessions", "measures"):
        picked = [(n, r) for n, r in read.rows if r.kind == kind]
        if picked:
            frame, repeated = drop_duplicates(_frame(kind, picked, name), entries.unit, issues)
            duplicates += repeated
            setattr(result, kind, frame)
    found = issues.issues()
    rejected_rows = sorted(item[0] for item in read.rejected)
    result.report = FileReport(
        file=name,
        kind="bundle",
        rows=len(read.rows) + len(read.rejected),
        accepted=len(read.rows) - duplicates,
        rejected=len(read.rejected),
        duplicates=duplicates,
        issues=[name_entries(issue, entries.unit) for issue in found],
        issues_cut=issues.cut,
        rejected_rows=row_ranges(row_numbers(rejected_rows)),
        patients=sorted(
            {
                str(p)
                for frame in (result.pain, result.sessions, result.measures)
                for p in frame["patient_id"].dropna()
            }
        ),
    )
    logger.info(
        "import: FHIR file, %d entries read, %d accepted, %d rejected, %d ignored",
        result.report.rows,
        result.report.accepted,
        result.report.rejected,
        sum(read.ignored.values()),
    )
    return result
