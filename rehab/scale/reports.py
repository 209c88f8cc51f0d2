"""The import report on the client: each file's report, then the rows repeated across files.

Each import task reports its files as ``rehab validate`` would, file by file. Rows repeated
across files are only seen once every patient's rows meet in a partition; the partitions
list them (:func:`rehab.scale.partition.repeats`) and this module moves them from accepted to
duplicates, with one warning per earlier file, as the in-process upload does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from rehab.importer import FileImport, ImportBatch
from rehab.importer.crossfile import CROSS_FILE_KINDS, repeat_issue
from rehab.scale.schema import FILE, KIND, kinds

if TYPE_CHECKING:
    import pandas as pd

    from rehab.importer import FileReport

__all__ = ["FileOutcome", "apply_repeats", "report_batch"]


@dataclass
class FileOutcome:
    """One imported file: its place in the input, its report, and its rows per kind."""

    file: int
    report: FileReport
    lengths: dict[str, int] = field(default_factory=dict)


def _apply_one(outcome: FileOutcome, kind: str, part: pd.DataFrame, names: np.ndarray) -> None:
    report = outcome.report
    gone = np.unique(part.loc[part["gone"].to_numpy(), "source_row"].to_numpy())
    report.accepted -= len(gone)
    report.duplicates += len(gone)
    remaining = outcome.lengths.get(kind, 0) - len(part)
    report.sessions = remaining if remaining != report.accepted else None
    rows = part["source_row"].to_numpy()
    for name in sorted(set(names.tolist())):
        report.issues.append(repeat_issue(name, np.unique(rows[names == name])))


def apply_repeats(outcomes: list[FileOutcome], found: pd.DataFrame) -> None:
    """Count the rows repeated across files in their files' reports (in place)."""
    if found.empty:
        return
    by_file = {outcome.file: outcome for outcome in outcomes}
    for kind in CROSS_FILE_KINDS:
        if kind not in kinds():
            continue
        of_kind = found[found[KIND].to_numpy() == kinds().index(kind)]
        for file, part in of_kind.groupby(FILE, sort=True):
            names = np.asarray(
                [by_file[int(s)].report.file for s in part["source"].tolist()], dtype=object
            )
            _apply_one(by_file[int(file)], kind, part, names)


def report_batch(outcomes: list[FileOutcome]) -> ImportBatch:
    """Return the reports as a batch (no rows): what ``rehab validate`` and ``summary`` print."""
    return ImportBatch([FileImport(report=outcome.report) for outcome in outcomes])
