"""The measure a cell names, and the rows of a measures log that carry only a total.

Rows with item answers are scored a column at a time (:mod:`rehab.measures.table`); a row
with only a ``score`` (and, for STarT Back, a ``subscale``) is judged here, once per
distinct row. An unusable row gets errors (it is not imported).
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from typing import Final

from rehab.measures.answers import AnswerProblem
from rehab.measures.scoring import ScoredResponse, score_total
from rehab.measures.specs import MEASURES
from rehab.schema import normalise_header
from rehab.settings import DEFAULT_SETTINGS, RuleSettings

__all__ = ["RowCells", "RowResult", "judge_row", "resolve_measure"]

Problem = tuple[str, str, str]  # (code, column, message)


def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for spec in MEASURES.values():
        for alias in (spec.id, spec.short, spec.title, *spec.aliases):
            names.setdefault(normalise_header(alias), spec.id)
    return names


_NAMES: Final = _names()
_KNOWN: Final = ", ".join(list(MEASURES)[:-1]) + " and " + list(MEASURES)[-1]


def _shown(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


def resolve_measure(text: str) -> tuple[str | None, Problem | None]:
    """Return the measure id a cell names, or the problem (with a "did you mean" when close)."""
    cleaned = text.strip()
    if not cleaned:
        return None, ("missing_value", "measure", "measure is empty; every row needs a measure")
    key = normalise_header(cleaned)
    if key in _NAMES:
        return _NAMES[key], None
    close = difflib.get_close_matches(key, list(_NAMES), n=1, cutoff=0.75)
    hint = ""
    if close:
        spec = MEASURES[_NAMES[close[0]]]
        hint = f" (did you mean {spec.id}, the {spec.title}?)"
    message = f"measure is '{_shown(cleaned)}', which rehab does not score{hint}; it scores {_KNOWN}"
    return None, ("unknown_measure", "measure", message)


@dataclass(frozen=True)
class RowCells:
    """One row's cells as text ("" when empty or absent)."""

    measure: str
    version: str = ""
    score: str = ""
    subscale: str = ""


@dataclass
class RowResult:
    """A row's scored response (None: not imported), its errors and its warnings."""

    response: ScoredResponse | None = None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def _number(text: str, column: str) -> tuple[float, Problem | None]:
    cleaned = text.strip().replace(",", ".")
    if not cleaned:
        return math.nan, None
    try:
        value = float(cleaned)
    except ValueError:
        return math.nan, (
            "invalid_number",
            column,
            f"{column} is '{_shown(text.strip())}', not a number",
        )
    if math.isnan(value) or math.isinf(value):
        return math.nan, ("invalid_number", column, f"{column} is not a number")
    return value, None


def _from_total(measure: str, cells: RowCells, settings: RuleSettings, result: RowResult) -> None:
    total, problem = _number(cells.score, "score")
    subscale, sub_problem = _number(cells.subscale, "subscale")
    for issue in (problem, sub_problem):
        if issue is not None:
            result.errors.append(issue)
    if result.errors:
        return
    if math.isnan(total):
        result.errors.append(
            ("no_answers", "measure", "no item answers and no score: there is nothing to score")
        )
        return
    try:
        result.response = score_total(
            measure, total, subscale=subscale, version=cells.version.strip(), settings=settings
        )
    except AnswerProblem as problem_found:
        column = "subscale" if problem_found.message.startswith("subscale") else "score"
        result.errors.append((problem_found.code, column, problem_found.message))


def judge_row(cells: RowCells, settings: RuleSettings = DEFAULT_SETTINGS) -> RowResult:
    """Take a row without item answers: its ``score`` is the form's total (:func:`score_total`).

    Errors: an unknown or missing measure, no score (nothing to score), a score or
    subscale that is not a number or out of range.
    """
    result = RowResult()
    measure, problem = resolve_measure(cells.measure)
    if measure is None:
        if problem is not None:
            result.errors.append(problem)
        return result
    _from_total(measure, cells, settings, result)
    return result
