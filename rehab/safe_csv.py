"""CSV that is safe to open in a spreadsheet.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return can be run as a
formula by Excel or LibreOffice ("CSV injection"); every such cell gets a leading single
quote, which spreadsheets show as text. The file is UTF-8 with a BOM so that Excel reads
accented letters correctly.
"""

from __future__ import annotations

from typing import Final

import pandas as pd
from pandas.api.types import is_bool_dtype, is_datetime64_any_dtype, is_numeric_dtype

__all__ = ["BOM", "FORMULA_STARTS", "neutralise_formula", "to_safe_csv"]

BOM: Final = b"\xef\xbb\xbf"
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_RE: Final = r"^[=+\-@\t\r]"


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


def to_safe_csv(frame: pd.DataFrame) -> bytes:
    """Write ``frame`` as spreadsheet-safe CSV: UTF-8 with BOM, formulas neutralised.

    Text cells and headers are checked; numeric, boolean and datetime columns are written
    as values (``-3`` stays a number). Missing values are written as empty cells.

    Parameters
    ----------
    frame
        Any frame; the index is not written.

    Returns
    -------
    bytes
        The CSV file's bytes.
    """
    safe = frame.copy()
    safe.columns = pd.Index([neutralise_formula(str(name)) for name in safe.columns])
    for position in range(safe.shape[1]):
        safe.isetitem(position, _safe_column(safe.iloc[:, position]).array)
    text = safe.to_csv(index=False, lineterminator="\r\n")
    return BOM + text.encode("utf-8")
