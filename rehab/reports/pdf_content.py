"""What a patient's PDF page says, as plain strings: the analysis put into words and tables.

Kept apart from the drawing so the wording is tested without parsing a PDF.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Final

import pandas as pd

from rehab import present
from rehab.analysis.text import short_date
from rehab.reports.pdf_text import MAX_ID_CHARS, MAX_NAME_CHARS, cut
from rehab.wording import plural

if TYPE_CHECKING:
    from rehab.analysis import CohortAnalysis, PatientAnalysis, PatientSummary
    from rehab.library import ExerciseLibrary
    from rehab.settings import RuleSettings

HEADER_TITLE: Final = "rehab \u00b7 patient report"
VERDICT_WORDS: Final = {"stop": "STOP: raised pain", "ok": "continue", "no data": "no pain ratings"}
# Verdicts that ask for action start with these words (printed in red, kept when cut).
ACTION_VERDICTS: Final = ("STOP", "PAUSED")
MAX_MESSAGE_CHARS: Final = 600
PHASE_COLUMNS: Final = ("Phase", "From", "To", "Days", "Began because")
EXERCISE_COLUMNS: Final = (
    "Exercise",
    "Adherence",
    "Sessions",
    "This week",
    "Pain rated",
    "Mean change",
    "Last change",
    "Verdict",
)
MEASURE_COLUMNS: Final = ("Questionnaire", "First", "Latest", "Change", "Meaningful")


@dataclass(frozen=True)
class FlagItem:
    """One flag as printed: tier word, message, and the rule and source behind it."""

    tier: str
    tier_word: str
    message: str
    rule: str
    source: str


@dataclass(frozen=True)
class PageContent:
    """Every string on one patient's page, in reading order."""

    patient_id: str
    alert: str
    alert_word: str
    period: str
    as_of: str
    generated: str
    last_log: str
    phase: str
    flags: list[FlagItem]
    phases: list[tuple[str, ...]]
    adherence: list[tuple[str, str]]
    pain: list[tuple[str, str]]
    exercises: list[tuple[str, ...]]
    stopped_exercises: list[str]
    paused_exercises: list[str]
    measures: list[tuple[str, ...]] = field(default_factory=list)
    measure_notes: list[str] = field(default_factory=list)
    measure_licences: list[str] = field(default_factory=list)


def long_date(day: date | None) -> str:
    """Format a day for the record, with its year: ``3 Oct 2026``."""
    return "-" if day is None else f"{day.day} {day:%b %Y}"


def date_time(moment: datetime) -> str:
    """Format a moment for the record: ``30 Nov 2026, 18:40 UTC`` (the zone when it has one)."""
    zone = moment.tzname() or ""
    return f"{long_date(moment.date())}, {moment:%H:%M} {zone}".rstrip()


def _phase_reason(reason: str, settings: RuleSettings) -> str:
    if reason == "pain_free_run":
        return f"{settings.pain_free_days_for_maintenance} pain-free days in a row"
    if reason == "relapse":
        return (
            f"relapse: {plural(settings.relapse_days, 'day')} with pain "
            f"{settings.relapse_pain_min:g} or more"
        )
    return "start of the logs"


def phase_rows(patient: PatientAnalysis, as_of: date, settings: RuleSettings) -> list[tuple[str, ...]]:
    """One row per phase: name, first day, last day (or "ongoing"), days, why it began."""
    rows: list[tuple[str, ...]] = []
    for phase in patient.phases:
        last = phase.end or as_of
        rows.append(
            (
                present.PHASE_WORDS[phase.phase],
                long_date(phase.start),
                "ongoing" if phase.end is None else long_date(phase.end),
                str((last - phase.start).days + 1),
                _phase_reason(phase.reason, settings),
            )
        )
    return rows


def _share(value: float | None, band: str | None = None) -> str:
    text = present.percent(value)
    # The app's band words ("on track"), so the record and the screen say the same.
    word = present.band_word(band)
    return f"{text} ({word})" if word else text


def adherence_rows(summary: PatientSummary) -> list[tuple[str, str]]:
    """Overall, last 7 days with its band, dose, then the adherence of each phase."""
    adherence = summary.adherence
    week = (
        f"{_share(adherence.last_7_days, adherence.band_last_7_days)}; "
        f"{present.exercises_done(adherence.sessions_last_7_days, adherence.target_last_7_days)}"
    )
    rows = [
        ("Overall", _share(adherence.overall, adherence.band)),
        ("Last 7 days", week),
        ("Dose (reps and hold)", _share(adherence.dose)),
    ]
    rows += [
        (f"In {present.PHASE_WORDS.get(phase, phase).lower()}", _share(value))
        for phase, value in adherence.by_phase.items()
    ]
    return rows


def _points(value: float | None, *, signed: bool = False) -> str:
    if value is None or math.isnan(value):
        return "-"
    if round(value, 1) == 0:
        return "0.0"  # no sign on nothing: "+0.0" or "-0.0" reads as a change
    return f"{value:+.1f}" if signed else f"{value:.1f}"


def _signed_percent(value: float) -> str:
    """Return a change as a whole percentage with its sign, none on zero: ``-36%``, ``0%``."""
    return "0%" if round(value * 100) == 0 else f"{value:+.0%}"


def _streak(summary: PatientSummary) -> str:
    streak = plural(summary.pain_free_streak, "day")
    if summary.phase == "maintenance":
        return f"{streak} (in maintenance)"
    return f"{streak} ({summary.pain_free_days_to_go} more for maintenance)"


def _current_label(summary: PatientSummary, as_of: date, settings: RuleSettings) -> str:
    # Old pain is not "current": the app's rule names it by its last entry (3 Nov).
    label = present.pain_label(summary, as_of, settings)
    if label == "Pain now":
        return "Current (last 7 days)"
    return f"At last entry ({long_date(summary.pain.last_entry)})"


def pain_rows(
    summary: PatientSummary, settings: RuleSettings, as_of: date | None = None
) -> list[tuple[str, str]]:
    """Baseline, current (or at the last entry, when that is old), change, MCID, streak."""
    pain = summary.pain
    change_pct = "-" if pain.change_pct is None else _signed_percent(pain.change_pct)
    mcid = f"yes, on {long_date(pain.mcid_date)}" if pain.mcid_reached else "not yet"
    threshold = f"-{settings.mcid_points:g} or -{settings.mcid_fraction:.0%}"
    return [
        ("Baseline", f"{_points(pain.baseline)} / 10"),
        (
            "Current (last 7 days)" if as_of is None else _current_label(summary, as_of, settings),
            f"{_points(pain.current)} / 10",
        ),
        ("Change", f"{_points(pain.change, signed=True)} points ({change_pct})"),
        (f"MCID ({threshold})", mcid),
        ("Pain-free streak", _streak(summary)),
        ("Days with pain entries", str(pain.days_with_entries)),
    ]


def _optional_number(value: object, *, signed: bool = False) -> str:
    number = float(value) if isinstance(value, int | float) else math.nan
    return _points(number, signed=signed)


def exercise_rows(
    response: pd.DataFrame, by_exercise: dict[str, float], names: dict[str, str]
) -> list[tuple[str, ...]]:
    """One row per exercise: its adherence, sessions, pain change and the stop rule's verdict.

    ``names`` (exercise id -> name) overrides the names in ``response``.
    """
    rows: list[tuple[str, ...]] = []
    for record in response.itertuples(index=False):
        rows.append(
            (
                cut(names.get(str(record.exercise), str(record.name)), MAX_NAME_CHARS),
                _share(by_exercise.get(str(record.exercise))),
                str(record.sessions),
                str(record.sessions_this_week),
                str(record.sessions_with_pain),
                _optional_number(record.mean_change, signed=True),
                _optional_number(record.last_change, signed=True),
                _verdict(record.verdict, record.paused_since, record.evidence),
            )
        )
    return rows


def _verdict(verdict: object, paused_since: object, evidence: object) -> str:
    """Word the stop verdict with what tripped it: "STOP: +2 on 17 Nov", "PAUSED since 18 Nov"."""
    if isinstance(paused_since, datetime | date) and not pd.isna(paused_since):
        return f"PAUSED since {short_date(paused_since)}"
    if verdict == "stop" and isinstance(evidence, str) and evidence:
        return f"STOP: {evidence}"
    return VERDICT_WORDS.get(str(verdict), str(verdict))


def _last_log(summary: PatientSummary) -> str:
    days_ago = summary.days_since_last_log
    when = "as-of date" if days_ago == 0 else f"{plural(days_ago, 'day')} before"
    return f"{long_date(summary.last_log)} ({when})"


def _cut_names(message: str, names: list[str]) -> str:
    """Return ``message`` with each long name in it (from a file) cut as the page prints it."""
    for name in sorted(names, key=len, reverse=True):
        if len(name) > MAX_NAME_CHARS and name in message:
            message = message.replace(name, cut(name, MAX_NAME_CHARS))
    return message


def flag_items(
    summary: PatientSummary, settings: RuleSettings, names: list[str] | None = None
) -> list[FlagItem]:
    """Return the patient's flags, most urgent first, each with its rule text and source.

    Long ``names`` (exercise names and ids from the logs) are cut where a message repeats them.
    """
    return [
        FlagItem(
            tier=view.tier,
            tier_word=view.tier_word,
            # Bounded whatever a file said: one flag always fits on the page.
            message=cut(_cut_names(view.message, names or []), MAX_MESSAGE_CHARS),
            rule=f"{view.rule_title}: {view.rule_text}",
            source=view.source,
        )
        for view in present.flag_views(summary.flags, settings)
    ]


def measure_rows(patient: PatientAnalysis, settings: RuleSettings) -> list[tuple[str, ...]]:
    """One row per questionnaire: name, first and latest score with dates, change, verdict.

    For example ``("ODI", "44% (1 Sep)", "30% (29 Sep)", "-14", "yes, better")``.
    """
    from rehab.measure_words import measure_views

    rows: list[tuple[str, ...]] = []
    for view in measure_views(patient.measure_changes, settings):
        latest = f"{view.latest} ({view.latest_date})"
        if view.band:
            latest = f"{latest}, {view.band}"
        rows.append(
            (
                view.short,
                f"{view.first} ({view.first_date})",
                latest,
                view.change_short.replace("\u2212", "-"),
                view.meaningful,
            )
        )
    return rows


def measure_notes(patient: PatientAnalysis, settings: RuleSettings) -> list[str]:
    """Return each rule behind the questionnaire table with its text and source, once."""
    from rehab.measure_words import measure_views, rules_of
    from rehab.settings import rule

    views = measure_views(patient.measure_changes, settings)
    described = [rule(rule_id, settings) for rule_id in rules_of(views)]
    return [f"{r.title}: {r.text} Source: {r.source}." for r in described]


def measure_licences(patient: PatientAnalysis, settings: RuleSettings) -> list[str]:
    """Return the statements kept with these results (Keele's under STarT Back)."""
    from rehab.measure_words import licences, measure_views

    return licences(measure_views(patient.measure_changes, settings))


def _named(name: str, evidence: str, since: str = "") -> str:
    """Return an exercise's name, cut to length, with when and why: ``Knee bend (+2 on 3 Sep)``."""
    named = cut(name, MAX_NAME_CHARS)
    lead = f"{named} since {since}" if since else named
    return f"{lead} ({evidence})" if evidence else lead


def page_content(
    cohort: CohortAnalysis, patient_id: str, library: ExerciseLibrary, generated_at: datetime
) -> PageContent:
    """Put one patient's analysis into the words of the PDF page.

    Parameters
    ----------
    cohort
        The analysis; its as-of date and settings are the report's.
    patient_id
        A patient of ``cohort``.
    library
        Names the exercises.
    generated_at
        When the report is made (printed beside the as-of date).

    Returns
    -------
    PageContent
        The strings of the page.
    """
    patient = cohort.patients[patient_id]
    summary, settings = patient.summary, cohort.settings
    response = patient.exercise_response
    names = {exercise.id: exercise.name for exercise in library.exercises}
    paused = {item.exercise: item for item in summary.paused_exercises}
    stopping = response.loc[(response["verdict"] == "stop") & ~response["exercise"].isin(list(paused))]
    stopped = [
        _named(names.get(exercise, name), evidence)
        for exercise, name, evidence in stopping[["exercise", "name", "evidence"]]
        .fillna("")
        .astype(str)
        .itertuples(index=False)
    ]
    from_logs = [*response["exercise"].astype(str), *response["name"].astype(str), patient_id]
    return PageContent(
        patient_id=cut(patient_id, MAX_ID_CHARS),
        alert=summary.alert,
        alert_word=present.TIER_WORDS[summary.alert],
        period=f"{long_date(summary.first_day)} - {long_date(cohort.as_of)}",
        as_of=long_date(cohort.as_of),
        generated=date_time(generated_at),
        last_log=_last_log(summary),
        phase=present.phase_headline(summary, settings),
        flags=flag_items(summary, settings, from_logs),
        phases=phase_rows(patient, cohort.as_of, settings),
        adherence=adherence_rows(summary),
        pain=pain_rows(summary, settings, cohort.as_of),
        exercises=exercise_rows(response, summary.adherence.by_exercise, names),
        stopped_exercises=stopped,
        paused_exercises=[
            _named(names.get(item.exercise, item.name), item.evidence, long_date(item.since))
            for item in paused.values()
        ],
        measures=measure_rows(patient, settings),
        measure_notes=measure_notes(patient, settings),
        measure_licences=measure_licences(patient, settings),
    )
