"""Text -> a table of strings, each record with the row number a spreadsheet shows.

Two parsers give the same table. The fast one is pyarrow's multi-threaded CSV reader; it
is used when every record is exactly one line (no blank lines, no line breaks inside
quotes, no ragged rows), because then record *i* is spreadsheet row *i + 1*. Anything
else goes to the exact parser, Python's :mod:`csv`, which counts blank lines and
multi-line quoted notes the way a spreadsheet does.
"""

from __future__ import annotations

import csv
import gc
import io
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pacsv

from rehab.importer.dialect import header_line

if TYPE_CHECKING:
    from collections.abc import Iterator

    from rehab.importer.decode import Decoded

__all__ = ["RawTable", "parse_exact", "parse_fast", "parse_table"]

# A 1 MB note is a normal cell here; the csv module's default limit is 128 kB.
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))

_BLOCK_SIZE: Final = 1 << 20
_COUNT_STEP: Final = 1 << 18
_LINE_ENDS: Final = b"\r\n"

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class RawTable:
    """The cells of a file as written, one string array per header position.

    ``rows`` is the spreadsheet row of each record (header = its own row, usually 1).
    Records with more fields than the header are kept (first fields under the headers);
    ``too_long`` holds their positions and ``extra`` their surplus fields, joined by the
    delimiter, so the rejected-rows file loses nothing.
    """

    header: tuple[str, ...]
    columns: tuple[Any, ...]
    rows: IntArray
    too_long: IntArray
    extra: tuple[str, ...]
    parser: Literal["fast", "exact"]

    @property
    def size(self) -> int:
        """Number of records (blank lines excluded)."""
        return len(self.rows)


def _line_count(utf8: bytes) -> int:
    end = len(utf8)
    while end and utf8[end - 1] in _LINE_ENDS:
        end -= 1
    if not end:
        return 0
    # A lone CR ends a line too (old Mac files, a stray one in a Windows export): counting
    # only LFs let a lone CR and a blank line cancel out, and the rows were one off.
    # Most files hold no CR at all: one memchr-fast find skips both counts (the CRLF one
    # costs a tenth of the whole import of a million-row file).
    lone_cr = 0
    if utf8.find(b"\r", 0, end) >= 0:
        lone_cr = utf8.count(b"\r", 0, end) - utf8.count(b"\r\n", 0, end)
    return _newlines(utf8, end) + lone_cr + 1


def _newlines(utf8: bytes, end: int) -> int:
    """Count the line feeds in ``utf8[:end]``.

    Three times faster than ``bytes.count`` on a big file: numpy compares whole blocks at
    once, and one reused block-sized buffer keeps the work in cache.
    """
    data = np.frombuffer(utf8, dtype=np.uint8, count=end)
    found = np.empty(min(end, _COUNT_STEP), dtype=bool)
    total = 0
    for start in range(0, end, _COUNT_STEP):
        block = data[start : start + _COUNT_STEP]
        hits = found[: len(block)]
        np.equal(block, ord("\n"), out=hits)
        total += int(np.count_nonzero(hits))
    return total


def _header_width(utf8: bytes, delimiter: str) -> int:
    fields = next(csv.reader([header_line(utf8)], delimiter=delimiter, strict=False), [])
    return len(fields)


def _read_arrow(utf8: bytes, delimiter: str, width: int) -> Any:
    """Every field as a string (none null), with pyarrow's multi-threaded reader."""
    names = [f"c{i}" for i in range(width)]
    return pacsv.read_csv(
        pa.py_buffer(utf8),
        # A file of one block is parsed by one thread anyway: handing it to the pool only
        # adds the pool's fixed cost to every small file.
        read_options=pacsv.ReadOptions(
            column_names=names, block_size=_BLOCK_SIZE, use_threads=len(utf8) > _BLOCK_SIZE
        ),
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter,
            quote_char='"',
            double_quote=True,
            escape_char=False,
            newlines_in_values=b'"' in utf8,
            ignore_empty_lines=True,
        ),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            null_values=[],
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )


def parse_fast(utf8: bytes, delimiter: str) -> RawTable | None:
    """Parse with pyarrow, or return ``None`` when the file needs the exact parser."""
    width = _header_width(utf8, delimiter)
    if width == 0:
        return None
    try:
        table = _read_arrow(utf8, delimiter, width)
    except (pa.ArrowException, ValueError):
        return None
    if table.num_rows != _line_count(utf8) or table.num_rows == 0:
        return None
    columns = [table.column(i) for i in range(width)]
    header = tuple(str(column[0].as_py()) for column in columns)
    return RawTable(
        header=header,
        columns=tuple(column.slice(1) for column in columns),
        rows=np.arange(2, table.num_rows + 1, dtype=np.int64),
        too_long=np.zeros(0, dtype=np.int64),
        extra=(),
        parser="fast",
    )


def _fit_to_width(records: list[list[str]], width: int, delimiter: str) -> tuple[IntArray, list[str]]:
    """Pad short records, trim long ones; return the positions and surplus of long ones."""
    lengths = np.fromiter(map(len, records), dtype=np.int64, count=len(records))
    too_long: list[int] = []
    extra: list[str] = []
    for position in np.flatnonzero(lengths != width).tolist():
        record = records[position]
        if len(record) < width:
            records[position] = record + [""] * (width - len(record))
            continue
        surplus = record[width:]
        records[position] = record[:width]
        # Trailing empty fields (a spreadsheet's stray delimiters) lose nothing.
        if any(field.strip() for field in surplus):
            too_long.append(position)
            extra.append(delimiter.join(surplus))
    return np.asarray(too_long, dtype=np.int64), extra


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause the cycle collector while the row lists are built.

    A million row lists hold no cycles, and collecting while they are built costs more
    than the parsing itself (6 s instead of 2 s for a million rows).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_exact(text: str, delimiter: str) -> RawTable:
    """Parse with Python's csv module, counting rows exactly as a spreadsheet does."""
    with _no_cycle_collection():
        return _parse_records(text, delimiter)


def _parse_records(text: str, delimiter: str) -> RawTable:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    records = list(reader)
    lengths = np.fromiter(map(len, records), dtype=np.int64, count=len(records))
    present = np.flatnonzero(lengths > 0)
    if len(present) == 0:
        return RawTable((), (), np.zeros(0, np.int64), np.zeros(0, np.int64), (), "exact")
    header = tuple(records[present[0]])
    body = [records[i] for i in present[1:].tolist()]
    too_long, extra = _fit_to_width(body, len(header), delimiter)
    if body:
        columns = tuple(pa.array(cells, type=pa.string()) for cells in zip(*body, strict=True))
    else:
        columns = tuple(pa.array([], type=pa.string()) for _ in header)
    return RawTable(
        header=header,
        columns=columns,
        rows=(present[1:] + 1).astype(np.int64),
        too_long=too_long,
        extra=tuple(extra),
        parser="exact",
    )


def parse_table(decoded: Decoded, delimiter: str) -> RawTable:
    """Parse a decoded file: the fast parser when it is exact for this file, else csv."""
    fast = parse_fast(decoded.utf8, delimiter)
    if fast is not None:
        return fast
    return parse_exact(decoded.text(), delimiter)
