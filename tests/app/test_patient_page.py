from datetime import date, timedelta

from tests.app.conftest import open_page, shown, walk

START = date(2026, 10, 1)
NAMES = ("Back Extension", "Cat Stretch", "Hip Rolls", "Core")


def _pain_csv(days: int, pain: int, first: int = 0) -> bytes:
    lines = ["Date,Pain"] + [f"{START + timedelta(d)},{pain}" for d in range(first, days)]
    return ("\n".join(lines) + "\n").encode()


def _sessions_csv(days: int, last_day_times: dict[str, int] | None = None) -> bytes:
    # One row per exercise done, at its own time (equal rows would be duplicates).
    lines = ["Date,Time,Exercise,Reps,Hold (s),Pain before,Pain after"]
    for d in range(days):
        for name in NAMES:
            times = (last_day_times or {}).get(name, 1) if d == days - 1 else 1
            lines += [f"{START + timedelta(d)},{8 + 4 * t}:00,{name},10,15,0,0" for t in range(times)]
    return ("\n".join(lines) + "\n").encode()


def _upload(at, files, as_of: date):
    at.file_uploader(key="patient_upload").set_value(
        [(name, data, "text/csv") for name, data in files]
    ).run()
    at.date_input(key="as_of").set_value(as_of).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _phase_badge(at) -> str:
    (line,) = [m.value for m in at.markdown if ":material/self_improvement:" in m.value]
    # Rendered as "#### :green[:material/self_improvement: Maintenance: once a day ...]".
    return line.split(":material/self_improvement: ", 1)[1].removesuffix("]")


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _deltas(at) -> dict[str, str | None]:
    return {m.label: m.delta for m in at.metric}


def _page_order(at) -> list[tuple[str, str]]:
    """(element kind, its text) for the main area, top to bottom as stacked on a phone."""
    order = []
    for node in walk(at.main):
        kind = type(node).__name__
        text = getattr(node, "value", None) if kind != "Metric" else node.label
        order.append((kind, text if isinstance(text, str) else ""))
    return order


def _index(order, kind: str, contains: str = "") -> int:
    return next(i for i, (k, text) in enumerate(order) if k == kind and contains in text)


def _open_patient(at, patient_id: str):
    next(s for s in at.selectbox if s.label == "Patient").set_value(patient_id).run()
    assert not at.exception
    return at


def test_demo_opens_on_a_patient_whose_alert_and_stop_card_show_what_the_app_does(app):
    at = open_page(app, "patient")
    assert shown(at.title[0].value) == "My progress: PT-0103"
    assert any("Synthetic demo" in c.value for c in at.caption)
    # The alert says the exercise raised pain and that stopping it was right (it is paused).
    assert any(
        "Hip Rolls raised your pain (+2 on 17 Nov), and you stopped it" in shown(w.value)
        for w in at.warning
    )
    # PT-0103 stopped Hip Rolls after the +2 (rehab/sample/stories.py): the card says paused.
    assert any(
        shown(w.value).startswith("Paused since 18 Nov: it raised your pain (+2 on 17 Nov).")
        for w in at.warning
    )
    # Four progress charts, then PT-0103's two questionnaires (STarT Back and the Oswestry).
    assert len(at.get("vega_lite_chart")) == 6
    # The demo is analysed as of its last log, not today.
    assert at.date_input(key="as_of").value == date(2026, 11, 20)


def test_the_demo_tour_opens_each_story_in_one_click(app):
    at = open_page(app, "patient")
    at.radio(key="demo_tour").set_value("PT-0101").run()
    assert not at.exception
    assert shown(at.title[0].value) == "My progress: PT-0101"
    assert _phase_badge(at).startswith("Maintenance: once a day since")
    # The number alone is the tile's value (a laptop's half column cut "36 days" to "36 d..."),
    # and what it counts is said under it.
    assert _metrics(at)["Pain-free run"].isdigit()
    assert _deltas(at)["Pain-free run"] == "days in a row"


def test_a_critical_flag_comes_before_every_metric_and_chart(app):
    at = _open_patient(open_page(app, "patient"), "PT-0107")
    order = _page_order(at)
    flag = _index(order, "Error", "**Critical: Red-flag symptom.**")
    assert _index(order, "Title") < flag
    assert flag < _index(order, "Metric")
    assert flag < _index(order, "UnknownElement")  # the charts (vega-lite)
    # Nothing reassuring sits between the title and the red flag.
    assert not [k for k, _ in order[:flag] if k in ("Metric", "Success")]


def test_on_a_phone_the_exercise_card_comes_before_the_charts(app):
    # Columns stack in declaration order, so the tree's order is the phone's order.
    at = open_page(app, "patient")
    order = _page_order(at)
    card = _index(order, "Subheader", "What to do")
    stop_card = _index(order, "Warning", "Paused since")  # PT-0103 stopped Hip Rolls
    first_chart = _index(order, "UnknownElement")
    today = _index(order, "Metric", "Sessions today")
    assert _index(order, "Warning", "High: Exercise increases pain") < today
    assert today < card < stop_card < _index(order, "Metric", "This week") < first_chart


def test_today_counts_sessions_and_exercises_separately(app):
    at = open_page(app, "patient")
    # Rehab (3 a day): on the last day Back Extension 3 times, Cat Stretch 2, Hip Rolls 3,
    # Core once: one full round (session), 9 of the 12 exercises.
    times = {"Back Extension": 3, "Cat Stretch": 2, "Hip Rolls": 3, "Core": 1}
    files = [("PT-9_pain.csv", _pain_csv(5, 5)), ("PT-9_sessions.csv", _sessions_csv(5, times))]
    at = _upload(at, files, START + timedelta(4))
    assert shown(at.title[0].value) == "My progress: PT-9"
    assert _metrics(at)["Sessions today"] == "1 of 3"
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Today: 1 of 3 sessions · 9 of 12 exercises.") for c in captions)
    assert any("A session is one round of the 4 exercises" in c for c in captions)
    # The week counts exercises done, never "sessions" for single exercises.
    assert any(c.startswith("25 of 60 exercises done in the last 7 days") for c in captions)


def test_uploading_logs_updates_phase_and_metrics(app):
    at = open_page(app, "patient")
    files = [("PT-9_pain.csv", _pain_csv(10, 0)), ("PT-9_sessions.csv", _sessions_csv(10))]
    at = _upload(at, files, START + timedelta(9))
    metrics = _metrics(at)
    # 7 pain-free days (1-7 Oct) -> maintenance from 8 Oct, once a day.
    assert _phase_badge(at) == "Maintenance: once a day since 8 Oct"
    assert metrics["Pain-free run"] == "10"
    assert _deltas(at)["Pain-free run"] == "days in a row"
    # Last 7 days = 4-10 Oct: 4 rehab days at 1 of 3 a day, 3 maintenance days at 1 of 1.
    assert metrics["This week"] == "62%"
    assert metrics["Sessions today"] == "1 of 1"
    assert metrics["Pain now"] == "0.0"
    assert not any("Synthetic demo" in c.value for c in at.caption)


def test_pain_says_when_it_was_measured_once_the_last_entry_is_stale(app):
    at = open_page(app, "patient")
    # Pain rated on 1-6 Oct only, sessions until 10 Oct: as of 10 Oct the last pain
    # entry is 4 days old, past the 3-day stale threshold.
    files = [("PT-9_pain.csv", _pain_csv(6, 4)), ("PT-9_sessions.csv", _sessions_csv(10))]
    at = _upload(at, files, START + timedelta(9))
    metrics = _metrics(at)
    assert "Pain now" not in metrics
    assert metrics["Pain at last entry (6 Oct)"] == "4.0"
    # Two days after the last entry it is still "now".
    at.date_input(key="as_of").set_value(START + timedelta(7)).run()
    assert "Pain now" in _metrics(at)


def test_the_demo_s_deliberate_typos_do_not_raise_a_notice(app):
    at = open_page(app, "patient")
    assert not any("not imported" in w.value for w in at.warning)


def test_rejected_rows_are_announced_above_the_numbers(app):
    at = open_page(app, "patient")
    pain = _pain_csv(10, 2) + f"{START + timedelta(3)},eleven\n".encode()
    files = [("PT-9_pain.csv", pain), ("PT-9_sessions.csv", _sessions_csv(10))]
    at = _upload(at, files, START + timedelta(9))
    order = _page_order(at)
    notice = _index(order, "Warning", "not imported")
    assert "1 row was not imported, from 1 file" in order[notice][1]
    assert "import report below" in order[notice][1]
    assert notice < _index(order, "Metric")


def _unfolded_text(node) -> list[str]:
    """The text a reader sees without opening an expander."""
    if type(node).__name__ == "Expander":
        return []
    own = node.label if type(node).__name__ == "Metric" else getattr(node, "value", "")
    texts = [own] if isinstance(own, str) else []
    for child in getattr(node, "children", {}).values():
        texts += _unfolded_text(child)
    return texts


def test_the_patient_reads_no_jargon_citations_or_therapist_advice(app):
    at = _open_patient(open_page(app, "patient"), "PT-0106")
    boxes = [b.value for b in [*at.error, *at.warning, *at.info, *at.success]]
    unfolded = " ".join(_unfolded_text(at.main))
    assert any("Stopped logging" in b for b in boxes)
    assert any("Nothing logged since 3 Nov" in b for b in boxes)
    for word in ("MCID", "rolling mean", "check-in", "Source:", "Rule:", "Lancet", "et al"):
        assert word not in unfolded, word
    # The rules and sources are one click away.
    assert any(e.label.startswith("Rules behind these alerts") for e in at.expander)


def test_a_therapist_from_screening_gets_the_way_back_and_the_therapist_wording(app):
    at = open_page(app, "patient")
    at.session_state["opened_from_screening"] = "PT-0106"
    at.session_state["patient"] = "PT-0106"
    at.run()
    assert not at.exception
    assert shown(at.title[0].value) == "PT-0106"
    (link,) = at.page_link
    assert link.label == "Back to screening"
    assert _index(_page_order(at), "PageLink") < _index(_page_order(at), "Title")
    boxes = " ".join(shown(w.value) for w in at.warning)
    assert "A friendly check-in may help" in boxes
    assert "*Source:*" in boxes
    # Another patient is the patient's own page again.
    at.session_state["patient"] = "PT-0101"
    at.run()
    assert shown(at.title[0].value) == "My progress: PT-0101"
    assert not at.page_link


def test_a_widget_change_does_not_import_or_analyse_again(app):
    at = open_page(app, "patient")
    memo = at.session_state["_memo"]
    imports_before = [k for k in memo if k[0] == "import"]
    batch = memo[imports_before[0]]
    at.date_input(key="range_PT-0103").set_value((date(2026, 10, 1), date(2026, 11, 20))).run()
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
    assert "1 file," in expander.label
    # The notes read as lines of text (in full on a phone), not in a grid.
    notes = [shown(m.value) for m in expander.markdown]
    assert not [d for d in at.dataframe if "message" in d.value]  # not squeezed into a grid
    assert any("Whole file" in n and "not a CSV text file" in n for n in notes)


def _stopped_hip_rolls_csv(days: int, spike_day: int) -> bytes:
    # Every exercise 3 times a day; Hip Rolls raise pain by 2 on ``spike_day`` and the
    # patient does as told: no Hip Rolls after that day.
    lines = ["Date,Time,Exercise,Reps,Hold (s),Pain before,Pain after"]
    for d in range(days):
        for name in NAMES:
            if name == "Hip Rolls" and d > spike_day:
                continue
            for t in range(3):
                after = 4 if (name == "Hip Rolls" and d == spike_day and t == 0) else 2
                lines.append(f"{START + timedelta(d)},{8 + 4 * t}:00,{name},10,15,2,{after}")
    return ("\n".join(lines) + "\n").encode()


def test_a_paused_exercise_s_card_says_since_when_why_and_to_check_before_restarting(app):
    at = open_page(app, "patient")
    files = [("PT-9_pain.csv", _pain_csv(10, 2)), ("PT-9_sessions.csv", _stopped_hip_rolls_csv(10, 5))]
    at = _upload(at, files, START + timedelta(9))
    # The card opens on the paused exercise.
    assert at.selectbox(key="card_PT-9_hip_rolls").value == "hip_rolls"
    (card,) = [shown(w.value) for w in at.warning if w.value.startswith("Paused since")]
    assert card.startswith("Paused since 7 Oct: it raised your pain (+2 on 6 Oct).")
    assert card.endswith("Check with your therapist before you start it again.")
    # Stopping as told is not missing: today is 3 of 3 rounds of the 3 exercises left.
    assert _metrics(at)["Sessions today"] == "3 of 3"
    assert any(c.value.startswith("Today: 3 of 3 sessions · 9 of 9 exercises.") for c in at.caption)
