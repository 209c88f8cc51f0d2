"""The Dask graph: import tasks, a shuffle on ``patient_id``, the engine on every partition.

1. Each group of files is imported by one task (the app's importer, whole files).
2. The rows meet their patient's partition through a hash shuffle on ``patient_id``, or stay
   where they are when the input is already partitioned by patient (then checked: a patient
   found in two partitions is refused).
3. Each partition rebuilds its patients' upload and runs the app's engine
   (:func:`rehab.scale.partition.screen`); a second pass over the same partitions lists the
   rows repeated across files for the import report. Both, and the reports, are computed in
   one go, so the import and the shuffle run once.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from rehab.disclaimer import DISCLAIMER_SHORT
from rehab.scale.inputs import empty_outcomes, group_files, import_group, outcome_rows, outcomes_of
from rehab.scale.partition import empty_repeats, repeats, screen
from rehab.scale.reports import apply_repeats
from rehab.scale.schema import empty_summaries, record_of

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from distributed import Client

    from rehab.importer import ImportOptions
    from rehab.scale.inputs import InputFile
    from rehab.scale.partition import Screening
    from rehab.scale.reports import FileOutcome

__all__ = ["Job", "JobResult", "connect", "run"]


@dataclass(frozen=True)
class Job:
    """One screening: the files, how to read them and the rules, and how to partition."""

    files: list[InputFile]
    options: ImportOptions
    screening: Screening
    partition_bytes: int = 16 * 1024 * 1024
    by_patient: bool = False


@dataclass
class JobResult:
    """The import reports, unpacking notes, and the summaries (collected or written)."""

    outcomes: list[FileOutcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    summaries: pd.DataFrame | None = None
    written: int = 0
    split_patients: list[str] = field(default_factory=list)


@contextmanager
def connect(
    scheduler: str | None, workers: int | None = None, memory_limit: str | None = None
) -> Iterator[Client]:
    """Yield a client of the scheduler at ``scheduler``, or of a local cluster sized to the machine.

    The local cluster runs one single-threaded worker process per core (the engine holds the
    GIL), each with an equal share of the memory unless ``memory_limit`` says otherwise.
    """
    from distributed import Client, LocalCluster

    # The scheduler plugin of the P2P shuffle logs every shuffle at warning level; here the
    # scheduler runs in this process, whose stderr carries the import report.
    logging.getLogger("distributed.shuffle._scheduler_plugin").setLevel(logging.ERROR)
    if scheduler:
        with Client(scheduler) as client:  # type: ignore[no-untyped-call]
            yield client
        return
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers or os.cpu_count() or 1,
            threads_per_worker=1,
            processes=True,
            memory_limit=memory_limit or "auto",
            dashboard_address=":0",  # a free port: 8787 may be taken by another cluster
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        yield client


def _patients(rows: pd.DataFrame, partition_info: dict[str, Any] | None = None) -> pd.DataFrame:
    """Return the distinct patients of one partition, with the partition's number."""
    number = partition_info["number"] if partition_info else 0
    found = rows[["patient_id"]].drop_duplicates()
    return found.assign(partition=number).astype({"partition": "int64"})


def _write_jsonl(
    summaries: pd.DataFrame, folder: str, partition_info: dict[str, Any] | None = None
) -> pd.DataFrame:
    """Write one partition's records, one JSON object a line; return how many were written."""
    number = partition_info["number"] if partition_info else 0
    lines = [
        json.dumps(record_of(row) | {"disclaimer": DISCLAIMER_SHORT}, ensure_ascii=False) + "\n"
        for row in summaries.to_dict("records")
    ]
    with open(f"{folder}/part-{number:06d}.jsonl", "w", encoding="utf-8") as handle:  # noqa: PTH123
        handle.writelines(lines)
    return pd.DataFrame({"written": [len(lines)]})


def _outputs(job: Job, out: Path | None, staging: Path | None) -> tuple[Any, Any, Any]:
    """Build the summaries (or their writer), the repeated rows and the patients per partition."""
    import dask.dataframe as dd
    from dask.delayed import delayed

    groups = group_files(job.files, job.partition_bytes, by_patient=job.by_patient)
    tasks = [
        delayed(import_group, pure=True)(group, job.options, job.screening.library) for group in groups
    ]
    from rehab.scale.schema import empty_rows

    rows = dd.from_delayed([task.rows for task in tasks], meta=empty_rows(), verify_meta=False)
    partitioned = (
        rows
        if job.by_patient
        else rows.shuffle(
            on="patient_id", npartitions=_outputs_of(job, groups), shuffle_method=_shuffle_method()
        )
    )
    summaries = partitioned.map_partitions(screen, job.screening, meta=empty_summaries())
    patients = (
        rows.map_partitions(
            _patients, meta=pd.DataFrame({"patient_id": pd.Series(dtype="string"), "partition": []})
        )
        if job.by_patient
        else None
    )
    found = partitioned.map_partitions(repeats, meta=empty_repeats())
    reports = dd.from_delayed(
        [delayed(outcome_rows, pure=True)(task) for task in tasks],
        meta=empty_outcomes(),
        verify_meta=False,
    )
    if out is None or staging is None:
        return (summaries, found, patients), reports, None
    if out.suffix.lower() == ".jsonl":
        writer = summaries.map_partitions(
            _write_jsonl, str(staging), meta=pd.DataFrame({"written": pd.Series(dtype="int64")})
        )
    else:
        writer = summaries.assign(disclaimer=DISCLAIMER_SHORT).to_parquet(
            str(staging), write_index=False, compute=False
        )
    return (summaries.map_partitions(len), found, patients), reports, writer


def _shuffle_method() -> str:
    """Return the shuffle to use: Dask's configured one, else the task-based shuffle.

    Measured (docs/scale.md): with workers limited to 2 GB the peer-to-peer shuffle paused its
    worker for good (its buffers are memory the worker cannot spill); the task-based shuffle
    keeps every piece in the worker's managed memory, which spills to disk.
    """
    import dask

    configured = dask.config.get("dataframe.shuffle.method", None)
    return str(configured) if configured else "tasks"


def _outputs_of(job: Job, groups: list[list[InputFile]]) -> int:
    """Return how many partitions the shuffle makes: about ``partition_bytes`` each.

    A file larger than that is one import task, and is still screened in pieces; at most four
    partitions per import task.
    """
    total = sum(file.size for group in groups for file in group)
    wanted = -(-total // max(job.partition_bytes, 1))
    return int(min(4 * len(groups), max(len(groups), wanted)))


def _split(patients: pd.DataFrame | None) -> list[str]:
    """Patients found in more than one partition (an input not partitioned by patient)."""
    if patients is None or patients.empty:
        return []
    counts = patients.groupby("patient_id", dropna=False)["partition"].nunique()
    return sorted(str(p) for p in counts[counts > 1].index)


def _finish(out: Path, staging: Path) -> None:
    """Move the staged result into place: one JSON-lines file, or the Parquet folder."""
    if out.suffix.lower() == ".jsonl":
        with out.open("w", encoding="utf-8") as target:
            for part in sorted(staging.glob("part-*.jsonl")):
                target.write(part.read_text(encoding="utf-8"))
        shutil.rmtree(staging)
    else:
        staging.rename(out)


def run(job: Job, client: Client, out: Path | None = None) -> JobResult:
    """Screen the job's files on ``client``'s cluster.

    Without ``out`` the summaries come back (:attr:`JobResult.summaries`); with it they are
    written by the workers (``.parquet``: a folder of parts; ``.jsonl``: one file).
    """
    from dask.base import compute

    if not job.files:
        return JobResult(summaries=empty_summaries())
    staging = None if out is None else out.with_name(f".{out.name}.{os.getpid()}.part")
    if staging is not None:
        staging.mkdir(parents=True)
    try:
        (summaries, found, patients), reports, writer = _outputs(job, out, staging)
        computed = compute(  # type: ignore[no-untyped-call]
            summaries, found, patients, reports, writer, scheduler=client
        )
    except BaseException:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    summaries_out, found_out, patients_out, report_parts, _ = computed
    outcomes, notes = outcomes_of(report_parts)
    result = JobResult(outcomes=outcomes, notes=notes, split_patients=_split(patients_out))
    apply_repeats(result.outcomes, found_out)
    if out is None:
        result.summaries = summaries_out
    elif staging is not None:
        result.written = int(summaries_out.sum())
        if result.split_patients:
            shutil.rmtree(staging, ignore_errors=True)
        else:
            _finish(out, staging)
    return result
