import io
import zipfile

from tests.app.conftest import open_page

MULTI = (
    b"Patient ID,Date,Pain,Notes\n"
    b"PT-A,2026-11-18,3,\n"
    b"PT-A,2026-11-19,3,\n"
    b"PT-A,2026-11-20,8,\n"  # severe pain: critical
    b"PT-B,2026-11-18,2,\n"
    b"PT-B,2026-11-19,2,\n"
    b"PT-B,2026-11-20,2,\n"
)
CLEAN = b"Date,Exercise,Pain before,Pain after\n2026-11-20,Cat Stretch,3,3\n"
BROKEN = b"Date,Pain\n2026-11-19,4\n2026-11-20,eleven\n2026-02-30,3\n"
DOUBLED = b"Date,Pain\n2026-11-10,5\n2026-11-10,5\n"


def _triage_ids(at) -> list[str]:
    return list(at.dataframe[0].value["patient_id"])


def _upload(at, files):
    at.file_uploader(key="screening_upload").set_value(
        [(name, data, "text/csv") for name, data in files]
    ).run()
    at.date_input(key="as_of").set_value(__import__("datetime").date(2026, 11, 20)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_demo_cohort_is_listed_most_urgent_first(app):
    at = open_page(app, "screening")
    ids = _triage_ids(at)
    assert len(ids) == 8
    assert ids[0] == "PT-0107"  # the red-flag note
    assert ids[-1] == "PT-0101"  # recovered, no alerts
    alerts = list(at.dataframe[0].value["alert"])
    assert alerts[0].endswith("Critical")
    assert alerts[-1].endswith("No alerts")


def test_a_mixed_upload_gives_the_right_rows_order_and_reports(app):
    at = open_page(app, "screening")
    _upload(
        at,
        [
            ("many.csv", MULTI),
            ("PT-C_sessions.csv", CLEAN),
            ("PT-D_pain.csv", BROKEN),
            ("PT-E_pain.csv", DOUBLED),
        ],
    )
    table = at.dataframe[0].value
    assert set(table["patient_id"]) == {"PT-A", "PT-B", "PT-C", "PT-D", "PT-E"}
    assert table["patient_id"].iloc[0] == "PT-A"  # severe pain is critical
    assert table.set_index("patient_id").loc["PT-D", "rejected_rows"] == 2
    labels = [e.label for e in at.expander]
    assert any(
        label.startswith("PT-D_pain.csv (pain): 3 rows, 1 accepted, 2 rejected") for label in labels
    )
    assert any(
        label.startswith("PT-E_pain.csv (pain): 2 rows, 1 accepted, 0 rejected, 1 duplicate")
        for label in labels
    )


def test_a_zip_of_logs_is_unpacked(app):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("logs/PT-C_sessions.csv", CLEAN)
        archive.writestr("logs/PT-E_pain.csv", DOUBLED)
    at = open_page(app, "screening")
    _upload(at, [("clinic.zip", buffer.getvalue())])
    assert sorted(_triage_ids(at)) == ["PT-C", "PT-E"]


def test_filters_narrow_the_table(app):
    at = open_page(app, "screening")
    at.multiselect(key="filter_tiers").set_value(["high"]).run()
    assert sorted(_triage_ids(at)) == ["PT-0103", "PT-0104", "PT-0105", "PT-0106"]
    at.multiselect(key="filter_flags").set_value(["relapse"]).run()
    assert _triage_ids(at) == ["PT-0105"]
    at.multiselect(key="filter_tiers").set_value([]).run()
    at.multiselect(key="filter_flags").set_value([]).run()
    at.text_input(key="filter_search").set_value("0108").run()
    assert _triage_ids(at) == ["PT-0108"]
    at.text_input(key="filter_search").set_value("").run()
    at.multiselect(key="filter_phases").set_value(["maintenance"]).run()
    assert _triage_ids(at) == ["PT-0101"]


def test_one_sessions_upload_never_reaches_another_session():
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import APP

    uploader = open_page(AppTest.from_file(APP, default_timeout=60), "screening")
    _upload(uploader, [("many.csv", MULTI)])
    assert sorted(_triage_ids(uploader)) == ["PT-A", "PT-B"]
    other = open_page(AppTest.from_file(APP, default_timeout=60), "screening")
    ids = _triage_ids(other)
    assert "PT-A" not in ids
    assert len(ids) == 8  # the demo cohort


def test_the_as_of_date_carries_over_to_the_patient_page(app):
    import datetime

    at = open_page(app, "screening")
    at.date_input(key="as_of").set_value(datetime.date(2026, 11, 18)).run()
    at = open_page(at, "patient")
    assert at.date_input(key="as_of").value == datetime.date(2026, 11, 18)
    assert "As of 18 Nov 2026" in at.caption[0].value
