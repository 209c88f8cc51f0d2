"""Column mapping: read files whose headers rehab does not know, without editing them.

Three sources, applied before the headers are matched to canonical columns:

- a preset, chosen when the header is exactly an app's export (:mod:`rehab.importer.presets`);
- the user's mapping, ``header -> column`` (``--map``; in the app, remembered per header);
- a long layout: one row per measurement, a series name in one column and its value in
  another (``--long``/``--series``). Only the rows of mapped series are read; the report
  says how many rows of which other series were left out.

The table keeps its headers as written (the rejected-rows file shows them); only the names
used to find the canonical columns change.
"""

from __future__ import annotations

import csv
import hashlib
from typing import TYPE_CHECKING

import pyarrow.compute as pc

from rehab.importer.decode import decode_bytes
from rehab.importer.dialect import header_line, sniff_delimiter
from rehab.importer.headers import ColumnMap, resolve_headers
from rehab.importer.longform import Plan, find_header, reshape_long
from rehab.importer.parse import parse_table
from rehab.importer.presets import Preset, match_preset
from rehab.importer.report import FileProblem, ImportOptions, IssueLog
from rehab.schema import SPECS, header_lookup, normalise_header

if TYPE_CHECKING:
    from rehab.importer.parse import RawTable

__all__ = [
    "canonical_columns",
    "file_header",
    "header_fingerprint",
    "known_columns",
    "map_and_resolve",
    "parse_assignment",
    "series_names",
]


def canonical_columns() -> tuple[str, ...]:
    """Every canonical column a header can be mapped to (both log kinds, in schema order)."""
    names: list[str] = []
    for spec in SPECS.values():
        names.extend(name for name in spec.names if name not in names)
    return tuple(names)


def parse_assignment(text: str) -> tuple[str, str]:
    """Split ``"How bad is your pain?=pain"`` at its last ``=`` into (header, column).

    Raises
    ------
    ValueError
        When there is no ``=``, either side is empty, or the column is not canonical.
    """
    source, sep, target = text.rpartition("=")
    source, target = source.strip(), target.strip()
    if not sep or not source or not target:
        raise ValueError(f"expected TEXT=column, got {text!r}")
    if target not in canonical_columns():
        known = ", ".join(canonical_columns())
        raise ValueError(f"{target!r} is not a column of rehab; use one of: {known}")
    return source, target


def header_fingerprint(header: tuple[str, ...]) -> str:
    """Return a short fingerprint of a header as written (BOM and outer spaces aside).

    Files with the same header share it: the app remembers a mapping under it.
    """
    cleaned = "\x1f".join(text.lstrip("\ufeff").strip() for text in header)
    return hashlib.blake2b(cleaned.encode(), digest_size=8).hexdigest()


def file_header(data: bytes) -> tuple[str, ...]:
    """Return a file's header as written (empty when the file is not readable text).

    The app shows it to let the user say which column is which.
    """
    try:
        line = header_line(decode_bytes(data).utf8)
    except FileProblem:
        return ()
    return tuple(next(csv.reader([line], delimiter=sniff_delimiter(line)), []))


def series_names(data: bytes, column: str, limit: int = 50) -> list[str]:
    """Return the series named in ``column`` of a long file, most rows first (at most ``limit``).

    The app offers them to choose which series is the pain score.
    """
    try:
        decoded = decode_bytes(data)
        table = parse_table(decoded, sniff_delimiter(header_line(decoded.utf8)))
    except (FileProblem, csv.Error):
        return []
    position = find_header(table.header, column)
    if position is None or not table.size:
        return []
    counted = pc.value_counts(pc.utf8_trim_whitespace(table.columns[position]))
    pairs = zip(counted.field("values").to_pylist(), counted.field("counts").to_pylist(), strict=True)
    ranked = sorted(((count, name) for name, count in pairs if name), key=lambda p: (-p[0], p[1]))
    return [name for _, name in ranked[:limit]]


def known_columns(header: tuple[str, ...]) -> list[str | None]:
    """Return, for each header, the canonical column its name already means (either log)."""
    lookups = [header_lookup(spec) for spec in SPECS.values()]
    known: list[str | None] = []
    for text in header:
        key = normalise_header(text)
        known.append(next((lookup[key] for lookup in lookups if key in lookup), None))
    return known


def _user_mapping(header: tuple[str, ...], options: ImportOptions) -> list[tuple[str, str]]:
    mapping = list(options.mapping)
    fingerprint = header_fingerprint(header)
    for key, remembered in options.header_mappings:
        if key == fingerprint:
            mapping.extend(remembered)
    return mapping


def _apply_columns(header: tuple[str, ...], pairs: list[tuple[str, str]], plan: Plan) -> list[str]:
    """Rename the mapped headers; return a note per header actually mapped."""
    applied: list[str] = []
    for source, target in pairs:
        position = find_header(header, source)
        if position is None:
            continue
        plan.names[position] = target
        applied.append(f"'{header[position].strip()}' as {target}")
    return applied


def _ignore(header: tuple[str, ...], preset: Preset, plan: Plan) -> list[str]:
    """Keep the preset's unused columns from matching a column by their name.

    Hevy's ``description`` (the workout's) must not become the session's notes.
    """
    unused: list[str] = []
    for position, text in enumerate(header):
        if text.lstrip("\ufeff").strip() in preset.ignored:
            plan.names[position] = f"unused {text.strip()}"
            plan.quiet.add(plan.names[position])
            unused.append(text.strip())
    return unused


def _preset_note(preset: Preset, unused: list[str]) -> str:
    unused_text = ", ".join(f"'{h}'" for h in unused)
    return f"Read as a {preset.app} export (preset '{preset.name}'). {preset.summary}" + (
        f" Not used: {unused_text}." if unused else ""
    )


def _remembered_long(header: tuple[str, ...], options: ImportOptions) -> ImportOptions | None:
    """Return the options of a long layout remembered for exactly this header, if any."""
    fingerprint = header_fingerprint(header)
    for key, columns, series in options.header_long:
        if key == fingerprint:
            return options.model_copy(
                update={"long_format": True, "long_columns": columns, "series": series}
            )
    return None


def _plan(table: RawTable, options: ImportOptions, plan: Plan) -> RawTable:
    header = table.header
    preset = match_preset(header)
    if preset is not None:
        _apply_columns(header, list(preset.columns), plan)
        plan.notes.append(_preset_note(preset, _ignore(header, preset, plan)))
    applied = _apply_columns(header, _user_mapping(header, options), plan)
    if applied:
        plan.notes.append("Columns read by your mapping: " + "; ".join(applied) + ".")
    remembered = _remembered_long(header, options)
    if remembered is not None:
        table = reshape_long(table, remembered, None, plan)
    elif preset is not None and preset.long is not None:
        table = reshape_long(table, options, preset, plan)
    elif options.long_format or options.series:
        try:
            table = reshape_long(table, options, preset, plan)
        except FileProblem as problem:
            if problem.code != "long_columns":
                raise
            # --long applies to a whole batch: a file without the long columns is read as
            # a log of its own (the session log beside a tracker's export), and the long
            # columns are only what is missing when it is not one.
            plan.deferred.append(problem)
    return table


def map_and_resolve(
    table: RawTable, options: ImportOptions, issues: IssueLog
) -> tuple[RawTable, ColumnMap]:
    """Apply presets, the user's mapping and a long layout, then match the headers.

    Returns the table to import (only the mapped series' rows for a long file) and where
    each canonical column sits. Files that need no mapping pass through unchanged.

    Raises
    ------
    FileProblem
        When the headers still describe no log, or a long file has no mapped series.
    """
    plan = Plan(names=list(table.header), quiet=set(), notes=[])
    try:
        table = _plan(table, options, plan)
    finally:
        # Said even when the file then cannot be used: which preset was tried, and why.
        for note in plan.notes:
            issues.add("column_mapping", "warning", note)
    try:
        return table, _resolve(plan, issues)
    except FileProblem as problem:
        if plan.deferred:
            raise plan.deferred[0] from None
        if problem.code == "unknown_kind" and _looks_like_a_form(table.header):
            issues.add("form_responses", "warning", _FORM_HINT)
        raise


# Google Forms, Microsoft Forms and most form builders start their response sheet with the
# time of the response, then one column per question.
_FORM_FIRST = frozenset({"timestamp", "completiontime", "starttime", "submittedat", "submissiondate"})
_FORM_HINT = (
    "This looks like a form's response sheet (a time stamp, then one column per question). "
    "Say which question is which column: --map 'How bad is your back pain right now?=pain' "
    "on the command line, or the column choice in the app."
)


def _looks_like_a_form(header: tuple[str, ...]) -> bool:
    return bool(header) and normalise_header(header[0]) in _FORM_FIRST and len(header) > 1


def _resolve(plan: Plan, issues: IssueLog) -> ColumnMap:
    if not plan.quiet:
        return resolve_headers(tuple(plan.names), issues)
    # The mapping's own note names the columns it leaves unused: the per-column
    # "not part of a log" warnings for them would only repeat it.
    scratch = IssueLog()
    try:
        return resolve_headers(tuple(plan.names), scratch)
    finally:
        for issue in scratch.issues():
            if issue.code == "unknown_column" and any(f"'{q}'" in issue.message for q in plan.quiet):
                continue
            issues.add(issue.code, issue.severity, issue.message, column=issue.column)
