"""Each patient's latest questionnaire scores, for ``rehab summary --json``."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd

from rehab.measures.change import change_from_first
from rehab.settings import DEFAULT_SETTINGS

if TYPE_CHECKING:
    from rehab.importer import ImportBatch
    from rehab.settings import RuleSettings

__all__ = ["add_latest_scores", "latest_scores"]


def _number(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), 2)


def latest_scores(
    measures: pd.DataFrame, as_of: date | None = None, settings: RuleSettings = DEFAULT_SETTINGS
) -> dict[str, dict[str, dict[str, Any]]]:
    """Return ``{patient: {measure: {date, score, band, complete, change, meaningful}}}``.

    The latest response of each measure up to ``as_of`` (the latest scored one when there
    is one, so an incomplete form does not hide the last score); ``change`` is latest minus
    first scored response (None with one), ``meaningful`` "better", "worse" or "".
    """
    if as_of is not None:
        measures = measures[measures["date"] <= pd.Timestamp(as_of)]
    if measures.empty:
        return {}
    changes = {
        (str(c["patient_id"]), str(c["measure"])): c
        for c in change_from_first(measures, settings).to_dict("records")
    }
    ordered = measures.assign(_scored=measures["score"].notna()).sort_values(
        ["patient_id", "measure", "_scored", "date", "source_row"], kind="stable"
    )
    latest = ordered.groupby(["patient_id", "measure"], sort=True).tail(1)
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for row in latest.to_dict("records"):
        patient, measure = str(row["patient_id"]), str(row["measure"])
        change = changes.get((patient, measure))
        several = change is not None and int(change["responses"]) > 1
        out.setdefault(patient, {})[measure] = {
            "date": pd.Timestamp(row["date"]).date().isoformat(),
            "score": _number(row["score"]),
            "band": str(row["band"]),
            "complete": bool(row["complete"]),
            "change": _number(change["change"]) if several and change is not None else None,
            "meaningful": str(change["meaningful"]) if change is not None else "",
        }
    return out


def add_latest_scores(
    payload: dict[str, Any], batch: ImportBatch, settings: RuleSettings | None = None
) -> None:
    """Add each patient's latest score per measure to the summary payload (in place).

    Every patient of ``payload["patients"]`` gains ``"measures"``: ``{measure: {date,
    score, band, complete, change, meaningful}}`` (empty without questionnaires), counted
    up to ``payload["as_of"]`` like the rest of the summary.
    """
    as_of_text = payload.get("as_of")
    as_of = date.fromisoformat(as_of_text) if isinstance(as_of_text, str) else None
    scores = latest_scores(batch.measures, as_of, settings or DEFAULT_SETTINGS)
    for patient in payload.get("patients", []):
        patient["measures"] = scores.get(str(patient.get("patient_id")), {})
