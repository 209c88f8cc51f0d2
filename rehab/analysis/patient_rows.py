"""A patient's rows of a cohort-wide frame, cut from it only when they are read.

The engine builds the daily series and the exercise-response table for all patients at once.
Cutting them into two frames per patient cost as much as a third of the whole analysis of
1,000 patients (issue 13), and most callers (``rehab summary``, the triage table) never read
them; the app and the reports read one patient at a time. So a :class:`PatientAnalysis
<rehab.analysis.PatientAnalysis>` keeps where its rows are, and cuts them on first read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from typing import Any


@dataclass(frozen=True)
class CohortRows:
    """Rows ``begin:end`` of a cohort-wide ``frame``."""

    frame: pd.DataFrame
    begin: int
    end: int

    def cut(self) -> pd.DataFrame:
        """Return the rows numbered from 0 (a view of the cohort's frame under copy-on-write).

        The new slice is renumbered in place: ``set_axis`` would copy its column blocks again.
        """
        rows = self.frame.iloc[self.begin : self.end]
        rows.index = pd.RangeIndex(self.end - self.begin)
        return rows


class FrameField:
    """A dataclass field holding a DataFrame, which may be given as :class:`CohortRows`.

    Reading the field always gives a DataFrame: rows given as :class:`CohortRows` are cut on
    the first read and kept. The field has no default, unless ``empty_default``: then it
    defaults to no rows, an empty ``pd.DataFrame()`` of its own made on the first read
    (a thousand patients without questionnaires made a thousand empty frames, ~14 ms).
    """

    def __init__(self, *, empty_default: bool = False) -> None:
        self._default = CohortRows(pd.DataFrame(), 0, 0) if empty_default else None

    def __set_name__(self, owner: type, name: str) -> None:
        self._key = f"_{name}"

    def __get__(self, instance: object, owner: type | None = None) -> pd.DataFrame:
        if instance is None:
            # Class access: the dataclass field's default (none unless empty_default).
            if self._default is None:
                raise AttributeError(self._key)
            return self._default  # type: ignore[return-value]
        state = instance.__dict__
        value = state[self._key]
        if isinstance(value, CohortRows):
            value = state[self._key] = value.cut()
        return value  # type: ignore[no-any-return]

    def __set__(self, instance: object, value: pd.DataFrame | CohortRows) -> None:
        instance.__dict__[self._key] = value


def cut_state(state: dict[str, Any]) -> dict[str, Any]:
    """Return ``state`` (an instance's ``__dict__``) with every :class:`CohortRows` cut.

    For pickling: a patient sent to another process carries its own rows, not the cohort's.
    """
    return {key: value.cut() if isinstance(value, CohortRows) else value for key, value in state.items()}
