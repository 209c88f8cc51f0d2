from __future__ import annotations

import re

import pandas as pd
import pytest

from rehab.analysis import RED_FLAG_PATTERNS, analyse, matched_words, mentions_red_flag
from tests.analysis.analysis_frames import day, pain_frame, sessions_frame

MUST_MATCH = [
    "numbness in both legs",
    "Both legs feel numb this morning",
    "weakness in both of my legs",
    "my legs are weak and wobbly",
    "pins and needles in both feet",
    "numb bum since yesterday",
    "numbness around my genitals",
    "saddle area feels strange",
    "can't feel my bottom when I wipe",
    "trouble passing urine",
    "I can’t pee properly",
    "couldnt wee all day",
    "difficulty urinating",
    "urinary retention?",
    "lost control of my bladder",
    "wet myself on the way home",
    "bowel accident",
    "incontinence",
    "had a fever last night",
    "high temperature",
    "feverish and shivering",
    "unexplained weight loss",
    "I've lost weight without trying",
    "lost 5 kg this month",
    "pain worse at night",
    "night pain again",
    "pain woke me up at 3am",
    "can't sleep because of the back",
]

ORDINARY = [
    "felt good today",
    "stiff in the morning, easier after the walk",
    "did the exercises before lunch",
    "",
]


@pytest.mark.parametrize("note", MUST_MATCH)
def test_red_flag_notes_are_found(note):
    assert mentions_red_flag(pd.Series([note], dtype="string")).tolist() == [True]
    assert matched_words(note)


@pytest.mark.parametrize("note", ORDINARY)
def test_ordinary_notes_are_not_red_flags(note):
    assert mentions_red_flag(pd.Series([note], dtype="string")).tolist() == [False]


def test_missing_notes_are_not_red_flags():
    notes = pd.Series([pd.NA, "fever", None], dtype="string")
    assert mentions_red_flag(notes).tolist() == [False, True, False]


def test_matched_words_are_listed_in_order_without_repeats():
    assert matched_words("Fever again, and FEVER, plus numb bum") == ["fever", "numb bum"]


def test_a_red_flag_note_raises_a_critical_flag_with_its_words_and_row():
    pain = pain_frame(
        [
            {"date": day(0), "pain": 4},
            {"date": day(1), "pain": 5, "notes": "numbness in both legs since lunch"},
        ]
    )
    summary = analyse(sessions_frame([]), pain, as_of=day(1)).patients["P1"].summary
    assert summary.alert == "critical"
    flag = summary.flags[0]
    assert flag.code == "red_flag_symptom"
    assert flag.tier == "critical"
    assert flag.dates == [day(1)]
    assert flag.rows == [("pain.csv", 3)]
    assert "numbness in both legs" in flag.matched_words
    assert "both legs" in flag.message
    assert "2 Sep" in flag.message


def test_the_red_flag_column_raises_the_flag_without_notes():
    sessions = sessions_frame([{"date": day(0), "exercise": "core", "red_flag": True}])
    summary = analyse(sessions, pain_frame([]), as_of=day(0)).patients["P1"].summary
    assert [f.code for f in summary.flags if f.tier == "critical"] == ["red_flag_symptom"]
    assert summary.flags[0].matched_words == []
    assert summary.flags[0].rows == [("sessions.csv", 2)]


def test_red_flags_after_the_as_of_date_are_ignored():
    pain = pain_frame([{"date": day(0), "pain": 4}, {"date": day(2), "pain": 4, "notes": "fever"}])
    summary = analyse(sessions_frame([]), pain, as_of=day(1)).patients["P1"].summary
    assert "red_flag_symptom" not in [f.code for f in summary.flags]


@pytest.mark.parametrize("note", MUST_MATCH)
def test_red_flag_matching_is_case_blind(note):
    for variant in (note.upper(), note.title(), note.swapcase()):
        assert mentions_red_flag(pd.Series([variant], dtype="string")).tolist() == [True], variant
        assert matched_words(variant) == matched_words(note)


# For each pattern, a note that it alone catches: if that pattern were dropped or broken, the
# note would no longer raise the flag at all.
ONLY_THIS_PATTERN = {
    "numbness or weakness in both legs": "sciatica down both legs",
    "numbness around the genitals or buttocks": "numb bum since yesterday",
    "trouble passing urine": "struggling to pass urine",
    "loss of bladder or bowel control": "lost control of my bladder",
    "other signs of cauda equina syndrome": "suspected cauda equina",
    "fever": "had a fever last night",
    "unexplained weight loss": "lost 5 kg this month",
    "pain worse at night": "pain woke me up at 3am",
}


def test_every_red_flag_pattern_has_a_note_only_it_catches():
    assert set(ONLY_THIS_PATTERN) == set(RED_FLAG_PATTERNS)


@pytest.mark.parametrize(("symptom", "note"), ONLY_THIS_PATTERN.items())
def test_a_note_caught_by_one_pattern_alone_is_flagged(symptom, note):
    catching = [
        name for name, pattern in RED_FLAG_PATTERNS.items() if re.search(pattern, note, re.IGNORECASE)
    ]
    assert catching == [symptom]
    assert mentions_red_flag(pd.Series([note], dtype="string")).tolist() == [True]
    flags = (
        analyse(
            sessions_frame([{"date": day(0), "exercise": "core", "notes": note.upper()}]),
            pain_frame([]),
            as_of=day(0),
        )
        .patients["P1"]
        .flags
    )
    assert [flag.code for flag in flags if flag.tier == "critical"] == ["red_flag_symptom"]
    assert symptom in flags[0].message
