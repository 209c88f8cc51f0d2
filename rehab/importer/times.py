"""Times of day: ``8:30``, ``08:30:00``, ``8:30 am``, ``8 pm``, ``0.875`` -> ``HH:MM``.

Phones and current locale data write a narrow no-break space before ``am``/``pm``
(``8:05\u202fPM``), and text copied from documents carries no-break spaces, zero-width marks
and typographic dashes; :func:`plain_marks` turns them into the plain characters the
patterns expect, on distinct values only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from rehab.importer.messages import INVISIBLE, ODD_SPACES, to_objects

__all__ = ["TIME_IN_DATETIME", "TimesOfDay", "clock_text", "group_ints", "parse_times", "plain_marks"]

_TIME_RE: Final = (
    r"^(?P<h>\d{1,2})(?:[:.](?P<m>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?:(?P<ap>[AaPp])\.?\s*[Mm]\.?)?$"
)
# A spreadsheet time exported as a number: a fraction of a day (0.875 = 21:00). Exactly two
# decimals stay an h.mm time ("0.30" = 00:30), as people write them.
_SERIAL_TIME_RE: Final = r"^0?[.,](?:\d|\d{3,})$"
# The time part of a date-time (minutes required, so "2026-09-01 8" is not a date-time).
TIME_IN_DATETIME: Final = r"\d{1,2}[:.]\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[AaPp]\.?\s*[Mm]\.?)?"

_DASHES: Final = "[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]"
_MARKS: Final = f"{ODD_SPACES}|{INVISIBLE}|{_DASHES}"
_MINUTES_PER_DAY: Final = 1440

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def plain_marks(texts: Any) -> Any:
    """Replace Unicode spaces with a space and dashes with ``-``; drop invisible marks.

    >>> plain_marks(pa.array(["8:05\u202fPM", "2026\u201311\u201302\u200b"])).to_pylist()
    ['8:05 PM', '2026-11-02']
    """
    if not pc.any(pc.match_substring_regex(texts, _MARKS)).as_py():
        return texts
    texts = pc.replace_substring_regex(texts, ODD_SPACES, " ")
    texts = pc.replace_substring_regex(texts, INVISIBLE, "")
    return pc.replace_substring_regex(texts, _DASHES, "-")


def group_ints(match: Any, name: str) -> IntArray:
    """Return a regex group as integers, -1 where the group is absent."""
    text = pc.struct_field(match, name)
    present = pc.fill_null(pc.greater(pc.utf8_length(text), 0), False)
    numbers = pc.cast(pc.if_else(present, text, pa.scalar(None, pa.string())), pa.int64())
    return np.asarray(pc.fill_null(numbers, -1).to_numpy(zero_copy_only=False), dtype=np.int64)


@dataclass(frozen=True)
class TimesOfDay:
    """Parsed times, one per input text.

    ``text`` is ``HH:MM`` (``None`` where invalid), ``minutes`` the minute of the day (-1
    where invalid), ``serial`` marks spreadsheet fractions of a day.
    """

    text: npt.NDArray[np.object_]
    valid: BoolArray
    minutes: IntArray
    serial: BoolArray


def clock_text(minutes: IntArray) -> npt.NDArray[np.object_]:
    """Return ``HH:MM`` for minutes of the day (0-1439)."""
    hh = pc.utf8_lpad(pc.cast(pa.array(minutes // 60), pa.string()), width=2, padding="0")
    mm = pc.utf8_lpad(pc.cast(pa.array(minutes % 60), pa.string()), width=2, padding="0")
    return to_objects(pc.binary_join_element_wise(hh, mm, ":"))


def _serial_minutes(trimmed: Any) -> tuple[BoolArray, IntArray]:
    """Return which texts are day fractions, and their minute of the day (rounded)."""
    serial = np.asarray(
        pc.fill_null(pc.match_substring_regex(trimmed, _SERIAL_TIME_RE), False).to_numpy(
            zero_copy_only=False
        ),
        dtype=bool,
    )
    if not serial.any():
        return serial, np.full(len(serial), -1, dtype=np.int64)
    numbers = pc.if_else(pa.array(serial), pc.replace_substring(trimmed, ",", "."), "0")
    fraction = np.asarray(pc.cast(numbers, pa.float64()).to_numpy(zero_copy_only=False))
    # A fraction that rounds up to a whole day is the last minute, not midnight of the next.
    minutes = np.minimum(np.round(fraction * _MINUTES_PER_DAY), _MINUTES_PER_DAY - 1)
    return serial, np.where(serial, minutes, -1).astype(np.int64)


# The last texts read and their times: the date check and the time column's own check read
# the same distinct times of a file, and each reading is a dozen Arrow kernels.
_last_read: tuple[Any, TimesOfDay] | None = None


def parse_times(texts: Any) -> TimesOfDay:
    """Read times of day (24 h, 12 h with am/pm, or a spreadsheet day fraction); seconds are dropped.

    Parameters
    ----------
    texts
        pyarrow string array (distinct cell values).
    """
    global _last_read
    last = _last_read
    if last is not None and last[0] is texts:
        return _copied(last[1])
    read = _parse_times(texts)
    _last_read = (texts, _copied(read))
    return read


def _copied(read: TimesOfDay) -> TimesOfDay:
    """Return a copy whose arrays the caller may change (the remembered reading stays)."""
    return TimesOfDay(read.text.copy(), read.valid.copy(), read.minutes.copy(), read.serial.copy())


# The usual time column (and the time part of plain dates): ``HH:MM`` or nothing.
_PLAIN_CLOCK: Final = r"^(?:\d\d:\d\d)?$"


def _plain_clock_times(texts: Any) -> TimesOfDay | None:
    """Read a column of ``HH:MM`` and empty texts in one check, else return ``None``.

    Only the 24-hour branch of the time pattern reads such texts (an empty text is no time),
    so this gives exactly what :func:`_parse_times` gives, without its dozen Arrow calls.
    """
    if texts.null_count or not isinstance(texts, (pa.StringArray, pa.LargeStringArray)):
        return None
    if not pc.all(pc.match_substring_regex(texts, _PLAIN_CLOCK)).as_py():
        return None
    objects = np.asarray(texts.to_numpy(zero_copy_only=False), dtype=object)
    codes = np.asarray(objects, dtype="U5").view(np.uint32).reshape(len(texts), 5).astype(np.int64)
    digits = codes - ord("0")
    hour = digits[:, 0] * 10 + digits[:, 1]
    minute = digits[:, 3] * 10 + digits[:, 4]
    valid = (codes[:, 0] != 0) & (hour <= 23) & (minute <= 59)
    minutes = np.where(valid, hour * 60 + minute, -1)
    text = objects.copy()
    text[~valid] = None
    return TimesOfDay(text=text, valid=valid, minutes=minutes, serial=np.zeros(len(texts), dtype=bool))


def _parse_times(texts: Any) -> TimesOfDay:
    plain = _plain_clock_times(texts)
    return plain if plain is not None else _read_times(texts)


def _read_times(texts: Any) -> TimesOfDay:
    trimmed = pc.utf8_trim_whitespace(plain_marks(texts))
    match = pc.extract_regex(trimmed, _TIME_RE)
    matched = np.asarray(pc.is_valid(match).to_numpy(zero_copy_only=False), dtype=bool)
    hour = group_ints(match, "h")
    minute = group_ints(match, "m")
    second = group_ints(match, "s")
    meridiem = to_objects(pc.fill_null(pc.utf8_lower(pc.struct_field(match, "ap")), ""))
    twelve_hour = meridiem != ""
    valid = matched & ((minute >= 0) | twelve_hour) & (minute <= 59) & (second <= 59)
    valid &= np.where(twelve_hour, (hour >= 1) & (hour <= 12), hour <= 23)
    hour24 = np.where(twelve_hour, hour % 12 + np.where(meridiem == "p", 12, 0), hour)
    minutes = np.where(valid, hour24 * 60 + np.maximum(minute, 0), -1)
    serial, serial_minutes = _serial_minutes(trimmed)
    serial &= ~valid
    minutes = np.where(serial, serial_minutes, minutes)
    valid |= serial
    text = clock_text(np.maximum(minutes, 0))
    text[~valid] = None
    return TimesOfDay(text=text, valid=valid, minutes=minutes, serial=serial)
