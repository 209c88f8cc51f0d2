"""Plain-language pieces for flag messages: short dates, counts and pain values."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date


def short_date(day: date) -> str:
    """Write a day as people do in a note: ``3 Oct``."""
    return f"{day.day} {day:%b}"


def date_list(days: Sequence[date], limit: int = 3) -> str:
    """List days in order (``1 Oct, 2 Oct and 4 Oct``); beyond ``limit``, a count and the latest.

    >>> from datetime import date
    >>> date_list([date(2026, 10, 1), date(2026, 10, 3)])
    '1 Oct and 3 Oct'
    >>> date_list([date(2026, 10, d) for d in range(1, 6)])
    '5 days, most recently 3 Oct, 4 Oct and 5 Oct'
    """
    ordered = sorted(set(days))
    if not ordered:
        return ""
    shown = [short_date(day) for day in ordered[-limit:]]
    joined = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
    if len(ordered) > limit:
        return f"{len(ordered)} days, most recently {joined}"
    return joined


def pain_value(value: float) -> str:
    """Write a pain value with at most one decimal: ``7``, ``6.5``."""
    return f"{round(value, 1):g}"


def points(value: float) -> str:
    """Write a change in pain: ``1 point``, ``2.5 points``."""
    text = pain_value(value)
    return f"{text} point" if text == "1" else f"{text} points"


def signed(value: float) -> str:
    """Write a change in pain with its sign: ``+2``, ``+0.5``, ``−0.2`` (a real minus), ``0``.

    >>> signed(2.0), signed(-0.2), signed(0.04)
    ('+2', '−0.2', '0')
    """
    text = pain_value(abs(value))
    if text == "0":
        return "0"
    return f"+{text}" if value > 0 else f"\N{MINUS SIGN}{text}"
