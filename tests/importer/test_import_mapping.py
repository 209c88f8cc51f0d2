"""Column mapping, long files and app presets (rehab.importer.mapping, rehab.importer.presets).

Test files are written in the exact shape of the real exports; each names where the shape
was checked.
"""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING

import pandas as pd
import pytest

from rehab.importer import ImportOptions, import_file, import_files
from rehab.importer.mapping import canonical_columns, header_fingerprint, parse_assignment
from rehab.importer.presets import PRESETS, match_preset

if TYPE_CHECKING:
    from .conftest import Importer

# Google Forms response sheet, downloaded as CSV: "Timestamp" first, then one column per
# question, titled with the question (see GeckoRobotics/gecko-sustainability
# components/Form.tsx for a response sheet's rows; SpamMusubi153/AwardPicker docs/README.md
# for the M/D/YYYY H:MM:SS timestamp of the CSV download).
FORM = (
    "Timestamp,What is your patient code?,How bad is your back pain right now?,Anything else?\n"
    "10/1/2026 8:05:14,PT-0107,4,stiff\n"
    "10/2/2026 8:11:02,PT-0107,3,\n"
    "10/13/2026 20:40:55,PT-0107,2,better\n"
)
FORM_MAP = (
    ("How bad is your back pain right now?", "pain"),
    ("What is your patient code?", "patient_id"),
    ("Anything else?", "notes"),
)


def _codes(result) -> list[str]:
    return [issue.code for issue in result.report.issues]


def test_a_form_with_question_headers_is_not_a_log_until_mapped(run: Importer) -> None:
    unmapped = run(FORM, name="responses.csv")
    assert not unmapped.report.usable
    assert _codes(unmapped) == ["form_responses", "unknown_kind"]
    assert "--map" in unmapped.report.issues[0].message

    mapped = run(FORM, name="responses.csv", mapping=FORM_MAP)
    assert mapped.report.accepted == 3
    assert mapped.pain["pain"].tolist() == [4, 3, 2]
    assert mapped.pain["patient_id"].unique().tolist() == ["PT-0107"]
    assert mapped.pain["notes"].tolist()[::2] == ["stiff", "better"]
    days = pd.to_datetime(["2026-10-01", "2026-10-02", "2026-10-13"])
    assert mapped.pain["date"].tolist() == list(days)
    note = next(i for i in mapped.report.issues if i.code == "column_mapping")
    assert "'How bad is your back pain right now?' as pain" in note.message


def test_mapping_matches_headers_case_and_punctuation_blind(run: Importer) -> None:
    lower = (("how bad is your back pain right now", "pain"),)
    result = run(FORM, name="PT-0107_pain.csv", mapping=lower)
    assert result.report.accepted == 3
    # The unmapped questions are still named in the report, not silently dropped.
    assert sum(i.code == "unknown_column" for i in result.report.issues) == 2


def test_a_remembered_mapping_applies_only_to_files_with_the_same_header(run: Importer) -> None:
    header = tuple(FORM.splitlines()[0].split(","))
    remembered = ((header_fingerprint(header), FORM_MAP),)
    same = run(FORM, name="responses.csv", header_mappings=remembered)
    assert same.report.accepted == 3
    other = FORM.replace("Anything else?", "Comments?", 1)
    different = run(other, name="responses.csv", header_mappings=remembered)
    assert not different.report.usable


def test_rejected_rows_keep_the_headers_as_written(run: Importer) -> None:
    bad = FORM + "10/14/2026 9:00:00,PT-0107,12,\n"
    result = run(bad, name="responses.csv", mapping=FORM_MAP)
    assert result.report.rejected == 1
    assert "How bad is your back pain right now?" in result.rejected.columns
    assert result.rejected["How bad is your back pain right now?"].tolist() == ["12"]


def test_parse_assignment_splits_at_the_last_equals_and_checks_the_column() -> None:
    assert parse_assignment("Pain (0=none, 10=worst)=pain") == ("Pain (0=none, 10=worst)", "pain")
    with pytest.raises(ValueError, match="not a column"):
        parse_assignment("Score=painn")
    with pytest.raises(ValueError, match="TEXT=column"):
        parse_assignment("Score")
    assert {"pain", "exercise", "date", "patient_id"} <= set(canonical_columns())


# A long export, as Apple Health converters write it: one row per record with its type,
# start date and value (nwalablessing/streamlit-health-monitor convert_health_data.py:
# type, value, unit, start_date); here with a pain series logged by hand. "start_date" is
# not a date header rehab knows, so these files also need --map start_date=date.
LONG = (
    "type,value,unit,start_date\n"
    "StepCount,5012,count,2026-10-01 08:00:00 +0200\n"
    "Lower back pain,4,,2026-10-01 08:05:00 +0200\n"
    "HeartRate,61,count/min,2026-10-01 08:06:00 +0200\n"
    "Lower back pain,3,,2026-10-02 08:01:00 +0200\n"
)
START = (("start_date", "date"),)


def test_a_long_file_reads_the_rows_of_the_named_series(run: Importer) -> None:
    result = run(LONG, name="PT-0107_health.csv", series=(("Lower back pain", "pain"),), mapping=START)
    assert result.report.accepted == 2
    assert result.pain["pain"].tolist() == [4, 3]
    assert result.pain["source_row"].tolist() == [3, 5]  # rows as the spreadsheet shows them
    note = next(i.message for i in result.report.issues if "long file" in i.message)
    assert "2 rows of Lower back pain were read as pain" in note
    assert "2 rows of other series were left out: HeartRate (1), StepCount (1)" in note
    # The series column is explained by the note, not reported as an unknown column.
    assert not any("'type'" in i.message for i in result.report.issues if i.code == "unknown_column")


def test_a_long_file_without_a_mapped_series_says_which_series_it_found(run: Importer) -> None:
    result = run(LONG, name="PT-0107_health.csv", long_format=True, mapping=START)
    assert not result.report.usable
    mapped, issue = result.report.issues
    assert mapped.message == "Columns read by your mapping: 'start_date' as date."
    assert issue.code == "no_series"
    assert "StepCount" in issue.message
    assert "--series" in issue.message


def test_a_long_file_finds_a_pain_series_by_its_name(run: Importer) -> None:
    text = LONG.replace("Lower back pain", "Back pain")
    result = run(text, name="PT-0107_health.csv", long_format=True, mapping=START)
    assert result.report.accepted == 2


def test_long_columns_can_be_named_and_must_exist(run: Importer) -> None:
    text = LONG.replace("type,value", "kind,reading")
    named = run(
        text,
        name="PT-1.csv",
        long_columns=("kind", "reading"),
        series=(("lower back pain", "pain"),),
        mapping=START,
    )
    assert named.report.accepted == 2
    wrong = run(text, name="PT-1.csv", long_columns=("kind", "amount"), series=(("x", "pain"),))
    assert _codes(wrong) == ["long_columns"]
    assert "'amount'" in wrong.report.issues[0].message


def test_a_malformed_row_of_a_left_out_series_is_still_reported(run: Importer) -> None:
    text = LONG + "StepCount,1,count,2026-10-03 08:00:00 +0200,oops\n"
    result = run(text, name="PT-1.csv", series=(("Lower back pain", "pain"),), mapping=START)
    assert result.report.rejected == 1
    assert result.rejected["row"].tolist() == [6]


def test_series_mapped_to_two_columns_is_refused_with_the_reason(run: Importer) -> None:
    text = LONG.replace("HeartRate", "Flare")
    result = run(text, name="PT-1.csv", series=(("Lower back pain", "pain"), ("Flare", "flare")))
    assert _codes(result) == ["long_targets"]


# --- presets ---------------------------------------------------------------------------

# Strong's current export: jake-walker/workout-converter, sample_data/strong.csv (comma,
# a Duration column, "2025-01-30 12:34:56 pm" dates, quoted names, empty RPE).
STRONG = (
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,"
    "Workout Notes,RPE\n"
    '2026-10-01 8:05:00 am,"Back rehab",20m,"Cat Cow",1,0,10,0,0,"","",\n'
    '2026-10-01 8:05:00 am,"Back rehab",20m,"Cat Cow",2,0,10,0,0,"","",\n'
    '2026-10-01 8:05:00 am,"Back rehab",20m,"Knee Rolls",1,0,12,0,0,"easy","",\n'
)
# Strong's older export: mtanzim/vis-strong-go README (semicolons, unit columns).
STRONG_OLD = (
    "Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;"
    "Distance Unit;Seconds;Notes;Workout Notes\n"
    '2026-10-02 12:31:54;"Rehab";"Cat Cow";1;0;kg;10;;;;0;"";""\n'
    '2026-10-02 12:31:54;"Rehab";"Cat Cow";2;0;kg;10;;;;0;;\n'
)
# Hevy: jake-walker/workout-converter test/sample_data/hevy.csv (kg variant, every header
# quoted, set_index from 0, empty superset_id unquoted).
HEVY = (
    '"title","start_time","end_time","description","exercise_title","superset_id",'
    '"exercise_notes","set_index","set_type","weight_kg","reps","distance_km",'
    '"duration_seconds","rpe"\n'
    '"Back rehab","1 Oct 2026, 08:05","1 Oct 2026, 08:25","gentle day","Cat Cow",,"",0,"normal",,10,,,\n'
    '"Back rehab","1 Oct 2026, 08:05","1 Oct 2026, 08:25","gentle day","Cat Cow",,"",1,"normal",,10,,,\n'
)
# Symptom Shark (MyDataHelps support: "Symptom Shark Symptom Logs Export Format"): one row
# per symptom and day; severity 1-10 or Mild/Moderate/Severe.
SYMPTOM_SHARK = (
    "ParticipantID,ParticipantIdentifier,Date,Symptom,Severity\n"
    "ba9c19c4-9938-420f-aba6-d6d6c88c6417,MDH-5826-3273,2026-10-01,Dry eye,\n"
    "ba9c19c4-9938-420f-aba6-d6d6c88c6417,MDH-5826-3273,2026-10-01,Back pain,6\n"
    "ba9c19c4-9938-420f-aba6-d6d6c88c6417,MDH-5826-3273,2026-10-02,Back pain,4\n"
    "820c2f2d-43fc-47d2-a6a9-08886f5818ba,MDH-6392-8549,2026-10-02,Back pain,Moderate\n"
)


def _preset_note(result) -> str:
    return next(i.message for i in result.report.issues if i.code == "column_mapping")


@pytest.mark.parametrize(
    ("text", "app", "performances"),
    [(STRONG, "Strong", 2), (STRONG_OLD, "Strong", 1), (HEVY, "Hevy", 1)],
)
def test_workout_app_exports_are_read_with_their_preset(
    run: Importer, text: str, app: str, performances: int
) -> None:
    result = run(text, name="PT-0107_workouts.csv")
    assert result.report.kind == "sessions"
    assert _preset_note(result).startswith(f"Read as a {app} export (preset")
    # A row per set: the sets of one exercise in one workout are one session.
    assert len(result.sessions) == performances
    assert result.sessions["sets"].max() == 2
    sessions = result.sessions
    # Exercise names of the apps go through the library's matching: Cat Cow is Cat Stretch.
    assert "cat_stretch" in set(sessions["exercise"])
    assert sessions["exercise_known"].all()
    assert (sessions["date"].dt.strftime("%Y-%m-%d") >= "2026-10-01").all()
    # The app's unused columns are named once in the note, not one warning each.
    assert not [i for i in result.report.issues if i.code == "unknown_column" and "Weight" in i.message]


def test_hevy_workout_description_is_not_read_as_the_session_notes(run: Importer) -> None:
    result = run(HEVY, name="PT-0107_workouts.csv")
    assert "gentle day" not in set(result.sessions["notes"].dropna())
    assert "'description'" in _preset_note(result)


def test_symptom_shark_reads_back_pain_and_refuses_word_severities(run: Importer) -> None:
    result = run(SYMPTOM_SHARK, name="symptoms.csv")
    assert result.report.kind == "pain"
    assert _preset_note(result).startswith("Read as a Symptom Shark (MyDataHelps) export")
    assert result.pain["pain"].tolist() == [6, 4]
    assert result.pain["patient_id"].unique().tolist() == ["MDH-5826-3273"]
    assert result.report.rejected == 1  # "Moderate" is not a 0-10 score
    assert result.rejected["Severity"].tolist() == ["Moderate"]


def test_a_preset_needs_the_exact_header() -> None:
    strong = PRESETS[0]
    assert match_preset(strong.headers[0]) is strong
    assert match_preset(("\ufeffDate", *strong.headers[0][1:])) is strong
    assert match_preset(strong.headers[0][:-1]) is None
    assert match_preset((*strong.headers[0], "Extra")) is None


def test_every_preset_maps_only_to_canonical_columns_and_its_example_imports() -> None:
    for preset in PRESETS:
        targets = {column for _, column in preset.columns}
        assert targets <= set(canonical_columns()) | {"set_number"}, preset.name
        header = next(csv.reader([preset.example[0]]))
        assert match_preset(tuple(header)) is preset
        example = "\n".join(preset.example).encode() + b"\n"
        result = import_file(f"PT-1_{preset.name}.csv", example, ImportOptions())
        assert result.report.accepted == 1, preset.name


def test_hevy_dates_are_read_in_the_apps_format_and_others_are_left_to_the_date_check(
    run: Importer,
) -> None:
    result = run(HEVY, name="PT-0107_workouts.csv")
    assert set(result.sessions["date"].dt.strftime("%Y-%m-%d")) == {"2026-10-01"}
    odd = HEVY.replace('"1 Oct 2026, 08:05"', '"Okt 1 2026"', 1)
    rejected = run(odd, name="PT-0107_workouts.csv")
    assert rejected.report.rejected == 1
    assert rejected.rejected["start_time"].tolist() == ["Okt 1 2026"]


# Bearable's export: long, one row per entry. Columns as read by rhermanek/bearable_viewer
# (analyzer.py: "date formatted", "category", "rating/amount", "detail") and an open-source
# Bearable normaliser (date, date formatted, weekday, time of day, category, rating/amount,
# detail, notes); symptom details carry their level ("Brain fog (Mild)"). Scales from
# Bearable support, "What are all the different scales used in Bearable?": symptoms 0-4,
# mood and energy 1-10, health measurements custom (a 0-10 pain scale among them).
BEARABLE = (
    "date,date formatted,weekday,time of day,category,rating/amount,detail,notes\n"
    "2026-10-01,2026-10-01,Thursday,am,Symptom,3,Back pain (Severe),\n"
    "2026-10-01,2026-10-01,Thursday,am,Health measurements,7,Back pain,after gardening\n"
    "2026-10-01,2026-10-01,Thursday,pm,Health measurements,5200,Step count,\n"
    "2026-10-01,2026-10-01,Thursday,pm,Mood,6,,\n"
    "2026-10-02,2026-10-02,Friday,am,Symptom,2,Back pain (Moderate),\n"
    "2026-10-02,2026-10-02,Friday,am,Health measurements,5,Back pain,\n"
)


def test_bearable_reads_pain_measurements_and_never_a_0_to_4_symptom(run: Importer) -> None:
    result = run(BEARABLE, name="PT-0107_bearable.csv")
    assert result.report.kind == "pain"
    notes = [i.message for i in result.report.issues if i.code == "column_mapping"]
    assert notes[0].startswith("Read as a Bearable export (preset 'bearable')")
    assert result.pain["pain"].tolist() == [7, 5]
    assert result.pain["notes"].tolist()[0] == "after gardening"
    assert result.pain["source_row"].tolist() == [3, 7]
    scope = next(n for n in notes if n.startswith("Only the rows whose category"))
    assert "3 rows of other kinds were left out: Symptom (2), Mood (1)" in scope
    assert "0 (none) to 4 (unbearable)" in scope
    assert any("Step count (1)" in n for n in notes)


def test_bearable_symptoms_stay_out_even_when_mapped_by_name(run: Importer) -> None:
    mapped = (("Back pain (Severe)", "pain"), ("Back pain (Moderate)", "pain"), ("Back pain", "pain"))
    result = run(BEARABLE, name="PT-0107_bearable.csv", series=mapped)
    assert result.pain["pain"].tolist() == [7, 5]


def test_long_options_leave_the_other_logs_of_a_batch_alone() -> None:
    sessions = b"Date,Exercise\n2026-10-01,Cat Cow\n"
    options = ImportOptions(series=(("Lower back pain", "pain"),), mapping=START)
    batch = import_files([("PT-1_sessions.csv", sessions), ("PT-1_health.csv", LONG.encode())], options)
    assert [f.report.accepted for f in batch.files] == [1, 2]
    # A file that is neither long nor a log still says what --long missed.
    odd = import_file("PT-1.csv", b"when,what\n2026-10-01,x\n", options)
    assert [i.code for i in odd.report.issues] == ["long_columns"]


def test_a_long_layout_remembered_for_a_header_applies_to_that_header_only(run: Importer) -> None:
    header = tuple(LONG.splitlines()[0].split(","))
    layout = ((header_fingerprint(header), ("type", "value"), (("Lower back pain", "pain"),)),)
    remembered = run(LONG, name="PT-1.csv", header_long=layout, mapping=START)
    assert remembered.pain["pain"].tolist() == [4, 3]
    other = LONG.replace("unit,", "units,", 1)
    assert not run(other, name="PT-1.csv", header_long=layout, mapping=START).report.usable


def test_a_preset_file_without_a_pain_series_says_which_preset_was_tried(run: Importer) -> None:
    no_pain = SYMPTOM_SHARK.replace("Back pain", "Headache")
    result = run(no_pain, name="symptoms.csv")
    assert not result.report.usable
    assert [i.code for i in result.report.issues] == ["column_mapping", "no_series"]
    assert "Headache" in result.report.issues[1].message
