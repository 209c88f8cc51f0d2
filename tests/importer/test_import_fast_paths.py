"""The shortcuts taken for big files give the same answers as the plain way."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rehab.importer import coded, frames, parse
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


@pytest.mark.parametrize("kind", [pa.int32(), pa.int64()])
def test_integers_read_from_the_buffer_are_pyarrows_numbers(kind):
    array = pa.array([5, -1, 7, 2**30, 0], type=kind)
    for part in (array, array.slice(1), array.slice(2, 2), array.slice(5)):
        assert coded._integers(part).tolist() == part.to_pylist()
    with_null = pa.array([1, None, 3], type=kind)
    assert np.isnan(coded._integers(with_null)[1])


def test_the_early_parse_thread_can_encode_without_pandas():
    # pyarrow's own numpy conversions load pandas: the early-parse thread would then wait
    # for the main thread's import of it instead of encoding meanwhile.
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from rehab.importer import coded, parse\n"
        "rows = ''.join(f'PT-{i % 7},2026-10-{1 + i % 28:02d},,Core,{i % 5}\\n' for i in range(140))\n"
        "again = ''.join(rows.splitlines(keepends=True)[:2])\n"
        "data = ('patient_id,date,time,exercise,reps\\n' + rows + ',,,,\\n' + again).encode()\n"
        "table = parse.parse_fast(data, ',')\n"
        "coded.prepare(table.columns, table.size)\n"
        "(done,) = coded._prepared\n"
        "repeats = int((done.first != done.positions).sum())\n"
        "print(int(done.blank.sum()), repeats, 'pandas' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["1", "2", "False"]


def test_columns_of_many_chunks_share_one_block_of_codes():
    # The fast parser's columns come in chunks; their codes are written into one block
    # (fewer page faults), and must be the codes each column gets on its own.
    chunks = [["a", "b"], ["b", "c", "a"], [], ["c"]]
    columns = (
        pa.chunked_array(chunks, type=pa.string()),
        pa.chunked_array([["x", "x"], ["y", "x", "y"], [], ["z"]], type=pa.string()),
    )
    alone = [encode(column) for column in columns]
    together = coded.encode_all(columns)
    for one, other in zip(alone, together, strict=True):
        assert other.codes.dtype == np.int32
        assert other.codes.tolist() == one.codes.tolist()
        assert other.uniques.to_pylist() == one.uniques.to_pylist()
    assert np.shares_memory(together[0].codes, together[1].codes.base)
    # A single chunk is read in place: no block.
    assert coded._code_rows((pa.chunked_array([["a"]]),)) is None
    assert coded._code_rows(()) is None


BLOCK = frames._REPEAT_BLOCK


@pytest.mark.parametrize("size", [0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK + 5])
@pytest.mark.parametrize("text", ["PT-0101_sessions.csv", None])
def test_a_repeated_text_is_that_text_on_every_row(size, text):
    column = frames.repeated_text(text, size)
    assert column.type == pa.large_string()
    assert column.to_pylist() == [text] * size
    assert frames.string_column(column).tolist() == [pd.NA if text is None else text] * size


def test_a_million_repeated_rows_share_one_block():
    before = pa.total_allocated_bytes()
    column = frames.repeated_text("PT-0101_sessions.csv", 1_000_000)
    # As one array the rows took 28 MB (offsets and text); the chunks share 1.7 MB.
    assert pa.total_allocated_bytes() - before < 2 * 2**20
    assert len(column) == 1_000_000


@pytest.mark.parametrize("size", [0, 1, 2**18 - 1, 2**18, 2**18 + 1, 3 * 2**18 + 7])
def test_newlines_are_counted_as_bytes_count_does(size):
    # Line feeds at block edges, in runs, next to CRs; the numpy count is used past 256 kB.
    pattern = b"ab\n\r\n\n" * (size // 6 + 1)
    data = pattern[:size]
    assert parse.count_newlines(data) == data.count(b"\n")
    assert parse.count_newlines(data + b"\n") == data.count(b"\n") + 1


def _log_with_every_typed_column(rows: int) -> bytes:
    """Three set rows a session, bad numbers, blank and bad flags, impossible dates."""
    header = "patient_id,date,time,exercise,set_number,reps,hold_seconds,pain_before,pain_after"
    lines = [header + ",red_flag,notes"]
    for i in range(rows):
        day = f"2026-10-{1 + i // 30 % 28:02d}" if i % 97 else "31/02/2026"
        reps = "ten" if i % 41 == 0 else str(5 + i % 7)
        flag = ("yes", "no", "", "maybe")[i % 4]
        pain = "" if i % 13 == 0 else str(i % 11)
        session = f"PT-{i // 3 % 7},{day},08:{i // 3 % 60:02d},Cat Stretch,{1 + i % 3}"
        lines.append(f"{session},{reps},{i % 9},{pain},3,{flag},n{i % 5}")
    return ("\n".join(lines) + "\n").encode()


def test_typed_columns_built_on_a_second_thread_are_the_ones_built_on_this_one(monkeypatch):
    from rehab.importer import columns, import_file

    data = _log_with_every_typed_column(3_000)
    plain = import_file("PT-0101_sessions.csv", data)
    threads: list[str] = []
    real = columns._typed

    def spy(spec, checked, codes):
        threads.append(threading.current_thread().name)
        return real(spec, checked, codes)

    monkeypatch.setattr(columns, "_typed", spy)
    monkeypatch.setattr(columns, "_TYPED_APART_FROM", 100)
    apart = import_file("PT-0101_sessions.csv", data)
    # Dates, numbers and flags of the big frame came from the second thread.
    assert sum(name.startswith("rehab-frame") for name in threads) >= 7
    pd.testing.assert_frame_equal(apart.sessions, plain.sessions, check_exact=True)
    pd.testing.assert_frame_equal(apart.rejected, plain.rejected, check_exact=True)
    assert apart.report == plain.report
    assert plain.report.rejected  # impossible dates
    assert plain.report.sessions  # set rows merged into sessions
    assert plain.sessions["red_flag"].isna().any()
