"""Every page at a phone's and a laptop's width: screenshots, layout and network checks.

One walk per width visits every page of the demo (the progress page of a patient with a
critical flag, the library, screening, the patient opened from screening, the rules), saves a
full-page screenshot of each to artifacts/screenshots/ (a CI artefact, not committed) and
measures what the tests below assert. Measuring once keeps the suite to one page load per page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import screenshot, wait_idle
from tests.e2e.page_probes import CHARTS_JS, GRIDS_JS, OVERFLOW_JS

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.e2e
T = TypeVar("T")

PHONE = 390
LAPTOP = 1280
# rehab/sample/stories.py: PT-0107 wrote a red-flag note the day before the demo's last day,
# so the flag red_flag_symptom (critical) is raised and PT-0107 tops the triage table.
CRITICAL_PATIENT = "PT-0107"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
LOCAL_SCHEMES = {"data", "blob", "about"}
CHARTS = "[data-testid='stVegaLiteChart']"
# Streamlit's dataframe is a canvas grid (glide-data-grid); its scroller is a plain div whose
# scrollWidth is the sum of the column widths.
GRID_SCROLLER = "[data-testid='stDataFrame'] .dvn-scroller"


@dataclass
class Walk:
    """What one walk through the app at one width saw."""

    width: int
    stopped: str = ""  # the step that failed, if the walk could not finish
    requests: list[str] = field(default_factory=list)
    favicons: list[str] = field(default_factory=list)
    headings: dict[str, str] = field(default_factory=dict)  # visit -> first h1
    urls: dict[str, str] = field(default_factory=dict)  # visit -> URL path after loading
    not_found: dict[str, int] = field(default_factory=dict)  # visit -> "Page not found" count
    errors: dict[str, str] = field(default_factory=dict)  # visit -> an exception box's text
    overflow: dict[str, dict[str, Any]] = field(default_factory=dict)
    charts: dict[str, list[list[str]]] = field(default_factory=dict)  # visit -> per chart
    flag_and_metric: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    grid: dict[str, tuple[int, int]] = field(default_factory=dict)  # scrollWidth, clientWidth
    sidebar_open: dict[str, bool] = field(default_factory=dict)  # visit -> sidebar in view
    grids: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # visit -> data grids

    def seen(self, measures: dict[str, T], visit: str) -> T:
        """The measure taken at ``visit``; fails the test, saying why, if the walk never got there."""
        if visit not in measures:
            pytest.fail(f"the {self.width} px walk stopped before {visit!r}: {self.stopped}")
        return measures[visit]


def settle(page: Page) -> None:
    """Wait for the script to finish and for charts and pictures to be drawn."""
    wait_idle(page)
    page.wait_for_function(
        f"""() => [...document.querySelectorAll("{CHARTS}")].every(
              (c) => c.querySelector('canvas, svg.marks'))
            && [...document.images].every((i) => i.complete)""",
        timeout=20_000,
    )
    page.wait_for_timeout(400)


def _top(page: Page, selector: str) -> float | None:
    locator = page.locator(selector)
    if locator.count() == 0:
        return None
    box = locator.first.bounding_box()
    return None if box is None else box["y"]


def _record(page: Page, walk: Walk, visit: str) -> None:
    settle(page)
    page.mouse.move(page.viewport_size["width"] - 2 if page.viewport_size else 0, 2)  # no hover
    headings = page.locator("h1")
    walk.headings[visit] = headings.first.inner_text() if headings.count() else ""
    walk.urls[visit] = urlsplit(page.url).path
    walk.not_found[visit] = page.get_by_text("Page not found").count()
    exceptions = page.locator("[data-testid='stException']")
    walk.errors[visit] = exceptions.first.inner_text()[:200] if exceptions.count() else ""
    walk.overflow[visit] = page.evaluate(OVERFLOW_JS)
    walk.charts[visit] = page.evaluate(CHARTS_JS)
    walk.grids[visit] = page.evaluate(GRIDS_JS)
    sidebar = page.locator("[data-testid='stSidebar']").first.bounding_box()
    walk.sidebar_open[visit] = sidebar is not None and sidebar["x"] + sidebar["width"] > 1
    if visit != "root":  # the root shows the progress page, saved as progress_<width>
        screenshot(page, f"{visit}_{walk.width}")


def _open_sidebar(page: Page) -> None:
    expand = page.locator("[data-testid='stExpandSidebarButton']")
    if expand.count() and expand.first.is_visible():
        expand.first.click()
        page.locator("[data-testid='stSidebarContent']").wait_for(state="visible")
        page.wait_for_timeout(400)


def _close_sidebar_on_a_phone(page: Page, width: int) -> None:
    if width > PHONE:
        return
    page.locator("[data-testid='stSidebar']").hover()
    page.locator("[data-testid='stSidebarCollapseButton'] button").first.click()
    page.wait_for_timeout(400)


def _choose_patient(page: Page, patient: str, width: int) -> None:
    # The patient picker (a select box in the sidebar) lists the ids once one is typed.
    _open_sidebar(page)
    picker = "[data-testid='stSidebar'] [data-testid='stSelectbox']"
    box = page.locator(picker).filter(has_text="Patient")
    box.first.locator("input").click()
    page.keyboard.type(patient)
    page.get_by_role("option", name=re.compile(re.escape(patient))).first.click()
    # The patient's title writes the id's hyphens as non-breaking hyphens (U+2011).
    page.locator("h1", has_text=re.compile(patient.replace("-", "[-\u2011]"))).first.wait_for()
    wait_idle(page)
    _close_sidebar_on_a_phone(page, width)


def _open_first_triage_row(page: Page) -> None:
    # The most urgent patient heads the table; its row marker sits at the left edge.
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 18)
    page.locator("h1", has_text=CRITICAL_PATIENT).first.wait_for()


def _flag_and_metric(page: Page) -> tuple[float | None, float | None]:
    return _top(page, "[data-testid='stAlertContentError']"), _top(page, "[data-testid='stMetric']")


def _steps(page: Page, walk: Walk, base: str) -> Iterator[tuple[str, Callable[[], object]]]:
    """The walk, step by step: (what the step does, the step)."""

    def load(path: str, visit: str) -> Callable[[], object]:
        def run() -> None:
            page.goto(f"{base}{path}")
            _record(page, walk, visit)

        return run

    def icons() -> list[str]:
        return list(page.eval_on_selector_all("link[rel~='icon']", "els => els.map((e) => e.href)"))

    def grid() -> tuple[int, int]:
        page.locator(GRID_SCROLLER).first.wait_for()
        width, client = page.eval_on_selector(GRID_SCROLLER, "e => [e.scrollWidth, e.clientWidth]")
        return int(width), int(client)

    yield "open /", load("/", "root")
    yield "open /progress", load("/progress", "progress")
    yield "read the favicon", lambda: walk.favicons.extend(icons())
    yield "choose the critical patient", lambda: _choose_patient(page, CRITICAL_PATIENT, walk.width)
    yield "record progress_critical", lambda: _record(page, walk, "progress_critical")
    yield (
        "measure progress_critical",
        lambda: walk.flag_and_metric.update(progress_critical=_flag_and_metric(page)),
    )
    yield "open /library", load("/library", "library")
    yield "open /rules", load("/rules", "rules")
    yield "open /screening", load("/screening", "screening")
    yield "measure the triage grid", lambda: walk.grid.update(screening=grid())
    yield "open the first triage row", lambda: _open_first_triage_row(page)
    yield "record patient_from_screening", lambda: _record(page, walk, "patient_from_screening")
    yield (
        "measure patient_from_screening",
        lambda: walk.flag_and_metric.update(patient_from_screening=_flag_and_metric(page)),
    )


def _walk(browser: Browser, server_url: str, width: int) -> Walk:
    """Visit every page at one width; a step that fails ends the walk and is named in it."""
    walk = Walk(width)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on("request", lambda request: walk.requests.append(request.url))
    try:
        for step, run in _steps(page, walk, server_url):
            try:
                run()
            except Exception as error:  # every test that needs the rest says where the walk stopped
                walk.stopped = f"{step}: {type(error).__name__}: {str(error).splitlines()[0]}"
                screenshot(page, f"stopped_{width}")
                break
    finally:
        context.close()
    return walk


@pytest.fixture(scope="module")
def phone(browser: Browser, server_url: str) -> Walk:
    return _walk(browser, server_url, PHONE)


@pytest.fixture(scope="module")
def laptop(browser: Browser, server_url: str) -> Walk:
    return _walk(browser, server_url, LAPTOP)


@pytest.fixture(params=["phone", "laptop"])
def walk(request: pytest.FixtureRequest) -> Walk:
    value = request.getfixturevalue(request.param)
    assert isinstance(value, Walk)
    return value


VISITS = ["progress", "progress_critical", "library", "rules", "screening", "patient_from_screening"]


@pytest.mark.parametrize(
    ("visit", "path", "heading"),
    [
        ("root", "/progress", "My progress"),
        ("progress", "/progress", "My progress"),
        ("library", "/library", "Exercise library"),
        ("rules", "/rules", "Rules and sources"),
        ("screening", "/screening", "Screening"),
    ],
)
def test_each_address_opens_its_page(laptop: Walk, visit: str, path: str, heading: str) -> None:
    # A bookmarked /progress once said "Page not found": Streamlit serves its default page at
    # "/" only. The root now forwards to /progress, so both addresses open the progress page.
    assert laptop.seen(laptop.not_found, visit) == 0
    assert laptop.seen(laptop.urls, visit) == path
    assert laptop.seen(laptop.headings, visit).startswith(heading)


@pytest.mark.parametrize("visit", VISITS)
def test_no_page_shows_an_exception(walk: Walk, visit: str) -> None:
    assert walk.seen(walk.errors, visit) == ""


def test_a_phone_opens_on_the_page_and_a_laptop_with_the_sidebar(phone: Walk, laptop: Walk) -> None:
    # initial_sidebar_state="auto": an expanded sidebar once covered a phone's first screen.
    assert phone.seen(phone.sidebar_open, "root") is False
    assert laptop.seen(laptop.sidebar_open, "root") is True


def test_no_request_leaves_this_machine(walk: Walk) -> None:
    assert walk.requests, "the walk recorded no requests at all"
    outside = sorted(
        {
            url
            for url in walk.requests
            if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).hostname not in LOCAL_HOSTS
        }
    )
    assert outside == []
    assert not walk.stopped, f"only part of the app was walked: {walk.stopped}"


def test_the_favicon_ships_with_the_app(laptop: Walk) -> None:
    # Headless chromium may not fetch a favicon, so the link itself is checked too.
    assert laptop.favicons, f"no favicon link ({laptop.stopped or 'walk finished'})"
    assert all(urlsplit(href).hostname in LOCAL_HOSTS for href in laptop.favicons), laptop.favicons


@pytest.mark.parametrize("visit", ["progress_critical", "patient_from_screening"])
def test_the_critical_flag_comes_before_the_first_metric(walk: Walk, visit: str) -> None:
    flag_top, metric_top = walk.seen(walk.flag_and_metric, visit)
    assert flag_top is not None, f"no critical flag shown for {CRITICAL_PATIENT}"
    assert metric_top is not None, "no metric found on the page"
    assert flag_top < metric_top, f"flag at y={flag_top}, first metric at y={metric_top}"


def test_the_triage_table_needs_no_sideways_scroll_on_a_laptop(laptop: Walk) -> None:
    scroll_width, client_width = laptop.seen(laptop.grid, "screening")
    assert scroll_width <= client_width, f"columns need {scroll_width} px, the grid shows {client_width}"


@pytest.mark.parametrize("visit", VISITS)
def test_nothing_is_wider_than_the_window(walk: Walk, visit: str) -> None:
    measured = walk.seen(walk.overflow, visit)
    assert measured["scrollWidth"] <= measured["innerWidth"], measured
    assert measured["offenders"] == [], measured["offenders"]


@pytest.mark.parametrize(
    "visit", ["progress", "progress_critical", "screening", "patient_from_screening"]
)
def test_every_chart_fits_its_box(walk: Walk, visit: str) -> None:
    charts = walk.seen(walk.charts, visit)
    assert charts, "no chart drawn on this page"
    assert [problem for chart in charts for problem in chart] == []


def test_import_messages_read_in_full_on_a_phone(phone: Walk) -> None:
    # Issue 9 item 13: prose is not squeezed into a data grid. A grid of import messages that
    # scrolls sideways on a phone hides the message, its last column.
    grids = phone.seen(phone.grids, "screening")
    messages = [grid for grid in grids if "message" in [h.lower() for h in grid["headers"]]]
    squeezed = [grid for grid in messages if grid["scrollWidth"] > grid["clientWidth"]]
    assert squeezed == []


def test_the_patient_opened_from_screening_is_the_critical_one(walk: Walk) -> None:
    assert CRITICAL_PATIENT in walk.seen(walk.headings, "patient_from_screening")
    assert walk.urls["patient_from_screening"] == "/progress"
