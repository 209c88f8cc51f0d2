"""Plain words for the numbers: what the app, the CLI and the reports say about a patient.

Kept apart from the pages so that wording is tested like any other logic, and worded to be
kind: "3 of 21 sessions logged this week", never "non-compliant".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import pandas as pd

from rehab.analysis.text import short_date
from rehab.settings import DEFAULT_SETTINGS, RuleSettings, rule
from rehab.wording import plural

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    from rehab.analysis import CohortAnalysis
    from rehab.analysis.models import Flag, PatientSummary
    from rehab.importer import ImportBatch

TIER_WORDS: Final = {
    "critical": "Critical",
    "high": "High",
    "moderate": "Moderate",
    "none": "No alerts",
}
# The one set of adherence band words: the app, the CSV and the PDF all say these.
BAND_WORDS: Final = {"adherent": "on track", "borderline": "nearly there", "low": "below plan"}
PHASE_WORDS: Final = {"rehab": "Rehab", "maintenance": "Maintenance"}


def day_label(day: date | None) -> str:
    """Format a day the way people say it (``3 Oct``), or a dash when there is none."""
    return "-" if day is None else short_date(day)


def times(count: int) -> str:
    """``1`` -> "once", ``2`` -> "twice", ``5`` -> "5 times"."""
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


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


def band_word(band: str | None) -> str:
    """Return the adherence band in the app's words ("on track"), or "" when there is none."""
    return BAND_WORDS.get(band or "", "")


def band_key() -> str:
    """Say which of the app's band words stands for which clinical band.

    >>> band_key()
    'The app says on track (adherent), nearly there (borderline), below plan (low).'
    """
    pairs = ", ".join(f"{word} ({band})" for band, word in BAND_WORDS.items())
    return f"The app says {pairs}."


def exercises_done(done: int, planned: int) -> str:
    """Return e.g. "8 of 12 exercises" (an exercise done once is one of the planned).

    A *session* is one round of the whole programme; what the logs count, one row per
    exercise done, are exercises.
    """
    return f"{done} of {plural(planned, 'exercise')}"


def adherence_line(summary: PatientSummary) -> str:
    """Return e.g. "15 of 84 exercises done in the last 7 days (18%, below plan)"."""
    adherence = summary.adherence
    band = band_word(adherence.band_last_7_days)
    share = percent(adherence.last_7_days)
    tail = f" ({share}, {band})" if band else f" ({share})"
    done = exercises_done(adherence.sessions_last_7_days, adherence.target_last_7_days)
    return f"{done} done in the last 7 days{tail}"


def pain_label(summary: PatientSummary, as_of: date, settings: RuleSettings = DEFAULT_SETTINGS) -> str:
    """Name the pain figure: "Pain now", or "Pain at last entry (3 Nov)" once it is stale.

    Stale means the last pain entry is ``stale_days`` or more before the as-of day (the
    ``stale_logs`` rule's threshold): a figure that old is not "now".
    """
    last = summary.pain.last_entry
    if last is not None and (as_of - last).days >= settings.stale_days:
        return f"Pain at last entry ({day_label(last)})"
    return "Pain now"


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
    run = plural(summary.pain_free_streak, "pain-free day")
    if summary.phase == "maintenance":
        return f"{run} in a row; in maintenance"
    return f"{run} in a row; {summary.pain_free_days_to_go} to go before maintenance"


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
                matched_words=", ".join(_words_not_in(flag.matched_words, flag.message)),
            )
        )
    return views


def _words_not_in(words: list[str], message: str) -> list[str]:
    """Return the matched words a message does not already say (the log's own spelling)."""
    said = message.casefold()
    return [word for word in words if word.casefold() not in said]


def patient_message(flag: Flag, summary: PatientSummary) -> str:
    """Return the flag's message as the patient reads it: no advice meant for the therapist.

    The analysis words some flags for the person screening ("a friendly check-in may
    help"); the patient's page says what it means for them instead, in the app's counts.
    """
    if flag.code == "dropped_out" and flag.dates:
        return (
            f"Nothing logged since {day_label(flag.dates[-1])}. Whenever you are ready, pick up "
            "where you left off: even one session a day helps."
        )
    if flag.code == "low_adherence":
        adherence = summary.adherence
        done = exercises_done(adherence.sessions_last_7_days, adherence.target_last_7_days)
        return (
            f"{done} done in the last 7 days ({percent(adherence.last_7_days)}). Even one "
            "session a day helps; your therapist can help you find a routine that fits."
        )
    paused = {item.exercise: item for item in summary.paused_exercises}
    if flag.code == "exercise_increases_pain" and flag.exercise in paused:
        item = paused[flag.exercise]
        # Already stopped: say they did the right thing, not "stop" again above the pause note.
        return (
            f"{item.name} raised your pain ({item.evidence}), and you stopped it, as the "
            "programme says. Check with your therapist before you start it again."
        )
    return flag.message


def rows_of(frame: pd.DataFrame, patient_id: str) -> pd.DataFrame:
    """Return the rows of one patient."""
    return frame.loc[frame["patient_id"] == patient_id]


def between(frame: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """Return the rows whose ``date`` lies from ``start`` to ``end``, both included."""
    days = frame["date"]
    return frame.loc[(days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))]


# Which flags mark a day on the pain chart, and with what label.
_MARKED_FLAGS: Final = {
    "pain_flare": "Flare",
    "severe_pain": "Severe pain",
    "red_flag_symptom": "Red flag",
}


def chart_markers(summary: PatientSummary) -> pd.DataFrame:
    """Return the days to mark on the pain chart: flares, relapses, severe pain, red flags.

    A relapse is marked once, on the day the rehab phase restarts, not on each bad day.
    """
    rows = [
        {"date": pd.Timestamp(day), "kind": flag.code, "label": _MARKED_FLAGS[flag.code]}
        for flag in summary.flags
        if flag.code in _MARKED_FLAGS
        for day in flag.dates
    ]
    for phase in summary.phases:
        if phase.reason == "relapse":
            rows.append({"date": pd.Timestamp(phase.start), "kind": "relapse", "label": "Relapse"})
    frame = pd.DataFrame(rows, columns=["date", "kind", "label"])
    return frame.drop_duplicates().sort_values("date", ignore_index=True)


def paused_text(since: date, evidence: str) -> str:
    """Return the exercise card's words for a paused exercise: since when, why, what next.

    >>> from datetime import date
    >>> paused_text(date(2026, 11, 18), "+2 on 17 Nov")[:56]
    'Paused since 18 Nov: it raised your pain (+2 on 17 Nov).'
    """
    return (
        f"Paused since {day_label(since)}: it raised your pain ({evidence}). "
        "Check with your therapist before you start it again."
    )


def exercise_stats(response: pd.DataFrame, exercise_id: str) -> dict[str, str]:
    """Return the patient's own numbers for one exercise: sessions this week, last change."""
    row = response.loc[response["exercise"] == exercise_id]
    if row.empty:
        return {"Done this week": "0 times", "Last pain change": "-"}
    record = row.iloc[0]
    change = record["last_change"]
    if pd.isna(change):
        change_text = "-"
    elif float(change) == 0:
        change_text = "no change"
    else:
        change_text = f"{float(change):+.1f} points"
    return {
        "Done this week": times(int(record["sessions_this_week"])),
        "Last pain change": change_text,
    }


def summary_table(cohort: CohortAnalysis) -> str:
    """Return a plain-text table of the cohort, most urgent first (``rehab summary``)."""
    header = ("patient", "alert", "phase", "week", "pain now", "change", "flags")
    rows = [header]
    for patient_id in cohort.triage()["patient_id"]:
        summary = cohort.patients[str(patient_id)].summary
        pain = summary.pain
        rows.append(
            (
                summary.patient_id,
                TIER_WORDS[summary.alert],
                PHASE_WORDS[summary.phase],
                percent(summary.adherence.last_7_days),
                "-" if pain.current is None else f"{pain.current:.1f}",
                "-" if pain.change is None else f"{pain.change:+.1f}",
                ", ".join(flag.code for flag in summary.flags) or "-",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[-1]
        for row in rows
    ]
    lines.insert(1, "-" * len(lines[0]))
    return f"As of {cohort.as_of.isoformat()}\n" + "\n".join(lines)


def run_tile(count: int) -> tuple[str, str]:
    """Return a run of days as a tile shows it: the count, and what it counts under it.

    ``1`` -> ("1", "day in a row"); the number alone fits half a laptop's column.
    """
    return str(count), ("day" if count == 1 else "days") + " in a row"


def days_ago(count: int) -> str:
    """How long ago a day was, as people say it: "today", "yesterday", "4 days ago"."""
    if count <= 0:
        return "today"
    return "yesterday" if count == 1 else f"{count} days ago"


@dataclass(frozen=True)
class TodayPlan:
    """Today against the plan: rounds of the programme (sessions) and single exercises."""

    sessions_done: int
    sessions_planned: int
    exercises_done: int
    exercises_planned: int
    exercises_per_session: int

    @property
    def headline(self) -> str:
        """Return e.g. "2 of 3 sessions · 8 of 12 exercises"."""
        sessions = f"{self.sessions_done} of {plural(self.sessions_planned, 'session')}"
        return f"{sessions} · {exercises_done(self.exercises_done, self.exercises_planned)}"


def today_plan(summary: PatientSummary, daily: pd.DataFrame, paused: Sequence[str] = ()) -> TodayPlan:
    """Count today's sessions and exercises from the last row of ``daily`` (the as-of day).

    A session is one round of every prescribed exercise that is not paused, so the sessions
    done are the fewest times any of them was done (each capped at the day's target);
    exercises done add up each exercise's times, capped at the target the same way.
    """
    per_exercise = summary.target_per_day
    prefix = "sessions_"
    columns = [c for c in daily.columns if c.startswith(prefix) and c[len(prefix) :] not in paused]
    if daily.empty or not per_exercise or not columns:
        return TodayPlan(0, per_exercise, 0, 0, len(columns))
    last = daily.iloc[-1]
    counts = [min(int(last[c]), per_exercise) for c in columns]
    return TodayPlan(
        sessions_done=min(counts),
        sessions_planned=per_exercise,
        exercises_done=sum(counts),
        exercises_planned=per_exercise * len(counts),
        exercises_per_session=len(counts),
    )


def today_rule(plan: TodayPlan) -> str:
    """Say what a session is, for the caption under today's count."""
    if not plan.exercises_planned:
        return "Nothing planned today."
    return (
        f"A session is one round of the {plural(plan.exercises_per_session, 'exercise')}; "
        "it is done when each of them is."
    )


def recent_values(daily: pd.DataFrame, column: str, days: int) -> list[float]:
    """Return the known values of ``column`` over the last ``days`` days (for a sparkline)."""
    values = daily[column].tail(days).dropna()
    return [round(float(v), 2) for v in values]


def file_table(batch: ImportBatch) -> pd.DataFrame:
    """Return one line per imported file: its kind, counts and number of notes."""
    rows = [
        {
            "file": f.report.file,
            "kind": f.report.kind or "not recognised",
            "rows": f.report.rows,
            "accepted": f.report.accepted,
            "rejected": f.report.rejected,
            "duplicates": f.report.duplicates,
            "notes": len(f.report.issues),
            "usable": f.report.usable,
        }
        for f in batch.files
    ]
    return pd.DataFrame(
        rows, columns=["file", "kind", "rows", "accepted", "rejected", "duplicates", "notes", "usable"]
    )
