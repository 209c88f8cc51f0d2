"""Two real browser pages on one server and one workspace, importing and reviewing at once.

Issue 11: "two browser sessions importing and reviewing at once lose nothing". The server is
the real ``streamlit run app.py`` with REHAB_WORKSPACE set to a file under tmp_path; two
browser contexts are two Streamlit sessions. Logs are in rehab's own CSV format and end
today, because a workspace is screened as of today.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import pytest

from rehab.importer import import_files
from rehab.store import Workspace
from tests.e2e.conftest import ROOT, screenshot, streamlit_server, wait_idle

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.e2e

TODAY = date.today()
LAST_WEEK = TODAY - timedelta(days=13)
THIS_WEEK = TODAY - timedelta(days=6)
PATIENTS = ("PT-A", "PT-B", "PT-C", "PT-D")


def _pain(patients: dict[str, int], first: date) -> bytes:
    lines = ["Patient ID,Date,Time,Pain"]
    for patient, pain in patients.items():
        lines += [f"{patient},{first + timedelta(d)},09:00,{pain}" for d in range(7)]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture(scope="module")
def workspace_url(
    tmp_path_factory: pytest.TempPathFactory, chromium_path: str
) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("workspace")
    path = folder / "clinic.sqlite"
    with Workspace.open(path) as store:
        store.import_files([("last_week.csv", _pain(dict.fromkeys(PATIENTS, 4), LAST_WEEK))])
        for patient in ("PT-A", "PT-B"):
            store.review(patient, by="ana", note="seen last week")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REHAB_WORKSPACE", str(path))  # the server process inherits it
        with streamlit_server("app.py", ROOT, folder / "streamlit.log") as url:
            yield url, path


def _session(browser: Browser, width: int) -> Page:
    page = browser.new_context(viewport={"width": width, "height": 1000}).new_page()
    page.set_default_timeout(30_000)
    return page


def _start_import(page: Page, name: str, data: bytes) -> None:
    page.get_by_text("Import patients' logs into the workspace").click()
    page.locator("[data-testid='stFileUploader'] input[type=file]").set_input_files(
        [{"name": name, "mimeType": "text/csv", "buffer": data}]
    )
    page.get_by_text(name).first.wait_for()
    page.get_by_role("button", name="Import into the workspace").click()


def _start_review(page: Page, patient: str, note: str) -> None:
    page.get_by_role("combobox", name="Patient", exact=True).click()
    page.keyboard.type(patient)
    page.keyboard.press("Enter")
    wait_idle(page)
    page.get_by_label("Note (optional)").fill(note)
    page.get_by_role("button", name="Save review").click()


def test_two_sessions_import_and_review_at_once_and_lose_nothing(browser, workspace_url):
    url, path = workspace_url
    first, second = _session(browser, 1280), _session(browser, 390)
    for page in (first, second):
        page.goto(f"{url}/screening")
        wait_idle(page)
    # Both import before either waits: the two scripts run on the server at the same time.
    _start_import(first, "a_this_week.csv", _pain({"PT-A": 2}, THIS_WEEK))
    _start_import(second, "b_this_week.csv", _pain({"PT-B": 6}, THIS_WEEK))
    for page in (first, second):
        page.get_by_text("Imported 1 file: added 7 pain entries").wait_for()
        wait_idle(page)
    _start_review(first, "PT-C", "called C")
    _start_review(second, "PT-D", "called D")
    for page, patient in ((first, "PT-C"), (second, "PT-D")):
        page.get_by_text(f"Saved: {patient} reviewed.").wait_for()
        wait_idle(page)

    with Workspace.open(path) as store:
        assert sorted(r.file for r in store.imports()) == [
            "a_this_week.csv",
            "b_this_week.csv",
            "last_week.csv",
        ]
        assert len(store.pain()) == 4 * 7 + 2 * 7
        notes = {r.patient_id: r.note for r in store.reviews()}
        assert notes == {
            "PT-A": "seen last week",
            "PT-B": "seen last week",
            "PT-C": "called C",
            "PT-D": "called D",
        }
    # Each session sees the other's work on its next run: A and B have new rows since their
    # review; C and D, reviewed with nothing new, wait behind the toggle.
    first.reload()
    wait_idle(first)
    grid = first.locator("[data-testid='stDataFrame']").first
    grid.wait_for()
    assert first.get_by_text("Show reviewed and snoozed (2)").is_visible()
    screenshot(first, "workspace_screening_1280")
    screenshot(second, "workspace_screening_390")  # as the phone left it: its review saved


def test_the_patient_page_downloads_the_stored_logs_that_import_again(browser, workspace_url, tmp_path):
    url, path = workspace_url
    page = _session(browser, 1280)
    page.goto(f"{url}/progress")
    wait_idle(page)
    page.get_by_text("Export this patient's logs").wait_for()
    with page.expect_download() as download:
        page.get_by_role("button", name="PT-A_pain.csv").click()
    saved = tmp_path / "export.csv"
    download.value.save_as(saved)
    batch = import_files([("PT-A_pain.csv", saved.read_bytes())])
    with Workspace.open(path) as store:
        stored = store.pain("PT-A")
    assert batch.exit_code == 0
    assert list(batch.pain["pain"]) == list(stored["pain"])
    assert list(batch.pain["date"]) == list(stored["date"])
    screenshot(page, "workspace_patient_1280")
