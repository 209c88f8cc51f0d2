"""Words shared by the importer and the analysis, in a leaf module that imports nothing.

The importer must not load the analysis engine for a plural, so the one copy lives here.
"""

from __future__ import annotations

__all__ = ["plural"]


def plural(count: int, noun: str) -> str:
    """Count a noun: ``1 row``, ``2 days``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
