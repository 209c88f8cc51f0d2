import numpy as np
import pytest

from rehab.importer.decode import decode_bytes
from rehab.importer.dialect import header_line, sniff_delimiter
from rehab.importer.parse import parse_exact, parse_fast

SESSION_HEADER = "Date,Exercise,Pain before,Pain after,Notes"


def issue_rows(result, code):
    return [issue.row for issue in result.report.issues if issue.code == code]


@pytest.mark.parametrize(
    ("line", "delimiter"),
    [
        ("Date,Exercise,Reps", ","),
        ("Date;Exercise;Reps", ";"),
        ("Date\tExercise\tReps", "\t"),
        ('"Hold, s";"Pain, before";Date', ";"),
        ('"a;b;c",Date,Exercise', ","),
        ("Date", ","),
    ],
)
def test_delimiter_is_sniffed_from_the_header_outside_quotes(line, delimiter):
    assert sniff_delimiter(line) == delimiter


def test_header_line_skips_leading_blank_lines():
    assert header_line(b"\r\n  \r\nDate;Pain\r\n1;2") == "Date;Pain"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_each_delimiter_gives_the_same_rows(run, delimiter):
    text = "\r\n".join(
        delimiter.join(cells)
        for cells in [
            ["Date", "Exercise", "Pain before", "Pain after"],
            ["2026-09-01", "Core", "4", "3"],
            ["2026-09-02", "Hip Rolls", "3", "3"],
        ]
    )
    result = run(text)
    assert result.report.accepted == 2
    assert result.sessions["exercise"].tolist() == ["core", "hip_rolls"]
    assert result.sessions["pain_after"].tolist() == [3.0, 3.0]


def test_semicolon_file_with_decimal_commas(run):
    result = run("Date;Exercise;Pain before;Pain after\n2026-09-01;Core;4,5;3,0\n")
    assert result.sessions["pain_before"].tolist() == [4.5]
    assert result.sessions["pain_after"].tolist() == [3.0]


def test_quoted_commas_quotes_and_newlines_stay_in_one_cell(run):
    text = (
        f"{SESSION_HEADER}\r\n"
        '2026-09-01,Core,4,3,"stiff, then ""fine""\r\nafter a walk"\r\n'
        "2026-09-02,Core,4,3,\r\n"
        "2026-09-03,Core,4,12,\r\n"
    )
    result = run(text)
    assert result.sessions["notes"].tolist()[0] == 'stiff, then "fine"\r\nafter a walk'
    # The quoted two-line note is one spreadsheet row: the rows after it are 3 and 4
    # (row 4's pain_after is dropped, an optional value, so the row still counts).
    assert result.sessions["source_row"].tolist() == [2, 3, 4]
    assert issue_rows(result, "out_of_range") == [4]


def test_blank_lines_are_not_rows_but_count_for_row_numbers(run):
    text = f"{SESSION_HEADER}\n2026-09-01,Core,4,3,\n\n   \n,,,,\n2026-09-02,Core,4,x,\n\n"
    result = run(text)
    assert result.report.rows == 2
    assert result.sessions["source_row"].tolist() == [2, 6]
    assert issue_rows(result, "not_a_number") == [6]


def test_too_many_fields_rejects_that_row_and_keeps_its_extra_values(run):
    text = f"{SESSION_HEADER}\n2026-09-01,Core,4,3,ok\n2026-09-02,Core,4,3,stiff,then fine\n"
    result = run(text)
    assert (result.report.accepted, result.report.rejected) == (1, 1)
    assert issue_rows(result, "too_many_fields") == [3]
    rejected = result.rejected
    assert rejected["row"].tolist() == [3]
    assert rejected["Notes"].tolist() == ["stiff"]
    assert rejected["extra_fields"].tolist() == ["then fine"]


def test_missing_trailing_optional_fields_and_stray_trailing_delimiters_are_fine(run):
    text = f"{SESSION_HEADER}\n2026-09-01,Core\n2026-09-02,Core,4,3,,,,\n"
    result = run(text)
    assert result.report.accepted == 2
    assert result.report.issues == []
    assert result.sessions["pain_before"].isna().tolist() == [True, False]


def test_crlf_lone_cr_and_lf_line_endings_read_alike(run):
    rows = [SESSION_HEADER, "2026-09-01,Core,4,3,a", "2026-09-02,Core,3,3,b"]
    for ending in ("\r\n", "\n", "\r"):
        result = run(ending.join(rows) + ending)
        assert result.sessions["notes"].tolist() == ["a", "b"]
        assert result.sessions["source_row"].tolist() == [2, 3]


def test_huge_cell_does_not_crash_and_is_kept(run):
    note = "x" * 1_200_000
    result = run(f'{SESSION_HEADER}\n2026-09-01,Core,4,3,"{note}"\n2026-09-02,Core,4,3,\n')
    assert result.report.accepted == 2
    assert len(result.sessions["notes"].iloc[0]) == len(note)


def test_huge_invalid_cell_is_cut_short_in_the_message(run):
    result = run(f"Date,Exercise,Reps\n2026-09-01,Core,{'9' * 5000}x\n")
    message = result.report.issues[0].message
    assert result.report.issues[0].code == "not_a_number"
    assert len(message) < 200


def test_header_only_file_has_no_rows(run):
    result = run(f"{SESSION_HEADER}\r\n")
    assert result.report.usable
    assert (result.report.rows, result.report.accepted) == (0, 0)


CLEAN = (
    "Date,Exercise,Reps,Notes\r\n"
    '2026-09-01,Core,10,"stiff, then fine"\r\n'
    "2026-09-02,Cat Stretch,, NA \r\n"
    '2026-09-03,"Hip ""Rolls""",8,\r\n'
)


@pytest.mark.parametrize("text", [CLEAN, CLEAN.replace("\r\n", "\n"), CLEAN.rstrip("\r\n")])
def test_fast_and_exact_parsers_agree_on_clean_input(text):
    decoded = decode_bytes(text.encode())
    fast = parse_fast(decoded.utf8, ",")
    exact = parse_exact(decoded.text(), ",")
    assert fast is not None
    assert fast.parser == "fast"
    assert fast.header == exact.header
    assert np.array_equal(fast.rows, exact.rows)
    assert [c.to_pylist() for c in fast.columns] == [c.to_pylist() for c in exact.columns]
    assert exact.columns[3].to_pylist() == ["stiff, then fine", " NA ", ""]


@pytest.mark.parametrize(
    "text",
    [
        "Date,Exercise\n2026-09-01,Core\n\n2026-09-02,Core\n",
        'Date,Exercise,Notes\n2026-09-01,Core,"two\nlines"\n',
        "Date,Exercise\n2026-09-01,Core,extra\n",
        "Date,Exercise\n2026-09-01\n",
    ],
    ids=["blank-line", "quoted-newline", "too-long", "too-short"],
)
def test_fast_parser_steps_aside_when_it_cannot_number_rows_exactly(text):
    assert parse_fast(text.encode(), ",") is None


def test_exact_parser_numbers_rows_like_a_spreadsheet():
    # row 1 blank, row 2 header, row 3 a two-line note, row 4 blank, row 5 data
    table = parse_exact('\nDate,Notes\n"a\nb",x\n\n2026,y\n', ",")
    assert table.header == ("Date", "Notes")
    assert table.rows.tolist() == [3, 5]
