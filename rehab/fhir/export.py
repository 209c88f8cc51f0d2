"""FHIR R4 export: one Bundle (type collection) per patient.

Every entry has a stable id (uuid5 of its content), so exporting the same logs twice writes
the same files. Each Bundle is checked before it is written (:mod:`rehab.fhir.check`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from rehab.disclaimer import DISCLAIMER
from rehab.fhir import resources
from rehab.fhir.check import bundle_problems
from rehab.fhir.measures import measure_resources, response_content
from rehab.fhir.resources import JsonDict, content_id
from rehab.library import load_library
from rehab.settings import DEFAULT_SETTINGS, RuleSettings, rules

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date
    from pathlib import Path

    import pandas as pd

    from rehab.analysis import CohortAnalysis, Flag
    from rehab.importer import ImportBatch
    from rehab.library import ExerciseLibrary

__all__ = ["bundle_bytes", "patient_bundle", "patient_bundle_bytes", "write_bundles"]

# Columns that say what a row is (not where it came from): the content its id is made of.
_PROVENANCE = ("source_file", "source_row")


def _rows(frame: pd.DataFrame | None, patient_id: str) -> list[dict[str, Any]]:
    if frame is None or not len(frame):
        return []
    picked = frame[frame["patient_id"] == patient_id]
    order = [c for c in ("date", "time", "exercise", "measure") if c in picked.columns]
    records = picked.sort_values(order, kind="stable", na_position="first").to_dict("records")
    return [{str(key): value for key, value in record.items()} for record in records]


class _Ids:
    """Content ids, made unique within one Bundle (two identical rows get ``-2`` ids)."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def __call__(self, *parts: object) -> str:
        candidate, count = content_id(*parts), 1
        while candidate in self.seen:
            count += 1
            candidate = content_id(*parts, count)
        self.seen.add(candidate)
        return candidate


def _content(kind: str, subject: str, row: dict[str, Any]) -> tuple[object, ...]:
    return (kind, subject, *(f"{k}={v}" for k, v in sorted(row.items()) if k not in _PROVENANCE))


def _entry(resource: JsonDict) -> JsonDict:
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}


def patient_bundle(
    patient_id: str,
    *,
    sessions: pd.DataFrame | None = None,
    pain: pd.DataFrame | None = None,
    measures: pd.DataFrame | None = None,
    flags: Sequence[Flag] = (),
    as_of: date,
    settings: RuleSettings = DEFAULT_SETTINGS,
    library: ExerciseLibrary | None = None,
    timezone: str | None = None,
) -> JsonDict:
    """Return one patient's logs, questionnaires and flags as a FHIR R4 Bundle (a dict).

    Parameters
    ----------
    patient_id
        The patient; rows of other patients in the frames are left out.
    sessions, pain
        Imported frames in the canonical shape (:func:`rehab.schema.frame_dtypes`).
    measures
        The measures frame (``rehab.measures.schema.empty_measures`` columns), if any.
    flags
        The patient's flags from :func:`rehab.analysis.analyse`.
    as_of
        The day the analysis spoke for (a flag without dates starts on it).
    settings
        The rules (each flag names its rule's title and source).
    library
        Names the exercises; the bundled library when not given.
    timezone
        The patient's IANA zone, for the offset FHIR wants with every time of day; a row's own
        ``timezone`` wins; without either, times are written as UTC.

    Returns
    -------
    dict
        A Bundle of type ``collection``: the Patient first, then pain Observations, exercise
        Observations, QuestionnaireResponses with their score Observations, and Flags.
    """
    library = library or load_library()
    ids = _Ids()
    subject = ids("Patient", patient_id)
    entries = [resources.patient(patient_id, subject, DISCLAIMER)]
    for row in _rows(pain, patient_id):
        entries.append(
            resources.pain_observation(row, ids(*_content("pain", subject, row)), subject, timezone)
        )
    for row in _rows(sessions, patient_id):
        resource_id = ids(*_content("session", subject, row))
        entries.append(resources.session_observation(row, resource_id, subject, timezone, library))
    for row in _rows(measures, patient_id):
        response_id = ids("QuestionnaireResponse", subject, *response_content(row))
        entries.extend(measure_resources(row, subject, response_id))
    known = rules(settings)
    for found in flags:
        resource_id = ids("Flag", subject, found.code, found.exercise, found.message)
        entries.append(resources.flag(found, known.get(found.code), resource_id, subject, as_of))
    return {
        "resourceType": "Bundle",
        "id": content_id("Bundle", patient_id, as_of.isoformat()),
        "type": "collection",
        "entry": [_entry(resource) for resource in entries],
    }


def bundle_bytes(bundle: JsonDict, *, check: bool = True) -> bytes:
    """Return the Bundle as UTF-8 JSON, after checking it; ``ValueError`` lists any problem.

    ``check=False`` skips the check (about 0.4 s for a Bundle of 800 entries), for callers
    that check the result themselves.
    """
    problems = bundle_problems(bundle) if check else []
    if problems:
        raise ValueError("the FHIR Bundle is not valid: " + "; ".join(problems[:5]))
    return json.dumps(bundle, indent=1, ensure_ascii=False).encode("utf-8")


def _patients(batch: ImportBatch) -> list[str]:
    frames = (batch.sessions, batch.pain, batch.measures)
    return sorted({str(p) for frame in frames for p in frame["patient_id"].dropna().unique()})


def write_bundles(
    batch: ImportBatch,
    cohort: CohortAnalysis,
    out_dir: Path,
    *,
    library: ExerciseLibrary | None = None,
    timezone: str | None = None,
    check: bool = True,
) -> list[Path]:
    """Write one ``<patient_id>.fhir.json`` Bundle per patient of ``batch`` into ``out_dir``.

    Returns the files written, by patient id. File names are made safe (no patient id can
    place a file outside ``out_dir``). Each Bundle is checked before it is written
    (``check``, see :func:`bundle_bytes`).
    """
    from rehab.reports.filenames import safe_filename

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for patient_id in _patients(batch):
        bundle = patient_bundle_bytes(
            batch, cohort, patient_id, library=library, timezone=timezone, check=check
        )
        path = out_dir / safe_filename(patient_id, ".fhir.json", fallback="patient")
        path.write_bytes(bundle)
        written.append(path)
    return written


def patient_bundle_bytes(
    batch: ImportBatch,
    cohort: CohortAnalysis,
    patient_id: str,
    *,
    library: ExerciseLibrary | None = None,
    timezone: str | None = None,
    check: bool = True,
) -> bytes:
    """Return one patient's checked Bundle as JSON bytes (the app's download).

    Parameters
    ----------
    batch
        The imported logs (the patient's rows are picked from them).
    cohort
        The analysis (the patient's flags, the as-of day, the rules).
    patient_id
        The patient.
    library, timezone
        As for :func:`patient_bundle`.
    check
        Check the Bundle first (see :func:`bundle_bytes`).

    Returns
    -------
    bytes
        The Bundle as UTF-8 JSON, the same bytes ``rehab export fhir`` writes.
    """
    analysis = cohort.patients.get(patient_id)
    bundle = patient_bundle(
        patient_id,
        sessions=batch.sessions,
        pain=batch.pain,
        measures=batch.measures,
        flags=analysis.flags if analysis else (),
        as_of=cohort.as_of,
        settings=cohort.settings,
        library=library,
        timezone=timezone,
    )
    return bundle_bytes(bundle, check=check)
