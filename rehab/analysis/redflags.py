"""Red-flag symptoms in free-text notes: words that mean "seek care now, not exercise".

The list follows NHS guidance on back pain and BMJ Best Practice on cauda equina syndrome.
It errs on the side of matching: a false alarm costs a phone call, a miss can cost far more.
Negations ("no fever") therefore still match. Patterns avoid look-arounds and back-references
so that pyarrow's RE2 engine can run them over a whole column at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_APOSTROPHE = "['\u2019]?"
_CANNOT = rf"(?:can{_APOSTROPHE}t|cannot|could\s*n{_APOSTROPHE}t|could not|unable to|not able to)"
_NUMB = (
    r"(?:numb\w*|tingl\w*|pins and needles|no feeling|lost feeling|loss of feeling|"
    r"altered (?:sensation|feeling)|weak\w*|give way|giving way|gave way|buckl\w*|"
    rf"{_CANNOT}\s+feel|dead)"
)
_BOTH_LEGS = r"(?:both (?:of (?:my|the) )?(?:legs?|feet|foot|thighs)|two legs|legs and feet|each leg)"
_SADDLE_AREA = (
    r"(?:saddle|genital\w*|groin|privates?|private parts|vagina\w*|penis|scrotum|testicle\w*|"
    r"anus|anal|perine\w*|bum|bottom|buttock\w*|butt|backside|inner thighs?|"
    r"between (?:my|the) legs|down below)"
)
_HURTS = r"(?:pain\w*|hurt\w*|ache\w*|aching|sore|throb\w*|worse|agony)"
_URINATE = r"(?:pee\w*|wee\w*|urin\w*|pass(?:ing)? (?:urine|water)|void\w*|the toilet|to the loo)"

# Each entry names the symptom it guards; the patterns are matched case-blind.
RED_FLAG_PATTERNS: Final[dict[str, str]] = {
    "numbness or weakness in both legs": (
        rf"{_NUMB}.{{0,40}}{_BOTH_LEGS}|{_BOTH_LEGS}.{{0,40}}{_NUMB}|"
        rf"\b(?:numb|weak|heavy|wobbly|dead)\w* legs|legs (?:are |feel |went |have gone )?"
        rf"(?:numb|weak|heavy|dead|wobbly)|bilateral\w*|\bboth legs\b"
    ),
    "numbness around the genitals or buttocks": (
        rf"{_NUMB}.{{0,40}}\b{_SADDLE_AREA}\b|\b{_SADDLE_AREA}\b.{{0,40}}{_NUMB}|saddle"
    ),
    "trouble passing urine": (
        rf"(?:{_CANNOT}|trouble|difficult\w*|difficulty|problems?|hard to|struggl\w*|hesitan\w*|"
        rf"ha(?:ve|s)n{_APOSTROPHE}t|have not|did\s*n{_APOSTROPHE}t|did not)\b.{{0,25}}{_URINATE}|"
        r"retention|retain\w* (?:urine|water)|no urge to|urinary|\burine\b"
    ),
    "loss of bladder or bowel control": (
        r"bladder|bowel\w*|incontinen\w*|continence|"
        r"wet (?:my ?self|myself|the bed|my (?:pants|trousers|knickers))|"
        r"(?:peed|pee'd|wee'd|weed|pooed|pooped|soiled) (?:my ?self|my (?:pants|trousers|knickers))|"
        r"soiled|leak\w* (?:urine|pee|wee)|had an? accident|can\W?t hold (?:it|my)"
    ),
    "other signs of cauda equina syndrome": r"cauda equina|erecti\w*|impoten\w*|\bsex\w*",
    "fever": (
        r"fever\w*|feverish|febrile|pyrexi\w*|\btemperature|\btemp\b|high temp\w*|"
        r"chills|shiver\w*|(?:night |cold )?sweats"
    ),
    "unexplained weight loss": (
        r"weight ?loss|los(?:t|ing|e) (?:some |a lot of |so much )?weight|"
        r"weight (?:has |is )?(?:dropped|dropping|gone down|going down)|"
        r"los(?:t|ing) \d+(?:[.,]\d+)? ?(?:kg|kilos?|lbs?|pounds?|stone)"
    ),
    "pain worse at night": (
        rf"night ?pain|{_HURTS}.{{0,30}}(?:night|overnight|in bed)|night\w*.{{0,30}}{_HURTS}|"
        r"wak(?:es|ing|e) me|woke me|woken (?:up )?by|"
        r"(?:keeps|kept|keeping) me (?:up|awake)|"
        rf"{_CANNOT} sleep|could\s*n{_APOSTROPHE}t sleep|no sleep|sleepless"
    ),
}

_ARROW_TEXT: Final = pd.StringDtype("pyarrow")
RED_FLAG_REGEX: Final = "|".join(f"(?:{pattern})" for pattern in RED_FLAG_PATTERNS.values())
_COMPILED: Final = re.compile(RED_FLAG_REGEX, re.IGNORECASE)
_BY_SYMPTOM: Final = {
    symptom: re.compile(pattern, re.IGNORECASE) for symptom, pattern in RED_FLAG_PATTERNS.items()
}


def mentions_red_flag(notes: pd.Series) -> pd.Series:
    """Tell whether each note mentions a red-flag symptom (missing notes: False).

    Vectorised: one pass of pyarrow's RE2 engine over the distinct notes (logs repeat the
    same few notes, so this is far shorter than the column), mapped back to every row.
    """
    codes, distinct = pd.factorize(notes.astype(_ARROW_TEXT), use_na_sentinel=True)
    if not len(distinct):
        return pd.Series(False, index=notes.index, dtype=bool)
    arrow = pa.array(pd.Series(distinct, dtype=_ARROW_TEXT))
    found = pc.match_substring_regex(arrow, pattern=RED_FLAG_REGEX, ignore_case=True)
    hits = np.append(found.fill_null(False).to_numpy(zero_copy_only=False), False)
    # A missing note has code -1, which picks the appended False.
    return pd.Series(hits[codes], index=notes.index, dtype=bool)


def matched_words(note: str) -> list[str]:
    """Return the red-flag words a note contains, as written (lower-cased), in order, without repeats."""
    words: dict[str, None] = {}
    for match in _COMPILED.finditer(note):
        words.setdefault(" ".join(match.group(0).lower().split()), None)
    return list(words)


def matched_symptoms(note: str) -> list[str]:
    """Return the names of the red-flag symptoms a note mentions, in the order of the list above."""
    return [symptom for symptom, pattern in _BY_SYMPTOM.items() if pattern.search(note)]


@dataclass(frozen=True)
class RedFlagRow:
    """One row that raised a red flag: where it is, and what it said (if it was a note)."""

    patient: int
    day: int
    source_file: str
    source_row: int | None
    marked: bool
    words: list[str]
    symptoms: list[str]


def red_flag_rows(frames: tuple[pd.DataFrame, ...]) -> list[RedFlagRow]:
    """Rows, from any of ``frames``, with the red-flag column set or a red-flag note.

    Each frame needs ``patient``, ``day``, ``notes``, ``red_flag``, ``source_file`` and
    ``source_row``. Only the (few) matching rows are examined one by one.
    """
    found: list[RedFlagRow] = []
    described: dict[str, tuple[list[str], list[str]]] = {}
    for frame in frames:
        marked = frame["red_flag"].fillna(False).astype(bool)
        noted = mentions_red_flag(frame["notes"])
        hit = (marked | noted).to_numpy()
        if not hit.any():
            continue
        rows = frame.loc[hit, ["patient", "day", "notes", "source_file", "source_row"]]
        for patient, day, note, source_file, source_row, is_marked in zip(
            rows["patient"].tolist(),
            rows["day"].tolist(),
            rows["notes"].fillna("").astype(str).tolist(),
            rows["source_file"].fillna("").astype(str).tolist(),
            rows["source_row"].astype("Int64").tolist(),
            marked.to_numpy()[hit].tolist(),
            strict=True,
        ):
            if note not in described:
                described[note] = (matched_words(note), matched_symptoms(note))
            words, symptoms = described[note]
            found.append(
                RedFlagRow(
                    patient=int(patient),
                    day=int(day),
                    source_file=source_file,
                    source_row=None if source_row is pd.NA else int(source_row),
                    marked=bool(is_marked),
                    words=words,
                    symptoms=symptoms,
                )
            )
    return found
