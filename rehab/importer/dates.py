"""Dates and date-times, and whether slash dates are day-first or month-first.

ISO dates (``2026-09-01``, ``2026-09-01T08:30``) and dotted dates (``01.09.2026``, always
day-first) read the same in every file. Slash dates (``01/09/2026``) do not: the file
settles the order when a day above 12 appears, the user settles it with ``date_order``,
and otherwise the dates are reported as ambiguous, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from rehab.importer.messages import compose, shown
from rehab.importer.times import TIME_IN_DATETIME, group_ints, parse_times

if TYPE_CHECKING:
    from rehab.importer.report import DateOrder

__all__ = ["DateParts", "DateResult", "SettledOrder", "resolve_dates", "settle_order", "split_dates"]

NONE, ISO, SLASH, DOT = 0, 1, 2, 3
_ZONE: Final = r"(?:\s*(?:Z|[+-]\d{2}(?::?\d{2})?))?"
_TIME: Final = rf"(?:(?:T|\s+)(?P<t>{TIME_IN_DATETIME}){_ZONE})?"
_PATTERNS: Final = (
    (ISO, rf"^(?P<y>\d{{4}})[-/](?P<b>\d{{1,2}})[-/](?P<a>\d{{1,2}}){_TIME}$"),
    (SLASH, rf"^(?P<a>\d{{1,2}})/(?P<b>\d{{1,2}})/(?P<y>\d{{4}}){_TIME}$"),
    (DOT, rf"^(?P<a>\d{{1,2}})\.(?P<b>\d{{1,2}})\.(?P<y>\d{{4}})\.?{_TIME}$"),
)
# datetime64[ns] spans 1677-2262; a rehab log lives well inside this.
_FIRST_YEAR: Final = 1900
_LAST_YEAR: Final = 2200
_FORMATS: Final = "2026-09-01, 01/09/2026 or 01.09.2026"

SettledOrder = Literal["dmy", "mdy"]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class DateParts:
    """Per distinct text: its style and numbers as written (``first/second`` = a/b of a/b/y).

    For ISO and dotted dates ``first`` is the day and ``second`` the month.
    """

    texts: Any
    style: npt.NDArray[np.int8]
    year: IntArray
    first: IntArray
    second: IntArray
    time_text: Any


def split_dates(texts: Any) -> DateParts:
    """Recognise the style of each distinct date text and pull out its numbers."""
    trimmed = pc.utf8_trim_whitespace(texts)
    size = len(trimmed)
    style = np.zeros(size, dtype=np.int8)
    year, first, second = (np.full(size, -1, dtype=np.int64) for _ in range(3))
    time_text = np.full(size, "", dtype=object)
    for code, pattern in _PATTERNS:
        match = pc.extract_regex(trimmed, pattern)
        hit = np.asarray(pc.is_valid(match).to_numpy(zero_copy_only=False), dtype=bool) & (style == NONE)
        style[hit] = code
        year[hit] = group_ints(match, "y")[hit]
        first[hit] = group_ints(match, "a")[hit]
        second[hit] = group_ints(match, "b")[hit]
        times = np.asarray(pc.struct_field(match, "t").to_numpy(zero_copy_only=False), dtype=object)
        time_text[hit] = times[hit]
    return DateParts(texts, style, year, first, second, time_text)


def settle_order(parts: DateParts, option: DateOrder) -> tuple[SettledOrder | None, bool]:
    """Return the order of slash dates (``None``: unsettled) and whether the file conflicts.

    A day above 12 in the first place settles day-first, in the second place month-first;
    a file showing both is in conflict and is treated as unsettled.
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


@dataclass(frozen=True)
class DateResult:
    """Per distinct text: the day (NaT where unusable), the problem, and any time part."""

    days: npt.NDArray[np.datetime64]
    error: npt.NDArray[np.object_]
    message: npt.NDArray[np.object_]
    blank: BoolArray
    time_of_day: npt.NDArray[np.object_]

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


def resolve_dates(parts: DateParts, order: SettledOrder | None) -> DateResult:
    """Turn date parts into days, given the settled order of slash dates."""
    day_first, ambiguous = _day_first(parts, order)
    day = np.where(day_first, parts.first, parts.second)
    month = np.where(day_first, parts.second, parts.first)
    days, valid = _calendar_days(parts.year, month, day)
    lengths = pc.utf8_length(pc.utf8_trim_whitespace(parts.texts))
    blank = np.asarray(pc.equal(lengths, 0).to_numpy(zero_copy_only=False), dtype=bool)
    recognised = parts.style != NONE
    valid &= recognised & ~ambiguous
    error = np.full(len(valid), "", dtype=object)
    error[~valid & ~blank] = "invalid_date"
    error[ambiguous] = "ambiguous_date"
    quoted = shown(parts.texts)
    message = np.where(
        recognised,
        compose("date is ", quoted, ", which is not a day in the calendar"),
        compose("date is ", quoted, f", which is not a date; write dates like {_FORMATS}"),
    )
    message[ambiguous] = compose(
        "date is ",
        quoted,
        ", which could be day/month or month/day; choose the date order and import again",
    )[ambiguous]
    message[error == ""] = ""
    message[blank] = "date is empty; every row needs a date"
    times = parse_times(pa.array(parts.time_text, type=pa.string()))
    time_of_day = times.text.copy()
    time_of_day[~(valid & times.valid)] = None
    return DateResult(days.astype("datetime64[ns]"), error, message, blank, time_of_day)
