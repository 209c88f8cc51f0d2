"""The shortcuts taken for big files give the same answers as the plain way."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rehab.importer import coded
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


def _plain_first(key: np.ndarray) -> list[int]:
    """The index of each key's first occurrence, the slow obvious way."""
    seen: dict[int, int] = {}
    return [seen.setdefault(int(k), i) for i, k in enumerate(key.tolist())]


def _plain_repeated(key: np.ndarray) -> list[int]:
    counts: dict[int, int] = {}
    for k in key.tolist():
        counts[k] = counts.get(k, 0) + 1
    return [i for i, k in enumerate(key.tolist()) if counts[k] > 1]


@settings(max_examples=60, deadline=None)
@given(
    keys=st.lists(st.integers(min_value=0, max_value=2**62), max_size=60),
    picks=st.lists(st.integers(min_value=0, max_value=10_000), max_size=80),
    bits=st.sampled_from([None, 1, 2, 10]),
)
def test_repeated_keys_are_exact_whatever_the_bucket_table(keys, picks, bits):
    # Keys drawn again from a small pool repeat; huge ones share buckets by chance only.
    pool = keys or [0]
    key = np.asarray([pool[p % len(pool)] for p in picks] + keys, dtype=np.int64)
    assert coded._repeated(key, bits).tolist() == _plain_repeated(key)
    assert coded._first_in_order(key).tolist() == _plain_first(key)


@pytest.mark.parametrize("distinct", [3, 2_000, 40_000, 200_000])
def test_big_inputs_find_the_same_repeats_as_small_ones(distinct):
    # 200,000 keys: the sort pre-filter (and, past a few thousand keys, pandas' grouping)
    # must give what the plain grouping gives.
    rng = np.random.default_rng(distinct)
    key = rng.integers(0, distinct, 200_000, dtype=np.int64) * (2**40 + 7)
    expected = np.flatnonzero(
        np.unique(key, return_counts=True)[1][np.unique(key, return_inverse=True)[1]] > 1
    )
    assert coded.repeated_keys(key).tolist() == expected.tolist()
    _, first, group = np.unique(key, return_index=True, return_inverse=True)
    assert coded._first_in_order(key).tolist() == first[group].tolist()
    positions = np.arange(3, 3 + len(key), dtype=np.int64)
    columns = [
        coded.CodedColumn(
            codes=np.asarray(group, dtype=np.int32), uniques=pa.array(map(str, range(len(first))))
        )
    ]
    assert coded.first_occurrence(columns, positions).tolist() == (first[group] + 3).tolist()


def test_no_repeats_and_all_repeats():
    none = np.arange(100_000, dtype=np.int64) * 3
    assert coded.repeated_keys(none).tolist() == []
    same = np.full(100_000, 5, dtype=np.int64)
    assert coded.repeated_keys(same).tolist() == list(range(100_000))
    assert coded.repeated_keys(np.zeros(1, dtype=np.int64)).tolist() == []


def _session_log(rows: int) -> bytes:
    """A session log with repeats, set rows, bad cells, missing ids, notes and several patients."""
    header = "patient_id,date,time,exercise,sets,reps,hold_seconds,pain_before,pain_after,red_flag,notes"
    exercises = ["Core", "back_extension", "Plank", "Cat Stretch", "Hip Rolls, Core", "??"]
    lines = [header]
    for i in range(rows):
        patient = "" if i % 97 == 0 else f"PT-{i % 23:04d}"
        day = f"2026-{1 + i % 11:02d}-{1 + i % 27:02d}" if i % 89 else "2026-02-30"
        time = "" if i % 5 == 0 else f"0{i % 3 + 7}:{(i // 7) % 2 * 30:02d}"
        reps = "ten" if i % 83 == 0 else str(5 + i % 4)
        pain = str(i % 13)  # 11 and 12 are out of range
        flag = ["", "yes", "no", "maybe"][i % 4]
        note = ["", "ok", "sore, stopped early", " "][i % 4]
        lines.append(
            f'{patient},{day},{time},"{exercises[i % len(exercises)]}",{1 + i % 2},{reps},'
            f'{i % 3 * 10},{pain},{(i + 1) % 11},{flag},"{note}"'
        )
    # Set rows: one patient, day, time and exercise, three sets each.
    lines += [
        f"PT-0001,2026-04-0{d},08:00,Core,1,{5 + k},0,3,2,no,set {k}" for d in (1, 2) for k in range(3)
    ]
    lines += lines[1:40:3]  # exact repeats of earlier rows
    lines.insert(len(lines) // 2, ",,,,,,,,,,")  # a blank row
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("rows", [30, 3_000])
def test_frames_built_on_threads_equal_the_frames_built_in_turn(monkeypatch, rows):
    from datetime import date

    from rehab.importer import ImportOptions, columns, import_files

    data = _session_log(rows)
    pain = b"date,pain,patient_id\n" + b"".join(
        f"2026-03-{1 + i % 28:02d},{i % 12},PT-{i % 5}\n".encode() for i in range(rows)
    )
    # Columns the file lacks (notes, sets, pain) get the merged set rows' values written in.
    short = b"patient_id,date,time,exercise,reps\n" + b"".join(
        f"PT-{i % 3},2026-05-{1 + i // 90 % 28:02d},0{7 + i % 2}:00,Core,{i % 9}\n".encode()
        for i in range(rows)
    )
    files = [("PT-0101_sessions.csv", data), ("clinic_pain.csv", pain), ("short.csv", short)]
    options = ImportOptions(as_of=date(2026, 6, 1))
    monkeypatch.setattr(columns.os, "cpu_count", lambda: 4)
    monkeypatch.setattr(columns, "_PARALLEL_FROM", 0)
    threaded = import_files(files, options)
    monkeypatch.setattr(columns, "_PARALLEL_FROM", 10**12)
    plain = import_files(files, options)
    assert threaded.report_json() == plain.report_json()
    for mine, theirs in zip(threaded.files, plain.files, strict=True):
        pd.testing.assert_frame_equal(mine.sessions, theirs.sessions)
        pd.testing.assert_frame_equal(mine.pain, theirs.pain)
        pd.testing.assert_frame_equal(mine.rejected, theirs.rejected)
    codes = {issue["code"] for file in plain.report_json()["files"] for issue in file["issues"]}
    assert {"set_rows", "duplicate_row", "out_of_range", "exercise_list"} <= codes
    assert len(plain.files[0].sessions) > rows // 2
