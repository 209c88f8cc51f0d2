"""The measures frame: one row per completed questionnaire, as imported and scored.

Columns and dtypes are the contract other parts code against (TEAM.md, "Measures"):
``patient_id`` (string), ``date`` (datetime64[ns], midnight), ``measure`` (string: an id of
:data:`rehab.measures.MEASURES`), ``version`` (string, "" if none), ``score`` (float64, NaN =
not scored), ``band`` (string, "" if none; STarT Back "low"/"medium"/"high"), ``complete``
(bool), ``subscale`` (float64; STarT Back distress 0-5, else NaN), ``answers`` (string: a
JSON list of the item answers as numbers, null for missing), ``source_file`` (string) and
``source_row`` (int64, the row a spreadsheet shows; header = row 1).
"""

from __future__ import annotations

from functools import cache
from typing import Final

import pandas as pd
from pandas.api.types import pandas_dtype

__all__ = ["MEASURE_DTYPES", "coerce_measures", "empty_measures"]

MEASURE_DTYPES: Final[dict[str, str]] = {
    "patient_id": "string",
    "date": "datetime64[ns]",
    "measure": "string",
    "version": "string",
    "score": "float64",
    "band": "string",
    "complete": "bool",
    "subscale": "float64",
    "answers": "string",
    "source_file": "string",
    "source_row": "int64",
}

_DEFAULTS: Final[dict[str, object]] = {
    "version": "",
    "band": "",
    "complete": True,
    "answers": "[]",
    "source_file": "",
    "source_row": 0,
}


def empty_measures() -> pd.DataFrame:
    """Return an empty measures frame with the canonical columns and dtypes."""
    return _template().copy()


@cache
def _template() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in MEASURE_DTYPES.items()})


def coerce_measures(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with the canonical measures columns, in order and typed.

    Meant for frames built by hand (tests, the sample generator): missing optional columns
    get their empty value (``""``, NaN, ``complete`` True); ``date`` is set to midnight.

    Parameters
    ----------
    frame
        At least ``patient_id``, ``date``, ``measure`` and ``score``.

    Returns
    -------
    pandas.DataFrame
        The measures frame (see the module docstring).
    """
    out = pd.DataFrame(index=frame.index)
    for name, dtype in MEASURE_DTYPES.items():
        if name in frame.columns:
            column = frame[name]
        else:
            column = pd.Series(_DEFAULTS.get(name, float("nan")), index=frame.index)
        if name == "date":
            out[name] = (
                pd.to_datetime(column, format="ISO8601").dt.normalize().astype(pandas_dtype(dtype))
            )
        else:
            out[name] = column.astype(pandas_dtype(dtype))
    return out.reset_index(drop=True)
