"""Header -> canonical column, and which kind of log the file is."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from rehab.importer.issuelog import cut_text
from rehab.importer.report import FileProblem, IssueLog, Severity
from rehab.importer.validate import remembered_headers
from rehab.schema import PAIN, SESSIONS, SPECS, LogKind, header_lookup
from rehab.schema import normalise_header as _normalise

# Many files of an upload share their headers: each header's key is worked out once (two
# regex passes, asked three times per header and file). Long headers are not kept.
_KEPT_HEADER_CHARS: Final = 200
_known_keys = lru_cache(maxsize=1024)(_normalise)


def normalise_header(header: str) -> str:
    """Return the matching key of ``header`` (see :func:`rehab.schema.normalise_header`)."""
    return _known_keys(header) if len(header) <= _KEPT_HEADER_CHARS else _normalise(header)


__all__ = ["GENERIC_IDS", "PERSON_HEADERS", "ColumnMap", "detect_kind", "resolve_headers"]

# When two headers mean the same column, the more specific one wins (lower rank; ties keep
# the first): `Patient ID` over a person's name or e-mail over a bare `ID` (often a form's
# response number); an exercise's name over its id or code.
PERSON_HEADERS: Final = frozenset(
    {
        "name",
        "fullname",
        "athlete",
        "athletename",
        "clientname",
        "user",
        "username",
        "email",
        "emailaddress",
        "patientname",
    }
)
GENERIC_IDS: Final = frozenset({"id", "userid"})
_RANKS: Final[dict[str, dict[str, int]]] = {
    "patient_id": {
        **dict.fromkeys(PERSON_HEADERS - {"patientname", "email", "emailaddress"}, 1),
        "email": 2,
        "emailaddress": 2,
        **dict.fromkeys(GENERIC_IDS, 3),
    },
    "exercise": {"exerciseid": 1, "exercisecode": 1},
}
# Headers of people's names that are not read as a patient on their own.
_NAME_PARTS: Final = frozenset(
    {
        "firstname",
        "lastname",
        "surname",
        "givenname",
        "familyname",
        "forename",
        "middlename",
        "nickname",
        "displayname",
        "respondent",
        "respondentname",
        "person",
        "personname",
    }
)


@dataclass(frozen=True)
class ColumnMap:
    """Where each canonical column sits in the file, and the headers left unused."""

    kind: LogKind
    positions: dict[str, int]
    unnamed: tuple[int, ...]


def _describe(header: tuple[str, ...]) -> str:
    named = [f"'{cut_text(h.strip())}'" for h in header if h.strip()]
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


def _rank(canonical: str, key: str) -> int:
    return _RANKS.get(canonical, {}).get(key, 0)


def _warn_replaced(canonical: str, kept: str, dropped: str, issues: IssueLog) -> None:
    issues.add(
        "duplicate_column",
        "warning",
        f"Columns '{kept}' and '{dropped}' both mean {canonical}; '{kept}' was read as the more "
        f"specific one and '{dropped}' was ignored.",
        column=canonical,
    )


def _warn_person_columns(header: tuple[str, ...], positions: dict[str, int], issues: IssueLog) -> None:
    """Warn when people's names sit in a file without a patient column (one merged patient)."""
    if "patient_id" in positions:
        return
    names = [cut_text(h.strip()) for h in header if normalise_header(h) in _NAME_PARTS]
    if names:
        listed = ", ".join(f"'{n}'" for n in names)
        issues.add(
            "person_columns",
            "warning",
            f"{'Column' if len(names) == 1 else 'Columns'} {listed} "
            f"{'looks' if len(names) == 1 else 'look'} like people's names, but the file has no "
            "patient column, "
            "so every row was given to one patient (named after the file). If the file holds "
            "more than one person, add a patient_id column (or map one of these columns to "
            "patient_id) and import it again.",
            column="patient_id",
        )


class _Recorder(IssueLog):
    """An issue log that also keeps the calls made to :meth:`add`, to make them again."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, Severity, str, str | None]] = []

    def add(self, code: str, severity: Severity, message: str, *, column: str | None = None) -> None:
        """Record the call (see :meth:`IssueLog.add`)."""
        self.calls.append((code, severity, message, column))


# The files of an upload share a few headers: each header is matched once, and the issues
# its matching raised are raised again, call for call, for every later file with that
# header. Remembered for one upload only, like its value checks (a file without a header
# row has a row of data in its place); for headers of a readable size; cleared when full.
# The map, or the problem as (code, message, kind): an exception would keep its traceback.
_Problem = tuple[str, str, LogKind | None]
_Resolved = tuple[ColumnMap | _Problem, tuple[tuple[str, Severity, str, str | None], ...]]
_RESOLVED_HEADERS: Final = 64
_RESOLVED_CHARS: Final = 4096


def resolve_headers(header: tuple[str, ...], issues: IssueLog) -> ColumnMap:
    """Match each header to its canonical column and report the ones that do not fit.

    When two headers mean the same column the more specific wins (``Patient ID`` over
    ``ID``, ``Exercise Name`` over ``Exercise ID``); otherwise the first is kept. Unknown
    headers are ignored with a warning. Headers that are blank are returned in ``unnamed``
    so the caller can ignore them quietly when their column is empty too.

    Raises
    ------
    FileProblem
        ``unknown_kind`` or ``no_date_column``.
    """
    memory = remembered_headers()
    if memory is None or sum(len(text) for text in header) > _RESOLVED_CHARS:
        return _resolve_headers(header, issues)
    found: _Resolved | None = memory.get(header)
    if found is None:
        recorder = _Recorder()
        outcome: ColumnMap | _Problem
        try:
            outcome = _resolve_headers(header, recorder)
        except FileProblem as problem:
            outcome = (problem.code, problem.message, problem.kind)
        found = (outcome, tuple(recorder.calls))
        if len(memory) >= _RESOLVED_HEADERS:
            memory.clear()
        memory[header] = found
    outcome, calls = found
    for code, severity, message, column in calls:
        issues.add(code, severity, message, column=column)
    if not isinstance(outcome, ColumnMap):
        code, message, kind = outcome
        raise FileProblem(code, message, kind=kind)
    # A new map each time: a caller may change its positions.
    return ColumnMap(kind=outcome.kind, positions=dict(outcome.positions), unnamed=outcome.unnamed)


def _resolve_headers(header: tuple[str, ...], issues: IssueLog) -> ColumnMap:
    kind = detect_kind(header)
    lookup = header_lookup(SPECS[kind])
    positions: dict[str, int] = {}
    unnamed: list[int] = []
    for position, text in enumerate(header):
        # Quoted in messages: cut to a readable length (one header was 1 MB, issue 10).
        label = cut_text(text.strip())
        key = normalise_header(text)
        canonical = lookup.get(key)
        if not label:
            unnamed.append(position)
        elif canonical is None:
            issues.add(
                "unknown_column",
                "warning",
                f"Column '{label}' is not part of a {SPECS[kind].title.lower()}; it was ignored.",
            )
        elif canonical not in positions:
            positions[canonical] = position
        else:
            first = cut_text(header[positions[canonical]].strip())
            first_key = normalise_header(header[positions[canonical]])
            if _rank(canonical, key) < _rank(canonical, first_key):
                positions[canonical] = position
                _warn_replaced(canonical, label, first, issues)
            elif _rank(canonical, key) > _rank(canonical, first_key):
                _warn_replaced(canonical, first, label, issues)
            else:
                issues.add(
                    "duplicate_column",
                    "warning",
                    f"Column '{label}' means {canonical} again (after '{first}'); only the first "
                    "one was read.",
                    column=canonical,
                )
    if "date" not in positions:
        raise FileProblem(
            "no_date_column",
            f"This {SPECS[kind].title.lower()} has no date column; every row needs a date "
            "(a column called Date, Day or Timestamp).",
            kind=kind,
        )
    _warn_person_columns(header, positions, issues)
    return ColumnMap(kind=kind, positions=positions, unnamed=tuple(unnamed))
