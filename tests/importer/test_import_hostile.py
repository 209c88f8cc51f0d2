"""Hostile and huge inputs (issue 10): bounded report size, linear headers, upload limits.

The files are small versions of the audit's pathological inputs; each test fails on the
code before its fix (one issue object per row, a cubic header loop, limits per archive).
Speed is never asserted: what is asserted is the shape that makes the cost bounded.
"""

from __future__ import annotations

import pytest

from rehab.archive import ArchiveLimits, expand_uploads
from rehab.importer import ImportOptions, import_file, import_files
from rehab.importer import limits as upload_limits
from rehab.importer.frames import _unique_names
from rehab.importer.issuelog import ISSUES_PER_KIND, IssueLog, row_ranges

PAIN = "Date,Pain\n"


def test_a_row_repeated_many_times_is_one_issue_naming_all_copies(run):
    result = run(PAIN + "2026-09-01,4\n" * 20_000, name="PT-1_pain.csv")
    report = result.report
    assert (report.accepted, report.duplicates) == (1, 19_999)
    (issue,) = report.issues
    assert (issue.code, issue.row, issue.rows, issue.count) == ("duplicate_row", 3, "3-20001", 19_999)
    assert issue.message.startswith("Repeats row 2 exactly")


def test_every_cell_invalid_is_capped_in_the_report_and_complete_in_the_download(run):
    rows = 3 * ISSUES_PER_KIND
    text = PAIN + "".join(f"2026-09-01,bad{i}\n" for i in range(rows))
    result = run(text, name="PT-1_pain.csv")
    report = result.report
    bad = [i for i in report.issues if i.column == "pain"]
    # The first ISSUES_PER_KIND are listed, one closing issue counts and names the rest.
    assert len(bad) == ISSUES_PER_KIND + 1
    closing = bad[-1]
    assert closing.count == rows - ISSUES_PER_KIND
    assert closing.rows == f"{ISSUES_PER_KIND + 2}-{rows + 1}"
    assert f"And {rows - ISSUES_PER_KIND:,} more like the ones above" in closing.message
    assert report.issues_cut == rows - ISSUES_PER_KIND
    # Every rejected row is still named (ranges in the JSON) and in the download.
    assert report.rejected_rows == f"2-{rows + 1}"
    assert result.rejected["row"].tolist() == list(range(2, rows + 2))
    assert result.rejected["problem"].str.contains("row not imported").all()


def test_issue_rows_are_ranges_and_row_numbers_expand_them():
    log = IssueLog(per_kind=5)
    log.add_rows(
        __import__("numpy").array([2, 3, 4, 9, 11, 12]), "x", "warning", "same text", column="pain"
    )
    (issue,) = log.issues()
    assert (issue.row, issue.rows, issue.count) == (2, "2-4, 9, 11-12", 6)
    assert issue.row_numbers() == [2, 3, 4, 9, 11, 12]


def test_row_ranges_say_how_many_more_past_the_limit():
    import numpy as np

    assert row_ranges(np.array([1, 3, 5, 7]), 2) == "1, 3 and 2 more rows"
    assert row_ranges(np.array([2, 1_000_001]), grouped=True) == "2, 1,000,001"


def test_errors_of_one_row_are_joined_for_the_download():
    import numpy as np

    log = IssueLog()
    log.add_rows(np.array([2, 3]), "a", "error", np.array(["first", "other"], dtype=object))
    log.add_rows(np.array([3]), "b", "error", "second")
    log.add_rows(np.array([3]), "c", "warning", "not an error")
    assert log.problems_by_row(np.array([3, 2, 7])).tolist() == ["other; second", "first", ""]


def test_repeated_headers_are_numbered_in_one_pass():
    # 'Pain (2)' is taken by the file itself: the repeat gets the next free number.
    assert _unique_names(("Pain", "Pain (2)", "Pain", "", "row", "Pain")) == [
        "Pain",
        "Pain (2)",
        "Pain (3)",
        "column 4",
        "row (2)",
        "Pain (4)",
    ]


def test_many_copies_of_one_header_are_refused_with_the_limit():
    header = ",".join(["Pain"] * 5_000)
    result = import_file("PT-1_pain.csv", f"Date,{header}\n2026-09-01,{'4,' * 4_999}4\n".encode())
    report = result.report
    assert not report.usable
    (issue,) = report.issues
    assert issue.code == "too_many_columns"
    assert "5,001 columns" in issue.message
    assert f"at most {upload_limits.MAX_COLUMNS}" in issue.message


def test_a_file_just_under_the_column_limit_is_read(run):
    width = upload_limits.MAX_COLUMNS - 1
    header = ",".join(["Pain"] * width)
    result = run(f"Date,{header}\n2026-09-01,{'4,' * (width - 1)}4\n", name="PT-1_pain.csv")
    assert result.report.accepted == 1


def test_patients_are_limited_per_upload_not_per_file(monkeypatch):
    monkeypatch.setattr(upload_limits, "MAX_UPLOAD_PATIENTS", 3)
    first = b"patient_id,Date,Pain\nA,2026-09-01,4\nB,2026-09-01,4\n"
    second = b"patient_id,Date,Pain\nB,2026-09-02,4\nC,2026-09-02,4\n"
    third = b"patient_id,Date,Pain\nD,2026-09-02,4\n"
    batch = import_files([("one.csv", first), ("two.csv", second), ("three.csv", third)])
    reports = [f.report for f in batch.files]
    assert [r.usable for r in reports] == [True, True, False]
    (issue,) = reports[2].issues
    assert issue.code == "upload_too_many_patients"
    assert "names 4 patients" in issue.message
    assert "up to 3" in issue.message
    assert "Split the upload" in issue.message
    assert sorted(batch.pain["patient_id"].unique()) == ["A", "B", "C"]


def test_rows_are_limited_per_upload(monkeypatch):
    monkeypatch.setattr(upload_limits, "MAX_UPLOAD_ROWS", 4)
    log = PAIN + "2026-09-01,4\n2026-09-02,4\n"
    batch = import_files([(f"PT-{i}_pain.csv", log.encode()) for i in range(3)])
    codes = [[i.code for i in f.report.issues] for f in batch.files]
    assert codes == [[], [], ["upload_too_many_rows"]]
    assert "more than 4 rows" in batch.files[2].report.issues[0].message
    assert batch.exit_code == 2


def test_unpacked_bytes_are_limited_per_upload_not_per_archive():
    files = [("a.csv", b"x" * 600), ("b.csv", b"y" * 600)]
    unpacked = expand_uploads(files, ArchiveLimits(max_total_bytes=1_000))
    assert [name for name, _ in unpacked.files] == ["a.csv"]
    assert "b.csv" in unpacked.notes[0]
    assert "upload the rest separately" in unpacked.notes[0]


# Two exports of one pain diary that overlap by a day, and the same file uploaded twice under
# two folders. Shape of Pain Tracker's CSV export (CrisisCore-Systems/pain-tracker,
# docs/user-guide/EXPORT_DATA.md: one row per entry with date, time, pain level, location,
# for a chosen date range, hence overlapping exports), with a patient column added.
HEAD = b"patient_id,Date,Time,Pain Level,Location\n"
WEEK1 = HEAD + b"PT-1,2026-09-01,08:00,4,Lower back\nPT-1,2026-09-02,08:10,5,Lower back\n"
WEEK2 = HEAD + b"PT-1,2026-09-02,08:10,5,Lower back\nPT-1,2026-09-03,07:55,3,Lower back\n"


def _honest(batch):
    for file in batch.files:
        report = file.report
        assert report.rows == report.accepted + report.rejected + report.duplicates


def test_rows_uploaded_twice_are_counted_once_and_reported():
    batch = import_files([("week1/PT-1_pain.csv", WEEK1), ("week2/PT-1_pain.csv", WEEK1)])
    _honest(batch)
    assert len(batch.pain) == 2
    second = batch.files[1].report
    assert (second.accepted, second.duplicates) == (0, 2)
    (issue,) = [i for i in second.issues if i.code == "duplicate_across_files"]
    assert (issue.rows, issue.count, issue.severity) == ("2-3", 2, "warning")
    assert "Already imported from week1/PT-1_pain.csv" in issue.message


def test_overlapping_exports_drop_only_the_shared_rows():
    batch = import_files([("w1.csv", WEEK1), ("w2.csv", WEEK2)], ImportOptions())
    _honest(batch)
    assert batch.pain["date"].dt.day.tolist() == [1, 2, 3]
    assert batch.pain["source_file"].tolist() == ["w1.csv", "w1.csv", "w2.csv"]
    second = batch.files[1].report
    (issue,) = [i for i in second.issues if i.code == "duplicate_across_files"]
    assert (second.accepted, second.duplicates, issue.row, issue.rows) == (1, 1, 2, None)


def test_the_same_day_with_another_value_is_not_a_duplicate():
    other = WEEK2.replace(b"08:10,5", b"08:10,6")
    batch = import_files([("w1.csv", WEEK1), ("w2.csv", other)])
    assert len(batch.pain) == 4
    assert all(f.report.duplicates == 0 for f in batch.files)


@pytest.mark.parametrize("count", [1, 2])
def test_a_single_file_has_no_cross_file_duplicates(count):
    batch = import_files([("w1.csv", WEEK1)] * count)
    assert len(batch.pain) == 2


@pytest.mark.parametrize(
    ("data", "count"),
    [
        (b"Date,Pain,Notes\n2026-09-01,4,stiff\x0bthen fine\n2026-09-02,5,\n", 1),
        (b"Date,Pain,Notes\n2026-09-01,4,a\x00b\n2026-09-02,5,\n", 1),
        (b"Date,Pain,Notes\r\n2026-09-01,4,\x00\x00\x1f\r\n2026-09-02,5,\r\n", 3),
    ],
    ids=["vertical-tab", "one-nul", "three"],
)
def test_a_few_control_characters_do_not_make_a_file_not_text(run, data, count):
    result = run(data, name="PT-1_pain.csv")
    report = result.report
    assert report.usable
    assert report.accepted == 2
    (issue,) = report.issues
    assert issue.code == "control_characters"
    assert issue.message.startswith(f"{count} control character")
    notes = result.pain["notes"].tolist()
    assert all("\x00" not in str(n) and "\x0b" not in str(n) for n in notes)


BIG = "x" * 1_000_000


@pytest.mark.parametrize(
    "text",
    [
        f"Date,Pain,{BIG}\n2026-09-01,4,1\n",
        f"Date,{BIG}\n2026-09-01,4\n",
        f"Date,Pain\n2026-09-01,{BIG}\n",
        f"Date,Pain\n{BIG},4\n",
        f"Date,Exercise\n2026-09-01,{BIG}\n",
    ],
    ids=["unknown-header", "no-kind", "cell", "date", "exercise"],
)
def test_a_huge_value_is_cut_in_every_message(text):
    report = import_file("PT-1_pain.csv", text.encode()).report
    assert report.issues
    for issue in report.issues:
        assert len(issue.message) < 400
        if "xxxx" in issue.message:
            assert "…" in issue.message


def test_invisible_characters_in_ids_do_not_make_look_alike_patients(run):
    text = (
        "patient_id,Date,Pain\n"
        "PT-1,2026-09-01,4\n"
        "PT\u200b-1,2026-09-02,5\n"
        "\u2060PT-1\u200e,2026-09-03,5\n"
        "PT-2,2026-09-03,5\n"
    )
    result = run(text, name="clinic_pain.csv")
    assert result.pain["patient_id"].tolist() == ["PT-1", "PT-1", "PT-1", "PT-2"]
    assert result.report.patients == ["PT-1", "PT-2"]
    (issue,) = [i for i in result.report.issues if i.code == "invisible_characters"]
    assert (issue.row, issue.severity, issue.column) == (3, "warning", "patient_id")
    assert "rows 3 and 4" in issue.message


def test_an_invalid_time_inside_a_date_time_is_reported_and_the_day_kept(run):
    text = "Date,Pain\n2026-09-01 25:61,4\n2026-09-02 07:30,5\n"
    result = run(text, name="PT-1_pain.csv")
    assert result.report.accepted == 2
    assert result.pain["time"].tolist()[1] == "07:30"
    assert result.pain["time"].isna().tolist()[0]
    (issue,) = result.report.issues
    assert (issue.code, issue.row, issue.column) == ("invalid_time", 2, "time")
    assert "'2026-09-01 25:61'" in issue.message
    assert issue.message.endswith("kept without this time.")


def test_an_out_of_range_year_says_so(run):
    result = run("Date,Pain\n0026-09-01,4\n2026-09-01,4\n", name="PT-1_pain.csv")
    (issue,) = result.report.issues
    assert (issue.code, issue.row) == ("invalid_date", 2)
    assert "year is outside 1900-2200" in issue.message
    assert issue.message.endswith("row not imported")


def test_past_a_thousand_distinct_bad_values_messages_stop_quoting_them(run):
    text = PAIN + "".join(f"2026-09-01,bad{i}\n" for i in range(1_200))
    result = run(text, name="PT-1_pain.csv")
    problems = result.rejected["problem"].tolist()
    assert "'bad0'" in problems[0]
    # The rejected-rows file still holds the value next to its message.
    assert problems[-1].startswith("pain is this row's value")
    assert result.rejected["Pain"].tolist()[-1] == "bad1199"
    assert len(set(problems[1_000:])) == 1
