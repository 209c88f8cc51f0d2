"""The patient a file belongs to when it has no patient_id column."""

from __future__ import annotations

import re
from pathlib import PurePosixPath, PureWindowsPath
from typing import Final

__all__ = ["patient_from_filename"]

_SUFFIX_RE: Final = re.compile(r"[\s_.-]*(?:sessions?|pain|pain[\s_-]*log|session[\s_-]*log|log)$", re.I)
_EXTENSIONS: Final = (".csv", ".tsv", ".txt")


def patient_from_filename(name: str) -> str:
    """Name the patient after the file: folders, extension and a kind suffix dropped.

    >>> patient_from_filename("exports/PT-0101_sessions.csv")
    'PT-0101'
    >>> patient_from_filename("Maria pain.CSV")
    'Maria'
    """
    base = PureWindowsPath(PurePosixPath(name).name).name.strip()
    for extension in _EXTENSIONS:
        if base.lower().endswith(extension):
            base = base[: -len(extension)]
            break
    stem = _SUFFIX_RE.sub("", base).strip()
    return stem or base or "patient"
