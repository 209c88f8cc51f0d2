"""Hostile uploads on the pages (issue 10): nothing a file wrote is read as Markdown, and no
upload or as-of day crashes a page.

The logs are written like the app's own import examples (docs/data-format.md): a pain log
and a session log with a patient_id column, one row per rating or exercise done.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from datetime import date, timedelta

import pytest

from rehab.markup import literal, unbroken
from tests.app.conftest import open_page, shown, walk

START = date(2026, 10, 1)
AS_OF = START + timedelta(9)
PATIENT = (
    "PT-7 ![i](http://example.invalid/i.png) [l](http://example.invalid/) **b** $x$ "
    ":red[r] <img src=http://example.invalid/h.png> :material/home: :smile:"
)
EXERCISE = "Cat Stretch ![e](http://example.invalid/e.png)"
NOTE = "numbness in both legs ![n](http://example.invalid/n.png) :red[help]"
BAD_PAIN = "eleven ![z](http://example.invalid/z.png)"
FILE = "![f](http://example.invalid/f.png) $x$ **log**.csv"
EXERCISES = ("Cat Stretch", "Hip Rolls", "Core", "Back Extension")
# Markdown that would fetch, link, format or draw: only ever shown escaped.
UNESCAPED = re.compile(r"(?<!\\)(!\[|\]\(|<img|:red\[|\$x\$|\*\*b\*\*|:material/home:|:smile:)")
# Widgets whose values and options Streamlit shows as plain text, never as Markdown.
PLAIN = {"Selectbox", "Multiselect", "Dataframe", "Text", "TextInput", "DateInput"}


def _payload_files() -> list[tuple[str, bytes]]:
    pain = ["patient_id,date,pain,notes"]
    pain += [f'"{PATIENT}",{START + timedelta(d)},3,' for d in range(10)]
    pain += [f'"{PATIENT}",{AS_OF},4,"{NOTE}"', f'"{PATIENT}",{START + timedelta(3)},{BAD_PAIN},']
    sessions = ["patient_id,date,time,exercise,pain_before,pain_after"]
    sessions += [
        f'"{PATIENT}",{START + timedelta(d)},08:00,{name},3,3' for d in range(10) for name in EXERCISES
    ]
    sessions.append(f'"{PATIENT}",{START + timedelta(2)},09:00,"{EXERCISE}",3,3')
    return [
        (FILE, "\n".join(pain).encode() + b"\n"),
        ("sessions.csv", "\n".join(sessions).encode() + b"\n"),
    ]


def _upload(at, key: str, files, mime: str = "text/csv"):
    at.file_uploader(key=f"{key}_upload").set_value([(n, d, mime) for n, d in files]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _markdown_texts(at) -> list[tuple[str, str]]:
    """(element kind, text) of every string Streamlit reads as Markdown, main and sidebar."""
    texts = []
    for root in (at.main, at.sidebar):
        for node in walk(root):
            kind = type(node).__name__
            for attr in ("value", "label", "help", "body"):
                text = getattr(node, attr, None)
                if isinstance(text, str) and not (kind in PLAIN and attr == "value"):
                    texts.append((kind, text))
    return texts


def _assert_nothing_interpreted(at) -> None:
    found = [(kind, text[:120]) for kind, text in _markdown_texts(at) if UNESCAPED.search(text)]
    assert found == []


def test_text_a_file_wrote_is_shown_as_written_on_my_progress(app):
    at = _upload(open_page(app, "patient"), "patient", _payload_files())
    at.date_input(key="as_of").set_value(AS_OF).run()
    assert not at.exception
    title = at.title[0].value
    assert title == f"My progress: {literal(unbroken(PATIENT))}"
    assert shown(title) == f"My progress: {PATIENT}"
    # The import report names the file and quotes the bad values and the unknown exercise.
    report = [shown(m.value) for m in at.markdown]
    assert any(FILE in line for line in report)
    assert any("pain is 'eleven ![z](http://example.invalid/" in line for line in report)
    assert any("Exercise 'Cat Stretch ![e](http://example.invalid/" in line for line in report)
    # The red flag from the note is raised, and its box quotes nothing unescaped.
    assert any("Red-flag symptom" in e.value for e in at.error)
    _assert_nothing_interpreted(at)

    # The therapist's view of the same patient adds the rule inline; the note's words are
    # named once (the message already says "numbness in both legs"), never as markup.
    at.session_state["opened_from_screening"] = at.session_state["patient"]
    at.run()
    assert not at.exception
    assert at.title[0].value == literal(PATIENT)
    (box,) = [shown(e.value) for e in at.error if "Red-flag symptom" in e.value]
    assert "Rule:" in box
    assert box.count("numbness in both legs") == 1
    _assert_nothing_interpreted(at)


def test_text_a_file_wrote_is_shown_as_written_on_screening(app):
    at = _upload(open_page(app, "screening"), "screening", _payload_files())
    assert list(at.dataframe[0].value["patient_id"]) == [PATIENT]
    labels = [shown(e.label) for e in at.expander]
    assert any(label.startswith(f"{FILE} (pain): 12 rows") for label in labels)
    _assert_nothing_interpreted(at)


def _same_names_zip() -> bytes:
    # Two weeks' exports of one patient, each in its own folder, each with a rejected row.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for week, first in (("week1", 0), ("week2", 7)):
            lines = ["Date,Pain"] + [f"{START + timedelta(first + d)},3" for d in range(7)]
            lines.append(f"{START + timedelta(first + 2)},eleven")
            archive.writestr(f"{week}/PT-1_pain.csv", "\n".join(lines) + "\n")
    return buffer.getvalue()


@pytest.mark.parametrize("page", ["patient", "screening"])
def test_two_files_of_one_name_each_with_a_rejected_row_open_the_page(app, page, caplog):
    at = open_page(app, page)
    with caplog.at_level(logging.DEBUG):
        _upload(at, page, [("logs.zip", _same_names_zip())], mime="application/zip")
        at.date_input(key="as_of").set_value(START + timedelta(13)).run()
    assert not at.exception, [e.value for e in at.exception]
    rejected = [b for b in at.get("download_button") if "Rejected rows" in b.proto.label]
    assert len(rejected) == 2
    # Nothing logged names the files (a crash used to log a key made of the file name).
    assert not [r for r in caplog.records if "PT-1_pain" in r.getMessage()]


def _pain_log(first: date, days: int) -> bytes:
    lines = ["Date,Pain"] + [f"{first + timedelta(d)},3" for d in range(days)]
    return ("\n".join(lines) + "\n").encode()


def test_an_as_of_day_before_the_first_log_says_there_is_nothing_to_show_yet(app):
    at = _upload(open_page(app, "patient"), "patient", [("PT-3_pain.csv", _pain_log(START, 10))])
    at.date_input(key="as_of").set_value(date(2026, 9, 1)).run()
    assert not at.exception, [e.value for e in at.exception]
    (box,) = at.info
    assert box.value.startswith("Nothing to show as of 1 Sep 2026: the logs start on 1 Oct 2026.")
    # A day inside the logs shows the patient again.
    at.date_input(key="as_of").set_value(AS_OF).run()
    assert not at.exception
    assert shown(at.title[0].value) == "My progress: PT-3"


def test_screening_as_of_a_day_before_the_first_log_says_so_instead_of_an_empty_table(app):
    at = _upload(open_page(app, "screening"), "screening", [("PT-3_pain.csv", _pain_log(START, 10))])
    at.date_input(key="as_of").set_value(date(2026, 9, 1)).run()
    assert not at.exception, [e.value for e in at.exception]
    (box,) = at.info
    assert box.value.startswith("Nothing to show as of 1 Sep 2026: the logs start on 1 Oct 2026.")
    assert not [d for d in at.dataframe if "patient_id" in d.value]  # no empty triage table
    at.date_input(key="as_of").set_value(AS_OF).run()
    assert list(at.dataframe[0].value["patient_id"]) == ["PT-3"]


def test_logs_that_all_lie_ahead_of_today_say_when_they_start(app):
    first = date.today() + timedelta(30)
    at = _upload(open_page(app, "patient"), "patient", [("PT-4_pain.csv", _pain_log(first, 5))])
    assert not at.exception, [e.value for e in at.exception]
    (box,) = at.info
    assert f"the logs start on {first.day} {first:%b %Y}" in box.value
