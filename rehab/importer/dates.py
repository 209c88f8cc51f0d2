"""Dates and date-times, and whether slash dates are day-first or month-first.

ISO dates (``2026-09-01``, ``2026-09-01T08:30``) and dotted dates (``01.09.2026``,
``02.11.26``, always day-first) and dates with an English month name (``2 Nov 2026``,
``Nov 2, 2026``) read the same in every file. Slash dates (``01/09/2026``,
``11/2/26``; also ``01-09-2026``) do not: the file settles the order when a day above 12
appears, the user settles it with ``date_order``, and otherwise the dates are reported as
ambiguous, never guessed. Two-digit years are 20yy; spreadsheet serial numbers between
2000 and 2100 are days of the chosen date system. Every step runs on distinct texts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from rehab.importer.dateshapes import unreadable_messages
from rehab.importer.messages import compose, shown
from rehab.importer.times import (
    TIME_IN_DATETIME,
    TimesOfDay,
    clock_text,
    group_ints,
    parse_times,
    plain_marks,
)

if TYPE_CHECKING:
    from rehab.importer.report import DateOrder, DateSystem

__all__ = [
    "DateParts",
    "DateResult",
    "SettledOrder",
    "resolve_dates",
    "serial_range",
    "settle_order",
    "split_dates",
]

NONE, ISO, SLASH, DOT, SERIAL, WORDS = 0, 1, 2, 3, 4, 5
_ZONE: Final = r"(?:\s*(?P<z>[Zz]|UTC|GMT|[+-]\d{2}(?::?\d{2})?))?"
# "T" (ISO), a space, or ", " (Android's "M/d/yy, h:mm a") between the date and the time.
_TIME: Final = rf"(?:(?:T|\s*,\s*|\s+)(?P<t>{TIME_IN_DATETIME}){_ZONE})?"
_YEAR: Final = r"(?P<y>\d{4}|\d{2})"
_WEEKDAY: Final = r"(?:[A-Za-z]{3,9},?\s+)?"
_PATTERNS: Final = (
    (ISO, rf"^(?P<y>\d{{4}})[-/](?P<b>\d{{1,2}})[-/](?P<a>\d{{1,2}}){_TIME}$"),
    (SLASH, rf"^(?P<a>\d{{1,2}})/(?P<b>\d{{1,2}})/{_YEAR}{_TIME}$"),
    (SLASH, rf"^(?P<a>\d{{1,2}})-(?P<b>\d{{1,2}})-(?P<y>\d{{4}}){_TIME}$"),
    (DOT, rf"^(?P<a>\d{{1,2}})\.(?P<b>\d{{1,2}})\.{_YEAR}\.?{_TIME}$"),
    # English month names: "2 Nov 2026", "02-Nov-26" (Excel's d-mmm-yy), "Mon, 2 Nov 2026
    # 08:05:00 +0000" (RFC 2822), "Nov 2, 2026", "Monday, November 2nd, 2026, 8:05 PM".
    (WORDS, rf"^{_WEEKDAY}(?P<a>\d{{1,2}})(?:\s+|-)(?P<b>[A-Za-z]{{3,9}})\.?,?(?:\s+|-){_YEAR}{_TIME}$"),
    (
        WORDS,
        rf"^{_WEEKDAY}(?P<b>[A-Za-z]{{3,9}})\.?\s+(?P<a>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}}){_TIME}$",
    ),
)
# Every date style at once, without its groups (RE2 refuses a name twice): one quick match
# pass finds the texts any style could read, so a column of junk skips the six extractions.
_ANY_STYLE: Final = "|".join(f"(?:{re.sub(r'[(][?]P<[a-z]+>', '(?:', p)})" for _, p in _PATTERNS)
_MONTHS: Final = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
# A spreadsheet serial day, with the time as a fraction (46328.354); decimal comma too.
_SERIAL_RE: Final = r"^\d{5}(?:[.,]\d+)?$"
_SERIAL_EPOCH: Final = {"1900": np.datetime64("1899-12-30"), "1904": np.datetime64("1904-01-01")}
_SERIAL_SPAN: Final = (np.datetime64("2000-01-01"), np.datetime64("2100-12-31"))
# What a UTC stamp ends with (the zone group of the patterns).
_UTC_ZONES: Final = ("Z", "z", "UTC", "GMT", "+00", "+0000", "+00:00", "-00", "-0000", "-00:00")
# datetime64[ns] spans 1677-2262; a rehab log lives well inside this.
_FIRST_YEAR: Final = 1900
_LAST_YEAR: Final = 2200
_MINUTES_PER_DAY: Final = 1440

SettledOrder = Literal["dmy", "mdy"]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class DateParts:
    """Per distinct text: its style and numbers as written (``first/second`` = a/b of a/b/y).

    For ISO and dotted dates ``first`` is the day and ``second`` the month. ``year`` is
    already 20yy for two-digit years (``short_year``); ``utc`` marks stamps in UTC (``Z``,
    ``+00:00``, ``UTC``); ``serial`` holds the number of a spreadsheet serial date and
    ``serial_time`` whether it was written with a fraction (a date-time, even ``.0``).
    """

    texts: Any
    style: npt.NDArray[np.int8]
    year: IntArray
    first: IntArray
    second: IntArray
    time_text: Any
    short_year: BoolArray
    utc: BoolArray
    serial: npt.NDArray[np.float64]
    serial_time: BoolArray


def _as_bools(array: Any) -> BoolArray:
    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def _serial_numbers(trimmed: Any) -> npt.NDArray[np.float64]:
    """Return the number of each serial-shaped text, NaN for every other text."""
    looks_serial = pc.fill_null(pc.match_substring_regex(trimmed, _SERIAL_RE), False)
    if not pc.any(looks_serial).as_py():
        return np.full(len(trimmed), np.nan)
    numbers = pc.if_else(
        looks_serial, pc.replace_substring(trimmed, ",", "."), pa.scalar(None, pa.string())
    )
    return np.asarray(pc.cast(numbers, pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64)


def _month_number(word: str) -> int:
    """1-12 for an English month name or its abbreviation (3 letters or more), else -1."""
    word = word.lower()
    if len(word) >= 3:
        for number, name in enumerate(_MONTHS, start=1):
            if name.startswith(word):
                return number
    return -1


def _month_numbers(match: Any) -> IntArray:
    """Return the month of each matched month word (few distinct words: looked up one by one)."""
    words = np.asarray(
        pc.fill_null(pc.struct_field(match, "b"), "").to_numpy(zero_copy_only=False), dtype=str
    )
    distinct, where = np.unique(words, return_inverse=True)
    numbers = np.array([_month_number(str(word)) for word in distinct], dtype=np.int64)
    return numbers[where.reshape(-1)] if len(words) else np.zeros(0, dtype=np.int64)


# The usual date column: every distinct text a plain ISO date, nothing around it.
_PLAIN_ISO: Final = r"^\d{4}-\d{2}-\d{2}$"
_STRING_ARRAYS: Final = (pa.StringArray, pa.LargeStringArray)


def _digits(texts: Any, width: int) -> IntArray:
    """Return the digits of ASCII texts of ``width`` characters, one row per text."""
    codes = np.asarray(texts.to_numpy(zero_copy_only=False), dtype=f"U{width}").view(np.uint32)
    return codes.reshape(len(texts), width).astype(np.int64) - ord("0")


def _plain_iso_parts(texts: Any) -> DateParts | None:
    """Return the parts of a column of plain ``YYYY-MM-DD`` dates in one check, else ``None``.

    Such texts hold no marks, spaces, time or zone, and only the ISO pattern reads them:
    the parts are exactly what the six-pattern extraction gives, without its few dozen
    Arrow calls (most of a small file's date check).
    """
    if not len(texts) or texts.null_count or not isinstance(texts, _STRING_ARRAYS):
        return None
    if not pc.all(pc.match_substring_regex(texts, _PLAIN_ISO)).as_py():
        return None
    digits = _digits(texts, 10)
    size = len(texts)
    empty = np.full(size, "", dtype=object)
    return DateParts(
        texts=texts,
        style=np.full(size, ISO, dtype=np.int8),
        year=digits[:, 0] * 1000 + digits[:, 1] * 100 + digits[:, 2] * 10 + digits[:, 3],
        first=digits[:, 8] * 10 + digits[:, 9],
        second=digits[:, 5] * 10 + digits[:, 6],
        time_text=empty,
        short_year=np.zeros(size, dtype=bool),
        utc=np.zeros(size, dtype=bool),
        serial=np.full(size, np.nan),
        serial_time=np.zeros(size, dtype=bool),
    )


def split_dates(texts: Any) -> DateParts:
    """Recognise the style of each distinct date text and pull out its numbers."""
    plain = _plain_iso_parts(texts)
    if plain is not None:
        return plain
    return _split_dates(texts)


def _split_dates(texts: Any) -> DateParts:
    trimmed = pc.utf8_trim_whitespace(plain_marks(texts))
    found = np.flatnonzero(_as_bools(pc.match_substring_regex(trimmed, _ANY_STYLE)))
    if len(found) == len(trimmed):
        style, year, first, second, time_text, zone, short_year = _styles(trimmed)
    else:
        # Only the texts some style matches are read; the others keep "no style".
        picked = _styles(trimmed.take(pa.array(found)))
        style, year, first, second, time_text, zone, short_year = _unread(len(trimmed))
        for whole, part in zip(
            (style, year, first, second, time_text, zone, short_year), picked, strict=True
        ):
            whole[found] = part
    unread = style == NONE
    serial = _serial_numbers(trimmed) if unread.any() else np.full(len(trimmed), np.nan)
    style[~np.isnan(serial) & unread] = SERIAL
    year = np.where(short_year, year + 2000, year)
    utc = _as_bools(pc.is_in(pa.array(zone, type=pa.string()), value_set=pa.array(_UTC_ZONES)))
    serial_time = (style == SERIAL) & _as_bools(pc.match_substring_regex(trimmed, "[.,]"))
    return DateParts(texts, style, year, first, second, time_text, short_year, utc, serial, serial_time)


def _unread(size: int) -> tuple[npt.NDArray[Any], ...]:
    """Return the parts of ``size`` texts no style matched (NONE, numbers -1, no time)."""
    style = np.zeros(size, dtype=np.int8)
    year, first, second = (np.full(size, -1, dtype=np.int64) for _ in range(3))
    time_text = np.full(size, "", dtype=object)
    zone = np.full(size, "", dtype=object)
    return style, year, first, second, time_text, zone, np.zeros(size, dtype=bool)


def _styles(trimmed: Any) -> tuple[npt.NDArray[Any], ...]:
    """Return each text's style, year, first and second numbers, time text, zone, short-year flag."""
    size = len(trimmed)
    style, year, first, second, time_text, zone, short_year = _unread(size)
    for code, pattern in _PATTERNS:
        if size and (style != NONE).all():
            break  # every text has its style (the usual all-ISO file stops after one pass)
        match = pc.extract_regex(trimmed, pattern)
        hit = _as_bools(pc.is_valid(match)) & (style == NONE)
        if not hit.any():
            continue
        month = _month_numbers(match) if code == WORDS else group_ints(match, "b")
        if code == WORDS:
            hit &= month >= 1  # "2 Foo 2026" is not read as a date
        style[hit] = code
        year[hit] = group_ints(match, "y")[hit]
        first[hit] = group_ints(match, "a")[hit]
        second[hit] = month[hit]
        short_year[hit] = _as_bools(pc.equal(pc.utf8_length(pc.struct_field(match, "y")), 2))[hit]
        for name, target in (("t", time_text), ("z", zone)):
            found = np.asarray(pc.struct_field(match, name).to_numpy(zero_copy_only=False), dtype=object)
            target[hit] = found[hit]
    return style, year, first, second, time_text, zone, short_year


def settle_order(parts: DateParts, option: DateOrder) -> tuple[SettledOrder | None, bool]:
    """Return the order of slash dates (``None``: unsettled) and whether the file conflicts.

    A day above 12 in the first place settles day-first, in the second place month-first;
    a file showing both is in conflict and is treated as unsettled. A day of exactly 12
    settles nothing (12/05 is 12 May or 5 December).
    """
    if option != "auto":
        return option, False
    slash = parts.style == SLASH
    day_first = bool(np.any(slash & (parts.first > 12) & (parts.second <= 12)))
    month_first = bool(np.any(slash & (parts.second > 12) & (parts.first <= 12)))
    if day_first and not month_first:
        return "dmy", False
    if month_first and not day_first:
        return "mdy", False
    return None, day_first and month_first


def serial_range(system: DateSystem) -> tuple[int, int]:
    """Return the first and last serial number read as a date (2000-01-01 to 2100-12-31)."""
    epoch = _SERIAL_EPOCH[system]
    return tuple(int((day - epoch).astype(np.int64)) for day in _SERIAL_SPAN)  # type: ignore[return-value]


@dataclass(frozen=True)
class DateResult:
    """Per distinct text: the day (NaT where unusable), the problem, and any time part.

    ``minutes`` is the minute of the day of a date-time (-1 without one); the flags say
    which usable texts had a two-digit year, were serial numbers, or UTC stamps.
    """

    days: npt.NDArray[np.datetime64]
    error: npt.NDArray[np.object_]
    message: npt.NDArray[np.object_]
    blank: BoolArray
    time_of_day: npt.NDArray[np.object_]
    minutes: IntArray
    short_year: BoolArray
    serial: BoolArray
    utc: BoolArray
    bad_time: BoolArray | None = None  # usable dates whose time part is no time of day

    @property
    def ambiguous(self) -> BoolArray:
        """Distinct texts whose reading depends on the unsettled day/month order."""
        return np.asarray(self.error == "ambiguous_date", dtype=bool)


def _day_first(parts: DateParts, order: SettledOrder | None) -> tuple[BoolArray, BoolArray]:
    """Return which texts read day-first, and which cannot be read without an order."""
    slash = parts.style == SLASH
    if order is not None:
        return ~slash | (order == "dmy"), np.zeros(len(slash), dtype=bool)
    # Unsettled: a slash date is still readable when only one order makes sense.
    only_day_first = (parts.first > 12) & (parts.second <= 12)
    both_small = (parts.first <= 12) & (parts.second <= 12) & (parts.first != parts.second)
    return ~slash | only_day_first | (parts.first == parts.second), slash & both_small


def _calendar_days(year: IntArray, month: IntArray, day: IntArray) -> tuple[Any, BoolArray]:
    plausible = (year >= _FIRST_YEAR) & (year <= _LAST_YEAR) & (month >= 1) & (month <= 12)
    months = np.where(plausible, (year - 1970) * 12 + month - 1, 0).astype("datetime64[M]")
    starts = months.astype("datetime64[D]")
    lengths = ((months + 1).astype("datetime64[D]") - starts).astype(np.int64)
    valid = plausible & (day >= 1) & (day <= lengths)
    days = starts + np.where(valid, day - 1, 0).astype("timedelta64[D]")
    return np.where(valid, days, np.datetime64("NaT", "D")), valid


def _serial_days(
    parts: DateParts, system: DateSystem
) -> tuple[npt.NDArray[np.datetime64], IntArray, BoolArray, BoolArray]:
    """Return the day and minute of serial texts, which hold a time, and which are in range."""
    is_serial = parts.style == SERIAL
    low, high = serial_range(system)
    in_range = is_serial & (parts.serial >= low) & (parts.serial < high + 1)
    total = np.round(np.where(in_range, parts.serial, 0) * _MINUTES_PER_DAY).astype(np.int64)
    days = _SERIAL_EPOCH[system] + (total // _MINUTES_PER_DAY).astype("timedelta64[D]")
    has_time = in_range & parts.serial_time
    minutes = np.where(has_time, total % _MINUTES_PER_DAY, -1)
    return days, minutes, has_time, in_range


def _messages(
    parts: DateParts, valid: BoolArray, ambiguous: BoolArray, blank: BoolArray, system: DateSystem
) -> npt.NDArray[np.object_]:
    recognised = (parts.style != NONE) & (parts.style != SERIAL)
    message = np.full(len(valid), "", dtype=object)
    impossible = recognised & ~valid & ~ambiguous & ~blank
    odd_year = impossible & ((parts.year < _FIRST_YEAR) | (parts.year > _LAST_YEAR))
    impossible &= ~odd_year
    if odd_year.any():
        message[odd_year] = compose(
            "date is ",
            shown(parts.texts.filter(pa.array(odd_year))),
            f", whose year is outside {_FIRST_YEAR}-{_LAST_YEAR} (a typo in the year?)",
        )
    if impossible.any():
        message[impossible] = compose(
            "date is ",
            shown(parts.texts.filter(pa.array(impossible))),
            ", which is not a day in the calendar",
        )
    unreadable = ~recognised & ~valid & ~blank
    if unreadable.any():
        message[unreadable] = unreadable_messages(
            parts.texts.filter(pa.array(unreadable)), serial_range(system), system
        )
    if ambiguous.any():
        message[ambiguous] = compose(
            "date is ",
            shown(parts.texts.filter(pa.array(ambiguous))),
            ", which could be day/month or month/day; choose the date order and import again",
        )
    message[blank] = "date is empty; every row needs a date"
    return message


def _no_times(time_text: npt.NDArray[np.object_]) -> bool:
    """Whether no date text wrote a time (every time part is ``""``)."""
    return bool((time_text == "").all())


def _usable_times(time_text: npt.NDArray[np.object_], valid: BoolArray) -> tuple[TimesOfDay, BoolArray]:
    """Read the time part of the usable dates only; which of them wrote one.

    The times of unusable dates are never used: a file of a million bad dates reads none.
    """
    size = len(valid)
    if _no_times(time_text):  # plain dates: no time to read (half a dozen Arrow calls)
        nothing = np.zeros(size, dtype=bool)
        minutes = np.full(size, -1, dtype=np.int64)
        times = TimesOfDay(np.full(size, None, dtype=object), nothing, minutes, nothing.copy())
        return times, nothing.copy()
    every = bool(valid.all())
    stated = pa.array(time_text if every else time_text[valid], type=pa.string())
    read = parse_times(stated)
    written = pc.fill_null(pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(stated)), 0), False)
    wrote = np.asarray(written.to_numpy(zero_copy_only=False), dtype=bool)
    if every:
        return read, wrote
    text = np.full(size, None, dtype=object)
    text[valid] = read.text
    spread = []
    for part, fill in ((read.valid, False), (read.minutes, -1), (read.serial, False), (wrote, False)):
        whole = np.full(size, fill, dtype=part.dtype)
        whole[valid] = part
        spread.append(whole)
    return TimesOfDay(text=text, valid=spread[0], minutes=spread[1], serial=spread[2]), spread[3]


def _iso_dates_only(parts: DateParts) -> bool:
    """Whether every text is an ISO date without a time (the usual column; no blank among them)."""
    return bool((parts.style == ISO).all()) and _no_times(parts.time_text)


def _resolve_iso_dates(parts: DateParts, system: DateSystem) -> DateResult:
    """:func:`resolve_dates` of ISO dates without times, without the steps that cannot apply.

    An ISO date is read the same in any order and date system, is never blank, serial or
    ambiguous, and has no time to read: only the calendar check (and a message for a day
    that is not in it) is left, about a quarter of the general reading of a small file.
    """
    size = len(parts.style)
    days, valid = _calendar_days(parts.year, parts.second, parts.first)
    error = np.full(size, "", dtype=object)
    error[~valid] = "invalid_date"
    if valid.all():
        message = np.full(size, "", dtype=object)
    else:
        none = np.zeros(size, dtype=bool)
        message = _messages(parts, valid, none, none, system)
    return DateResult(
        days=days.astype("datetime64[ns]"),
        error=error,
        message=message,
        blank=np.zeros(size, dtype=bool),
        time_of_day=np.full(size, None, dtype=object),
        minutes=np.full(size, -1, dtype=np.int64),
        short_year=valid & parts.short_year,
        serial=np.zeros(size, dtype=bool),
        utc=np.zeros(size, dtype=bool),
        bad_time=np.zeros(size, dtype=bool),
    )


def resolve_dates(
    parts: DateParts, order: SettledOrder | None, system: DateSystem = "1900"
) -> DateResult:
    """Turn date parts into days, given the settled order of slash dates and the serial system."""
    if _iso_dates_only(parts):
        return _resolve_iso_dates(parts, system)
    return _resolve_any_dates(parts, order, system)


def _resolve_any_dates(parts: DateParts, order: SettledOrder | None, system: DateSystem) -> DateResult:
    """:func:`resolve_dates` of texts of any style (the general reading)."""
    day_first, ambiguous = _day_first(parts, order)
    day = np.where(day_first, parts.first, parts.second)
    month = np.where(day_first, parts.second, parts.first)
    days, valid = _calendar_days(parts.year, month, day)
    serial_days, serial_minutes, serial_time, serial_ok = _serial_days(parts, system)
    days = np.where(serial_ok, serial_days, days)
    lengths = pc.utf8_length(pc.utf8_trim_whitespace(parts.texts))
    blank = np.asarray(pc.equal(lengths, 0).to_numpy(zero_copy_only=False), dtype=bool)
    valid = ((valid & (parts.style != NONE) & (parts.style != SERIAL)) | serial_ok) & ~ambiguous
    error = np.full(len(valid), "", dtype=object)
    error[~valid & ~blank] = "invalid_date"
    error[ambiguous] = "ambiguous_date"
    message = _messages(parts, valid, ambiguous, blank, system)
    times, has_time = _usable_times(parts.time_text, valid)
    timed = valid & times.valid
    minutes = np.where(serial_time, serial_minutes, np.where(timed, times.minutes, -1))
    time_of_day = times.text.copy()
    time_of_day[~timed] = None
    if serial_time.any():  # no serial date-time, no clock text to write (five Arrow calls)
        time_of_day[serial_time] = clock_text(serial_minutes[serial_time])
    return DateResult(
        days=days.astype("datetime64[ns]"),
        error=error,
        message=message,
        blank=blank,
        time_of_day=time_of_day,
        minutes=minutes,
        short_year=valid & parts.short_year,
        serial=serial_ok & valid,
        utc=valid & timed & parts.utc,
        bad_time=valid & has_time & ~serial_time & ~times.valid,
    )
