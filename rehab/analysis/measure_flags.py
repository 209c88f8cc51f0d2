"""Questionnaire scores in the analysis: each patient's measures, their change, two flags.

The measures frame is the importer's (see ``rehab.measures.schema.empty_measures``): one row
per completed questionnaire. Here it is cut per patient, the first and latest scored
response of each measure are compared against the measure's minimal important change (MCID,
from :class:`rehab.settings.RuleSettings`), and two flags are raised:

- ``start_back_high_risk`` (moderate): the latest Keele STarT Back result is high risk;
- ``disability_worse`` (high): the latest Oswestry (ODI) or Roland-Morris (RMDQ) score is
  worse than the first by at least the measure's MCID.

Messages are kind and plain: they say what the result means for care, never a diagnosis.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

import pandas as pd

from rehab.analysis.models import Flag
from rehab.analysis.text import short_date
from rehab.measures import MEASURES
from rehab.measures.change import meaningful_change

if TYPE_CHECKING:
    from datetime import date

    from rehab.settings import RuleSettings

Meaningful = Literal["better", "worse", ""]

# The disability scales whose worsening raises ``disability_worse``.
DISABILITY_MEASURES: Final = ("odi", "rmdq")
MEASURE_NAMES: Final = {
    "odi": "Oswestry Disability Index",
    "rmdq": "Roland-Morris score",
    "psfs": "Patient-Specific Functional Scale",
    "start_back": "STarT Back score",
    "pain_nrs": "pain score",
}
# The order measures are listed in: disability first, then function, risk, pain.
MEASURE_ORDER: Final = ("odi", "rmdq", "psfs", "start_back", "pain_nrs")


@dataclass(frozen=True)
class MeasureChange:
    """One measure of one patient: its first and latest scored response, and the change.

    ``change`` is latest minus first on the measure's own scale; ``meaningful`` says whether
    the change reaches the measure's MCID (``threshold`` points for this first score), in
    the better or the worse direction; it is ``""`` when it does not or the measure has no
    MCID. ``rule_id`` names the MCID rule (``""`` when none).
    """

    measure: str
    first_date: date
    first_score: float
    latest_date: date
    latest_score: float
    latest_band: str
    responses: int
    change: float
    threshold: float | None
    meaningful: Meaningful
    rule_id: str
    rows: tuple[tuple[str, int], ...] = ()


def _row(row: pd.Series) -> tuple[str, int]:
    return str(row["source_file"]), int(row["source_row"])


def mcid_threshold(
    measure: str, first_score: float, settings: RuleSettings, *, worse: bool = False
) -> float | None:
    """Return the points of change from ``first_score`` that matter for ``measure``.

    Improvement on the ODI and RMDQ: their MCID points, or their MCID percent of the first
    score when that is fewer points (either is meaningful, as for pain). Worsening (``worse``)
    is judged in points only: 30 % of a low first score is a point or two, too small to call
    a patient worse. PSFS: its points either way; the 0-10 pain score: the pain MCID.
    ``None`` for a measure without one (STarT Back is read by its band).

    >>> from rehab.settings import RuleSettings
    >>> mcid_threshold("odi", 20.0, RuleSettings())
    6.0
    >>> mcid_threshold("odi", 20.0, RuleSettings(), worse=True)
    10.0
    """
    if measure in ("odi", "rmdq"):
        points, percent = (
            (settings.odi_mcid_points, settings.odi_mcid_percent)
            if measure == "odi"
            else (settings.rmdq_mcid_points, settings.rmdq_mcid_percent)
        )
        return points if worse else min(points, first_score * percent / 100)
    if measure == "psfs":
        return float(settings.psfs_mcid_points)
    if measure == "pain_nrs":
        points = float(settings.mcid_points)
        return points if worse else min(points, first_score * settings.mcid_fraction)
    return None


MCID_RULES: Final = {"odi": "odi_mcid", "rmdq": "rmdq_mcid", "psfs": "psfs_mcid", "pain_nrs": "mcid"}


def _judge(
    measure: str, first: float, change: float, settings: RuleSettings
) -> tuple[float | None, Meaningful]:
    """Return the threshold for this change's direction, and the verdict (the measures' own)."""
    improved = change < 0 if _lower_is_better(measure) else change > 0
    threshold = mcid_threshold(measure, first, settings, worse=not improved)
    verdict = meaningful_change(measure, first, first + change, settings)
    return threshold, "better" if verdict == "better" else "worse" if verdict == "worse" else ""


def _lower_is_better(measure: str) -> bool:
    spec = MEASURES.get(measure)
    return spec is None or spec.better == "lower"


def steady_band(change: MeasureChange, settings: RuleSettings) -> tuple[float, float] | None:
    """Return the scores around the first inside which a change is smaller than the MCID.

    ``None`` for a measure without an MCID. The band may be lopsided: on the ODI, an
    improvement of 30 % of the first score already matters, a worsening only in points.

    >>> from datetime import date
    >>> from rehab.settings import RuleSettings
    >>> first = date(2026, 9, 1)
    >>> odi = MeasureChange("odi", first, 20.0, first, 20.0, "", 1, 0.0, None, "", "odi_mcid")
    >>> steady_band(odi, RuleSettings())
    (14.0, 30.0)
    """
    if change.measure not in MCID_RULES:
        return None
    lower_better = _lower_is_better(change.measure)
    down = mcid_threshold(change.measure, change.first_score, settings, worse=not lower_better)
    up = mcid_threshold(change.measure, change.first_score, settings, worse=lower_better)
    if down is None or up is None:
        return None
    return change.first_score - down, change.first_score + up


def patient_measures(measures: pd.DataFrame | None, as_of: date | None) -> dict[str, pd.DataFrame]:
    """Cut the measures log per patient: rows dated on or before ``as_of``, sorted by date.

    ``as_of`` ``None`` keeps every dated row.

    Rows of one day keep the order of their file (``source_file``, ``source_row``).
    """
    if measures is None or not len(measures):
        return {}
    dated = measures[measures["date"].notna()]
    if as_of is not None:
        dated = dated[dated["date"] <= pd.Timestamp(as_of)]
    ordered = dated.sort_values(["patient_id", "date", "source_file", "source_row"], kind="stable")
    return {
        str(patient_id): rows.reset_index(drop=True)
        for patient_id, rows in ordered.groupby("patient_id", sort=True, observed=True)
    }


def measure_changes(rows: pd.DataFrame, settings: RuleSettings) -> list[MeasureChange]:
    """Each measure of one patient's rows: first and latest scored response, the change.

    Unscored responses (``score`` NaN) are left out; a measure with none is not listed.
    Measures come in :data:`MEASURE_ORDER`, unknown ones after them by name.
    """
    scored = rows[rows["score"].notna()]
    found = []
    for measure, group in scored.groupby("measure", sort=False, observed=True):
        measure = str(measure)
        first, latest = group.iloc[0], group.iloc[-1]
        change = float(latest["score"]) - float(first["score"])
        threshold, meaningful = _judge(measure, float(first["score"]), change, settings)
        found.append(
            MeasureChange(
                measure=measure,
                first_date=first["date"].date(),
                first_score=float(first["score"]),
                latest_date=latest["date"].date(),
                latest_score=float(latest["score"]),
                latest_band=str(latest["band"]) if pd.notna(latest["band"]) else "",
                responses=len(group),
                change=change,
                threshold=threshold,
                meaningful=meaningful,
                rule_id=MCID_RULES.get(measure, ""),
                rows=tuple(_row(r) for r in (first, latest)),
            )
        )
    rank = {measure: index for index, measure in enumerate(MEASURE_ORDER)}
    return sorted(found, key=lambda c: (rank.get(c.measure, len(rank)), c.measure))


def score_text(measure: str, value: float) -> str:
    """Write a score on its scale: ``34%`` for the ODI, ``7.5`` or ``12`` otherwise."""
    text = f"{round(value, 1):g}"
    return f"{text}%" if measure == "odi" else text


def points_text(measure: str, value: float) -> str:
    """Write a number of points on a measure's scale: ``1 point``, ``12 points``."""
    text = f"{round(abs(value), 1):g}"
    unit = "percentage point" if measure == "odi" else "point"
    return f"{text} {unit}" if text == "1" else f"{text} {unit}s"


def start_back_flag(changes: list[MeasureChange]) -> Flag | None:
    """``start_back_high_risk``: the latest STarT Back result is high risk."""
    found = next((c for c in changes if c.measure == "start_back"), None)
    if found is None or found.latest_band != "high":
        return None
    return Flag(
        code="start_back_high_risk",
        tier="moderate",
        message=(
            f"The STarT Back questionnaire of {short_date(found.latest_date)} scored "
            f"{score_text('start_back', found.latest_score)} of 9, in its high-risk group: worry "
            "and how the pain feels may be slowing recovery. That is common, and it is not a "
            "diagnosis. Your therapist may want to talk these worries through with you and plan "
            "the pace together."
        ),
        dates=[found.latest_date],
        rows=list(found.rows[-1:]),
    )


def disability_flag(changes: list[MeasureChange]) -> Flag | None:
    """``disability_worse``: the latest ODI or RMDQ is worse than the first by its MCID.

    One flag names every disability scale that got meaningfully worse.
    """
    worse = [c for c in changes if c.measure in DISABILITY_MEASURES and c.meaningful == "worse"]
    if not worse:
        return None
    parts = [
        f"the {MEASURE_NAMES[c.measure]} went from {score_text(c.measure, c.first_score)} on "
        f"{short_date(c.first_date)} to {score_text(c.measure, c.latest_score)} on "
        f"{short_date(c.latest_date)}, {points_text(c.measure, c.change)} worse (the change "
        f"that matters is {points_text(c.measure, c.threshold or 0)})"
        for c in worse
    ]
    sentence = "; ".join(parts)
    return Flag(
        code="disability_worse",
        tier="high",
        message=(
            f"{sentence[0].upper()}{sentence[1:]}. Everyday activities seem harder than at the "
            "start: a check-in with your therapist can look at what changed and adjust the plan."
        ),
        dates=sorted({day for c in worse for day in (c.first_date, c.latest_date)}),
        rows=sorted({row for c in worse for row in c.rows}),
    )


def measure_flags(changes: list[MeasureChange]) -> list[Flag]:
    """Both questionnaire flags a patient's measure changes raise (none, one or two)."""
    return [flag for flag in (disability_flag(changes), start_back_flag(changes)) if flag is not None]


def patients_measures(
    measures: pd.DataFrame | None, settings: RuleSettings, as_of: date | None = None
) -> dict[str, tuple[pd.DataFrame, list[MeasureChange]]]:
    """Each patient's questionnaire rows (up to ``as_of``; all when ``None``) and changes.

    For an upload of questionnaires alone, where there is no log to analyse.
    """
    return {
        patient_id: (rows, measure_changes(rows, settings))
        for patient_id, rows in patient_measures(measures, as_of).items()
    }
