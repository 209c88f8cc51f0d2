"""Canonical frames to SQLite rows and back, without losing a value or a dtype.

Days are stored as whole days since 1970-01-01, scores and counts as REAL, yes/no as 0/1,
text as TEXT; a missing value is NULL. Reading builds each column with numpy from the
fetched rows, straight into the dtypes of :func:`rehab.schema.frame_dtypes`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, Literal

import numpy as np
import pandas as pd

from rehab.schema import empty_frame, frame_dtypes

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Sequence

__all__ = ["KINDS", "StoredKind", "column_names", "decode", "encode", "load_frame", "quoted"]

# The session and pain logs, and the questionnaires (rehab/measures), each in its own table.
StoredKind = Literal["sessions", "pain", "measures"]
KINDS: Final[tuple[StoredKind, ...]] = ("sessions", "pain", "measures")


def stored_dtypes(kind: StoredKind) -> dict[str, str]:
    """Return the canonical columns and dtypes of ``kind``, as the importer's frames have them."""
    if kind == "measures":
        from rehab.measures.schema import MEASURE_DTYPES

        return dict(MEASURE_DTYPES)
    return frame_dtypes(kind)


def empty_stored(kind: StoredKind) -> pd.DataFrame:
    """Return an empty canonical frame of ``kind``."""
    if kind == "measures":
        from rehab.measures.schema import empty_measures

        return empty_measures()
    return empty_frame(kind)


_EPOCH_DAY: Final = np.datetime64("1970-01-01", "D")


def column_names(kind: StoredKind) -> list[str]:
    """Return the canonical columns of ``kind``, as stored (same names, same order)."""
    return list(stored_dtypes(kind))


def quoted(names: Sequence[str]) -> str:
    """Column names for a statement, each quoted (``date`` and ``time`` are SQL words)."""
    return ", ".join(f'"{name}"' for name in names)


def _encode_column(column: pd.Series, dtype: str) -> list[Any]:
    if dtype.startswith("datetime"):
        days = column.to_numpy(dtype="datetime64[D]")
        values: list[Any] = (days - _EPOCH_DAY).astype(np.int64).tolist()
        return [
            None if missing else value for value, missing in zip(values, np.isnat(days), strict=True)
        ]
    if dtype == "bool":
        return column.to_numpy(dtype=bool).astype(np.int64).tolist()
    if dtype in {"Float64", "Int64", "boolean", "float64", "int64"}:
        numbers = column.to_numpy(dtype=np.float64, na_value=np.nan)
        if dtype in {"Float64", "float64"}:
            return [None if value != value else value for value in numbers.tolist()]
        return [None if value != value else int(value) for value in numbers.tolist()]
    values = column.astype(object).tolist()
    return [None if value is pd.NA else value for value in values]


def encode(kind: StoredKind, frame: pd.DataFrame) -> list[list[Any]]:
    """Return the stored columns of ``frame`` as lists of SQLite values (``None`` = missing)."""
    return [_encode_column(frame[name], dtype) for name, dtype in stored_dtypes(kind).items()]


def _decode_column(values: np.ndarray, dtype: str) -> Any:
    """Build one canonical column from a column of fetched values (``None`` = missing)."""
    if dtype == "string":
        # Few distinct texts per column (ids, times, exercises, file names): convert each once.
        codes, uniques = pd.factorize(values)
        return pd.array(uniques, dtype="string").take(codes, allow_fill=True)
    if dtype.startswith("datetime"):
        return values.astype(np.int64).astype("datetime64[D]").astype("datetime64[ns]")
    if dtype == "bool":
        return values.astype(bool)
    numbers = np.asarray(values.tolist(), dtype=np.float64)  # None (NULL) becomes NaN
    missing = np.isnan(numbers)
    numbers[missing] = 0.0
    if dtype == "float64":  # NaN is the missing value (the measures frame's score)
        return np.where(missing, np.nan, numbers)
    if dtype == "int64":
        return numbers.astype(np.int64)
    if dtype == "Float64":
        return pd.arrays.FloatingArray(numbers, missing)
    if dtype == "Int64":
        return pd.arrays.IntegerArray(numbers.astype(np.int64), missing)
    return pd.arrays.BooleanArray(numbers == 1.0, missing)


def decode(kind: StoredKind, rows: Sequence[Sequence[Any]]) -> pd.DataFrame:
    """Build the canonical frame of ``kind`` from stored rows (columns as :func:`column_names`)."""
    dtypes = stored_dtypes(kind)
    if not rows:
        return empty_stored(kind)
    table = np.empty((len(rows), len(dtypes)), dtype=object)
    table[:] = rows
    return pd.DataFrame(
        {name: _decode_column(table[:, i], dtype) for i, (name, dtype) in enumerate(dtypes.items())}
    )


def load_frame(
    connection: sqlite3.Connection, kind: StoredKind, patients: Sequence[str] | None = None
) -> pd.DataFrame:
    """Read the stored rows of ``kind`` (of ``patients``, or everyone's) in the order stored."""
    select = f"SELECT {quoted(column_names(kind))} FROM {kind}"
    if patients is None:
        rows = connection.execute(f"{select} ORDER BY id").fetchall()
    elif len(patients) <= MAX_LISTED:
        marks = ", ".join("?" * len(patients))
        rows = connection.execute(
            f"{select} WHERE patient_id IN ({marks}) ORDER BY id", list(patients)
        ).fetchall()
    else:
        everyone = decode(kind, connection.execute(f"{select} ORDER BY id").fetchall())
        return everyone[everyone["patient_id"].isin(list(patients))].reset_index(drop=True)
    return decode(kind, rows)


# Beyond this many patients one read of every row beats a long IN list.
MAX_LISTED: Final = 500
