"""Synthetic logs: the demo cohort's eight stories, and large random cohorts for benchmarks.

>>> cohort = demo_cohort()
>>> sorted(cohort.sessions["patient_id"].unique())[:2]
['PT-0101', 'PT-0102']

``rehab sample --out DIR [--seed N] [--patients N] [--days N]`` calls :func:`main_sample`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Final

from rehab.sample.export import write_cohort
from rehab.sample.measures import demo_measures, measures_readme, write_measures
from rehab.sample.random_cohort import random_cohort
from rehab.sample.simulate import SampleCohort
from rehab.sample.stories import (
    DEMO_END,
    DEMO_FIRST_PATIENT,
    DEMO_TOUR,
    DemoStory,
    demo_cohort,
    demo_readme,
    demo_stories,
)

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "DEFAULT_RANDOM_DAYS",
    "DEFAULT_RANDOM_PATIENTS",
    "DEMO_END",
    "DEMO_FIRST_PATIENT",
    "DEMO_TOUR",
    "DemoStory",
    "SampleCohort",
    "demo_cohort",
    "demo_measures",
    "demo_readme",
    "demo_stories",
    "main_sample",
    "random_cohort",
    "write_cohort",
]

DEFAULT_RANDOM_PATIENTS: Final = 100
DEFAULT_RANDOM_DAYS: Final = 90


def main_sample(
    out: Path, seed: int, patients: int | None, days: int | None, end: date | None = None
) -> list[Path]:
    """Write a cohort to ``out``: the demo (with its README) when neither size is given.

    The logs end on ``end``, today by default: generated logs are fresh on the day they are
    made, so the app and ``rehab summary`` (both as of today by default) show them as of
    their last day, not as stale. The committed ``sample_data`` pins :data:`DEMO_END`.

    Parameters
    ----------
    out
        Folder to write to.
    seed
        Seed of the noise and of the typos.
    patients, days
        Size of a random cohort; when only one is given the other takes its default
        (:data:`DEFAULT_RANDOM_PATIENTS`, :data:`DEFAULT_RANDOM_DAYS`).
    end
        The last logged day (today when ``None``).

    Returns
    -------
    list[Path]
        Every file written.
    """
    last = end or date.today()
    if patients is None and days is None:
        written = write_cohort(demo_cohort(seed, end=last), out, seed=seed)
        # The clinic's questionnaires (issue 12): one measures log for the cohort.
        written.append(write_measures(demo_measures(seed, end=last), out))
        readme = out / "README.md"
        readme.write_text(demo_readme(end=last, seed=seed) + measures_readme(), encoding="utf-8")
        return [*written, readme]
    cohort = random_cohort(
        patients or DEFAULT_RANDOM_PATIENTS, days or DEFAULT_RANDOM_DAYS, seed, end=last
    )
    return write_cohort(cohort, out, seed=seed)
