"""Scoring one completed questionnaire from its item answers, by each measure's published rules.

- PSFS (Stratford et al., Physiotherapy Canada 1995): the mean of the rated activities, 0-10.
- Keele STarT Back (Hill et al., Arthritis Rheum 2008; Keele's scoring guide): items 1-8
  agree = 1, item 9 "Very much"/"Extremely" = 1; total 0-9; distress subscale = items 5-9;
  total <= 3 low risk, else subscale <= 3 medium and >= 4 high.
- Roland-Morris (Roland & Morris, Spine 1983; Roland & Fairbank, Spine 2000): the number
  of yes answers, 0-24. Incomplete: not scored, or scaled to 24 when the clinic turns on
  proportional scoring (Kent & Lauridsen's proportional recalculation) with enough answers.
- Oswestry (Fairbank & Pynsent, Spine 2000): total / (5 x answered sections) x 100 %;
  a section with two statements marked scores the higher one.
- Pain NRS: the 0-10 rating itself.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rehab.measures.answers import Answer, AnswerProblem, read_answer
from rehab.measures.specs import MEASURES, MeasureSpec
from rehab.settings import DEFAULT_SETTINGS

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rehab.settings import RuleSettings

__all__ = ["ScoredResponse", "band_of_start_back", "score_response", "score_total"]

NAN = float("nan")


@dataclass(frozen=True)
class ScoredResponse:
    """One questionnaire, scored.

    ``score`` is NaN when the form could not be scored (``notes`` say why); ``answers``
    holds each item's score (None: not answered); ``band`` is "" unless the measure has
    bands (STarT Back: "low", "medium", "high").
    """

    measure: str
    version: str
    score: float
    band: str
    complete: bool
    subscale: float
    answers: tuple[float | None, ...]
    notes: tuple[str, ...] = ()

    @property
    def scored(self) -> bool:
        """True when the response has a score."""
        return not math.isnan(self.score)

    @property
    def answers_json(self) -> str:
        """The answers as the measures frame stores them: a JSON list, null for missing."""
        return json.dumps([None if a is None else _plain(a) for a in self.answers])


def _plain(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def band_of_start_back(total: float, subscale: float, settings: RuleSettings = DEFAULT_SETTINGS) -> str:
    """Return the STarT Back risk group ("" when it cannot be told from what is known).

    Total at or below ``start_back_low_total_max`` (3) is low; above it, a distress
    subscale at or above ``start_back_high_subscale`` (4) is high, else medium.
    """
    if math.isnan(total):
        return ""
    if total <= settings.start_back_low_total_max:
        return "low"
    if math.isnan(subscale):
        return ""
    return "high" if subscale >= settings.start_back_high_subscale else "medium"


def _single(
    spec: MeasureSpec, item: int, value: float | tuple[float, ...] | None
) -> tuple[float | None, str]:
    """One item's score; several marks are allowed only in an Oswestry section (the higher)."""
    if not isinstance(value, tuple):
        return value, ""
    if spec.id != "odi":
        raise AnswerProblem("several_answers", f"item_{item} has {len(value)} answers; give one")
    higher = max(value)
    note = (
        f"item_{item} has {len(value)} statements marked; the higher ({higher:g}) was scored, "
        "as the Oswestry scoring rules say"
    )
    return higher, note


def _read(spec: MeasureSpec, answers: Sequence[Answer]) -> tuple[list[float | None], list[str]]:
    if len(answers) > spec.items:
        raise AnswerProblem(
            "too_many_items", f"{spec.short} has {spec.items} items; {len(answers)} answers were given"
        )
    values: list[float | None] = []
    notes: list[str] = []
    for item, raw in enumerate(answers, start=1):
        value, note = _single(spec, item, read_answer(spec.id, item, raw))
        values.append(value)
        if note:
            notes.append(note)
    values += [None] * (spec.items - len(values))
    return values, notes


def _missing_note(spec: MeasureSpec, missing: int) -> str:
    return f"{missing} of {spec.items} items not answered"


def _score(spec: MeasureSpec, given: list[float], missing: int, job: _Job) -> tuple[float, str]:
    """Score and a note about an incomplete form (scores and their rules: module docstring)."""
    if not given:
        return NAN, "no item answered: not scored"
    if spec.id in ("psfs", "pain_nrs"):
        return sum(given) / len(given), ""
    if spec.id == "odi":
        note = f"{_missing_note(spec, missing)}: scored over {len(given)} sections" if missing else ""
        return sum(given) / (5 * len(given)) * 100, note
    if missing == 0:
        return sum(given), ""
    if spec.id == "rmdq" and job.proportional and len(given) >= job.settings.rmdq_min_answered:
        return sum(given) / len(given) * spec.items, f"{_missing_note(spec, missing)}: scaled to 24"
    if spec.id == "rmdq":
        return NAN, f"{_missing_note(spec, missing)}: not scored (the form is incomplete)"
    return NAN, f"{_missing_note(spec, missing)}: not scored"


@dataclass(frozen=True)
class _Job:
    proportional: bool
    settings: RuleSettings


def score_response(
    measure: str,
    answers: Sequence[Answer],
    *,
    version: str = "",
    proportional: bool = False,
    settings: RuleSettings | None = None,
) -> ScoredResponse:
    """Score one completed questionnaire.

    Parameters
    ----------
    measure
        A key of :data:`rehab.measures.MEASURES` ("psfs", "start_back", "rmdq", "odi",
        "pain_nrs").
    answers
        The item answers in order: numbers, the form's words ("agree", "yes", "Very much"),
        None or "" for an unanswered item, or several numbers for an Oswestry section with
        two statements marked. Fewer answers than items: the rest are unanswered.
    version
        The form's version as the clinic records it (Oswestry "2.1a"); kept as given.
    proportional
        Score an incomplete Roland-Morris form by scaling its answered items to 24 (also
        on when ``settings.rmdq_proportional`` is).
    settings
        Thresholds: STarT Back bands, the fewest RMDQ answers for proportional scoring.

    Returns
    -------
    ScoredResponse
        Score (NaN: not scored), band, completeness, subscale and the item scores.

    Raises
    ------
    ValueError
        For an unknown measure; :class:`~rehab.measures.answers.AnswerProblem` (a
        ValueError) for an answer out of range, an unknown word, two answers where one is
        allowed, or more answers than items.
    """
    spec = MEASURES.get(measure)
    if spec is None:
        raise ValueError(f"unknown measure {measure!r}; known: {', '.join(MEASURES)}")
    chosen = settings or DEFAULT_SETTINGS
    job = _Job(proportional or chosen.rmdq_proportional, chosen)
    values, notes = _read(spec, answers)
    given = [v for v in values if v is not None]
    missing = spec.items - len(given)
    score, note = _score(spec, given, missing, job)
    subscale = NAN
    band = ""
    if spec.id == "start_back" and not math.isnan(score):
        subscale = float(sum(v for v in values[4:9] if v is not None))
        band = band_of_start_back(score, subscale, chosen)
    complete = len(given) >= spec.min_items if spec.id == "psfs" else missing == 0
    return ScoredResponse(
        measure=measure,
        version=version,
        score=float(score),
        band=band,
        complete=complete,
        subscale=subscale,
        answers=tuple(values),
        notes=(*notes, note) if note else tuple(notes),
    )


def score_total(
    measure: str,
    score: float,
    *,
    subscale: float = NAN,
    version: str = "",
    settings: RuleSettings | None = None,
) -> ScoredResponse:
    """Take a total a clinic recorded without the item answers (a ``score`` column).

    The total is checked against the measure's range; a STarT Back total gets its band
    when the distress subscale is given too (or the total alone makes it low risk).

    Raises
    ------
    ValueError
        For an unknown measure; :class:`AnswerProblem` for a total or subscale out of range.
    """
    spec = MEASURES.get(measure)
    if spec is None:
        raise ValueError(f"unknown measure {measure!r}; known: {', '.join(MEASURES)}")
    if math.isnan(score) or not spec.score_min <= score <= spec.score_max:
        raise AnswerProblem(
            "out_of_range",
            f"score is {score:g}; {spec.short} scores are {spec.score_min:g} to {spec.score_max:g}",
        )
    band = ""
    if spec.id == "start_back":
        if not math.isnan(subscale) and not 0 <= subscale <= min(5, score):
            raise AnswerProblem(
                "out_of_range",
                f"subscale is {subscale:g}; the STarT Back distress subscale is 0 to 5 and at "
                "most the total",
            )
        band = band_of_start_back(score, subscale, settings or DEFAULT_SETTINGS)
    else:
        subscale = NAN
    return ScoredResponse(measure, version, float(score), band, True, subscale, ())
