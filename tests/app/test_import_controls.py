"""The upload control area: reading options, the mapping step, and the rejected-rows notice."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from app_pages.state import fingerprint
from rehab.importer import ImportOptions
from rehab.importer.mapping import file_header, header_fingerprint
from tests.app.conftest import open_page

# A Google Forms response sheet as downloaded (Timestamp first, one column per question).
FORM = (
    b"Timestamp,How bad is your back pain right now?,Anything else?\n"
    b"10/1/2026 8:05:14,4,stiff\n"
    b"10/13/2026 20:40:55,3,\n"
)
FORM_NEXT_WEEK = (
    b"Timestamp,How bad is your back pain right now?,Anything else?\n"
    b"10/20/2026 8:05:14,2,\n"
    b"10/21/2026 8:05:14,2,\n"
)
QUESTION = 1  # the question's position in the header


def _upload(at: AppTest, files: list[tuple[str, bytes]]) -> AppTest:
    at.file_uploader(key="patient_upload").set_value(
        [(name, data, "text/csv") for name, data in files]
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _imported(at: AppTest):
    """The import of the session's current dataset, from the session's memo."""
    digest = at.session_state["dataset"].digest
    return next(value for key, value in at.session_state["_memo"].items() if key == ("import", digest))


def _map_key(header_of: bytes, position: int) -> str:
    return f"patient_{header_fingerprint(file_header(header_of))}_{position}"


def test_a_file_with_question_headers_is_mapped_in_the_app_and_remembered(app):
    at = _upload(open_page(app, "patient"), [("PT-7_form.csv", FORM)])
    assert at.session_state["dataset"].source == "upload"
    # The columns it knows are preselected; the question waits for the user.
    assert at.selectbox(key=_map_key(FORM, 0)).value == "date"
    question = at.selectbox(key=_map_key(FORM, QUESTION))
    assert question.value == ""
    question.set_value("pain")
    at.selectbox(key=_map_key(FORM, 2)).set_value("notes")
    at.button[[b.label for b in at.button].index("Import with these columns")].click().run()
    assert not at.exception
    assert at.session_state["dataset"].options.header_mappings
    assert _imported(at).pain["pain"].tolist() == [4, 3]
    assert not [s for s in at.selectbox if s.key == _map_key(FORM, QUESTION)]

    # Next week's export of the same form: the same header, read without asking again.
    _upload(at, [("PT-7_form.csv", FORM_NEXT_WEEK)])
    assert not [s for s in at.selectbox if s.key == _map_key(FORM, QUESTION)]
    assert _imported(at).pain["pain"].tolist() == [2, 2]
    remembered = at.session_state["header_mappings"]
    assert remembered == {
        header_fingerprint(file_header(FORM)): (
            ("Timestamp", "date"),
            ("How bad is your back pain right now?", "pain"),
            ("Anything else?", "notes"),
        )
    }

    # A wrong choice can be undone: forget it and the columns are asked for again.
    at.button(key="patient_remap").click().run()
    assert not at.exception
    assert at.session_state["header_mappings"] == {}
    assert at.selectbox(key=_map_key(FORM, QUESTION)).value == ""


def test_a_recognised_file_gets_no_mapping_step(app):
    clean = b"Date,Pain\n2026-10-01,4\n2026-10-02,3\n"
    at = _upload(open_page(app, "patient"), [("PT-1_pain.csv", clean)])
    assert not [b for b in at.button if b.label == "Import with these columns"]


def test_time_zone_and_date_system_reach_the_import_and_change_its_key(app):
    clean = b"Date,Pain\n2026-10-01T23:30:00Z,4\n2026-10-02T08:00:00Z,3\n"
    at = _upload(open_page(app, "patient"), [("PT-1_pain.csv", clean)])
    before = at.session_state["dataset"]
    assert before.options.timezone is None
    assert before.options.date_system == "1900"
    at.selectbox(key="patient_timezone").set_value("Europe/Berlin").run()
    at.selectbox(key="patient_date_system").set_value("1904").run()
    assert not at.exception
    after = at.session_state["dataset"]
    assert after.options.timezone == "Europe/Berlin"
    assert after.options.date_system == "1904"
    assert after.digest != before.digest
    # 23:30 UTC on 1 Oct is already 2 Oct in Berlin.
    days = _imported(at).pain["date"].dt.strftime("%Y-%m-%d").tolist()
    assert days == ["2026-10-02", "2026-10-02"]


def test_the_memo_key_changes_with_every_import_option():
    files = [("PT-1_pain.csv", b"Date,Pain\n2026-10-01,4\n")]
    base = fingerprint(files, ImportOptions())
    variants = [
        ImportOptions(date_order="dmy"),
        ImportOptions(timezone="America/New_York"),
        ImportOptions(date_system="1904"),
        ImportOptions(mapping=(("Score", "pain"),)),
        ImportOptions(header_mappings=(("abc", (("Score", "pain"),)),)),
        ImportOptions(series=(("Back pain", "pain"),)),
    ]
    keys = {fingerprint(files, options) for options in variants}
    assert base not in keys
    assert len(keys) == len(variants)
    assert fingerprint(files, ImportOptions()) == base


def _notice_app(batch_files: list[tuple[str, bytes]]) -> AppTest:
    def page(files: list[tuple[str, bytes]]) -> None:
        from app_pages import import_views
        from rehab.importer import import_files

        import_views.rejected_notice(import_files(files))

    at = AppTest.from_function(page, args=(batch_files,), default_timeout=30)
    at.run()
    assert not at.exception
    return at


def test_rejected_notice_counts_rows_and_files_and_says_where_to_look():
    bad = b"Date,Pain\n2026-10-01,11\n2026-10-02,4\n2026-10-03,eleven\n"
    worse = b"Date,Pain\n2026-10-01,12\n"
    at = _notice_app([("PT-1_pain.csv", bad), ("PT-2_pain.csv", worse)])
    (notice,) = at.warning
    assert notice.value.startswith("3 rows were not imported, from 2 files")
    assert "import report below" in notice.value


def test_no_rejected_rows_no_notice():
    at = _notice_app([("PT-1_pain.csv", b"Date,Pain\n2026-10-01,4\n")])
    assert not at.warning


def test_a_file_that_could_not_be_used_is_in_the_notice_too():
    bad = b"Date,Pain\n2026-10-01,11\n2026-10-02,4\n"
    at = _notice_app([("PT-1_pain.csv", bad), ("notes.csv", b"Subject,Body\nhi,there\n")])
    (notice,) = at.warning
    assert notice.value.startswith(
        "1 row was not imported, from 1 file, and 1 file could not be used at all."
    )
    only_unusable = _notice_app([("PT-1_pain.csv", b"Date,Pain\n2026-10-01,4\n"), ("x.csv", b"")])
    (notice,) = only_unusable.warning
    assert notice.value == (
        "1 file could not be used at all. Open the import report below to see which and why."
    )


# A long export, as Apple Health converters write it (nwalablessing/streamlit-health-monitor
# convert_health_data.py: type, value, unit, start_date), with a pain series logged by hand.
LONG = (
    b"type,value,unit,start_date\n"
    b"StepCount,5012,count,2026-10-01 08:00:00 +0200\n"
    b"Lower back pain,4,,2026-10-01 08:05:00 +0200\n"
    b"HeartRate,61,count/min,2026-10-01 08:06:00 +0200\n"
    b"Lower back pain,3,,2026-10-02 08:01:00 +0200\n"
)


def test_a_long_file_is_read_by_choosing_its_series_in_the_app(app):
    at = _upload(open_page(app, "patient"), [("PT-8_health.csv", LONG)])
    fingerprint = header_fingerprint(file_header(LONG))
    # The series and value columns are recognised by their names; the date is not.
    assert at.selectbox(key=_map_key(LONG, 0)).value == "@series"
    assert at.selectbox(key=_map_key(LONG, 1)).value == "@value"
    series = at.selectbox(key=f"patient_{fingerprint}_series")
    assert series.options[1:] == ["Lower back pain", "HeartRate", "StepCount"]  # most rows first
    series.set_value("Lower back pain")
    at.selectbox(key=_map_key(LONG, 3)).set_value("date")
    at.button[[b.label for b in at.button].index("Import with these columns")].click().run()
    assert not at.exception
    assert _imported(at).pain["pain"].tolist() == [4, 3]
    assert at.session_state["header_long"] == {
        fingerprint: (("type", "value"), (("Lower back pain", "pain"),))
    }
