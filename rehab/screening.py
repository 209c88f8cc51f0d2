"""The therapist's triage table: one row per patient, most urgent first, readable in a line.

Builds on :meth:`rehab.analysis.CohortAnalysis.triage` (which orders the patients) and adds
what a screen needs: the tier as a word with a mark (never colour alone), the reason in a
short sentence, the numbers in the app's formats, data quality from the import, and filters.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from typing import TYPE_CHECKING, Final

import pandas as pd

from rehab.analysis.text import short_date
from rehab.present import PHASE_WORDS, TIER_WORDS, days_ago
from rehab.schema import SPECS, header_lookup, normalise_header

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rehab.analysis import CohortAnalysis
    from rehab.analysis.models import PausedExercise
    from rehab.importer import ImportBatch

FLAG_WORDS: Final = {
    "red_flag_symptom": "Red-flag symptom",
    "severe_pain": "Severe pain",
    "pain_flare": "Flare",
    "exercise_increases_pain": "Exercise raises pain",
    "exercise_paused": "Exercise paused",
    "relapse": "Relapse",
    "disability_worse": "Disability score worse",
    "dropped_out": "Stopped logging",
    "not_improving": "Not improving",
    "start_back_high_risk": "STarT Back high risk",
    "low_adherence": "Few exercises done",
    "stale_logs": "Logs getting old",
}
# A mark per tier so the tier reads without colour (plain characters every font has).
TIER_SYMBOLS: Final = {"critical": "!!!", "high": "!!", "moderate": "!", "none": "✓"}

# What a therapist reads first, left to right: how urgent, who, why, then the numbers.
# Chosen to fit a 1280 px laptop without sideways scrolling.
SCREEN_COLUMNS: Final = (
    "alert",
    "patient_id",
    "reason",
    "adherence_7d",
    "pain_current",
    "pain_change",
    "last_log",
)
# The secondary numbers, one switch away (same width budget).
DETAIL_COLUMNS: Final = (
    "alert",
    "patient_id",
    "phase",
    "flags",
    "pain_baseline",
    "pain_free_streak",
    "rejected_rows",
)
NO_FLAGS: Final = "No flags"
# A sentence ends at . ! or ? followed by a space and a capital (not inside "2.9").
_SENTENCE_END: Final = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def first_sentence(message: str) -> str:
    """Return the first sentence of a flag message: what happened, without the advice.

    >>> first_sentence("Pain flared on 18 Nov: 6, up from about 2.9. Ease off.")
    'Pain flared on 18 Nov: 6, up from about 2.9.'
    """
    return _SENTENCE_END.split(message.strip(), maxsplit=1)[0]


def paused_words(paused: Sequence[PausedExercise]) -> str:
    """Name the paused exercises and since when: "Hip Rolls paused since 18 Nov"."""
    return "; ".join(f"{item.name} paused since {short_date(item.since)}" for item in paused)


def reason_line(top_message: str, codes: Sequence[str], paused: str = "") -> str:
    """Return the reason in a line: the top flag's first sentence, then the other flags' names.

    ``paused`` (see :func:`paused_words`) names the paused exercises in place of the
    ``exercise_paused`` flag's name.

    >>> reason_line("No logs for 17 days. A check-in may help.", ["dropped_out", "low_adherence"])
    'No logs for 17 days. Also: few sessions.'
    """
    if not codes:
        return NO_FLAGS
    others = [
        paused if code == "exercise_paused" and paused else FLAG_WORDS.get(code, code).lower()
        for code in codes[1:]
    ]
    reason = first_sentence(top_message) or FLAG_WORDS.get(codes[0], codes[0])
    if not others:
        return reason
    ended = reason if reason.endswith((".", "!", "?")) else f"{reason}."
    return f"{ended} Also: {', '.join(others)}."


def _codes(joined: object) -> list[str]:
    return [code.strip() for code in str(joined).split(",") if code.strip()]


def rejected_rows_by_patient(batch: ImportBatch) -> dict[str, int]:
    """Count rejected rows per patient, for files that name their patients.

    A one-patient file counts all its rejected rows; otherwise the rejected rows' own
    patient column is read, found by the same header matching the importer uses.
    """
    counts: Counter[str] = Counter()
    for file in batch.files:
        patients = file.report.patients
        if len(patients) == 1:
            counts[patients[0]] += file.report.rejected
        elif file.report.kind in SPECS and len(file.rejected):
            lookup = header_lookup(SPECS[file.report.kind])
            column = next(
                (
                    c
                    for c in file.rejected.columns
                    if lookup.get(normalise_header(str(c))) == "patient_id"
                ),
                None,
            )
            if column is not None:
                counts.update(str(v) for v in file.rejected[column])
    return dict(counts)


def screening_frame(cohort: CohortAnalysis, batch: ImportBatch | None = None) -> pd.DataFrame:
    """Return the triage table as shown, most urgent first.

    Columns: :data:`SCREEN_COLUMNS` and :data:`DETAIL_COLUMNS` (adherence as a whole-number
    percentage, the last log in words), plus ``tier``, ``flag_codes``, ``phase_code`` and
    ``days_since_last_log`` for filters and sorting.
    """
    triage = cohort.triage()
    rejected = rejected_rows_by_patient(batch) if batch is not None else {}
    codes = [_codes(joined) for joined in triage["flag_codes"]]
    paused = [
        paused_words(cohort.patients[str(p)].summary.paused_exercises) for p in triage["patient_id"]
    ]
    frame = pd.DataFrame(
        {
            "alert": [f"{TIER_SYMBOLS[a]} {TIER_WORDS[a]}" for a in triage["alert"]],
            "patient_id": triage["patient_id"].astype(str),
            "reason": [
                reason_line(str(message), patient_codes, patient_paused)
                for message, patient_codes, patient_paused in zip(
                    triage["top_message"].fillna(""), codes, paused, strict=True
                )
            ],
            "adherence_7d": (triage["adherence_7d"] * 100).round(0).astype("Float64"),
            "pain_current": triage["pain_current"].astype("Float64"),
            "pain_change": triage["pain_change"].astype("Float64"),
            "last_log": [days_ago(int(d)) for d in triage["days_since_last_log"]],
            "phase": [PHASE_WORDS.get(str(p), str(p)) for p in triage["phase"]],
            "flags": [", ".join(FLAG_WORDS.get(c, c) for c in cs) or "-" for cs in codes],
            "pain_baseline": triage["pain_baseline"].astype("Float64"),
            "pain_free_streak": triage["pain_free_streak"].astype("Int64"),
            "rejected_rows": [rejected.get(str(p), 0) for p in triage["patient_id"]],
            "tier": triage["alert"].astype(str),
            "flag_codes": triage["flag_codes"].astype(str),
            "phase_code": triage["phase"].astype(str),
            "days_since_last_log": triage["days_since_last_log"].astype("Int64"),
        }
    )
    return frame.reset_index(drop=True)


def filter_screen(
    frame: pd.DataFrame,
    *,
    tiers: Sequence[str] = (),
    flags: Sequence[str] = (),
    phases: Sequence[str] = (),
    search: str = "",
) -> pd.DataFrame:
    """Keep the rows matching every filter given (an empty filter keeps everything)."""
    keep = pd.Series(True, index=frame.index)
    if tiers:
        keep &= frame["tier"].isin(list(tiers))
    if phases:
        keep &= frame["phase_code"].isin(list(phases))
    if flags:
        wanted = set(flags)
        keep &= frame["flag_codes"].map(lambda joined: bool(wanted & set(_codes(joined)))).astype(bool)
    if search.strip():
        keep &= frame["patient_id"].str.contains(search.strip(), case=False, regex=False)
    return frame.loc[keep]


def tier_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Count the patients per tier, in tier order (zeros included)."""
    counts = frame["tier"].value_counts()
    return {tier: int(counts.get(tier, 0)) for tier in TIER_WORDS}


PAGE_SIZE: Final = 40


def page_of(frame: pd.DataFrame, page: int, size: int = PAGE_SIZE) -> pd.DataFrame:
    """Return rows of page ``page`` (1-based, clamped to the pages there are)."""
    pages = max(1, -(-len(frame) // size))
    page = min(max(page, 1), pages)
    return frame.iloc[(page - 1) * size : page * size]


def page_count(rows: int, size: int = PAGE_SIZE) -> int:
    """How many pages of ``size`` rows ``rows`` rows fill (at least one)."""
    return max(1, -(-rows // size))


def wrapped_lines(texts: Sequence[str], width: int) -> int:
    """Return the most lines any of ``texts`` takes wrapped at ``width`` characters (at least 1).

    >>> wrapped_lines(["short", "a reason that needs two lines"], 16)
    2
    """
    return max((len(textwrap.wrap(text, width)) for text in texts), default=1) or 1
