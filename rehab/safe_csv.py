"""CSV that is safe to open in a spreadsheet.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return can be run as a
formula by Excel or LibreOffice ("CSV injection"); every such cell gets a leading single
quote, which spreadsheets show as text. The file is UTF-8 with a BOM so that Excel reads
accented letters correctly.

Every export carries the disclaimer, and every export stays machine-readable: the first line
is the header, and the disclaimer is the last column, ``disclaimer``, on every row. A program
reading columns by name never meets it; a person sees it beside the data, even after sorting
or filtering rows. (A note above the header breaks ``read_csv``; a note row below the data
becomes a bogus record.)
"""

from __future__ import annotations

from typing import Final

import pandas as pd
from pandas.api.types import is_bool_dtype, is_datetime64_any_dtype, is_numeric_dtype

from rehab.disclaimer import DISCLAIMER

__all__ = ["BOM", "DISCLAIMER_COLUMN", "FORMULA_STARTS", "neutralise_formula", "to_safe_csv"]

BOM: Final = b"\xef\xbb\xbf"
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_RE: Final = r"^[=+\-@\t\r]"
DISCLAIMER_COLUMN: Final = "disclaimer"


def neutralise_formula(text: str) -> str:
    r"""Return ``text`` with a leading single quote when a spreadsheet would run it.

    >>> neutralise_formula('=HYPERLINK("http://x")')
    '\'=HYPERLINK("http://x")'
    >>> neutralise_formula("back pain")
    'back pain'
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _safe_column(column: pd.Series) -> pd.Series:
    if (
        is_numeric_dtype(column.dtype)
        or is_bool_dtype(column.dtype)
        or is_datetime64_any_dtype(column.dtype)
    ):
        # A number, flag or timestamp is written as such; a spreadsheet never runs it.
        return column
    text = column.astype("string")
    risky = text.str.contains(_FORMULA_RE, regex=True).fillna(False).astype(bool)
    if not risky.any():
        return column
    return text.mask(risky, "'" + text)


def to_safe_csv(frame: pd.DataFrame, *, disclaimer: str | None = DISCLAIMER) -> bytes:
    """Write ``frame`` as spreadsheet-safe CSV: UTF-8 with BOM, formulas neutralised.

    Text cells and headers are checked; numeric, boolean and datetime columns are written
    as values (``-3`` stays a number). Missing values are written as empty cells.

    Parameters
    ----------
    frame
        Any frame; the index is not written.
    disclaimer
        Written in a last column, ``disclaimer``, on every row (replacing a column of that
        name already in ``frame``); ``None`` leaves it out. The header stays the first line.

    Returns
    -------
    bytes
        The CSV file's bytes.
    """
    safe = frame.copy()
    if disclaimer is not None:
        safe = safe.drop(columns=[DISCLAIMER_COLUMN], errors="ignore")
        safe[DISCLAIMER_COLUMN] = disclaimer
    safe.columns = pd.Index([neutralise_formula(str(name)) for name in safe.columns])
    for position in range(safe.shape[1]):
        safe.isetitem(position, _safe_column(safe.iloc[:, position]).array)
    text = safe.to_csv(index=False, lineterminator="\r\n")
    return BOM + text.encode("utf-8")
