"""Hostile uploads in a real browser (issue 10): what a file wrote is shown as written, and
nothing it says makes the browser fetch from, or link to, anywhere but this machine.

The payloads sit in every field a log has (patient id, exercise name, notes with a red-flag
word, a pain value, the file name); the logs are laid out as docs/data-format.md describes.
"""

from __future__ import annotations

import re
import shutil
from datetime import date, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import pytest

from tests.e2e.conftest import ROOT, screenshot, streamlit_server, wait_idle

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, FilePayload, Page

pytestmark = pytest.mark.e2e

PATIENT = (
    "PT-7 ![i](http://example.invalid/i.png) [l](http://example.invalid/) **b** $x$ "
    ":red[r] <img src=http://example.invalid/h.png> :material/home: :smile:"
)
EXERCISE = "Cat Stretch ![e](http://example.invalid/e.png)"
NOTE = "numbness in both legs ![n](http://example.invalid/n.png) :red[help]"
FILE = "![f](http://example.invalid/f.png) $x$ **log**.csv"
EXERCISES = ("Cat Stretch", "Hip Rolls", "Core", "Back Extension")
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# What the page's own text may hold of the payloads once rendered: nothing drawn from them.
DRAWN_JS = """
() => ({
  images: [...document.querySelectorAll('img')].map((e) => e.src)
    .filter((src) => !src.startsWith('data:') && !src.includes('127.0.0.1')),
  links: [...document.querySelectorAll('a[href]')].map((e) => e.href)
    .filter((href) => !href.includes('127.0.0.1')),
  maths: document.querySelectorAll('.katex').length,
})
"""


def _logs() -> list[FilePayload]:
    # Logs ending today: an upload is analysed as of today.
    today = date.today()
    days = [today - timedelta(d) for d in range(9, -1, -1)]
    pain = ["patient_id,date,pain,notes"] + [f'"{PATIENT}",{d},3,' for d in days]
    pain += [f'"{PATIENT}",{today},4,"{NOTE}"', f'"{PATIENT}",{days[3]},eleven,']
    sessions = ["patient_id,date,time,exercise,pain_before,pain_after"]
    sessions += [f'"{PATIENT}",{d},08:00,{name},3,3' for d in days for name in EXERCISES]
    sessions.append(f'"{PATIENT}",{days[2]},09:00,"{EXERCISE}",3,3')
    # Handed to the file input as buffers: a name with '/' in it cannot be a file on disk.
    return [
        {"name": name, "mimeType": "text/csv", "buffer": ("\n".join(lines) + "\n").encode()}
        for name, lines in ((FILE, pain), ("sessions.csv", sessions))
    ]


def _read(text: str) -> str:
    """Text as a reader takes it: invisible word joiners dropped, non-breaking hyphens as '-'."""
    return text.replace("\u2060", "").replace("\u2011", "-")


@pytest.fixture(params=[390, 1280], ids=["phone", "laptop"])
def watched(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A page at a phone's or a laptop's width, and every URL it requests."""
    context = browser.new_context(viewport={"width": request.param, "height": 1400})
    page = context.new_page()
    page.set_default_timeout(60_000)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    yield page, requests
    context.close()


def _outside(requests: list[str]) -> list[str]:
    return sorted(
        {
            url
            for url in requests
            if urlparse(url).scheme not in {"data", "blob"} and urlparse(url).hostname not in LOCAL_HOSTS
        }
    )


def test_my_progress_shows_payloads_as_written_and_fetches_nothing(
    watched: tuple[Page, list[str]], server_url: str
) -> None:
    page, requests = watched
    page.goto(f"{server_url}/progress")
    wait_idle(page)
    uploader = page.locator("[data-testid='stSidebar'] [data-testid='stFileUploader'] input[type=file]")
    uploader.set_input_files(_logs())
    # The uploaded patient's heading (its hyphen drawn as a non-breaking one): the demo
    # patient's ("My progress: PT-0103") is there before the upload's rerun starts, and
    # waiting for any "PT" read it in a slow run.
    page.locator("h1", has_text=re.compile(r"My progress: PT\W{1,3}7 ")).first.wait_for()
    wait_idle(page)
    assert _read(page.locator("h1").first.inner_text()) == f"My progress: {PATIENT}"
    report = page.locator("[data-testid='stExpander']", has_text="Import report").first
    report.locator("summary").click()
    wait_idle(page)
    text = _read(report.inner_text())
    assert FILE in text
    assert "Cat Stretch ![e](http://example.invalid/" in text
    assert "pain is 'eleven'" in text
    page.wait_for_timeout(1000)  # let any image the page asked for be requested
    assert page.evaluate(DRAWN_JS) == {"images": [], "links": [], "maths": 0}
    width = page.viewport_size["width"] if page.viewport_size else 0
    screenshot(page, f"hostile_progress_{width}")
    assert _outside(requests) == []


def test_screening_shows_payloads_as_written_and_fetches_nothing(
    watched: tuple[Page, list[str]], server_url: str
) -> None:
    page, requests = watched
    page.goto(f"{server_url}/screening")
    wait_idle(page)
    page.locator("[data-testid='stExpander']", has_text="Upload patients' logs").locator(
        "summary"
    ).click()
    uploader = page.locator("[data-testid='stMain'] [data-testid='stFileUploader'] input[type=file]")
    uploader.set_input_files(_logs())
    page.get_by_text("Showing your 2 uploaded files").first.wait_for()
    wait_idle(page)
    reports = page.locator("[data-testid='stExpander']", has_text="(pain)")
    reports.first.wait_for()
    assert f"{FILE} (pain): 12 rows" in _read(reports.first.locator("summary").inner_text())
    page.wait_for_timeout(1000)
    assert page.evaluate(DRAWN_JS) == {"images": [], "links": [], "maths": 0}
    width = page.viewport_size["width"] if page.viewport_size else 0
    screenshot(page, f"hostile_screening_{width}")
    assert _outside(requests) == []


# An app error, as a visitor would see it, under the app's own config (.streamlit/config.toml):
# a script beside a copy of the config raises with a path, a patient id and a code line.
FAILING_SCRIPT = """
import streamlit as st
st.write("before the error")
secret = "/work/main/rehab/analysis/engine.py PT-0103 pain 7"
raise ValueError(secret)
"""


@pytest.fixture(scope="module")
def failing_url(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("failing")
    (folder / ".streamlit").mkdir()
    shutil.copy(ROOT / ".streamlit" / "config.toml", folder / ".streamlit" / "config.toml")
    (folder / "failing.py").write_text(FAILING_SCRIPT, encoding="utf-8")
    with streamlit_server("failing.py", folder, folder / "streamlit.log") as url:
        yield url


def test_an_error_shows_no_path_code_or_link(page: Page, failing_url: str) -> None:
    page.goto(failing_url)
    error = page.locator("[data-testid='stException']")
    error.wait_for()
    wait_idle(page)
    text = error.inner_text()
    assert "This app has encountered an error" in text
    for leak in ("/work", "engine.py", "PT-0103", "raise", "Traceback", "ValueError", "line "):
        assert leak not in text, leak
    # No "Ask Google" / "Ask ChatGPT" links carrying the error off the machine.
    assert error.locator("a").count() == 0
