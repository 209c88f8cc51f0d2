"""The clinic workspace on the pages (issue 11): import into it, review, forget, export.

Each test gets its own workspace file under tmp_path (REHAB_WORKSPACE), opened by the app
through app_pages.workspace_source as in production. The logs are in rehab's own CSV format
(the sample cohort's columns: Patient ID, Date, Time, Pain).
"""

from __future__ import annotations

import json
import tempfile
from datetime import date, timedelta

import pytest

from app_pages import workspace_source
from rehab.store import Workspace
from tests.app.conftest import open_page, shown

AS_OF = date(2026, 11, 20)
WEEK1 = date(2026, 11, 7)
WEEK2 = date(2026, 11, 14)


def _pain(patients: dict[str, int], first: date, days: int = 7) -> bytes:
    """A multi-patient pain log: one entry a day at 09:00, pain as given per patient."""
    lines = ["Patient ID,Date,Time,Pain"]
    for patient, pain in patients.items():
        lines += [f"{patient},{first + timedelta(d)},09:00,{pain}" for d in range(days)]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def workspace_file(tmp_path, monkeypatch):
    path = tmp_path / "clinic.sqlite"
    monkeypatch.setenv(workspace_source.ENV_VAR, str(path))
    yield path
    workspace_source._open.clear()


def _screening(app, as_of: date = AS_OF):
    at = open_page(app, "screening")
    at.date_input(key="as_of").set_value(as_of).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _import(at, files):
    at.file_uploader(key="workspace_upload").set_value([(n, d, "text/csv") for n, d in files])
    at.button(key="workspace_import_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _review(at, patient_id: str, note: str = "", snooze: date | None = None):
    at.selectbox(key="review_patient").set_value(patient_id)
    at.text_area(key="review_note_screening").set_value(note)
    if snooze is not None:
        at.date_input(key="review_snooze_screening").set_value(snooze)
    at.button(key="review_save_screening").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# The width a 1280 px window leaves the grid, less the row-selection column (as measured for
# tests/app/test_screening_page.py).
GRID_WIDTH_AT_1280 = 818 - 33


def _rows(at) -> dict[str, dict[str, str]]:
    frame = at.dataframe[0].value
    return {str(row["patient_id"]): row for _, row in frame.iterrows()}


def test_a_second_weeks_import_brings_a_reviewed_patient_back_with_what_is_new(app, workspace_file):
    with Workspace.open(workspace_file) as store:
        store.import_files([("week1.csv", _pain({"PT-A": 4, "PT-B": 5}, WEEK1))])
        store.import_files([("b_week2.csv", _pain({"PT-B": 5}, WEEK2))])
    at = _screening(app)
    assert str(workspace_file) in shown(at.caption[1].value)  # where the data is kept
    grid = at.dataframe[0].proto
    columns = json.loads(grid.columns)
    labels = [columns[c]["label"] for c in grid.column_order]
    assert labels[2:] == [
        "New since review",
        "Why (most urgent first)",
        "This week vs last",
        "Last reviewed",
    ]
    assert sum(columns[c]["width"] for c in grid.column_order) <= GRID_WIDTH_AT_1280
    assert set(_rows(at)) == {"PT-A", "PT-B"}
    assert _rows(at)["PT-A"]["new_since_review"] == "Not reviewed yet"

    _review(at, "PT-A", note="called, all fine")
    _review(at, "PT-B")
    # Both reviewed with nothing new: they wait below, behind the toggle.
    assert at.toggle(key="show_reviewed").label == "Show reviewed and snoozed (2)"
    assert _rows(at) == {}

    _import(at, [("a_week2.csv", _pain({"PT-A": 2}, WEEK2))])
    assert "added 7 pain entries" in at.success[0].value
    rows = _rows(at)
    assert list(rows) == ["PT-A"]
    assert rows["PT-A"]["new_since_review"] == "7 new log rows"
    assert rows["PT-A"]["this_week"].startswith("↓ pain 2.0 lower than last week")
    assert rows["PT-A"]["last_reviewed"].startswith("Reviewed ")

    at.toggle(key="show_reviewed").set_value(True).run()
    rows = _rows(at)
    assert list(rows) == ["PT-A", "PT-B"]  # who needs a look first, then the reviewed
    assert rows["PT-B"]["new_since_review"] == "Nothing new"


def test_an_import_says_what_was_added_already_stored_and_in_conflict(app, workspace_file):
    at = open_page(app, "screening")
    assert at.info[0].value.startswith("The workspace holds no logs yet")
    week = _pain({"PT-A": 4}, WEEK2)
    _import(at, [("week.csv", week)])
    assert list(_rows(at)) == ["PT-A"]
    assert at.success[0].value.startswith("Imported 1 file: added 7 pain entries")
    changed = week.replace(b"2026-11-16,09:00,4", b"2026-11-16,09:00,6")
    _import(at, [("again.csv", changed)])
    assert "6 rows were already stored; 1 conflict." in at.success[0].value
    assert at.warning[0].value.startswith("1 row differs from what the workspace already holds")
    conflicts = at.dataframe[0].value
    assert list(conflicts["Patient"]) == ["PT-A"]
    assert list(conflicts["Day"]) == ["2026-11-16"]
    assert list(conflicts["New row (not stored)"]) == ["again.csv, row 4"]
    assert list(conflicts["What differs"]) == ["pain: 4 stored, 6 new"]


def test_a_snooze_in_the_past_is_refused_and_a_snooze_sets_the_patient_aside(app, workspace_file):
    with Workspace.open(workspace_file) as store:
        store.import_files([("week.csv", _pain({"PT-A": 4, "PT-B": 4}, WEEK2))])
    at = _screening(app)
    _review(at, "PT-A", snooze=date.today() - timedelta(days=1))
    assert "has passed" in at.error[0].value
    assert set(_rows(at)) == {"PT-A", "PT-B"}  # nothing was recorded
    _review(at, "PT-A", snooze=date.today() + timedelta(days=7))
    assert set(_rows(at)) == {"PT-B"}
    at.toggle(key="show_reviewed").set_value(True).run()
    assert _rows(at)["PT-A"]["new_since_review"].startswith("Nothing new; snoozed until")


def _patient_page(app, patient_id: str):
    at = _screening(app)
    at.session_state["patient"] = patient_id
    at.session_state["opened_from_screening"] = patient_id
    at.switch_page("app_pages/patient.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_patient_page_shows_reviews_exports_and_forgets_only_when_asked_twice(
    app, workspace_file, monkeypatch
):
    with Workspace.open(workspace_file) as store:
        store.import_files([("PT-A_and_B.csv", _pain({"PT-A": 4, "PT-B": 3}, WEEK2))], by="ana")
        store.review("PT-A", note="*called* <b>", by="ana", snooze_until=date(2026, 12, 1))
        store.review("PT-A", action="contacted", note="second", by="ben")
        exported = sorted(store.export_csv("PT-A"))
    written = []
    export_csv = Workspace.export_csv

    def counted_export(self, *args, **kwargs):
        written.append(result := export_csv(self, *args, **kwargs))
        return result

    monkeypatch.setattr(Workspace, "export_csv", counted_export)
    at = _patient_page(app, "PT-A")
    # One download per stored kind of log (the browser test downloads and imports it again),
    # each written only when pressed: showing the page writes none.
    labels = sorted(shown(b.proto.label) for b in at.get("download_button"))
    assert [label for label in labels if label in exported] == exported == ["PT-A_pain.csv"]
    assert written == []
    history = at.dataframe[0].value
    assert list(history["By"]) == ["ben", "ana"]  # newest first
    assert list(history["Note"]) == ["second", "*called* <b>"]  # the note as written
    assert list(history["Snoozed until"]) == ["-", "1 Dec 2026"]

    forget = at.button(key="forget_PT-A")
    assert forget.disabled
    at.checkbox(key="forget_sure_PT-A").check().run()
    assert at.button(key="forget_PT-A").disabled  # asked once: not yet
    at.text_input(key="forget_typed_PT-A").input("PT-B").run()
    assert at.button(key="forget_PT-A").disabled  # the wrong id
    at.text_input(key="forget_typed_PT-A").input("PT-A").run()
    at.button(key="forget_PT-A").click().run()
    assert not at.exception, [e.value for e in at.exception]
    message = at.success[0].value
    assert message.startswith("Forgot PT")
    assert "removed 7 pain entries and 2 reviews from the workspace" in message
    assert "1 file name holding the id was cleared" in message  # the audit keeps its counts
    assert list(_rows(at)) == ["PT-B"]
    with Workspace.open(workspace_file) as store:
        assert store.patients() == ["PT-B"]
        assert store.reviews("PT-A") == []


def test_without_a_workspace_nothing_is_written(app, tmp_path, monkeypatch):
    monkeypatch.delenv(workspace_source.ENV_VAR, raising=False)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.chdir(tmp_path)
    at = open_page(app, "screening")
    at.file_uploader(key="screening_upload").set_value(
        [("logs.csv", _pain({"PT-A": 4, "PT-B": 6}, WEEK2), "text/csv")]
    ).run()
    at.date_input(key="as_of").set_value(AS_OF).run()
    assert not at.exception, [e.value for e in at.exception]
    assert set(_rows(at)) == {"PT-A", "PT-B"}
    assert not at.get("toggle") or all(t.key != "show_reviewed" for t in at.get("toggle"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tmp"]
    assert list(scratch.iterdir()) == []


def test_ids_and_notes_are_shown_as_written_never_as_markdown(app, workspace_file):
    hostile = "PT-[x](http://evil.example)"
    with Workspace.open(workspace_file) as store:
        store.import_files([("week.csv", _pain({hostile: 4}, WEEK2))])
    at = _screening(app)
    assert list(_rows(at)) == [hostile]
    _review(at, hostile, note="![img](http://evil.example/x.png)")
    (saved,) = at.success
    assert shown(saved.value) == f"Saved: {hostile} reviewed."
    assert "](http" not in saved.value  # the link syntax is escaped
    with Workspace.open(workspace_file) as store:
        assert store.reviews(hostile)[0].note == "![img](http://evil.example/x.png)"


def test_the_sidebar_says_where_the_workspace_keeps_the_data(app, workspace_file):
    with Workspace.open(workspace_file) as store:
        store.import_files([("week1.csv", _pain({"PT-A": 4}, WEEK1))])
    at = _screening(app)
    footer = [shown(c.value) for c in at.sidebar.caption]
    assert any(str(workspace_file) in line for line in footer), footer
    # Not the words of an upload kept in the browser's memory.
    assert not any("kept in memory" in line for line in footer), footer


def test_the_patient_page_of_a_workspace_has_no_empty_upload_report(app, workspace_file):
    with Workspace.open(workspace_file) as store:
        store.import_files([("PT-A_pain.csv", _pain({"PT-A": 4}, WEEK2))])
    at = _patient_page(app, "PT-A")
    # The stored logs come from no upload: an "Import report: 0 files" would say nothing true.
    titles = [shown(e.label) for e in at.expander]
    assert not any(title.startswith("Import report") for title in titles), titles
