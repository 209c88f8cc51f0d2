"""Benchmark ``rehab summary --engine dask`` out of core: 20,000 patients x 90 days.

Writes the sample generator's random patients (the cohort ``rehab sample --patients`` makes,
about 850 session and 100 pain rows a patient) into a temporary folder as Parquet partitioned
by patient: ``bucket=NNN/sessions.parquet`` and ``bucket=NNN/pain.parquet``, each bucket
holding whole patients, cells as the export writes them. Then screens it on a local cluster
of 1 and of 2 worker processes limited to ``--worker-memory`` each (default 2 GB), through the
shuffle on patient_id and without it (``--paths``), writing the summaries to Parquet. Prints
rows per second, each worker's peak memory and the speed-up from 1 to 2 workers.

Run: ``make bench-scale`` or ``.venv/bin/python benchmarks/scale_bench.py [--patients N]
[--data DIR]`` (``--data`` keeps the generated cohort there and reuses it).
Not in CI; never fails on speed: it measures and prints.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from rehab.importer import ImportOptions
from rehab.library import load_library
from rehab.sample import DEMO_END, random_cohort
from rehab.sample.export import render
from rehab.scale.inputs import expand_inputs
from rehab.scale.job import Job, connect, run
from rehab.scale.partition import Screening
from rehab.settings import DEFAULT_SETTINGS

AS_OF = DEMO_END


def write_cohort(folder: Path, patients: int, days: int, bucket_size: int) -> tuple[int, int]:
    """Write the cohort bucket by bucket (bounded memory); return (session rows, pain rows)."""
    library = load_library()
    counts = [0, 0]
    for bucket, start in enumerate(range(0, patients, bucket_size)):
        size = min(bucket_size, patients - start)
        cohort = random_cohort(size, days, seed=1000 + bucket, end=AS_OF)
        rng = np.random.default_rng(bucket)
        where = folder / f"bucket={bucket:03d}"
        where.mkdir(parents=True)
        for index, (kind, frame) in enumerate((("sessions", cohort.sessions), ("pain", cohort.pain))):
            # Ids unique across buckets: PT-00001 of bucket 3 is B003-PT-00001.
            frame = frame.assign(patient_id=f"B{bucket:03d}-" + frame["patient_id"].astype(str))
            cells = render(kind, frame, rng, library).astype(str)
            pq.write_table(pa.Table.from_pandas(cells, preserve_index=False), where / f"{kind}.parquet")
            counts[index] += len(frame)
        print(f"  bucket {bucket}: {size} patients", flush=True)
    return counts[0], counts[1]


@dataclass
class Run:
    """One screening: its workers, wall time, rows and the workers' peak memory."""

    label: str
    workers: int
    seconds: float
    rows: int
    patients: int
    peak_mb: list[float]


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux: the worker process's peak resident memory.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def screen(folder: Path, workers: int, memory: str, *, by_patient: bool, partition_mb: float) -> Run:
    """Screen the folder on a fresh local cluster of ``workers`` processes."""
    job = Job(
        files=expand_inputs([folder]),
        options=ImportOptions(as_of=AS_OF),
        screening=Screening(as_of=AS_OF, settings=DEFAULT_SETTINGS),
        partition_bytes=int(partition_mb * 1024 * 1024),
        by_patient=by_patient,
    )
    out = Path(tempfile.gettempdir()) / f"rehab-scale-result-{workers}-{int(by_patient)}.parquet"
    with connect(None, workers, memory) as client:
        start = time.perf_counter()
        result = run(job, client, out)
        seconds = time.perf_counter() - start
        peaks = client.run(_peak_rss_mb)
    shutil.rmtree(out, ignore_errors=True)
    return Run(
        label="partitioned, no shuffle" if by_patient else "shuffle on patient_id",
        workers=workers,
        seconds=seconds,
        rows=sum(outcome.report.rows for outcome in result.outcomes),
        patients=result.written,
        peak_mb=sorted(peaks.values()),
    )


def _runs(args: argparse.Namespace, folder: Path) -> list[Run]:
    runs = []
    for path in args.paths.split(","):
        for workers in (int(n) for n in args.workers.split(",")):
            print(f"screening with {workers} worker(s), {path} ...", flush=True)
            runs.append(
                screen(
                    folder,
                    workers,
                    args.worker_memory,
                    by_patient=path == "partitioned",
                    partition_mb=args.partition_mb,
                )
            )
            print(f"  {runs[-1].seconds:.1f} s", flush=True)
    return runs


def _cohort(args: argparse.Namespace, folder: Path) -> None:
    if folder.exists() and any(folder.rglob("*.parquet")):
        print(f"reusing the cohort in {folder}", flush=True)
        return
    print(f"writing {args.patients:,} patients x {args.days} days as Parquet ...", flush=True)
    start = time.perf_counter()
    sessions, pain = write_cohort(folder, args.patients, args.days, args.bucket)
    size = sum(p.stat().st_size for p in folder.rglob("*.parquet"))
    print(
        f"  {sessions:,} session + {pain:,} pain rows, {size / 1e6:.0f} MB Parquet, "
        f"{time.perf_counter() - start:.0f} s",
        flush=True,
    )


def _print(runs: list[Run], limit: str) -> None:
    print()
    print(f"| path | workers | seconds | rows/s | patients | peak memory per worker (limit {limit}) |")
    print("|---|---|---|---|---|---|")
    for item in runs:
        peaks = ", ".join(f"{mb:,.0f} MB" for mb in item.peak_mb)
        print(
            f"| {item.label} | {item.workers} | {item.seconds:.1f} | {item.rows / item.seconds:,.0f} | "
            f"{item.patients:,} | {peaks} |"
        )
    for label in dict.fromkeys(item.label for item in runs):
        same = [item for item in runs if item.label == label]
        if len(same) == 2:
            print(
                f"speed-up {same[0].workers} -> {same[1].workers} workers ({label}): "
                f"{same[0].seconds / same[1].seconds:.2f}x"
            )


def main() -> None:
    """Generate the cohort (or reuse ``--data``), screen it, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--bucket", type=int, default=500, help="patients per Parquet bucket")
    parser.add_argument("--worker-memory", default="2GB")
    parser.add_argument("--partition-mb", type=float, default=16.0)
    parser.add_argument("--workers", default="1,2", help="worker counts to run, e.g. 1,2")
    parser.add_argument(
        "--paths", default="shuffle,partitioned", help="shuffle (on patient_id), partitioned (none)"
    )
    parser.add_argument("--data", type=Path, default=None, help="keep the cohort here and reuse it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rehab-scale-") as tmp:
        folder = args.data or Path(tmp) / "cohort"
        _cohort(args, folder)
        runs = _runs(args, folder)
    _print(runs, args.worker_memory)


if __name__ == "__main__":
    main()
