"""The words every page and every export carries: what the numbers are, and what they are not."""

from __future__ import annotations

from typing import Final

from rehab.settings import SOURCE_RED_FLAGS

DISCLAIMER: Final = (
    "Self-reported data, not a diagnosis. rehab turns the logs you or your patients keep into "
    "decision support; check with your healthcare provider before starting or changing "
    "exercises. Stop any exercise that increases your pain. Seek urgent care for red-flag "
    "symptoms."
)

DISCLAIMER_SHORT: Final = (
    "Self-reported data, not a diagnosis: check with your healthcare provider. Stop any "
    "exercise that increases pain; seek urgent care for red-flag symptoms."
)

# What to look out for, in plain words, with where to go. Sources: SOURCE_RED_FLAGS.
RED_FLAG_SYMPTOMS: Final = (
    ("Numbness or weakness in both legs", "emergency"),
    ("Numbness around the genitals or buttocks", "emergency"),
    ("Trouble passing urine, or loss of bladder or bowel control", "emergency"),
    ("Fever with back pain", "urgent"),
    ("Unexplained weight loss", "urgent"),
    ("Back pain that is worse at night", "urgent"),
)

URGENCY_ADVICE: Final = {
    "emergency": "call 999 or go to A&E now (in the UK; your local emergency number elsewhere)",
    "urgent": "see a GP urgently or call 111",
}

RED_FLAG_SOURCE: Final = SOURCE_RED_FLAGS


def red_flag_lines() -> list[str]:
    """Return one plain line per red-flag symptom with what to do about it."""
    return [f"{symptom}: {URGENCY_ADVICE[level]}" for symptom, level in RED_FLAG_SYMPTOMS]


# The disclaimer in two lines, for the foot of an exported chart.
DISCLAIMER_LINES: Final = (
    "Self-reported data, not a diagnosis: check with your healthcare provider.",
    "Stop any exercise that increases pain; seek urgent care for red-flag symptoms.",
)
