"""Importing a measures log: scores, row numbers, bad answers, and the shared report contract.

The answers use the forms' own words: Keele STarT Back items 1-8 agree/disagree and item 9's
five words (Keele's 9-item tool: Not at all, Slightly, Moderately, Very much, Extremely),
Roland-Morris yes/no (Roland & Fairbank, Spine 2000), Oswestry sections 0-5 (Fairbank &
Pynsent, Spine 2000). The log's layout (one row per completed questionnaire) is rehab's.
"""

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rehab.importer import ImportOptions, import_file, import_files
from rehab.measures import MEASURE_DTYPES

HEADER = "patient_id,date,measure,version," + ",".join(f"item_{n}" for n in range(1, 11)) + ",score"


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def _imported(data: bytes, name: str = "measures.csv", **options):
    result = import_file(name, data, ImportOptions(**options))
    report = result.report
    assert report.rows == report.accepted + report.rejected + report.duplicates
    assert len(result.measures) == report.accepted
    assert len(result.rejected) == report.rejected
    assert result.sessions.empty
    assert result.pain.empty
    return result


def _issues(result):
    return {(issue.row, issue.column, issue.code) for issue in result.report.issues}


GOOD = _csv(
    "PT-1,2026-09-01,STarT Back,,agree,disagree,Agree,agree,agree,agree,disagree,agree,Very much,,",
    "PT-1,2026-09-01,odi,2.1a,3,2,2,1,2,2,1,1,1,1,",
    "PT-1,2026-09-29,Oswestry,2.1a,2,1,1,1,1,1,0,1,1,1,",
    "PT-2,2026-09-02,psfs,,4,5,6,,,,,,,,",
    "PT-2,2026-09-02,rmdq,,,,,,,,,,,,12",
    "PT-2,2026-09-03,pain,,6,,,,,,,,,,",
)


def test_a_clean_log_is_scored_row_by_row():
    result = _imported(GOOD)
    report = result.report
    assert (report.kind, report.rows, report.accepted, report.rejected) == ("measures", 6, 6, 0)
    assert report.patients == ["PT-1", "PT-2"]
    frame = result.measures
    assert {k: str(v) for k, v in frame.dtypes.items()} == MEASURE_DTYPES
    assert frame["measure"].tolist() == ["start_back", "odi", "odi", "psfs", "rmdq", "pain_nrs"]
    assert frame["score"].tolist() == [7.0, 32.0, 20.0, 5.0, 12.0, 6.0]
    assert frame["band"].tolist() == ["high", "", "", "", "", ""]
    assert frame["subscale"].iloc[0] == 4.0
    assert frame["version"].tolist()[:3] == ["", "2.1a", "2.1a"]
    assert frame["source_row"].tolist() == [2, 3, 4, 5, 6, 7]  # header = row 1
    assert frame["answers"].iloc[4] == "[]"  # a total, no answers
    assert frame["date"].iloc[2] == pd.Timestamp("2026-09-29")


def test_bad_rows_are_rejected_with_their_row_numbers():
    data = _csv(
        "PT-1,2026-09-01,oswestri,,1,1,1,1,1,1,1,1,1,1,",  # row 2: did you mean
        "PT-1,2026-09-01,odi,,1,1,7,1,1,1,1,1,1,1,",  # row 3: out of range
        "PT-1,2026-09-01,start_back,,agree,maybe,agree,agree,agree,agree,agree,agree,Slightly,,",
        "PT-1,2026-09-31,odi,,1,1,1,1,1,1,1,1,1,1,",  # row 5: no such day
        "PT-1,,odi,,1,1,1,1,1,1,1,1,1,1,",  # row 6: no date
        "PT-1,2026-09-02,,,1,1,1,1,1,1,1,1,1,1,",  # row 7: no measure
        "PT-1,2026-09-02,rmdq,,,,,,,,,,,,",  # row 8: nothing to score
        "PT-1,2026-09-02,start_back,,1,1,1,1,1,1,1,1,1,1,",  # row 9: item_10 on a 9-item form
        "PT-1,2026-09-03,odi,,1,1,1,1,1,1,1,1,1,1,",  # row 10: fine
    )
    result = _imported(data)
    assert (result.report.accepted, result.report.rejected) == (1, 8)
    found = _issues(result)
    for expected in [
        (2, "measure", "unknown_measure"),
        (3, "item_3", "out_of_range"),
        (4, "item_2", "invalid_answer"),
        (5, "date", "invalid_date"),
        (6, "date", "missing_value"),
        (7, "measure", "missing_value"),
        (8, "measure", "no_answers"),
        (9, "item_10", "extra_item"),
    ]:
        assert expected in found
    unknown = next(i for i in result.report.issues if i.code == "unknown_measure")
    assert "did you mean odi" in unknown.message
    assert unknown.message.endswith("row not imported")
    assert result.rejected["row"].tolist() == [2, 3, 4, 5, 6, 7, 8, 9]
    assert result.report.rejected_rows == "2-9"
    assert result.measures["source_row"].tolist() == [10]


def test_far_off_measure_gets_no_guess():
    result = _imported(_csv("PT-1,2026-09-01,SF-36,,1,,,,,,,,,,"))
    message = result.report.issues[0].message
    assert "does not score" in message
    assert "did you mean" not in message


def test_incomplete_forms_are_kept_with_a_warning():
    data = _csv(
        "PT-1,2026-09-01,odi,,3,2,2,1,2,2,1,,2,1,",
        "PT-1,2026-09-01,start_back,,agree,agree,agree,agree,agree,agree,agree,agree,,,",
    )
    result = _imported(data)
    assert result.report.accepted == 2
    frame = result.measures
    assert frame["score"].iloc[0] == pytest.approx(16 / 45 * 100)
    assert frame["complete"].tolist() == [False, False]
    assert pd.isna(frame["score"].iloc[1])  # STarT Back with item 9 missing: not scored
    assert {(2, "measure", "incomplete_form"), (3, "measure", "incomplete_form")} <= _issues(result)


def test_two_marks_in_an_oswestry_section_score_the_higher_with_a_warning():
    result = _imported(_csv('PT-1,2026-09-01,odi,,"2;3",2,2,1,2,2,1,1,1,1,'))
    assert result.measures["score"].iloc[0] == pytest.approx(32.0)
    assert (2, "item_1", "several_marks") in _issues(result)


def test_a_total_that_disagrees_with_the_answers_is_reported():
    result = _imported(_csv("PT-1,2026-09-01,odi,,3,2,2,1,2,2,1,1,1,1,30"))
    assert result.measures["score"].iloc[0] == 32.0
    assert (2, "score", "score_mismatch") in _issues(result)


def test_totals_out_of_range_are_rejected():
    result = _imported(_csv("PT-1,2026-09-01,rmdq,,,,,,,,,,,,25", "PT-1,2026-09-01,odi,,,,,,,,,,,,abc"))
    assert result.report.rejected == 2
    assert {(2, "score", "out_of_range"), (3, "score", "invalid_number")} <= _issues(result)


def test_repeated_rows_are_counted_once_within_and_across_files():
    row = "PT-1,2026-09-01,odi,,3,2,2,1,2,2,1,1,1,1,"
    result = _imported(_csv(row, row))
    assert (result.report.accepted, result.report.duplicates) == (1, 1)
    batch = import_files([("a.csv", _csv(row)), ("b.csv", _csv(row))])
    assert len(batch.measures) == 1
    assert batch.files[1].report.duplicates == 1
    assert batch.files[1].report.issues[0].code == "duplicate_across_files"


def test_semicolons_utf16_day_first_dates_and_patient_from_the_file_name():
    text = "Date;Questionnaire;Q1;Q2;Q3\n13.10.2026;PSFS;4;5,5;6\n"
    result = _imported(text.encode("utf-16"), name="PT-0102_measures.csv")
    assert result.report.kind == "measures"
    assert result.measures["patient_id"].tolist() == ["PT-0102"]
    assert result.measures["date"].tolist() == [pd.Timestamp("2026-10-13")]
    assert result.measures["score"].iloc[0] == pytest.approx((4 + 5.5 + 6) / 3)  # decimal comma


def test_no_date_column_makes_the_file_unusable():
    result = import_file("m.csv", b"patient_id,measure,item_1\nPT-1,pain,4\n")
    assert (result.report.usable, result.report.kind) == (False, "measures")
    assert result.report.issues[-1].code == "no_date_column"


def test_future_dates_are_kept_with_a_warning():
    result = _imported(_csv("PT-1,2026-12-01,pain,,4,,,,,,,,,,"), as_of="2026-11-20")
    assert result.report.accepted == 1
    assert (2, "date", "future_date") in _issues(result)


@pytest.mark.parametrize(
    "text",
    [
        "date,measure,value\n2026-09-01,Back pain,4\n",  # a tracker's long file, not a form
        "date,exercise,measure,score\n2026-09-01,Cat Stretch,reps,10\n",  # a session log
    ],
)
def test_files_of_the_other_kinds_keep_their_way_in(text):
    result = import_file("PT-1.csv", text.encode())
    assert result.report.kind != "measures"
    assert result.measures.empty


MEASURE_HEADER = b"patient_id,date,measure,version,item_1,item_2,item_3,item_9,score\n"
PIECES = [
    b",",
    b";",
    b"\n",
    b"\r\n",
    b'"',
    b" ",
    b"2026-09-01",
    b"31.04.2026",
    b"odi",
    b"STarT Back",
    b"rmdq",
    b"psfs",
    b"pain",
    b"oswestri",
    b"agree",
    b"Very much",
    b"yes",
    b"2;3",
    b"3",
    b"7",
    b"-1",
    b"4,5",
    b"NA",
    b"\xff",
    b"\x00",
]


@settings(
    max_examples=max(120, settings().max_examples),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(st.sampled_from(PIECES) | st.binary(max_size=4), max_size=60))
def test_never_raises_and_accounts_for_every_row(pieces):
    data = MEASURE_HEADER + b"".join(pieces)
    result = import_file("PT-9_measures.csv", data)
    report = result.report
    if not report.usable:
        return
    assert report.kind == "measures"
    assert report.rows == report.accepted + report.rejected + report.duplicates
    assert len(result.measures) == report.accepted
    assert len(result.rejected) == report.rejected
    reported = {row for issue in report.issues for row in issue.row_numbers()}
    # Every rejected row and every duplicate is named in the report with its row number.
    assert set(result.rejected["row"].tolist()) <= reported
    duplicates = {r for i in report.issues if i.code == "duplicate_row" for r in i.row_numbers()}
    assert len(duplicates) == report.duplicates
    accepted = set(result.measures["source_row"].tolist())
    assert len(accepted) == report.accepted
    assert not accepted & set(result.rejected["row"].tolist())
    assert not accepted & duplicates


ANSWER_WORDS = {
    "odi": [str(n) for n in range(6)] + ["", "1;4"],
    "rmdq": ["yes", "no", "1", "0", ""],
    "start_back": ["agree", "Disagree", "1", "0", ""],
    "psfs": [str(n) for n in range(11)] + ["", "7,5"],
    "pain_nrs": ["0", "4", "10", "6.5", ""],
}


@st.composite
def _forms(draw):
    measure = draw(st.sampled_from(sorted(ANSWER_WORDS)))
    items = {"odi": 10, "rmdq": 24, "start_back": 9, "psfs": 5, "pain_nrs": 1}[measure]
    answers = draw(st.lists(st.sampled_from(ANSWER_WORDS[measure]), min_size=items, max_size=items))
    if measure == "start_back":
        answers[8] = draw(
            st.sampled_from(["Not at all", "Slightly", "Moderately", "Very much", "Extremely", ""])
        )
    return measure, answers


@settings(max_examples=max(60, settings().max_examples), deadline=None)
@given(st.lists(_forms(), min_size=1, max_size=8), st.booleans())
def test_the_import_scores_every_row_as_score_response_does(forms, proportional):
    # The importer scores a column at a time; score_response, one form at a time, is the
    # reference (the published rules in rehab.measures.scoring).
    from rehab.measures import rescore, score_response
    from rehab.settings import RuleSettings

    header = "patient_id,date,measure," + ",".join(f"item_{n}" for n in range(1, 25))
    lines = [header]
    for index, (measure, answers) in enumerate(forms):
        cells = [f'"{a}"' for a in answers] + [""] * (24 - len(answers))
        lines.append(f"PT-{index},2026-09-01,{measure}," + ",".join(cells))
    result = import_file("m.csv", ("\n".join(lines) + "\n").encode())
    chosen = RuleSettings(rmdq_proportional=proportional, rmdq_min_answered=20)
    # As imported (the default settings), and scored again under a clinic's settings.
    for frame, rules in ((result.measures, RuleSettings()), (rescore(result.measures, chosen), chosen)):
        for row in frame.itertuples(index=False):
            measure, answers = forms[int(row.patient_id.split("-")[1])]
            expected = score_response(measure, answers, settings=rules)
            assert row.measure == measure
            assert row.complete == expected.complete
            assert row.band == expected.band
            assert row.score == pytest.approx(expected.score, nan_ok=True)
            assert row.subscale == pytest.approx(expected.subscale, nan_ok=True)
            assert row.answers == expected.answers_json.replace(" ", "")
    # Only rows with no answer at all are refused (nothing to score).
    assert result.report.rejected == sum(not any(a.strip() for a in answers) for _, answers in forms)
