"""Merge newly imported rows with the stored ones: keep one copy, never overwrite.

A new row is compared with the stored rows of its patient as imported (the comparison the
importer makes between the files of one upload, :mod:`rehab.importer.crossfile`): a row the
workspace already holds value for value is *already stored* and is not added again; a row
with the same record key as a stored row (patient, day, time and exercise for sessions;
patient, day and time for pain; patient, day and measure for questionnaires) but other
values is a *conflict*: reported, not stored. A log row without a time has no key that makes
it "the same record", so it is only ever compared value for value. Every other row is
added, including rows an import keeps twice within one file (as the importer keeps them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from rehab.schema import PROVENANCE

if TYPE_CHECKING:
    from rehab.store.rows import StoredKind

__all__ = ["ADDED", "ALREADY_STORED", "CONFLICT", "Merge", "merge_rows", "record_key"]

ADDED: Final = 0
ALREADY_STORED: Final = 1
CONFLICT: Final = 2


def record_key(kind: StoredKind) -> list[str]:
    """Return the columns that name one record of ``kind``."""
    if kind == "measures":
        return ["patient_id", "date", "measure"]
    key = ["patient_id", "date", "time"]
    return [*key, "exercise"] if kind == "sessions" else key


@dataclass(frozen=True)
class Merge:
    """Per new row: its fate (ADDED/ALREADY_STORED/CONFLICT) and, for a conflict, the stored row.

    ``stored_match`` holds the position in the stored frame of the row a conflicting new
    row disagrees with (-1 for other rows).
    """

    fate: np.ndarray
    stored_match: np.ndarray

    def count(self, fate: int) -> int:
        """How many new rows met ``fate``."""
        return int((self.fate == fate).sum())


def _groups(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    if not len(frame):
        return np.zeros(0, dtype=np.int64)
    return frame.groupby(columns, dropna=False, sort=False).ngroup().to_numpy(dtype=np.int64)


def merge_rows(kind: StoredKind, stored: pd.DataFrame, new: pd.DataFrame) -> Merge:
    """Decide, for every row of ``new``, whether it is added, already stored or a conflict.

    Parameters
    ----------
    kind
        ``"sessions"``, ``"pain"`` or ``"measures"``.
    stored
        The stored rows of the patients ``new`` names (canonical frame).
    new
        The rows the importer accepted (canonical frame, extra columns ignored).

    Returns
    -------
    Merge
        Each new row's fate, and the stored row each conflict disagrees with.
    """
    fate = np.full(len(new), ADDED, dtype=np.int8)
    match = np.full(len(new), -1, dtype=np.int64)
    if not len(new) or not len(stored):
        return Merge(fate, match)
    values = [c for c in stored.columns if c not in PROVENANCE]
    both = pd.concat([stored[values], new[values]], ignore_index=True)
    held = len(stored)
    group = _groups(both, values)
    stored_group = np.zeros(int(group.max()) + 1, dtype=bool)
    stored_group[group[:held]] = True
    fate[stored_group[group[held:]]] = ALREADY_STORED

    key = record_key(kind)
    # A log row without a time is no particular record; a questionnaire is one per day.
    timed = both["time"].notna().to_numpy(dtype=bool) if "time" in key else np.ones(len(both), bool)
    key_group = _groups(both, key)
    first_stored = np.full(int(key_group.max()) + 1, -1, dtype=np.int64)
    stored_positions = np.flatnonzero(timed[:held])
    # The first stored row of each key (reversed assignment: the earliest position wins).
    first_stored[key_group[stored_positions[::-1]]] = stored_positions[::-1]
    candidate = first_stored[key_group[held:]]
    conflict = (fate == ADDED) & timed[held:] & (candidate >= 0)
    fate[conflict] = CONFLICT
    match[conflict] = candidate[conflict]
    return Merge(fate, match)


def differing_columns(stored_row: pd.Series, new_row: pd.Series) -> tuple[str, ...]:
    """Return the names of the value columns where two rows of the same kind disagree."""
    names = [c for c in stored_row.index if c not in PROVENANCE and c in new_row.index]
    return tuple(name for name in names if not _same(stored_row[name], new_row[name]))


def _same(left: Any, right: Any) -> bool:
    left_missing, right_missing = bool(pd.isna(left)), bool(pd.isna(right))
    if left_missing or right_missing:
        return bool(left_missing and right_missing)
    return bool(left == right)
