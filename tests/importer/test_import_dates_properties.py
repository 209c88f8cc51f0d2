"""Property: a log written in any date style we accept imports as the same canonical rows.

Hypothesis draws a pain log (local date-times and scores); it is written once in rehab's
own ISO format (``Date,Time,Pain``) and once in a style real exports use, and both files
must give the same dates, times and scores. The styles follow the shapes of the export
tests (test_import_dates_exports.py, test_import_dates_zones.py): Android's short
"M/d/yy, h:mm a" with U+202F, d/m/yy, m/d/yyyy, dotted day-first, English month names
(Excel's d-mmm-yy, "Nov 2, 2026", RFC 2822 with an offset), spreadsheet serials in
the 1900 and 1904 systems, and UTC "Z" stamps with the patient's zone given as an option
or in a timezone column.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rehab.importer import ImportOptions, import_file

# max(): `make fuzz` (HYPOTHESIS_PROFILE=fuzz, tests/importer/conftest.py) runs 10,000.
SETTINGS = settings(
    max_examples=max(60, settings().max_examples),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
ZONES = ("Asia/Tokyo", "Europe/Berlin", "America/Los_Angeles", "Australia/Adelaide")
# A day above 12 settles day versus month for the slash styles, as a real log's would.
SETTLING = datetime(2026, 3, 25, 10, 0)
EPOCHS = {"1900": datetime(1899, 12, 30), "1904": datetime(1904, 1, 1)}

local_times = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31, 23, 59)).map(
    lambda moment: moment.replace(second=0, microsecond=0)
)
logs = st.lists(
    st.tuples(local_times, st.integers(min_value=0, max_value=10)),
    min_size=1,
    max_size=20,
    unique_by=lambda entry: entry[0],
).map(lambda entries: [*(e for e in entries if e[0] != SETTLING), (SETTLING, 5)])


def _twelve_hour(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d}\u202f{'AM' if moment.hour < 12 else 'PM'}"


def _serial(moment: datetime, system: str) -> str:
    return f"{(moment - EPOCHS[system]) / timedelta(days=1):.10f}"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _rfc2822(moment: datetime) -> str:
    # The written offset keeps the written day, whatever it is.
    month = MONTHS[moment.month - 1]
    return f"{DAYS[moment.weekday()]}, {moment.day} {month} {moment.year} {moment:%H:%M:%S} +0530"


STYLES = {
    "iso_datetime": lambda m: m.strftime("%Y-%m-%dT%H:%M"),
    "android_en_us": lambda m: f"{m.month}/{m.day}/{m:%y}, {_twelve_hour(m)}",
    "d/m/yy": lambda m: f"{m.day}/{m.month}/{m:%y} {m.hour}:{m.minute:02d}",
    "m/d/yyyy": lambda m: f"{m.month}/{m.day}/{m.year} {m:%H:%M:%S}",
    "dotted": lambda m: m.strftime("%d.%m.%Y %H:%M"),
    "dotted_yy": lambda m: m.strftime("%d.%m.%y, %H:%M"),
    "d-mmm-yy": lambda m: f"{m.day:02d}-{MONTHS[m.month - 1]}-{m:%y} {m:%H:%M}",
    "mmm d, yyyy": lambda m: f"{MONTHS[m.month - 1]} {m.day}, {m.year}, {_twelve_hour(m)}",
    "rfc2822": _rfc2822,
    "serial_1900": lambda m: _serial(m, "1900"),
    "serial_1904": lambda m: _serial(m, "1904"),
}


def _write(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _canonical(data: bytes, **options: object) -> list[tuple[str, str, float]]:
    result = import_file("PT-1_pain.csv", data, ImportOptions(**options))
    report = result.report
    assert report.rows == report.accepted + report.rejected + report.duplicates
    assert report.rejected == 0, [i.message for i in report.issues]
    frame = result.pain
    return list(
        zip(
            [f"{d:%Y-%m-%d}" for d in frame["date"]],
            frame["time"].fillna("").tolist(),
            frame["pain"].astype(float).tolist(),
            strict=True,
        )
    )


def _reference(log: list[tuple[datetime, int]]) -> list[tuple[str, str, float]]:
    rows = [[f"{m:%Y-%m-%d}", f"{m:%H:%M}", str(pain)] for m, pain in log]
    return _canonical(_write(["Date", "Time", "Pain"], rows))


@given(log=logs, style=st.sampled_from(sorted(STYLES)))
@SETTINGS
def test_locale_styles_import_as_our_iso_format(log, style):
    rows = [[STYLES[style](moment), str(pain)] for moment, pain in log]
    options = {"date_system": "1904"} if style == "serial_1904" else {}
    assert _canonical(_write(["Timestamp", "Pain"], rows), **options) == _reference(log)


def _utc_log(log: list[tuple[datetime, int]], zone: str) -> list[tuple[datetime, datetime, int]]:
    """(UTC instant, local wall time, pain): local times a DST gap skips are moved as clocks do."""
    entries = []
    for moment, pain in log:
        instant = moment.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
        entries.append((instant, instant.astimezone(ZoneInfo(zone)).replace(tzinfo=None), pain))
    return entries


@given(log=logs, zone=st.sampled_from(ZONES), in_column=st.booleans())
@SETTINGS
def test_utc_stamps_with_the_patients_zone_import_as_local_iso(log, zone, in_column):
    entries = _utc_log(log, zone)
    stamp = "%Y-%m-%dT%H:%M:%S.000Z"
    if in_column:
        data = _write(
            ["Timestamp", "timezone", "Pain"], [[i.strftime(stamp), zone, str(p)] for i, _, p in entries]
        )
        imported = _canonical(data)
    else:
        data = _write(["Timestamp", "Pain"], [[i.strftime(stamp), str(p)] for i, _, p in entries])
        imported = _canonical(data, timezone=zone)
    assert imported == _reference([(local, pain) for _, local, pain in entries])
