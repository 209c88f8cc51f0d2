"""Scoring an imported measures frame again under a clinic's settings.

The importer scores with the default settings (it does not know the clinic's). A clinic
that turns on proportional Roland-Morris scoring, or changes the STarT Back bands, gets its
rules applied here, from the answers the frame keeps.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Final

from rehab.measures.scoring import band_of_start_back, score_response
from rehab.settings import DEFAULT_SETTINGS

if TYPE_CHECKING:
    import pandas as pd

    from rehab.settings import RuleSettings

__all__ = ["rescore"]

# The settings a score or band depends on; with the defaults, the importer's scores stand.
_SCORING_FIELDS: Final = (
    "rmdq_proportional",
    "rmdq_min_answered",
    "start_back_low_total_max",
    "start_back_high_subscale",
)


def rescore(measures: pd.DataFrame, settings: RuleSettings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """Return ``measures`` with score, band, completeness and subscale under ``settings``.

    Rows that kept their item answers are scored again from them; rows that came as a
    total keep it (a STarT Back total gets its band again).

    Parameters
    ----------
    measures
        A measures frame (:func:`rehab.measures.empty_measures` shape).
    settings
        The clinic's settings (``rmdq_proportional``, the STarT Back bands ...).

    Returns
    -------
    pandas.DataFrame
        A new frame; ``measures`` itself is left as it was.
    """
    if measures.empty or all(
        getattr(settings, name) == getattr(DEFAULT_SETTINGS, name) for name in _SCORING_FIELDS
    ):
        return measures
    out = measures.copy()
    scores, bands, complete, subscales = [], [], [], []
    for row in measures.to_dict("records"):
        answers = json.loads(str(row["answers"]) or "[]")
        if answers:
            scored = score_response(
                str(row["measure"]), answers, version=str(row["version"]), settings=settings
            )
            scores.append(scored.score)
            bands.append(scored.band)
            complete.append(scored.complete)
            subscales.append(scored.subscale)
        else:
            scores.append(float(row["score"]))
            band = str(row["band"])
            if row["measure"] == "start_back":
                band = band_of_start_back(float(row["score"]), float(row["subscale"]), settings)
            bands.append(band)
            complete.append(bool(row["complete"]))
            subscales.append(float(row["subscale"]))
    out["score"] = scores
    out["band"] = bands
    out["complete"] = complete
    out["subscale"] = subscales
    return out.astype({"score": "float64", "band": "string", "complete": "bool", "subscale": "float64"})
