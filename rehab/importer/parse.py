"""Text -> a table of strings, each record with the row number a spreadsheet shows.

Two parsers give the same table. The fast one is pyarrow's multi-threaded CSV reader; it
is used when every record is exactly one line (no blank lines, no line breaks inside
quotes, no ragged rows), because then record *i* is spreadsheet row *i + 1*. Anything
else goes to the exact parser, Python's :mod:`csv`, which counts blank lines and
multi-line quoted notes the way a spreadsheet does.

On the command line, the input files are read and parsed by the fast parser on a
background thread while the process loads pandas and the rest (:func:`parse_early`), and
their columns encoded (:func:`rehab.importer.coded.prepare`); the import then takes that
table for the same bytes and delimiter instead of parsing again, so every decision
(encoding, delimiter, width, fast or exact) is still the import's own.
"""

from __future__ import annotations

import csv
import gc
import io
import threading
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pacsv

from rehab.importer.dialect import header_line, sniff_delimiter

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from pathlib import Path

    from rehab.importer.decode import Decoded

__all__ = [
    "RawTable",
    "count_newlines",
    "discard_early",
    "early_bytes",
    "parse_early",
    "parse_exact",
    "parse_fast",
    "parse_table",
]

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


def count_newlines(data: bytes) -> int:
    """Count the line feeds in ``data``: bytes.count, or numpy blocks on a big file (faster)."""
    return _newlines(data, len(data)) if len(data) > _COUNT_STEP else data.count(b"\n")


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
            # Blocks are cut at every line end, quotes or not: a third less parse time on a
            # file with quoted notes. Exact all the same: a line break inside quotes makes
            # fewer rows than lines (or a parse error), and parse_fast then steps aside.
            newlines_in_values=False,
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
def no_cycle_collection() -> Iterator[None]:
    """Pause the cycle collector for the block, then restore it as the caller had it.

    For work that makes many objects and no reference cycles: a million row lists
    (collecting while they are built cost 6 s instead of 2 s), or a batch of small files'
    imports (the collector ran about 200 times for 400 files and found nothing).
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
    with no_cycle_collection():
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
    parsed, fast = _early_table(decoded.utf8, delimiter)
    if not parsed:
        fast = parse_fast(decoded.utf8, delimiter)
    if fast is not None:
        return fast
    return parse_exact(decoded.text(), delimiter)


# Early parsing is speculation: files past these are left to the import itself (which
# refuses too many columns before parsing, and too many rows per upload).
_EARLY_MAX_BYTES: Final = 512 << 20
_EARLY_MAX_COLUMNS: Final = 1000


@dataclass
class _EarlyFile:
    """One input file on the early-parse thread: its bytes, then its fast parse."""

    path: str
    data: Future[bytes | None] = field(default_factory=Future)
    # (delimiter, parse_fast's result), or None when it was not parsed early.
    table: Future[tuple[str, RawTable | None] | None] = field(default_factory=Future)
    handed_out: bool = False


_early: list[_EarlyFile] = []
_early_lock = threading.Lock()


def parse_early(
    paths: Sequence[Path], registered: threading.Event, first: bytes | OSError | None = None
) -> None:
    """Read and fast-parse ``paths`` in turn (run on a background thread).

    ``registered`` is set as soon as the files are known, so that :func:`early_bytes` never
    misses one. ``first``, when given, is what reading ``paths[0]`` gave already. Nothing
    here raises: a file that cannot be read or parsed is left to the import, which reads it
    again and reports what is wrong the usual way.
    """
    files = [_EarlyFile(str(path)) for path in paths]
    with _early_lock:
        _early.extend(files)
    registered.set()
    try:
        for position, (file, path) in enumerate(zip(files, paths, strict=True)):
            try:
                data = _read_bytes(path, first if position == 0 else None)
            except OSError:
                data = None
            file.data.set_result(data)
            parsed = None if data is None else _parse_speculatively(data)
            if parsed is not None and parsed[1] is not None:
                _prepare(parsed[1])
            file.table.set_result(parsed)
    finally:
        for file in files:  # after an unexpected error: the import does it all itself
            for future in (file.data, file.table):
                if not future.done():
                    future.set_result(None)


def _read_bytes(path: Path, read: bytes | OSError | None) -> bytes:
    """Return the bytes of ``path``, or what reading it gave already (``read``)."""
    if isinstance(read, OSError):
        raise read
    return path.read_bytes() if read is None else read


def _parse_speculatively(data: bytes) -> tuple[str, RawTable | None] | None:
    if len(data) > _EARLY_MAX_BYTES:
        return None
    try:
        delimiter = sniff_delimiter(header_line(data))
        if _header_width(data, delimiter) > _EARLY_MAX_COLUMNS:
            return None
        return delimiter, parse_fast(data, delimiter)
    except Exception:  # the import parses the file itself, and reports
        return None


def _prepare(table: RawTable) -> None:
    """Encode the table and find its blank and repeated rows (see rehab.importer.coded)."""
    from rehab.importer.coded import prepare

    try:
        prepare(table.columns, table.size)
    except Exception:  # the import encodes the columns itself
        return


def early_bytes(path: Path) -> bytes | None:
    """Return the bytes the early-parse thread read from ``path``, or ``None``."""
    with _early_lock:
        file = next((f for f in _early if f.path == str(path) and not f.handed_out), None)
        if file is None:
            return None
        file.handed_out = True
    return file.data.result()


def _early_table(utf8: bytes, delimiter: str) -> tuple[bool, RawTable | None]:
    """Return ``(True, parse_fast's result)`` for bytes parsed early with this delimiter.

    Else ``(False, None)``. Each table is handed out once.
    """
    with _early_lock:
        file = next((f for f in _early if f.handed_out and f.data.result() is utf8), None)
        if file is None:
            return False, None
        _early.remove(file)
    if not file.table.done():
        # Rather than wait idle: encode columns the early thread has not started yet.
        from rehab.importer.coded import help_prepare

        help_prepare()
    early = file.table.result()
    if early is None or early[0] != delimiter:
        return False, None
    return True, early[1]


def discard_early() -> None:
    """Wait for the early-parse thread to finish, then drop whatever the import did not use."""
    with _early_lock:
        files = list(_early)
        _early.clear()
    for file in files:
        file.table.result()
    from rehab.importer.coded import discard_prepared

    discard_prepared()
