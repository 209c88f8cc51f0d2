"""Result models: what the analysis says about a patient, in the shape scripts rely on.

Field names and flag codes are a public contract (``rehab summary --json``): keep them; add
new fields freely. Fractions are 0..1; pain is on the 0-10 scale; dates are calendar days.
"""

from __future__ import annotations

from datetime import date
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, computed_field

Tier = Literal["critical", "high", "moderate"]
Alert = Literal["critical", "high", "moderate", "none"]
PhaseName = Literal["rehab", "maintenance"]
PhaseReason = Literal["start", "pain_free_run", "relapse"]
PainSource = Literal["pain_log", "session_pain_before"]
AdherenceBand = Literal["adherent", "borderline", "low"]

# Rank of each alert tier, most urgent first: sorting by it puts critical patients on top.
TIER_ORDER: Final[dict[str, int]] = {"critical": 0, "high": 1, "moderate": 2, "none": 3}


class Flag(BaseModel):
    """A reason to look at a patient, with the rows that raised it.

    ``code`` is the id of the rule (see :func:`rehab.settings.rule`) that raised the flag;
    ``rows`` are ``(source_file, source_row)`` pairs, as the import report numbers rows.
    """

    model_config = ConfigDict(frozen=True)

    code: str
    tier: Tier
    message: str
    exercise: str | None = None
    dates: list[date] = []
    rows: list[tuple[str, int]] = []
    matched_words: list[str] = []

    @computed_field  # type: ignore[prop-decorator]
    @property
    def rule_id(self) -> str:
        """Id of the rule behind the flag (the flag code)."""
        return self.code


class Phase(BaseModel):
    """One period of the programme: rehab (3 a day) or maintenance (once a day).

    ``end`` is the last day of the period, ``None`` while it lasts; ``reason`` says what began
    it: the start of the logs, a run of pain-free days, or a relapse.
    """

    model_config = ConfigDict(frozen=True)

    phase: PhaseName
    start: date
    end: date | None
    reason: PhaseReason


class AdherenceSummary(BaseModel):
    """Frequency adherence (share of prescribed sessions done, capped per day) and dose."""

    model_config = ConfigDict(frozen=True)

    overall: float | None
    last_7_days: float | None
    dose: float | None
    by_exercise: dict[str, float]
    by_phase: dict[str, float] = {}
    band: AdherenceBand | None = None
    band_last_7_days: AdherenceBand | None = None
    sessions_last_7_days: int = 0
    target_last_7_days: int = 0


class PainSummary(BaseModel):
    """Baseline and current pain, their change, and whether it is clinically meaningful.

    ``mcid_date`` is the first day with a pain entry, on or after the last baseline day, on
    which the current-pain rule evaluated for that day (mean daily pain over the calendar
    window ending that day) met the MCID; it is ``None`` while ``mcid_reached`` is false, so
    the two never disagree.
    """

    model_config = ConfigDict(frozen=True)

    baseline: float | None
    current: float | None
    change: float | None
    change_pct: float | None
    mcid_reached: bool
    mcid_date: date | None
    source: PainSource | None = None
    first_entry: date | None = None
    last_entry: date | None = None
    days_with_entries: int = 0


class PausedExercise(BaseModel):
    """An exercise the stop rule paused: left out of the target until it is logged again.

    ``since`` is the first paused day (the day after the session that tripped the stop rule);
    ``evidence`` says what tripped it, e.g. ``"+2 on 17 Nov"`` or ``"+1 in 2 of the last 3"``.
    """

    model_config = ConfigDict(frozen=True)

    exercise: str
    name: str
    since: date
    evidence: str


class PatientSummary(BaseModel):
    """Everything the summary says about one patient (the ``rehab summary --json`` record)."""

    model_config = ConfigDict(frozen=True)

    patient_id: str
    first_day: date
    last_log: date
    phase: PhaseName
    maintenance_start: date | None
    phases: list[Phase]
    adherence: AdherenceSummary
    pain: PainSummary
    alert: Alert
    flags: list[Flag]
    days_since_last_log: int = 0
    pain_free_streak: int = 0
    pain_free_days_to_go: int = 0
    days_to_maintenance: int | None = None
    pain_source: PainSource | None = None
    target_per_day: int = 0
    sessions_today: int = 0
    target_today: int = 0
    paused_exercises: list[PausedExercise] = []
