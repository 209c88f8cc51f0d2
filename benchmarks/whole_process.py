"""A command against the raw parse of the same files, as whole processes (issue 13's figures).

Shared by ``import_bench.py`` and ``analysis_bench.py``: the two commands run in turn (A B A B),
after one warm-up each, and the wall and CPU (user + system) ratios are printed pair by pair,
so a drift in the machine's speed moves both sides of each ratio alike.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

# Every file's rows, parsed by pyarrow and nothing else: the reference process.
RAW_PARSE = "import sys, pyarrow.csv as c; print(sum(c.read_csv(p).num_rows for p in sys.argv[1:]))"


def child_run(command: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one child process, output discarded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def compare_to_raw_parse(
    name: str, command: list[str], paths: list[Path], runs: int, target: str
) -> None:
    """Print ``command`` (the paths appended) against the raw parse of ``paths``: min and median."""
    files = [str(path) for path in paths]
    commands = {name: [*command, *files], "raw parse process": [sys.executable, "-c", RAW_PARSE, *files]}
    for each in commands.values():
        child_run(each)  # warm-up: file cache, bytecode
    times: dict[str, list[tuple[float, float]]] = {label: [] for label in commands}
    for _ in range(runs):
        for label, each in commands.items():
            times[label].append(child_run(each))
    for label, runs_of in times.items():
        walls, cpus = [w for w, _ in runs_of], [c for _, c in runs_of]
        print(
            f"{label:<24} wall min {min(walls):6.2f} median {statistics.median(walls):6.2f} s, "
            f"cpu min {min(cpus):6.2f} median {statistics.median(cpus):6.2f} s"
        )
    (a, b) = times.values()
    for index, what in ((0, "wall"), (1, "cpu")):
        ratios = [x[index] / y[index] for x, y in zip(a, b, strict=True)]
        print(
            f"whole process, {name} / raw parse ({what}): min {min(ratios):4.2f}x, "
            f"median {statistics.median(ratios):4.2f}x  (target: {target})"
        )
