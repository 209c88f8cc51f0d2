from datetime import date, timedelta

from tests.app.conftest import open_page

START = date(2026, 10, 1)


def _pain_csv(days: int, pain: int) -> bytes:
    lines = ["Date,Pain"] + [f"{START + timedelta(d)},{pain}" for d in range(days)]
    return ("\n".join(lines) + "\n").encode()


def _sessions_csv(days: int) -> bytes:
    lines = ["Date,Exercise,Reps,Hold (s),Pain before,Pain after"]
    for d in range(days):
        for name in ("Back Extension", "Cat Stretch", "Hip Rolls", "Core"):
            lines.append(f"{START + timedelta(d)},{name},10,15,0,0")
    return ("\n".join(lines) + "\n").encode()


def _phase_badge(at) -> str:
    (line,) = [m.value for m in at.markdown if ":material/self_improvement:" in m.value]
    # Rendered as "#### :green[:material/self_improvement: Maintenance: once a day ...]".
    return line.split(":material/self_improvement: ", 1)[1].removesuffix("]")


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_demo_opens_with_a_patient_charts_and_metrics(app):
    at = open_page(app, "patient")
    assert at.title[0].value.startswith("My progress: PT-0101")
    assert any("synthetic demo cohort" in i.value for i in at.info)
    assert len(at.get("vega_lite_chart")) == 4
    metrics = _metrics(at)
    assert _phase_badge(at).startswith("Maintenance: once a day since")
    assert metrics["Pain-free run"].endswith("days")
    # The demo is analysed as of its last log, not today.
    assert at.date_input(key="as_of").value == date(2026, 11, 20)


def test_demo_patient_with_a_red_flag_shows_it_first(app):
    at = open_page(app, "patient")
    at.selectbox[2].set_value("PT-0107").run()  # data order, patient
    assert not at.exception
    assert at.error[0].value.startswith("**Critical: Red-flag symptom.**")
    assert "NHS guidance" in at.error[0].value


def test_uploading_logs_updates_phase_and_metrics(app):
    at = open_page(app, "patient")
    at.file_uploader(key="patient_upload").set_value(
        [
            ("PT-9_pain.csv", _pain_csv(10, 0), "text/csv"),
            ("PT-9_sessions.csv", _sessions_csv(10), "text/csv"),
        ]
    ).run()
    at.date_input(key="as_of").set_value(START + timedelta(9)).run()
    assert not at.exception
    assert at.title[0].value.startswith("My progress: PT-9")
    metrics = _metrics(at)
    # 7 pain-free days (1-7 Oct) -> maintenance from 8 Oct, once a day.
    assert _phase_badge(at) == "Maintenance: once a day since 8 Oct"
    assert metrics["Pain-free run"] == "10 days"
    # Last 7 days = 4-10 Oct: 4 rehab days at 1 of 3 a day, 3 maintenance days at 1 of 1.
    assert metrics["This week"] == "62%"
    assert not any("synthetic demo" in i.value for i in at.info)


def test_a_widget_change_does_not_import_or_analyse_again(app):
    at = open_page(app, "patient")
    memo = at.session_state["_memo"]
    imports_before = [k for k in memo if k[0] == "import"]
    batch = memo[imports_before[0]]
    at.date_input(key="range_PT-0101").set_value((date(2026, 10, 1), date(2026, 11, 20))).run()
    assert not at.exception
    memo = at.session_state["_memo"]
    assert [k for k in memo if k[0] == "import"] == imports_before
    assert memo[imports_before[0]] is batch


def test_a_bad_file_gets_the_report_not_a_traceback(app):
    at = open_page(app, "patient")
    at.file_uploader(key="patient_upload").set_value(
        [("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00binary", "text/csv")]
    ).run()
    assert not at.exception
    assert any("None of the files could be used" in w.value for w in at.warning)
    expander = next(e for e in at.expander if e.label.startswith("Import report"))
    assert "1 file(s)" in expander.label
    assert "not a CSV text file" in " ".join(str(d.value) for d in at.dataframe)
