import datetime

import pandas as pd
import pytest

from rehab.schema import empty_frame

HEADER = "Date,Time,Exercise,Sets,Reps,Hold (s),Pain before,Pain after,Notes,Red flag"


def issues(result):
    return [(i.row, i.column, i.code, i.severity) for i in result.report.issues]


def test_accepted_frames_have_the_canonical_shape(run):
    result = run(f"{HEADER}\n2026-09-01,08:30,Core,1,10,15,4,3,ok,no\n")
    assert result.sessions.dtypes.to_dict() == empty_frame("sessions").dtypes.to_dict()
    assert list(result.sessions.columns) == list(empty_frame("sessions").columns)
    assert result.pain.dtypes.to_dict() == empty_frame("pain").dtypes.to_dict()
    assert len(result.pain) == 0
    row = result.sessions.iloc[0]
    assert row["date"] == pd.Timestamp("2026-09-01")
    assert (row["time"], row["exercise"], row["reps"], row["red_flag"]) == ("08:30", "core", 10.0, False)
    assert (row["source_file"], row["source_row"]) == ("PT-0101_sessions.csv", 2)


def test_invalid_optional_value_drops_the_cell_and_keeps_the_row(run):
    text = f"{HEADER}\n2026-09-01,,Core,1,ten,15,11,3,,\n"
    result = run(text)
    assert result.report.accepted == 1
    # The row was kept: a warning that says so, never "error" (issue 9 item 6).
    assert issues(result) == [
        (2, "reps", "not_a_number", "warning"),
        (2, "pain_before", "out_of_range", "warning"),
    ]
    messages = [i.message for i in result.report.issues]
    assert messages[0] == "reps is 'ten', not a number; kept without this number of reps"
    assert messages[1] == "pain_before is 11; pain is scored 0 to 10; kept without this pain score"
    frame = result.sessions
    assert frame["reps"].isna().tolist() == [True]
    assert frame["pain_before"].isna().tolist() == [True]
    assert frame["pain_after"].tolist() == [3.0]


@pytest.mark.parametrize(
    ("cell", "value"),
    [("4,5", 4.5), ("4.5", 4.5), (" 7 ", 7.0), ("0", 0.0), ("10", 10.0), (",5", 0.5)],
)
def test_scores_accept_decimal_commas_and_the_whole_range(run, cell, value):
    result = run(f'Date,Pain\n2026-09-01,"{cell}"\n', name="P_pain.csv")
    assert result.pain["pain"].tolist() == [value]


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("11", "out_of_range"),
        ("-1", "out_of_range"),
        ("10.5", "out_of_range"),
        ("high", "not_a_number"),
        ("4/10", "not_a_number"),
        ("nan", "not_a_number"),
        ("", "missing_value"),
    ],
)
def test_invalid_required_pain_rejects_the_row(run, cell, code):
    result = run(f"Date,Pain\n2026-09-01,3\n2026-09-02,{cell}\n", name="P_pain.csv")
    assert (result.report.accepted, result.report.rejected) == (1, 1)
    assert issues(result) == [(3, "pain", code, "error")]
    assert result.report.issues[0].message.endswith("; row not imported")
    assert result.rejected["row"].tolist() == [3]
    assert result.rejected["Pain"].tolist() == [cell]
    assert result.rejected["problem"].tolist() == [result.report.issues[0].message]


def test_empty_exercise_rejects_the_row(run):
    result = run("Date,Exercise\n2026-09-01,\n")
    assert issues(result) == [(2, "exercise", "missing_value", "error")]
    assert result.report.rejected == 1


def test_rejected_row_problem_lists_every_error_of_that_row(run):
    result = run("Date,Exercise,Reps\n2026-02-30,Core,ten\n")
    problem = result.rejected["problem"].tolist()[0]
    assert "not a day in the calendar" in problem
    # reps is optional, but this row was not imported for its date: the message says so.
    assert "reps is 'ten', not a number; row not imported" in problem
    assert "kept without" not in problem


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("yes", True),
        ("Y", True),
        ("TRUE", True),
        ("1", True),
        ("x", True),
        ("no", False),
        ("n", False),
        ("False", False),
        ("0", False),
        ("", None),
    ],
)
def test_red_flag_is_yes_or_no(run, cell, value):
    result = run(f"Date,Exercise,Red flag\n2026-09-01,Core,{cell}\n")
    got = result.sessions["red_flag"].tolist()[0]
    assert (got is pd.NA) if value is None else (got is value)


def test_unreadable_flag_is_dropped_with_a_warning(run):
    result = run("Date,Pain,Flare\n2026-09-01,3,maybe\n", name="P_pain.csv")
    assert issues(result) == [(2, "flare", "invalid_flag", "warning")]
    assert result.report.issues[0].message.endswith("; kept without this flare answer")
    assert result.pain["flare"].isna().tolist() == [True]
    assert result.report.accepted == 1


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("8:30", "08:30"),
        ("08:30:00", "08:30"),
        ("8:30 am", "08:30"),
        ("8:30 PM", "20:30"),
        ("12:05 am", "00:05"),
        ("12 pm", "12:00"),
        ("23:59", "23:59"),
        ("7.45", "07:45"),
    ],
)
def test_times_are_normalised_to_hh_mm(run, cell, value):
    result = run(f"Date,Time,Exercise\n2026-09-01,{cell},Core\n")
    assert result.sessions["time"].tolist() == [value]


@pytest.mark.parametrize("cell", ["24:00", "8:61", "13:00 pm", "noon", "8"])
def test_invalid_time_is_dropped_with_a_warning(run, cell):
    result = run(f"Date,Time,Exercise\n2026-09-01,{cell},Core\n")
    assert issues(result) == [(2, "time", "invalid_time", "warning")]
    assert result.report.issues[0].message.endswith("; kept without this time")
    assert result.sessions["time"].isna().tolist() == [True]


@pytest.mark.parametrize(
    ("written", "exercise_id"),
    [
        ("Back Extension", "back_extension"),
        ("back_extension", "back_extension"),
        ("press-up", "back_extension"),
        ("Cat-camel", "cat_stretch"),
        ("knee rolls", "hip_rolls"),
        ("TA brace", "core"),
        ("CORE", "core"),
    ],
)
def test_exercises_match_the_library_by_id_name_or_alias(run, written, exercise_id):
    result = run(f"Date,Exercise\n2026-09-01,{written}\n")
    assert result.sessions["exercise"].tolist() == [exercise_id]
    assert result.sessions["exercise_known"].tolist() == [True]
    assert result.report.issues == []


def test_unknown_exercise_is_kept_with_one_warning_per_name_naming_its_rows(run):
    text = "Date,Exercise\n2026-09-01,Plank\n2026-09-01,Core\n2026-09-02, Plank \n2026-09-03,Bird dog\n"
    result = run(text)
    assert result.report.accepted == 4
    assert result.sessions["exercise"].tolist() == ["Plank", "core", "Plank", "Bird dog"]
    assert result.sessions["exercise_known"].tolist() == [False, True, False, False]
    warnings = [(i.row, i.code, i.severity) for i in result.report.issues]
    assert warnings == [(2, "unknown_exercise", "warning"), (5, "unknown_exercise", "warning")]
    assert "'Plank'" in result.report.issues[0].message
    assert "rows 2 and 4" in result.report.issues[0].message
    assert "(row 5)" in result.report.issues[1].message


def test_exact_duplicates_are_counted_once_and_point_at_the_first(run):
    row = "2026-09-01,08:30,Core,1,10,15,4,3,,no"
    text = f"{HEADER}\n{row}\n2026-09-02,,Core,,,,,,,\n{row}\n{row}\n{row.replace('08:30', '08:31')}\n"
    result = run(text)
    report = result.report
    assert (report.rows, report.accepted, report.duplicates, report.rejected) == (5, 3, 2, 0)
    duplicates = [i for i in report.issues if i.code == "duplicate_row"]
    # The copies of one row are one issue naming them all (issue 10: memory per bad row).
    assert [(i.row, i.rows, i.count, i.severity) for i in duplicates] == [(4, "4-5", 2, "warning")]
    assert duplicates[0].message.startswith("Repeats row 2 exactly")
    # What became of the row (issue 9 item 6): the first was imported, the copies were not.
    assert duplicates[0].message.endswith("that row was imported, the copies were not.")
    assert result.sessions["source_row"].tolist() == [2, 3, 6]


def test_duplicate_of_a_rejected_row_is_counted_as_a_duplicate_not_rejected_twice(run):
    result = run("Date,Pain\n2026-09-01,99\n2026-09-01,99\n", name="P_pain.csv")
    report = result.report
    assert (report.rows, report.accepted, report.rejected, report.duplicates) == (2, 0, 1, 1)


def test_rows_after_the_as_of_date_are_kept_with_one_warning(run):
    text = "Date,Pain\n2026-09-01,3\n2026-09-05,3\n2026-09-06,2\n"
    result = run(text, name="P_pain.csv", as_of=datetime.date(2026, 9, 4))
    assert result.report.accepted == 3
    assert [(i.row, i.code, i.severity) for i in result.report.issues] == [(3, "future_date", "warning")]
    assert result.report.issues[0].message.startswith("Rows 3 and 4")


def test_every_issue_is_sorted_by_row_with_file_issues_first(run):
    text = "Date,Exercise,Mood,Reps\n2026-09-01,Core,x,ten\n2026-13-01,Core,y,1\n"
    rows = [i.row for i in run(text).report.issues]
    assert rows == [None, 2, 3]
