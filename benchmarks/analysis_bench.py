"""Benchmark the analysis engine on 1,000 patients x 90 days (about 1M session rows).

Prints, in one run: the raw ``pyarrow.csv.read_csv`` parse of the same logs written to CSV,
the analysis of frames built in memory, and (when ``rehab.importer.import_files`` exists)
import + analysis from the CSV files; with peak memory and the ratios to the raw parse.
Then ``rehab summary --json`` as a whole process (start-up and imports included) against a
process that only does the raw parse, run in turn (A B A B ...), with each pair's ratio: the
figure issue 13 sets (within 6x). Run: ``.venv/bin/python benchmarks/analysis_bench.py
[--patients N] [--days N] [--runs N]``. Never fails on speed: it measures and prints.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.csv as pacsv
from whole_process import compare_to_raw_parse

from rehab.analysis import analyse
from rehab.importer import import_files
from rehab.sample import DEMO_END, random_cohort

if TYPE_CHECKING:
    from collections.abc import Callable

    import pandas as pd

    from rehab.analysis.engine import CohortAnalysis

AS_OF = DEMO_END


def generate(patients: int, days: int, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The sample generator's large mixed cohort (the same one ``rehab sample`` writes)."""
    cohort = random_cohort(patients, days, seed=seed, end=AS_OF)
    return cohort.sessions, cohort.pain


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write the log columns (not the provenance) as a plain CSV."""
    columns = [c for c in frame.columns if c not in ("source_file", "source_row", "exercise_known")]
    out = frame[columns].copy()
    out["date"] = out["date"].dt.strftime("%Y-%m-%d")
    pacsv.write_csv(pa.Table.from_pandas(out, preserve_index=False), path)


def timed(label: str, action: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """Best wall time of ``repeat`` runs."""
    best, result = float("inf"), None
    for _ in range(repeat):
        began = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - began)
    print(f"{label:<44} {best:8.3f} s")
    return best, result


def traced_peak(action: Callable[[], Any]) -> float:
    """Peak Python-tracked memory of one run, in MiB (numpy and pandas buffers included)."""
    tracemalloc.start()
    action()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def phase_machine_time(sessions: pd.DataFrame, pain: pd.DataFrame) -> float:
    """Time of the per-patient phase state machine alone (the only loop over patients)."""
    from rehab.analysis.daily import build_grid, daily_pain
    from rehab.analysis.inputs import prepare
    from rehab.analysis.phases import phase_timeline
    from rehab.settings import DEFAULT_SETTINGS

    logs = prepare(sessions, pain, AS_OF)
    grid = build_grid(logs)
    days = daily_pain(grid, logs.pain_entries, DEFAULT_SETTINGS.current_window_days)
    began = time.perf_counter()
    phase_timeline(grid, days, DEFAULT_SETTINGS)
    return time.perf_counter() - began


def _without_rows(payload: dict[str, Any]) -> dict[str, Any]:
    """The summary without the file rows flags point at (files differ, findings must not)."""
    for patient in payload["patients"]:
        for flag in patient["flags"]:
            flag.pop("rows", None)
    return payload


def import_and_analyse(paths: list[Path]) -> CohortAnalysis:
    """Import the CSV files with ``rehab.importer.import_files``, then analyse every patient."""
    batch = import_files([(path.name, path.read_bytes()) for path in paths])
    return analyse(batch.sessions, batch.pain, as_of=AS_OF)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--runs", type=int, default=5, help="whole-process runs of each command")
    args = parser.parse_args()
    began = time.perf_counter()
    sessions, pain = generate(args.patients, args.days)
    print(
        f"{args.patients} patients x {args.days} days: {len(sessions):,} session rows, "
        f"{len(pain):,} pain rows (generated in {time.perf_counter() - began:.1f} s)"
    )
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / "sessions.csv", Path(folder) / "pain.csv"]
        write_csv(sessions, paths[0])
        write_csv(pain, paths[1])
        size = sum(path.stat().st_size for path in paths) / 2**20
        print(f"CSV size: {size:.1f} MiB")
        raw, _ = timed(
            "raw pyarrow.csv.read_csv (both files)", lambda: [pacsv.read_csv(p) for p in paths]
        )
        analysis, cohort = timed(
            "analysis of in-memory frames", lambda: analyse(sessions, pain, as_of=AS_OF)
        )
        print(f"{'  of which the phase state machine':<44} {phase_machine_time(sessions, pain):8.3f} s")
        print(f"{'  patients analysed':<44} {len(cohort.patients):8d}")
        print(f"{'  summary_json + triage':<44} ", end="")
        began = time.perf_counter()
        cohort.summary_json()
        cohort.triage()
        print(f"{time.perf_counter() - began:7.3f} s")
        print(f"analysis / raw parse: {analysis / raw:5.1f}x")
        full, imported = timed("import + analysis from CSV", lambda: import_and_analyse(paths), repeat=2)
        print(f"{'  patients analysed':<44} {len(imported.patients):8d}")
        same = _without_rows(imported.summary_json()) == _without_rows(cohort.summary_json())
        print(f"{'  same summary as the in-memory analysis':<44} {'yes' if same else 'NO':>8}")
        print(f"import + analysis / raw parse: {full / raw:5.1f}x  (target: within 10x)")
        peak_full = traced_peak(lambda: import_and_analyse(paths))
        print(f"peak memory traced during import + analysis: {peak_full:,.0f} MiB")
        peak = traced_peak(lambda: analyse(sessions, pain, as_of=AS_OF))
        print(f"peak memory traced during analysis: {peak:,.0f} MiB")
        compare_to_raw_parse(
            "rehab summary --json",
            [sys.executable, "-m", "rehab", "summary", "--json", "--as-of", AS_OF.isoformat()],
            paths,
            args.runs,
            "within 6x",
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the whole run: {rss:,.0f} MiB")


if __name__ == "__main__":
    main()
