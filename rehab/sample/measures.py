"""The demo clinic's questionnaires: STarT Back at the first visit, the Oswestry every 2-4 weeks.

Each patient's Oswestry follows their pain course (about 7 % per pain point, with noise), so
the questionnaires tell the same story as the logs. One file for the cohort, as a clinic
keeps it: a ``patient_id`` column and the forms' own words for STarT Back.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd

from rehab.sample.stories import DEMO_END, demo_stories

if TYPE_CHECKING:
    from pathlib import Path

    from rehab.sample.plan import PatientPlan

__all__ = [
    "DEMO_MEASURES_FILE",
    "START_BACK_PROFILES",
    "demo_measures",
    "measures_readme",
    "write_measures",
]

DEMO_MEASURES_FILE: Final = "clinic_measures.csv"
ODI_VERSION: Final = "2.1a"
# Oswestry % per point of 0-10 pain: a rough tie that keeps the two in step in the demo.
ODI_PER_PAIN_POINT: Final = 7.0
# (physical items 1-4 agreed, psychological items 5-8 agreed, bothersomeness): the risk group
# each story starts in. PT-0108, the slow improver, screens high risk (distress 4 of 5).
START_BACK_PROFILES: Final[dict[str, tuple[int, int, str]]] = {
    "PT-0101": (2, 0, "Moderately"),
    "PT-0102": (3, 1, "Moderately"),
    "PT-0103": (3, 2, "Moderately"),
    "PT-0104": (2, 1, "Slightly"),
    "PT-0105": (1, 1, "Moderately"),
    "PT-0106": (4, 1, "Slightly"),
    "PT-0107": (3, 1, "Very much"),
    "PT-0108": (3, 3, "Very much"),
}
# PT-0102 left the Oswestry's sex-life section blank at the first visit ("if applicable"):
# the score is over the nine answered sections.
_SKIPPED_SECTION: Final = ("PT-0102", 8)
_ITEMS: Final = tuple(f"item_{n}" for n in range(1, 11))


def _pain_on(plan: PatientPlan, offset: int) -> float:
    """Return the plan's pain on day ``offset`` (counted back from the end)."""
    pain = plan.pain_end + (plan.pain_start - plan.pain_end) * math.exp(
        -(offset - plan.first) / plan.decay_days
    )
    if plan.pain_free_from is not None and offset >= plan.pain_free_from:
        pain = 0.5
    if plan.relapse_on is not None and offset >= plan.relapse_on:
        pain = plan.relapse_level + 1.0
    return pain


def _sections(total: int, rng: np.random.Generator) -> list[int]:
    """Spread ``total`` points (0-50) over the ten sections, each 0-5."""
    sections = [0] * 10
    for _ in range(max(0, min(50, total))):
        open_sections = [i for i, value in enumerate(sections) if value < 5]
        sections[int(rng.choice(open_sections))] += 1
    return sections


def _start_back(patient: str, rng: np.random.Generator) -> list[str]:
    physical, psychological, bother = START_BACK_PROFILES[patient]
    agreed = set(rng.choice(4, physical, replace=False).tolist())
    agreed |= {4 + i for i in rng.choice(4, psychological, replace=False).tolist()}
    return [*("agree" if i in agreed else "disagree" for i in range(8)), bother, ""]


def _visits(plan: PatientPlan, rng: np.random.Generator) -> list[int]:
    """Day offsets of the Oswestry: the first visit, then every 14 to 28 days until the last log."""
    visits = [plan.first]
    while visits[-1] + 14 <= plan.last:
        step = int(rng.integers(14, 29))
        if visits[-1] + step > plan.last:
            break
        visits.append(visits[-1] + step)
    return visits


def demo_measures(seed: int = 7, end: date = DEMO_END) -> pd.DataFrame:
    """Return the demo clinic's questionnaires as the file writes them (text cells).

    Columns: ``patient_id``, ``date``, ``measure``, ``version``, ``item_1`` ... ``item_10``;
    sorted by date, then patient.
    """
    rng = np.random.default_rng(seed)
    rows: list[list[str]] = []
    for story in demo_stories():
        plan = story.plan
        first = (end + timedelta(days=plan.first)).isoformat()
        rows.append([plan.patient_id, first, "STarT Back", "", *_start_back(plan.patient_id, rng)])
        for index, offset in enumerate(_visits(plan, rng)):
            odi = ODI_PER_PAIN_POINT * _pain_on(plan, offset) + rng.normal(0, 3)
            answers = [str(v) for v in _sections(round(odi / 2), rng)]
            if (plan.patient_id, index + 1) == (_SKIPPED_SECTION[0], 1):
                answers[_SKIPPED_SECTION[1] - 1] = ""
            day = (end + timedelta(days=offset)).isoformat()
            rows.append([plan.patient_id, day, "odi", ODI_VERSION, *answers])
    frame = pd.DataFrame(rows, columns=["patient_id", "date", "measure", "version", *_ITEMS])
    return frame.sort_values(["date", "patient_id"], kind="stable", ignore_index=True)


def write_measures(frame: pd.DataFrame, out_dir: Path) -> Path:
    """Write the questionnaires to ``out_dir/clinic_measures.csv``; return the path."""
    path = out_dir / DEMO_MEASURES_FILE
    path.write_text(frame.to_csv(index=False, lineterminator="\n"), encoding="utf-8", newline="")
    return path


def measures_readme() -> str:
    """Return the README's paragraph about the questionnaires."""
    return (
        f"\n`{DEMO_MEASURES_FILE}` holds the clinic's questionnaires (a measures log, "
        "docs/measures.md): the Keele STarT Back Screening Tool at each patient's first visit, "
        "in the form's own words, and the Oswestry Disability Index (version 2.1a, section "
        "scores 0-5) at the first visit and every 2 to 4 weeks after, following each "
        "patient's pain. PT-0108, the slow improver, screens high risk on STarT Back "
        "(flag start_back_high_risk); PT-0102 left one Oswestry section blank at the first "
        "visit (scored over the nine answered).\n"
    )
