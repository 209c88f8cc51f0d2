"""PDF reports for a clinic's batch (issue 13): seconds for N one-page reports, serial and parallel.

    python benchmarks/report_bench.py [--patients 200] [--days 90] [--jobs 2] [--data DIR]

Makes a sample cohort (``rehab sample``) unless ``--data`` names one, analyses it once, then
times, in this process:

- the reference: the serial path as it was before issue 13 (each chart validated by Altair and
  drawn straight to PNG by ``rehab.charts.chart_png``, one report after another);
- the serial path now (``write_report_batch(jobs=1)``: each chart's spec from the template of
  its shape, see ``rehab.reports.pdf.report_chart_spec``);
- the parallel path (``write_report_batch(jobs=N)``, worker start-up included).

``rehab report`` starts its workers before it imports and analyses the logs
(``rehab.reports.batch.ReportWorkers``), so their start-up, counted here, overlaps the analysis
there; that only shows in the whole-process figures.

Prints seconds, seconds per report and each path's ratio to the reference. It measures and
never judges: no threshold, exit status 0. Whole-process figures (``rehab report`` from start
to exit) come from timing the command itself, e.g. ``/usr/bin/time -v rehab report ...``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from unittest import mock

from rehab import cli
from rehab.charts import chart_png
from rehab.library import load_library
from rehab.reports import pdf
from rehab.reports.batch import default_jobs, write_report_batch

if TYPE_CHECKING:
    from collections.abc import Callable

    from rehab.analysis import CohortAnalysis


def _reference_png(cohort: CohortAnalysis, patient_id: str) -> bytes:
    """The chart as drawn before issue 13: validated while built and again, straight to PNG."""
    from altair.utils.schemapi import debug_mode

    with debug_mode(True):
        chart = pdf._pain_chart(cohort.patients[patient_id], cohort.settings)
    return chart_png(chart, scale=pdf.CHART_SCALE, width=pdf.CHART_WIDTH_PX)


def _timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=200)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--data", type=Path, help="a folder of logs to use instead of a new sample")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        data = args.data or Path(scratch) / "logs"
        if args.data is None:
            cli.main(
                [
                    "sample",
                    "--patients",
                    str(args.patients),
                    "--days",
                    str(args.days),
                    "--out",
                    str(data),
                ]
            )
        files = [str(path) for path in sorted(data.iterdir()) if path.suffix == ".csv"]
        started = time.perf_counter()
        _, cohort = cli._analyse(cli.build_parser().parse_args(["report", "--out", scratch, *files]))
        analysis = time.perf_counter() - started
        count = len(cohort.patients)
        library, generated = load_library(), datetime.now().astimezone()
        out = Path(scratch)

        def batch(jobs: int, folder: str) -> None:
            write_report_batch(cohort, out / folder, library=library, generated_at=generated, jobs=jobs)

        def reference() -> None:
            with mock.patch.object(pdf, "pain_chart_png", _reference_png):
                batch(1, "reference")

        print(f"{count} patients; import and analysis {analysis:.2f} s (once, not in the figures below)")
        figures = {
            "reference (serial, before)": _timed(reference),
            "serial now (jobs=1)": _timed(lambda: batch(1, "serial")),
            f"parallel (jobs={args.jobs})": _timed(lambda: batch(args.jobs, "parallel")),
        }
    base = figures["reference (serial, before)"]
    for name, seconds in figures.items():
        per_report = seconds / max(count, 1) * 1000
        print(
            f"{name:28} {seconds:8.2f} s  {per_report:7.1f} ms/report  {seconds / base:5.2f}x reference"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
