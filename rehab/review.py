"""The review loop of the clinic workspace: who needs a look, what is new, this week vs last.

Pure pandas (no streamlit, no store): the screening page passes the triage table
(:func:`rehab.screening.screening_frame`), each patient's daily series, the as-of date and
each patient's last review (a :class:`rehab.store.Review`, or anything with its fields), and
gets the table back with the review columns added and the patients in review order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Protocol

import numpy as np
import pandas as pd

from rehab.screening import FLAG_WORDS
from rehab.settings import SOURCE_REHAB_DEFAULT, Rule

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from datetime import date, datetime

WEEK_DAYS: Final = 7
# The two columns the screening table gains, after "New since review" (what they mean).
WEEK_RULE: Final = Rule(
    id="week_over_week",
    title="This week vs last",
    text=(
        "This week is the as-of date and the 6 days before it; last week is the 7 days before "
        "that. Pain: the mean of the daily mean pain over the days with pain entries in each "
        "week. Exercises: the mean daily frequency adherence of each week (days without logs "
        "count as 0; days on which every exercise is paused are left out). Arrows show the "
        "direction only; a change that rounds to 0 reads as the same as last week."
    ),
    source=SOURCE_REHAB_DEFAULT,
)
NEW_RULE: Final = Rule(
    id="new_since_review",
    title="New since review",
    text=(
        "A flag the patient has now that they did not have when last reviewed, and log rows "
        "imported after that review. Reviewed patients with nothing new move below the ones "
        "that need a look; a snooze keeps them there until its date unless something new comes."
    ),
    source=SOURCE_REHAB_DEFAULT,
)
NEVER: Final = "Not reviewed yet"
NOTHING_NEW: Final = "Nothing new"
UP: Final = "↑"
DOWN: Final = "↓"
SAME: Final = "→"
# Review groups, in the order the screening table shows them.
GROUP_LOOK: Final = "needs a look"
GROUP_REVIEWED: Final = "reviewed"
GROUP_SNOOZED: Final = "snoozed"
GROUPS: Final = (GROUP_LOOK, GROUP_REVIEWED, GROUP_SNOOZED)
REVIEW_COLUMNS: Final = (
    "last_reviewed",
    "new_since_review",
    "this_week",
    "pain_week",
    "pain_last_week",
    "adherence_week",
    "adherence_last_week",
    "new_flag_codes",
    "new_logs",
    "snoozed_until",
    "review_group",
)


class ReviewLike(Protocol):
    """What this module reads of a review (:class:`rehab.store.Review` has these fields)."""

    @property
    def at(self) -> datetime: ...  # noqa: D102
    @property
    def by(self) -> str | None: ...  # noqa: D102
    @property
    def action(self) -> str: ...  # noqa: D102
    @property
    def snooze_until(self) -> date | None: ...  # noqa: D102
    @property
    def flags(self) -> Sequence[str]: ...  # noqa: D102


@dataclass(frozen=True)
class WeekChange:
    """One patient's pain and exercise adherence, this week and the week before.

    Missing (NaN) where a week has no pain entries, or no day with an exercise target.
    """

    pain_week: float
    pain_last_week: float
    adherence_week: float
    adherence_last_week: float


_NO_WEEKS: Final = WeekChange(math.nan, math.nan, math.nan, math.nan)


def week_change(daily: pd.DataFrame, as_of: date) -> WeekChange:
    """Return this week's and last week's mean daily pain and mean frequency adherence.

    Parameters
    ----------
    daily : pandas.DataFrame
        One patient's daily series (:data:`rehab.analysis.DAILY_COLUMNS`: ``date``,
        ``pain_mean`` (NaN on days without pain entries) and ``adherence``).
    as_of : datetime.date
        The last day of "this week".

    Returns
    -------
    WeekChange
        Means over the days of each week that have a value (see :data:`WEEK_RULE`).
    """
    # Plain arrays: a page builds this for every patient (1,000 in about a quarter of a second).
    days = np.datetime64(as_of, "D") - daily["date"].to_numpy().astype("datetime64[D]")
    age = days.astype(np.int64)
    this_week = (age >= 0) & (age < WEEK_DAYS)
    last_week = (age >= WEEK_DAYS) & (age < 2 * WEEK_DAYS)
    pain = daily["pain_mean"].to_numpy(dtype=np.float64, na_value=np.nan)
    adherence = daily["adherence"].to_numpy(dtype=np.float64, na_value=np.nan)
    return WeekChange(
        pain_week=_mean(pain[this_week]),
        pain_last_week=_mean(pain[last_week]),
        adherence_week=_mean(adherence[this_week]),
        adherence_last_week=_mean(adherence[last_week]),
    )


def _mean(values: np.ndarray) -> float:
    clean = values[~np.isnan(values)]
    return float(clean.mean()) if len(clean) else math.nan


def pain_words(now: float, before: float) -> str:
    """Say how this week's pain compares with last week's, with an arrow.

    >>> pain_words(2.5, 4.0)
    '↓ pain 1.5 lower than last week'
    >>> pain_words(3.0, math.nan)
    'no pain entries last week'
    """
    if math.isnan(now):
        return "no pain entries this week"
    if math.isnan(before):
        return "no pain entries last week"
    change = round(now - before, 1)
    if change == 0:
        return f"{SAME} pain about the same as last week"
    if change < 0:
        return f"{DOWN} pain {-change:.1f} lower than last week"
    return f"{UP} pain {change:.1f} higher than last week"


def adherence_words(now: float, before: float) -> str:
    """Say how this week's exercises compare with last week's (percent of the plan done).

    >>> adherence_words(0.8, 0.5)
    '↑ exercises 80% done, up from 50%'
    >>> adherence_words(0.5, math.nan)
    'exercises 50% done, none planned last week'
    """
    if math.isnan(now):
        return "no exercises planned this week"
    done = round(now * 100)
    if math.isnan(before):
        return f"exercises {done}% done, none planned last week"
    earlier = round(before * 100)
    if done == earlier:
        return f"{SAME} exercises {done}% done, as last week"
    if done > earlier:
        return f"{UP} exercises {done}% done, up from {earlier}%"
    return f"{DOWN} exercises {done}% done, down from {earlier}%"


def reviewed_words(review: ReviewLike | None) -> str:
    """Say when, how and by whom a patient was last reviewed.

    >>> from types import SimpleNamespace
    >>> from datetime import datetime
    >>> reviewed_words(SimpleNamespace(at=datetime(2026, 11, 23, 9, 5), by="Ana", action="contacted"))
    'Contacted 23 Nov 09:05 by Ana'
    """
    if review is None:
        return NEVER
    who = f" by {review.by}" if review.by else ""
    return f"{str(review.action).capitalize()} {when_words(review.at)}{who}"


def when_words(at: datetime, *, year: bool = False) -> str:
    """Write a moment as "23 Nov 09:05" (with the year on request), in the local clock.

    Reviews are stored in UTC; they are said in the clock of the machine the app runs on
    (the clinic's). A moment without a zone is taken as written.
    """
    local = at.astimezone() if at.tzinfo is not None else at
    return f"{local.day} {local:%b %Y %H:%M}" if year else f"{local.day} {local:%b %H:%M}"


def new_words(new_codes: Sequence[str], new_logs: int) -> str:
    """Say what is new since the last review: the new flags by name, then the new log rows.

    >>> new_words(["pain_flare"], 12)
    'Flare; 12 new log rows'
    >>> new_words([], 0)
    'Nothing new'
    """
    parts = [FLAG_WORDS.get(code, code) for code in new_codes]
    if new_logs:
        parts.append(f"{new_logs} new log {'row' if new_logs == 1 else 'rows'}")
    return "; ".join(parts) or NOTHING_NEW


def _codes(joined: object) -> list[str]:
    return [code.strip() for code in str(joined).split(",") if code.strip()]


def _group(review: ReviewLike | None, something_new: bool, as_of: date) -> str:
    if review is None or something_new:
        return GROUP_LOOK
    if review.snooze_until is not None and review.snooze_until >= as_of:
        return GROUP_SNOOZED
    return GROUP_REVIEWED


def week_table(dailies: Mapping[str, pd.DataFrame], as_of: date) -> dict[str, WeekChange]:
    """Return :func:`week_change` for every patient.

    The part of the review columns that depends on the logs only: the page keeps it while
    reviews come and go.
    """
    return {patient_id: week_change(daily, as_of) for patient_id, daily in dailies.items()}


def review_frame(
    screen: pd.DataFrame,
    weeks: Mapping[str, WeekChange],
    as_of: date,
    last_reviews: Mapping[str, ReviewLike],
    new_logs: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Add the review columns to the triage table and order it for the review loop.

    Parameters
    ----------
    screen : pandas.DataFrame
        :func:`rehab.screening.screening_frame`, most urgent first (``patient_id`` and
        ``flag_codes`` are read).
    weeks : Mapping[str, WeekChange]
        Each patient's weeks (:func:`week_table` of ``CohortAnalysis.patients[id].daily``).
    as_of : datetime.date
        The day the table speaks for: this week ends on it; a snooze lasts through it.
    last_reviews : Mapping[str, ReviewLike]
        Each reviewed patient's newest review.
    new_logs : Mapping[str, int], optional
        Rows stored for each patient by imports after their last review.

    Returns
    -------
    pandas.DataFrame
        ``screen`` with :data:`REVIEW_COLUMNS`: patients who need a look first (never
        reviewed, or something new), then reviewed patients with nothing new, then snoozed
        ones; within each group the triage order is kept.
    """
    added = new_logs or {}
    rows = []
    for patient_id, joined in zip(screen["patient_id"], screen["flag_codes"], strict=True):
        review = last_reviews.get(str(patient_id))
        seen = set(review.flags) if review is not None else set()
        new_codes = [c for c in _codes(joined) if c not in seen] if review is not None else []
        logs = int(added.get(str(patient_id), 0)) if review is not None else 0
        change = weeks.get(str(patient_id), _NO_WEEKS)
        group = _group(review, bool(new_codes or logs), as_of)
        new = NEVER if review is None else new_words(new_codes, logs)
        if group == GROUP_SNOOZED and review is not None and review.snooze_until is not None:
            new = f"{new}; snoozed until {review.snooze_until.day} {review.snooze_until:%b}"
        rows.append(
            {
                "last_reviewed": reviewed_words(review),
                "new_since_review": new,
                "this_week": "; ".join(
                    (
                        pain_words(change.pain_week, change.pain_last_week),
                        adherence_words(change.adherence_week, change.adherence_last_week),
                    )
                ),
                "pain_week": change.pain_week,
                "pain_last_week": change.pain_last_week,
                "adherence_week": change.adherence_week,
                "adherence_last_week": change.adherence_last_week,
                "new_flag_codes": ",".join(new_codes),
                "new_logs": logs,
                "snoozed_until": review.snooze_until if group == GROUP_SNOOZED and review else None,
                "review_group": group,
            }
        )
    review_columns = pd.DataFrame(rows, index=screen.index, columns=list(REVIEW_COLUMNS))
    frame = pd.concat([screen, review_columns], axis=1)
    rank = frame["review_group"].map({group: place for place, group in enumerate(GROUPS)})
    order = sorted(range(len(frame)), key=lambda position: int(rank.iloc[position]))
    return frame.iloc[order].reset_index(drop=True)


def needing_a_look(frame: pd.DataFrame, *, show_all: bool = False) -> pd.DataFrame:
    """Keep the patients who need a look (everyone, with ``show_all``)."""
    if show_all:
        return frame
    return frame.loc[frame["review_group"] == GROUP_LOOK]


def set_aside_count(frame: pd.DataFrame) -> int:
    """How many patients are reviewed with nothing new, or snoozed (the toggle's N)."""
    return int((frame["review_group"] != GROUP_LOOK).sum())


def snooze_problem(until: date | None, today: date) -> str | None:
    """Return why a snooze date cannot be used (a day in the past), or None when it can.

    >>> from datetime import date
    >>> snooze_problem(date(2026, 11, 1), date(2026, 11, 2))
    'Choose today or a later day to snooze until: 1 Nov 2026 has passed.'
    """
    if until is not None and until < today:
        return f"Choose today or a later day to snooze until: {until.day} {until:%b %Y} has passed."
    return None


def provenance_row(frame: pd.DataFrame | None, file: str, row: int | None) -> dict[str, object] | None:
    """Return the row of ``frame`` that came from ``file`` at spreadsheet row ``row``, if any."""
    if frame is None or row is None or not len(frame):
        return None
    match = frame.loc[(frame["source_file"] == file) & (frame["source_row"] == row)]
    return None if match.empty else dict(match.iloc[0])


def _cell(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "empty"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def difference_words(
    columns: Sequence[str], stored: Mapping[str, object] | None, new: Mapping[str, object] | None
) -> str:
    """Say what differs between a stored row and a new one, column by column.

    >>> difference_words(["pain"], {"pain": 5.0}, {"pain": 7.0})
    'pain: 5 stored, 7 new'
    """
    if stored is None or new is None:
        return ", ".join(columns)
    return "; ".join(
        f"{column}: {_cell(stored.get(column))} stored, {_cell(new.get(column))} new"
        for column in columns
    )
