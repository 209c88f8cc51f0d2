"""Import a FHIR Bundle (JSON) or bulk-data NDJSON of pain and exercise Observations.

The report keeps the CSV contract (``rows == accepted + rejected + duplicates``, grouped
issues, a rejected-rows frame). Its row numbers count entries from 1 in a Bundle
(``Bundle.entry[0]`` is entry 1) and lines from 1 in NDJSON; messages say "entry N" or
"line N". Only Observations of pain or of an exercise are rows; Patients name the patients;
every other resource is counted and left out with one note. Never raises on any bytes.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from rehab.fhir import codes
from rehab.fhir.entries import EntryProblem, ReadRow, as_list, kind_of, read_entry
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
class _Read:
    rows: list[tuple[int, ReadRow]] = field(default_factory=list)
    rejected: list[tuple[int, str, str, str | None, Any]] = field(default_factory=list)
    ignored: Counter[str] = field(default_factory=Counter)


def _read_all(entries: _Entries, name: str, options: ImportOptions, library: ExerciseLibrary) -> _Read:
    pairs = [item if entries.unit == "entry" else (None, item) for _, item in entries.resources]
    patients = _patients(pairs)
    fallback = patient_from_filename(name)
    read = _Read()
    for number in entries.unreadable:
        read.rejected.append((number, "not_json", "this line is not JSON", None, None))
    for (number, _), (_, resource) in zip(entries.resources, pairs, strict=True):
        if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
            read.rejected.append(
                (number, "not_resource", "it holds no FHIR resource (no resourceType)", None, resource)
            )
            continue
        if resource["resourceType"] == "Patient":
            continue
        if kind_of(resource) is None:
            read.ignored[_ignored_name(resource)] += 1
            continue
        try:
            row = read_entry(resource, options.timezone, library)
        except EntryProblem as problem:
            read.rejected.append((number, problem.code, problem.message, problem.column, resource))
            continue
        row.values["patient_id"] = _subject(resource, patients, fallback)
        read.rows.append((number, row))
    return read


def _ignored_name(resource: dict[str, Any]) -> str:
    kind = str(resource["resourceType"])
    return "Observation (other codes)" if kind == "Observation" else kind


def _where(unit: str, number: int) -> str:
    return f"{unit.capitalize()} {number}"


def _prefix(issue: Any, unit: str) -> Any:
    """Name the entries (or lines) an issue is about at the start of its message."""
    if issue.row is None or issue.message.startswith("And "):
        return issue
    plural = "Entries" if unit == "entry" else "Lines"
    where = f"{unit.capitalize()} {issue.row}" if not issue.rows else f"{plural} {issue.rows}"
    return issue.model_copy(update={"message": f"{where}: {issue.message}"})


def _rows(numbers: list[int]) -> np.ndarray:
    return np.asarray(numbers, dtype=np.int64)


def _report_rejected(read: _Read, issues: IssueLog) -> None:
    by_code: dict[tuple[str, str | None], list[tuple[int, str]]] = {}
    for number, code, message, column, _ in read.rejected:
        by_code.setdefault((code, column), []).append((number, f"{message}; not imported."))
    for (code, column), found in by_code.items():
        issues.add_rows(
            _rows([n for n, _ in found]), code, "error", [m for _, m in found], column=column
        )


def _report_rows(read: _Read, options: ImportOptions, issues: IssueLog) -> None:
    dropped: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for number, row in read.rows:
        for column, code, message in row.dropped:
            dropped.setdefault((code, column), []).append((number, message))
    for (code, column), found in dropped.items():
        issues.add_rows(
            _rows([n for n, _ in found]), code, "error", [m for _, m in found], column=column
        )
    utc = [number for number, row in read.rows if row.utc]
    issues.add_rows(
        _rows(utc),
        "utc_time",
        "warning",
        "the time is stamped in UTC and no time zone was given, so it stays on the UTC day; give "
        "the patient's time zone (--tz, or the app's choice) to move it to their own day.",
        column="date",
    )
    unknown = [
        (n, str(r.values["exercise"]))
        for n, r in read.rows
        if r.kind == "sessions" and not r.values["exercise_known"]
    ]
    issues.add_rows(
        _rows([n for n, _ in unknown]),
        "unknown_exercise",
        "warning",
        [
            f"exercise '{name[:60]}' is not in the exercise library, so it was kept as written."
            for _, name in unknown
        ],
        column="exercise",
    )
    if options.as_of is not None:
        future = [n for n, r in read.rows if r.values["date"] > options.as_of.isoformat()]
        issues.add_rows(
            _rows(future),
            "future_date",
            "warning",
            f"dated after {options.as_of.isoformat()}; kept.",
            column="date",
        )
    if read.ignored:
        listed = ", ".join(f"{kind} {count}" for kind, count in sorted(read.ignored.items()))
        total = sum(read.ignored.values())
        issues.add(
            "ignored_resources",
            "warning",
            f"{total} {'entry is' if total == 1 else 'entries are'} not a pain or exercise Observation "
            f"and {'was' if total == 1 else 'were'} left out ({listed}).",
        )


def _frame(kind: str, picked: list[tuple[int, ReadRow]], name: str) -> pd.DataFrame:
    frame = pd.DataFrame([row.values for _, row in picked])
    frame["source_file"] = name
    frame["source_row"] = [number for number, _ in picked]
    return coerce_frame("pain" if kind == "pain" else "sessions", frame)


def _drop_duplicates(frame: pd.DataFrame, unit: str, issues: IssueLog) -> tuple[pd.DataFrame, int]:
    """Keep the first of identical rows; report the copies (a Bundle exported twice into one)."""
    if len(frame) < 2:
        return frame, 0
    keys = [c for c in frame.columns if c not in ("source_file", "source_row")]
    group = frame.groupby(keys, dropna=False, sort=False).ngroup().to_numpy()
    first = np.full(int(group.max()) + 1, len(frame), dtype=np.int64)
    np.minimum.at(first, group, np.arange(len(frame)))
    repeat = first[group] != np.arange(len(frame))
    if not repeat.any():
        return frame, 0
    rows = frame["source_row"].to_numpy(dtype=np.int64)
    originals = rows[first[group][repeat]]
    issues.add_rows(
        rows[repeat],
        "duplicate_row",
        "warning",
        [f"repeats {unit} {o} exactly, so it was counted once." for o in originals.tolist()],
    )
    return frame[~repeat].reset_index(drop=True), int(repeat.sum())


def _rejected_frame(read: _Read) -> pd.DataFrame:
    rejected = sorted(read.rejected, key=lambda item: item[0])
    text = [
        json.dumps(r, ensure_ascii=False)[:_RESOURCE_CHARS] if r is not None else ""
        for *_, r in rejected
    ]
    return pd.DataFrame(
        {
            "row": [item[0] for item in rejected],
            "problem": [item[2] for item in rejected],
            "resource": text,
        }
    )


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
    _report_rejected(read, issues)
    _report_rows(read, options, issues)
    result = FileImport(report=FileReport(file=name, kind="bundle"), rejected=_rejected_frame(read))
    duplicates = 0
    for kind in ("pain", "sessions"):
        picked = [(n, r) for n, r in read.rows if r.kind == kind]
        if picked:
            frame, repeated = _drop_duplicates(_frame(kind, picked, name), entries.unit, issues)
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
        issues=[_prefix(issue, entries.unit) for issue in found],
        issues_cut=issues.cut,
        rejected_rows=row_ranges(_rows(rejected_rows)),
        patients=sorted(
            {str(p) for frame in (result.pain, result.sessions) for p in frame["patient_id"].dropna()}
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
