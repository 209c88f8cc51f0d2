"""Reviews and the audit trail as stored, and what was imported since a moment."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any, Final, cast

from rehab.store.connection import from_text, to_text
from rehab.store.models import ImportRecord, Review, ReviewAction
from rehab.store.rows import KINDS

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Sequence
    from datetime import datetime

__all__ = [
    "add_review",
    "import_records",
    "last_reviews",
    "list_reviews",
    "rows_since",
    "rows_since_last_review",
]

ACTIONS: Final = ("reviewed", "contacted")
_REVIEW_COLUMNS: Final = 'patient_id, at, "by", action, note, snooze_until, flags'


def add_review(
    connection: sqlite3.Connection,
    patient_id: str,
    *,
    action: str,
    note: str,
    by: str | None,
    snooze_until: date | None,
    flags: Sequence[str],
    at: datetime,
) -> Review:
    """Store one review (its own transaction: one INSERT) and return it as stored."""
    if not patient_id:
        raise ValueError("a review needs the patient's id")
    if action not in ACTIONS:
        raise ValueError(f"a review's action is one of {', '.join(ACTIONS)}")
    stamp = to_text(at)
    codes = [str(code) for code in flags]
    connection.execute(
        f"INSERT INTO reviews ({_REVIEW_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            patient_id,
            stamp,
            by,
            action,
            note,
            snooze_until.isoformat() if snooze_until else None,
            json.dumps(codes),
        ),
    )
    return Review(
        patient_id=patient_id,
        at=from_text(stamp),
        by=by,
        action=cast("ReviewAction", action),
        note=note,
        snooze_until=snooze_until,
        flags=codes,
    )


def _review(row: Sequence[Any]) -> Review:
    patient_id, at, by, action, note, snooze_until, flags = row
    return Review(
        patient_id=patient_id,
        at=from_text(at),
        by=by,
        action=action,
        note=note,
        snooze_until=date.fromisoformat(snooze_until) if snooze_until else None,
        flags=list(json.loads(flags)),
    )


def list_reviews(connection: sqlite3.Connection, patient_id: str | None) -> list[Review]:
    """Reviews of one patient (or everyone), newest first."""
    select = f"SELECT {_REVIEW_COLUMNS} FROM reviews"
    order = "ORDER BY at DESC, id DESC"
    if patient_id is None:
        rows = connection.execute(f"{select} {order}").fetchall()
    else:
        rows = connection.execute(f"{select} WHERE patient_id = ? {order}", (patient_id,)).fetchall()
    return [_review(row) for row in rows]


def last_reviews(connection: sqlite3.Connection) -> dict[str, Review]:
    """Each reviewed patient's newest review."""
    latest: dict[str, Review] = {}
    for review in list_reviews(connection, None):
        latest.setdefault(review.patient_id, review)
    return latest


def import_records(connection: sqlite3.Connection) -> list[ImportRecord]:
    """Return the audit trail, newest first."""
    rows = connection.execute(
        'SELECT id, at, "by", file, fingerprint, rows, accepted, rejected, duplicates, added, '
        "already_stored, conflicts FROM imports ORDER BY at DESC, id DESC"
    ).fetchall()
    return [ImportRecord(row[0], from_text(row[1]), *row[2:]) for row in rows]


def rows_since(connection: sqlite3.Connection, patient_id: str, at: datetime) -> dict[str, int]:
    """Rows of the patient stored by imports after ``at``, per kind."""
    stamp = to_text(at)
    counts: dict[str, int] = {}
    for kind in KINDS:
        (count,) = connection.execute(
            f"SELECT COUNT(*) FROM {kind} JOIN imports ON imports.id = {kind}.import_id "
            f"WHERE {kind}.patient_id = ? AND imports.at > ?",
            (patient_id, stamp),
        ).fetchone()
        counts[kind] = int(count)
    return counts


def rows_since_last_review(connection: sqlite3.Connection) -> dict[str, dict[str, int]]:
    """For every reviewed patient, the rows stored after their last review, per kind."""
    counts: dict[str, dict[str, int]] = {}
    for kind in KINDS:
        query = (
            "WITH last AS (SELECT patient_id, MAX(at) AS at FROM reviews GROUP BY patient_id), "
            f"per AS (SELECT patient_id, import_id, COUNT(*) AS n FROM {kind} "
            "WHERE patient_id IN (SELECT patient_id FROM last) GROUP BY patient_id, import_id) "
            "SELECT last.patient_id, COALESCE(SUM(CASE WHEN imports.at > last.at THEN per.n END), 0) "
            "FROM last LEFT JOIN per ON per.patient_id = last.patient_id "
            "LEFT JOIN imports ON imports.id = per.import_id GROUP BY last.patient_id"
        )
        for patient_id, count in connection.execute(query):
            counts.setdefault(patient_id, dict.fromkeys(KINDS, 0))[kind] = int(count)
    return counts
