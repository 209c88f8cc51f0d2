"""The real app in headless chromium: demo, uploads through the real widget, drill-down."""

from __future__ import annotations

import contextlib
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from rehab.sample import DEMO_FIRST_PATIENT
from tests.e2e.conftest import screenshot, wait_idle

pytestmark = pytest.mark.e2e

PAIN = "Date,Pain\n" + "".join(f"2026-10-{d:02d},{max(0, 6 - d)}\n" for d in range(1, 15))
SESSIONS = "Date,Exercise,Reps,Pain before,Pain after\n" + "".join(
    f"2026-10-{d:02d},{name},10,3,3\n"
    for d in range(1, 15)
    for name in ("Back Extension", "Cat Stretch", "Hip Rolls", "TA brace")
)
CHARTS = "[data-testid='stVegaLiteChart']"


def _charts_drawn(page, at_least: int = 1) -> int:
    """Count the charts drawn, once ``at_least`` are (or after 30 s: then the count is short).

    Each chart is drawn by the browser on its own after the script has finished, so counting
    at the first drawn chart raced the others (seen once the warm server answered faster).
    """
    drawn = f"{CHARTS} canvas, {CHARTS} svg.marks"
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(
            "([selector, n]) => document.querySelectorAll(selector).length >= n",
            arg=[drawn, at_least],
            timeout=30_000,
        )
    return page.locator(drawn).count()


def test_demo_opens_with_every_chart_drawn(page, server_url):
    page.goto(server_url)
    wait_idle(page)
    page.get_by_text("synthetic demo cohort").first.wait_for()
    # The demo opens on the patient whose story shows what the dashboard does.
    # The patient's title keeps an id whole with non-breaking hyphens (U+2011): read as "-".
    title = page.locator("h1").first.inner_text().replace("\u2011", "-")
    assert title == f"My progress: {DEMO_FIRST_PATIENT}"
    assert _charts_drawn(page, at_least=4) >= 4
    assert page.get_by_text("Self-reported data, not a diagnosis").first.is_visible()
    shot = screenshot(page, "patient_demo")
    assert shot.stat().st_size > 50_000


def test_uploading_logs_through_the_widget_shows_that_patient(page, server_url, tmp_path):
    pain = tmp_path / "PT-0900_pain.csv"
    sessions = tmp_path / "PT-0900_sessions.csv"
    pain.write_text(PAIN)
    sessions.write_text(SESSIONS)
    page.goto(server_url)
    wait_idle(page)
    uploader = page.locator("[data-testid='stSidebar'] [data-testid='stFileUploader'] input[type=file]")
    uploader.set_input_files([str(pain), str(sessions)])
    page.get_by_role("heading", name=re.compile("My progress: PT[-\u2011]0900")).wait_for(timeout=60_000)
    wait_idle(page)
    assert _charts_drawn(page, at_least=4) >= 4
    assert page.get_by_text("synthetic demo cohort").count() == 0
    screenshot(page, "patient_upload")


def test_screening_upload_and_drill_down(page, server_url, tmp_path):
    # Logs that end today, because an upload is analysed as of today. PT-0902 (listed
    # second by id) had severe pain today: critical, so it must top the table.
    days = [date.today() - timedelta(days=n) for n in range(13, -1, -1)]
    files = []
    for patient, today_pain in (("PT-0901", 3), ("PT-0902", 8)):
        path = tmp_path / f"{patient}_pain.csv"
        path.write_text(
            "Date,Pain\n" + "".join(f"{day},{today_pain if day == days[-1] else 3}\n" for day in days)
        )
        files.append(str(path))
    page.goto(f"{server_url}/screening")
    wait_idle(page)
    page.locator("[data-testid='stFileUploader'] input[type=file]").set_input_files(files)
    page.get_by_text("2 of 2 patients").wait_for(timeout=60_000)
    wait_idle(page)
    screenshot(page, "screening_upload")
    grid = page.locator("[data-testid='stDataFrame']").first
    box = grid.bounding_box()
    assert box is not None
    # The first data row (most urgent: PT-0902, severe pain) sits below the header row.
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 18)
    # Opened from screening, the page speaks to the therapist: the id alone as its title.
    page.get_by_role("heading", name="PT-0902", exact=True).wait_for(timeout=60_000)
    wait_idle(page)
    screenshot(page, "screening_drilldown")


def test_library_page_shows_the_four_exercises(page, server_url):
    page.goto(f"{server_url}/library")
    wait_idle(page)
    for name in ("Back Extension", "Cat Stretch", "Hip Rolls", "Core Exercise"):
        page.get_by_role("heading", name=name).wait_for()
    assert page.locator("[data-testid='stImage'] img").count() == 4
    screenshot(page, "library")


def test_selecting_an_exercise_in_a_chart_opens_its_card(page, server_url):
    page.set_viewport_size({"width": 1440, "height": 3000})
    page.goto(server_url)
    wait_idle(page)
    _charts_drawn(page)
    page.wait_for_timeout(1500)
    response_chart = page.locator(CHARTS).nth(3).bounding_box()
    assert response_chart is not None
    # The third row (Hip Rolls) of the exercise-response chart; each row is a click target
    # across the whole plot width, so the right-hand side of the row is empty plot area.
    page.mouse.click(
        response_chart["x"] + response_chart["width"] * 0.75,
        response_chart["y"] + response_chart["height"] * 0.44,
    )
    page.get_by_role("heading", name="Hip Rolls").wait_for(timeout=30_000)
    wait_idle(page)
    screenshot(page, "patient_exercise_selected")


def test_drill_down_keeps_the_screening_as_of_date(page, server_url):
    # The demo is screened as of its last log (20 Nov 2026); the patient opened from the
    # table must be shown as of the same day, not today.
    page.goto(f"{server_url}/screening")
    wait_idle(page)
    page.get_by_text("as of 20 Nov 2026").first.wait_for()
    # Search for the patient, so the row to click is the first whatever the triage order.
    page.get_by_label("Patient id").fill("PT-0103")
    page.keyboard.press("Enter")
    page.get_by_text("1 of 8 patients").first.wait_for()
    wait_idle(page)
    box = page.locator("[data-testid='stDataFrame']").first.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 18)
    page.get_by_role("heading", name="PT-0103", exact=True).wait_for(timeout=60_000)
    wait_idle(page)
    assert page.get_by_role("link", name="Back to screening").is_visible()
    page.get_by_text("As of 20 Nov 2026").first.wait_for(timeout=10_000)
    screenshot(page, "screening_drilldown_demo")
