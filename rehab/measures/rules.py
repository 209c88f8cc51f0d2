"""The outcome questionnaires' rules and their sources (shown by ``rehab.settings.rules()``).

The thresholds themselves are fields of :class:`rehab.settings.RuleSettings`; only their
wording and sources live here, beside the scorers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from rehab.settings import SOURCE_REHAB_DEFAULT, Rule

if TYPE_CHECKING:
    from rehab.settings import RuleSettings

__all__ = [
    "SOURCE_OSTELO_MEASURES",
    "SOURCE_PSFS_MCID",
    "SOURCE_RMDQ_MISSING",
    "SOURCE_START_BACK",
    "measure_rules",
]

SOURCE_OSTELO_MEASURES: Final = (
    "Ostelo et al., Spine 2008 (international consensus: ODI 10 points, RMDQ 5 points, "
    "or 30% improvement from baseline)"
)
SOURCE_PSFS_MCID: Final = (
    "Stratford et al., Physiotherapy Canada 1995 (PSFS; 2 points on the mean score); "
    "Abbott & Schmitt, JOSPT 2014 (PSFS MID 1.3 to 2.7)"
)
SOURCE_START_BACK: Final = (
    "Hill et al., Arthritis Rheum 2008 (Keele STarT Back Screening Tool: total 0-9, "
    "distress subscale items 5-9); Keele University scoring guide"
)
SOURCE_RMDQ_MISSING: Final = (
    "Kent & Lauridsen (proportional recalculation of RMDQ scores with unanswered items); "
    "the minimum of answered items is a rehab default"
)


def measure_rules(s: RuleSettings) -> list[Rule]:
    """Return the outcome questionnaires' rules with the thresholds of ``s`` filled in.

    The last two are the screening flags ``start_back_high_risk`` and ``disability_worse``.
    """
    return [
        Rule(
            id="odi_mcid",
            title="Oswestry (ODI): meaningful change",
            text=(
                f"A change of {s.odi_mcid_points:g} points or more (of 100); an improvement of "
                f"{s.odi_mcid_percent:g}% of the first score also counts."
            ),
            source=SOURCE_OSTELO_MEASURES,
        ),
        Rule(
            id="rmdq_mcid",
            title="Roland-Morris (RMDQ): meaningful change",
            text=(
                f"A change of {s.rmdq_mcid_points:g} points or more (of 24); an improvement of "
                f"{s.rmdq_mcid_percent:g}% of the first score also counts."
            ),
            source=SOURCE_OSTELO_MEASURES,
        ),
        Rule(
            id="rmdq_incomplete",
            title="Roland-Morris: an incomplete form",
            text=(
                f"Scaled to 24 from at least {s.rmdq_min_answered} answered items"
                if s.rmdq_proportional
                else "Not scored (the clinic may turn on proportional scoring)"
            )
            + ".",
            source=SOURCE_RMDQ_MISSING if s.rmdq_proportional else SOURCE_REHAB_DEFAULT,
        ),
        Rule(
            id="psfs_mcid",
            title="Patient-Specific Functional Scale: meaningful change",
            text=f"A change of {s.psfs_mcid_points:g} points or more in the mean rating (0-10).",
            source=SOURCE_PSFS_MCID,
        ),
        Rule(
            id="start_back_bands",
            title="STarT Back risk groups",
            text=(
                f"Total {s.start_back_low_total_max} or less: low risk; total "
                f"{s.start_back_low_total_max + 1} or more: medium risk, or high risk when the "
                f"distress subscale (items 5-9) is {s.start_back_high_subscale} or more."
            ),
            source=SOURCE_START_BACK,
        ),
        Rule(
            id="start_back_high_risk",
            title="High risk on STarT Back",
            text=(
                "The latest STarT Back result is high risk (distress subscale "
                f"{s.start_back_high_subscale} or more): psychosocial factors may slow recovery; "
                "talk it through with the therapist."
            ),
            source=SOURCE_START_BACK,
        ),
        Rule(
            id="disability_worse",
            title="Disability score worse",
            text=(
                f"The latest Oswestry score is {s.odi_mcid_points:g} points or more, or the latest "
                f"Roland-Morris score {s.rmdq_mcid_points:g} points or more, above (worse than) "
                "the first."
            ),
            source=(
                f"{SOURCE_OSTELO_MEASURES}; applying the change to a worsening is a "
                f"{SOURCE_REHAB_DEFAULT}"
            ),
        ),
    ]
