"""Entry points: import one file's bytes, or many files at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rehab.importer.limits import UploadBudget, refused
from rehab.importer.parse import no_cycle_collection
from rehab.importer.pipeline import import_bytes
from rehab.importer.report import ImportOptions
from rehab.importer.results import FileImport, ImportBatch
from rehab.importer.validate import checks_remembered
from rehab.library import ExerciseLibrary, load_library

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["import_file", "import_files"]


def import_file(
    name: str,
    data: bytes,
    options: ImportOptions | None = None,
    library: ExerciseLibrary | None = None,
) -> FileImport:
    """Import one log (a CSV of sessions or pain, or a FHIR Bundle) from its bytes.

    Never raises on bad content: whatever the bytes, the result carries a report that
    says what was accepted, what was rejected and why (row by row), and whether the file
    could be used at all.

    Parameters
    ----------
    name
        The file name: shown in the report, and the patient's name when the file has no
        patient_id column (``PT-0101_sessions.csv`` -> ``PT-0101``).
    data
        The file's bytes exactly as uploaded.
    options
        Date order for ambiguous slash dates, and the as-of date for future-date warnings.
    library
        Exercise library to match exercise names against (the bundled one by default).

    Returns
    -------
    FileImport
        The report, the accepted rows in canonical frames, and the rejected rows.
    """
    return _import_one(name, data, options or ImportOptions(), library or load_library())


def _import_one(name: str, data: bytes, options: ImportOptions, library: ExerciseLibrary) -> FileImport:
    """Route a file to its reader: FHIR JSON (rehab/fhir) or a CSV log."""
    from rehab.fhir.read import import_fhir, looks_like_fhir

    if looks_like_fhir(name, data):
        return import_fhir(name, data, options, library)
    return import_bytes(name, data, options, library)


def import_files(
    files: Iterable[tuple[str, bytes]],
    options: ImportOptions | None = None,
    library: ExerciseLibrary | None = None,
) -> ImportBatch:
    """Import many files (any mix of session and pain logs and FHIR Bundles) with the same options.

    Parameters
    ----------
    files
        ``(name, bytes)`` pairs.
    options, library
        As for :func:`import_file`.

    Returns
    -------
    ImportBatch
        Every file's import, all accepted rows concatenated, the JSON report and the exit
        status of ``rehab validate``.
    """
    chosen = options or ImportOptions()
    exercises = library or load_library()
    budget = UploadBudget()
    imported = []
    # The files of an upload share most distinct values: each is checked once per upload.
    # An import leaves no reference cycles behind (a test checks): no collection needed.
    with no_cycle_collection(), checks_remembered():
        for name, data in files:
            refusal = budget.before(data)
            result = _import_one(name, data, chosen, exercises) if refusal is None else None
            if result is not None:
                refusal = budget.after(result)
            imported.append(refused(name, refusal) if refusal is not None else result)
        return ImportBatch([file for file in imported if file is not None])
