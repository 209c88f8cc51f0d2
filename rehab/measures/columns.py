"""A measures log's header: which column is which, and whether a file is one at all.

A measures log is recognised by a ``measure`` column beside item answers (``item_1`` ...)
or a ``score`` column, and no exercise column (a session log keeps its kind). Patient,
date and time-zone columns take the same names as in the session and pain logs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from rehab.importer.issuelog import cut_text
from rehab.importer.presets import match_preset
from rehab.importer.report import FileProblem
from rehab.schema import PAIN, SESSIONS, header_lookup, normalise_header

if TYPE_CHECKING:
    from rehab.importer.report import ImportOptions, IssueLog

__all__ = [
    "MAX_ITEMS",
    "MEASURE_HEADERS",
    "MeasureColumns",
    "looks_like_measures",
    "resolve_measure_headers",
]

# Roland-Morris has the most items.
MAX_ITEMS: Final = 24
MEASURE_HEADERS: Final[dict[str, tuple[str, ...]]] = {
    "measure": (
        "measure",
        "measure id",
        "measure name",
        "outcome measure",
        "questionnaire",
        "questionnaire name",
        "instrument",
        "tool",
    ),
    "version": ("version", "form version", "measure version", "questionnaire version"),
    "score": ("score", "total", "total score", "raw score", "sum score"),
    "subscale": (
        "subscale",
        "distress",
        "distress subscale",
        "distress score",
        "psychosocial subscale",
        "subscore",
        "sub score",
    ),
}
_SHARED: Final = ("patient_id", "date", "timezone")
_ITEM: Final = re.compile(r"^(?:item|q|question|section|answer|rating)(\d{1,2})$")


def _lookup() -> dict[str, str]:
    lookup = {key: name for key, name in header_lookup(PAIN).items() if name in _SHARED}
    for name, aliases in MEASURE_HEADERS.items():
        for alias in aliases:
            lookup.setdefault(normalise_header(alias), name)
    return lookup


_LOOKUP: Final = _lookup()


def _canonical(header: str) -> str | None:
    key = normalise_header(header)
    match = _ITEM.match(key)
    if match and 1 <= int(match.group(1)) <= MAX_ITEMS:
        return f"item_{int(match.group(1))}"
    return _LOOKUP.get(key)


def looks_like_measures(header: tuple[str, ...], options: ImportOptions) -> bool:
    """Tell whether ``header`` is a measures log's: a measure column, answers or a score.

    Long files (``--long``), app presets and session logs keep their own way in, so a file
    that imported before this kind existed imports as it did.
    """
    if options.long_format or options.series or options.header_long or match_preset(header):
        return False
    names = {_canonical(text) for text in header}
    keys = {normalise_header(text) for text in header}
    if "exercise" in {header_lookup(SESSIONS).get(key) for key in keys}:
        return False
    has_answers = "score" in names or any(n and n.startswith("item_") for n in names)
    return "measure" in names and has_answers


@dataclass(frozen=True)
class MeasureColumns:
    """Where each canonical column sits; ``items`` maps an item number to its position."""

    positions: dict[str, int]
    items: dict[int, int]


def resolve_measure_headers(header: tuple[str, ...], issues: IssueLog) -> MeasureColumns:
    """Match a measures log's headers; warn about unknown and repeated ones.

    Raises
    ------
    FileProblem
        ``no_date_column`` when no column holds the date.
    """
    positions: dict[str, int] = {}
    for position, text in enumerate(header):
        label = cut_text(text.strip())
        name = _canonical(text)
        if not label:
            continue
        if name is None:
            issues.add(
                "unknown_column",
                "warning",
                f"Column '{label}' is not part of a measures log; it was ignored.",
            )
        elif name in positions:
            first = cut_text(header[positions[name]].strip())
            issues.add(
                "duplicate_column",
                "warning",
                f"Column '{label}' means {name} again (after '{first}'); only the first one was read.",
                column=name,
            )
        else:
            positions[name] = position
    if "date" not in positions:
        raise FileProblem(
            "no_date_column",
            "This measures log has no date column; every row needs a date (a column called "
            "Date, Day or Timestamp).",
        )
    items = {int(n[5:]): p for n, p in positions.items() if n.startswith("item_")}
    return MeasureColumns(positions=positions, items=items)
