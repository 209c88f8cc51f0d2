"""Free-text notes the synthetic patients write.

The everyday notes must never look like a red-flag symptom to the note matcher (no legs,
numbness, weakness, night pain, toilet, fever, weight ...), so only the red-flag story raises
that flag; a test runs them through :func:`rehab.analysis.mentions_red_flag`.
"""

from __future__ import annotations

from typing import Final

PAIN_NOTES: Final = (
    "stiff when getting up",
    "better after a walk",
    "long drive today",
    "sat at my desk all day",
    "good day",
    "did some gardening",
    "busy day at work",
    "took paracetamol",
    "a bit sore after shopping",
    "feeling looser",
    "hot shower helped",
    "stiff in the morning, easier by lunch",
)
SESSION_NOTES: Final = (
    "felt stiff at first",
    "easier than yesterday",
    "did it after a walk",
    "a bit rushed",
    "gentle stretch felt good",
    "hard to relax",
    "on the living room rug",
    "followed the physio's video",
    'counted "one, two" out loud',
)
FLARE_NOTE: Final = "flare-up after lifting boxes"
RED_FLAG_PAIN_NOTE: Final = "numbness in both legs since yesterday"
RED_FLAG_SESSION_NOTE: Final = "stopped early: trouble passing urine this morning"


def hurting_note(exercise_name: str) -> str:
    """Return what a patient writes after an exercise that made the back worse."""
    return f"{exercise_name} made my back worse, stopped halfway"
