"""Times of day: ``8:30``, ``08:30:00``, ``8:30 am``, ``8 pm`` -> ``HH:MM``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from rehab.importer.messages import to_objects

__all__ = ["TIME_IN_DATETIME", "TimesOfDay", "group_ints", "parse_times"]

_TIME_RE: Final = (
    r"^(?P<h>\d{1,2})(?:[:.](?P<m>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?:(?P<ap>[AaPp])\.?\s*[Mm]\.?)?$"
)
# The time part of a date-time (minutes required, so "2026-09-01 8" is not a date-time).
TIME_IN_DATETIME: Final = r"\d{1,2}[:.]\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[AaPp]\.?\s*[Mm]\.?)?"

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def group_ints(match: Any, name: str) -> IntArray:
    """Return a regex group as integers, -1 where the group is absent."""
    text = pc.struct_field(match, name)
    present = pc.fill_null(pc.greater(pc.utf8_length(text), 0), False)
    numbers = pc.cast(pc.if_else(present, text, pa.scalar(None, pa.string())), pa.int64())
    return np.asarray(pc.fill_null(numbers, -1).to_numpy(zero_copy_only=False), dtype=np.int64)


@dataclass(frozen=True)
class TimesOfDay:
    """Parsed times, one per input text: ``HH:MM`` (``None`` where invalid) and validity."""

    text: npt.NDArray[np.object_]
    valid: BoolArray


def _clock(hour: IntArray, minute: IntArray) -> npt.NDArray[np.object_]:
    hh = pc.utf8_lpad(pc.cast(pa.array(hour), pa.string()), width=2, padding="0")
    mm = pc.utf8_lpad(pc.cast(pa.array(minute), pa.string()), width=2, padding="0")
    return to_objects(pc.binary_join_element_wise(hh, mm, ":"))


def parse_times(texts: Any) -> TimesOfDay:
    """Read times of day (24 h, or 12 h with am/pm); seconds are dropped.

    Parameters
    ----------
    texts
        pyarrow string array (distinct cell values).
    """
    match = pc.extract_regex(pc.utf8_trim_whitespace(texts), _TIME_RE)
    matched = np.asarray(pc.is_valid(match).to_numpy(zero_copy_only=False), dtype=bool)
    hour = group_ints(match, "h")
    minute = group_ints(match, "m")
    second = group_ints(match, "s")
    meridiem = to_objects(pc.fill_null(pc.utf8_lower(pc.struct_field(match, "ap")), ""))
    twelve_hour = meridiem != ""
    valid = matched & ((minute >= 0) | twelve_hour) & (minute <= 59) & (second <= 59)
    valid &= np.where(twelve_hour, (hour >= 1) & (hour <= 12), hour <= 23)
    hour24 = np.where(twelve_hour, hour % 12 + np.where(meridiem == "p", 12, 0), hour)
    text = _clock(np.where(valid, hour24, 0), np.where(valid, np.maximum(minute, 0), 0))
    text[~valid] = None
    return TimesOfDay(text=text, valid=valid)
