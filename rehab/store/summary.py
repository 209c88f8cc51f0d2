"""The ``rehab summary --json`` document, from frames the workspace read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rehab.settings import DEFAULT_SETTINGS

if TYPE_CHECKING:
    from datetime import date

    import pandas as pd

    from rehab.library import ExerciseLibrary
    from rehab.settings import RuleSettings

__all__ = ["stored_batch", "summary_payload"]


def stored_batch(
    sessions: pd.DataFrame, pain: pd.DataFrame, measures: pd.DataFrame | None = None
) -> Any:
    """Return an :class:`~rehab.importer.ImportBatch` holding stored rows (no file behind them).

    For the functions that take the importer's batch (latest questionnaire scores, the
    screening table's rejected-row counts): nothing stored was rejected.
    """
    from rehab.importer import ImportBatch

    batch = ImportBatch([])
    batch.sessions = sessions
    batch.pain = pain
    if measures is not None:
        batch.measures = measures
    return batch


def summary_payload(
    sessions: pd.DataFrame,
    pain: pd.DataFrame,
    as_of: date,
    settings: RuleSettings | None = None,
    library: ExerciseLibrary | None = None,
    *,
    measures: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Analyse the frames and build the document ``rehab summary --json`` prints.

    The same steps as the command (:func:`rehab.cli.cmd_summary`): the engine's summary
    (with the questionnaires' flags), each patient's latest questionnaire scores, and the
    disclaimer.
    """
    from rehab.analysis import analyse
    from rehab.disclaimer import DISCLAIMER_SHORT
    from rehab.measures.summary import add_latest_scores

    batch = stored_batch(sessions, pain, measures)
    cohort = analyse(
        sessions,
        pain,
        measures=batch.measures,
        as_of=as_of,
        settings=settings or DEFAULT_SETTINGS,
        library=library,
    )
    payload = cohort.summary_json()
    add_latest_scores(payload, batch, settings or DEFAULT_SETTINGS)
    payload["disclaimer"] = DISCLAIMER_SHORT
    return payload
