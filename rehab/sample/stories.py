"""The demo cohort: eight patients whose stories a clinic recognises.

Each story is a :class:`PatientPlan` (days counted back from the cohort's end) and a line that
says what the dashboard should show. The key dates follow from the plan, so the README that
:func:`demo_readme` writes always matches the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

import numpy as np

from rehab.library import load_library
from rehab.sample.plan import PAIN_FREE_RUN, CohortPlan, PatientPlan
from rehab.sample.simulate import SampleCohort, simulate

DEMO_END: Final = date(2026, 11, 20)
DEMO_GRID_DAYS: Final = 90
# Demo patients rate their pain one to three times a day.
DEMO_ENTRIES_PER_DAY: Final = (0.35, 0.45, 0.2)
# The story each demo patient tells, in a word or two: the app's one-click tour.
DEMO_TOUR: Final = {
    "PT-0103": "Exercise hurts",
    "PT-0107": "Red flag",
    "PT-0104": "Flare",
    "PT-0105": "Relapse",
    "PT-0106": "Stops logging",
    "PT-0102": "Once a day",
    "PT-0108": "Slow improver",
    "PT-0101": "Recovers",
}
# The demo opens on the story that shows most of what the app does: an alert, the exercise
# that raises pain and its stop card.
DEMO_FIRST_PATIENT: Final = "PT-0103"


@dataclass(frozen=True)
class DemoStory:
    """One demo patient: the plan, the story in a few words, and what the dashboard shows."""

    plan: PatientPlan
    story: str
    dashboard: str

    def key_dates(self, end: date = DEMO_END) -> dict[str, date]:
        """Return the dates that make the story, by name (first log, maintenance start, flare ...)."""
        plan = self.plan
        offsets: dict[str, int | None] = {
            "first log": plan.first,
            "last log": plan.last,
            "pain-free from": plan.pain_free_from,
            "maintenance from": (
                None if plan.pain_free_from is None else plan.pain_free_from + PAIN_FREE_RUN
            ),
            "relapse on": plan.relapse_on,
            "flare on": plan.flare_on,
            "exercise hurts from": plan.hurting_from,
            "+2 session on": plan.stops_on if plan.hurting_spike_on is None else plan.hurting_spike_on,
            "paused from": None if plan.stops_on is None else plan.stops_on + 1,
            "restarted on": plan.restarts_on,
            "red-flag note on": plan.red_flag_on,
        }
        return {
            name: end + timedelta(days=offset) for name, offset in offsets.items() if offset is not None
        }


def _exercise(exercise_id: str) -> int:
    return load_library().prescribed_ids.index(exercise_id)


def demo_stories() -> tuple[DemoStory, ...]:
    """Return the demo patients, in id order."""
    return (
        DemoStory(
            PatientPlan(
                "PT-0101",
                first=-79,
                pain_start=6.0,
                pain_end=0.3,
                decay_days=28,
                pain_free_from=-35,
                sitting_skip=0.05,
            ),
            "Recovers: pain falls from about 6 to 0-1, then seven pain-free days in a row "
            "switch the programme to maintenance (once a day).",
            "Phase Maintenance, MCID reached, adherent; no flags (alert none).",
        ),
        DemoStory(
            PatientPlan(
                "PT-0102",
                first=-69,
                pain_start=6.5,
                pain_end=3.5,
                decay_days=25,
                sittings_per_day=1,
                preferred_slot=2,
                sitting_skip=0.05,
            ),
            "Does one session a day (each evening) although the back still hurts.",
            "Rehab, adherence about 33 % (low); pain improving; flag low_adherence (moderate).",
        ),
        DemoStory(
            PatientPlan(
                "PT-0103",
                first=-59,
                pain_start=6.0,
                pain_end=3.0,
                decay_days=20,
                hurting_exercise=_exercise("hip_rolls"),
                hurting_from=-20,
                stops_on=-3,
            ),
            "Hip Rolls hurt: pain after is 1 higher than before in most Hip Rolls sessions of "
            "the last three weeks, then 2 higher in an evening session; the patient stops Hip "
            "Rolls right there, as the stop rule says, and keeps doing the other exercises, "
            "which ease the pain.",
            "Flag exercise_increases_pain for Hip Rolls (high): stop this exercise; and "
            "exercise_paused (moderate): Hip Rolls paused since the day after the +2, so they "
            "leave the target and adherence stays high.",
        ),
        DemoStory(
            PatientPlan("PT-0104", first=-64, pain_start=6.0, pain_end=2.5, decay_days=18, flare_on=-2),
            "A flare: improving steadily, then a day about 3 points above the week before, "
            "tagged as a flare (lifting boxes).",
            "Flag pain_flare (high) on the flare day; pain still improved from baseline.",
        ),
        DemoStory(
            PatientPlan(
                "PT-0105",
                first=-89,
                pain_start=5.5,
                pain_end=0.8,
                decay_days=20,
                pain_free_from=-54,
                relapse_on=-5,
                sitting_skip=0.03,
            ),
            "Relapse after maintenance: pain-free, maintenance for six weeks, then two days in "
            "a row with pain of 2 or more; back to three sessions a day.",
            "Phase Rehab again since the relapse; flag relapse (high).",
        ),
        DemoStory(
            PatientPlan("PT-0106", first=-71, last=-17, pain_start=6.5, pain_end=3.8, decay_days=18),
            "Stops logging: regular logs for eight weeks, nothing for the last 17 days.",
            "Flag dropped_out (high): 17 days since the last log; low_adherence too "
            "(no sessions this week).",
        ),
        DemoStory(
            PatientPlan(
                "PT-0107", first=-59, pain_start=5.5, pain_end=3.0, decay_days=20, red_flag_on=-1
            ),
            "A red-flag note yesterday: numbness in both legs, trouble passing urine.",
            "Flag red_flag_symptom (critical) with the matched words; top of the triage list.",
        ),
        DemoStory(
            PatientPlan(
                "PT-0108",
                first=-74,
                pain_start=6.2,
                pain_end=4.9,
                decay_days=60,
                hurting_exercise=_exercise("cat_stretch"),
                stops_on=-16,
                restarts_on=-11,
            ),
            "Slow improver: logs faithfully, but pain eases by only about one point in ten "
            "weeks. Two weeks ago Cat Stretch raised pain by 2 once: the patient paused it and "
            "restarted it five days later, with no rise since.",
            "Flag not_improving (moderate): no clinically meaningful change, see a provider. "
            "Cat Stretch is not paused any more (it was logged again).",
        ),
    )


def demo_cohort(seed: int = 7, end: date = DEMO_END) -> SampleCohort:
    """Return the demo cohort: the eight story patients, the last day being ``end``.

    Parameters
    ----------
    seed
        Seed of the noise (times, doses, scores, skipped sessions); the stories' key dates
        do not depend on it.
    end
        The cohort's last day; every key date moves with it.
    """
    plan = CohortPlan.from_patients([s.plan for s in demo_stories()], DEMO_GRID_DAYS)
    return simulate(plan, end, np.random.default_rng(seed), DEMO_ENTRIES_PER_DAY)


def demo_readme(end: date = DEMO_END, seed: int = 7) -> str:
    """Return the README of the demo folder: each patient's story, key dates, and what to expect."""
    lines = [
        "# Demo cohort (synthetic)",
        "",
        f"Made by `rehab sample --out sample_data --end {end.isoformat()}` (seed {seed}) with "
        "`rehab/sample/`. Nobody here is "
        "a real patient. Each patient has a `<id>_sessions.csv` and a `<id>_pain.csv`; a few "
        "rows carry deliberate mistakes (a pain of 11, an empty pain cell, an impossible date, "
        "a misspelled exercise, a doubled row, a decimal comma) that the import report lists.",
        "",
        f"Analyse the cohort as of **{end.isoformat()}** (the last logged day).",
        "",
        "| patient | story | key dates | the dashboard should show |",
        "|---|---|---|---|",
    ]
    for story in demo_stories():
        dates = "; ".join(f"{name} {day.isoformat()}" for name, day in story.key_dates(end).items())
        lines.append(f"| {story.plan.patient_id} | {story.story} | {dates} | {story.dashboard} |")
    return "\n".join(lines) + "\n"
