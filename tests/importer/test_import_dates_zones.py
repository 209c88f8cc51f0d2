"""UTC stamps and the patient's own day (issue 8).

Apps and form builders store instants in UTC and export them as RFC 3339 "Zulu" stamps
(the Google Forms API: createTime "Z-normalized"; JavaScript's Date.toISOString). doForms
documents storing submissions in UTC with the device's time zone in a separate
`timezone` field, which is the shape of the optional timezone column here.
"""

import pydantic
import pytest

from rehab.importer import ImportOptions


def stamps(frame):
    return [f"{d:%Y-%m-%d} {t}" for d, t in zip(frame["date"], frame["time"], strict=True)]


def codes(result):
    return [(i.row, i.code) for i in result.report.issues]


def pain_file(*written):
    return "Timestamp,Pain\n" + "".join(f"{w},3\n" for w in written)


# Tokyo is UTC+9 all year: 15:00 UTC is already the next day there.
def test_patient_east_of_utc_around_midnight(run):
    text = pain_file("2026-11-02T14:59:00Z", "2026-11-02T15:30:00.000Z")
    result = run(text, name="P_pain.csv", timezone="Asia/Tokyo")
    assert stamps(result.pain) == ["2026-11-02 23:59", "2026-11-03 00:30"]
    note = [i for i in result.report.issues if i.code == "utc_converted"]
    assert len(note) == 1
    assert "Asia/Tokyo" in note[0].message


# Berlin leaves summer time on 25 Oct 2026 (CEST +2 -> CET +1).
def test_patient_east_of_utc_on_the_day_summer_time_ends(run):
    text = pain_file("2026-10-24T22:30:00Z", "2026-10-25T22:30:00Z", "2026-10-25T23:30:00+00:00")
    result = run(text, name="P_pain.csv", timezone="Europe/Berlin")
    assert stamps(result.pain) == ["2026-10-25 00:30", "2026-10-25 23:30", "2026-10-26 00:30"]


# Los Angeles leaves daylight time on 1 Nov 2026 at 09:00 UTC (PDT -7 -> PST -8): the
# hour 01:00-02:00 happens twice, and an evening entry is the next day in UTC.
def test_patient_west_of_utc_around_midnight_and_the_dst_change(run):
    text = pain_file(
        "2026-11-01T06:30:00Z",
        "2026-11-01T08:30:00Z",
        "2026-11-01T09:30:00Z",
        "2026-11-02T07:30:00 UTC",
    )
    result = run(text, name="P_pain.csv", timezone="America/Los_Angeles")
    assert stamps(result.pain) == [
        "2026-10-31 23:30",
        "2026-11-01 01:30",
        "2026-11-01 01:30",
        "2026-11-01 23:30",
    ]
    assert result.report.accepted == 4


def test_without_a_time_zone_utc_stamps_stay_on_the_utc_day_with_a_warning(run):
    result = run(pain_file("2026-11-02T07:30:00Z"), name="P_pain.csv")
    assert stamps(result.pain) == ["2026-11-02 07:30"]
    assert codes(result) == [(None, "utc_day")]
    message = result.report.issues[0].message
    assert result.report.issues[0].severity == "warning"
    assert "UTC day" in message
    assert "--tz Europe/Berlin" in message
    assert "timezone column" in message
    assert "app" in message


def test_a_non_zero_offset_keeps_its_written_day_whatever_the_zone(run):
    text = pain_file("2026-11-02T23:30:00-08:00", "2026-11-03T00:30:00+09:00")
    result = run(text, name="P_pain.csv", timezone="Europe/Berlin")
    assert stamps(result.pain) == ["2026-11-02 23:30", "2026-11-03 00:30"]
    assert result.report.issues == []


def test_a_timezone_column_gives_each_patient_their_own_day(run):
    text = (
        "patient_id,Timestamp,timezone,pain\n"
        "PT-1,2026-11-02T23:30:00Z,Asia/Tokyo,3\n"
        "PT-2,2026-11-02T23:30:00Z,America/Los_Angeles,4\n"
        "PT-3,2026-11-02T23:30:00Z,,5\n"
    )
    result = run(text, name="cohort_pain.csv", timezone="Europe/Berlin")
    # The same instant: Tokyo's next morning, Los Angeles' afternoon, Berlin (the option)
    # for the row without a zone.
    assert stamps(result.pain) == ["2026-11-03 08:30", "2026-11-02 15:30", "2026-11-03 00:30"]
    assert result.pain["timezone"].fillna("").tolist() == ["Asia/Tokyo", "America/Los_Angeles", ""]


def test_an_unknown_zone_in_the_column_is_warned_and_left_on_the_utc_day(run):
    text = (
        "patient_id,Timestamp,Time zone,pain\n"
        "PT-1,2026-11-02T23:30:00Z,Berlin,3\n"
        "PT-2,2026-11-02T23:30:00Z,Asia/Tokyo,4\n"
    )
    result = run(text, name="cohort_pain.csv")
    assert stamps(result.pain) == ["2026-11-02 23:30", "2026-11-03 08:30"]
    unknown = [i for i in result.report.issues if i.code == "invalid_timezone"]
    assert [(i.row, i.column) for i in unknown] == [(2, "timezone")]
    assert "'Berlin' is not a time zone name" in unknown[0].message
    assert "Europe/Berlin" in unknown[0].message
    assert "kept without this time zone" in unknown[0].message
    assert any(i.code == "utc_day" for i in result.report.issues)


@pytest.mark.parametrize("name", ["Berlin", "Europe/Berlín", "", " Europe/Berlin", "../etc/passwd"])
def test_an_invalid_time_zone_option_is_refused_clearly(name):
    with pytest.raises(pydantic.ValidationError, match="is not a time zone name; use an IANA name"):
        ImportOptions(timezone=name)


def test_date_only_rows_are_untouched_by_the_time_zone(run):
    result = run(pain_file("2026-11-02", "2026-11-02 23:30"), name="P_pain.csv", timezone="Asia/Tokyo")
    assert [f"{d:%Y-%m-%d}" for d in result.pain["date"]] == ["2026-11-02", "2026-11-02"]
    assert result.report.issues == []
