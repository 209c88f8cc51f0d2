"""The imported frames: canonical accepted rows, and rejected rows as the user wrote them."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
from pandas.api.extensions import ExtensionArray
from pandas.arrays import NumpyExtensionArray

# pandas' own constructor of a frame's blocks from column arrays (what DataFrame(dict)
# ends with); internal, so a test compares its frames with the constructor's, and a pandas
# without it (a later version) just takes the public constructor.
try:
    from pandas.core.internals.managers import (  # type: ignore[import-not-found]
        create_block_manager_from_column_arrays,
    )
except ImportError:  # pragma: no cover - the pinned pandas has it
    create_block_manager_from_column_arrays = None

from rehab.schema import LogKind, frame_dtypes

if TYPE_CHECKING:
    from rehab.importer.coded import CodedColumn
    from rehab.importer.parse import RawTable

__all__ = [
    "canonical_frame",
    "empty_like",
    "large_text",
    "rejected_frame",
    "repeated_text",
    "string_column",
]

IntArray = npt.NDArray[np.int64]

# A text repeated over many rows is built as one block of this many rows, shared by chunks.
_REPEAT_BLOCK: Final = 1 << 16


def repeated_text(text: str | None, size: int) -> Any:
    """Return ``text`` (``None``: missing) ``size`` times, as pyarrow ``large_string``.

    A big file's ``source_file`` column, or a column the file lacks, is one text a million
    times. Built as chunks that all share one block of rows, it takes 1 MB instead of 15 MB
    of fresh memory, whose page faults cost ~18 ms on a fresh process. The values are the
    same; pandas keeps its text as chunks anyway.
    """
    block = pa.repeat(pa.scalar(text, pa.large_string()), min(size, _REPEAT_BLOCK))
    if size <= _REPEAT_BLOCK:
        return block
    whole, rest = divmod(size, _REPEAT_BLOCK)
    chunks = [block] * whole + ([block.slice(0, rest)] if rest else [])
    return pa.chunked_array(chunks, type=pa.large_string())


def large_text(texts: Any) -> Any:
    """Return pyarrow text as ``large_string`` (pandas' text storage; no-op when it is)."""
    return texts if texts.type == pa.large_string() else texts.cast(pa.large_string())


def string_column(values: Any) -> pd.api.extensions.ExtensionArray:
    """Convert a pyarrow string array (or a list of str) to a pandas ``string`` array.

    pandas keeps text as ``large_string``: text already of that type is taken without a copy.
    """
    if not isinstance(values, pa.Array | pa.ChunkedArray):
        values = pa.array(values, type=pa.large_string())
    if values.type != pa.large_string():
        values = values.cast(pa.large_string())
    return pd.arrays.ArrowStringArray(values)


def empty_like(dtype: str, size: int) -> Any:
    """Return an all-missing array of ``dtype`` (a canonical frame dtype) and ``size``."""
    missing = np.ones(size, dtype=bool)
    if dtype == "Float64":
        return pd.arrays.FloatingArray(np.zeros(size), missing)
    if dtype == "boolean":
        return pd.arrays.BooleanArray(np.zeros(size, dtype=bool), missing)
    if dtype == "string":
        # Arrow nulls need no per-row work (a Series of NA spent 13 ms per million rows).
        return string_column(repeated_text(None, size))
    return pd.Series(pd.NA, index=range(size), dtype=dtype).array


def canonical_frame(kind: LogKind, size: int, columns: dict[str, Any]) -> pd.DataFrame:
    """Assemble the canonical frame of ``kind``; columns not given are left empty."""
    data = {
        name: columns[name] if name in columns else empty_like(dtype, size)
        for name, dtype in frame_dtypes(kind).items()
    }
    frame = _assembled(kind, size, data)
    return frame if frame is not None else pd.DataFrame(data, copy=False)


# Numpy columns the frame constructor keeps as they are (with ``copy=False``); datetimes
# are wrapped as a DatetimeArray by the block either way.
_KEPT_NUMPY: Final = frozenset(np.dtype(t) for t in ("bool", "float64", "int64", "datetime64[ns]"))


@cache
def _column_index(kind: LogKind) -> pd.Index:
    # An Index is immutable: every frame of a kind can share one.
    return pd.Index(list(frame_dtypes(kind)))


def _ready(array: Any, size: int) -> bool:
    """Whether the frame constructor would take ``array`` as it is (no cast, no copy)."""
    if isinstance(array, np.ndarray):
        return array.ndim == 1 and array.dtype in _KEPT_NUMPY and len(array) == size
    return (
        isinstance(array, ExtensionArray)
        and not isinstance(array, NumpyExtensionArray)
        and len(array) == size
    )


def _assembled(kind: LogKind, size: int, data: dict[str, Any]) -> pd.DataFrame | None:
    """Build the canonical frame of ``kind`` from ``data`` (see :func:`_assembled_from`)."""
    return _assembled_from(_column_index(kind), size, data)


def _assembled_from(columns: pd.Index, size: int, data: dict[str, Any]) -> pd.DataFrame | None:
    """Build the frame ``pd.DataFrame(data, copy=False)`` builds, without its column checks.

    Those checks (index, length, dtype inference, wrapping) are most of the fixed cost of a
    small file's frame: about 0.1 ms of a one-row file's 1.5 ms. Every column here is
    already an array of its final dtype and length, so the blocks are made straight from
    them, as the constructor itself makes them (one block per column, nothing copied).
    ``columns`` are the names of ``data``, as an Index. Returns ``None`` when a column is
    anything else: the constructor then decides.
    """
    arrays = list(data.values())
    if create_block_manager_from_column_arrays is None or not hasattr(pd.DataFrame, "_from_mgr"):
        return None
    if not all(_ready(array, size) for array in arrays):
        return None
    manager = create_block_manager_from_column_arrays(
        arrays, [columns, pd.RangeIndex(size)], consolidate=False, refs=[None] * len(arrays)
    )
    frame: pd.DataFrame = pd.DataFrame._from_mgr(manager, axes=manager.axes)  # type: ignore[attr-defined]
    return frame


def _unique_names(header: tuple[str, ...]) -> list[str]:
    """Headers as written, with repeats numbered so the frame can be written and concatenated."""
    names: list[str] = []
    # A set of the names taken and, per name, the last number tried: linear in the number
    # of headers (a list scan per candidate was cubic: 5,000 copies of one header took 349 s).
    taken = {"row", "problem"}
    tried: dict[str, int] = {}
    for position, text in enumerate(header):
        name = text or f"column {position + 1}"
        candidate, count = name, tried.get(name, 1)
        while candidate in taken:
            count += 1
            candidate = f"{name} ({count})"
        tried[name] = count
        taken.add(candidate)
        names.append(candidate)
    return names


def rejected_frame(
    table: RawTable,
    coded: list[CodedColumn],
    positions: IntArray,
    problems: npt.NDArray[np.object_],
) -> pd.DataFrame:
    """Rejected rows as written (original headers, text cells) with ``row`` and ``problem``."""
    data: dict[str, Any] = {
        "row": table.rows[positions],
        "problem": string_column(problems.tolist()),
    }
    for name, column in zip(_unique_names(table.header), coded, strict=True):
        data[name] = string_column(column.rows_text(positions))
    if len(table.too_long):
        extra = dict(zip(table.too_long.tolist(), table.extra, strict=True))
        data["extra_fields"] = string_column([extra.get(p, "") for p in positions.tolist()])
    # Every array here is new and this frame's alone, so the copies DataFrame(data) would
    # make are not needed: the same frame, assembled (0.2 ms less per file with rejections).
    frame = _assembled_from(pd.Index(list(data)), len(positions), data)
    return frame if frame is not None else pd.DataFrame(data)
