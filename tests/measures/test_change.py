"""Change from the first score and its meaning, by the MCIDs of the settings.

ODI 10 points or 30 % and RMDQ 5 points or 30 % (Ostelo et al., Spine 2008, consensus);
PSFS 2 points (Stratford et al. 1995); worsening counts in points only.
"""

import pandas as pd
import pytest

from rehab.measures import change_from_first, coerce_measures
from rehab.measures.change import meaningful_change
from rehab.settings import RuleSettings


def _frame(rows):
    return coerce_measures(pd.DataFrame(rows, columns=["patient_id", "date", "measure", "score"]))


@pytest.mark.parametrize(
    ("measure", "first", "latest", "meaning"),
    [
        ("odi", 40, 30, "better"),  # 10 points
        ("odi", 40, 31, ""),  # 9 points, 22.5 %
        ("odi", 20, 14, "better"),  # 6 points but 30 % of the first
        ("odi", 20, 30, "worse"),  # 10 points worse
        ("odi", 20, 26, ""),  # 30 % worse is not a rule: points only
        ("rmdq", 12, 7, "better"),
        ("rmdq", 10, 15, "worse"),
        ("rmdq", 10, 14, ""),
        ("psfs", 3, 5, "better"),  # higher is better
        ("psfs", 6, 4, "worse"),
        ("psfs", 6, 7.5, ""),
        ("pain_nrs", 6, 4, "better"),
        ("start_back", 7, 1, ""),  # a screen, not an outcome
    ],
)
def test_meaningful_change_by_measure(measure, first, latest, meaning):
    assert meaningful_change(measure, first, latest) == meaning


def test_meaning_follows_changed_settings():
    assert meaningful_change("odi", 40, 32, RuleSettings(odi_mcid_points=8)) == "better"
    assert meaningful_change("odi", 40, 32) == ""


def test_change_from_first_takes_first_and_latest_scored_response_per_patient_and_measure():
    frame = _frame(
        [
            ("A", "2026-09-15", "odi", 30.0),
            ("A", "2026-09-01", "odi", 44.0),
            ("A", "2026-09-29", "odi", float("nan")),  # not scored: left out
            ("A", "2026-09-01", "start_back", 7.0),
            ("B", "2026-09-01", "rmdq", 8.0),
            ("B", "2026-10-01", "rmdq", 14.0),
        ]
    )
    out = change_from_first(frame).set_index(["patient_id", "measure"])
    odi = out.loc[("A", "odi")]
    assert (odi["first_score"], odi["latest_score"], odi["change"]) == (44.0, 30.0, -14.0)
    assert odi["latest_date"] == pd.Timestamp("2026-09-15")
    assert (odi["meaningful"], odi["responses"]) == ("better", 2)
    assert out.loc[("A", "start_back"), "meaningful"] == ""  # one response: no change to judge
    assert out.loc[("B", "rmdq"), "meaningful"] == "worse"


def test_change_from_first_of_nothing_is_an_empty_typed_frame():
    out = change_from_first(_frame([]))
    assert out.empty
    assert str(out["first_date"].dtype) == "datetime64[ns]"
    assert list(out.columns)[:2] == ["patient_id", "measure"]
