"""Hostile-input benchmark (issue 10): pathological uploads against clean ones of the same size.

Each case runs in its own subprocess (so its peak memory is its own): the upload goes the
app's way, ZIPs unpacked (``rehab.archive.expand_uploads``), every file imported
(``import_files``, with the per-upload limits) and the accepted rows analysed (``analyse``).
Printed per case: seconds, the ratio to a clean file of about the same size, peak resident
memory (``VmHWM``, reset before the upload; ``ru_maxrss`` elsewhere) above what the process
held before it, and the report's size. Not in CI.

Run: ``.venv/bin/python benchmarks/hostile_bench.py [--scale 1.0] [--only NAME]``.
"""

from __future__ import annotations

import argparse
import io
import json
import pickle
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

AS_OF = date(2026, 12, 31)


def _rss_mb() -> float:
    scale = 1024 if sys.platform != "darwin" else 1
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1e6


def _status_mb(field: str) -> float | None:
    """``VmRSS`` or ``VmHWM`` of this process in MB (Linux), else None."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        return None
    return None


def _reset_peak() -> float:
    """Start a fresh peak (Linux: clear_refs 5 resets VmHWM); return the memory now."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return _rss_mb()
    return _status_mb("VmRSS") or _rss_mb()


def _peak_mb() -> float:
    return _status_mb("VmHWM") or _rss_mb()


def clean_log(size: int) -> bytes:
    """A realistic session log of about ``size`` bytes (the import benchmark's generator)."""
    from import_bench import build_log

    rows = max(size // 62, 2)
    return build_log(rows)[:size].rsplit(b"\n", 1)[0] + b"\n"


def repeated_row(scale: float) -> list[tuple[str, bytes]]:
    """One row repeated a million times (13 MB)."""
    return [("PT-1_pain.csv", b"Date,Pain\n" + b"2026-09-01,4\n" * int(1_000_000 * scale))]


def header_copies(scale: float) -> list[tuple[str, bytes]]:
    """5,000 copies of one header (20 kB): refused past 200 columns."""
    count = int(5_000 * scale)
    return [("PT-1_pain.csv", ("Pain," * count + "Date\n" + "4," * count + "2026-09-01\n").encode())]


def every_cell_invalid(scale: float) -> list[tuple[str, bytes]]:
    """Every date and every score invalid, each value distinct (about 7 MB)."""
    rows = int(400_000 * scale)
    body = "".join(f"day {i},score {i}\n" for i in range(rows))
    return [("PT-1_pain.csv", ("Date,Pain\n" + body).encode())]


def many_patients(scale: float) -> list[tuple[str, bytes]]:
    """100,000 patients with one row each (2 MB): refused past 2,000 an upload."""
    rows = int(100_000 * scale)
    body = "".join(f"P{i},2026-09-01,4\n" for i in range(rows))
    return [("clinic_pain.csv", ("patient_id,Date,Pain\n" + body).encode())]


def patients_at_the_limit(scale: float) -> list[tuple[str, bytes]]:
    """2,000 patients with a week each: the most one upload may hold, imported and analysed."""
    patients = int(2_000 * scale)
    days = [f"2026-09-{d:02d}" for d in range(1, 8)]
    body = "".join(f"P{i},{day},{(i + d) % 11}\n" for i in range(patients) for d, day in enumerate(days))
    return [("clinic_pain.csv", ("patient_id,Date,Pain\n" + body).encode())]


def zip_bomb(scale: float) -> list[tuple[str, bytes]]:
    """A ZIP within the ratio limit that unpacks to ~190 MB of rows in four entries."""
    rng = np.random.default_rng(3)
    buffer = io.BytesIO()
    entry_rows = int(2_000_000 * scale)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for entry in range(4):
            scores = rng.integers(0, 11, size=entry_rows)
            lines = [
                f"PT-{entry},2026-{1 + i % 12:02d}-{1 + i % 28:02d},{s}\n"
                for i, s in enumerate(scores.tolist())
            ]
            archive.writestr(f"part{entry}/pain.csv", "patient_id,Date,Pain\n" + "".join(lines))
    return [("bomb.zip", buffer.getvalue())]


CASES = {
    "repeated_row": repeated_row,
    "header_copies": header_copies,
    "every_cell_invalid": every_cell_invalid,
    "many_patients": many_patients,
    "patients_at_limit": patients_at_the_limit,
    "zip_bomb": zip_bomb,
}


def run_case(path: Path) -> dict[str, object]:
    """In the subprocess: read the upload, then time expand + import + analyse.

    The upload is built by the parent and read here from a file, so the peak memory
    measured is the import's, not the generator's.
    """
    from rehab.analysis import analyse
    from rehab.archive import expand_uploads
    from rehab.importer import import_files

    files = pickle.loads(path.read_bytes())
    size = sum(len(data) for _, data in files)
    before = _reset_peak()
    start = time.perf_counter()
    unpacked = expand_uploads(files)
    unpacked_bytes = sum(len(data) for _, data in unpacked.files)
    batch = import_files(unpacked.files)
    imported = time.perf_counter() - start
    rows = len(batch.sessions) + len(batch.pain)
    if rows:
        analyse(batch.sessions, batch.pain, as_of=AS_OF)
    seconds = time.perf_counter() - start
    report = json.dumps(batch.report_json())
    return {
        "seconds": seconds,
        "import_seconds": imported,
        "peak_mb": _peak_mb() - before,
        "upload_mb": size / 1e6,
        "unpacked_mb": unpacked_bytes / 1e6,
        "rows_imported": rows,
        "issues": sum(len(f.report.issues) for f in batch.files),
        "report_kb": len(report) / 1e3,
        "codes": sorted({i.code for f in batch.files for i in f.report.issues if i.severity == "error"}),
        "notes": len(unpacked.notes),
    }


def _child(files: list[tuple[str, bytes]], folder: Path) -> dict[str, object]:
    path = folder / "upload.pickle"
    path.write_bytes(pickle.dumps(files))
    command = [sys.executable, __file__, "--child", str(path)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--only", choices=sorted(CASES))
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_case(args.child)))
        return
    print(
        "case                 upload  import s  clean  ratio | +analysis s  clean  ratio | "
        "peak MB  clean | issues  report kB  errors"
    )
    for name in [args.only] if args.only else list(CASES):
        files = CASES[name](args.scale)
        size = sum(len(data) for _, data in files)
        with tempfile.TemporaryDirectory() as folder:
            hostile = _child(files, Path(folder))
            del files
            clean = _child([("PT-1_sessions.csv", clean_log(size))], Path(folder))
        ratio = float(hostile["import_seconds"]) / max(float(clean["import_seconds"]), 1e-3)
        total = float(hostile["seconds"]) / max(float(clean["seconds"]), 1e-3)
        print(
            f"{name:<20} {hostile['upload_mb']:6.2f}MB {hostile['import_seconds']:7.2f} "
            f"{clean['import_seconds']:6.2f} {ratio:6.1f} | {hostile['seconds']:11.2f} "
            f"{clean['seconds']:6.2f} {total:6.1f} | "
            f"{hostile['peak_mb']:7.0f} {clean['peak_mb']:6.0f} | "
            f"{hostile['issues']:6} {hostile['report_kb']:9.1f}  {','.join(hostile['codes']) or '-'}"
            + (f" (unpacked {hostile['unpacked_mb']:.0f} MB)" if name == "zip_bomb" else "")
        )


if __name__ == "__main__":
    main()
