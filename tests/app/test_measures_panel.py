"""The questionnaires panel of the patient page (AppTest).

The measures CSV follows the issue 12 format (patient_id, date, measure, then item answers
``item_1``... in the form's own words, or a ``score`` column where a clinic has totals only).
The STarT Back answers are the tool's own words (agree / disagree; item 9 "Very much").
"""

from __future__ import annotations

from datetime import date, timedelta

from tests.app.conftest import open_page, walk

START = date(2026, 10, 1)
AS_OF = START + timedelta(days=20)
NAMES = ("Back Extension", "Cat Stretch", "Hip Rolls", "Core")


def _logs() -> list[tuple[str, bytes]]:
    sessions = ["patient_id,Date,Time,Exercise"] + [
        f"P1,{START + timedelta(d)},{8 + 4 * t}:00,{name}"
        for d in range(21)
        for name in NAMES
        for t in range(3)
    ]
    pain = ["patient_id,Date,Pain"] + [
        f"P1,{START + timedelta(d)},{6 if d < 3 else 2}" for d in range(21)
    ]
    return [
        ("P1_sessions.csv", ("\n".join(sessions) + "\n").encode()),
        ("P1_pain.csv", ("\n".join(pain) + "\n").encode()),
    ]


# ODI 44 % -> 30 %: 14 points better, more than the 10 that matter. STarT Back: 8 of 9 with a
# distress subscale of 5: high risk.
TOTALS = b"""patient_id,date,measure,score
P1,2026-10-01,odi,44
P1,2026-10-15,odi,30
"""
START_BACK = b"""patient_id,date,measure,item_1,item_2,item_3,item_4,item_5,item_6,item_7,item_8,item_9
P1,2026-10-01,STarT Back,agree,agree,disagree,agree,agree,agree,agree,agree,Very much
"""


def _upload(app, files: list[tuple[str, bytes]], *, as_of: bool = True):
    at = open_page(app, "patient")
    at.file_uploader(key="patient_upload").set_value(
        [(name, data, "text/csv") for name, data in files]
    ).run()
    if as_of:
        at.date_input(key="as_of").set_value(AS_OF).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at) -> list[str]:
    return [str(getattr(node, "value", "")) for node in walk(at.main)]


def test_panel_shows_latest_score_change_and_whether_it_matters(app):
    at = _upload(app, [*_logs(), ("P1_measures.csv", TOTALS), ("P1_start.csv", START_BACK)])
    metrics = {m.label: m for m in at.metric}
    odi = metrics["ODI (15 Oct)"]
    assert odi.value == "30%"
    texts = " ".join(_texts(at))
    assert (
        "Better by 14 percentage points since 1 Oct, more than the 10-point change that matters."
        in texts
    )
    # The risk screen says its group under its score.
    start_back = metrics["STarT Back (1 Oct)"]
    assert (start_back.value, start_back.delta) == ("8 of 9", "High risk")
    # An ASCII minus: Streamlit reads it to point the arrow down (green, as lower is better).
    assert odi.delta == "-14 since 1 Oct"
    # Keele's copyright statement under the STarT Back result.
    assert any("Keele University" in c.value and "copyright" in c.value for c in at.caption)
    # The rules behind the scores are one click away.
    expanders = [e.label for e in at.expander]
    (rules,) = [label for label in expanders if label.startswith("Rules behind these scores")]
    # Names keep their own capitals (the label once read "oswestry (odi)", "start back").
    assert "Oswestry (ODI)" in rules
    assert "STarT Back" in rules
    # The STarT Back flag is among the alerts, with the rule's title.
    assert any("High risk on STarT Back" in info.value for info in at.info)
    titles = [str(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert any("Oswestry Disability Index" in t for t in titles)
    assert any("Keele STarT Back Screening Tool" in t for t in titles)
    # The panel comes after the four progress charts, its own charts after its heading.
    kinds = [(getattr(node, "type", ""), str(getattr(node, "value", ""))) for node in walk(at.main)]
    panel = kinds.index(("subheader", "Questionnaires"))
    charts = [i for i, (kind, _) in enumerate(kinds) if kind == "vega_lite_chart"]
    assert len(charts) == 6
    assert charts[3] < panel < charts[4]


def test_nothing_is_shown_without_questionnaires(app):
    at = _upload(app, _logs())
    assert "Questionnaires" not in _texts(at)
    assert not any("Keele University" in c.value for c in at.caption)
    assert not any(e.label.startswith("Rules behind these scores") for e in at.expander)


def test_an_upload_of_questionnaires_only_shows_the_scores(app):
    at = _upload(app, [("P1_measures.csv", TOTALS), ("P1_start.csv", START_BACK)], as_of=False)
    assert any("questionnaires only" in info.value for info in at.info)
    assert "ODI (15 Oct)" in [m.label for m in at.metric]
    assert not at.warning
