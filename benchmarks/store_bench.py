"""Benchmark the clinic workspace on 1,000 patients x 90 days (about 1M session rows).

Prints, in one run and against references measured in the same process:

1. From the store to the triage table (open the workspace, read every stored row back into
   the canonical frames, analyse, ``rehab.screening.screening_frame``) against the same from
   the raw CSV files (import every patient's two files, analyse, ``screening_frame``).
   Target: within 2x. The raw ``pyarrow.csv.read_csv`` of the files is printed as the floor.
2. Importing one patient's weekly export into that workspace (the new week only, and the
   patient's whole history as most apps export it, merged against 900 stored rows).
   Target: under 200 ms.
3. SQLite (stdlib ``sqlite3``, WAL) against DuckDB on the store's own work: one bulk import in
   one transaction, reading every row back as canonical frames, one patient's merge
   transaction, four threads writing at once, and a second process opening the same file.

Run: ``.venv/bin/python benchmarks/store_bench.py [--patients N] [--days N]``.
Never fails on speed: it measures and prints.
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pyarrow.csv as pacsv

from rehab.analysis import analyse
from rehab.importer import import_files
from rehab.sample import DEMO_END, random_cohort, write_cohort
from rehab.screening import screening_frame
from rehab.store import Workspace
from rehab.store.summary import stored_batch

if TYPE_CHECKING:
    from collections.abc import Callable

AS_OF = DEMO_END
WEEK = timedelta(days=7)


def best(action: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """Best wall time of ``repeat`` runs, and the last result."""
    fastest, result = float("inf"), None
    for _ in range(repeat):
        began = time.perf_counter()
        result = action()
        fastest = min(fastest, time.perf_counter() - began)
    return fastest, result


def write_files(patients: int, days: int, folder: Path) -> tuple[Path, Path]:
    """The cohort's exports as a clinic receives them: all 90 days, and up to a week ago."""
    cohort = random_cohort(patients, days, end=AS_OF)
    cutoff = AS_OF - WEEK
    earlier = replace(
        cohort,
        sessions=cohort.sessions[cohort.sessions["date"].dt.date <= cutoff],
        pain=cohort.pain[cohort.pain["date"].dt.date <= cutoff],
    )
    full, before = folder / "full", folder / "before"
    write_cohort(cohort, full, typos=False)
    write_cohort(earlier, before, typos=False)
    # The same cohort as two big files with a patient column (an EHR's bulk export).
    (folder / "one").mkdir()
    for kind in ("sessions", "pain"):
        frame = getattr(cohort, kind).drop(columns=["source_file", "source_row"])
        frame = frame.drop(columns=["exercise_known"], errors="ignore")
        frame.assign(date=frame["date"].dt.strftime("%Y-%m-%d")).to_csv(
            folder / "one" / f"{kind}.csv", index=False
        )
    return full, before


def read_folder(folder: Path) -> list[tuple[str, bytes]]:
    """Every CSV in the folder as ``(name, bytes)``."""
    return [(path.name, path.read_bytes()) for path in sorted(folder.glob("*.csv"))]


def last_week(name: str, data: bytes) -> tuple[str, bytes]:
    """The rows of the last week of one export (what a weekly export holds)."""
    header, *rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    since = (AS_OF - WEEK).isoformat()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(row for row in rows if row[0] > since)
    return name, buffer.getvalue().encode("utf-8")


def from_files(files: list[tuple[str, bytes]]) -> int:
    """Import the CSV files, analyse, build the triage table; return its rows."""
    batch = import_files(files)
    cohort = analyse(batch.sessions, batch.pain, as_of=AS_OF)
    return len(screening_frame(cohort, batch))


def from_store(path: Path) -> int:
    """Open the workspace, read every stored row, analyse, build the triage table."""
    with Workspace.open(path) as workspace:
        sessions, pain = workspace.frames()
    cohort = analyse(sessions, pain, as_of=AS_OF)
    return len(screening_frame(cohort, stored_batch(sessions, pain)))


def screening_part(full: list[tuple[str, bytes]], folder: Path) -> Path:
    """Part 1: store -> triage table against CSV files -> triage table."""
    raw, _ = best(lambda: [pacsv.read_csv(io.BytesIO(data)) for _, data in full])
    print(f"raw pyarrow.csv.read_csv of the {len(full)} files (reference): {raw:.2f} s")
    path = folder / "full.rehab"
    began = time.perf_counter()
    with Workspace.open(path) as workspace:
        outcome = workspace.import_files(full, by="bench")
    took = time.perf_counter() - began
    importer, _ = best(lambda: import_files(full), repeat=1)
    size = path.stat().st_size / 2**20
    print(
        f"first import of every file into an empty workspace: {took:.2f} s, of which the "
        f"importer {importer:.2f} s ({outcome.added['sessions']:,} session and "
        f"{outcome.added['pain']:,} pain rows, {size:.0f} MiB file)"
    )
    csv_time, rows = best(lambda: from_files(full), repeat=2)
    store_time, stored_rows = best(lambda: from_store(path), repeat=3)
    with Workspace.open(path) as workspace:
        load, _ = best(workspace.frames)
    print(f"CSV files -> triage table ({rows} patients): {csv_time:.2f} s ({csv_time / raw:.1f}x raw)")
    print(
        f"store -> triage table ({stored_rows} patients): {store_time:.2f} s "
        f"({store_time / raw:.1f}x raw; of which reading the frames {load:.2f} s)"
    )
    print(f"store / CSV files: {store_time / csv_time:.2f}x  (target: within 2x)")
    with Workspace.open(path) as workspace:
        workspace.forget(str(workspace.patients()[0]))  # drops the columnar cache
    began = time.perf_counter()
    from_store(path)  # reads the rows and rebuilds the cache
    cold = time.perf_counter() - began
    print(f"store -> triage table after a forget (every row read, cache rebuilt): {cold:.2f} s")
    one = read_folder(folder / "one")
    one_time, _ = best(lambda: from_files(one), repeat=2)
    print(
        f"the same cohort as 2 big CSV files -> triage table: {one_time:.2f} s; "
        f"store / those: {store_time / one_time:.2f}x"
    )
    return path


def weekly_part(full: list[tuple[str, bytes]], before: list[tuple[str, bytes]], folder: Path) -> None:
    """Part 2: one patient's weekly export into a workspace of everyone up to last week."""
    path = folder / "before.rehab"
    with Workspace.open(path) as workspace:
        workspace.import_files(before, by="bench")
    by_name = dict(full)
    patients = sorted({name.rsplit("_", 1)[0] for name, _ in full})
    week_times, whole_times, kept = [], [], []
    with Workspace.open(path) as workspace:
        for patient in patients[:7]:
            files = [
                last_week(f"{patient}_{k}.csv", by_name[f"{patient}_{k}.csv"])
                for k in ("sessions", "pain")
            ]
            began = time.perf_counter()
            workspace.import_files(files, by="bench")
            week_times.append(time.perf_counter() - began)
        for patient in patients[7:14]:
            files = [(f"{patient}_{k}.csv", by_name[f"{patient}_{k}.csv"]) for k in ("sessions", "pain")]
            began = time.perf_counter()
            outcome = workspace.import_files(files, by="bench")
            whole_times.append(time.perf_counter() - began)
            kept.append(outcome.already_stored)
    print(
        f"one patient's weekly export (last 7 days) into the workspace: median "
        f"{statistics.median(week_times) * 1000:.0f} ms, max {max(week_times) * 1000:.0f} ms "
        "(target: under 200 ms)"
    )
    print(
        f"one patient's whole export (median {statistics.median(kept):.0f} rows already stored): median "
        f"{statistics.median(whole_times) * 1000:.0f} ms, max {max(whole_times) * 1000:.0f} ms"
    )


# --- SQLite against DuckDB on the store's own work ---------------------------------------


class SqliteEngine:
    """The workspace's own code paths: its schema, row encoding, reading and transactions."""

    name = "SQLite (WAL)"

    def __init__(self, path: Path) -> None:
        from rehab.store.connection import Connections, create_file
        from rehab.store.migrations import migrate

        create_file(path)
        self.path = path
        self.pool = Connections(path)
        with self.pool.borrow() as connection:
            migrate(connection)
            connection.execute(
                "INSERT INTO imports (id, at, file, rows, accepted, rejected, duplicates, added) "
                "VALUES (1, '2026-11-20T08:00:00.000000+00:00', 'bench', 0, 0, 0, 0, 0)"
            )

    def bulk(self, frames: dict[str, pd.DataFrame]) -> None:
        from rehab.store.importing import _insert_rows

        with self.pool.write() as connection:
            for kind, frame in frames.items():
                _insert_rows(connection, kind, frame, np.ones(len(frame), dtype=np.int64))

    def load(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        from rehab.store.rows import load_frame

        with self.pool.read() as connection:
            return load_frame(connection, "sessions"), load_frame(connection, "pain")

    def merge(self, patient: str, rows: pd.DataFrame) -> None:
        from rehab.store.importing import _insert_rows
        from rehab.store.rows import load_frame

        with self.pool.write() as connection:
            load_frame(connection, "sessions", [patient])
            _insert_rows(connection, "sessions", rows, np.ones(len(rows), dtype=np.int64))

    def close(self) -> None:
        self.pool.close()

    def size(self) -> float:
        return self.path.stat().st_size / 2**20

    second_process = (
        "import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM pain')"
    )


class DuckdbEngine:
    """The same work on DuckDB: tables from the canonical frames, a cursor per thread."""

    name = "DuckDB 2.0.1"

    def __init__(self, path: Path) -> None:
        import duckdb

        self.path = path
        self.connection = duckdb.connect(str(path))

    def bulk(self, frames: dict[str, pd.DataFrame]) -> None:
        con = self.connection
        con.begin()
        for kind, frame in frames.items():
            con.register("incoming", frame)
            con.execute(f"CREATE TABLE IF NOT EXISTS {kind} AS SELECT * FROM incoming WHERE false")
            con.execute(f"INSERT INTO {kind} SELECT * FROM incoming")
            con.unregister("incoming")
        con.commit()

    def load(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        from rehab.schema import frame_dtypes

        frames = []
        for kind in ("sessions", "pain"):
            raw = self.connection.cursor().execute(f"SELECT * FROM {kind}").df()
            frames.append(raw.astype(frame_dtypes(kind)))  # the canonical dtypes, as the app needs
        return frames[0], frames[1]

    def merge(self, patient: str, rows: pd.DataFrame) -> None:
        cursor = self.connection.cursor()
        cursor.begin()
        cursor.execute("SELECT * FROM sessions WHERE patient_id = ?", [patient]).df()
        cursor.register("incoming", rows)
        cursor.execute("INSERT INTO sessions SELECT * FROM incoming")
        cursor.commit()

    def close(self) -> None:
        self.connection.close()

    def size(self) -> float:
        self.connection.execute("CHECKPOINT")
        return self.path.stat().st_size / 2**20

    second_process = (
        "import duckdb, sys; duckdb.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM pain')"
    )


def _threads(engine: Any, work: list[tuple[str, pd.DataFrame]], threads: int = 4) -> tuple[float, int]:
    """Seconds for ``threads`` threads to run every merge transaction, and how many failed."""
    failures: list[BaseException] = []
    start = threading.Barrier(threads)

    def run(part: list[tuple[str, pd.DataFrame]]) -> None:
        start.wait()
        for patient, rows in part:
            try:
                engine.merge(patient, rows)
            except Exception as error:  # a write conflict: the user's import would be lost
                failures.append(error)

    pool = [threading.Thread(target=run, args=(work[i::threads],)) for i in range(threads)]
    began = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return time.perf_counter() - began, len(failures)


def _second_process(engine: Any) -> str:
    done = subprocess.run(
        [sys.executable, "-c", engine.second_process, str(engine.path)],
        capture_output=True,
        text=True,
        check=False,
    )
    return (
        "opens it" if done.returncode == 0 else "refused: " + done.stderr.strip().splitlines()[-1][:70]
    )


def compare_engines(store: Path, folder: Path) -> None:
    """Part 3: the same store work on SQLite and on DuckDB."""
    with Workspace.open(store) as workspace:
        sessions, pain = workspace.frames()
    frames = {"sessions": sessions, "pain": pain}
    patients = sessions["patient_id"].unique()[:80]
    week = sessions[sessions["date"] > pd.Timestamp(AS_OF - WEEK)]
    work = [(str(p), week[week["patient_id"] == p]) for p in patients]
    print(f"\nSQLite against DuckDB ({len(sessions):,} session and {len(pain):,} pain rows):")
    columns = ("bulk import", "read back", "1 merge", "4 threads x 20", "file")
    widths = (12, 10, 9, 16, 7)
    print(
        f"{'':<14} " + " ".join(f"{c:>{w}}" for c, w in zip(columns, widths, strict=True)),
        "second process",
    )
    for engine_type, suffix in ((SqliteEngine, ".rehab"), (DuckdbEngine, ".duckdb")):
        engine = engine_type(folder / f"engine{suffix}")
        bulk, _ = best(lambda engine=engine: engine.bulk(frames), repeat=1)
        read, _ = best(engine.load, repeat=2)
        merges = []
        for patient, rows in work[:10]:
            began = time.perf_counter()
            engine.merge(patient, rows)
            merges.append(time.perf_counter() - began)
        together, failed = _threads(engine, work)
        opened = _second_process(engine)
        merge = statistics.median(merges) * 1000
        print(
            f"{engine.name:<14} {bulk:>10.2f} s {read:>8.2f} s {merge:>6.0f} ms "
            f"{together:>6.2f} s, {failed:>2} failed {engine.size():>5.0f} MB  {opened}"
        )
        engine.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--skip-engines", action="store_true", help="leave out SQLite vs DuckDB")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        began = time.perf_counter()
        full_dir, before_dir = write_files(args.patients, args.days, folder)
        full, before = read_folder(full_dir), read_folder(before_dir)
        size = sum(len(data) for _, data in full) / 2**20
        print(
            f"{args.patients} patients x {args.days} days: {len(full)} files, {size:.0f} MiB "
            f"(written in {time.perf_counter() - began:.0f} s)"
        )
        store = screening_part(full, folder)
        weekly_part(full, before, folder)
        if not args.skip_engines:
            compare_engines(store, folder)


if __name__ == "__main__":
    main()
