import datetime
import io
import json
import zipfile

from app_pages.state import fingerprint
from tests.app.conftest import open_page, shown, walk

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
# The width a 1280 px window leaves the triage grid beside the sidebar (measured in chromium:
# the grid's client width), less the row-selection column.
GRID_WIDTH_AT_1280 = 818
SELECTION_COLUMN = 33


def _triage_ids(at) -> list[str]:
    return list(at.dataframe[0].value["patient_id"])


def _upload(at, files, as_of=datetime.date(2026, 11, 20)):
    at.file_uploader(key="screening_upload").set_value(
        [(name, data, "text/csv") for name, data in files]
    ).run()
    at.date_input(key="as_of").set_value(as_of).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _main_order(at) -> list[str]:
    """The kinds (and keys) of the main area's elements, top to bottom."""
    return [
        f"{type(node).__name__}:{getattr(node, 'key', None) or ''}"
        for node in walk(at.main)
        if type(node).__name__ not in {"Block", "Column", "SpecialBlock"}
    ]


def test_demo_cohort_is_listed_most_urgent_first(app):
    at = open_page(app, "screening")
    ids = _triage_ids(at)
    assert len(ids) == 8
    assert ids[0] == "PT-0107"  # the red-flag note
    assert ids[-1] == "PT-0101"  # recovered, no alerts
    alerts = list(at.dataframe[0].value["alert"])
    assert alerts[0] == "!!! Critical"  # a mark and a word, not colour alone
    assert alerts[-1].endswith("No alerts")


def test_the_table_reads_tier_patient_reason_then_numbers(app):
    at = open_page(app, "screening")
    grid = at.dataframe[0].proto
    assert list(grid.column_order) == [
        "alert",
        "patient_id",
        "reason",
        "adherence_7d",
        "pain_current",
        "pain_change",
        "last_log",
    ]
    columns = json.loads(grid.columns)
    assert [columns[c]["label"] for c in grid.column_order[:3]] == [
        "Tier",
        "Patient",
        "Why (most urgent first)",
    ]
    # Every shown column has a width, and together they fit a 1280 px window: no sideways scroll.
    widths = [columns[c]["width"] for c in grid.column_order]
    assert all(isinstance(w, int) for w in widths)
    assert sum(widths) + SELECTION_COLUMN <= GRID_WIDTH_AT_1280


def test_reasons_are_words_and_rows_are_tall_enough_to_read_them(app):
    from app_pages.screening_views import LINE_HEIGHT, LINE_PADDING, REASON_CHARS
    from rehab.screening import wrapped_lines

    at = open_page(app, "screening")
    table = at.dataframe[0].value.set_index("patient_id")
    red_flag = table.loc["PT-0107", "reason"]
    assert red_flag.startswith("The log of 19 Nov mentions a possible warning sign")
    assert "Please get medical advice" not in red_flag  # advice stays on the patient page
    assert table.loc["PT-0106", "reason"].endswith("Also: few exercises done.")
    assert table.loc["PT-0101", "reason"] == "No flags"
    row_height = at.dataframe[0].proto.row_height
    assert row_height > 64  # Streamlit wraps text only in rows taller than 4rem
    lines = wrapped_lines(list(table["reason"]), REASON_CHARS)
    assert row_height >= LINE_PADDING + LINE_HEIGHT * lines


def test_numbers_read_as_the_app_writes_them(app):
    at = open_page(app, "screening")
    table = at.dataframe[0].value.set_index("patient_id")
    columns = json.loads(at.dataframe[0].proto.columns)
    assert columns["adherence_7d"]["type_config"]["format"] == "%d%%"  # "95%"
    assert table.loc["PT-0107", "adherence_7d"] == 95
    assert table.loc["PT-0107", "last_log"] == "today"  # not "0 d ago"
    assert table.loc["PT-0106", "last_log"] == "17 days ago"


def test_tier_tiles_show_counts_and_filter_when_clicked(app):
    at = open_page(app, "screening")
    tiles = at.button_group(key="filter_tiers")
    assert [o.content for o in tiles.proto.options] == [
        "!!! Critical: 1",
        "!! High: 4",
        "! Moderate: 2",
        "✓ No alerts: 1",
    ]
    tiles.set_value(["critical"]).run()
    assert _triage_ids(at) == ["PT-0107"]
    at.button_group(key="filter_tiers").set_value(["critical", "moderate"]).run()
    assert _triage_ids(at) == ["PT-0107", "PT-0102", "PT-0108"]
    at.button_group(key="filter_tiers").set_value([]).run()
    assert len(_triage_ids(at)) == 8


def test_more_numbers_swaps_the_reason_for_the_secondary_columns(app):
    at = open_page(app, "screening")
    at.toggle(key="triage_details").set_value(True).run()
    order = list(at.dataframe[0].proto.column_order)
    assert order[:2] == ["alert", "patient_id"]
    assert {"phase", "flags", "pain_free_streak", "rejected_rows"} <= set(order)
    columns = json.loads(at.dataframe[0].proto.columns)
    assert sum(columns[c]["width"] for c in order) + SELECTION_COLUMN <= GRID_WIDTH_AT_1280


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
    labels = [shown(e.label) for e in at.expander]
    assert any(
        label.startswith("PT-D_pain.csv (pain): 3 rows, 1 accepted, 2 rejected") for label in labels
    )
    assert any(
        label.startswith("PT-E_pain.csv (pain): 2 rows, 1 accepted, 0 rejected, 1 duplicate")
        for label in labels
    )


def test_rejected_rows_are_said_above_the_triage_table(app):
    at = open_page(app, "screening")
    _upload(at, [("many.csv", MULTI), ("PT-D_pain.csv", BROKEN)])
    (notice,) = [w for w in at.warning if "not imported" in w.value]
    assert notice.value.startswith("2 rows were not imported, from 1 file")
    order = _main_order(at)
    assert order.index("Warning:") < order.index("ButtonGroup:filter_tiers")
    assert order.index("Warning:") < order.index("Dataframe:triage_table")


def test_rejected_rows_download_is_built_when_pressed_with_the_rows_as_they_were(app, monkeypatch):
    # A page of reports used to write every flagged file's rejected rows as CSV on every run.
    import streamlit.delta_generator as dg

    import rehab.safe_csv
    from tests.app.conftest import latest_memo

    written = []
    real_csv = rehab.safe_csv.to_safe_csv
    monkeypatch.setattr(
        rehab.safe_csv, "to_safe_csv", lambda frame, **kw: written.append(1) or real_csv(frame, **kw)
    )
    offered = {}
    real_button = dg.DeltaGenerator.download_button

    def recording(self, label, data, *args, **kwargs):
        offered[label] = data
        return real_button(self, label, data, *args, **kwargs)

    monkeypatch.setattr(dg.DeltaGenerator, "download_button", recording)
    at = open_page(app, "screening")
    _upload(at, [("many.csv", MULTI), ("PT-D_pain.csv", BROKEN)])
    assert not written  # nothing written until a button is pressed
    build = offered["Rejected rows (CSV, to fix and re-import)"]
    (broken,) = [f for f in latest_memo(at, "import").files if f.report.file == "PT-D_pain.csv"]
    assert build() == real_csv(broken.rejected)
    assert b"eleven" in build()


def test_a_clean_upload_has_no_rejected_notice(app):
    at = open_page(app, "screening")
    _upload(at, [("many.csv", MULTI)])
    assert not [w for w in at.warning if "not imported" in w.value]


def test_a_zip_of_logs_is_unpacked(app):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("logs/PT-C_sessions.csv", CLEAN)
        archive.writestr("logs/PT-E_pain.csv", DOUBLED)
    at = open_page(app, "screening")
    assert any(c.value == "Showing the synthetic demo cohort until you upload." for c in at.caption)
    _upload(at, [("clinic.zip", buffer.getvalue())])
    assert sorted(_triage_ids(at)) == ["PT-C", "PT-E"]
    # The upload sits folded under one line; the line under it says what is shown.
    assert any(c.value == "Showing your 2 uploaded files." for c in at.caption)
    # Unpacked files are another content than the upload: their own fingerprint keys the memo.
    data = at.session_state["dataset"]
    assert data.digest == fingerprint(data.files, data.options) != data.upload_digest


def test_uploads_are_hashed_once_while_they_sit_in_the_uploader(app, monkeypatch):
    import app_pages.state

    hashed = []

    def counted(files, options):
        hashed.append(len(files))
        return fingerprint(files, options)

    monkeypatch.setattr(app_pages.state, "fingerprint", counted)
    at = open_page(app, "screening")
    hashed.clear()  # the demo's
    _upload(at, [("many.csv", MULTI), ("PT-D_pain.csv", BROKEN)])  # the upload, then an as-of day
    at.button_group(key="filter_tiers").set_value(["critical"]).run()
    assert hashed == [2]  # three runs: the upload, its content and the reruns share one hash
    data = at.session_state["dataset"]
    assert data.digest == data.upload_digest == fingerprint(data.files, data.options)
    # The same name with other bytes is another upload: hashed, and imported anew.
    _upload(at, [("many.csv", MULTI.replace(b"8,", b"2,")), ("PT-D_pain.csv", BROKEN)])
    assert hashed == [2, 2]
    assert at.session_state["dataset"].digest != data.digest
    assert _triage_ids(at) == []  # critical only, and PT-A's severe pain is gone


def test_filters_narrow_the_table(app):
    at = open_page(app, "screening")
    at.button_group(key="filter_tiers").set_value(["high"]).run()
    assert sorted(_triage_ids(at)) == ["PT-0103", "PT-0104", "PT-0105", "PT-0106"]
    at.multiselect(key="filter_flags").set_value(["relapse"]).run()
    assert _triage_ids(at) == ["PT-0105"]
    at.button_group(key="filter_tiers").set_value([]).run()
    at.multiselect(key="filter_flags").set_value([]).run()
    at.text_input(key="filter_search").set_value("0108").run()
    assert _triage_ids(at) == ["PT-0108"]
    at.text_input(key="filter_search").set_value("").run()
    at.multiselect(key="filter_phases").set_value(["maintenance"]).run()
    assert _triage_ids(at) == ["PT-0101"]


def test_opening_a_patient_and_coming_back_keeps_the_filters(app):
    at = open_page(app, "screening")
    at.button_group(key="filter_tiers").set_value(["high"]).run()
    at.multiselect(key="filter_phases").set_value(["rehab"]).run()
    at.text_input(key="filter_search").set_value("010").run()
    at.toggle(key="triage_details").set_value(True).run()
    assert _triage_ids(at) == ["PT-0104", "PT-0103", "PT-0105", "PT-0106"]
    # Selecting the second row opens PT-0103 on the patient page.
    at.session_state["triage_table"] = {"selection": {"rows": [1], "columns": []}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["opened_from_screening"] == "PT-0103"
    assert at.session_state["patient"] == "PT-0103"
    assert not at.get("button_group")  # the screening page is gone
    at = open_page(at, "screening")
    assert "opened_from_screening" not in at.session_state  # back on the list
    assert at.button_group(key="filter_tiers").value == ["high"]
    assert at.multiselect(key="filter_phases").value == ["rehab"]
    assert at.text_input(key="filter_search").value == "010"
    assert at.toggle(key="triage_details").value is True
    assert _triage_ids(at) == ["PT-0104", "PT-0103", "PT-0105", "PT-0106"]


def _cohort_zip(patients: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(patients):
            archive.writestr(f"P{number:03d}_pain.csv", b"Date,Pain\n2026-11-19,3\n2026-11-20,3\n")
    return buffer.getvalue()


def test_more_than_forty_patients_come_in_pages_of_forty(app):
    at = open_page(app, "screening")
    _upload(at, [("clinic.zip", _cohort_zip(45))])
    assert len(_triage_ids(at)) == 40
    pages = at.button_group(key="triage_page")
    assert [o.content for o in pages.proto.options] == ["1-40", "41-45"]
    pages.set_value(2).run()
    assert _triage_ids(at) == [f"P{n:03d}" for n in range(40, 45)]
    assert any(c.value.startswith("45 of 45 patients, most urgent first") for c in at.caption)


def test_forty_patients_fit_one_page_without_a_picker(app):
    at = open_page(app, "screening")
    _upload(at, [("clinic.zip", _cohort_zip(40))])
    assert len(_triage_ids(at)) == 40
    assert not [b for b in at.get("button_group") if b.key == "triage_page"]


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
    at = open_page(app, "screening")
    at.date_input(key="as_of").set_value(datetime.date(2026, 11, 18)).run()
    at = open_page(at, "patient")
    assert at.date_input(key="as_of").value == datetime.date(2026, 11, 18)
    assert "As of 18 Nov 2026" in at.caption[0].value


def _paused_logs() -> bytes:
    # Every exercise once a day to 20 Nov; Hip Rolls raised pain 2 -> 4 on 15 Nov and was not
    # done again: paused from 16 Nov (clinical-rules.md, "paused exercise").
    names = ("Back Extension", "Cat Stretch", "Hip Rolls", "Core")
    lines = ["Patient ID,Date,Exercise,Pain before,Pain after"]
    for day in range(7, 21):
        for name in names:
            if name == "Hip Rolls" and day > 15:
                continue
            after = 4 if (name == "Hip Rolls" and day == 15) else 2
            lines.append(f"PT-P,2026-11-{day:02d},{name},2,{after}")
    return ("\n".join(lines) + "\n").encode()


def test_the_reason_names_a_paused_exercise_and_since_when(app):
    at = open_page(app, "screening")
    _upload(at, [("PT-P_sessions.csv", _paused_logs())])
    reason = at.dataframe[0].value.set_index("patient_id").loc["PT-P", "reason"]
    assert reason.startswith("Hip Rolls raised pain")
    assert "Also: Hip Rolls paused since 16 Nov" in reason
    assert "exercise paused" not in reason  # named, not a generic word
    at.multiselect(key="filter_flags").set_value(["exercise_paused"]).run()
    assert _triage_ids(at) == ["PT-P"]


def test_the_critical_row_is_tinted_whole_and_other_tiers_only_in_their_tier_cell(app):
    from app_pages.screening_views import TIER_TINTS, tier_style

    at = open_page(app, "screening")
    shown = at.dataframe[0].value
    styles = tier_style(shown)._compute().ctx  # (row, column) -> [(property, value)]
    columns = list(shown.columns)
    critical, high = 0, 1  # PT-0107, then PT-0104
    assert shown.loc[critical, "tier"] == "critical"
    assert shown.loc[high, "tier"] == "high"
    tint = ("background-color", TIER_TINTS["critical"])
    assert all(tint in styles[(critical, c)] for c in range(len(columns)))
    alert = columns.index("alert")
    assert ("background-color", TIER_TINTS["high"]) in styles[(high, alert)]
    assert not styles.get((high, columns.index("reason")))
    assert shown.loc[critical, "alert"].startswith("!!!")  # the mark, not colour alone


QUESTIONNAIRES_ONLY = (
    b"patient_id,date,measure,version,item_1,item_2,item_3,item_4,item_5,item_6,item_7,item_8,"
    b"item_9,item_10\n"
    b"PT-A,2026-11-02,odi,2.1a,2,2,3,3,3,0,0,2,3,2\n"
)


def test_questionnaires_alone_are_read_and_the_page_says_screening_needs_logs(app):
    at = open_page(app, "screening")
    at.file_uploader(key="screening_upload").set_value(
        [("clinic_measures.csv", QUESTIONNAIRES_ONLY, "text/csv")]
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    said = " ".join(shown(n.value) for n in [*at.info, *at.warning])
    # Not "none of the files could be used": the questionnaire was read.
    assert "could be used" not in said
    assert "1 questionnaire" in said
    assert "session or pain logs" in said
