"""Outcome questionnaires: the measures log, its scorers and their minimal important changes.

Public API (TEAM.md, "Measures"): :data:`MEASURES`, :func:`score_response`,
:func:`change_from_first` and :func:`empty_measures`.
"""

from rehab.measures.answers import AnswerProblem
from rehab.measures.change import change_from_first
from rehab.measures.rescore import rescore
from rehab.measures.schema import MEASURE_DTYPES, coerce_measures, empty_measures
from rehab.measures.scoring import ScoredResponse, score_response, score_total
from rehab.measures.specs import KEELE_COPYRIGHT, MEASURES, MeasureSpec

__all__ = [
    "KEELE_COPYRIGHT",
    "MEASURES",
    "MEASURE_DTYPES",
    "AnswerProblem",
    "MeasureSpec",
    "ScoredResponse",
    "change_from_first",
    "coerce_measures",
    "empty_measures",
    "rescore",
    "score_response",
    "score_total",
]
