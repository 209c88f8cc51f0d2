"""Change from the first scored response, and whether it is clinically meaningful."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import pandas as pd

from rehab.measures.specs import MEASURES
from rehab.settings import DEFAULT_SETTINGS

if TYPE_CHECKING:
    from rehab.settings import RuleSettings

__all__ = ["CHANGE_COLUMNS", "change_from_first", "meaningful_change"]

CHANGE_COLUMNS: Final = (
    "patient_id",
    "measure",
    "first_date",
    "first_score",
    "latest_date",
    "latest_score",
    "change",
    "meaningful",
    "responses",
)


def _thresholds(measure: str, settings: RuleSettings) -> tuple[float, float | None]:
    """(points, percent of the first score) of a meaningful change; percent None: points only."""
    if measure == "odi":
        return settings.odi_mcid_points, settings.odi_mcid_percent
    if measure == "rmdq":
        return settings.rmdq_mcid_points, settings.rmdq_mcid_percent
    if measure == "psfs":
        return settings.psfs_mcid_points, None
    return settings.mcid_points, settings.mcid_fraction * 100


def meaningful_change(
    measure: str, first: float, latest: float, settings: RuleSettings = DEFAULT_SETTINGS
) -> str:
    """Return "better", "worse" or "" for a change from ``first`` to ``latest``.

    Better: an improvement of at least the measure's MCID in points, or (ODI, RMDQ, pain)
    of at least its percent of the first score (Ostelo et al. 2008). Worse: a worsening of
    at least the MCID in points (the percent rule is defined for improvement). STarT Back is
    a screen with risk bands, not an outcome: never "better" or "worse".
    """
    spec = MEASURES.get(measure)
    if spec is None or not spec.mcid_rule or pd.isna(first) or pd.isna(latest):
        return ""
    points, percent = _thresholds(measure, settings)
    gain = latest - first if spec.better == "higher" else first - latest
    # A tolerance: 32.0 - 22.0 must count as the 10 points it is, whatever the float sum says.
    if gain >= points - 1e-9:
        return "better"
    if percent is not None and first > 0 and gain > 0 and gain / first * 100 >= percent - 1e-9:
        return "better"
    if -gain >= points - 1e-9:
        return "worse"
    return ""


def change_from_first(measures: pd.DataFrame, settings: RuleSettings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """Per patient and measure: the first and latest scored response, the change and its meaning.

    Parameters
    ----------
    measures
        A measures frame (:func:`rehab.measures.empty_measures` shape). Rows without a
        score (not scored) are left out; the order is by date, then the file's row.
    settings
        The MCIDs (``odi_mcid_points``, ``rmdq_mcid_points``, ``psfs_mcid_points`` ...).

    Returns
    -------
    pandas.DataFrame
        :data:`CHANGE_COLUMNS`: ``change`` is latest minus first (in the measure's own
        units; lower is better except for PSFS), ``meaningful`` is "better", "worse" or ""
        (see :func:`meaningful_change`), ``responses`` the number of scored responses.
    """
    scored = measures[measures["score"].notna()]
    if scored.empty:
        return pd.DataFrame({name: pd.Series(dtype=_DTYPES[name]) for name in CHANGE_COLUMNS})
    ordered = scored.sort_values(["patient_id", "measure", "date", "source_row"], kind="stable")
    groups = ordered.groupby(["patient_id", "measure"], sort=True, observed=True)
    first, latest = groups.first(), groups.last()
    out = pd.DataFrame(
        {
            "first_date": first["date"],
            "first_score": first["score"].astype("float64"),
            "latest_date": latest["date"],
            "latest_score": latest["score"].astype("float64"),
            "responses": groups.size().astype("int64"),
        }
    ).reset_index()
    out["change"] = out["latest_score"] - out["first_score"]
    out["meaningful"] = [
        meaningful_change(m, f, last, settings) if n > 1 else ""
        for m, f, last, n in zip(
            out["measure"], out["first_score"], out["latest_score"], out["responses"], strict=True
        )
    ]
    return out[list(CHANGE_COLUMNS)].astype(_DTYPES)


_DTYPES: Final = {
    "patient_id": "string",
    "measure": "string",
    "first_date": "datetime64[ns]",
    "first_score": "float64",
    "latest_date": "datetime64[ns]",
    "latest_score": "float64",
    "change": "float64",
    "meaningful": "string",
    "responses": "int64",
}
