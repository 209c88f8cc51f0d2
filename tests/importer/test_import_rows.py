"""Rows as real exports write them: set rows, form responses, row ids, names, scales (issue 8).

Every file here has the exact shape of an export people have; the source of each shape is
named above it. The ``run`` fixture checks ``rows == accepted + rejected + duplicates``.
"""

from __future__ import annotations

import pytest

from rehab.importer import ImportOptions, import_file, patient_from_filename
from rehab.library import load_library


def codes(result) -> list[str]:
    return [issue.code for issue in result.report.issues]


def messages(result, code: str) -> list[str]:
    return [issue.message for issue in result.report.issues if issue.code == code]


# --- one row per set ---------------------------------------------------------------------

# Strong's current export, in the shape of jake-walker/workout-converter
# sample_data/strong.csv (the adapter src/adapters/strong.ts reads the same header): one row
# per set, the workout's start as the Date of every set, Set Order counting from 1.
STRONG = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,"
    "Workout Notes,RPE\n"
    '2026-10-01 8:05:00 am,"Back rehab",20m,"Cat Cow",1,0,10,0,0,"stiff","",\n'
    '2026-10-01 8:05:00 am,"Back rehab",20m,"Cat Cow",2,0,8,0,0,"","",\n'
    '2026-10-01 8:05:00 am,"Back rehab",20m,"Cat Cow",3,0,9,0,0,"easier","",\n'
    '2026-10-01 8:05:00 am,"Back rehab",20m,"Press Up",1,0,10,0,0,"","",\n'
    '2026-10-01 8:05:00 am,"Back rehab",20m,"Press Up",2,0,10,0,0,"","",\n'
    '2026-10-02 5:30:00 pm,"Back rehab",15m,"Cat Cow",1,0,12,0,0,"","",\n'
)


def test_strong_set_rows_are_counted_as_one_session_per_exercise_performance(run):
    result = run(STRONG, name="PT-0107_workouts.csv")
    report = result.report
    # Every file row is accounted for; the six set rows became three sessions.
    assert (report.rows, report.accepted, report.rejected, report.duplicates) == (6, 6, 0, 0)
    assert report.sessions == 3
    sessions = result.sessions
    assert sessions["exercise"].tolist() == ["cat_stretch", "back_extension", "cat_stretch"]
    assert sessions["sets"].tolist() == [3.0, 2.0, 1.0]
    # Reps are the dose of a typical set: the mean per set (10, 8, 9 -> 9).
    assert sessions["reps"].tolist() == [9.0, 10.0, 12.0]
    assert sessions["source_row"].tolist() == [2, 5, 7]
    assert sessions["notes"].tolist()[0] == "stiff | easier"
    (summary,) = messages(result, "set_rows")
    assert summary.startswith("5 set rows were counted as 2 sessions (rows 2, 3, 4, 5 and 6)")
    merged = [(i.row_numbers(), i.message) for i in report.issues if i.code == "set_row"]
    # One issue per session, naming all its later set rows (issue 10: grouped issues).
    assert [rows for rows, _ in merged] == [[3, 4], [6]]
    assert merged[0][1].startswith("Counted as a set of the session at row 2 ")


def test_a_second_round_of_sets_at_the_same_time_is_a_second_session(run):
    # The set numbers start again at 1: the exercise was done twice in that workout.
    text = STRONG.replace(',"Press Up",1,', ',"Cat Cow",1,').replace(',"Press Up",2,', ',"Cat Cow",2,')
    result = run(text, name="PT-0107_workouts.csv")
    assert result.sessions["exercise"].tolist() == ["cat_stretch", "cat_stretch", "cat_stretch"]
    assert result.sessions["sets"].tolist() == [3.0, 2.0, 1.0]


def test_an_exact_repeat_of_a_set_row_stays_a_duplicate(run):
    lines = STRONG.splitlines(keepends=True)
    result = run("".join([*lines, lines[2]]), name="PT-0107_workouts.csv")
    assert (result.report.rows, result.report.duplicates, result.report.sessions) == (7, 1, 3)
    assert result.sessions["sets"].tolist() == [3.0, 2.0, 1.0]


# Hevy's export, shape of jake-walker/workout-converter test/sample_data/hevy.csv: every field
# quoted but the empty ones, set_index counting from 0, dates like "30 Jan 2025, 12:34".
HEVY = (
    '"title","start_time","end_time","description","exercise_title","superset_id",'
    '"exercise_notes","set_index","set_type","weight_kg","reps","distance_km",'
    '"duration_seconds","rpe"\n'
    '"Rehab","3 Oct 2026, 07:40","3 Oct 2026, 08:00","","Knee Rolls",,"",0,"normal",,10,,,\n'
    '"Rehab","3 Oct 2026, 07:40","3 Oct 2026, 08:00","","Knee Rolls",,"",1,"normal",,6,,,\n'
    '"Rehab","3 Oct 2026, 07:40","3 Oct 2026, 08:00","","Plank",,"",0,"normal",,1,,,\n'
)


def test_hevy_sets_counted_from_zero_collapse_too(run):
    result = run(HEVY, name="PT-0107_hevy.csv")
    assert (result.report.accepted, result.report.sessions) == (3, 2)
    assert result.sessions["exercise"].tolist() == ["hip_rolls", "Plank"]
    assert result.sessions["sets"].tolist() == [2.0, 1.0]
    assert result.sessions["reps"].tolist() == [8.0, 1.0]


@pytest.mark.parametrize("header", ["Set", "Set #", "set_index", "Set Number", "Set Order"])
def test_set_number_headers_are_not_a_count_of_sets(run, header):
    text = f"Date,Exercise,{header},Reps\n2026-10-01 08:00,Core,1,10\n2026-10-01 08:00,Core,2,10\n"
    result = run(text)
    assert result.sessions["sets"].tolist() == [2.0]
    assert result.sessions["set_number"].tolist() == [2.0]


def test_sets_header_is_still_a_count(run):
    result = run("Date,Exercise,Sets\n2026-10-01,Core,3\n")
    assert result.sessions["sets"].tolist() == [3.0]
    assert result.sessions["set_number"].isna().all()


def test_the_same_exercise_at_the_same_minute_is_sets_but_not_without_a_time(run):
    # A workout log without a set column repeats the exercise at the workout's time...
    timed = run("Date,Time,Exercise,Reps\n2026-10-01,08:00,Core,10\n2026-10-01,08:00,Core,12\n")
    assert (timed.report.accepted, timed.report.sessions) == (2, 1)
    assert timed.sessions["sets"].tolist() == [2.0]
    # ...while a diary's three rows of one day without a time are three sessions.
    untimed = run("Date,Exercise,Reps\n2026-10-01,Core,10\n2026-10-01,Core,12\n2026-10-01,Core,8\n")
    assert (untimed.report.sessions, len(untimed.sessions)) == (None, 3)
    assert "set_rows" not in codes(untimed)


# --- forms: tick boxes, response ids, people ---------------------------------------------

# Google Forms' response sheet downloaded as CSV: "Timestamp" first, "Email Address" when the
# form collects e-mails, one column per question, ticked boxes joined into one cell by ", "
# (shape as in SpamMusubi153/AwardPicker docs/README.md, "the format provided automatically
# by Google Forms", and the checkbox cell that gist johnjeremih/fa979157e873c2d8ab1dc5c6742b6438
# splits on commas).
GOOGLE_FORM = (
    "Timestamp,Email Address,Which exercises did you do?,Anything else?\n"
    '11/16/2026 8:05:14,maria@example.org,"Back Extension, Cat Stretch",\n'
    "11/16/2026 19:40:02,maria@example.org,Hip Rolls,tired\n"
    '11/17/2026 8:10:40,jo@example.org,"Back Extension, Cat Stretch, Core Exercise",\n'
    '11/17/2026 9:00:00,jo@example.org,"Back Extension, Walking",\n'
)
FORM_MAPPING = (("Which exercises did you do?", "exercise"), ("Anything else?", "notes"))


def test_a_google_form_tick_box_answer_becomes_one_session_per_exercise(run):
    result = run(GOOGLE_FORM, name="Back exercises (Responses).csv", mapping=FORM_MAPPING)
    report = result.report
    assert (report.rows, report.accepted, report.rejected) == (4, 4, 0)
    assert report.sessions == 7
    assert report.patients == ["jo@example.org", "maria@example.org"]
    sessions = result.sessions
    assert sessions["exercise"].tolist() == [
        "back_extension",
        "cat_stretch",
        "hip_rolls",
        "back_extension",
        "cat_stretch",
        "core",
        "Back Extension, Walking",
    ]
    assert sessions["source_row"].tolist() == [2, 2, 3, 4, 4, 4, 5]
    (listed,) = messages(result, "exercise_list")
    assert listed.startswith("2 rows list several exercises in one cell")
    assert "they became 5 sessions" in listed
    # A list with a name the library does not know is kept as written, and said so.
    (unknown,) = messages(result, "unknown_exercise")
    assert "'Walking' is not in the exercise library" in unknown
    assert "kept as written as one exercise (row 5)" in unknown


def test_a_listed_cell_is_never_merged_as_a_set_of_one_of_its_exercises(run):
    text = (
        "Date,Time,Exercise\n2026-11-02,08:00,Back Extension\n"
        '2026-11-02,08:00,"Back Extension, Cat Stretch"\n'
    )
    result = run(text)
    assert sorted(result.sessions["exercise"]) == ["back_extension", "back_extension", "cat_stretch"]
    assert "set_rows" not in codes(result)


def test_semicolon_lists_split_too(run):
    result = run('Date,Exercise\n2026-11-02,"Cat Stretch; Hip Rolls"\n')
    assert result.sessions["exercise"].tolist() == ["cat_stretch", "hip_rolls"]


# Microsoft Forms' response workbook saved as CSV: ID (the response number, 1, 2, 3 ...),
# Start time, Completion time, Email, Name, then the questions. The five built-in columns
# are the ones open-source readers of these exports check for (for example a Go grader's
# checkTitles and several pandas scripts found by exact search of public code); the
# workbook itself is described in MicrosoftDocs/SupportArticles-docs
# (Microsoft365/enterprise/forms-response-columns-out-of-order.md).
MS_FORM = "ID,Start time,Completion time,Email,Name,Exercise,Pain after exercise\n" + "".join(
    f"{n},11/{n + 12}/2026 8:00:00,11/{n + 12}/2026 8:03:12,maria@example.org,Maria Lopez,"
    f"Cat Stretch,{n % 4}\n"
    for n in range(1, 9)
)


def test_microsoft_forms_rows_belong_to_the_named_person_not_to_the_response_id(run):
    result = run(MS_FORM, name="Back diary.csv")
    assert result.report.patients == ["Maria Lopez"]
    assert len(result.sessions) == 8
    assert result.sessions["date"].dt.day.tolist() == list(range(13, 21))
    replaced = messages(result, "duplicate_column")
    assert any("'Email' was read as the more specific one and 'ID' was ignored" in m for m in replaced)
    assert any("'Name' was read as the more specific one and 'Email' was ignored" in m for m in replaced)


def test_a_bare_id_that_differs_on_every_row_is_a_row_id_not_a_patient(run):
    text = "ID,Date,Pain\n" + "".join(f"{100 + n},2026-11-0{n},{n}\n" for n in range(1, 7))
    result = run(text, name="PT-0107_pain.csv")
    assert result.report.patients == ["PT-0107"]
    (warning,) = messages(result, "row_id_column")
    assert "Column 'ID' has a different value on every one of the 6 rows" in warning
    assert "kept under 'PT-0107'" in warning


def test_a_handful_of_distinct_ids_are_still_patients(run):
    text = "ID,Date,Pain\n" + "".join(f"{100 + n},2026-11-0{n},{n}\n" for n in range(1, 6))
    result = run(text, name="clinic_pain.csv")
    assert result.report.patients == ["101", "102", "103", "104", "105"]
    assert "row_id_column" not in codes(result)


def test_a_patient_id_column_is_a_row_id_only_when_it_counts_the_rows(run):
    rows = "".join(f"{{id{n}}},2026-11-0{n},{n}\n" for n in range(1, 7))
    counted = rows.format(**{f"id{n}": n for n in range(1, 7)})
    result = run("Patient ID,Date,Pain\n" + counted, name="PT-0107_pain.csv")
    assert result.report.patients == ["PT-0107"]
    assert "row_id_column" in codes(result)
    named = rows.format(**{f"id{n}": f"PT-{n:04d}" for n in range(1, 7)})
    six = run("Patient ID,Date,Pain\n" + named, name="screening_pain.csv")
    assert len(six.report.patients) == 6
    assert "row_id_column" not in codes(six)


@pytest.mark.parametrize(
    "header", ["ID,Patient ID", "Patient ID,ID", "id,Patient", "Email,Patient name"]
)
def test_a_specific_patient_header_wins_over_a_bare_id_whatever_the_order(run, header):
    first, second = header.split(",")
    cells = {first: "R-1", second: "PT-0107"} if first.lower() in ("id", "email") else {}
    cells = cells or {first: "PT-0107", second: "R-1"}
    text = f"{header},Date,Pain\n{cells[first]},{cells[second]},2026-11-02,3\n"
    result = run(text, name="clinic_pain.csv")
    assert result.report.patients == ["PT-0107"]


@pytest.mark.parametrize(
    "header", ["Athlete", "Name", "Patient name", "Client", "User", "Username", "Email"]
)
def test_person_columns_name_the_patient(run, header):
    result = run(f"{header},Date,Pain\nMaria,2026-11-02,3\nJo,2026-11-02,5\n", name="clinic_pain.csv")
    assert result.report.patients == ["Jo", "Maria"]


def test_names_without_a_patient_column_are_warned_not_merged_silently(run):
    text = "First name,Last name,Date,Pain\nMaria,Lopez,2026-11-02,3\nJo,Smith,2026-11-02,5\n"
    result = run(text, name="clinic_pain.csv")
    assert result.report.patients == ["clinic"]
    (warning,) = messages(result, "person_columns")
    assert "'First name', 'Last name' look like people's names" in warning
    assert "add a patient_id column" in warning


@pytest.mark.parametrize(
    ("name", "patient"),
    [
        ("02112026-30112026.csv", "unnamed (02112026-30112026)"),
        ("2026-11-02.csv", "unnamed (2026-11-02)"),
        ("export_2026-11-30_pain.csv", "unnamed (export_2026-11-30)"),
    ],
)
def test_a_file_named_by_a_date_names_no_patient(run, name, patient):
    result = run("Date,Pain\n2026-11-02,3\n", name=name)
    assert result.report.patients == [patient]
    (warning,) = messages(result, "unnamed_patient")
    assert f"The file's name '{name}' is a date, not a patient's name" in warning
    assert "add a patient_id column, or rename the file after the patient" in warning


@pytest.mark.parametrize(
    ("name", "patient"),
    [
        ("Maria 2026-11-02.csv", "Maria 2026-11-02"),
        ("12345678.csv", "12345678"),
        ("123456.csv", "123456"),
    ],
)
def test_a_name_or_a_patient_number_beside_a_date_is_still_a_name(name, patient):
    assert patient_from_filename(name) == patient


def test_a_date_named_file_with_a_patient_column_needs_no_warning(run):
    result = run("patient_id,Date,Pain\nPT-1,2026-11-02,3\n", name="2026-11-02.csv")
    assert result.report.patients == ["PT-1"]
    assert "unnamed_patient" not in codes(result)


# --- exercise columns ----------------------------------------------------------------------


def test_an_exercise_name_column_wins_over_an_id_column(run):
    result = run("Date,Exercise ID,Exercise Name\n2026-11-02,EX-17,Cat Stretch\n")
    assert result.sessions["exercise"].tolist() == ["cat_stretch"]
    assert any("'Exercise Name' was read" in m for m in messages(result, "duplicate_column"))


@pytest.mark.parametrize(
    ("written", "match", "name"),
    [
        ("hip rols", "hip_rolls", "Hip Rolls"),
        ("cat strech", "cat_stretch", "Cat Stretch"),
        ("Back extention", "back_extension", "Back Extension"),
    ],
)
def test_a_near_miss_is_matched_with_did_you_mean(run, written, match, name):
    result = run(f"Date,Exercise\n2026-11-02,{written}\n")
    assert result.sessions["exercise"].tolist() == [match]
    assert result.sessions["exercise_known"].tolist() == [True]
    (warning,) = messages(result, "exercise_near_miss")
    assert f"Exercise '{written}' is not in the exercise library; did you mean {name}?" in warning


@pytest.mark.parametrize("written", ["plank", "hip", "bridge", "hip flexor", "car"])
def test_other_words_are_not_guessed(run, written):
    result = run(f"Date,Exercise\n2026-11-02,{written}\n")
    assert result.sessions["exercise"].tolist() == [written]
    assert result.sessions["exercise_known"].tolist() == [False]
    assert "exercise_near_miss" not in codes(result)


def test_the_near_miss_threshold_both_ways():
    library = load_library()
    assert library.closest("hiprols") == "hip_rolls"  # one letter missing
    assert library.closest("hiproll") == "hip_rolls"  # an alias, exactly
    assert library.closest("hipxolx") is None  # two letters wrong
    assert library.closest("catstrech") == "cat_stretch"
    assert library.closest("plank") is None


# --- scales that are not 0-10 ----------------------------------------------------------------


def test_a_0_to_4_pain_column_is_refused_and_said_what_it_is(run):
    result = run("Date,Back pain (0-4)\n2026-11-02,3\n2026-11-03,1\n", name="PT-1_pain.csv")
    report = result.report
    assert (report.accepted, report.rejected) == (0, 2)
    (refusal,) = [i for i in report.issues if i.code == "not_pain_scale" and i.row is None]
    assert refusal.severity == "error"
    assert "is a 0-4 symptom severity scale, not a 0-10 pain score" in refusal.message
    assert all(p.endswith("row not imported") for p in result.rejected["problem"])


def test_mild_moderate_severe_is_refused(run):
    text = "Date,Pain\n2026-11-02,Mild\n2026-11-03,Severe\n2026-11-04,\n"
    result = run(text, name="PT-1_pain.csv")
    assert result.report.accepted == 0
    (refusal,) = [
        i.message for i in result.report.issues if i.code == "not_pain_scale" and i.row is None
    ]
    assert "a mild/moderate/severe symptom severity scale (words), not a 0-10 pain score" in refusal


def test_a_0_to_10_header_and_numbers_are_read(run):
    result = run("Date,Pain (0-10)\n2026-11-02,3\n", name="PT-1_pain.csv")
    assert result.pain["pain"].tolist() == [3.0]
    assert "not_pain_scale" not in codes(result)


def test_a_0_to_4_pain_before_keeps_the_sessions_without_it(run):
    result = run("Date,Exercise,Pain before (0-4)\n2026-11-02,Core,2\n")
    assert result.report.accepted == 1
    assert result.sessions["pain_before"].isna().all()
    kept = [i for i in result.report.issues if i.code == "not_pain_scale" and i.row == 2]
    assert kept[0].severity == "warning"
    assert kept[0].message.endswith("kept without this pain score")


# --- the report says what became of each row ---------------------------------------------


def test_a_row_with_too_many_fields_says_it_was_not_imported(run):
    result = run("Date,Pain\n2026-11-02,3,extra\n", name="PT-1_pain.csv")
    assert result.report.issues[0].message.endswith("row not imported.")


def test_options_reach_the_split_and_merge_in_import_file():
    data = GOOGLE_FORM.encode()
    result = import_file("x.csv", data, ImportOptions(mapping=FORM_MAPPING))
    assert result.report.sessions == len(result.sessions) == 7
