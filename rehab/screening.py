"""The therapist's triage table: one row per patient, most urgent first, readable in a line.

Builds on :meth:`rehab.analysis.CohortAnalysis.triage` (which orders the patients) and adds
what a screen needs: the tier as a word with a symbol (never colour alone), the flags in
short words, data quality from the import, and filters.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Final

import pandas as pd

from rehab.present import PHASE_WORDS, TIER_WORDS
from rehab.schema import SPECS, header_lookup, normalise_header

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rehab.analysis import CohortAnalysis
    from rehab.importer import ImportBatch

FLAG_WORDS: Final = {
    "red_flag_symptom": "Red-flag symptom",
    "severe_pain": "Severe pain",
    "pain_flare": "Flare",
    "exercise_increases_pain": "Exercise raises pain",
    "relapse": "Relapse",
    "dropped_out": "Stopped logging",
    "not_improving": "Not improving",
    "low_adherence": "Few sessions",
    "stale_logs": "Logs getting old",
}
# A mark per tier so the tier reads without colour (plain characters every font has).
TIER_SYMBOLS: Final = {"critical": "!!!", "high": "!!", "moderate": "!", "none": "✓"}

# The order a therapist reads a row in: who, how urgent, which flags, the numbers, and
# last the most urgent flag in a sentence (the widest column).
SCREEN_COLUMNS: Final = (
    "patient_id",
    "alert",
    "flags",
    "phase",
    "adherence_7d",
    "pain_current",
    "pain_change",
    "pain_free_streak",
    "days_since_last_log",
    "rejected_rows",
    "summary",
)


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
        elif file.report.kind is not None and len(file.rejected):
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
    """Return the triage table as shown: tier word and mark, flags in short words, numbers."""
    triage = cohort.triage()
    rejected = rejected_rows_by_patient(batch) if batch is not None else {}
    frame = pd.DataFrame(
        {
            "patient_id": triage["patient_id"].astype(str),
            "alert": [f"{TIER_SYMBOLS[a]} {TIER_WORDS[a]}" for a in triage["alert"]],
            "flags": [
                ", ".join(
                    FLAG_WORDS.get(c.strip(), c.strip()) for c in str(codes).split(",") if c.strip()
                )
                or "-"
                for codes in triage["flag_codes"]
            ],
            "phase": [PHASE_WORDS.get(str(p), str(p)) for p in triage["phase"]],
            "adherence_7d": triage["adherence_7d"].astype("Float64"),
            "pain_current": triage["pain_current"].astype("Float64"),
            "pain_change": triage["pain_change"].astype("Float64"),
            "pain_free_streak": triage["pain_free_streak"].astype("Int64"),
            "days_since_last_log": triage["days_since_last_log"].astype("Int64"),
            "rejected_rows": [rejected.get(str(p), 0) for p in triage["patient_id"]],
            "summary": triage["top_message"].fillna("").astype(str),
            "tier": triage["alert"].astype(str),
            "flag_codes": triage["flag_codes"].astype(str),
            "phase_code": triage["phase"].astype(str),
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
        keep &= (
            frame["flag_codes"]
            .map(lambda codes: bool(wanted & {c.strip() for c in str(codes).split(",")}))
            .astype(bool)
        )
    if search.strip():
        keep &= frame["patient_id"].str.contains(search.strip(), case=False, regex=False)
    return frame.loc[keep]


def tier_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Count the patients per tier, in tier order (zeros included)."""
    counts = frame["tier"].value_counts()
    return {tier: int(counts.get(tier, 0)) for tier in TIER_WORDS}
