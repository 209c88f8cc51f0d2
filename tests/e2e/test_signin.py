"""Sign-in in a real browser against a local OpenID Connect provider (issue 11).

The provider is oidc-provider-mock (started here on a free loopback port, in its own
process): its authorization page asks for the user's ``sub`` and signs that user in; a user
given with ``--user-claims`` also carries an email and a name. Streamlit reads the test's
``[auth]`` section from a secrets file outside the repository (``STREAMLIT_SECRETS_FILES``),
shaped as Streamlit's st.login documentation shows (redirect_uri ending in /oauth2callback,
cookie_secret, client_id, client_secret, server_metadata_url). The same server runs the
temporary demo workspace (``REHAB_WORKSPACE=demo``), so the test also checks that its file is
private while the app runs and gone once the server is stopped.
"""

from __future__ import annotations

import json
import secrets
import stat
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest

from tests.e2e.conftest import ROOT, _free_port, screenshot, streamlit_server, wait_idle

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

EMAIL = "therapist@clinic.example"
NAME = "Dana Reyes"


@contextmanager
def oidc_provider(log: Path) -> Iterator[str]:
    """Run oidc-provider-mock on a free loopback port; yield its base URL."""
    port = _free_port()
    claims = json.dumps({"sub": EMAIL, "email": EMAIL, "name": NAME})
    command = [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*command, "--user-claims", claims], stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(log.read_text(errors="replace")[-2000:]) from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _secrets(folder: Path, provider: str) -> Path:
    path = folder / "secrets.toml"
    path.write_text(
        "[auth]\n"
        'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "rehab-e2e"\n'
        'client_secret = "rehab-e2e-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    return path


def _demo_files(folder: Path) -> list[Path]:
    return [path for path in folder.glob("rehab-demo-*/*") if path.is_file()]


def _newest_review_by(folder: Path) -> str | None:
    from rehab.store import Workspace

    (path,) = folder.glob("rehab-demo-*/*.db")
    with Workspace.open(path) as workspace:
        return workspace.reviews()[0].by


def _both_widths(page: Page, name: str) -> None:
    screenshot(page, f"{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(400)
    screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.wait_for_timeout(300)


def _assert_signed_out(page: Page) -> None:
    wait_idle(page)
    page.get_by_role("heading", name="Sign in to rehab").wait_for()
    body = page.inner_text("body")
    for private in ("PT-0", "My progress", "Screening", "Signed in as"):
        assert private not in body, private
    assert "Self-reported data, not a diagnosis" in body
    assert page.locator("[data-testid='stSidebarNav']").count() == 0


def test_sign_in_screening_and_sign_out(page, tmp_path, monkeypatch):
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setenv("REHAB_WORKSPACE", "demo")
    page.set_viewport_size({"width": 1280, "height": 900})
    with oidc_provider(tmp_path / "oidc.log") as provider:
        monkeypatch.setenv("STREAMLIT_SECRETS_FILES", str(_secrets(tmp_path, provider)))
        with streamlit_server("app.py", ROOT, tmp_path / "streamlit.log") as url:
            # A bookmarked page opens on the sign-in screen too, with nothing of the app.
            page.goto(f"{url}/screening")
            _assert_signed_out(page)
            _both_widths(page, "signin-before")

            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{provider}/oauth2/authorize**")
            page.fill("input[name=sub]", EMAIL)
            page.get_by_role("button", name="Authorize").click()
            page.wait_for_url(f"{url}/**")
            wait_idle(page)
            sidebar = page.locator("[data-testid='stSidebar']")
            sidebar.get_by_text(f"Signed in as {NAME}").wait_for()
            # The address is text (a word joiner keeps it from becoming a mailto link).
            assert EMAIL in sidebar.inner_text().replace("\u2060", "")

            sidebar.get_by_role("link", name="Screening").click()
            wait_idle(page)
            page.get_by_role("heading", name="Screening").wait_for()
            main = page.locator("[data-testid='stMain']")
            main.get_by_text("Demo workspace (temporary, deleted when the app stops)").wait_for()
            _both_widths(page, "signin-screening")
            stored = _demo_files(temp)
            assert stored, "the demo workspace was not created in TMPDIR"
            assert all(stat.S_IMODE(path.stat().st_mode) == 0o600 for path in stored)
            # A review made in the browser is recorded as the signed-in user.
            page.get_by_role("button", name="Save review").click()
            page.get_by_text("Saved:").wait_for()
            assert _newest_review_by(temp) == EMAIL

            sidebar.get_by_role("button", name="Sign out").click()
            # The mock provider offers to end its session too, then sends the browser back.
            page.get_by_role("button", name="End session").click()
            page.wait_for_url(f"{url}/**")
            _assert_signed_out(page)
            page.goto(f"{url}/progress")
            _assert_signed_out(page)
    assert not list(temp.glob("rehab-demo-*")), "the demo workspace outlived the server"
