"""Columns as distinct values plus one code per row.

A clinic's log repeats itself: a million rows hold a few hundred dates, a handful of
exercise names, eleven pain scores. Every check runs on the distinct values (vectorised
with pyarrow) and reaches the rows through one ``numpy.take``, so validation costs
O(distinct values) plus array indexing, never a Python loop over rows.

The command line's early-parse thread encodes each file and finds its repeated rows here
while the main thread still loads the modules (:func:`prepare`); the import then takes
those results for the very same columns instead of computing them again. So that thread
can start at once, pandas is only loaded when it is needed.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "CodedColumn",
    "blank_rows",
    "discard_prepared",
    "encode",
    "encode_all",
    "first_occurrence",
    "help_prepare",
    "prepare",
    "repeated_keys",
]

_PARALLEL_FROM: Final = 100_000
# Below this many keys, repeats are grouped exactly at once; above, a sort first finds the
# few keys that repeat at all (see :func:`_repeated`).
_PREFILTER_FROM: Final = 50_000
# Exact grouping of few keys: numpy's sort-based unique beats loading and calling pandas.
_FEW_KEYS: Final = 4_096
# 2**64 / golden ratio: multiplying by it spreads structured keys over the top bits.
_FIBONACCI: Final = np.uint64(0x9E3779B97F4A7C15)

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def _factorize(key: IntArray) -> IntArray:
    """Group numbers of ``key``, numbered in order of first appearance (pandas' factorize)."""
    import pandas as pd  # on demand: see the module's docstring

    return np.asarray(pd.factorize(key)[0], dtype=np.int64)


_NUMPY_INTEGERS: Final = {pa.int32(): np.int32, pa.int64(): np.int64}


def _integers(array: Any) -> npt.NDArray[Any]:
    """Return a pyarrow integer array as numpy (a view when it has no nulls).

    Read from the buffer directly: pyarrow's own conversions load pandas, which the
    early-parse thread must not wait for (see the module's docstring).
    """
    dtype = _NUMPY_INTEGERS.get(array.type)
    if dtype is None or array.null_count:
        return np.asarray(array.to_numpy(zero_copy_only=False))
    size = np.dtype(dtype).itemsize
    return np.frombuffer(array.buffers()[1], dtype=dtype, count=len(array), offset=array.offset * size)


@dataclass(frozen=True)
class CodedColumn:
    """One column: ``uniques`` (pyarrow strings) and, per row, the index of its value."""

    codes: npt.NDArray[np.int32]
    uniques: Any

    def at(self, positions: IntArray) -> npt.NDArray[np.int32]:
        """Codes of the rows at ``positions`` (sorted, distinct): no copy when that is every row."""
        if len(positions) == len(self.codes):
            return self.codes
        return np.take(self.codes, positions)

    def per_row(self, values: npt.NDArray[Any]) -> npt.NDArray[Any]:
        """Spread one value per unique (same order as ``uniques``) to every row."""
        return np.take(np.asarray(values), self.codes)

    def blank_uniques(self) -> BoolArray:
        """Return, for each unique, whether it is empty or only whitespace."""
        return np.asarray(_integers(pc.utf8_length(pc.utf8_trim_whitespace(self.uniques))) == 0)

    def rows_text(self, positions: IntArray) -> Any:
        """Return the cells at ``positions`` as a pyarrow string array."""
        return self.uniques.take(pa.array(self.codes[positions]))


def encode_all(columns: tuple[Any, ...]) -> list[CodedColumn]:
    """Dictionary-encode every column; pyarrow releases the GIL, so threads run them in parallel.

    Columns the early-parse thread encoded already (:func:`prepare`) are not encoded again.
    """
    prepared = _find_prepared(columns)
    if prepared is not None and prepared.columns is columns:
        return prepared.coded
    rows = _code_rows(columns)
    outs = [None if rows is None else rows[i] for i in range(len(columns))]
    if len(columns) < 2 or len(columns[0]) < _PARALLEL_FROM:
        return [encode(column, out) for column, out in zip(columns, outs, strict=True)]
    with ThreadPoolExecutor(max_workers=min(len(columns), os.cpu_count() or 1)) as pool:
        return list(pool.map(encode, columns, outs))


def _shared_dictionary(encoded: Any) -> Any:
    """Return the dictionary every chunk uses, or ``None`` when the chunks differ."""
    dictionaries = [chunk.dictionary for chunk in encoded.chunks]
    last = dictionaries[-1]
    # Chunks are encoded with one growing memo table, so equal length means equal content.
    if all(len(d) == len(last) for d in dictionaries):
        return last
    return None


def _code_rows(columns: tuple[Any, ...]) -> npt.NDArray[np.int32] | None:
    """One block for the codes of every column (row ``i`` for column ``i``), or ``None``.

    One allocation for all columns instead of one each. Where numpy asks the kernel for huge
    pages (from 4 MiB up; rehab/__init__.py turns that off unless the user sets it), a
    million int32 codes per column (just under 4 MiB) cost a thousand page faults each, the
    block a few dozen for all of them.
    """
    if not columns or not all(isinstance(c, pa.ChunkedArray) and c.num_chunks > 1 for c in columns):
        return None
    return np.empty((len(columns), len(columns[0])), dtype=np.int32)


def encode(column: Any, out: npt.NDArray[np.int32] | None = None) -> CodedColumn:
    """Dictionary-encode a pyarrow string array (chunked or not).

    ``out`` (one row of :func:`_code_rows`) receives the codes of a column of many chunks.
    """
    encoded = pc.dictionary_encode(column)
    if isinstance(encoded, pa.ChunkedArray):
        shared = _shared_dictionary(encoded) if encoded.num_chunks else None
        if shared is None:
            return encode(column.combine_chunks() if encoded.num_chunks else pa.array([], pa.string()))
        indices = [_integers(chunk.indices) for chunk in encoded.chunks]
        if out is not None and len(out) == len(column):
            codes = np.concatenate(indices, out=out, casting="same_kind")
        else:
            codes = np.concatenate(indices).astype(np.int32, copy=False)
        return CodedColumn(codes=codes, uniques=shared)
    codes = np.asarray(_integers(encoded.indices), dtype=np.int32)
    return CodedColumn(codes=codes, uniques=encoded.dictionary)


def blank_rows(columns: list[CodedColumn], size: int) -> BoolArray:
    """Rows whose every cell is empty or whitespace: a spreadsheet's empty line, not a row."""
    prepared = _find_prepared(columns)
    if prepared is not None and prepared.coded is columns and len(prepared.blank) == size:
        return prepared.blank
    blank = np.ones(size, dtype=bool)
    for column in columns:
        blank_values = column.blank_uniques()
        if not blank_values.any():
            # One column without an empty cell: no row can be blank.
            return np.zeros(size, dtype=bool)
        blank &= column.per_row(blank_values)
    return blank


def _combined_key(columns: list[CodedColumn], positions: IntArray) -> IntArray:
    """One integer per row that is equal exactly when every cell is equal (mixed radix)."""
    key = np.zeros(len(positions), dtype=np.int64)
    span = 1
    for column in columns:
        width = max(len(column.uniques), 1)
        if span * width >= 2**62:
            # Renumber the key so far densely before it could overflow.
            key = _factorize(key)
            span = int(key.max()) + 1 if len(key) else 1
        key *= width
        key += column.at(positions)
        span *= width
    return key


def _first_in_order(key: IntArray) -> IntArray:
    """For each element: the index of the first element with the same key (exact)."""
    if len(key) <= _FEW_KEYS:
        # Sorted distinct keys, each with the index of its first (stable) occurrence.
        _, first, group = np.unique(key, return_index=True, return_inverse=True)
        return np.asarray(first[group], dtype=np.int64)
    # factorize numbers groups in order of first appearance, so an element opens its
    # group exactly when its group number exceeds every number seen before it.
    group = _factorize(key)
    opens = np.ones(len(group), dtype=bool)
    opens[1:] = group[1:] > np.maximum.accumulate(group)[:-1]
    return np.asarray(np.flatnonzero(opens)[group], dtype=np.int64)


def _repeated(key: IntArray, bits: int | None = None) -> IntArray:
    """Return the indices (ascending) of the keys that occur more than once (exact).

    One sort of the keys finds the values that repeat, usually few: a small table of their
    hash buckets (``2**bits`` flags, sized to them by default) then rules out most keys in
    one pass, and only the keys in a flagged bucket are looked up exactly. A sort of a
    million keys is far cheaper than a hash table of them, and no big table is allocated.
    """
    if len(key) < 2:
        return np.zeros(0, dtype=np.int64)
    ordered = np.sort(key)
    same = ordered[1:] == ordered[:-1]
    repeats = ordered[1:][same]
    if len(repeats) == 0:
        return np.zeros(0, dtype=np.int64)
    # Sorted already: keep each repeated value once.
    distinct = np.ones(len(repeats), dtype=bool)
    distinct[1:] = repeats[1:] != repeats[:-1]
    values = repeats[distinct]
    if bits is None:
        bits = min(max(len(values).bit_length() + 4, 10), 24)
    shift = np.uint64(64 - max(bits, 1))
    flagged = np.zeros(1 << max(bits, 1), dtype=bool)
    flagged[(values.view(np.uint64) * _FIBONACCI) >> shift] = True
    buckets = key.view(np.uint64) * _FIBONACCI
    buckets >>= shift
    # Read as int64 (they are below 2**24), numpy's index type: a uint64 index is first
    # copied to int64, another 8 MB of fresh memory per million keys.
    maybe = np.flatnonzero(flagged[buckets.view(np.int64)])
    candidates = key[maybe]
    at = np.minimum(np.searchsorted(values, candidates), len(values) - 1)
    return np.asarray(maybe[values[at] == candidates], dtype=np.int64)


def first_occurrence(
    columns: list[CodedColumn], positions: IntArray, *, bucket_bits: int | None = None
) -> IntArray:
    """For each of ``positions``: the position of the first identical row (itself if first).

    Exact (no hashing of the cells): rows are equal when their codes are equal in every
    column. Big inputs (or any, when ``bucket_bits`` sizes the pre-filter's bucket table)
    first find the rows that repeat at all, and group only those.
    """
    if len(positions) == 0:
        return np.zeros(0, dtype=np.int64)
    prepared = _take_prepared(columns, positions, bucket_bits)
    if prepared is not None:
        return prepared
    key = _combined_key(columns, positions)
    if bucket_bits is None and len(key) < _PREFILTER_FROM:
        return np.asarray(positions[_first_in_order(key)], dtype=np.int64)
    first = np.array(positions, dtype=np.int64)
    maybe = _repeated(key, bucket_bits)
    first[maybe] = positions[maybe[_first_in_order(key[maybe])]]
    return first


def repeated_keys(key: IntArray) -> IntArray:
    """Return the indices (ascending) of keys that occur more than once."""
    if len(key) < _PREFILTER_FROM:
        if len(key) < 2:
            return np.zeros(0, dtype=np.int64)
        group = _factorize(key)
        return np.flatnonzero(np.bincount(group)[group] > 1).astype(np.int64)
    return _repeated(key)


@dataclass(frozen=True)
class _Prepared:
    """One file's columns as the early-parse thread encoded them, and its repeated rows."""

    columns: tuple[Any, ...]
    coded: list[CodedColumn]
    blank: BoolArray
    positions: IntArray
    first: IntArray


_prepared: list[_Prepared] = []
_prepared_lock = threading.Lock()


def prepare(columns: tuple[Any, ...], size: int) -> None:
    """Encode ``columns`` and find blank and repeated rows ahead of the import.

    Run on the command line's early-parse thread, after the fast parse: the import's
    :func:`encode_all`, :func:`blank_rows` and :func:`first_occurrence` then hand these
    results out for the same column objects (the rows counted are every row not blank,
    as for any table of the fast parser). One column at a time: the main thread is busy
    loading modules meanwhile.
    """
    job = _Encoding(columns)
    with _prepared_lock:
        _encoding.append(job)
    try:
        coded = job.run()
    finally:
        with _prepared_lock:
            _encoding.remove(job)
    blank = blank_rows(coded, size)
    positions = np.flatnonzero(~blank)
    first = first_occurrence(coded, positions)
    with _prepared_lock:
        _prepared.append(_Prepared(columns, coded, blank, positions, first))


class _Encoding:
    """One table's columns to encode, taken one at a time by whichever thread asks next.

    The early-parse thread encodes them in turn; the main thread, once it has loaded the
    modules and would only wait for the results, takes the columns not started yet
    (:func:`help_prepare`). Each column is encoded whole by one thread, as
    :func:`encode` alone would, so who encoded which changes nothing in the results.
    """

    def __init__(self, columns: tuple[Any, ...]) -> None:
        self.columns = columns
        self.rows = _code_rows(columns)
        self.coded: list[CodedColumn | None] = [None] * len(columns)
        self.failed: list[BaseException] = []
        self._next = 0
        self._finished = 0
        self._changed = threading.Condition(threading.Lock())

    def work(self) -> None:
        """Encode columns nobody has taken yet, until none is left."""
        while True:
            with self._changed:
                if self._next == len(self.columns) or self.failed:
                    return
                position = self._next
                self._next += 1
            try:
                out = None if self.rows is None else self.rows[position]
                column = encode(self.columns[position], out)
            except BaseException as error:  # handed to run(): the import encodes itself
                with self._changed:
                    self.failed.append(error)
                    self._finished += 1
                    self._changed.notify_all()
                if not isinstance(error, Exception):
                    raise  # an interrupt stays the caller's
                return
            with self._changed:
                self.coded[position] = column
                self._finished += 1
                self._changed.notify_all()

    def run(self) -> list[CodedColumn]:
        """Encode with whoever helps; return every column once all are done."""
        self.work()
        with self._changed:
            self._changed.wait_for(lambda: self._finished == self._next)
            if self.failed:
                # Also for an interrupt of the helping thread: this thread just gives up.
                raise RuntimeError("a column could not be encoded") from self.failed[0]
        done = [column for column in self.coded if column is not None]
        if len(done) != len(self.columns):  # pragma: no cover - every column was taken
            raise RuntimeError("a column was not encoded")
        return done


_encoding: list[_Encoding] = []


def help_prepare() -> None:
    """Encode, on the calling thread, columns :func:`prepare` has not started yet.

    For the main thread when it would otherwise wait for the early-parse thread's results:
    it takes whole columns, so the results are the same whichever thread encodes them.
    Never raises: a failure is handed to :func:`prepare`, which then gives up as it would
    have alone.
    """
    with _prepared_lock:
        jobs = list(_encoding)
    for job in jobs:
        job.work()


def discard_prepared() -> None:
    """Drop what :func:`prepare` computed and no import took."""
    with _prepared_lock:
        _prepared.clear()


def _find_prepared(columns: tuple[Any, ...] | list[CodedColumn]) -> _Prepared | None:
    if not _prepared:  # the usual case outside the command line: no lock taken
        return None
    with _prepared_lock:
        return next((p for p in _prepared if columns is p.columns or columns is p.coded), None)


def _take_prepared(
    columns: list[CodedColumn], positions: IntArray, bucket_bits: int | None
) -> IntArray | None:
    """Return the prepared first occurrences for exactly these coded columns and positions."""
    prepared = _find_prepared(columns)
    if prepared is None or prepared.coded is not columns or bucket_bits is not None:
        return None
    if not np.array_equal(prepared.positions, positions):
        return None
    with _prepared_lock:
        if prepared in _prepared:
            _prepared.remove(prepared)
    return prepared.first
