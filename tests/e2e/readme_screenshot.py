"""Retake the README's screenshot: the demo's progress page in a 1440 x 1400 window.

    .venv/bin/python -m tests.e2e.readme_screenshot --out docs/screenshot.png

Starts the app on a free local port, waits for every chart, saves the window (not the whole
page: the README shows what a laptop sees first) and stops the server. Not a test.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.e2e.conftest import CHROMIUM_FLAGS, ROOT, _chromium, _free_port, _wait_healthy, wait_idle

WIDTH, HEIGHT = 1440, 1400


def main(argv: list[str] | None = None) -> int:
    """Save the screenshot to ``--out`` (default artifacts/readme_screenshot.png)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "artifacts" / "readme_screenshot.png")
    out: Path = parser.parse_args(argv).out
    chromium = _chromium()
    if chromium is None:
        print("no chromium found (apt-get install chromium)", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    port = _free_port()
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "streamlit.log"
        with log.open("wb") as sink:
            server = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
                cwd=ROOT,
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(url, server, log, timeout=60)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=chromium, headless=True, args=CHROMIUM_FLAGS
                )
                page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
                page.goto(f"{url}/progress")
                wait_idle(page)
                page.wait_for_selector("[data-testid='stVegaLiteChart'] svg.marks")
                page.wait_for_timeout(1500)
                out.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(out))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"saved {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
