"""A clinic's batch of PDF reports, made on every core: ``rehab report``.

>>> result = write_report_batch(cohort, Path("reports"), jobs=2)  # doctest: +SKIP

Each patient's report is made whole in one worker process (chart built and drawn once, page
laid out, PDF written to bytes) from that patient's analysis alone; the parent writes the files
in the order asked, so the result does not depend on which worker finished first. A patient
whose report fails is named with the kind of error (never a value from the logs) and the
others are still written.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Final

from rehab.analysis import CohortAnalysis
from rehab.library import load_library
from rehab.reports.pdf import patient_pdf, report_file_names

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from pathlib import Path

    from rehab.library import ExerciseLibrary

__all__ = ["BatchResult", "default_jobs", "report_bytes", "write_report_batch"]

# Fewer patients than this per worker are made in this process: starting a worker (a new
# Python that imports pandas, Altair and vl-convert) costs about as much as a few reports.
MIN_PATIENTS_PER_WORKER: Final = 4
# Chunks per worker: small enough that a slow patient does not leave a core idle at the end.
CHUNKS_PER_WORKER: Final = 8

_worker_library: ExerciseLibrary | None = None
_worker_generated_at: datetime | None = None


@dataclass(frozen=True)
class BatchResult:
    """What a batch wrote: the files in the order asked, and the patients that failed."""

    written: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def default_jobs() -> int:
    """Return the number of processors this process may run on (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - platforms without sched_getaffinity
        return max(1, os.cpu_count() or 1)


def _one_patient(cohort: CohortAnalysis, patient_id: str) -> CohortAnalysis:
    """Return the analysis cut down to one patient: all a report reads, cheap to send."""
    return CohortAnalysis(
        as_of=cohort.as_of,
        settings=cohort.settings,
        # An unknown id travels as no patient: its worker says KeyError, like the serial path.
        patients={patient_id: cohort.patients[patient_id]} if patient_id in cohort.patients else {},
    )


def report_bytes(
    cohort: CohortAnalysis, patient_id: str, library: ExerciseLibrary, generated_at: datetime
) -> bytes | str:
    """Return one patient's PDF, or the name of the error that stopped it.

    Only the error's type is kept: its message may quote a value from the logs.
    """
    try:
        return patient_pdf(cohort, patient_id, library=library, generated_at=generated_at)
    except Exception as error:
        return type(error).__name__


def _start_worker(library: ExerciseLibrary, generated_at: datetime) -> None:
    global _worker_library, _worker_generated_at
    _worker_library, _worker_generated_at = library, generated_at


def _worker_report(job: tuple[CohortAnalysis, str]) -> bytes | str:
    assert _worker_library is not None
    assert _worker_generated_at is not None
    return report_bytes(job[0], job[1], _worker_library, _worker_generated_at)


def _made(
    cohort: CohortAnalysis,
    patient_ids: Sequence[str],
    library: ExerciseLibrary,
    generated_at: datetime,
    jobs: int,
) -> Iterator[bytes | str]:
    """Yield each patient's PDF (or error name) in the order of ``patient_ids``."""
    workers = min(jobs, len(patient_ids) // MIN_PATIENTS_PER_WORKER)
    if workers < 2:
        for patient_id in patient_ids:
            yield report_bytes(cohort, patient_id, library, generated_at)
        return
    # "spawn": a fresh interpreter, safe whatever threads this process runs (vl-convert has some).
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(library, generated_at),
    ) as pool:
        chunk = max(1, len(patient_ids) // (workers * CHUNKS_PER_WORKER))
        work = ((_one_patient(cohort, patient_id), patient_id) for patient_id in patient_ids)
        # map keeps the order asked, whichever worker finishes first.
        yield from pool.map(_worker_report, work, chunksize=chunk)


def write_report_batch(
    cohort: CohortAnalysis,
    out_dir: Path,
    patient_ids: Sequence[str] | None = None,
    *,
    library: ExerciseLibrary | None = None,
    generated_at: datetime | None = None,
    jobs: int | None = None,
) -> BatchResult:
    """Write one ``<patient_id>.pdf`` per patient into ``out_dir``, on ``jobs`` processes.

    Parameters
    ----------
    cohort
        The analysis.
    out_dir
        Folder to write to; created when missing. File names are made safe
        (:func:`rehab.reports.pdf.report_file_names`).
    patient_ids
        Patients to report; every patient, most urgent first, when not given.
    library
        Names the exercises; the bundled library when not given.
    generated_at
        When the reports are made (one time for all of them); now when not given.
    jobs
        Processes to use; :func:`default_jobs` when not given. A small batch is made in this
        process whatever ``jobs`` says.

    Returns
    -------
    BatchResult
        The files written, in the order of ``patient_ids``, and each patient whose report
        failed with the name of the error.
    """
    if patient_ids is None:
        patient_ids = [str(patient_id) for patient_id in cohort.triage()["patient_id"]]
    library = library or load_library()
    generated_at = generated_at or datetime.now().astimezone()
    out_dir.mkdir(parents=True, exist_ok=True)
    result = BatchResult()
    made = _made(cohort, patient_ids, library, generated_at, jobs or default_jobs())
    for patient_id, name, pdf in zip(patient_ids, report_file_names(patient_ids), made, strict=True):
        if isinstance(pdf, str):
            result.failed.append((patient_id, pdf))
            continue
        path = out_dir / name
        path.write_bytes(pdf)
        result.written.append(path)
    return result
