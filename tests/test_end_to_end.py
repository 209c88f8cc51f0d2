"""The same logs, exported differently, give the same summary (import + analysis)."""

import csv
import io
import random
from datetime import date
from pathlib import Path

import pytest

from rehab.analysis import analyse
from rehab.importer import import_files

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
AS_OF = date(2026, 11, 20)
PATIENT = "PT-0105"  # maintenance, then a relapse: every phase rule is exercised


def _rows(kind: str) -> list[list[str]]:
    text = (SAMPLE / f"{PATIENT}_{kind}.csv").read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text)))


def _write(rows: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def _summary(files: list[tuple[str, bytes]]) -> dict:
    batch = import_files(files)
    payload = analyse(batch.sessions, batch.pain, as_of=AS_OF).summary_json()
    for patient in payload["patients"]:
        for flag in patient["flags"]:
            flag.pop("rows")  # row numbers differ between exports; findings must not
    return payload


def _baseline() -> dict:
    return _summary(
        [
            (f"{PATIENT}_{k}.csv", (SAMPLE / f"{PATIENT}_{k}.csv").read_bytes())
            for k in ("sessions", "pain")
        ]
    )


def _day_first(rows: list[list[str]]) -> list[list[str]]:
    out = [rows[0]]
    for row in rows[1:]:
        year, month, day = row[0].split("-") if row[0].count("-") == 2 else ("", "", "")
        out.append([f"{day}/{month}/{year}" if year else row[0], *row[1:]])
    return out


def _semicolons_and_decimal_commas(rows: list[list[str]]) -> list[list[str]]:
    return [
        [cell.replace(".", ",") if cell.replace(".", "").isdigit() else cell for cell in row]
        for row in rows
    ]


VARIANTS = {
    "semicolon, decimal comma, cp1252": lambda rows: _write(
        _semicolons_and_decimal_commas(rows), ";"
    ).encode("cp1252", errors="replace"),
    "utf-16 tab-separated (Excel Unicode text)": lambda rows: _write(rows, "\t").encode("utf-16"),
    "utf-8 with BOM": lambda rows: _write(rows).encode("utf-8-sig"),
    "day-first dates": lambda rows: _write(_day_first(rows)).encode(),
    "shuffled rows": lambda rows: _write(
        [rows[0], *random.Random(3).sample(rows[1:], len(rows) - 1)]
    ).encode(),
    "every row exported twice": lambda rows: _write([rows[0], *rows[1:], *rows[1:]]).encode(),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_a_different_export_gives_the_same_summary(variant):
    export = VARIANTS[variant]
    files = [(f"{PATIENT}_{kind}.csv", export(_rows(kind))) for kind in ("sessions", "pain")]
    assert _summary(files) == _baseline()


def test_bundled_examples_import_cleanly():
    files = [(p.name, p.read_bytes()) for p in sorted((ROOT / "docs" / "examples").glob("*.csv"))]
    batch = import_files(files)
    assert batch.exit_code == 0
    assert [f.report.kind for f in batch.files] == ["pain", "sessions"]
    assert set(batch.sessions["exercise"]) == {"back_extension", "cat_stretch", "hip_rolls", "core"}
