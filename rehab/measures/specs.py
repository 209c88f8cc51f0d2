"""The questionnaires rehab scores: what each one is, and the licence shown with its result.

rehab is a calculator over the answers a clinic enters. It ships no questionnaire wording:
the Oswestry Disability Index is licensed, and the others are shown in their own published
forms (see docs/measures.md).
"""

from __future__ import annotations

from typing import Final, Literal

from pydantic import BaseModel, ConfigDict

__all__ = ["KEELE_COPYRIGHT", "MEASURES", "MeasureSpec"]

# Keele asks that its copyright and funding statement is kept with the tool at all times
# (keele.ac.uk/sbst: "please ensure the copyright and funding statement is maintained");
# wording as Keele publishes it with the 9-item tool (reproduced on patient.info,
# "STarT Back Screening Tool for Low Back Pain").
KEELE_COPYRIGHT: Final = (
    "The copyright (©2007) of the STarT Back Screening Tool and associated materials is owned "
    "by Keele University, the development of which was part funded by Arthritis Research UK: "
    "i) the tool is designed for use by health care practitioners, with appropriate treatment "
    "packages for each of the stratified groups; ii) the tool is not intended to recommend the "
    "use of any particular product. No license is required for non-commercial use. If you "
    "would like to incorporate the tool in any way into commercial product materials, please "
    "contact Keele University for further advice."
)


class MeasureSpec(BaseModel):
    """One questionnaire: its items, the range of its score, and where its rules come from.

    ``mcid_rule`` names the :func:`rehab.settings.rules` entry of its minimal important
    change ("" when it has none: STarT Back is a screen, not an outcome); ``band_rule`` the
    entry that turns a score into a band. ``licence`` is shown wherever the result is.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    short: str
    items: int
    min_items: int
    item_min: float
    item_max: float
    score_min: float
    score_max: float
    unit: str
    better: Literal["lower", "higher"]
    mcid_rule: str
    band_rule: str = ""
    scoring: str
    source: str
    licence: str
    aliases: tuple[str, ...] = ()

    @property
    def item_columns(self) -> tuple[str, ...]:
        """``item_1`` ... ``item_N``, the columns of its answers in a measures log."""
        return tuple(f"item_{n}" for n in range(1, self.items + 1))


_SPECS = (
    MeasureSpec(
        id="psfs",
        title="Patient-Specific Functional Scale",
        short="PSFS",
        items=5,
        min_items=3,
        item_min=0,
        item_max=10,
        score_min=0,
        score_max=10,
        unit="points",
        better="higher",
        mcid_rule="psfs_mcid",
        scoring=(
            "The patient names 3 to 5 activities and rates each 0 (unable to perform) to 10 "
            "(able to perform as before); the score is the mean of the rated activities."
        ),
        source=(
            "Stratford, Gill, Westaway & Binkley, Physiotherapy Canada 1995;47:258-263 "
            "(total score = sum of the activity scores / number of activities)"
        ),
        licence=(
            "PSFS: Stratford et al., Physiotherapy Canada 1995; no cost to use (RehabMeasures database)."
        ),
        aliases=("patient specific functional scale", "patient-specific functional scale"),
    ),
    MeasureSpec(
        id="start_back",
        title="Keele STarT Back Screening Tool",
        short="STarT Back",
        items=9,
        min_items=9,
        item_min=0,
        item_max=1,
        score_min=0,
        score_max=9,
        unit="points",
        better="lower",
        mcid_rule="",
        band_rule="start_back_bands",
        scoring=(
            "Items 1-8: agree = 1, disagree = 0; item 9 (bothersomeness): 'Very much' or "
            "'Extremely' = 1, 'Not at all', 'Slightly' or 'Moderately' = 0. Total 0-9; distress "
            "subscale = items 5-9 (0-5). Total 3 or less: low risk; otherwise subscale 3 or "
            "less: medium risk, 4 or more: high risk."
        ),
        source="Hill et al., Arthritis Rheum 2008;59(5):632-641; Keele University scoring guide",
        licence=KEELE_COPYRIGHT,
        aliases=(
            "start back",
            "startback",
            "keele start back",
            "start back screening tool",
            "keele start back screening tool",
            "sbst",
            "sbt",
        ),
    ),
    MeasureSpec(
        id="rmdq",
        title="Roland-Morris Disability Questionnaire",
        short="RMDQ",
        items=24,
        min_items=24,
        item_min=0,
        item_max=1,
        score_min=0,
        score_max=24,
        unit="points",
        better="lower",
        mcid_rule="rmdq_mcid",
        scoring=(
            "24 statements, yes = 1 and no = 0 (a statement not ticked is no); the score is the "
            "number of yes answers, 0-24. An incomplete form is not scored unless the clinic "
            "turns on proportional scoring (answered items scaled to 24)."
        ),
        source=("Roland & Morris, Spine 1983;8:141-144; Roland & Fairbank, Spine 2000;25:3115-3124"),
        licence=(
            "RMDQ: Roland & Morris 1983; free to use in its published form (Roland & Fairbank "
            "2000). rehab does not include its wording."
        ),
        aliases=(
            "roland morris",
            "roland-morris",
            "rdq",
            "rmq",
            "roland morris disability questionnaire",
        ),
    ),
    MeasureSpec(
        id="odi",
        title="Oswestry Disability Index",
        short="ODI",
        items=10,
        min_items=10,
        item_min=0,
        item_max=5,
        score_min=0,
        score_max=100,
        unit="%",
        better="lower",
        mcid_rule="odi_mcid",
        scoring=(
            "10 sections, each 0-5; the score is the total / (5 x answered sections) x 100 "
            "(%). A section with two statements marked scores the higher."
        ),
        source=(
            "Fairbank & Pynsent, Spine 2000;25(22):2940-2953 (16 of 50 = 32%; one section "
            "missed: 16 of 45 = 35.5%)"
        ),
        licence=(
            "Oswestry Disability Index: copyright Jeremy Fairbank, licensed through Mapi Research "
            "Trust. rehab only scores the section answers a clinic enters; it does not include "
            "the questionnaire."
        ),
        aliases=(
            "oswestry",
            "oswestry disability index",
            "oswestry low back pain disability questionnaire",
        ),
    ),
    MeasureSpec(
        id="pain_nrs",
        title="Pain, 0-10 numeric rating scale",
        short="Pain NRS",
        items=1,
        min_items=1,
        item_min=0,
        item_max=10,
        score_min=0,
        score_max=10,
        unit="points",
        better="lower",
        mcid_rule="mcid",
        scoring="One rating, 0 (no pain) to 10 (worst pain imaginable): the score is the rating.",
        source="0-10 numeric rating scale (NRS), LOINC 72514-3",
        licence="",
        aliases=("pain", "nrs", "pain score", "numeric pain rating scale", "nprs", "pain nrs"),
    ),
)

MEASURES: Final[dict[str, MeasureSpec]] = {spec.id: spec for spec in _SPECS}
