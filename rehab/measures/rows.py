"""One row of a measures log: which measure, its answers or total, and what was wrong.

Everything here works on one row's cells as text (the importer calls it once per distinct
row). An unusable row gets errors (it is not imported); a usable one its scored response
and any warnings (an incomplete form, two marks in an Oswestry section, a total that
disagrees with the answers).
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from typing import Final

from rehab.measures.answers import AnswerProblem, read_answer
from rehab.measures.scoring import ScoredResponse, score_response, score_total
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
    """One row's cells as text ("" when empty or absent); ``items`` by item number."""

    measure: str
    version: str = ""
    score: str = ""
    subscale: str = ""
    items: dict[int, str] = field(default_factory=dict)


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


def _answers(measure: str, cells: RowCells) -> tuple[list[str], list[Problem]]:
    """Return the item cells of ``measure`` in order, and errors for answers past its last."""
    count = MEASURES[measure].items
    extra = sorted(n for n, text in cells.items.items() if n > count and text.strip())
    errors = [
        (
            "extra_item",
            f"item_{n}",
            f"item_{n} has an answer, but {MEASURES[measure].short} has {count} "
            f"item{'s' if count > 1 else ''} (another questionnaire's row?)",
        )
        for n in extra
    ]
    return [cells.items.get(n, "") for n in range(1, count + 1)], errors


def _incomplete(response: ScoredResponse, proportional: bool) -> Problem:
    spec = MEASURES[response.measure]
    answered = sum(a is not None for a in response.answers)
    if spec.id == "psfs":
        outcome = f"scored as the mean of the {answered} rated; the scale asks for 3 to 5"
    elif spec.id == "odi" and response.scored:
        outcome = f"scored over the {answered} answered sections"
    elif response.scored:
        outcome = f"scaled to {spec.items}"
    elif spec.id == "rmdq" and proportional:
        outcome = "not scored: too few answers to scale to 24"
    elif spec.id == "rmdq":
        outcome = "not scored (proportional scoring is off)"
    else:
        outcome = "not scored"
    unit = "activities rated" if spec.id == "psfs" else "items answered"
    message = f"{spec.short} form with {answered} of {spec.items} {unit}: {outcome}"
    return ("incomplete_form", "measure", message)


def _check_items(measure: str, answers: list[str]) -> list[Problem]:
    """One error per answer that cannot be scored (each item is checked, not just the first)."""
    errors: list[Problem] = []
    for item, text in enumerate(answers, start=1):
        try:
            read_answer(measure, item, text)
        except AnswerProblem as problem:
            errors.append((problem.code, f"item_{item}", problem.message))
    return errors


def _from_items(measure: str, cells: RowCells, settings: RuleSettings, result: RowResult) -> None:
    answers, result.errors = _answers(measure, cells)
    result.errors += _check_items(measure, answers)
    if result.errors:
        return
    response = score_response(measure, answers, version=cells.version.strip(), settings=settings)
    result.response = response
    marked = [n for n in response.notes if "statements marked" in n]
    result.warnings += [("several_marks", n.split(" ", 1)[0], n) for n in marked]
    if not response.complete:
        result.warnings.append(_incomplete(response, settings.rmdq_proportional))
    given, problem = _number(cells.score, "score")
    mismatch = problem is None and response.scored and abs(given - response.score) > 0.05
    if mismatch:
        result.warnings.append(
            (
                "score_mismatch",
                "score",
                f"score is {given:g}, but the answers give {response.score:.4g}; the score "
                "from the answers was kept",
            )
        )


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
    """Score one row, or say why it cannot be imported.

    Rows with item answers are scored from them (:func:`score_response`); rows with only a
    ``score`` take it as the form's total (:func:`score_total`).
    """
    result = RowResult()
    measure, problem = resolve_measure(cells.measure)
    if measure is None:
        if problem is not None:
            result.errors.append(problem)
        return result
    if any(text.strip() for text in cells.items.values()):
        _from_items(measure, cells, settings, result)
    else:
        _from_total(measure, cells, settings, result)
    return result
