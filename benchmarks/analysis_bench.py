"""Benchmark the analysis engine on 1,000 patients x 90 days (about 1M session rows).

Prints, in one run: the raw ``pyarrow.csv.read_csv`` parse of the same logs written to CSV,
the analysis of frames built in memory, and (when ``rehab.importer.import_files`` exists)
import + analysis from the CSV files; with peak memory and the ratios to the raw parse.
Run: ``.venv/bin/python benchmarks/analysis_bench.py [--patients N] [--days N]``.
Never fails on speed: it measures and prints.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from rehab.analysis import analyse
from rehab.schema import coerce_frame

if TYPE_CHECKING:
    from collections.abc import Callable

    from rehab.analysis.engine import CohortAnalysis

EXERCISES = np.array(["back_extension", "cat_stretch", "hip_rolls", "core"], dtype=object)
AS_OF = date(2026, 12, 1)
NOTES = np.array(
    ["felt stiff", "good session", "tired today", "easier than yesterday", "woke me at night"],
    dtype=object,
)


def generate(patients: int, days: int, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Make canonical session and pain frames: ~11 sessions and ~1.1 pain entries a patient-day."""
    rng = np.random.default_rng(seed)
    first = np.datetime64(AS_OF - timedelta(days=days - 1))
    patient_ids = np.array([f"PT-{n:05d}" for n in range(patients)], dtype=object)
    # Pain: each patient improves at their own pace, with daily noise.
    start_pain = rng.uniform(4, 8, patients)
    pace = rng.uniform(0.02, 0.12, patients)
    day_index = np.arange(days)
    level = start_pain[:, None] * np.exp(-pace[:, None] * day_index[None, :])
    level += rng.normal(0, 0.7, (patients, days))
    # Sessions: per patient, day and exercise, 0-4 rows around the 3-a-day target.
    counts = rng.binomial(4, rng.uniform(0.55, 0.95, patients)[:, None, None], (patients, days, 4))
    cell_patient, cell_day, cell_exercise = np.nonzero(counts >= 0)
    repeat = counts.ravel()
    rows = int(repeat.sum())
    session_patient = np.repeat(cell_patient, repeat)
    session_day = np.repeat(cell_day, repeat)
    pain_before = np.clip(
        np.round(level[session_patient, session_day] + rng.normal(0, 0.5, rows)), 0, 10
    )
    pain_after = np.clip(pain_before + rng.choice([-1, 0, 0, 0, 1], rows), 0, 10)
    # Each performance of an exercise on a day gets its own time (no two rows are identical,
    # so the importer's duplicate check keeps them all): 07:xx, 11:xx, 15:xx, 19:xx.
    occurrence = np.arange(rows) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    session_time = _clock(7 * 60 + 240 * occurrence + rng.integers(0, 60, rows))
    rated = rng.random(rows) < 0.6
    noted = rng.random(rows) < 0.01
    sessions = pd.DataFrame(
        {
            "patient_id": patient_ids[session_patient],
            "date": first + session_day.astype("timedelta64[D]"),
            "time": session_time,
            "exercise": EXERCISES[np.repeat(cell_exercise, repeat)],
            "sets": 1.0,
            "reps": rng.choice([8.0, 10.0, 10.0, np.nan], rows),
            "hold_seconds": rng.choice([5.0, 10.0, 15.0, np.nan], rows),
            "pain_before": np.where(rated, pain_before, np.nan),
            "pain_after": np.where(rated, pain_after, np.nan),
            "notes": np.where(noted, NOTES[rng.integers(0, len(NOTES), rows)], None),
            "source_file": "sessions.csv",
            "source_row": np.arange(2, rows + 2),
        }
    )
    entries = rng.poisson(1.1, (patients, days))
    pain_patient = np.repeat(np.repeat(np.arange(patients), days), entries.ravel())
    pain_day = np.repeat(np.tile(day_index, patients), entries.ravel())
    count = len(pain_patient)
    pain_occurrence = np.arange(count) - np.repeat(
        np.cumsum(entries.ravel()) - entries.ravel(), entries.ravel()
    )
    pain_time = _clock(8 * 60 + 120 * pain_occurrence + rng.integers(0, 60, count))
    pain = pd.DataFrame(
        {
            "patient_id": patient_ids[pain_patient],
            "date": first + pain_day.astype("timedelta64[D]"),
            "time": pain_time,
            "pain": np.clip(np.round(level[pain_patient, pain_day] + rng.normal(0, 0.5, count)), 0, 10),
            "flare": rng.random(count) < 0.005,
            "source_file": "pain.csv",
            "source_row": np.arange(2, count + 2),
        }
    )
    return coerce_frame("sessions", sessions), coerce_frame("pain", pain)


def _clock(minutes: np.ndarray) -> np.ndarray:
    """``HH:MM`` text for minutes after midnight (kept within the day)."""
    minutes = np.minimum(minutes, 23 * 60 + 59)
    hours, rest = np.divmod(minutes, 60)
    text = np.char.add(np.char.zfill(hours.astype(str), 2), ":")
    return np.asarray(np.char.add(text, np.char.zfill(rest.astype(str), 2)), dtype=object)


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


def import_and_analyse(paths: list[Path]) -> CohortAnalysis:
    """Import the CSV files with ``rehab.importer.import_files``, then analyse every patient."""
    from rehab.importer import import_files

    batch = import_files([(path.name, path.read_bytes()) for path in paths])
    return analyse(batch.sessions, batch.pain, as_of=AS_OF)


def importer_available() -> bool:
    """Whether the importer (written alongside the analysis) can be used in this checkout."""
    try:
        from rehab.importer import import_files  # noqa: F401
    except ImportError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--days", type=int, default=90)
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
        if importer_available():
            full, imported = timed(
                "import + analysis from CSV", lambda: import_and_analyse(paths), repeat=2
            )
            print(f"{'  patients analysed':<44} {len(imported.patients):8d}")
            same = imported.summary_json() == cohort.summary_json()
            print(f"{'  same summary as the in-memory analysis':<44} {'yes' if same else 'NO':>8}")
            print(f"import + analysis / raw parse: {full / raw:5.1f}x  (target: within 10x)")
            peak_full = traced_peak(lambda: import_and_analyse(paths))
            print(f"peak memory traced during import + analysis: {peak_full:,.0f} MiB")
        else:
            print("rehab.importer is not available: import + analysis not measured")
        peak = traced_peak(lambda: analyse(sessions, pain, as_of=AS_OF))
        print(f"peak memory traced during analysis: {peak:,.0f} MiB")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the whole run: {rss:,.0f} MiB")


if __name__ == "__main__":
    main()
