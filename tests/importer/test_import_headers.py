import pytest

from rehab.importer import patient_from_filename
from rehab.importer.headers import detect_kind


def issue_codes(result):
    return [(issue.code, issue.column) for issue in result.report.issues]


@pytest.mark.parametrize(
    ("header", "column", "value", "expected"),
    [
        ("Pain before", "pain_before", "4", 4.0),
        ("PAIN_BEFORE", "pain_before", "4", 4.0),
        ("Hold (s)", "hold_seconds", "15", 15.0),
        ("hold seconds", "hold_seconds", "15", 15.0),
        ("Reps", "reps", "10", 10.0),
        ("Patient ID", "patient_id", "PT-9", "PT-9"),
        ("Patient", "patient_id", "PT-9", "PT-9"),
        ("Time of day", "time", "08:30", "08:30"),
    ],
)
def test_session_header_aliases(run, header, column, value, expected):
    result = run(f"Day,Activity,{header}\n2026-09-01,Core,{value}\n")
    assert result.report.issues == []
    assert result.sessions[column].tolist() == [expected]


@pytest.mark.parametrize("header", ["Pain", "NRS", "Pain level", "pain (0-10)", "Pain score"])
def test_pain_header_aliases(run, header):
    result = run(f"Timestamp,{header}\n2026-09-01,6\n", name="PT-3_pain.csv")
    assert result.report.kind == "pain"
    assert result.pain["pain"].tolist() == [6.0]


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        (("Date", "Exercise", "Pain"), "sessions"),
        (("date", "Activity"), "sessions"),
        (("Date", "NRS", "Flare"), "pain"),
    ],
)
def test_kind_is_recognised_from_the_columns(header, kind):
    assert detect_kind(header) == kind


def test_unrecognised_kind_is_a_file_error(run):
    report = run("Date,Steps,Mood\n2026-09-01,1000,ok\n").report
    assert not report.usable
    assert report.kind is None
    assert [i.code for i in report.issues] == ["unknown_kind"]
    assert "'Steps'" in report.issues[0].message


def test_no_date_column_is_a_file_error(run):
    report = run("Exercise,Reps\nCore,10\n").report
    assert not report.usable
    assert report.kind == "sessions"
    assert [i.code for i in report.issues] == ["no_date_column"]


def test_duplicate_headers_warn_and_keep_the_first(run):
    result = run("Date,Exercise,Reps,reps,Day\n2026-09-01,Core,10,12,2026-01-01\n")
    assert result.sessions["reps"].tolist() == [10.0]
    assert result.sessions["date"].dt.day.tolist() == [1]
    assert result.sessions["date"].dt.month.tolist() == [9]
    assert issue_codes(result) == [("duplicate_column", "reps"), ("duplicate_column", "date")]
    assert all(i.severity == "warning" for i in result.report.issues)


def test_unknown_columns_warn_and_are_ignored(run):
    result = run("Date,Exercise,Mood\n2026-09-01,Core,happy\n")
    assert result.report.accepted == 1
    assert [(i.code, i.severity, i.row) for i in result.report.issues] == [
        ("unknown_column", "warning", None)
    ]
    assert "Mood" in result.report.issues[0].message
    assert "Mood" not in result.sessions.columns


def test_unnamed_empty_column_is_ignored_quietly_but_not_one_with_values(run):
    quiet = run("Date,Exercise,\n2026-09-01,Core,\n")
    assert quiet.report.issues == []
    loud = run("Date,Exercise,\n2026-09-01,Core,something\n")
    assert [i.code for i in loud.report.issues] == ["unknown_column"]


def test_file_without_patient_id_belongs_to_the_patient_named_by_the_file(run):
    result = run("Date,Exercise\n2026-09-01,Core\n", name="exports/PT-0101_sessions.csv")
    assert result.sessions["patient_id"].tolist() == ["PT-0101"]
    assert result.report.patients == ["PT-0101"]


def test_na_is_a_valid_patient_id_and_only_empty_cells_are_missing(run):
    text = (
        "Patient,Date,Exercise,Notes\nNA,2026-09-01,Core,NA\nnull,2026-09-01,Core,\n,2026-09-02,Core,-\n"
    )
    result = run(text, name="clinic_sessions.csv")
    frame = result.sessions
    assert frame["patient_id"].tolist() == ["NA", "null", "clinic"]
    assert frame["notes"].tolist()[0] == "NA"
    assert frame["notes"].isna().tolist() == [False, True, False]
    assert result.report.patients == ["NA", "clinic", "null"]
    missing = [i for i in result.report.issues if i.code == "missing_patient_id"]
    assert [(i.row, i.severity) for i in missing] == [(4, "warning")]


def test_a_file_may_hold_many_patients(run):
    text = "patient_id,date,pain\nA,2026-09-01,3\nB,2026-09-01,5\nA,2026-09-02,2\n"
    result = run(text, name="clinic_pain.csv")
    assert result.report.patients == ["A", "B"]
    assert result.pain["patient_id"].tolist() == ["A", "B", "A"]


@pytest.mark.parametrize(
    ("name", "patient"),
    [
        ("PT-0101_sessions.csv", "PT-0101"),
        ("PT-0101_pain.csv", "PT-0101"),
        ("C:\\exports\\Maria-sessions.CSV", "Maria"),
        ("uploads/jo smith pain.txt", "jo smith"),
        ("PT-0101.csv", "PT-0101"),
        ("sessions.csv", "sessions"),
    ],
)
def test_patient_from_filename(name, patient):
    assert patient_from_filename(name) == patient


_HEADERS = [
    ("Date", "Exercise", "Pain before"),
    ("Day", "Activity", "Mood", "Mood", "Colour"),  # unknown columns, said twice
    ("Date", "Pain", "Patient ID", "ID", "Name"),  # a more specific id wins
    ("ID", "Date", "Pain", "Patient ID"),  # ... also when it comes second
    ("Date", "Pain", "First name", "Surname"),  # people's names, no patient column
    ("Date", "Exercise", "Exercise", "", "Reps"),  # a repeat and an unnamed column
    ("Exercise", "Reps", "Notes"),  # no date column
    ("Colour", "Shape"),  # no kind at all
]


def _resolved(header, resolve):
    from rehab.importer.report import FileProblem, IssueLog

    issues = IssueLog()
    try:
        outcome = resolve(header, issues)
    except FileProblem as problem:
        outcome = (problem.code, problem.message, problem.kind)
    return outcome, issues.issues()


@pytest.mark.parametrize("header", _HEADERS)
def test_a_remembered_header_gives_the_map_issues_and_problem_of_a_first_matching(header):
    from rehab.importer import headers
    from rehab.importer.validate import checks_remembered, remembered_headers

    fresh = _resolved(header, headers._resolve_headers)
    with checks_remembered():
        assert _resolved(header, headers.resolve_headers) == fresh  # matched, then remembered
        assert header in remembered_headers()
        assert _resolved(header, headers.resolve_headers) == fresh  # from memory


def test_headers_are_remembered_for_one_upload_only():
    from rehab.importer.headers import resolve_headers
    from rehab.importer.report import FileProblem, IssueLog
    from rehab.importer.validate import checks_remembered, remembered_headers

    # A file without a header row has a row of data in its place: nothing outlives the upload.
    data_row = ("2026-09-01", "Jane Doe", "Pain 7")
    with pytest.raises(FileProblem):
        resolve_headers(data_row, IssueLog())  # no upload: nothing kept
    with checks_remembered():
        assert remembered_headers() == {}
        with pytest.raises(FileProblem):
            resolve_headers(data_row, IssueLog())
        assert list(remembered_headers()) == [data_row]
    assert remembered_headers() is None
    with checks_remembered():
        assert remembered_headers() == {}


def test_changing_a_returned_map_never_reaches_the_next_file_with_that_header():
    from rehab.importer.headers import resolve_headers
    from rehab.importer.report import IssueLog
    from rehab.importer.validate import checks_remembered

    header = ("Date", "Exercise", "Reps")
    with checks_remembered():
        first = resolve_headers(header, IssueLog())
        first.positions["reps"] = 0
        assert resolve_headers(header, IssueLog()).positions == {"date": 0, "exercise": 1, "reps": 2}
