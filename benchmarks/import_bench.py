"""Import benchmark: a 1,000,000-row session log, against pyarrow's raw CSV parse.

Run with ``make bench`` (not part of CI). Prints the import time, rows per second, the
ratio to ``pyarrow.csv.read_csv`` of the same file in the same process, where the time
goes, and peak memory. Timings are the median of a few runs (the best is shown too),
because a shared machine is noisy.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from whole_process import compare_to_raw_parse

from rehab.importer import ImportOptions
from rehab.importer.decode import decode_bytes
from rehab.importer.parse import parse_exact
from rehab.importer.pipeline import import_bytes
from rehab.library import load_library

HEADER = "patient_id,date,time,exercise,sets,reps,hold_seconds,pain_before,pain_after,notes"


def _pick(
    rng: np.random.Generator, vocabulary: list[str], size: int, weights: list[float] | None = None
):
    """A pyarrow string column drawn from a small vocabulary (the way real logs repeat)."""
    p = None if weights is None else np.asarray(weights) / np.sum(weights)
    return pa.array(vocabulary).take(pa.array(rng.choice(len(vocabulary), size=size, p=p)))


def build_log(rows: int, seed: int = 7) -> bytes:
    """A realistic session log: 1,000 patients, a year of days, the four exercises under
    their usual names and aliases, a few typos (scores of 11, an unknown exercise), quoted
    notes with commas, and a sprinkle of exact duplicate rows (double exports)."""
    rng = np.random.default_rng(seed)
    days = np.datetime64("2026-01-01") + np.arange(365)
    times = [f"{h:02d}:{m:02d}" for h in range(6, 23) for m in range(0, 60, 3)]
    exercises = [
        "Back Extension",
        "Cat Stretch",
        "Hip Rolls",
        "Core",
        "back_extension",
        "knee rolls",
        "TA brace",
        "Plank",
    ]
    notes = ["", '"stiff, then fine"', "easier today", '"tight; ok after a walk"', "felt good"]
    scores = [str(s) for s in range(11)] + ["11", '"4,5"']
    score_weights = [1.0] * 11 + [0.01, 0.05]
    columns = [
        _pick(rng, [f"PT-{i:04d}" for i in range(1000)], rows),
        _pick(rng, [str(d) for d in days], rows),
        _pick(rng, times, rows),
        _pick(rng, exercises, rows, [25, 25, 25, 25, 3, 3, 3, 0.5]),
        _pick(rng, ["1", "2", "3"], rows),
        _pick(rng, ["8", "10", "12", "15"], rows),
        _pick(rng, ["5", "10", "15", ""], rows),
        _pick(rng, scores, rows, score_weights),
        _pick(rng, scores, rows, score_weights),
        _pick(rng, notes, rows, [90, 3, 3, 2, 2]),
    ]
    lines = pc.binary_join_element_wise(*columns, ",")
    duplicated = rng.choice(rows, size=rows // 1000, replace=False)
    lines = pa.concat_arrays([lines.slice(0, rows - len(duplicated)), lines.take(pa.array(duplicated))])
    body = "\n".join(lines.to_pylist())
    return f"{HEADER}\n{body}\n".encode()


def build_long_log(rows: int, seed: int = 7) -> bytes:
    """A long tracker export: name,timestamp,value, one pain row in four among other series.

    One measurement every 30 seconds, so rows are distinct as a real export's are.
    """
    rng = np.random.default_rng(seed)
    stamps = np.datetime64("2026-01-01T00:00:00") + np.arange(rows) * np.timedelta64(30, "s")
    columns = [
        _pick(rng, ["Back pain", "Steps", "Heart rate", "Sleep hours"], rows),
        pa.array(np.datetime_as_string(stamps, unit="s")),
        _pick(rng, [str(v) for v in range(11)], rows),
    ]
    body = "\n".join(pc.binary_join_element_wise(*columns, ",").to_pylist())
    return f"name,timestamp,value\n{body}\n".encode()


def mapping_costs(data: bytes, rows: int, library) -> None:
    """What the mapping step costs: on a mapped wide log, and reshaping a long one."""
    questions = data.replace(b"pain_before", b"How bad was the pain before?", 1)
    mapped = ImportOptions(mapping=(("How bad was the pain before?", "pain_before"),))
    plain_timings: dict[str, float] = {}
    mapped_timings: dict[str, float] = {}
    plain_seconds, _ = _timed(
        lambda: import_bytes("PT-b.csv", data, ImportOptions(), library, plain_timings)
    )
    mapped_seconds, _ = _timed(
        lambda: import_bytes("PT-b.csv", questions, mapped, library, mapped_timings)
    )
    print(
        f"mapping a question header (--map) on the {rows:,}-row log: header step "
        f"{mapped_timings['headers'] * 1e3:.2f} ms (unmapped {plain_timings['headers'] * 1e3:.2f} ms); "
        f"whole import {mapped_seconds:.3f} s vs {plain_seconds:.3f} s"
    )
    long = build_long_log(rows)
    options = ImportOptions(series=(("Back pain", "pain"),))
    long_timings: dict[str, float] = {}
    raw_seconds, _ = _timed(lambda: pacsv.read_csv(pa.py_buffer(long)))
    long_seconds, result = _timed(lambda: import_bytes("PT-b.csv", long, options, library, long_timings))
    print(
        f"long file ({rows:,} rows, {result.report.rows:,} of them pain): reshape "
        f"{long_timings['headers']:.3f} s, whole import {long_seconds:.3f} s "
        f"({long_seconds / raw_seconds:.2f}x its raw parse of {raw_seconds:.3f} s)"
    )


def _timed(action):
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def _interleaved(runs: int, reference, action):
    """Alternate reference and action so both see the same machine load; keep the median pair."""
    pairs = []
    for _ in range(runs):
        raw_seconds, _ = _timed(reference)
        import_seconds, result = _timed(action)
        pairs.append((import_seconds / raw_seconds, raw_seconds, import_seconds, result))
    pairs.sort(key=lambda pair: pair[0])
    return pairs


def _rss_mb() -> float:
    scale = 1024 if sys.platform != "darwin" else 1024 * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--process-runs", type=int, default=7, help="whole-process runs of each")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        path = Path(folder) / "PT-bench_sessions.csv"
        path.write_bytes(build_log(args.rows))
        data = path.read_bytes()
        built = time.perf_counter() - start
        print(f"log: {args.rows:,} rows, {len(data) / 1e6:.1f} MB, built in {built:.1f} s")

        library = load_library()
        options = ImportOptions()
        # Warm up both (thread pools, page cache, lazy imports) before timing.
        pacsv.read_csv(path)
        import_bytes(path.name, data, options, library)

        rss_before = _rss_mb()

        def one_import():
            # Keep only the report: holding every run's frames would measure the swap, not us.
            timings: dict[str, float] = {}
            return import_bytes(path.name, data, options, library, timings).report, timings

        pairs = _interleaved(args.runs, lambda: pacsv.read_csv(path), one_import)
        ratio, raw_seconds, import_seconds, (report, timings) = pairs[len(pairs) // 2]
        raw_all = [pair[1] for pair in pairs]
        import_all = [pair[2] for pair in pairs]

        tracemalloc.start()
        import_bytes(path.name, data, options, library)
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

        compare_to_raw_parse(
            "rehab validate --json",
            [sys.executable, "-m", "rehab", "validate", "--json"],
            [path],
            args.process_runs,
            "within 3x",
        )

        decoded = decode_bytes(data)
        exact_start = time.perf_counter()
        parse_exact(decoded.text(), ",")
        exact_seconds = time.perf_counter() - exact_start

    print(
        f"report: rows {report.rows:,}, accepted {report.accepted:,}, rejected {report.rejected:,}, "
        f"duplicates {report.duplicates:,}, issues {len(report.issues):,}"
    )
    print(
        f"pyarrow.csv.read_csv of the file (reference): {raw_seconds:.3f} s "
        f"(all runs {', '.join(f'{t:.3f}' for t in sorted(raw_all))})"
    )
    print(
        f"import_file of the same bytes (parse + validate + frames + report): {import_seconds:.3f} s "
        f"(all runs {', '.join(f'{t:.3f}' for t in sorted(import_all))})"
    )
    print(f"rows per second: {report.rows / import_seconds:,.0f}")
    print(
        f"ratio to the raw parse: {ratio:.2f}x (median of {len(pairs)} interleaved pairs; "
        f"range {pairs[0][0]:.2f}x-{pairs[-1][0]:.2f}x; target: within 3x)"
    )
    print("where the time goes (median run):")
    total = sum(timings.values())
    for step, seconds in sorted(timings.items(), key=lambda item: -item[1]):
        print(f"  {step:<12} {seconds:6.3f} s  {seconds / total:5.1%}")
    print(
        f"exact parser (csv module; used for files with blank lines, multi-line notes or "
        f"ragged rows), parse only: {exact_seconds:.2f} s"
    )
    mapping_costs(data, args.rows, library)
    print(
        f"peak memory: process RSS {_rss_mb():,.0f} MB (before the timed imports {rss_before:,.0f} MB); "
        f"pyarrow pool peak {pa.default_memory_pool().max_memory() / 1e6:,.0f} MB; "
        f"Python/numpy allocations peak {traced_peak / 1e6:,.0f} MB (tracemalloc)"
    )


if __name__ == "__main__":
    main()
