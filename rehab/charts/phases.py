"""Treatment phases as the charts need them: shaded periods with a label."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Protocol

import pandas as pd

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

PHASE_LABELS: Final = {"rehab": "Rehab", "maintenance": "Maintenance"}
MAX_PHASE_ROWS: Final = 500


class PhaseLike(Protocol):
    """What the charts read from a phase of the analysis (any object with these fields)."""

    @property
    def phase(self) -> str:
        """``"rehab"`` or ``"maintenance"``."""
        ...

    @property
    def start(self) -> dt.date:
        """First day of the phase."""
        ...

    @property
    def end(self) -> dt.date | None:
        """Last day of the phase, ``None`` while it is the current one."""
        ...

    @property
    def reason(self) -> str:
        """Why it began: ``"start"``, ``"pain_free_run"`` or ``"relapse"``."""
        ...


def phase_label(phase: str, reason: str = "") -> str:
    """Return the words a chart shows for a phase ("Rehab", "Rehab (relapse)", ...)."""
    label = PHASE_LABELS.get(phase, phase.capitalize())
    return f"{label} (relapse)" if reason == "relapse" else label


def phase_frame(phases: Sequence[PhaseLike], last_day: pd.Timestamp) -> pd.DataFrame:
    """Return one row per phase: ``start``/``end`` edges, ``phase``, ``label``, ``days``.

    The edges sit half a day outside the first and last day, so a shaded period covers the
    marks drawn at those days' midnight. An open phase ends at ``last_day``. Only the most
    recent :data:`MAX_PHASE_ROWS` phases are kept (a chart's row budget).
    """
    half_day = pd.Timedelta(hours=12)
    rows = []
    for item in list(phases)[-MAX_PHASE_ROWS:]:
        first = pd.Timestamp(item.start)
        last = pd.Timestamp(item.end) if item.end is not None else last_day
        reason = str(getattr(item, "reason", ""))
        rows.append(
            {
                "phase": item.phase,
                "label": phase_label(item.phase, reason),
                "first_day": first,
                "last_day": last,
                "start": first - half_day,
                "end": last + half_day,
                "days": (last - first).days + 1,
            }
        )
    columns = ["phase", "label", "first_day", "last_day", "start", "end", "days"]
    return pd.DataFrame(rows, columns=columns)
