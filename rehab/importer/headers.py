"""Header -> canonical column, and which kind of log the file is."""

from __future__ import annotations

from dataclasses import dataclass

from rehab.importer.report import FileProblem, IssueLog
from rehab.schema import PAIN, SESSIONS, SPECS, LogKind, header_lookup, normalise_header

__all__ = ["ColumnMap", "detect_kind", "resolve_headers"]


@dataclass(frozen=True)
class ColumnMap:
    """Where each canonical column sits in the file, and the headers left unused."""

    kind: LogKind
    positions: dict[str, int]
    unnamed: tuple[int, ...]


def _describe(header: tuple[str, ...]) -> str:
    named = [f"'{h.strip()}'" for h in header if h.strip()]
    return ", ".join(named[:12]) + (" ..." if len(named) > 12 else "") if named else "none"


def detect_kind(header: tuple[str, ...]) -> LogKind:
    """Return the kind of log the headers describe: an exercise column makes a session log.

    Raises
    ------
    FileProblem
        ``unknown_kind`` when there is neither an exercise nor a pain column.
    """
    keys = {normalise_header(h) for h in header}
    if "exercise" in {header_lookup(SESSIONS).get(key) for key in keys}:
        return "sessions"
    if "pain" in {header_lookup(PAIN).get(key) for key in keys}:
        return "pain"
    raise FileProblem(
        "unknown_kind",
        "This file is neither a session log (it needs an exercise column) nor a pain log "
        f"(it needs a pain column). Columns found: {_describe(header)}.",
    )


def resolve_headers(header: tuple[str, ...], issues: IssueLog) -> ColumnMap:
    """Match each header to its canonical column and report the ones that do not fit.

    Duplicate headers (two that mean the same column) keep the first; unknown headers are
    ignored with a warning. Headers that are blank are returned in ``unnamed`` so the
    caller can ignore them quietly when their column is empty too.
    """
    kind = detect_kind(header)
    lookup = header_lookup(SPECS[kind])
    positions: dict[str, int] = {}
    unnamed: list[int] = []
    for position, text in enumerate(header):
        label = text.strip()
        canonical = lookup.get(normalise_header(text))
        if not label:
            unnamed.append(position)
        elif canonical is None:
            issues.add(
                "unknown_column",
                "warning",
                f"Column '{label}' is not part of a {SPECS[kind].title.lower()}; it was ignored.",
            )
        elif canonical in positions:
            first = header[positions[canonical]].strip()
            issues.add(
                "duplicate_column",
                "warning",
                f"Column '{label}' means {canonical} again (after '{first}'); only the first "
                "one was read.",
                column=canonical,
            )
        else:
            positions[canonical] = position
    if "date" not in positions:
        raise FileProblem(
            "no_date_column",
            f"This {SPECS[kind].title.lower()} has no date column; every row needs a date "
            "(a column called Date, Day or Timestamp).",
            kind=kind,
        )
    return ColumnMap(kind=kind, positions=positions, unnamed=tuple(unnamed))
