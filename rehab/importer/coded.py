"""Columns as distinct values plus one code per row.

A clinic's log repeats itself: a million rows hold a few hundred dates, a handful of
exercise names, eleven pain scores. Every check runs on the distinct values (vectorised
with pyarrow) and reaches the rows through one ``numpy.take``, so validation costs
O(distinct values) plus array indexing, never a Python loop over rows.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["CodedColumn", "blank_rows", "encode", "encode_all", "first_occurrence", "repeated_keys"]

_PARALLEL_FROM: Final = 100_000
# Duplicate pre-filter: with about four buckets per row (2**22 for a million rows) roughly
# one row in five shares a bucket and is compared exactly; small files skip it.
_PREFILTER_FROM: Final = 50_000
_BUCKET_BITS: Final = 22
# 2**64 / golden ratio: multiplying by it spreads structured keys over the top bits.
_FIBONACCI: Final = np.uint64(0x9E3779B97F4A7C15)

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


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
        trimmed = pc.utf8_trim_whitespace(self.uniques)
        return np.asarray(
            pc.equal(pc.utf8_length(trimmed), 0).to_numpy(zero_copy_only=False), dtype=bool
        )

    def rows_text(self, positions: IntArray) -> Any:
        """Return the cells at ``positions`` as a pyarrow string array."""
        return self.uniques.take(pa.array(self.codes[positions]))


def encode_all(columns: tuple[Any, ...]) -> list[CodedColumn]:
    """Dictionary-encode every column; pyarrow releases the GIL, so threads run them in parallel."""
    if len(columns) < 2 or len(columns[0]) < _PARALLEL_FROM:
        return [encode(column) for column in columns]
    with ThreadPoolExecutor(max_workers=min(len(columns), os.cpu_count() or 1)) as pool:
        return list(pool.map(encode, columns))


def _shared_dictionary(encoded: Any) -> Any:
    """Return the dictionary every chunk uses, or ``None`` when the chunks differ."""
    dictionaries = [chunk.dictionary for chunk in encoded.chunks]
    last = dictionaries[-1]
    # Chunks are encoded with one growing memo table, so equal length means equal content.
    if all(len(d) == len(last) for d in dictionaries):
        return last
    return None


def encode(column: Any) -> CodedColumn:
    """Dictionary-encode a pyarrow string array (chunked or not)."""
    encoded = pc.dictionary_encode(column)
    if isinstance(encoded, pa.ChunkedArray):
        shared = _shared_dictionary(encoded) if encoded.num_chunks else None
        if shared is None:
            return encode(column.combine_chunks() if encoded.num_chunks else pa.array([], pa.string()))
        indices = [chunk.indices.to_numpy(zero_copy_only=False) for chunk in encoded.chunks]
        codes = np.concatenate(indices).astype(np.int32, copy=False)
        return CodedColumn(codes=codes, uniques=shared)
    codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int32)
    return CodedColumn(codes=codes, uniques=encoded.dictionary)


def blank_rows(columns: list[CodedColumn], size: int) -> BoolArray:
    """Rows whose every cell is empty or whitespace: a spreadsheet's empty line, not a row."""
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
            key = np.asarray(pd.factorize(key)[0], dtype=np.int64)
            span = int(key.max()) + 1 if len(key) else 1
        key *= width
        key += column.at(positions)
        span *= width
    return key


def _first_in_order(key: IntArray) -> IntArray:
    """For each element: the index of the first element with the same key (exact)."""
    # factorize numbers groups in order of first appearance, so an element opens its
    # group exactly when its group number exceeds every number seen before it.
    group = np.asarray(pd.factorize(key)[0], dtype=np.int64)
    opens = np.ones(len(group), dtype=bool)
    opens[1:] = group[1:] > np.maximum.accumulate(group)[:-1]
    return np.asarray(np.flatnonzero(opens)[group], dtype=np.int64)


def _maybe_repeated(key: IntArray, bits: int) -> IntArray:
    """Return the indices of keys sharing a hash bucket with another key (repeats and more).

    Counting buckets takes a few plain array passes, far cheaper than grouping every key
    exactly with a hash table; only the keys that share a bucket are then compared.
    """
    bucket = ((key.view(np.uint64) * _FIBONACCI) >> np.uint64(64 - bits)).astype(np.intp)
    counts = np.bincount(bucket, minlength=1 << bits)
    return np.flatnonzero(counts[bucket] > 1)


def first_occurrence(
    columns: list[CodedColumn], positions: IntArray, *, bucket_bits: int | None = None
) -> IntArray:
    """For each of ``positions``: the position of the first identical row (itself if first).

    Exact (no hashing of the cells): rows are equal when their codes are equal in every
    column. ``bucket_bits`` sizes the pre-filter's bucket table; by default big inputs
    get about four buckets per row and small ones skip the pre-filter.
    """
    if len(positions) == 0:
        return np.zeros(0, dtype=np.int64)
    key = _combined_key(columns, positions)
    if bucket_bits is None and len(key) >= _PREFILTER_FROM:
        bucket_bits = min(_BUCKET_BITS, len(key).bit_length() + 2)
    if bucket_bits is None:
        return np.asarray(positions[_first_in_order(key)], dtype=np.int64)
    # Identical rows have identical keys, so they always share a bucket: a row alone in
    # its bucket is a first occurrence, and only the others need exact grouping.
    first = np.arange(len(key), dtype=np.int64)
    maybe = _maybe_repeated(key, max(bucket_bits, 1))
    first[maybe] = maybe[_first_in_order(key[maybe])]
    return np.asarray(positions[first], dtype=np.int64)


def repeated_keys(key: IntArray) -> IntArray:
    """Return the indices (ascending) of keys that occur more than once.

    Big inputs go through the bucket pre-filter first, so a file without repeats costs a
    few array passes.
    """
    if len(key) < 2:
        return np.zeros(0, dtype=np.int64)
    maybe = (
        _maybe_repeated(key, min(_BUCKET_BITS, len(key).bit_length() + 2))
        if len(key) >= _PREFILTER_FROM
        else np.arange(len(key))
    )
    if len(maybe) == 0:
        return np.zeros(0, dtype=np.int64)
    group = np.asarray(pd.factorize(key[maybe])[0], dtype=np.int64)
    return np.asarray(maybe[np.bincount(group)[group] > 1], dtype=np.int64)
