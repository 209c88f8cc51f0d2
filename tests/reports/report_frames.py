"""Imported-shape log frames built by hand for the report tests."""

from __future__ import annotations

from typing import Any

import pandas as pd

from rehab.schema import coerce_frame


def log_frame(kind: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows as the importer would give them, numbered from spreadsheet row 2 of ``{kind}.csv``."""
    frame = pd.DataFrame(rows)
    frame["date"] = pd.to_datetime(frame["date"])
    frame["source_file"] = f"{kind}.csv"
    frame["source_row"] = range(2, len(frame) + 2)
    return coerce_frame(kind, frame)  # type: ignore[arg-type]
