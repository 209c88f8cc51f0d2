"""Dates and times in the shapes real exports write them (issue 8).

Each test names where its shape comes from. The files are written here, in those shapes,
not copied from anywhere.
"""

import pytest


def days(frame):
    return [d.strftime("%Y-%m-%d") for d in frame["date"]]


def codes(result):
    return [(i.row, i.code) for i in result.report.issues]


def issue(result, code):
    found = [i for i in result.report.issues if i.code == code]
    assert len(found) == 1, codes(result)
    return found[0]


# Android / ICU short date-time for en_US, "M/d/yy, h:mm a": since ICU 72 (CLDR 42) the
# space before AM/PM is U+202F NARROW NO-BREAK SPACE (tc39/test262#3711,
# python-babel/babel#1012: '6/13/23, 3:27\u202fPM'). A day above 12 settles month-first.
ANDROID_EN_US = (
    "Date,Pain,Notes\n"
    '"11/2/26, 8:05\u202fPM",4,after walk\n'
    '"11/13/26, 7:30\u202fAM",3,\n'
    '"11/14/26, 12:10\u202fPM",2,\n'
)


def test_android_short_date_times_with_narrow_no_break_space(run):
    result = run(ANDROID_EN_US, name="P_pain.csv")
    assert result.report.accepted == 3
    assert days(result.pain) == ["2026-11-02", "2026-11-13", "2026-11-14"]
    assert result.pain["time"].tolist() == ["20:05", "07:30", "12:10"]
    note = issue(result, "two_digit_year")
    assert note.severity == "warning"
    assert "20yy" in note.message
    assert "3 rows" in note.message
    # The example is shown with its invisible space made visible.
    assert "11/2/26, 8:05\\u202fPM" in note.message


# CLDR de_DE short date "dd.MM.yy" and date-time "dd.MM.yy, HH:mm": dotted is always
# day-first, so no other row is needed to settle it. German Excel separates with ";".
@pytest.mark.parametrize(
    ("written", "day"), [("02.11.26", "2026-11-02"), ("02.11.26, 20:05", "2026-11-02")]
)
def test_german_short_dates_read_day_first(run, written, day):
    result = run(f"Date;Pain\n{written};4\n", name="P_pain.csv")
    assert days(result.pain) == [day]
    assert codes(result) == [(None, "two_digit_year")]


# Google Forms writes responses to a sheet whose Timestamp is formatted in the sheet's
# locale (Sheets API DateTimeRenderOption FORMATTED_STRING "depends on the spreadsheet
# locale"); downloaded as CSV, en_US gives "M/d/yyyy H:mm:ss", en_GB "dd/MM/yyyy HH:mm:ss".
def test_google_forms_timestamps_us_and_uk(run):
    us = run("Timestamp,Pain\n11/2/2026 8:05:14,4\n11/20/2026 21:40:02,3\n", name="P_pain.csv")
    uk = run("Timestamp,Pain\n02/11/2026 08:05:14,4\n20/11/2026 21:40:02,3\n", name="P_pain.csv")
    for result in (us, uk):
        assert days(result.pain) == ["2026-11-02", "2026-11-20"]
        assert result.pain["time"].tolist() == ["08:05", "21:40"]
        assert result.report.issues == []


def test_two_digit_year_with_a_time_and_no_settling_day_is_ambiguous(run):
    text = "Date,Pain\n2/11/26 08:05,4\n11/2/26 8:05:14,3\n"
    result = run(text, name="P_pain.csv")
    assert result.report.rejected == 2
    assert codes(result) == [(None, "ambiguous_dates"), (2, "ambiguous_date"), (3, "ambiguous_date")]
    assert "could be day/month or month/day" in result.report.issues[1].message
    settled = run(text, name="P_pain.csv", date_order="dmy")
    assert days(settled.pain) == ["2026-11-02", "2026-02-11"]
    assert codes(settled) == [(None, "two_digit_year")]


# Issue 9: a day of exactly 12 does not settle the order (12/05 is 12 May or 5 December).
def test_a_day_of_exactly_12_settles_nothing(run):
    result = run("Date,Pain\n12/05/2026,4\n", name="P_pain.csv")
    assert result.report.accepted == 0
    assert codes(result) == [(None, "ambiguous_dates"), (2, "ambiguous_date")]
    # With a 13 the same file settles, and 12/05 reads day-first.
    settled = run("Date,Pain\n12/05/2026,4\n13/05/2026,3\n", name="P_pain.csv")
    assert days(settled.pain) == ["2026-05-12", "2026-05-13"]


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("2 Okt. 2026", "writes the month in a way rehab cannot read"),
        ("Nov 2026", "writes the month in a way rehab cannot read"),
        ("2.11.", "has no year"),
        ("20261102", "without separators"),
        ("2026-11-02 8", "has a time rehab cannot read"),
        ("5", "is a number, not a date"),
        ("12345", "is a number, not a date"),
    ],
)
def test_unreadable_dates_say_what_they_are(run, written, says):
    result = run(f'Date,Pain\n"{written}",4\n', name="P_pain.csv")
    assert codes(result) == [(2, "invalid_date")]
    message = result.report.issues[0].message
    assert says in message
    if not written.isdigit():
        # A real date is never called "not a date".
        assert "not a date" not in message


# English month names: Excel's "d-mmm-yy" date format (02-Nov-26), RFC 2822 stamps as mail
# and many web exports write them ("Mon, 2 Nov 2026 08:05:00 +0000"), CLDR en_US medium and
# long dates ("Nov 2, 2026", "November 2, 2026"), and Hevy's "30 Jan 2025, 12:34"
# (jake-walker/workout-converter test/sample_data/hevy.csv).
@pytest.mark.parametrize(
    ("written", "day", "time"),
    [
        ("02-Nov-26", "2026-11-02", ""),
        ("Mon, 2 Nov 2026 08:05:00 +0100", "2026-11-02", "08:05"),
        ("Nov 2, 2026", "2026-11-02", ""),
        ("Monday, November 2, 2026, 8:05\u202fPM", "2026-11-02", "20:05"),
        ("Sept 30, 2026", "2026-09-30", ""),
        ("30 Jan 2025, 12:34", "2025-01-30", "12:34"),
    ],
)
def test_english_month_names(run, written, day, time):
    result = run(f'Date,Pain\n"{written}",4\n', name="P_pain.csv")
    assert days(result.pain) == [day]
    assert result.pain["time"].fillna("").tolist() == [time]
    short = [(None, "two_digit_year")] if written == "02-Nov-26" else []
    assert codes(result) == short


def test_an_impossible_day_with_a_month_name_is_not_a_calendar_day(run):
    result = run('Date,Pain\n"Feb 30, 2026",4\n', name="P_pain.csv")
    assert codes(result) == [(2, "invalid_date")]
    assert "not a day in the calendar" in result.report.issues[0].message


# Text copied from documents and locale formatting: no-break space (U+00A0) between date
# and time, zero-width space and byte order marks inside cells, word-processor en dash
# (U+2013) and minus sign (U+2212) in ISO dates; CLDR es "p. m." with U+202F inside.
@pytest.mark.parametrize(
    ("written", "day", "time"),
    [
        ("2026-11-02\u00a008:05", "2026-11-02", "08:05"),
        ("\u200b2026-11-02 08:05\u200b", "2026-11-02", "08:05"),
        ("\ufeff02.11.2026 08:05", "2026-11-02", "08:05"),
        ("2026\u201311\u201302", "2026-11-02", None),
        ("2026\u221211\u221202T08:05", "2026-11-02", "08:05"),
        ("2026-11-02 8:05\u00a0p.\u202fm.", "2026-11-02", "20:05"),
        ("2026-11-02 8:05\u200e PM", "2026-11-02", "20:05"),
    ],
)
def test_unicode_spaces_marks_and_dashes_in_dates(run, written, day, time):
    result = run(f"Date,Pain\n{written},4\n", name="P_pain.csv")
    assert days(result.pain) == [day]
    assert result.pain["time"].tolist() == [time] if time else result.pain["time"].isna().all()
    assert result.report.issues == []


def test_unicode_spaces_in_a_time_column(run):
    result = run(
        "Date,Time,Pain\n2026-11-02,8:05\u202fPM,4\n2026-11-02,9:15\u00a0am,3\n", name="P_pain.csv"
    )
    assert result.pain["time"].tolist() == ["20:05", "09:15"]
    assert result.report.issues == []


def test_messages_show_invisible_characters(run):
    result = run("Date,Time,Pain\nyesterday\u202fevening,soon\u200b,4\n", name="P_pain.csv")
    messages = [i.message for i in result.report.issues]
    assert any("yesterday\\u202fevening" in m for m in messages), messages
    assert any("soon\\u200b" in m for m in messages), messages


# Serial numbers: LibreOffice's CSV export with "Save cell contents as shown" off writes
# the number behind a date (help.libreoffice.org, CSV filter options, token 9); its help on
# date functions gives 01/01/2000 12:00 PM = 36526.5 (day zero 12/30/1899). Microsoft's
# "Date systems in Excel" gives July 5, 2011 as 40729 (1900 system) and 39267 (1904).
def test_spreadsheet_serial_dates_in_the_1900_system(run):
    result = run('Date,Pain\n36526.5,4\n40729,3\n"40729,75",2\n', name="P_pain.csv")
    assert days(result.pain) == ["2000-01-01", "2011-07-05", "2011-07-05"]
    assert result.pain["time"].fillna("").tolist() == ["12:00", "", "18:00"]
    note = issue(result, "serial_date")
    assert note.severity == "warning"
    assert "1900 date system" in note.message
    assert "--date-system 1904" in note.message


def test_a_serial_written_with_a_fraction_is_a_date_time_even_at_midnight(run):
    # Found by the property test: 43831.0000000000 is 2020-01-01 00:00, not a bare day.
    result = run("Date,Pain\n43831.0000000000,4\n43832,3\n", name="P_pain.csv")
    assert days(result.pain) == ["2020-01-01", "2020-01-02"]
    assert result.pain["time"].fillna("").tolist() == ["00:00", ""]


def test_serial_dates_in_the_1904_system_when_chosen(run):
    result = run("Date,Pain\n39267,4\n", name="P_pain.csv", date_system="1904")
    assert days(result.pain) == ["2011-07-05"]
    assert "1904 date system" in issue(result, "serial_date").message


@pytest.mark.parametrize("written", ["5", "123", "2026", "30000", "99999"])
def test_numbers_outside_the_plausible_serial_range_are_not_dates(run, written):
    result = run(f"Date,Pain\n{written},4\n", name="P_pain.csv")
    assert result.report.accepted == 0
    assert codes(result) == [(2, "invalid_date")]
    assert "36526 to 73415" in result.report.issues[0].message


def test_serial_range_edges():
    import pyarrow as pa

    from rehab.importer.dates import resolve_dates, split_dates

    # 36526 = 2000-01-01 and 73415 = 2100-12-31 are the first and last read as dates.
    result = resolve_dates(split_dates(pa.array(["36525", "36526", "73415", "73416"])), None)
    assert result.error.tolist() == ["invalid_date", "", "", "invalid_date"]
    assert [str(d)[:10] for d in result.days[1:3]] == ["2000-01-01", "2100-12-31"]


# A time cell formatted as a number: Excel and Sheets store a time as a fraction of a day
# (Sheets API DateTimeRenderOption SERIAL_NUMBER: "noon is half a day").
def test_serial_times_in_a_time_column(run):
    text = "Date,Time,Pain\n2026-11-02,0.875,4\n2026-11-03,0.5,3\n2026-11-04,0.30,2\n"
    result = run(text, name="P_pain.csv")
    # Two decimals stay an h.mm time as people write it: 0.30 is half past midnight.
    assert result.pain["time"].tolist() == ["21:00", "12:00", "00:30"]
    note = issue(result, "serial_time")
    assert "2 rows" in note.message
    assert note.column == "time"
