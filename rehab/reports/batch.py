"""A clinic's batch of PDF reports, made on every core: ``rehab report``.

>>> result = write_report_batch(cohort, Path("reports"), jobs=2)  # doctest: +SKIP

Each patient's report is made whole in one worker process (chart built and drawn once, page
laid out, PDF written to bytes) from that patient's analysis alone; the parent writes the files
in the order asked, so the result does not depend on which worker finished first. A patient
whose report fails is named with the kind of error (never a value from the logs) and the
others are still written.

A worker spends about a second starting (a new Python importing pandas, Altair, fpdf2 and
vl-convert's JavaScript engine). A caller that has work to do first starts them ahead of it,
so that second overlaps its own work:

>>> with ReportWorkers(jobs=2) as workers:  # doctest: +SKIP
...     cohort = analyse(...)  # the workers start meanwhile
...     write_report_batch(cohort, Path("reports"), workers=workers)

This module imports neither Altair nor fpdf2 itself: a parent that only hands out the work
does not pay for them.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Final

from rehab.reports.filenames import report_file_names

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from pathlib import Path
    from types import TracebackType

    from rehab.analysis import CohortAnalysis
    from rehab.library import ExerciseLibrary

__all__ = ["BatchResult", "ReportWorkers", "default_jobs", "report_bytes", "write_report_batch"]

# Fewer patients than this per worker are made in this process: starting a worker (a new
# Python that imports pandas, Altair and vl-convert) costs about as much as a few reports.
MIN_PATIENTS_PER_WORKER: Final = 4
# Chunks per worker: small enough that a slow patient does not leave a core idle at the end.
CHUNKS_PER_WORKER: Final = 8


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
    from rehab.analysis import CohortAnalysis

    return CohortAnalysis(
        as_of=cohort.as_of,
        settings=cohort.settings,
        # An unknown id travels as no patient: its worker says KeyError, like the serial path.
        patients={patient_id: cohort.patients[patient_id]} if patient_id in cohort.patients else {},
    )


def patient_pdf(cohort: CohortAnalysis, patient_id: str, **options: object) -> bytes:
    """:func:`rehab.reports.pdf.patient_pdf`, imported (with Altair and fpdf2) when first used."""
    from rehab.reports.pdf import patient_pdf as made

    return made(cohort, patient_id, **options)  # type: ignore[arg-type]


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


def _worker_report(job: tuple[CohortAnalysis, str, ExerciseLibrary, datetime]) -> bytes | str:
    return report_bytes(*job)


def _warm_up() -> None:
    """Import what a report needs and start vl-convert's engine (its first chart is slow)."""
    from rehab.reports.pdf import warm_up

    warm_up()


class ReportWorkers:
    """Worker processes for report batches, started (and warmed up) as soon as this is made.

    Parameters
    ----------
    jobs
        Processes; :func:`default_jobs` when not given. Fewer than two starts none: the
        batches are then made in this process.
    """

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = jobs or default_jobs()
        self._pool: ProcessPoolExecutor | None = None
        if self.jobs < 2:
            return
        # "spawn": a fresh interpreter, safe whatever threads this process runs (vl-convert has
        # some).
        self._pool = ProcessPoolExecutor(
            max_workers=self.jobs, mp_context=multiprocessing.get_context("spawn")
        )
        # The pool starts a worker per task submitted while none is idle: one task each starts
        # them all now, and each spends its start-up while the caller does its own work.
        for _ in range(self.jobs):
            self._pool.submit(_warm_up)

    def map(
        self, jobs: Iterator[tuple[CohortAnalysis, str, ExerciseLibrary, datetime]], count: int
    ) -> Iterator[bytes | str]:
        """Yield each job's PDF (or error name) in the order given, made on the workers."""
        assert self._pool is not None
        chunk = max(1, count // (self.jobs * CHUNKS_PER_WORKER))
        # map keeps the order asked, whichever worker finishes first.
        yield from self._pool.map(_worker_report, jobs, chunksize=chunk)

    @property
    def started(self) -> bool:
        """True when there are worker processes (``jobs`` of two or more)."""
        return self._pool is not None

    def close(self) -> None:
        """Stop the workers (after the work given to them)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> ReportWorkers:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def _made(
    cohort: CohortAnalysis,
    patient_ids: Sequence[str],
    library: ExerciseLibrary,
    generated_at: datetime,
    jobs: int,
    workers: ReportWorkers | None,
) -> Iterator[bytes | str]:
    """Yield each patient's PDF (or error name) in the order of ``patient_ids``."""
    wanted = workers.jobs if workers is not None else jobs
    if min(wanted, len(patient_ids) // MIN_PATIENTS_PER_WORKER) < 2 or (
        workers is not None and not workers.started
    ):
        for patient_id in patient_ids:
            yield report_bytes(cohort, patient_id, library, generated_at)
        return
    work = (
        (_one_patient(cohort, patient_id), patient_id, library, generated_at)
        for patient_id in patient_ids
    )
    if workers is not None:
        yield from workers.map(work, len(patient_ids))
        return
    with ReportWorkers(min(jobs, len(patient_ids) // MIN_PATIENTS_PER_WORKER)) as own:
        yield from own.map(work, len(patient_ids))


def write_report_batch(
    cohort: CohortAnalysis,
    out_dir: Path,
    patient_ids: Sequence[str] | None = None,
    *,
    library: ExerciseLibrary | None = None,
    generated_at: datetime | None = None,
    jobs: int | None = None,
    workers: ReportWorkers | None = None,
) -> BatchResult:
    """Write one ``<patient_id>.pdf`` per patient into ``out_dir``, on ``jobs`` processes.

    Parameters
    ----------
    cohort
        The analysis.
    out_dir
        Folder to write to; created when missing. File names are made safe
        (:func:`rehab.reports.filenames.report_file_names`).
    patient_ids
        Patients to report; every patient, most urgent first, when not given.
    library
        Names the exercises; the bundled library when not given.
    generated_at
        When the reports are made (one time for all of them); now when not given.
    jobs
        Processes to use; :func:`default_jobs` when not given. A small batch is made in this
        process whatever ``jobs`` says.
    workers
        Workers started beforehand (:class:`ReportWorkers`); they take the place of ``jobs``
        and are left running for the caller to close.

    Returns
    -------
    BatchResult
        The files written, in the order of ``patient_ids``, and each patient whose report
        failed with the name of the error.
    """
    if patient_ids is None:
        patient_ids = [str(patient_id) for patient_id in cohort.triage()["patient_id"]]
    if library is None:
        from rehab.library import load_library

        library = load_library()
    generated_at = generated_at or datetime.now().astimezone()
    out_dir.mkdir(parents=True, exist_ok=True)
    result = BatchResult()
    made = _made(cohort, patient_ids, library, generated_at, jobs or default_jobs(), workers)
    for patient_id, name, pdf in zip(patient_ids, report_file_names(patient_ids), made, strict=True):
        if isinstance(pdf, str):
            result.failed.append((patient_id, pdf))
            continue
        path = out_dir / name
        path.write_bytes(pdf)
        result.written.append(path)
    return result
