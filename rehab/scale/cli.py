"""``rehab summary --engine dask``: the options, and the command that runs on a cluster."""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import redirect_stdout
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from rehab.importer import ImportBatch
    from rehab.scale.job import JobResult
    from rehab.settings import RuleSettings


def add_summary_options(summary: argparse.ArgumentParser) -> None:
    """Add ``--engine``, ``--scheduler`` and ``--out`` to the summary command."""
    summary.add_argument(
        "--engine",
        choices=("pandas", "dask"),
        default="pandas",
        help="pandas: in this process (default); dask: partitioned by patient on a Dask cluster",
    )
    summary.add_argument(
        "--scheduler", default=None, metavar="ADDRESS", help="a running Dask scheduler (dask engine)"
    )
    summary.add_argument(
        "--out", type=Path, default=None, metavar="RESULT", help="write .parquet or .jsonl (dask engine)"
    )
    summary.add_argument(
        "--partitioned-by-patient",
        action="store_true",
        help="dask engine: the files already hold whole patients (files named alike, e.g. "
        "b017/sessions.parquet and b017/pain.parquet, together): no shuffle; a patient found "
        "in two partitions is refused",
    )
    summary.add_argument(
        "--workers",
        type=_positive_int,
        default=None,
        metavar="N",
        help="dask engine without --scheduler: local worker processes (default: one per core)",
    )
    summary.add_argument(
        "--worker-memory",
        default=None,
        metavar="SIZE",
        help="dask engine without --scheduler: memory limit per worker, e.g. 2GB (default: "
        "the machine's memory shared equally)",
    )
    summary.add_argument(
        "--partition-mb",
        type=_positive_float,
        default=16.0,
        metavar="MB",
        help="dask engine: megabytes of input files per import task and partition (default: 16)",
    )


# The options that only the dask engine reads, with the value each has when not given.
_DASK_ONLY = {
    "scheduler": None,
    "out": None,
    "partitioned_by_patient": False,
    "workers": None,
    "worker_memory": None,
    "partition_mb": 16.0,
}


def dask_only_options(args: argparse.Namespace) -> list[str]:
    """Name the dask-only options that were given (the pandas engine would ignore them)."""
    return [
        "--" + name.replace("_", "-")
        for name, unset in _DASK_ONLY.items()
        if getattr(args, name, unset) != unset
    ]


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number above 0, got {text!r}")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a number above 0, got {text!r}")
    return value


def _check_output(args: argparse.Namespace) -> None:
    out: Path | None = args.out
    if out is None:
        return
    if args.json:
        raise SystemExit("rehab: --json prints the summary and --out writes it; choose one")
    if out.suffix.lower() not in (".parquet", ".jsonl"):
        raise SystemExit(f"rehab: --out must end in .parquet or .jsonl, got {out.name!r}")
    if out.exists():
        raise SystemExit(f"rehab: {out} already exists; remove it or choose another name")


def _print_import_report(batch: ImportBatch) -> None:
    """To stderr: ``rehab validate``'s lines for every file with something to say, and totals."""
    from rehab.cli import _print_report
    from rehab.importer import ImportBatch

    reports = [f.report for f in batch.files]
    noted = [f for f in batch.files if f.report.issues or not f.report.usable]
    with redirect_stdout(sys.stderr):
        _print_report(ImportBatch(noted))
    print(
        f"rehab: {len(reports):,} files, {sum(r.rows for r in reports):,} rows: "
        f"{sum(r.accepted for r in reports):,} accepted, {sum(r.rejected for r in reports):,} "
        f"rejected, {sum(r.duplicates for r in reports):,} duplicates",
        file=sys.stderr,
    )


def summary_document(summaries: pd.DataFrame, as_of: date) -> str:
    """Return what ``rehab summary --json`` prints for these summaries (triage order, disclaimer)."""
    from rehab.analysis.triage import triage_order
    from rehab.disclaimer import DISCLAIMER_SHORT

    records = _records(summaries)
    payload: dict[str, Any] = {
        "as_of": as_of.isoformat(),
        "patients": [records[s.patient_id] for s in triage_order(_models(records))],
        "disclaimer": DISCLAIMER_SHORT,
    }
    return json.dumps(payload, indent=2, ensure_ascii=False)


def _records(summaries: pd.DataFrame) -> dict[str, dict[str, Any]]:
    from rehab.scale.schema import record_of

    return {r["patient_id"]: r for r in map(record_of, summaries.to_dict("records"))}


def _print_summary(result: JobResult, args: argparse.Namespace, as_of: date, settings: Any) -> None:
    from rehab.disclaimer import DISCLAIMER_SHORT

    if args.out is not None:
        print(f"wrote {result.written:,} patient summaries to {args.out}")
        return
    assert result.summaries is not None  # collected when there is no --out
    if args.json:
        print(summary_document(result.summaries, as_of))
        return
    print(_table(_models(_records(result.summaries)), as_of, settings))
    print()
    print(DISCLAIMER_SHORT)


def _models(records: dict[str, dict[str, Any]]) -> list[Any]:
    from rehab.analysis import PatientSummary

    return [PatientSummary.model_validate(record) for record in records.values()]


def _table(summaries: list[Any], as_of: date, settings: RuleSettings) -> str:
    """``rehab summary``'s plain-text table, from the summaries alone."""
    import pandas as pd

    from rehab.analysis import CohortAnalysis, PatientAnalysis
    from rehab.present import summary_table

    patients = {
        s.patient_id: PatientAnalysis(
            summary=s,
            daily=pd.DataFrame(),
            phases=s.phases,
            exercise_response=pd.DataFrame(),
            flags=s.flags,
        )
        for s in summaries
    }
    return summary_table(CohortAnalysis(as_of=as_of, settings=settings, patients=patients))


def run_summary(args: argparse.Namespace) -> int:
    """Run the summary on Dask and return the exit status.

    The same importer and engine as ``rehab summary``, partitioned by patient; ``--json``
    prints exactly what the in-process command prints, the import report goes to stderr, and
    the exit status is 2 when no row of some file could be used.
    """
    from rehab.cli import _library, _settings, _unused_files, import_options
    from rehab.scale.inputs import expand_inputs
    from rehab.scale.job import Job, connect, run
    from rehab.scale.partition import Screening
    from rehab.scale.reports import report_batch

    _check_output(args)
    settings = _settings(args.set)
    as_of = args.as_of or date.today()
    _library(args)  # a broken library file is said before any cluster starts
    job = Job(
        files=expand_inputs(args.files),
        options=import_options(args, as_of),
        screening=Screening(as_of=as_of, settings=settings, library=args.library),
        partition_bytes=max(int(args.partition_mb * 1024 * 1024), 1),
        by_patient=args.partitioned_by_patient,
    )
    with connect(args.scheduler, args.workers, args.worker_memory) as client:
        result = run(job, client, args.out)
    for note in result.notes:
        print(f"rehab: {note}", file=sys.stderr)
    batch = report_batch(result.outcomes)
    _print_import_report(batch)
    if result.split_patients:
        named = ", ".join(result.split_patients[:3])
        print(
            f"rehab: the input is not partitioned by patient: {len(result.split_patients):,} "
            f"patients (e.g. {named}) have rows in more than one partition; nothing was written. "
            "Run without --partitioned-by-patient to shuffle the rows by patient.",
            file=sys.stderr,
        )
        return 2
    _print_summary(result, args, as_of, settings)
    return _unused_files(batch)
