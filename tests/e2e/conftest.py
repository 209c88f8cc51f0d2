"""Browser tests: the real Streamlit server on a free port, driven by Debian's chromium.

Nothing downloads a browser: Playwright is pointed at the system chromium. Without one the
tests skip with a reason, except where REHAB_REQUIRE_E2E is set (CI), where they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def _chromium() -> str | None:
    for candidate in (
        os.environ.get("REHAB_CHROMIUM"),
        shutil.which("chromium"),
        "/usr/bin/chromium",
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = _chromium()
    if path is None:
        reason = "no chromium found (apt-get install chromium); browser tests need it"
        if os.environ.get("REHAB_REQUIRE_E2E"):
            pytest.fail(reason)
        pytest.skip(reason)
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server not healthy in {timeout}s: {log.read_text(errors='replace')[-2000:]}")


@contextmanager
def streamlit_server(script: str, cwd: Path, log: Path, *, launcher: bool = False) -> Iterator[str]:
    """Run ``streamlit run SCRIPT`` in ``cwd`` on a free loopback port; yield its URL.

    With ``launcher`` the app starts as ``make run`` starts it: ``python -m app_pages.serve``
    (``streamlit run app.py`` warming the first page in the background; ``script`` unused).
    The output goes to ``log`` (read back when the server fails to start), never to a pipe.
    """
    port = _free_port()
    start = ["app_pages.serve"] if launcher else ["streamlit", "run", script]
    command = [
        sys.executable,
        "-m",
        *start,
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log, timeout=60)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def server_url(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[str]:
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    with streamlit_server("app.py", ROOT, log, launcher=True) as url:
        yield url


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_FLAGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 1800})
    new_page = context.new_page()
    new_page.set_default_timeout(30_000)
    yield new_page
    context.close()


def wait_idle(page: Page) -> None:
    """Wait until the script has run and stopped (after a navigation or an interaction)."""
    page.wait_for_selector("[data-testid='stApp']")
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=60_000)


def screenshot(page: Page, name: str) -> Path:
    """Save the whole page to artifacts/screenshots/NAME.png (a CI artefact, not committed).

    Streamlit scrolls inside its main element, not the document, so a "full page" screenshot
    would stop at the window's height: the window is made as tall as the content for the shot.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    viewport = page.viewport_size
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll(\"[data-testid='stMain'], "
        "[data-testid='stSidebarContent']\")].map((e) => e.scrollHeight), 0)"
    )
    if viewport is not None and height > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": min(int(height), 12_000)})
        page.wait_for_timeout(500)
        page.screenshot(path=str(path), full_page=True)
        page.set_viewport_size(viewport)
        page.wait_for_timeout(200)
    else:
        page.screenshot(path=str(path), full_page=True)
    return path
