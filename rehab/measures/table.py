"""Scoring a measures log's rows a column at a time (numpy), not a row at a time.

The rules are :mod:`rehab.measures.scoring`'s; this module applies them to many rows at
once: each distinct cell text is read once (:func:`read_answer`), the answers become a
matrix per measure, and totals, subscales, bands and completeness are array sums. A
property test checks every row against :func:`score_response`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from rehab.measures.answers import AnswerProblem, read_answer
from rehab.measures.specs import MEASURES, MeasureSpec

if TYPE_CHECKING:
    from rehab.importer.coded import CodedColumn
    from rehab.settings import RuleSettings

__all__ = ["ItemScores", "Problems", "score_items"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
_MARKED: Final = "as the Oswestry scoring rules say"


@dataclass
class Problems:
    """Issues about rows (positions into the rows scored), grouped by code, column and text."""

    errors: dict[tuple[str, str, str], list[IntArray]] = field(default_factory=dict)
    warnings: dict[tuple[str, str, str], list[IntArray]] = field(default_factory=dict)

    def add(self, kind: str, code: str, column: str, message: str, where: IntArray) -> None:
        """Record ``message`` for the rows ``where`` (``kind``: "errors" or "warnings")."""
        if len(where):
            getattr(self, kind).setdefault((code, column, message), []).append(where)


@dataclass
class ItemScores:
    """Per row of one measure: score, completeness, subscale, band and the answers' JSON."""

    score: FloatArray
    complete: BoolArray
    subscale: FloatArray
    band: npt.NDArray[np.object_]
    answers: list[str]


@dataclass(frozen=True)
class _Cells:
    """One item column's distinct texts read for one measure."""

    value: FloatArray  # NaN: not answered (or unreadable)
    token: list[str]  # the answer as the JSON list writes it
    error: list[AnswerProblem | None]
    marks: list[str]  # a several-marks note ("" when one mark)


def _read_column(spec: MeasureSpec, item: int, texts: list[str]) -> _Cells:
    values = np.full(len(texts), np.nan)
    tokens = ["null"] * len(texts)
    errors: list[AnswerProblem | None] = [None] * len(texts)
    marks = [""] * len(texts)
    for index, text in enumerate(texts):
        try:
            value = read_answer(spec.id, item, text)
        except AnswerProblem as problem:
            errors[index] = problem
            continue
        if isinstance(value, tuple):
            if spec.id != "odi":
                errors[index] = AnswerProblem(
                    "several_answers", f"item_{item} has several answers; give one"
                )
                continue
            marks[index] = (
                f"item_{item} has {len(value)} statements marked; the higher ({max(value):g}) was "
                f"scored, {_MARKED}"
            )
            value = max(value)
        if value is not None:
            values[index] = value
            tokens[index] = str(int(value)) if float(value).is_integer() else repr(float(value))
    return _Cells(values, tokens, errors, marks)


def _item_errors(
    cells: _Cells, codes: npt.NDArray[np.int32], rows: IntArray, item: int, problems: Problems
) -> None:
    for index in np.unique(codes).tolist():
        problem = cells.error[index]
        if problem is not None:
            problems.add("errors", problem.code, f"item_{item}", problem.message, rows[codes == index])
        elif cells.marks[index]:
            problems.add(
                "warnings", "several_marks", f"item_{item}", cells.marks[index], rows[codes == index]
            )


def _bands(total: FloatArray, subscale: FloatArray, settings: RuleSettings) -> npt.NDArray[np.object_]:
    band = np.full(len(total), "", dtype=object)
    scored = ~np.isnan(total)
    band[scored & (total > settings.start_back_low_total_max)] = "medium"
    band[
        scored
        & (total > settings.start_back_low_total_max)
        & (subscale >= settings.start_back_high_subscale)
    ] = "high"
    band[scored & (total <= settings.start_back_low_total_max)] = "low"
    return band


def _totals(
    spec: MeasureSpec, values: FloatArray, settings: RuleSettings
) -> tuple[FloatArray, BoolArray]:
    answered = (~np.isnan(values)).sum(axis=1)
    total = np.nansum(values, axis=1)
    some = answered > 0
    score = np.full(len(values), np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        if spec.id in ("psfs", "pain_nrs"):
            score[some] = total[some] / answered[some]
        elif spec.id == "odi":
            score[some] = total[some] / (5 * answered[some]) * 100
        else:
            whole = answered == spec.items
            score[whole] = total[whole]
            if spec.id == "rmdq" and settings.rmdq_proportional:
                scaled = ~whole & (answered >= settings.rmdq_min_answered)
                score[scaled] = total[scaled] / answered[scaled] * spec.items
    complete = answered >= spec.min_items if spec.id == "psfs" else answered == spec.items
    return score, np.asarray(complete, dtype=bool)


def _incomplete(spec: MeasureSpec, answered: int, scored: bool, settings: RuleSettings) -> str:
    if spec.id == "psfs":
        outcome = f"scored as the mean of the {answered} rated; the scale asks for 3 to 5"
    elif spec.id == "odi" and scored:
        outcome = f"scored over the {answered} answered sections"
    elif scored:
        outcome = f"scaled to {spec.items}"
    elif spec.id == "rmdq" and settings.rmdq_proportional:
        outcome = "not scored: too few answers to scale to 24"
    elif spec.id == "rmdq":
        outcome = "not scored (proportional scoring is off)"
    else:
        outcome = "not scored"
    unit = "activities rated" if spec.id == "psfs" else "items answered"
    return f"{spec.short} form with {answered} of {spec.items} {unit}: {outcome}"


def _warn_incomplete(
    spec: MeasureSpec,
    values: FloatArray,
    result: ItemScores,
    rows: IntArray,
    settings: RuleSettings,
    problems: Problems,
) -> None:
    answered = (~np.isnan(values)).sum(axis=1)
    short = ~result.complete
    keys = answered * 2 + ~np.isnan(result.score)
    for key in np.unique(keys[short]).tolist():
        where = short & (keys == key)
        message = _incomplete(spec, key // 2, bool(key % 2), settings)
        problems.add("warnings", "incomplete_form", "measure", message, rows[where])


def score_items(
    measure: str,
    columns: dict[int, CodedColumn],
    positions: IntArray,
    rows: IntArray,
    settings: RuleSettings,
    problems: Problems,
) -> ItemScores:
    """Score the rows at ``positions`` (all of ``measure``) from their item columns.

    ``columns`` maps item numbers to coded columns; ``rows`` are the rows' positions among
    the rows scored, the keys :class:`Problems` records. Answers past the measure's last
    item, unreadable answers and several answers where one is allowed are errors;
    several marks in an Oswestry section and incomplete forms are warnings.
    """
    spec = MEASURES[measure]
    values = np.full((len(positions), spec.items), np.nan)
    tokens: list[Any] = [pa.repeat(pa.scalar("null"), len(positions))] * spec.items
    for item, column in sorted(columns.items()):
        codes = column.at(positions)
        texts = ["" if t is None else str(t) for t in column.uniques.to_pylist()]
        if item > spec.items:
            blank = np.array([not t.strip() for t in texts], dtype=bool)
            message = (
                f"item_{item} has an answer, but {spec.short} has {spec.items} "
                f"item{'s' if spec.items > 1 else ''} (another questionnaire's row?)"
            )
            problems.add("errors", "extra_item", f"item_{item}", message, rows[~blank[codes]])
            continue
        cells = _read_column(spec, item, texts)
        _item_errors(cells, codes, rows, item, problems)
        values[:, item - 1] = cells.value[codes]
        tokens[item - 1] = pa.array(cells.token, pa.string()).take(pa.array(codes))
    score, complete = _totals(spec, values, settings)
    subscale = np.full(len(positions), np.nan)
    band = np.full(len(positions), "", dtype=object)
    if spec.id == "start_back":
        subscale = np.where(np.isnan(score), np.nan, np.nansum(values[:, 4:9], axis=1))
        band = _bands(score, subscale, settings)
    joined = pc.binary_join_element_wise(*tokens, ",") if spec.items > 1 else tokens[0]
    answers = [f"[{text}]" for text in joined.to_pylist()]
    result = ItemScores(score, complete, subscale, band, answers)
    _warn_incomplete(spec, values, result, rows, settings, problems)
    return result


def given_total(texts: list[str]) -> FloatArray:
    """Read a ``score`` column's distinct texts as numbers (NaN: empty or not a number)."""
    out = np.full(len(texts), np.nan)
    for index, text in enumerate(texts):
        try:
            value = float(text.strip().replace(",", "."))
        except ValueError:
            continue
        if not math.isinf(value):
            out[index] = value
    return out
