"""Scorers against the measures' published scoring rules and worked examples.

Sources (cited per table below):
- Oswestry: Fairbank & Pynsent, Spine 2000;25(22):2940-2953, and the scoring sheet that goes
  with the questionnaire: "16 (total scored) / 50 (total possible score) x 100 = 32%"; "if one
  section is missed ... 16 / 45 x 100 = 35.5%" (the sheet truncates 35.56). Two statements
  marked in one section: the higher is scored (Fairbank & Pynsent's scoring notes).
- Keele STarT Back: Hill et al., Arthritis Rheum 2008; Keele's "Using & scoring" page: total
  0-9 by adding all positive items; distress subscale = the last 5 items (bothersomeness
  positive for "very much" or "extremely"); total 0-3 low; subscale 4-5 high; else medium.
- Roland-Morris: Roland & Fairbank, Spine 2000: the score is the number of statements ticked,
  0-24. Proportional recalculation of unanswered items: Kent & Lauridsen ("17 of 20 answered").
- PSFS: Stratford et al., Physiotherapy Canada 1995: "Total score = sum of the activity scores /
  number of activities".
"""

import json
import math

import pytest

from rehab.measures import MEASURES, AnswerProblem, score_response, score_total
from rehab.settings import RuleSettings

NAN = float("nan")

# (answers, score, complete): Fairbank & Pynsent's worked example and its one-missed variant.
ODI_CASES = [
    ([3, 2, 2, 1, 2, 2, 1, 1, 1, 1], 32.0, True),  # 16 of 50
    ([3, 2, 2, 1, 2, 2, 1, None, 2, 1], 16 / 45 * 100, False),  # 16 of 45: 35.5 on the sheet
    ([0] * 10, 0.0, True),
    ([5] * 10, 100.0, True),
    (["5", "5", "", "", "", "", "", "", "", ""], 100.0, False),  # scored over what is answered
]


@pytest.mark.parametrize(("answers", "expected", "complete"), ODI_CASES)
def test_oswestry_is_total_over_five_times_answered_sections(answers, expected, complete):
    scored = score_response("odi", answers, version="2.1a")
    assert scored.score == pytest.approx(expected)
    assert scored.complete is complete
    assert scored.version == "2.1a"
    assert scored.band == ""


def test_oswestry_one_missed_section_matches_the_published_35_5_percent():
    scored = score_response("odi", [3, 2, 2, 1, 2, 2, 1, None, 2, 1])
    assert math.floor(scored.score * 10) / 10 == 35.5
    assert "scored over 9 sections" in scored.notes[-1]


@pytest.mark.parametrize("marks", [(2, 3), "2;3", "3 and 2", "2/3", "2 & 3"])
def test_oswestry_two_statements_in_one_section_score_the_higher(marks):
    scored = score_response("odi", [marks, 2, 2, 1, 2, 2, 1, 1, 1, 1])
    assert scored.answers[0] == 3.0
    assert scored.score == pytest.approx(16 / 50 * 100)  # with the lower mark: 30 %
    assert any("higher (3)" in note for note in scored.notes)


# (items 1-8 agree?, item 9 word, total, subscale, band): Keele's bands on hand-built forms.
START_BACK_CASES = [
    ([0] * 8, "Not at all", 0, 0, "low"),
    ([1, 1, 1, 0, 0, 0, 0, 0], "Moderately", 3, 0, "low"),  # total 3: low whatever the subscale
    ([0, 0, 0, 0, 1, 1, 1, 0], "Slightly", 3, 3, "low"),
    ([1, 1, 1, 1, 0, 0, 0, 0], "Not at all", 4, 0, "medium"),
    ([1, 1, 1, 1, 1, 1, 1, 0], "Moderately", 7, 3, "medium"),  # subscale 3: still medium
    ([0, 0, 0, 0, 1, 1, 1, 0], "Very much", 4, 4, "high"),
    ([1] * 8, "Extremely", 9, 5, "high"),
]


@pytest.mark.parametrize(("items", "bother", "total", "subscale", "band"), START_BACK_CASES)
def test_start_back_total_subscale_and_risk_group(items, bother, total, subscale, band):
    words = ["agree" if item else "disagree" for item in items]
    scored = score_response("start_back", [*words, bother])
    assert (scored.score, scored.subscale, scored.band) == (total, subscale, band)
    assert scored.complete


@pytest.mark.parametrize(
    ("word", "value"),
    [("Not at all", 0), ("slightly", 0), ("MODERATELY", 0), ("Very much", 1), ("extremely", 1), (1, 1)],
)
def test_start_back_bothersomeness_scores_only_the_top_two_words(word, value):
    scored = score_response("start_back", [0] * 8 + [word])
    assert scored.answers[8] == value


def test_start_back_keeps_keele_copyright_with_its_spec():
    licence = MEASURES["start_back"].licence
    assert licence.startswith("The copyright (©2007) of the STarT Back Screening Tool")
    assert "Keele University" in licence
    assert "No license is required for non-commercial use" in licence


def test_start_back_bands_follow_the_settings():
    scored = score_response(
        "start_back",
        [0, 0, 0, 1, 1, 1, 0, 0, "Very much"],
        settings=RuleSettings(start_back_high_subscale=3),
    )
    assert (scored.score, scored.subscale, scored.band) == (4, 3, "high")


def test_roland_morris_counts_yes_answers():
    scored = score_response("rmdq", ["yes"] * 12 + ["no"] * 12)
    assert (scored.score, scored.complete) == (12.0, True)
    assert score_response("rmdq", [1] * 24).score == 24.0


def test_incomplete_roland_morris_is_not_scored_unless_proportional():
    answers = ["yes"] * 17 + ["no"] * 3 + [None] * 4  # 20 answered
    plain = score_response("rmdq", answers)
    assert math.isnan(plain.score)
    assert not plain.complete
    # Kent & Lauridsen's example: 17 of 20 answered, scaled (here to 24 items).
    scaled = score_response(
        "rmdq", answers, proportional=True, settings=RuleSettings(rmdq_min_answered=20)
    )
    assert scaled.score == pytest.approx(17 / 20 * 24)
    assert not scaled.complete
    # The default minimum (21 answered) refuses 20.
    assert math.isnan(score_response("rmdq", answers, proportional=True).score)
    assert not math.isnan(
        score_response(
            "rmdq", answers, settings=RuleSettings(rmdq_proportional=True, rmdq_min_answered=20)
        ).score
    )


@pytest.mark.parametrize(
    ("ratings", "score", "complete"),
    [
        ([4, 5, 6], 5.0, True),  # Stratford: sum / number of activities
        ([2, 3, 7, 8, 10], 6.0, True),
        ([3, None, 6, None, 9], 6.0, True),
        ([7], 7.0, False),  # scored, but the scale asks for 3 to 5 activities
    ],
)
def test_psfs_is_the_mean_of_the_rated_activities(ratings, score, complete):
    scored = score_response("psfs", ratings)
    assert (scored.score, scored.complete) == (score, complete)


def test_pain_nrs_is_the_rating():
    assert score_response("pain_nrs", [6.5]).score == 6.5


@pytest.mark.parametrize("measure", list(MEASURES))
def test_all_items_missing_is_not_scored(measure):
    scored = score_response(measure, [None] * MEASURES[measure].items)
    assert math.isnan(scored.score)
    assert not scored.complete
    assert scored.band == ""
    assert json.loads(scored.answers_json) == [None] * MEASURES[measure].items


@pytest.mark.parametrize(
    ("measure", "answers", "scored_anyway"),
    [
        ("odi", [1] * 9 + [None], True),
        ("start_back", [1] * 8 + [None], False),
        ("rmdq", [1] * 23 + [None], False),
    ],
)
def test_one_item_missing(measure, answers, scored_anyway):
    scored = score_response(measure, answers)
    assert not scored.complete
    assert scored.scored is scored_anyway


@pytest.mark.parametrize(
    ("measure", "answer", "code"),
    [
        ("odi", 6, "out_of_range"),
        ("odi", -1, "out_of_range"),
        ("odi", 2.5, "invalid_answer"),
        ("rmdq", 2, "out_of_range"),
        ("rmdq", "maybe", "invalid_answer"),
        ("start_back", "sometimes", "invalid_answer"),
        ("psfs", 11, "out_of_range"),
        ("pain_nrs", "10.5", "out_of_range"),
    ],
)
def test_out_of_range_and_unknown_answers_are_refused(measure, answer, code):
    with pytest.raises(AnswerProblem) as problem:
        score_response(measure, [answer])
    assert problem.value.code == code
    assert "item_1" in problem.value.message


def test_two_answers_are_refused_where_the_form_allows_one():
    with pytest.raises(AnswerProblem) as problem:
        score_response("rmdq", [(0, 1)])
    assert problem.value.code == "several_answers"


def test_unknown_measure_and_too_many_answers_are_refused():
    with pytest.raises(ValueError, match="unknown measure"):
        score_response("sf36", [1])
    with pytest.raises(AnswerProblem, match="9 items"):
        score_response("start_back", [1] * 10)


def test_answers_json_keeps_numbers_and_missing_items():
    scored = score_response("odi", [3, None, "2"])
    assert scored.answers_json == "[3, null, 2, null, null, null, null, null, null, null]"


def test_totals_are_checked_against_the_range_and_banded():
    assert score_total("odi", 42.0).score == 42.0
    assert score_total("start_back", 6, subscale=4).band == "high"
    assert score_total("start_back", 2).band == "low"
    assert score_total("start_back", 6).band == ""  # medium or high: the subscale decides
    with pytest.raises(AnswerProblem):
        score_total("rmdq", 25)
    with pytest.raises(AnswerProblem):
        score_total("start_back", 3, subscale=4)  # the subscale is part of the total
