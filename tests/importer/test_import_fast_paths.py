"""The shortcuts taken for big files give the same answers as the plain way."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from rehab.importer.coded import CodedColumn, encode, first_occurrence
from rehab.importer.parse import _line_count


def _coded(*columns: list[str]) -> list[CodedColumn]:
    return [encode(pa.array(cells, type=pa.string())) for cells in columns]


# Rows 0 and 3 are identical, and so are rows 1, 4 and 5; row 2 differs from row 0
# only in its second cell, and row 6 from row 1 only in its first.
PATIENTS = ["PT-1", "PT-2", "PT-1", "PT-1", "PT-2", "PT-2", "PT-3"]
DATES = ["01-01", "01-02", "01-09", "01-01", "01-02", "01-02", "01-02"]


@pytest.mark.parametrize("bucket_bits", [None, 1, 2, 16])
def test_first_occurrence_is_exact_whatever_the_bucket_table(bucket_bits):
    # One or two buckets put unequal rows together: they must still not count as repeats.
    coded = _coded(PATIENTS, DATES)
    positions = np.arange(len(PATIENTS), dtype=np.int64)
    first = first_occurrence(coded, positions, bucket_bits=bucket_bits)
    assert first.tolist() == [0, 1, 2, 0, 1, 1, 6]


@pytest.mark.parametrize("bucket_bits", [None, 1])
def test_first_occurrence_only_looks_at_the_given_positions(bucket_bits):
    coded = _coded(PATIENTS, DATES)
    positions = np.array([2, 3, 4, 5], dtype=np.int64)
    first = first_occurrence(coded, positions, bucket_bits=bucket_bits)
    # Row 0 is not among the positions, so row 3 is the first of its kind here.
    assert first.tolist() == [2, 3, 4, 4]


def test_a_big_log_finds_its_double_exports_through_the_prefilter():
    # 60,000 rows switch the bucket pre-filter on by default.
    size = 60_000
    numbers = [str(i) for i in range(size)]
    repeated = [7, 59_998, 30_000]
    numbers[100] = numbers[7]
    numbers[size - 1] = numbers[59_998]
    numbers[40_000] = numbers[30_000]
    coded = _coded(numbers, ["x"] * size)
    first = first_occurrence(coded, np.arange(size, dtype=np.int64))
    moved = np.flatnonzero(first != np.arange(size))
    assert moved.tolist() == [100, 40_000, size - 1]
    assert first[moved].tolist() == [repeated[0], repeated[2], repeated[1]]


@pytest.mark.parametrize(
    ("data", "lines"),
    [
        (b"", 0),
        (b"\r\n\n", 0),
        (b"a", 1),
        (b"a\nb", 2),
        (b"a\r\nb\r\n\r\n", 2),
        (b"h\n" + b"row\n" * 300_000, 300_001),
        (b"h\n" + b"x" * 700_000 + b"\n" + b"y\n" * 5, 7),
    ],
)
def test_line_count_spans_blocks_and_ignores_trailing_line_ends(data, lines):
    assert _line_count(data) == lines
