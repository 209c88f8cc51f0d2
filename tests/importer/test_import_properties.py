"""Property tests: the importer never raises, and no input row goes unaccounted for."""

import csv
import io
import json
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rehab.importer import ImportOptions, import_file

# max(): `make fuzz` (HYPOTHESIS_PROFILE=fuzz, tests/importer/conftest.py) runs 10,000.
SETTINGS = settings(
    max_examples=max(150, settings().max_examples),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

CSV_PIECES = [
    b",",
    b";",
    b"\t",
    b"\n",
    b"\r\n",
    b"\r",
    b'"',
    b" ",
    b"Date",
    b"date",
    b"Pain",
    b"Exercise",
    b"Reps",
    b"patient_id",
    b"2026-09-01",
    b"01/02/2026",
    b"13/02/2026",
    b"31.04.2026",
    b"Core",
    b"Plank",
    b"3",
    b"4,5",
    b"11",
    b"NA",
    b"yes",
    b"\xff",
    b"\xe9",
    b"\x00",
    b"\xef\xbb\xbf",
    b"PK\x03\x04",
]


def check_invariants(result):
    report = result.report
    assert report.rows == report.accepted + report.rejected + report.duplicates
    # Set rows collapse and listed exercises split: the report then counts the sessions.
    sessions = report.accepted if report.sessions is None else report.sessions
    assert len(result.sessions) + len(result.pain) == sessions
    assert len(result.rejected) == report.rejected
    if not report.usable:
        assert report.rows == 0
        assert any(issue.severity == "error" and issue.row is None for issue in report.issues)
    json.dumps(report.model_dump(mode="json"))


@SETTINGS
@given(st.binary(max_size=3000))
def test_any_bytes_never_raise(data):
    check_invariants(import_file("any.csv", data))


@SETTINGS
@given(st.lists(st.sampled_from(CSV_PIECES), max_size=80), st.sampled_from(["auto", "dmy", "mdy"]))
def test_csv_like_bytes_never_raise(pieces, order):
    check_invariants(import_file("x_pain.csv", b"".join(pieces), ImportOptions(date_order=order)))


# --- generated session logs with known corruptions ------------------------------------

NOTE_TEXT = st.text(alphabet="abc xyzé,;\"'\n\t-=", max_size=12)
CLEAN_DATES = st.sampled_from(["2026-09-01", "2026-9-2", "03.09.2026", "14/09/2026", "2026-09-05T08:30"])
BAD_DATES = st.sampled_from(["2026-02-30", "soon", "", "31.04.2026", "32/01/2026"])
CLEAN_SCORES = st.sampled_from(["", "0", "3", "4,5", "10", "7.5"])
BAD_SCORES = st.sampled_from(["11", "-2", "ten", "4/10"])
EXERCISES = st.sampled_from(["Core", "Back Extension", "cat-camel", "knee rolls", "Plank", "NA"])


@st.composite
def session_rows(draw):
    corruption = draw(st.sampled_from(["none", "none", "none", "date", "score", "extra", "exercise"]))
    row = [
        draw(st.sampled_from(["PT-1", "NA", "PT-2", ""])),
        draw(BAD_DATES if corruption == "date" else CLEAN_DATES),
        draw(EXERCISES) if corruption != "exercise" else "",
        draw(BAD_SCORES if corruption == "score" else CLEAN_SCORES),
        draw(CLEAN_SCORES),
        draw(NOTE_TEXT),
    ]
    if corruption == "extra":
        row.append(draw(st.sampled_from(["x", "oops"])))
    return row, corruption == "none"


@st.composite
def session_logs(draw):
    rows = draw(st.lists(session_rows(), min_size=1, max_size=25))
    for _ in range(draw(st.integers(0, 3))):
        rows.append(draw(st.sampled_from(rows)))  # exact duplicates, e.g. a double export
    return {
        "rows": rows,
        "delimiter": draw(st.sampled_from([",", ";", "\t"])),
        "ending": draw(st.sampled_from(["\n", "\r\n"])),
        "encoding": draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"])),
        "blanks": draw(st.lists(st.booleans(), min_size=len(rows), max_size=len(rows))),
    }


def write_log(log):
    """Write the log; return its bytes and the spreadsheet row number of each data row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=log["delimiter"], lineterminator=log["ending"])
    writer.writerow(["Patient", "Date", "Exercise", "Pain before", "Pain after", "Notes"])
    numbers, row_number = [], 1
    for (cells, _), blank_before in zip(log["rows"], log["blanks"], strict=True):
        if blank_before:
            buffer.write(log["ending"])
            row_number += 1
        writer.writerow(cells)
        row_number += 1
        numbers.append(row_number)
    return buffer.getvalue().encode(log["encoding"]), numbers


@SETTINGS
@given(session_logs())
def test_every_generated_row_is_accepted_a_duplicate_or_named(log):
    data, numbers = write_log(log)
    result = import_file("PT-9_sessions.csv", data)
    check_invariants(result)
    report = result.report
    assert report.usable
    assert report.rows == len(numbers)
    accepted = set(result.sessions["source_row"].tolist())
    # One issue names many rows (issue 10): row_numbers() lists them.
    duplicate_rows = {n for i in report.issues if i.code == "duplicate_row" for n in i.row_numbers()}
    # Rows repeating an exercise at the same date-time are sets of one session (issue 8).
    set_rows = {n for i in report.issues if i.code == "set_row" for n in i.row_numbers()}
    error_rows = {n for i in report.issues if i.severity == "error" for n in i.row_numbers()}
    rejected = set(result.rejected["row"].tolist())
    assert rejected <= error_rows
    assert len(duplicate_rows) == report.duplicates
    seen = {}
    for (cells, clean), number in zip(log["rows"], numbers, strict=True):
        assert number in accepted | duplicate_rows | rejected | set_rows
        key = tuple(cells)
        if number in duplicate_rows:
            assert key in seen  # only a true repeat of an earlier row is a duplicate
        elif clean:
            assert number in accepted | set_rows
        seen.setdefault(key, number)


# --- the same log in other shapes: mapped headers, long files, an app preset (issue 8) -----

PAIN_DAYS = st.lists(
    st.tuples(st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)), st.integers(0, 10)),
    min_size=1,
    max_size=20,
    unique_by=lambda entry: entry[0],
)
OTHER_SERIES = st.lists(
    st.tuples(st.sampled_from(["Steps", "Mood", "Sleep hours"]), st.integers(0, 20000)), max_size=20
)
KEEP = ["patient_id", "date", "pain"]


def _canonical(result):
    return result.pain[KEEP].sort_values(["date", "pain"]).reset_index(drop=True)


def _own_format(entries):
    lines = ["Date,Pain"] + [f"{day.isoformat()},{pain}" for day, pain in entries]
    return import_file("PT-9_pain.csv", ("\n".join(lines) + "\n").encode())


@SETTINGS
@given(PAIN_DAYS, st.sampled_from(["How bad is your back pain right now?", "Q2 (0-10)", "Schmerz"]))
def test_a_mapped_question_header_gives_the_rows_of_our_own_format(entries, question):
    lines = [f"Timestamp,{question}"] + [f"{day.isoformat()}T12:00:00,{pain}" for day, pain in entries]
    data = ("\n".join(lines) + "\n").encode()
    mapped = import_file("PT-9_pain.csv", data, ImportOptions(mapping=((question, "pain"),)))
    check_invariants(mapped)
    assert _canonical(mapped).equals(_canonical(_own_format(entries)))


@SETTINGS
@given(PAIN_DAYS, OTHER_SERIES, st.randoms(use_true_random=False))
def test_a_long_file_gives_the_rows_of_our_own_format(entries, others, rng):
    records = [("Back pain", day.isoformat(), pain) for day, pain in entries]
    records += [(name, "2026-06-01", value) for name, value in others]
    rng.shuffle(records)
    lines = ["name,timestamp,value"] + [f"{name},{day},{value}" for name, day, value in records]
    data = ("\n".join(lines) + "\n").encode()
    long = import_file("PT-9_pain.csv", data, ImportOptions(series=(("back pain", "pain"),)))
    check_invariants(long)
    assert long.report.rows == len(entries)  # the other series are left out, and counted
    assert _canonical(long).equals(_canonical(_own_format(entries)))


SETS = st.lists(
    st.tuples(
        st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)),
        st.sampled_from(["Cat Cow", "Knee Rolls", "Back Extension"]),
        st.integers(1, 4),
    ),
    min_size=1,
    max_size=12,
    unique_by=lambda entry: (entry[0], entry[1]),
)


@SETTINGS
@given(SETS)
def test_a_strong_export_gives_one_session_per_exercise_like_our_own_format(performances):
    # Strong's export (jake-walker/workout-converter sample_data/strong.csv): a row per set.
    strong = [
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,"
        "Workout Notes,RPE"
    ]
    own = ["Date,Exercise,Reps"]
    for day, exercise, sets in performances:
        for number in range(1, sets + 1):
            when = f"{day.isoformat()} 8:05:00 am"
            strong.append(f'{when},"Rehab",20m,"{exercise}",{number},0,10,0,0,"","",')
        own.append(f"{day.isoformat()},{exercise},10")
    from_strong = import_file("PT-9_sessions.csv", ("\n".join(strong) + "\n").encode())
    from_own = import_file("PT-9_sessions.csv", ("\n".join(own) + "\n").encode())
    check_invariants(from_strong)
    columns = ["patient_id", "date", "exercise"]
    assert (from_strong.sessions[columns].sort_values(columns).reset_index(drop=True)).equals(
        from_own.sessions[columns].sort_values(columns).reset_index(drop=True)
    )
