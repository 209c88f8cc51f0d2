"""One patient's stored logs as rehab's own CSV: a sessions file and a pain file.

Our format (docs/data-format.md) keeps the two kinds of log in separate files, so an export
is two CSVs, ``<patient>_sessions.csv`` and ``<patient>_pain.csv`` (a kind with no stored row
is left out). Columns are the canonical names with a ``patient_id`` column, days in ISO
8601, numbers written exactly (shortest text that reads back as the same number), yes/no
flags, and the library id of known exercises; reading them with the importer gives back the
stored rows. Like every export they are spreadsheet-safe (:mod:`rehab.safe_csv`): a text
cell starting with ``= + - @`` gets a leading ``'``, which reading the file back keeps.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Final

import pandas as pd

from rehab.safe_csv import to_safe_csv
from rehab.schema import SPECS

if TYPE_CHECKING:
    from rehab.schema import LogKind
    from rehab.store.rows import StoredKind

__all__ = ["export_files", "log_csv", "measures_csv"]

_UNSAFE_NAME: Final = re.compile(r"[^A-Za-z0-9._-]+")


def _number_text(column: pd.Series) -> pd.Series:
    values = column.astype(object).tolist()
    cells: list[str | None] = [None if v is pd.NA else _exact(v) for v in values]
    return pd.Series(cells, index=column.index, dtype="string")


def _cells(kind: LogKind, frame: pd.DataFrame) -> pd.DataFrame:
    """Return the frame's log columns as the text our CSV format writes."""
    out = {}
    for spec in SPECS[kind].columns:
        column = frame[spec.name]
        if spec.type == "date":
            out[spec.name] = column.dt.strftime("%Y-%m-%d").astype("string")
        elif spec.type in {"number", "score"}:
            out[spec.name] = _number_text(column)
        elif spec.type == "flag":
            words = {True: "yes", False: "no"}
            flags = column.astype(object).tolist()
            out[spec.name] = pd.Series(
                [None if v is pd.NA else words[bool(v)] for v in flags],
                index=column.index,
                dtype="string",
            )
        else:
            out[spec.name] = column.astype("string")
    return pd.DataFrame(out)


def log_csv(kind: LogKind, frame: pd.DataFrame) -> bytes:
    """Write stored rows of ``kind`` as rehab's own CSV (spreadsheet-safe, with the disclaimer)."""
    return to_safe_csv(_cells(kind, frame))


def file_stem(patient_id: str) -> str:
    """Return a file name stem for a patient id (letters, digits, ``. _ -``; others become ``_``)."""
    return _UNSAFE_NAME.sub("_", patient_id).strip("._") or "patient"


def measures_csv(frame: pd.DataFrame) -> bytes:
    """Write stored questionnaires in the measures log format (answers as ``item_N`` columns)."""
    answers = [json.loads(text) if isinstance(text, str) and text else [] for text in frame["answers"]]
    items = max((len(a) for a in answers), default=0)
    with_answers = [bool(a) for a in answers]
    cells: dict[str, object] = {
        "patient_id": frame["patient_id"].astype("string").to_numpy(),
        "date": frame["date"].dt.strftime("%Y-%m-%d").to_numpy(),
        "measure": frame["measure"].astype("string").to_numpy(),
        "version": frame["version"].astype("string").to_numpy(),
    }
    for item in range(items):
        cells[f"item_{item + 1}"] = [
            _exact(a[item]) if item < len(a) and a[item] is not None else None for a in answers
        ]
    # A score (and STarT Back's subscale) only where no answers were stored: the importer
    # scores the answers itself, and checks a given score against them.
    for name in ("score", "subscale"):
        cells[name] = [
            None if given or pd.isna(v) else _exact(v)
            for v, given in zip(frame[name].tolist(), with_answers, strict=True)
        ]
    return to_safe_csv(pd.DataFrame(cells, dtype="string"))


def _exact(value: float) -> str:
    """Write a number as the shortest text that reads back as the same number."""
    return repr(float(value)).removesuffix(".0")


def export_files(patient_id: str, frames: dict[StoredKind, pd.DataFrame]) -> dict[str, bytes]:
    """Return ``{"<patient>_<kind>.csv": bytes}`` for each kind with stored rows."""
    stem = file_stem(patient_id)
    written = {}
    for kind, frame in frames.items():
        if not len(frame):
            continue
        data = measures_csv(frame) if kind == "measures" else log_csv(kind, frame)
        written[f"{stem}_{kind}.csv"] = data
    return written
