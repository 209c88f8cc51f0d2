"""Many small files: the fixed cost of importing one file (issue 13: under 2 ms).

A clinic uploads one sessions and one pain file per patient. This imports 200 random
patients' files (400 files, 90 days each, with the sample's typos) with ``import_files``,
as the screening page does, and prints the cost per file, the same-process reference
(``pyarrow.csv.read_csv`` of every file), where each file's time goes, and the cost of a
file with one row (all fixed cost). Timings are medians of a few runs, the reference and
the import alternating, because a shared machine is noisy. Never fails on speed.
Run: ``.venv/bin/python benchmarks/files_bench.py [--patients N] [--days N] [--runs N]``.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow.csv as pacsv

from rehab.importer import ImportOptions, import_files
from rehab.importer.pipeline import import_bytes
from rehab.library import load_library
from rehab.sample import DEMO_END, random_cohort, write_cohort

if TYPE_CHECKING:
    from collections.abc import Callable


def build_files(patients: int, days: int) -> list[tuple[str, bytes]]:
    """One sessions and one pain file per patient, as a clinic receives them."""
    cohort = random_cohort(patients, days, end=DEMO_END)
    with tempfile.TemporaryDirectory() as folder:
        paths = write_cohort(cohort, Path(folder), typos=True)
        return [(p.name, p.read_bytes()) for p in sorted(paths) if p.suffix == ".csv"]


def _seconds(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def _both(action: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of ``action`` (CPU: this process, every thread; steadier when shared)."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def _raw(files: list[tuple[str, bytes]]) -> None:
    for _, data in files:
        pacsv.read_csv(io.BytesIO(data))


def steps(files: list[tuple[str, bytes]]) -> dict[str, float]:
    """Seconds per file in each import step (summed over the files, divided by their count)."""
    library, options = load_library(), ImportOptions()
    timings: dict[str, float] = {}
    for name, data in files:
        import_bytes(name, data, options, library, timings)
    return {step: seconds / len(files) for step, seconds in timings.items()}


def one_row_cost(files: list[tuple[str, bytes]], repeat: int = 200, *, same: bool = False) -> float:
    """Seconds to import a file of a header and one row: the fixed cost alone.

    Each copy is another patient's file (as in a clinic's upload) unless ``same``: then the
    one file is uploaded ``repeat`` times and every copy after the first is a cross-file
    repeat to drop and report (the figure this benchmark printed first).
    """
    name, data = files[0]
    lines = data.splitlines(keepends=True)
    row = b"".join(lines[:2])
    stem = name.partition("_")[2]
    tiny = [(name if same else f"PT-{i:05d}_{stem}", row) for i in range(repeat)]
    import_files(tiny)
    return _seconds(lambda: import_files(tiny)) / repeat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=200)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    files = build_files(args.patients, args.days)
    size = sum(len(data) for _, data in files)
    # Warm up both (lazy imports, the exercise library, pyarrow's thread pool).
    batch = import_files(files)
    _raw(files)
    raw_times, import_times, raw_cpu, import_cpu = [], [], [], []
    for _ in range(args.runs):
        wall, cpu = _both(lambda: _raw(files))
        raw_times.append(wall)
        raw_cpu.append(cpu)
        wall, cpu = _both(lambda: import_files(files))
        import_times.append(wall)
        import_cpu.append(cpu)
    raw, imported = statistics.median(raw_times), statistics.median(import_times)
    count = len(files)
    rows = sum(file.report.rows for file in batch.files)
    print(
        f"files: {count} ({args.patients} patients x {args.days} days), {rows:,} rows, "
        f"{size / 1e6:.1f} MB"
    )
    print(
        f"import_files: {imported:.3f} s, {imported / count * 1e3:.2f} ms per file "
        f"(best {min(import_times) / count * 1e3:.2f} ms; target: fixed cost under 2 ms)"
    )
    print(
        f"pyarrow.csv.read_csv of each file (reference): {raw:.3f} s, {raw / count * 1e3:.2f} ms per "
        f"file; ratio {imported / raw:.1f}x (median of {args.runs} runs)"
    )
    cpu, raw_cpu_median = statistics.median(import_cpu), statistics.median(raw_cpu)
    print(
        f"CPU time (process): import_files {cpu / count * 1e3:.2f} ms per file, reference "
        f"{raw_cpu_median / count * 1e3:.2f} ms per file; ratio {cpu / raw_cpu_median:.1f}x"
    )
    print(f"a file of one row (fixed cost only): {one_row_cost(files) * 1e3:.2f} ms")
    print(
        "the same file of one row 200 times (each copy a cross-file repeat): "
        f"{one_row_cost(files, same=True) * 1e3:.2f} ms"
    )
    print("where a file's time goes (ms per file):")
    for step, seconds in sorted(steps(files).items(), key=lambda item: -item[1]):
        print(f"  {step:<12} {seconds * 1e3:6.2f}")


if __name__ == "__main__":
    main()
