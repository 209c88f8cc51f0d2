"""Plain words for the numbers: what the app, the CLI and the reports say about a patient.

Kept apart from the pages so that wording is tested like any other logic, and worded to be
kind: "3 of 21 sessions logged this week", never "non-compliant".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from rehab.settings import DEFAULT_SETTINGS, RuleSettings, rule

if TYPE_CHECKING:
    from datetime import date

    from rehab.analysis.models import Flag, PatientSummary

TIER_WORDS: Final = {
    "critical": "Critical",
    "high": "High",
    "moderate": "Moderate",
    "none": "No alerts",
}
BAND_WORDS: Final = {"adherent": "on track", "borderline": "nearly there", "low": "below plan"}
PHASE_WORDS: Final = {"rehab": "Rehab", "maintenance": "Maintenance"}


def day_label(day: date | None) -> str:
    """Format a day the way people say it: ``3 Oct``."""
    return "-" if day is None else f"{day.day} {day:%b}"


def times_a_day(count: int) -> str:
    """``1`` -> "once a day", ``3`` -> "3 times a day"."""
    return {1: "once a day", 2: "twice a day"}.get(count, f"{count} times a day")


def phase_headline(summary: PatientSummary, settings: RuleSettings = DEFAULT_SETTINGS) -> str:
    """Return e.g. "Rehab: 3 sessions a day" or "Maintenance: once a day since 25 Sep"."""
    if summary.phase == "maintenance":
        since = day_label(summary.maintenance_start)
        return f"Maintenance: {times_a_day(settings.maintenance_sessions_per_day)} since {since}"
    count = settings.rehab_sessions_per_day
    return f"Rehab: {count} sessions a day" if count > 1 else "Rehab: 1 session a day"


def percent(value: float | None) -> str:
    """Format a 0..1 fraction as a whole percentage, or a dash when unknown."""
    return "-" if value is None else f"{value:.0%}"


def adherence_line(summary: PatientSummary) -> str:
    """Return e.g. "15 of 84 sessions logged in the last 7 days (18 %, below plan)"."""
    adherence = summary.adherence
    band = BAND_WORDS.get(adherence.band_last_7_days or "", "")
    share = percent(adherence.last_7_days)
    tail = f" ({share}, {band})" if band else f" ({share})"
    return (
        f"{adherence.sessions_last_7_days} of {adherence.target_last_7_days} sessions "
        f"logged in the last 7 days{tail}"
    )


def pain_line(summary: PatientSummary) -> str:
    """Return e.g. "3.1 now, from 6.0 at the start: 2.9 points better (clinically meaningful)"."""
    pain = summary.pain
    if pain.current is None or pain.baseline is None:
        return "No pain ratings yet"
    change = pain.change or 0.0
    if change < 0:
        direction = f"{abs(change):.1f} points better"
    elif change > 0:
        direction = f"{change:.1f} points worse"
    else:
        direction = "no change"
    meaning = "clinically meaningful" if pain.mcid_reached else "not yet a meaningful change"
    return f"{pain.current:.1f} now, from {pain.baseline:.1f} at the start: {direction} ({meaning})"


def streak_line(summary: PatientSummary) -> str:
    """Pain-free days in a row, and how many to go before maintenance."""
    streak = summary.pain_free_streak
    days = "day" if streak == 1 else "days"
    if summary.phase == "maintenance":
        return f"{streak} pain-free {days} in a row; in maintenance"
    to_go = summary.pain_free_days_to_go
    return f"{streak} pain-free {days} in a row; {to_go} to go before maintenance"


@dataclass(frozen=True)
class FlagView:
    """A flag as people read it: tier word, message, and the rule and source behind it."""

    code: str
    tier: str
    tier_word: str
    message: str
    rule_title: str
    rule_text: str
    source: str
    dates: str
    matched_words: str


def flag_views(flags: list[Flag], settings: RuleSettings = DEFAULT_SETTINGS) -> list[FlagView]:
    """Return the flags most urgent first, each with its rule and source."""
    order = {"critical": 0, "high": 1, "moderate": 2}
    views = []
    for flag in sorted(flags, key=lambda f: order.get(f.tier, 9)):
        described = rule(flag.code, settings)
        views.append(
            FlagView(
                code=flag.code,
                tier=flag.tier,
                tier_word=TIER_WORDS[flag.tier],
                message=flag.message,
                rule_title=described.title,
                rule_text=described.text,
                source=described.source,
                dates=", ".join(day_label(d) for d in flag.dates[-5:]),
                matched_words=", ".join(flag.matched_words),
            )
        )
    return views
