"""The patient a file belongs to when it has no patient_id column."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import PurePosixPath, PureWindowsPath
from typing import Final

__all__ = ["UNNAMED", "is_date_name", "patient_from_filename"]

_SUFFIX_RE: Final = re.compile(r"[\s_.-]*(?:sessions?|pain|pain[\s_-]*log|session[\s_-]*log|log)$", re.I)
_EXTENSIONS: Final = (".csv", ".tsv", ".txt")
# A date as file names write it: 2026-11-02, 02.11.2026, 2-11-26, and 8 digits that read
# as ddmmyyyy or yyyymmdd (02112026, 20261102); other digit runs may be a patient number.
_DATE_RE: Final = re.compile(
    r"(?<!\d)(?:\d{1,4}[-._/]\d{1,2}[-._/]\d{2,4}"
    r"|(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])(?:19|20)\d\d"
    r"|(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(?!\d)"
)
# Words that export tools put around the date; with only these and dates the name is no person.
_FILLER_RE: Final = re.compile(
    r"(?<![a-z])(?:export(?:ed)?|data|download|report|responses?|form|sheet|backup|from|to|"
    r"until|and|week|month|all|entries|history|workouts?|copy|final)(?![a-z])|[\s_.,()\[\]+-]+",
    re.I,
)
UNNAMED: Final = "unnamed"


# A file's name is read three times per import (its patient, and twice for a file named by
# a date); the last few names are remembered (two path parsers and a pattern each time).
@lru_cache(maxsize=8)
def _stem(name: str) -> str:
    base = PureWindowsPath(PurePosixPath(name).name).name.strip()
    for extension in _EXTENSIONS:
        if base.lower().endswith(extension):
            base = base[: -len(extension)]
            break
    return _SUFFIX_RE.sub("", base).strip() or base


def is_date_name(name: str) -> bool:
    """Return whether a file is named by a date or date range rather than by a patient.

    >>> is_date_name("02112026-30112026.csv"), is_date_name("export_2026-11-30.csv")
    (True, True)
    >>> is_date_name("PT-0101_sessions.csv"), is_date_name("Maria 2026-11-02.csv")
    (False, False)
    """
    stem = _stem(name)
    without_dates = _DATE_RE.sub(" ", stem)
    if without_dates == stem:
        return False
    return not _FILLER_RE.sub("", without_dates)


def patient_from_filename(name: str) -> str:
    """Name the patient after the file: folders, extension and a kind suffix dropped.

    A file named by a date names no patient: its rows go to ``unnamed (<name>)`` (kept
    apart from other files, and plainly not a person), and the importer warns.

    >>> patient_from_filename("exports/PT-0101_sessions.csv")
    'PT-0101'
    >>> patient_from_filename("Maria pain.CSV")
    'Maria'
    >>> patient_from_filename("02112026-30112026.csv")
    'unnamed (02112026-30112026)'
    """
    stem = _stem(name) or "patient"
    return f"{UNNAMED} ({stem})" if is_date_name(name) else stem
