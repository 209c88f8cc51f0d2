"""Warnings about the exercise column: names not in the library, and near misses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from rehab.importer.messages import to_objects
from rehab.importer.rowreport import report_grouped

if TYPE_CHECKING:
    from rehab.importer.report import IssueLog
    from rehab.importer.validate import Checked
    from rehab.library import ExerciseLibrary

__all__ = ["ExerciseRows", "warn_near_misses", "warn_unknown_exercises"]


@dataclass(frozen=True)
class ExerciseRows:
    """The checked exercise column, the accepted rows' codes and their spreadsheet rows."""

    checked: Checked
    codes: npt.NDArray[np.int32]
    rows: npt.NDArray[np.int64]


def _cut(name: str) -> str:
    return name if len(name) <= 40 else name[:40] + "…"


def warn_unknown_exercises(where: ExerciseRows, library: ExerciseLibrary, issues: IssueLog) -> None:
    """Warn once per exercise name not in the library (kept as written), naming its rows."""
    checked, codes = where.checked, where.codes
    unknown = ~np.asarray(checked.known)[codes]
    # Group by the name as kept (trimmed), so "Plank" and " Plank " warn once.
    name_of_unique, names = pd.factorize(np.asarray(checked.values, dtype=object))

    def message(key: Any, rows: str) -> str:
        name = str(names[key])
        listed = library.list_parts(name)
        if listed is not None:
            return (
                f"Exercise '{_cut(name)}' looks like a list of exercises, but '{_cut(listed)}' is "
                f"not in the exercise library, so the cell was kept as written as one exercise "
                f"({rows}). Write one exercise per row, or add it to the library."
            )
        return (
            f"Exercise '{_cut(name)}' is not in the exercise library, so it was kept as "
            f"written ({rows}). Check the spelling, or add it to the library."
        )

    report_grouped(
        where.rows[unknown],
        np.take(name_of_unique, codes[unknown]),
        "unknown_exercise",
        message,
        issues,
        column="exercise",
    )


def warn_near_misses(
    where: ExerciseRows, uniques: Any, library: ExerciseLibrary, issues: IssueLog
) -> None:
    """Warn once per misspelt name read as a library exercise ("did you mean ...?")."""
    checked, codes = where.checked, where.codes
    if checked.guessed is None or not checked.guessed.any():
        return
    guessed = checked.guessed[codes]
    written = to_objects(uniques)

    def message(key: Any, rows: str) -> str:
        name = _cut(str(written[key]).strip())
        match = library.name_of(str(checked.values[key]))
        return (
            f"Exercise '{name}' is not in the exercise library; did you mean {match}? It was "
            f"read as {match} ({rows}). If that is wrong, correct the name in the file."
        )

    report_grouped(
        where.rows[guessed],
        codes[guessed].astype(np.int64),
        "exercise_near_miss",
        message,
        issues,
        column="exercise",
    )
