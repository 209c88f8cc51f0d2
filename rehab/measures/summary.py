"""Each patient's latest questionnaire scores, for ``rehab summary --json``."""

from __future__ import annotations

from typing import Any


def add_latest_scores(payload: dict[str, Any], batch: Any) -> None:
    """Add each patient's latest score per measure to the summary payload (in place)."""
