from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


@pytest.fixture
def app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60)


def open_page(at: AppTest, page: str) -> AppTest:
    # Run once first: before a run AppTest names pages by file, which misses a page that
    # st.navigation registers under a url_path; later runs would go to the default page.
    at.run()
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def visit() -> AppTest:
    """A new visitor's first run of the app (its own session), checked for exceptions."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def latest_memo(at: AppTest, what: str) -> Any:
    """The session's latest ``what`` ("import", "analysis"): the memo keeps the newest last."""
    return [value for key, value in at.session_state["_memo"].items() if key[0] == what][-1]


def shown(markdown: str) -> str:
    """The text a reader sees for Markdown of a file's text (rehab.markup.literal undone).

    Backslash escapes are dropped, and the invisible word joiner and non-breaking hyphen
    that keep links and ids whole read as nothing and as "-".
    """
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)
    return text.replace("\u2060", "").replace("\u2011", "-")


def walk(node):
    """Every element under ``node`` (``at.main``, ``at.sidebar``), in the order a reader meets it."""
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)
