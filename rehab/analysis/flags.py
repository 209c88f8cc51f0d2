"""Flags: each rule of the flag table turned into a :class:`Flag` with a plain message.

Builders work on the whole cohort and return only the patients they flag; :func:`cohort_flags`
puts each patient's flags in order of urgency. Messages are kind and concrete ("9 of 84
prescribed exercises done"), never punitive. A *session* is one round of the programme; the
logs count exercises done (one row each), so a count of rows says "exercises", not "sessions".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import numpy as np

from rehab.analysis.inputs import day_date, day_number
from rehab.analysis.models import TIER_ORDER, Alert, Flag, Phase, Tier
from rehab.analysis.pain_flags import (
    PainFlagInputs,
    not_improving_flags,
    pain_flare_flags,
    severe_pain_flags,
)
from rehab.analysis.text import date_list, short_date
from rehab.wording import plural

if TYPE_CHECKING:
    from rehab.analysis.adherence import AdherenceTotals
    from rehab.analysis.pain import FlareDays, PainTotals
    from rehab.analysis.pauses import CurrentPause
    from rehab.analysis.redflags import RedFlagRow
    from rehab.analysis.response import StopFinding
    from rehab.settings import RuleSettings

# Order of the flag table in the rules; flags of the same tier are listed in this order.
FLAG_CODES = (
    "red_flag_symptom",
    "severe_pain",
    "pain_flare",
    "exercise_increases_pain",
    "exercise_paused",
    "relapse",
    "disability_worse",
    "dropped_out",
    "not_improving",
    "start_back_high_risk",
    "low_adherence",
    "stale_logs",
)

# The tier each rule's flag carries (the builders below raise them so; docs/rules.md lists them).
FLAG_TIERS: Final[dict[str, Tier]] = {
    "red_flag_symptom": "critical",
    "severe_pain": "critical",
    "pain_flare": "high",
    "exercise_increases_pain": "high",
    "exercise_paused": "moderate",
    "relapse": "high",
    "disability_worse": "high",
    "dropped_out": "high",
    "not_improving": "moderate",
    "start_back_high_risk": "moderate",
    "low_adherence": "moderate",
    "stale_logs": "moderate",
}

_URGENT_ADVICE = (
    "Please get medical advice today. For numbness around the genitals or buttocks, numbness or "
    "weakness in both legs, or changes in bladder or bowel control, seek emergency care now."
)


def red_flag_flags(rows: list[RedFlagRow]) -> dict[int, Flag]:
    """``red_flag_symptom``: a red-flag column set, or a note naming a red-flag symptom."""
    by_patient: dict[int, list[RedFlagRow]] = defaultdict(list)
    for row in rows:
        by_patient[row.patient].append(row)
    flags = {}
    for patient, hits in sorted(by_patient.items()):
        days = sorted({day_date(hit.day) for hit in hits})
        words = list(dict.fromkeys(word for hit in hits for word in hit.words))
        symptoms = list(dict.fromkeys(symptom for hit in hits for symptom in hit.symptoms))
        what = f"a possible warning sign ({'; '.join(symptoms)})" if symptoms else "a warning sign"
        flags[patient] = Flag(
            code="red_flag_symptom",
            tier="critical",
            message=f"The log of {date_list(days)} mentions {what}. {_URGENT_ADVICE}",
            dates=days,
            rows=sorted(
                {(hit.source_file, hit.source_row) for hit in hits if hit.source_row is not None}
            ),
            matched_words=words,
        )
    return flags


def exercise_flags(stops: dict[int, list[StopFinding]], settings: RuleSettings) -> dict[int, list[Flag]]:
    """``exercise_increases_pain``: one flag per exercise that trips the stop rule."""
    flags: dict[int, list[Flag]] = {}
    for patient, findings in stops.items():
        flags[patient] = [_exercise_flag(finding, settings) for finding in findings]
    return flags


def _exercise_flag(finding: StopFinding, settings: RuleSettings) -> Flag:
    """Word the stop flag around the evidence that tripped the rule."""
    days = [day_date(day) for day in finding.days]
    advice = "stop this exercise and check with your therapist"
    what = finding.evidence
    if finding.largest_recent_rise is None:
        what = f"{what} times it was rated: {date_list(days)}"
    return Flag(
        code="exercise_increases_pain",
        tier="high",
        exercise=finding.exercise,
        message=f"{finding.name} raised pain ({what}): {advice}",
        dates=days,
        rows=finding.rows,
    )


def paused_flags(pauses: dict[int, list[CurrentPause]]) -> dict[int, list[Flag]]:
    """``exercise_paused``: one flag per exercise paused on the as-of date."""
    return {
        patient: [
            Flag(
                code="exercise_paused",
                tier="moderate",
                exercise=pause.paused.exercise,
                message=(
                    f"{pause.paused.name} is paused since {short_date(pause.paused.since)} "
                    f"because it raised pain ({pause.paused.evidence}), so it is left out of "
                    "your plan and your adherence for now. Please check with your therapist before "
                    "restarting it."
                ),
                dates=[pause.paused.since],
                rows=pause.rows,
            )
            for pause in found
        ]
        for patient, found in pauses.items()
    }


def relapse_flags(periods: list[list[Phase]], settings: RuleSettings) -> dict[int, Flag]:
    """``relapse``: the current rehab period began with a relapse."""
    flags = {}
    for patient, patient_periods in enumerate(periods):
        current = patient_periods[-1]
        if current.reason != "relapse":
            continue
        days = [day_date(day_number(current.start) + offset) for offset in range(settings.relapse_days)]
        flags[patient] = Flag(
            code="relapse",
            tier="high",
            message=(
                f"Pain came back after the maintenance phase ({date_list(days)}), so the "
                f"programme is back to {plural(settings.rehab_sessions_per_day, 'session')} a day "
                "for now. A check-in with your therapist may help."
            ),
            dates=days,
        )
    return flags


def log_gap_flags(last_log_day: np.ndarray, as_of_day: int, settings: RuleSettings) -> dict[int, Flag]:
    """``dropped_out`` (``dropped_out_days`` or more since the last log) or ``stale_logs``."""
    flags = {}
    since = as_of_day - last_log_day
    for patient in np.flatnonzero(since >= settings.stale_days).tolist():
        days = int(since[patient])
        last = day_date(int(last_log_day[patient]))
        if days >= settings.dropped_out_days:
            flags[patient] = Flag(
                code="dropped_out",
                tier="high",
                message=(
                    f"No logs for {plural(days, 'day')} (the last was on {short_date(last)}). "
                    "A friendly check-in may help to restart the programme."
                ),
                dates=[last],
            )
        else:
            flags[patient] = Flag(
                code="stale_logs",
                tier="moderate",
                message=f"The last log was {plural(days, 'day')} ago, on {short_date(last)}.",
                dates=[last],
            )
    return flags


def low_adherence_flags(
    totals: AdherenceTotals, short_days: dict[int, list[int]], settings: RuleSettings
) -> dict[int, Flag]:
    """``low_adherence``: frequency adherence over the last days below ``low_adherence_below``.

    ``short_days`` lists, per patient, the recent days below their target (the flag's dates).
    """
    low = ~np.isnan(totals.recent) & (totals.recent < settings.low_adherence_below)
    flags = {}
    for patient in np.flatnonzero(low).tolist():
        done, target = int(totals.recent_done[patient]), int(totals.recent_target[patient])
        flags[patient] = Flag(
            code="low_adherence",
            tier="moderate",
            message=(
                f"{done} of {plural(target, 'prescribed exercise')} done in the last "
                f"{plural(settings.recent_days, 'day')} ({totals.recent[patient]:.0%}). "
                "Even a few sessions a day help; your therapist can help find a routine that fits."
            ),
            dates=[day_date(day) for day in short_days.get(patient, [])],
        )
    return flags


@dataclass(frozen=True)
class FlagInputs:
    """Everything the flag rules read, for the whole cohort."""

    pain: PainFlagInputs
    flares: FlareDays
    pain_totals: PainTotals
    adherence: AdherenceTotals
    short_days: dict[int, list[int]]
    periods: list[list[Phase]]
    stops: dict[int, list[StopFinding]]
    pauses: dict[int, list[CurrentPause]]
    red_flags: list[RedFlagRow]
    last_log_day: np.ndarray


def cohort_flags(data: FlagInputs) -> list[list[Flag]]:
    """Every patient's flags, most urgent tier first, then in the order of the rules table."""
    settings = data.pain.settings
    as_of_day = data.pain.as_of_day
    single: list[dict[int, Flag]] = [
        red_flag_flags(data.red_flags),
        severe_pain_flags(data.pain),
        pain_flare_flags(data.pain, data.flares),
        relapse_flags(data.periods, settings),
        log_gap_flags(data.last_log_day, as_of_day, settings),
        not_improving_flags(data.pain_totals, as_of_day, settings),
        low_adherence_flags(data.adherence, data.short_days, settings),
    ]
    per_patient: list[list[Flag]] = [[] for _ in data.periods]
    for found in single:
        for patient, flag in found.items():
            per_patient[patient].append(flag)
    for patient, flags in exercise_flags(data.stops, settings).items():
        per_patient[patient].extend(flags)
    for patient, flags in paused_flags(data.pauses).items():
        per_patient[patient].extend(flags)
    for flags in per_patient:
        sort_flags(flags)
    return per_patient


def sort_flags(flags: list[Flag]) -> None:
    """Order flags in place: most urgent tier first, then in the order of the rules table."""
    flags.sort(key=lambda flag: (TIER_ORDER[flag.tier], FLAG_CODES.index(flag.code)))


def alert_of(flags: list[Flag]) -> Alert:
    """Return the patient's alert: the highest tier among the flags, or ``"none"``."""
    if not flags:
        return "none"
    return min((flag.tier for flag in flags), key=TIER_ORDER.__getitem__)
