"""The date column of one file: read it, move UTC stamps to the patient's day, and say so.

Everything the file leaves open is named in the report: unsettled day/month order (an
error), and the readings rehab chose (warnings): two-digit years read as 20yy,
spreadsheet serial numbers read in a date system, UTC stamps moved to the patient's time
zone or, without one, kept on the UTC day.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow.compute as pc

from rehab.importer.coded import CodedColumn
from rehab.importer.dates import DateResult, resolve_dates, serial_range, settle_order, split_dates
from rehab.importer.messages import plural, shown, to_objects
from rehab.importer.rowreport import report_grouped
from rehab.importer.times import clock_text, parse_times
from rehab.importer.validate import Checked
from rehab.importer.zones import EXAMPLE_ZONE, to_local, zone_problem

if TYPE_CHECKING:
    from rehab.importer.columns import ColumnChecks

__all__ = ["DateColumn", "check_date_column"]

_SYSTEM_NAMES: Final = {
    "1900": "the 1900 date system (Excel, LibreOffice, Google Sheets)",
    "1904": "the 1904 date system (older Excel for Mac), as chosen",
}
_FIX_ZONE: Final = (
    f"give the patient's time zone (--tz {EXAMPLE_ZONE} on the command line, the time zone "
    "choice in the app, or a timezone column in the file) and import again"
)

BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class DateColumn:
    """Per distinct date text (of the column as the frame sees it): the check and any time."""

    checked: Checked
    time_of_day: npt.NDArray[np.object_]


def _rows(count: int, one: str, many: str) -> str:
    """``1 row has a UTC time stamp`` / ``3 rows have UTC time stamps``."""
    return f"1 row has {one}" if count == 1 else f"{count:,} rows have {many}"


class _Usage:
    """How many of the file's rows hold each distinct text, counted once when first needed."""

    def __init__(self, job: ColumnChecks, column: CodedColumn) -> None:
        self.job, self.column = job, column
        self._counts: npt.NDArray[np.int64] | None = None

    @property
    def counts(self) -> npt.NDArray[np.int64]:
        if self._counts is None:
            self._counts = np.bincount(self.column.at(self.job.rows), minlength=len(self.column.uniques))
        return self._counts

    def rows(self, flags: BoolArray) -> tuple[int, str]:
        """Return how many rows have a flagged text, and the first such text, quoted."""
        if not flags.any():
            return 0, ""
        used = flags & (self.counts > 0)
        if not used.any():
            return 0, ""
        first = int(np.flatnonzero(used)[0])
        return int(self.counts[used].sum()), str(shown(self.column.uniques.take([first]))[0])


def _zoned(job: ColumnChecks) -> tuple[CodedColumn, npt.NDArray[np.object_]]:
    """Re-code the date column by (date text, time zone) pairs; return it and each pair's zone.

    The same UTC stamp falls on different days for patients in different zones, so with a
    timezone column a "distinct value" is a pair. Blank or unknown zones fall back to the
    chosen time zone (or none).
    """
    dates, zones = job.column("date"), job.column("timezone")
    width = max(len(zones.uniques), 1)
    pair_codes, pairs = pd.factorize(dates.codes.astype(np.int64) * width + zones.codes)
    pairs = np.asarray(pairs, dtype=np.int64)
    names = to_objects(pc.utf8_trim_whitespace(zones.uniques))
    usable = np.array([bool(n) and zone_problem(n) is None for n in names.tolist()], dtype=bool)
    names[~usable] = job.options.timezone
    column = CodedColumn(pair_codes.astype(np.int32), dates.uniques.take(pairs // width))
    job.coded[job.positions["date"]] = column
    _warn_unknown_zones(job, zones, usable)
    return column, names[pairs % width]


def _warn_unknown_zones(job: ColumnChecks, zones: CodedColumn, usable: BoolArray) -> None:
    codes = zones.at(job.rows)
    unknown = ~usable[codes] & ~zones.blank_uniques()[codes]
    if not unknown.any():
        return
    fallback = job.options.timezone or "UTC"

    def message(key: Any, where: str) -> str:
        problem = zone_problem(str(zones.uniques[int(key)].as_py()).strip())
        return (
            f"timezone in {where}: {problem}; kept without this time zone, so a UTC stamp "
            f"there was read in {fallback}."
        )

    report_grouped(
        job.table.rows[job.rows[unknown]],
        codes[unknown].astype(np.int64),
        "invalid_timezone",
        message,
        job.issues,
        column="timezone",
    )


def _localise(result: DateResult, zones: npt.NDArray[np.object_]) -> BoolArray:
    """Move UTC stamps with a known zone to local day and time (in place); return which moved."""
    moved: BoolArray = result.utc & ~pd.isna(zones)
    if not moved.any():
        return moved
    instants = result.days[moved] + result.minutes[moved].astype("timedelta64[m]")
    local = to_local(instants, zones[moved])
    days = local.astype("datetime64[D]")
    minutes = ((local - days) // np.timedelta64(1, "m")).astype(np.int64)
    result.days[moved] = days.astype("datetime64[ns]")
    result.minutes[moved] = minutes
    result.time_of_day[moved] = clock_text(minutes)
    return moved


def _warn_readings(job: ColumnChecks, result: DateResult, usage: _Usage) -> None:
    """Warn about two-digit years and serial numbers, naming an example and the fix."""
    count, example = usage.rows(result.short_year)
    if count:
        job.issues.add(
            "two_digit_year",
            "warning",
            f"{_rows(count, 'a date', 'dates')} with a two-digit year, such as {example}: "
            "read as 20yy (26 as 2026). Write the year in full if one belongs to another century.",
            column="date",
        )
    count, example = usage.rows(result.serial)
    if count:
        system = job.options.date_system
        low, high = serial_range(system)
        other = "1904" if system == "1900" else "1900"
        numbers = _rows(count, "a spreadsheet day number", "spreadsheet day numbers")
        job.issues.add(
            "serial_date",
            "warning",
            f"{numbers} instead of a date, such as {example}, read as days of "
            f"{_SYSTEM_NAMES[system]}; only numbers from {low} to {high} (the years 2000 to "
            f"2100) are read as dates. If the days look four years off, choose the {other} "
            f"date system (--date-system {other}, or the date system choice in the app) and "
            "import again.",
            column="date",
        )


def _warn_zones(job: ColumnChecks, result: DateResult, usage: _Usage, moved: BoolArray) -> None:
    count, example = usage.rows(moved)
    if count:
        zone = job.options.timezone
        where = f"the patient's time zone ({zone})" if zone else "the time zone in the same row"
        if zone and "timezone" in job.positions:
            where = f"the time zone in the same row (or {zone} where it is empty)"
        stamps = _rows(count, "a UTC time stamp", "UTC time stamps")
        its = "its" if count == 1 else "their"
        job.issues.add(
            "utc_converted",
            "warning",
            f"{stamps}, such as {example}; {its} day and time were moved to {where}.",
            column="date",
        )
    count, example = usage.rows(result.utc & ~moved)
    if count:
        stamps = _rows(count, "a UTC time stamp", "UTC time stamps")
        it = "it was" if count == 1 else "they were"
        job.issues.add(
            "utc_day",
            "warning",
            f"{stamps}, such as {example}, and no time zone for the patient, so {it} imported "
            "on the UTC day and time: an evening or early-morning entry may sit on the wrong "
            f"day. To use the patient's own day, {_FIX_ZONE}.",
            column="date",
        )


def _warn_ambiguous(job: ColumnChecks, result: DateResult, usage: _Usage, conflict: bool) -> None:
    count, _ = usage.rows(result.ambiguous)
    if not count:
        return
    why = (
        "mixes day-first dates (a day above 12 first) with month-first dates (a day above 12 second)"
        if conflict
        else "never settles it (no day is above 12)"
    )
    job.issues.add(
        "ambiguous_dates",
        "error",
        f"{plural(count, 'row')} {'has' if count == 1 else 'have'} slash dates such as 03/04/2026 "
        "that could be day/month or "
        f"month/day, and the file {why}. Choose the date order (--date-order dmy or "
        "--date-order mdy on the command line, or the date order choice in the app) and "
        "import the file again; those rows were not imported.",
        column="date",
    )


def _warn_serial_times(job: ColumnChecks) -> None:
    if "time" not in job.positions:
        return
    column = job.column("time")
    serial = parse_times(column.uniques).serial
    count, example = _Usage(job, column).rows(serial)
    if count:
        times = _rows(count, "a time", "times")
        job.issues.add(
            "serial_time",
            "warning",
            f"{times} written as a fraction of a day, such as {example}, the way spreadsheets "
            "store times (0.875 is 21:00); read that way.",
            column="time",
        )


def _warn_bad_times(job: ColumnChecks, column: CodedColumn, result: DateResult) -> None:
    """Warn about date-times whose time is no time of day: the day is kept, the time is not."""
    if result.bad_time is None or not result.bad_time.any():
        return
    codes = column.at(job.rows)
    hit = result.bad_time[codes]
    if not hit.any():
        return
    texts = shown(column.uniques)
    report_grouped(
        job.table.rows[job.rows[hit]],
        codes[hit],
        "invalid_time",
        lambda key, where: (
            f"Date-time {texts[int(key)].as_py()} in {where} has a time that is no time of day; "
            "the day was imported, kept without this time."
        ),
        job.issues,
        column="time",
    )


def check_date_column(job: ColumnChecks) -> DateColumn:
    """Read the date column of ``job`` and report what was read how.

    With a ``timezone`` column and UTC stamps, the date column in ``job.coded`` is replaced
    by one coded by (date text, zone) pairs, so every later step sees one value per pair.

    Parameters
    ----------
    job
        The file's column checks (options, coded columns, rows still in play, issues).

    Returns
    -------
    DateColumn
        The date check per distinct value and the time of day each date-time carried.
    """
    column = job.column("date")
    parts = split_dates(column.uniques)
    zones = np.full(len(column.uniques), job.options.timezone, dtype=object)
    if parts.utc.any() and "timezone" in job.positions:
        column, zones = _zoned(job)
        parts = split_dates(column.uniques)
    order, conflict = settle_order(parts, job.options.date_order)
    result = resolve_dates(parts, order, job.options.date_system)
    moved = _localise(result, zones)
    usage = _Usage(job, column)
    _warn_ambiguous(job, result, usage, conflict)
    _warn_readings(job, result, usage)
    _warn_zones(job, result, usage, moved)
    _warn_serial_times(job)
    _warn_bad_times(job, column, result)
    checked = Checked(result.days, result.blank, result.error, result.message)
    return DateColumn(checked, result.time_of_day)
