import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from rehab.importer.dates import resolve_dates, settle_order, split_dates


def days(result):
    return [d.strftime("%Y-%m-%d") for d in result.pain["date"]]


def codes(result):
    return [(i.row, i.code) for i in result.report.issues]


def pain_file(*dates):
    return "Date,Pain\n" + "".join(f"{d},3\n" for d in dates)


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2026-09-01", "2026-09-01"),
        ("2026-9-1", "2026-09-01"),
        ("2026/09/01", "2026-09-01"),
        ("01.09.2026", "2026-09-01"),
        ("1.9.2026", "2026-09-01"),
        ("2026-09-01 08:30:00+02:00", "2026-09-01"),
    ],
)
def test_unambiguous_date_styles(run, written, day):
    result = run(pain_file(written), name="P_pain.csv")
    assert days(result) == [day]
    assert result.report.issues == []


def test_date_time_fills_time_when_there_is_no_time_column(run):
    result = run(
        pain_file("2026-09-01T08:30", "2026-09-01 9:15 pm", "13/09/2026 07:05"), name="P_pain.csv"
    )
    assert result.pain["time"].tolist() == ["08:30", "21:15", "07:05"]
    assert days(result) == ["2026-09-01", "2026-09-01", "2026-09-13"]


def test_time_column_wins_over_the_date_time_and_fills_its_gaps(run):
    text = "Date,Time,Pain\n2026-09-01 08:30,10:00,3\n2026-09-01 08:30,,3\n"
    result = run(text, name="P_pain.csv")
    assert result.pain["time"].tolist() == ["10:00", "08:30"]


def test_a_day_above_12_settles_day_first(run):
    result = run(pain_file("03/04/2026", "13/04/2026"), name="P_pain.csv")
    assert days(result) == ["2026-04-03", "2026-04-13"]


def test_a_day_above_12_in_second_place_settles_month_first(run):
    result = run(pain_file("03/04/2026", "04/13/2026"), name="P_pain.csv")
    assert days(result) == ["2026-03-04", "2026-04-13"]


def test_unsettled_slash_dates_are_not_guessed(run):
    result = run(pain_file("03/04/2026", "05/06/2026", "2026-09-01", "07/07/2026"), name="P_pain.csv")
    report = result.report
    assert (report.accepted, report.rejected) == (2, 2)
    assert codes(result) == [(None, "ambiguous_dates"), (2, "ambiguous_date"), (3, "ambiguous_date")]
    file_issue = report.issues[0]
    assert (file_issue.severity, file_issue.column) == ("error", "date")
    assert "--date-order dmy" in file_issue.message
    assert "app" in file_issue.message
    # 07/07 reads the same either way, and ISO is never ambiguous.
    assert days(result) == ["2026-09-01", "2026-07-07"]
    assert result.rejected["row"].tolist() == [2, 3]


@pytest.mark.parametrize(("order", "expected"), [("dmy", "2026-04-03"), ("mdy", "2026-03-04")])
def test_the_user_settles_the_order(run, order, expected):
    result = run(pain_file("03/04/2026"), name="P_pain.csv", date_order=order)
    assert days(result) == [expected]
    assert result.report.issues == []


def test_explicit_order_rejects_dates_that_do_not_fit_it(run):
    result = run(pain_file("03/04/2026", "04/13/2026"), name="P_pain.csv", date_order="dmy")
    assert codes(result) == [(3, "invalid_date")]


def test_file_mixing_both_orders_is_reported_as_ambiguous(run):
    result = run(pain_file("13/04/2026", "04/13/2026", "03/04/2026"), name="P_pain.csv")
    assert codes(result) == [(None, "ambiguous_dates"), (4, "ambiguous_date")]
    assert "mixes day-first" in result.report.issues[0].message
    # Each of the first two reads only one way.
    assert days(result) == ["2026-04-13", "2026-04-13"]


@pytest.mark.parametrize(
    "written",
    [
        "2026-02-30",
        "2025-02-29",
        "31.04.2026",
        "2026-13-01",
        "0000-01-01",
        "yesterday",
        "1/2",
        "123",
        "2026-09-01 8",
    ],
)
def test_impossible_or_unreadable_dates_reject_the_row(run, written):
    result = run(pain_file("2026-09-01", written), name="P_pain.csv")
    assert codes(result) == [(3, "invalid_date")]
    assert result.report.rejected == 1


def test_leap_day_is_a_real_day(run):
    assert days(run(pain_file("2028-02-29"), name="P_pain.csv")) == ["2028-02-29"]


def test_settle_order_and_resolve_on_distinct_values():
    parts = split_dates(pa.array(["03/04/2026", "25/12/2026", "2026-01-02", "", "x"]))
    assert settle_order(parts, "auto") == ("dmy", False)
    result = resolve_dates(parts, "dmy")
    expected = ["2026-04-03", "2026-12-25", "2026-01-02", "NaT", "NaT"]
    assert [str(d)[:10] if not pd.isna(d) else "NaT" for d in result.days] == expected
    assert result.error.tolist() == ["", "", "", "", "invalid_date"]
    assert result.blank.tolist() == [False, False, False, True, False]
    assert np.all(result.ambiguous == False)  # noqa: E712
