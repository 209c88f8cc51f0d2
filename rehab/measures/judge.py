"""Judging every row of a measures log: which measure, its score, or why it is refused.

Rows with item answers are scored a measure at a time (:mod:`rehab.measures.table`); rows
with only a total, far fewer, each distinct one through :func:`rehab.measures.rows.judge_row`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from rehab.measures.rows import RowCells, judge_row, resolve_measure
from rehab.measures.table import Problems, given_total, score_items
from rehab.settings import DEFAULT_SETTINGS

if TYPE_CHECKING:
    from rehab.importer.coded import CodedColumn
    from rehab.measures.columns import MeasureColumns
    from rehab.settings import RuleSettings

__all__ = ["Judged", "judge_rows"]

IntArray = npt.NDArray[np.int64]


@dataclass
class Judged:
    """Per row judged (the rows in play, in order): the response's fields and the problems."""

    measure: npt.NDArray[np.object_]
    version: npt.NDArray[np.object_]
    score: npt.NDArray[np.float64]
    band: npt.NDArray[np.object_]
    complete: npt.NDArray[np.bool_]
    subscale: npt.NDArray[np.float64]
    answers: npt.NDArray[np.object_]
    problems: Problems

    @classmethod
    def empty(cls, size: int) -> Judged:
        """Rows not judged yet: nothing scored."""
        return cls(
            measure=np.full(size, None, dtype=object),
            version=np.full(size, "", dtype=object),
            score=np.full(size, np.nan),
            band=np.full(size, "", dtype=object),
            complete=np.zeros(size, dtype=bool),
            subscale=np.full(size, np.nan),
            answers=np.full(size, "[]", dtype=object),
            problems=Problems(),
        )


def _texts(column: CodedColumn | None, positions: IntArray) -> tuple[list[str], npt.NDArray[np.int32]]:
    if column is None:
        return [""], np.zeros(len(positions), dtype=np.int32)
    values: list[Any] = column.uniques.to_pylist()
    return ["" if v is None else str(v) for v in values], column.at(positions)


def _measures(column: CodedColumn | None, positions: IntArray, judged: Judged) -> None:
    texts, codes = _texts(column, positions)
    for index in np.unique(codes).tolist():
        where = np.flatnonzero(codes == index)
        measure, problem = resolve_measure(texts[index])
        judged.measure[where] = measure
        if problem is not None:
            judged.problems.add("errors", *problem, where)


def _has_items(items: dict[int, CodedColumn], positions: IntArray) -> npt.NDArray[np.bool_]:
    has = np.zeros(len(positions), dtype=bool)
    for column in items.values():
        has |= ~column.blank_uniques()[column.at(positions)]
    return has


def _mismatch(judged: Judged, rows: IntArray, given: npt.NDArray[np.float64]) -> None:
    scored = judged.score[rows]
    off = ~np.isnan(scored) & ~np.isnan(given) & (np.abs(given - scored) > 0.05)
    for position in np.flatnonzero(off).tolist():
        message = (
            f"score is {given[position]:g}, but the answers give {scored[position]:.4g}; the "
            "score from the answers was kept"
        )
        judged.problems.add("warnings", "score_mismatch", "score", message, rows[[position]])


def _items(
    coded: dict[str, CodedColumn],
    items: dict[int, CodedColumn],
    positions: IntArray,
    judged: Judged,
    settings: RuleSettings,
) -> None:
    """Score the rows with item answers, one measure at a time."""
    with_items = _has_items(items, positions)
    score_texts, score_codes = _texts(coded.get("score"), positions)
    totals = given_total(score_texts)
    for measure in sorted({m for m in judged.measure[with_items].tolist() if m is not None}):
        rows = np.flatnonzero(with_items & (judged.measure == measure))
        result = score_items(measure, items, positions[rows], rows, settings, judged.problems)
        judged.score[rows] = result.score
        judged.complete[rows] = result.complete
        judged.subscale[rows] = result.subscale
        judged.band[rows] = result.band
        judged.answers[rows] = result.answers
        _mismatch(judged, rows, totals[score_codes[rows]])


def _totals_only(
    coded: dict[str, CodedColumn],
    items: dict[int, CodedColumn],
    positions: IntArray,
    judged: Judged,
    settings: RuleSettings,
) -> None:
    """Judge the rows without item answers (a total, or nothing), each distinct one once."""
    rows = np.flatnonzero(~_has_items(items, positions) & (judged.measure != None))  # noqa: E711
    parts = [_texts(coded.get(name), positions[rows]) for name in ("measure", "score", "subscale")]
    if not len(rows):
        return
    keys = np.stack([codes for _, codes in parts], axis=1)
    distinct, inverse = np.unique(keys, axis=0, return_inverse=True)
    for index, key in enumerate(distinct.tolist()):
        texts = [parts[i][0][code] for i, code in enumerate(key)]
        result = judge_row(RowCells(measure=texts[0], score=texts[1], subscale=texts[2]), settings)
        where = rows[inverse.reshape(-1) == index]
        for code, column, message in result.errors:
            judged.problems.add("errors", code, column, message, where)
        if result.response is not None:
            judged.score[where] = result.response.score
            judged.band[where] = result.response.band
            judged.complete[where] = result.response.complete
            judged.subscale[where] = result.response.subscale


def judge_rows(
    coded: list[CodedColumn],
    columns: MeasureColumns,
    positions: IntArray,
    settings: RuleSettings = DEFAULT_SETTINGS,
) -> Judged:
    """Judge the rows at ``positions``: measure, score, band, answers, and the problems.

    Problems name rows by their index among ``positions``.
    """
    named = {name: coded[p] for name, p in columns.positions.items() if not name.startswith("item_")}
    items = {n: coded[p] for n, p in columns.items.items()}
    judged = Judged.empty(len(positions))
    _measures(named.get("measure"), positions, judged)
    versions, version_codes = _texts(named.get("version"), positions)
    judged.version = np.asarray([v.strip() for v in versions], dtype=object)[version_codes]
    _items(named, items, positions, judged, settings)
    _totals_only(named, items, positions, judged, settings)
    return judged
