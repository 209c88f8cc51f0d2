"""Plain words for questionnaire scores: what the app panel and the PDF say about each measure.

Kept apart from the pages (a page never computes) and from :mod:`rehab.present` (one module,
one job): "Better by 12 points since 2 Sep, more than the 10-point change that matters".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from rehab.analysis.measure_flags import points_text, score_text, steady_band
from rehab.analysis.text import short_date
from rehab.measures import MEASURES
from rehab.settings import DEFAULT_SETTINGS, RuleSettings, rule

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rehab.analysis.measure_flags import MeasureChange

BAND_WORDS: Final = {"low": "low risk", "medium": "medium risk", "high": "high risk"}
MEANINGFUL_WORDS: Final = {"better": "yes, better", "worse": "yes, worse", "": "no"}


@dataclass(frozen=True)
class MeasureView:
    """One measure of one patient, in words, with the rules behind it.

    ``rule_ids`` are the rules (see :func:`rehab.settings.rules`) its change and band follow;
    ``licence`` is the statement to show with its result (Keele's for STarT Back).
    """

    measure: str
    title: str
    short: str
    latest: str
    latest_date: str
    first: str
    first_date: str
    band: str
    change: str
    change_short: str
    meaningful: str
    verdict: str
    rule_ids: tuple[str, ...]
    licence: str
    better: str
    delta: str | None = None


def _scale(measure: str) -> str:
    spec = MEASURES.get(measure)
    if spec is None or measure == "odi":  # a percentage says its scale
        return ""
    return f"of {spec.score_max:g}"


def change_sentence(change: MeasureChange) -> str:
    """Say how a measure changed since the first response, and whether that matters.

    >>> from datetime import date
    >>> from rehab.analysis.measure_flags import MeasureChange
    >>> first, later = date(2026, 9, 1), date(2026, 9, 29)
    >>> odi = MeasureChange("odi", first, 44.0, later, 32.0, "", 3, -12.0, 10.0, "better", "odi_mcid")
    >>> change_sentence(odi)
    'Better by 12 percentage points since 1 Sep, more than the 10-point change that matters.'
    """
    since = short_date(change.first_date)
    if change.responses < 2:
        return "One response so far: the change shows from the second."
    if change.change == 0:
        return f"The same as on {since}."
    spec = MEASURES.get(change.measure)
    lower_better = spec is None or spec.better == "lower"
    improved = (change.change < 0) == lower_better
    way = "Better" if improved else "Worse"
    if change.measure == "start_back":
        way = "Lower" if change.change < 0 else "Higher"
    text = f"{way} by {points_text(change.measure, change.change)} since {since}"
    if change.threshold is None:
        return f"{text}."
    matters = f"{round(change.threshold, 1):g}-point change that matters"
    if change.meaningful:
        return f"{text}, more than the {matters}."
    return f"{text}, less than the {matters}."


def _change_short(change: MeasureChange) -> str:
    if change.responses < 2:
        return "-"
    sign = "+" if change.change > 0 else "−" if change.change < 0 else ""
    return f"{sign}{round(abs(change.change), 1):g}"


def _delta(change: MeasureChange) -> str | None:
    """Write the change for a metric box, ASCII sign first (Streamlit reads it for the arrow)."""
    if change.responses < 2:
        return None
    return f"{round(change.change, 1):+g} since {short_date(change.first_date)}"


def measure_view(change: MeasureChange, settings: RuleSettings = DEFAULT_SETTINGS) -> MeasureView:
    """Return one measure's latest score, band, change and verdict in words."""
    spec = MEASURES.get(change.measure)
    rule_ids = tuple(r for r in (change.rule_id, spec.band_rule if spec else "") if r)
    band = BAND_WORDS.get(change.latest_band, change.latest_band)
    verdict = MEANINGFUL_WORDS[change.meaningful]
    if change.responses < 2 or change.threshold is None:
        verdict = "-"
    return MeasureView(
        measure=change.measure,
        title=spec.title if spec else change.measure,
        short=spec.short if spec else change.measure,
        latest=f"{score_text(change.measure, change.latest_score)} {_scale(change.measure)}".strip(),
        latest_date=short_date(change.latest_date),
        first=score_text(change.measure, change.first_score),
        first_date=short_date(change.first_date),
        band=band,
        change=change_sentence(change),
        change_short=_change_short(change),
        meaningful=verdict,
        verdict=change.meaningful,
        rule_ids=rule_ids,
        licence=spec.licence if spec else "",
        better=spec.better if spec else "lower",
        delta=_delta(change),
    )


def measure_views(
    changes: Sequence[MeasureChange], settings: RuleSettings = DEFAULT_SETTINGS
) -> list[MeasureView]:
    """Return every measure of a patient in words, in the analysis' order."""
    return [measure_view(change, settings) for change in changes]


def rules_of(views: Sequence[MeasureView]) -> list[str]:
    """Return the rule ids the views follow, once each, in order of appearance."""
    return list(dict.fromkeys(rule_id for view in views for rule_id in view.rule_ids))


def licences(views: Sequence[MeasureView]) -> list[str]:
    """Return the statements to show with these results (Keele's under STarT Back), once each.

    Only statements a measure's owner asks to be kept with its result: STarT Back's.
    """
    return list(dict.fromkeys(v.licence for v in views if v.measure == "start_back" and v.licence))


def chart_bands(
    changes: Sequence[MeasureChange], settings: RuleSettings = DEFAULT_SETTINGS
) -> dict[str, tuple[float, float] | None]:
    """Each measure's no-meaningful-change band around its first score, for the chart."""
    return {change.measure: steady_band(change, settings) for change in changes}


def rule_line(rule_id: str, settings: RuleSettings = DEFAULT_SETTINGS) -> str:
    """Return a rule as one line: "Title: text (Source: ...)"."""
    described = rule(rule_id, settings)
    return f"{described.title}: {described.text} (Source: {described.source})"
