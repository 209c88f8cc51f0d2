"""The first page (issue 13): what every visitor of the demo shares, and what stays theirs.

The bundled demo's import and analysis are worked out once per app process and shared by
every session (app_pages.shared); a visitor's own choices, uploads and rule settings are not.
The browser test opens ``/`` the way benchmarks/first_page_bench.py times it (no time asserts).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from rehab.sample import DEMO_FIRST_PATIENT
from tests.app.conftest import latest_memo, shown, visit

if TYPE_CHECKING:
    from playwright.sync_api import Browser
    from streamlit.testing.v1 import AppTest

PAIN = b"Date,Pain\n" + b"".join(b"2026-10-%02d,%d\n" % (d, max(0, 6 - d)) for d in range(1, 15))
SESSIONS = b"Date,Exercise,Reps,Pain before,Pain after\n" + b"".join(
    b"2026-10-%02d,%s,10,3,3\n" % (d, name)
    for d in range(1, 15)
    for name in (b"Back Extension", b"Cat Stretch", b"Hip Rolls", b"TA brace")
)
# Settled as the benchmark reads it: /progress, the script stopped, nothing stale, and every
# chart (at least four) has drawn its marks.
SETTLED = """() => {
  if (!location.pathname.endsWith('/progress')) return false;
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector("[data-stale='true']")) return false;
  const charts = [...document.querySelectorAll("[data-testid='stVegaLiteChart']")];
  return charts.length >= 4 && charts.every((c) => c.querySelector('svg.marks, canvas.marks'));
}"""


def test_two_visitors_share_the_demo_work_but_not_their_choices():
    first = visit()
    assert shown(first.title[0].value) == f"My progress: {DEMO_FIRST_PATIENT}"
    first.session_state["patient"] = "PT-0101"
    first.run()
    assert shown(first.title[0].value) == "My progress: PT-0101"

    second = visit()
    # The same import and analysis objects: worked out once, not once per visitor ...
    assert latest_memo(second, "import") is latest_memo(first, "import")
    assert latest_memo(second, "analysis") is latest_memo(first, "analysis")
    # ... while the first visitor's patient stays theirs.
    assert shown(second.title[0].value) == f"My progress: {DEMO_FIRST_PATIENT}"


def _upload(at: AppTest) -> AppTest:
    at.file_uploader(key="patient_upload").set_value(
        [("PT-0900_pain.csv", PAIN, "text/csv"), ("PT-0900_sessions.csv", SESSIONS, "text/csv")]
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    assert shown(at.title[0].value) == "My progress: PT-0900"
    return at


def test_uploads_and_own_rule_settings_are_never_shared():
    one, other = _upload(visit()), _upload(visit())
    # The same files in two sessions: each session imports and analyses its own copy.
    assert latest_memo(one, "import") is not latest_memo(other, "import")
    assert latest_memo(one, "analysis") is not latest_memo(other, "analysis")

    default, own = visit(), visit()
    settings = own.session_state["settings"]
    own.session_state["settings"] = settings.model_copy(update={"mcid_points": settings.mcid_points + 1})
    own.run()
    assert not own.exception, [e.value for e in own.exception]
    assert latest_memo(own, "import") is latest_memo(default, "import")  # the demo's logs, as shipped
    assert latest_memo(own, "analysis") is not latest_memo(default, "analysis")
    assert latest_memo(own, "analysis").settings.mcid_points == settings.mcid_points + 1


@pytest.mark.e2e
def test_the_root_url_settles_on_the_progress_page_for_each_new_visitor(browser: Browser, server_url):
    titles = []
    for _ in range(2):  # the second visitor is served from the shared demo work
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            page.goto(server_url, wait_until="commit")
            page.wait_for_function(SETTLED, timeout=60_000, polling="raf")
            titles.append(page.locator("h1").first.inner_text().replace("\u2011", "-"))
            assert page.get_by_text("Synthetic demo: made-up patients").first.is_visible()
        finally:
            context.close()
    assert titles == [f"My progress: {DEMO_FIRST_PATIENT}"] * 2
