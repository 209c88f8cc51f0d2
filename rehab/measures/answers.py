"""Reading one questionnaire answer: a number, or the form's own words.

Answers arrive as numbers (``1``, ``0``, ``3``) or as the words printed on the form
(``agree``/``disagree`` on STarT Back items 1-8, the Likert words of its item 9,
``yes``/``no`` on Roland-Morris). Each is turned into the item's score.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Final

from rehab.measures.specs import MEASURES, MeasureSpec
from rehab.schema import FALSE_WORDS, TRUE_WORDS

__all__ = ["Answer", "AnswerProblem", "read_answer"]

# A cell or a value handed to the scorer: a number, the form's words, empty (None or ""),
# or several numbers when one Oswestry section had two statements marked.
Answer = float | int | str | None | Sequence[float | int]

AGREE: Final = frozenset({"agree", "agreed", *TRUE_WORDS})
DISAGREE: Final = frozenset({"disagree", "disagreed", *FALSE_WORDS})
# STarT Back item 9, "Overall, how bothersome has your back pain been in the last 2 weeks?":
# the top two of five answers score 1 (Hill et al. 2008; Keele scoring guide).
BOTHER_WORDS: Final[dict[str, float]] = {
    "not at all": 0.0,
    "slightly": 0.0,
    "moderately": 0.0,
    "very much": 1.0,
    "extremely": 1.0,
}
_NUMBER: Final = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
_SEVERAL: Final = re.compile(r"\s*(?:;|/|&|\+|,|\band\b|\bor\b)\s*")
_SPACES: Final = re.compile(r"[\s_\-]+")


class AnswerProblem(ValueError):
    """An answer that cannot be scored: ``code`` for the report, ``message`` in plain words."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _words(spec: MeasureSpec, item: int) -> dict[str, float]:
    if spec.id == "start_back" and item == 9:
        return BOTHER_WORDS
    if spec.id == "start_back":
        return {**dict.fromkeys(AGREE, 1.0), **dict.fromkeys(DISAGREE, 0.0)}
    if spec.id == "rmdq":
        return {**dict.fromkeys(TRUE_WORDS, 1.0), **dict.fromkeys(FALSE_WORDS, 0.0), "ticked": 1.0}
    return {}


def _expected(spec: MeasureSpec, item: int) -> str:
    if spec.id == "start_back" and item == 9:
        return "one of Not at all, Slightly, Moderately, Very much, Extremely (or 0/1 as scored)"
    if spec.id == "start_back":
        return "agree or disagree (or 1/0)"
    if spec.id == "rmdq":
        return "yes or no (or 1/0)"
    return f"a number from {spec.item_min:g} to {spec.item_max:g}"


def _number(spec: MeasureSpec, item: int, value: float) -> float:
    label = f"item_{item}"
    if math.isnan(value) or math.isinf(value):
        raise AnswerProblem(
            "invalid_answer", f"{label} is not a number; expected {_expected(spec, item)}"
        )
    if not spec.item_min <= value <= spec.item_max:
        raise AnswerProblem(
            "out_of_range",
            f"{label} is {value:g}; {spec.short} answers are {spec.item_min:g} to {spec.item_max:g}",
        )
    whole = spec.id not in ("psfs", "pain_nrs")
    if whole and value != int(value):
        raise AnswerProblem(
            "invalid_answer", f"{label} is {value:g}; {spec.short} answers are whole numbers"
        )
    return float(value)


def _text(spec: MeasureSpec, item: int, text: str) -> float | tuple[float, ...] | None:
    cleaned = text.strip()
    if not cleaned:
        return None
    if spec.id == "odi" and _SEVERAL.search(cleaned) and not _NUMBER.match(cleaned):
        parts = [p for p in _SEVERAL.split(cleaned) if p]
        if len(parts) > 1 and all(_NUMBER.match(p) for p in parts):
            return tuple(_number(spec, item, float(p.replace(",", "."))) for p in parts)
    if _NUMBER.match(cleaned):
        return _number(spec, item, float(cleaned.replace(",", ".")))
    word = _SPACES.sub(" ", cleaned.lower())
    words = _words(spec, item)
    if word in words:
        return words[word]
    shown = cleaned if len(cleaned) <= 40 else cleaned[:39] + "…"
    raise AnswerProblem("invalid_answer", f"item_{item} is '{shown}'; expected {_expected(spec, item)}")


def read_answer(measure: str, item: int, value: Answer) -> float | tuple[float, ...] | None:
    """Return the score of one answer (None: not answered; a tuple: several marks).

    Parameters
    ----------
    measure
        A key of :data:`rehab.measures.MEASURES`.
    item
        The item's number, from 1.
    value
        A number, the form's words, empty, or several numbers (two Oswestry marks).

    Raises
    ------
    AnswerProblem
        ``out_of_range`` or ``invalid_answer``, with a message naming the item.
    """
    spec = MEASURES[measure]
    if value is None:
        return None
    if isinstance(value, str):
        return _text(spec, item, value)
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None
        return _number(spec, item, float(value))
    marks = tuple(_number(spec, item, float(v)) for v in value)
    return marks if len(marks) != 1 else marks[0]
