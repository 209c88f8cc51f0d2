"""Reviews: kept newest first, the last one per patient, and what came in after it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from tests.store.conftest import PAIN_HEADER, csv_bytes

if TYPE_CHECKING:
    from rehab.store import Workspace

MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _pain(patient: str, *days: str) -> tuple[str, bytes]:
    return f"{patient}_pain.csv", csv_bytes(PAIN_HEADER, [[d, "09:00", "4", "no", ""] for d in days])


def test_reviews_come_back_newest_first_with_what_was_recorded(workspace: Workspace) -> None:
    workspace.review("PT-1", note="first look", by="Ana", at=MONDAY, flags=["pain_rising"])
    later = workspace.review(
        "PT-1",
        action="contacted",
        note="called; doing better",
        by="Ben",
        snooze_until=date(2026, 11, 16),
        at=MONDAY + timedelta(days=2),
    )
    workspace.review("PT-2", at=MONDAY + timedelta(days=1))
    history = workspace.reviews("PT-1")
    assert history[0] == later  # returned as stored
    assert [r.note for r in history] == ["called; doing better", "first look"]
    assert history[1].flags == ["pain_rising"]
    assert (history[0].action, history[0].by, history[0].snooze_until) == (
        "contacted",
        "Ben",
        date(2026, 11, 16),
    )
    assert [r.patient_id for r in workspace.reviews()] == ["PT-1", "PT-2", "PT-1"]
    assert {p: r.note for p, r in workspace.last_reviews().items()} == {
        "PT-1": "called; doing better",
        "PT-2": "",
    }


def test_a_naive_moment_is_local_time_and_comes_back_in_utc(workspace: Workspace) -> None:
    moment = datetime(2026, 11, 2, 9, 30)
    review = workspace.review("PT-1", at=moment)
    assert review.at.tzinfo is not None
    assert review.at == moment.astimezone(UTC)


def test_a_review_needs_a_patient_and_a_known_action(workspace: Workspace) -> None:
    with pytest.raises(ValueError, match="patient"):
        workspace.review("")
    with pytest.raises(ValueError, match="action"):
        workspace.review("PT-1", action="dismissed")  # type: ignore[arg-type]
    assert workspace.reviews() == []


def test_rows_since_counts_what_imports_after_a_review_brought(workspace: Workspace) -> None:
    workspace.import_files([_pain("PT-1", "2026-10-26", "2026-10-27")], at=MONDAY - timedelta(days=1))
    workspace.import_files([_pain("PT-2", "2026-10-26")], at=MONDAY - timedelta(days=1))
    workspace.review("PT-1", at=MONDAY)
    workspace.review("PT-2", at=MONDAY)
    # The next week's export repeats one old day and adds two new ones.
    workspace.import_files(
        [_pain("PT-1", "2026-10-27", "2026-11-02", "2026-11-03")], at=MONDAY + timedelta(days=7)
    )
    assert workspace.rows_since("PT-1", MONDAY) == {"sessions": 0, "pain": 2, "measures": 0}
    assert workspace.rows_since("PT-1", MONDAY - timedelta(days=2)) == {
        "sessions": 0,
        "pain": 4,
        "measures": 0,
    }
    assert workspace.rows_since("PT-2", MONDAY) == {"sessions": 0, "pain": 0, "measures": 0}
    assert workspace.rows_since_last_review() == {
        "PT-1": {"sessions": 0, "pain": 2, "measures": 0},
        "PT-2": {"sessions": 0, "pain": 0, "measures": 0},
    }
    workspace.review("PT-1", at=MONDAY + timedelta(days=8))
    assert workspace.rows_since_last_review()["PT-1"] == {"sessions": 0, "pain": 0, "measures": 0}


def test_the_logs_revision_moves_with_imports_and_forgets_not_reviews(workspace: Workspace) -> None:
    start = workspace.logs_revision()
    workspace.import_files([_pain("PT-1", "2026-10-26")])
    imported = workspace.logs_revision()
    assert imported != start
    workspace.import_files([_pain("PT-1", "2026-10-26")])  # already stored: nothing changes
    workspace.review("PT-1")
    assert workspace.logs_revision() == imported
    workspace.import_files([_pain("PT-2", "2026-10-26")])
    workspace.forget("PT-2")
    assert workspace.logs_revision() not in (imported, start)
