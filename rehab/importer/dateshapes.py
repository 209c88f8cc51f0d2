"""What a date cell that rehab cannot read looks like, said in the report's words.

A message must never call a real date "not a date": a date with a month name rehab does
not read, one without a year or without separators is named for what it is, with the way
to write it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt
import pyarrow.compute as pc

from rehab.importer.messages import compose, shown

if TYPE_CHECKING:
    from rehab.importer.report import DateSystem

__all__ = ["FORMATS", "unreadable_messages"]

FORMATS: Final = "2026-09-01, 01/09/2026, 01.09.2026 or 1/9/26"
_MONTHS: Final = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mär|mai|okt|dez|déc|fév|avr|juil"
# (shape, what the message says after "date is '...', which"), first match wins.
_SHAPES: Final = (
    (
        rf"(?i)\d.*(?:{_MONTHS})|(?:{_MONTHS}).*\d",
        " writes the month in a way rehab cannot read (it reads English month names, like "
        "2 Nov 2026 or Nov 2, 2026); write dates like 2026-09-01",
    ),
    (
        r"^\d{8}$",
        " looks like a date without separators; write it as 2026-09-01 or 01.09.2026",
    ),
    (
        r"^\d{1,2}[./-]\d{1,2}\.?$",
        " has no year; write the year too, like 01.09.2026 or 2026-09-01",
    ),
    (
        r"^\d{4}-\d{1,2}-\d{1,2}(?:T|\s)",
        " has a time rehab cannot read; write date-times like 2026-09-01 08:30",
    ),
)
_NUMBER: Final = r"^[+-]?\d+(?:[.,]\d+)?$"


def unreadable_messages(
    texts: Any, serial_span: tuple[int, int], system: DateSystem
) -> npt.NDArray[np.object_]:
    """Return one message per text that no date style matched.

    Parameters
    ----------
    texts
        pyarrow string array of the unreadable distinct texts.
    serial_span
        First and last number read as a spreadsheet serial date.
    system
        The serial date system in use ("1900" or "1904").
    """
    trimmed = pc.utf8_trim_whitespace(texts)
    low, high = serial_span
    endings = np.full(
        len(texts), f" rehab cannot read as a date; write dates like {FORMATS}", dtype=object
    )
    taken = np.zeros(len(texts), dtype=bool)
    number = (
        f" is a number, not a date: only numbers from {low} to {high} are read as spreadsheet "
        f"serial dates (2000 to 2100 in the {system} date system)"
    )
    for pattern, ending in (*_SHAPES, (_NUMBER, number)):
        hit = (
            np.asarray(
                pc.fill_null(pc.match_substring_regex(trimmed, pattern), False).to_numpy(
                    zero_copy_only=False
                ),
                dtype=bool,
            )
            & ~taken
        )
        endings[hit] = ending
        taken |= hit
    return compose("date is ", shown(texts), ", which", endings.tolist())
