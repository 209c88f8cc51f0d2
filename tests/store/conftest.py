"""Workspace test helpers: a fresh workspace per test, and logs written as patients' apps export them.

The CSV shape is rehab's own session and pain format (docs/data-format.md) as the sample
cohort's phone-app exports write it: human headers, ISO dates, one file per patient and kind.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from rehab.store import Workspace

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"
SESSION_HEADER = (
    "Date",
    "Time",
    "Exercise",
    "Sets",
    "Reps",
    "Hold (s)",
    "Pain before",
    "Pain after",
    "Notes",
)
PAIN_HEADER = ("Date", "Time", "Pain", "Flare", "Notes")


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    """A CSV file's bytes, quoted as a spreadsheet writes it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def sample_rows(name: str) -> tuple[list[str], list[list[str]]]:
    """The header and rows of one sample file (records, so quoted line breaks stay whole)."""
    with (SAMPLE / name).open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows


def sample_slice(name: str, start: int, stop: int | None) -> tuple[str, bytes]:
    """Rows ``start:stop`` of a sample file, under the same file name (a partial export)."""
    header, rows = sample_rows(name)
    return name, csv_bytes(header, rows[start:stop])


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    opened = Workspace.open(tmp_path / "clinic.rehab")
    yield opened
    opened.close()
