"""The clinical rules as one typed settings model, with the source of every default.

Every threshold the analysis uses lives here, and nowhere else. A clinic may change any of
them (``RuleSettings(severe_pain=8)``, or ``--set severe_pain=8`` on the command line); the
app shows, next to a result, the :class:`Rule` that produced it and where the default comes
from.
"""

from __future__ import annotations

from typing import Final

from pydantic import BaseModel, ConfigDict, Field, model_validator

SOURCE_ARTICLE: Final = 'Verywell Health, "Back Injury Rehabilitation Exercises"'
SOURCE_NRS: Final = "0-10 numeric rating scale (NRS), LOINC 72514-3"
SOURCE_OSTELO: Final = "Ostelo et al., Spine 2008 (international consensus on MCID)"
SOURCE_PACE: Final = "PACE trial, Lancet 2014 (recovery = pain 0-1 for 7 consecutive days)"
SOURCE_STANTON: Final = "Stanton et al. (recurrence = pain over 24 h at or above the MCID)"
SOURCE_ADHERENCE: Final = (
    "16 of 20 sessions in a large low-back-pain cohort; 70% cut-off (MiSpEx network)"
)
SOURCE_DOSE: Final = "Medina-Mirapeix et al. 2009 (frequency and dose are separate components)"
SOURCE_RED_FLAGS: Final = "NHS guidance on back pain; BMJ Best Practice, cauda equina syndrome"
SOURCE_TRIAL_PRACTICE: Final = "common trial practice"
# A threshold this app chose (no study sets it); a clinic may change it.
SOURCE_REHAB_DEFAULT: Final = "rehab default"
SOURCE_STOP_RULE: Final = (
    f"{SOURCE_ARTICLE} (stop an exercise that causes more pain); the thresholds are a rehab default"
)

PAIN_MIN: Final = 0.0
PAIN_MAX: Final = 10.0


class RuleSettings(BaseModel):
    """Thresholds of the analyses; the defaults follow ``shared/guides/clinical-rules.md``.

    Each field's description says what it governs; :data:`RULES` says where it comes from.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", validate_assignment=True)

    rehab_sessions_per_day: int = Field(
        3, ge=1, le=10, description="Times a day each exercise is done while the back hurts."
    )
    maintenance_sessions_per_day: int = Field(
        1, ge=1, le=10, description="Times a day each exercise is done once pain is gone."
    )
    baseline_days: int = Field(
        3, ge=1, le=14, description="Days with pain entries whose mean is the baseline."
    )
    current_window_days: int = Field(
        7, ge=1, le=28, description="Calendar days, ending at the last pain entry, for current pain."
    )
    mcid_points: float = Field(
        2.0, gt=0, le=10, description="Points of improvement that are clinically meaningful."
    )
    mcid_fraction: float = Field(
        0.30, gt=0, lt=1, description="Fraction of improvement that is clinically meaningful."
    )
    pain_free_max: float = Field(
        1.0, ge=0, le=10, description="A day is pain-free when its maximum is at most this."
    )
    pain_free_days_for_maintenance: int = Field(
        7, ge=1, le=60, description="Consecutive pain-free days before maintenance starts."
    )
    relapse_pain_min: float = Field(
        2.0, ge=0, le=10, description="Daily maximum that counts as a bad day in maintenance."
    )
    relapse_days: int = Field(
        2, ge=1, le=14, description="Consecutive bad days in maintenance that make a relapse."
    )
    recent_days: int = Field(
        7, ge=1, le=28, description='"Last N days": the as-of date and the days before it.'
    )
    adherent_min: float = Field(
        0.80, gt=0, le=1, description="Frequency adherence at or above this is adherent."
    )
    borderline_min: float = Field(
        0.70, gt=0, le=1, description="Adherence at or above this (and below adherent) is borderline."
    )
    severe_pain: float = Field(
        7.0, ge=0, le=10, description="A daily maximum at or above this is severe pain."
    )
    flare_rise: float = Field(
        2.0, gt=0, le=10, description="Rise of a day's mean over the days before it that is a flare."
    )
    flare_reference_days: int = Field(
        7, ge=1, le=28, description="Days with entries before a day that form its reference."
    )
    flare_reference_min_days: int = Field(
        3, ge=1, le=28, description="Fewest reference days for the flare rule to apply."
    )
    exercise_pain_rise_single: float = Field(
        2.0, gt=0, le=10, description="Rise in one recent session that means stop the exercise."
    )
    exercise_pain_rise_repeated: float = Field(
        1.0, gt=0, le=10, description="Rise that, repeated, means stop the exercise."
    )
    exercise_repeated_count: int = Field(
        2, ge=1, le=10, description="Sessions with the repeated rise, out of the last few."
    )
    exercise_repeated_window: int = Field(
        3, ge=1, le=20, description="How many of an exercise's last sessions are looked at."
    )
    dropped_out_days: int = Field(
        14, ge=1, le=365, description="Days since the last log that mean the patient dropped out."
    )
    not_improving_days: int = Field(
        14, ge=1, le=365, description="Days since the first pain entry with no MCID: see a provider."
    )
    low_adherence_below: float = Field(
        0.70, gt=0, le=1, description="Last-7-days adherence below this raises a flag."
    )
    stale_days: int = Field(
        3, ge=1, le=365, description="Days since the last log from which logs are stale."
    )

    # Outcome questionnaires (rehab/measures): minimal important changes and scoring choices.
    odi_mcid_points: float = Field(
        10.0, gt=0, le=100, description="ODI points (of 100) of change that are clinically meaningful."
    )
    odi_mcid_percent: float = Field(
        30.0, gt=0, lt=100, description="ODI improvement, in % of the first score, that is meaningful."
    )
    rmdq_mcid_points: float = Field(
        5.0, gt=0, le=24, description="Roland-Morris points (of 24) of change that are meaningful."
    )
    rmdq_mcid_percent: float = Field(
        30.0, gt=0, lt=100, description="RMDQ improvement, in % of the first score, that is meaningful."
    )
    psfs_mcid_points: float = Field(
        2.0, gt=0, le=10, description="PSFS points (mean of 0-10 ratings) of change that are meaningful."
    )
    rmdq_proportional: bool = Field(
        False,
        description=(
            "Score an incomplete Roland-Morris form by scaling its answered items to 24 "
            "(off: an incomplete form is not scored)."
        ),
    )
    rmdq_min_answered: int = Field(
        21, ge=1, le=24, description="Fewest answered RMDQ items for proportional scoring."
    )
    start_back_high_subscale: int = Field(
        4, ge=1, le=5, description="STarT Back distress subscale (0-5) from which the risk is high."
    )
    start_back_low_total_max: int = Field(
        3, ge=0, le=9, description="STarT Back total (0-9) up to which the risk is low."
    )

    @model_validator(mode="after")
    def _bands_are_ordered(self) -> RuleSettings:
        if self.borderline_min > self.adherent_min:
            raise ValueError("borderline_min must not exceed adherent_min")
        if self.stale_days >= self.dropped_out_days:
            raise ValueError("stale_days must be below dropped_out_days")
        if self.flare_reference_min_days > self.flare_reference_days:
            raise ValueError("flare_reference_min_days must not exceed flare_reference_days")
        if self.exercise_repeated_count > self.exercise_repeated_window:
            raise ValueError("exercise_repeated_count must not exceed exercise_repeated_window")
        return self

    def target_per_day(self, phase: str) -> int:
        """Prescribed times a day for each exercise in ``phase`` ("rehab" or "maintenance")."""
        if phase == "maintenance":
            return self.maintenance_sessions_per_day
        return self.rehab_sessions_per_day


DEFAULT_SETTINGS: Final = RuleSettings()


class Rule(BaseModel):
    """A rule the app can cite beside a number: what it says, and where it comes from."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    text: str
    source: str


def _rules(s: RuleSettings) -> dict[str, Rule]:
    """Describe every rule with the thresholds of ``s`` filled in."""
    r = [
        Rule(
            id="daily_pain",
            title="Daily pain",
            text="Mean of the day's 0-10 entries for trends; the day's maximum for pain-free.",
            source=SOURCE_NRS,
        ),
        Rule(
            id="baseline",
            title="Baseline pain",
            text=f"Mean daily pain of the first {s.baseline_days} days with pain entries.",
            source=SOURCE_TRIAL_PRACTICE,
        ),
        Rule(
            id="current_pain",
            title="Current pain",
            text=(
                f"Mean daily pain over the {s.current_window_days} calendar days ending at "
                "the last pain entry (days with entries only)."
            ),
            source=SOURCE_REHAB_DEFAULT,
        ),
        Rule(
            id="mcid",
            title="Clinically meaningful improvement",
            text=(
                f"Current pain at least {s.mcid_points:g} points or "
                f"{s.mcid_fraction:.0%} below baseline."
            ),
            source=SOURCE_OSTELO,
        ),
        Rule(
            id="pain_free_day",
            title="Pain-free day",
            text=f"A day with a pain entry and a daily maximum of {s.pain_free_max:g} or less.",
            source=SOURCE_PACE,
        ),
        Rule(
            id="maintenance",
            title="Switch to maintenance",
            text=(
                f"{s.pain_free_days_for_maintenance} consecutive pain-free days; maintenance "
                "(once a day) starts the next day. A day with no pain entry breaks the run."
            ),
            source=f"{SOURCE_PACE}; {SOURCE_ARTICLE}",
        ),
        Rule(
            id="relapse",
            title="Relapse",
            text=(
                f"In maintenance, {s.relapse_days} consecutive days each with a daily maximum "
                f"of {s.relapse_pain_min:g} or more: back to rehab from the first of them."
            ),
            source=SOURCE_STANTON,
        ),
        Rule(
            id="frequency_adherence",
            title="Adherence (frequency)",
            text=(
                f"Each day, each prescribed exercise: min(times done, target) / target, "
                f"target {s.rehab_sessions_per_day} a day in rehab and "
                f"{s.maintenance_sessions_per_day} in maintenance; days without logs count 0. "
                "A paused exercise leaves the target; a day with every exercise paused is left out."
            ),
            source=f"{SOURCE_ARTICLE}; exercises done / exercises prescribed",
        ),
        Rule(
            id="adherence_bands",
            title="Adherence bands",
            text=(
                f"{s.adherent_min:.0%} or more adherent; {s.borderline_min:.0%} to "
                f"{s.adherent_min:.0%} borderline; below {s.borderline_min:.0%} low."
            ),
            source=SOURCE_ADHERENCE,
        ),
        Rule(
            id="dose_adherence",
            title="Adherence (dose)",
            text="Per session: mean of min(reps / prescribed, 1) and min(hold / prescribed, 1).",
            source=SOURCE_DOSE,
        ),
        Rule(
            id="red_flag_symptom",
            title="Red-flag symptom",
            text=(
                "A red-flag column is set, or the notes mention a red-flag symptom: seek urgent care."
            ),
            source=SOURCE_RED_FLAGS,
        ),
        Rule(
            id="severe_pain",
            title="Severe pain",
            text=f"A daily maximum of {s.severe_pain:g} or more in the last {s.recent_days} days.",
            source=f"{SOURCE_REHAB_DEFAULT}, on the {SOURCE_NRS}",
        ),
        Rule(
            id="pain_flare",
            title="Pain flare",
            text=(
                f"A recent day whose mean is {s.flare_rise:g} or more above the mean of the "
                f"(up to) {s.flare_reference_days} days with entries before it (at least "
                f"{s.flare_reference_min_days}), or a day tagged as a flare."
            ),
            source=f"{SOURCE_REHAB_DEFAULT}: a rise the size of the MCID, {SOURCE_OSTELO}",
        ),
        Rule(
            id="exercise_increases_pain",
            title="Exercise increases pain",
            text=(
                f"Pain after minus before is {s.exercise_pain_rise_single:g} or more in a "
                f"session of the last {s.recent_days} days, or "
                f"{s.exercise_pain_rise_repeated:g} or more in {s.exercise_repeated_count} of "
                f"its last {s.exercise_repeated_window} sessions: stop that exercise."
            ),
            source=SOURCE_STOP_RULE,
        ),
        Rule(
            id="paused_exercise",
            title="Pause: when it starts and ends",
            text=(
                f"A session whose pain after minus before is {s.exercise_pain_rise_single:g} or "
                f"more, or {s.exercise_pain_rise_repeated:g} or more making "
                f"{s.exercise_repeated_count} of the exercise's last {s.exercise_repeated_window} "
                "rated sessions, pauses that exercise from the next day until the day it is "
                "logged again. A paused exercise leaves the target, and so do the sessions of "
                "it left undone on the day it was stopped (when counting them would lower that "
                "day): stopping as told never lowers adherence."
            ),
            source=SOURCE_STOP_RULE,
        ),
        Rule(
            id="exercise_paused",
            title="Exercise paused",
            text=(
                "An exercise is paused on the as-of date: name it and the day it was paused, "
                "and check with the therapist before restarting it."
            ),
            source=SOURCE_STOP_RULE,
        ),
        Rule(
            id="dropped_out",
            title="Stopped logging",
            text=f"{s.dropped_out_days} or more days since the last log of any kind.",
            source=SOURCE_REHAB_DEFAULT,
        ),
        Rule(
            id="not_improving",
            title="Not improving",
            text=(
                f"{s.not_improving_days} or more days since the first pain entry and no "
                "clinically meaningful improvement: see a provider."
            ),
            source=f"{SOURCE_ARTICLE} (pain longer than a week or two); {SOURCE_OSTELO}",
        ),
        Rule(
            id="low_adherence",
            title="Few exercises done",
            text=(
                f"Frequency adherence over the last {s.recent_days} days below "
                f"{s.low_adherence_below:.0%}."
            ),
            source=SOURCE_ADHERENCE,
        ),
        Rule(
            id="stale_logs",
            title="Logs are getting old",
            text=(f"{s.stale_days} to {s.dropped_out_days - 1} days since the last log of any kind."),
            source=SOURCE_REHAB_DEFAULT,
        ),
    ]
    # The outcome questionnaires' rules sit beside their scorers (one import, no cycle).
    from rehab.measures.rules import measure_rules

    r += measure_rules(s)
    return {rule.id: rule for rule in r}


def rules(settings: RuleSettings = DEFAULT_SETTINGS) -> dict[str, Rule]:
    """Return every rule, keyed by id (flag codes are rule ids), for ``settings``."""
    return _rules(settings)


def rule(rule_id: str, settings: RuleSettings = DEFAULT_SETTINGS) -> Rule:
    """Return one rule by id; raises ``KeyError`` for an unknown id."""
    return _rules(settings)[rule_id]
