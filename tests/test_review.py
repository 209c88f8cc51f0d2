"""The review loop (rehab.review): hand-built daily frames and reviews, hand-computed results."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pandas as pd
import pytest

from rehab.analysis import analyse
from rehab.importer import import_files
from rehab.library import load_library
from rehab.review import (
    GROUP_LOOK,
    GROUP_REVIEWED,
    GROUP_SNOOZED,
    NEVER,
    adherence_words,
    difference_words,
    needing_a_look,
    new_words,
    pain_words,
    provenance_row,
    review_frame,
    reviewed_words,
    set_aside_count,
    snooze_problem,
    week_change,
    week_table,
    when_words,
)

AS_OF = date(2026, 11, 20)
NAN = math.nan


@dataclass(frozen=True)
class Review:
    """The fields of rehab.store.Review this module reads."""

    at: datetime
    by: str | None = None
    action: str = "reviewed"
    snooze_until: date | None = None
    flags: list[str] = field(default_factory=list)


def _daily(pain: list[float], adherence: list[float], start: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": pd.date_range(start, periods=len(pain), freq="D"),
            "pain_mean": pain,
            "adherence": adherence,
        }
    )


def test_week_change_means_the_two_weeks_that_end_on_the_as_of_day():
    # 6 Nov (outside both weeks), last week 7-13 Nov, this week 14-20 Nov, 21 Nov (after as-of).
    pain = [9, 4, 4, NAN, 4, 5, NAN, 3, 3, 2, NAN, 2, 3, 2, 3, 9]
    adherence = [0.0] + [0.5] * 7 + [1, 1, 0, 1, NAN, 1, 1] + [0.0]
    change = week_change(_daily(pain, adherence, "2026-11-06"), AS_OF)
    assert change.pain_last_week == pytest.approx(20 / 5)  # 4+4+4+5+3 over 5 days with entries
    assert change.pain_week == pytest.approx(15 / 6)  # 3+2+2+3+2+3 over 6 days
    assert change.adherence_last_week == pytest.approx(0.5)
    assert change.adherence_week == pytest.approx(5 / 6)  # the all-paused day is left out
    assert pain_words(change.pain_week, change.pain_last_week) == "↓ pain 1.5 lower than last week"
    assert (
        adherence_words(change.adherence_week, change.adherence_last_week)
        == "↑ exercises 83% done, up from 50%"
    )


def test_a_patient_who_started_this_week_has_no_last_week():
    change = week_change(_daily([5, 4, 3], [1.0, 0.0, 1.0], "2026-11-18"), AS_OF)
    assert math.isnan(change.pain_last_week)
    assert math.isnan(change.adherence_last_week)
    assert change.pain_week == pytest.approx(4.0)
    assert pain_words(change.pain_week, change.pain_last_week) == "no pain entries last week"
    assert (
        adherence_words(change.adherence_week, change.adherence_last_week)
        == "exercises 67% done, none planned last week"
    )


def test_week_change_on_the_engines_own_daily_frame():
    # Pain 4 every day of last week; 3 on six days of this week and 3 and 1 (mean 2) on 20 Nov.
    lines = ["Patient ID,Date,Pain"]
    lines += [f"PT-A,2026-11-{day:02d},4" for day in range(7, 14)]
    lines += [f"PT-A,2026-11-{day:02d},3" for day in range(14, 21)]
    lines += ["PT-A,2026-11-20,1"]
    batch = import_files([("pain.csv", "\n".join(lines).encode())], library=load_library())
    cohort = analyse(batch.sessions, batch.pain, as_of=AS_OF, library=load_library())
    change = week_change(cohort.patients["PT-A"].daily, AS_OF)
    assert change.pain_last_week == pytest.approx(4.0)
    assert change.pain_week == pytest.approx(20 / 7)
    assert pain_words(change.pain_week, change.pain_last_week) == "↓ pain 1.1 lower than last week"
    # No exercise logged in either week: 0 % both weeks, said without blame.
    assert (change.adherence_week, change.adherence_last_week) == (0.0, 0.0)
    assert adherence_words(0.0, 0.0) == "→ exercises 0% done, as last week"


@pytest.mark.parametrize(
    ("now", "before", "words"),
    [
        (4.0, 2.5, "↑ pain 1.5 higher than last week"),
        (3.02, 3.0, "→ pain about the same as last week"),
        (NAN, 3.0, "no pain entries this week"),
    ],
)
def test_pain_words(now, before, words):
    assert pain_words(now, before) == words


@pytest.mark.parametrize(
    ("now", "before", "words"),
    [
        (0.4, 0.7, "↓ exercises 40% done, down from 70%"),
        (NAN, 0.7, "no exercises planned this week"),
    ],
)
def test_adherence_words(now, before, words):
    assert adherence_words(now, before) == words


def test_reviewed_and_new_words():
    assert reviewed_words(None) == NEVER
    assert reviewed_words(Review(at=datetime(2026, 11, 13, 16, 30))) == "Reviewed 13 Nov 16:30"


@pytest.fixture
def amsterdam(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Amsterdam")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_review_stored_in_utc_is_said_in_the_local_clock(amsterdam):
    # 23:30 UTC on 13 Nov is 00:30 on 14 Nov in Amsterdam (UTC+1 in November).
    stored = datetime(2026, 11, 13, 23, 30, tzinfo=UTC)
    assert when_words(stored, year=True) == "14 Nov 2026 00:30"
    assert reviewed_words(Review(at=stored, by="ana")) == "Reviewed 14 Nov 00:30 by ana"
    assert (
        new_words(["severe_pain", "low_adherence"], 1)
        == "Severe pain; Few exercises done; 1 new log row"
    )


def _screen(rows: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {"patient_id": [p for p, _ in rows], "flag_codes": [c for _, c in rows], "tier": "high"}
    )


def test_review_frame_puts_who_needs_a_look_first_then_reviewed_then_snoozed():
    # Triage (urgency) order A..F; reviews on 13 Nov.
    screen = _screen(
        [
            ("PT-A", "severe_pain"),  # never reviewed
            ("PT-B", "pain_flare,low_adherence"),  # low adherence is new
            ("PT-C", "pain_flare"),  # reviewed, nothing new
            ("PT-D", "stale_logs"),  # snoozed through the as-of day, nothing new
            ("PT-E", ""),  # snoozed, but 3 rows imported since
            ("PT-F", "stale_logs"),  # snooze ended yesterday
        ]
    )
    at = datetime(2026, 11, 13, 9, 0)
    reviews = {
        "PT-B": Review(at=at, by="Ana", flags=["pain_flare"]),
        "PT-C": Review(at=at, action="contacted", flags=["pain_flare"]),
        "PT-D": Review(at=at, snooze_until=AS_OF, flags=["stale_logs"]),
        "PT-E": Review(at=at, snooze_until=date(2026, 12, 1)),
        "PT-F": Review(at=at, snooze_until=date(2026, 11, 19), flags=["stale_logs"]),
    }
    weeks = week_table({"PT-A": _daily([5.0] * 14, [0.5] * 14, "2026-11-07")}, AS_OF)
    frame = review_frame(screen, weeks, AS_OF, reviews, {"PT-A": 7, "PT-C": 0, "PT-E": 3})

    assert list(frame["patient_id"]) == ["PT-A", "PT-B", "PT-E", "PT-C", "PT-F", "PT-D"]
    by_id = frame.set_index("patient_id")
    assert list(frame["review_group"]) == [GROUP_LOOK] * 3 + [GROUP_REVIEWED] * 2 + [GROUP_SNOOZED]
    assert by_id.loc["PT-A", "new_since_review"] == NEVER
    assert by_id.loc["PT-A", "new_logs"] == 0  # rows "since" a review that never was are not counted
    assert by_id.loc["PT-B", "new_since_review"] == "Few exercises done"
    assert by_id.loc["PT-B", "new_flag_codes"] == "low_adherence"
    assert by_id.loc["PT-B", "last_reviewed"] == "Reviewed 13 Nov 09:00 by Ana"
    assert by_id.loc["PT-C", "last_reviewed"] == "Contacted 13 Nov 09:00"
    assert by_id.loc["PT-C", "new_since_review"] == "Nothing new"
    assert by_id.loc["PT-E", "new_since_review"] == "3 new log rows"
    assert by_id.loc["PT-D", "snoozed_until"] == AS_OF
    assert by_id.loc["PT-D", "new_since_review"] == "Nothing new; snoozed until 20 Nov"
    assert by_id.loc["PT-F", "new_since_review"] == "Nothing new"  # the snooze is over
    assert by_id.loc["PT-A", "this_week"] == (
        "→ pain about the same as last week; → exercises 50% done, as last week"
    )
    # A patient without a daily series (no logs in the analysis) still gets words, not an error.
    assert by_id.loc["PT-B", "this_week"] == "no pain entries this week; no exercises planned this week"

    assert list(needing_a_look(frame)["patient_id"]) == ["PT-A", "PT-B", "PT-E"]
    assert len(needing_a_look(frame, show_all=True)) == 6
    assert set_aside_count(frame) == 3


def test_snooze_dates_in_the_past_are_refused():
    assert snooze_problem(date(2026, 11, 19), AS_OF) is not None
    assert snooze_problem(AS_OF, AS_OF) is None
    assert snooze_problem(None, AS_OF) is None


def test_a_conflict_says_both_values_of_each_differing_column():
    stored = pd.DataFrame(
        {
            "source_file": ["week1.csv", "week1.csv"],
            "source_row": pd.array([2, 3], dtype="Int64"),
            "pain": [5.0, 4.0],
            "notes": ["", "stiff"],
        }
    )
    new = pd.DataFrame(
        {
            "source_file": ["week2.csv"],
            "source_row": pd.array([3], dtype="Int64"),
            "pain": [6.5],
            "notes": [None],
        }
    )
    held = provenance_row(stored, "week1.csv", 3)
    incoming = provenance_row(new, "week2.csv", 3)
    assert difference_words(["pain", "notes"], held, incoming) == (
        "pain: 4 stored, 6.5 new; notes: stiff stored, empty new"
    )
    # A row that cannot be found (no row number) still names the columns.
    assert provenance_row(new, "week2.csv", None) is None
    assert difference_words(["pain"], held, None) == "pain"
