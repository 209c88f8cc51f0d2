"""What runs on each partition: the upload's cross-file rule, then the app's engine.

A partition holds every row of its patients, from every file, so the in-process upload can be
rebuilt for those patients: each file's rows in the file's order, files in input order, into
an :class:`~rehab.importer.ImportBatch` (which drops rows already imported from an earlier
file, exactly as the in-process batch does), then :func:`rehab.analysis.analyse` and the
``rehab summary --json`` records. Nothing here restates a rule of the analysis.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pandas as pd

from rehab.analysis import analyse
from rehab.importer import FileImport, FileReport, ImportBatch
from rehab.importer.crossfile import CROSS_FILE_KINDS
from rehab.library import load_library
from rehab.measures.summary import add_latest_scores
from rehab.scale.schema import FILE, KIND, POSITION, empty_summaries, frames_of, kinds, summaries_frame
from rehab.schema import PROVENANCE

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

    from rehab.settings import RuleSettings

__all__ = ["REPEAT_COLUMNS", "Screening", "empty_repeats", "repeats", "screen"]


@dataclass(frozen=True)
class Screening:
    """What every partition needs to know: the day, the rules and the exercise library."""

    as_of: date
    settings: RuleSettings
    library: Path | None = None


def _batch(rows: pd.DataFrame) -> ImportBatch:
    """Rebuild the partition's rows as the in-process upload holds them (file order kept)."""
    files = []
    for file, frames in frames_of(rows).items():
        # Only the rows matter here: the real reports are adjusted once, on the client.
        report = FileReport(file=str(file), kind=None)
        files.append(FileImport(report=report, **frames))
    return ImportBatch(files)


def _repeat_sources(rows: pd.DataFrame) -> np.ndarray:
    """Return, per row, the first file holding the same values (the row's own file when none earlier).

    Values are compared as imported, every column but where the row came from, as the
    upload's cross-file check compares them (:mod:`rehab.importer.crossfile`).
    """
    keys = [c for c in rows.columns if c not in (*PROVENANCE, FILE, POSITION)]
    if rows.empty:
        return np.zeros(0, dtype=np.int64)
    first = rows.groupby(keys, dropna=False, sort=False)[FILE].transform("min")
    return first.to_numpy(dtype=np.int64)


def _checked_kinds(rows: pd.DataFrame) -> pd.DataFrame:
    """Return the rows of the kinds the cross-file check covers."""
    covered = [kinds().index(kind) for kind in CROSS_FILE_KINDS if kind in kinds()]
    return rows[rows[KIND].isin(covered)]


def screen(rows: pd.DataFrame, screening: Screening) -> pd.DataFrame:
    """Analyse one partition's patients; one summaries row per patient (maybe none)."""
    if rows.empty:
        return empty_summaries()
    checked = _checked_kinds(rows)
    expected = int((_repeat_sources(checked) != checked[FILE].to_numpy()).sum())
    batch = _batch(rows)
    kept = sum(len(getattr(batch, kind)) for kind in kinds())
    if kept != len(rows) - expected:
        # The report adjusted on the client would not match the rows analysed here.
        raise RuntimeError(
            "rehab: the cross-file repeat check dropped other rows than the Dask report counts; "
            "rehab/scale must follow rehab/importer/crossfile.py"
        )
    library = load_library(screening.library)
    cohort = analyse(
        batch.sessions,
        batch.pain,
        measures=batch.measures,
        as_of=screening.as_of,
        settings=screening.settings,
        library=library,
    )
    payload: dict[str, Any] = cohort.summary_json()
    add_latest_scores(payload, batch, screening.settings)
    return summaries_frame(payload["patients"])


# One row per repeated row of a file: the file, the kind, the row as the report numbers it,
# the earlier file that already held it, and whether none of the file row's sessions is left.
REPEAT_COLUMNS: Final = {
    FILE: "int64",
    KIND: "int8",
    "source_row": "int64",
    "source": "int64",
    "gone": "bool",
}


def empty_repeats() -> pd.DataFrame:
    """Return the repeats frame with no row: the ``meta`` of :func:`repeats`."""
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in REPEAT_COLUMNS.items()})


def repeats(rows: pd.DataFrame) -> pd.DataFrame:
    """List the partition's rows already imported from an earlier file, for the import report."""
    checked = _checked_kinds(rows)
    if checked.empty:
        return empty_repeats()
    source = _repeat_sources(checked)
    repeated = source != checked[FILE].to_numpy()
    if not repeated.any():
        return empty_repeats()
    found = checked.loc[:, [FILE, KIND, "source_row"]].assign(source=source, repeated=repeated)
    found["source_row"] = found["source_row"].astype("int64")
    # A file row is a duplicate when none of its sessions is left (a cell listing several).
    found["gone"] = found.groupby([FILE, KIND, "source_row"])["repeated"].transform("all")
    out = found[found["repeated"]].drop(columns="repeated")
    return out.astype(REPEAT_COLUMNS).reset_index(drop=True)
