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
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from rehab.importer.coded import CodedColumn, encode
from rehab.importer.decode import decode_bytes
from rehab.importer.dialect import header_line, sniff_delimiter
from rehab.importer.headers import ColumnMap, resolve_headers
from rehab.importer.presets import LongLayout, Preset, match_preset
from rehab.importer.report import FileProblem, ImportOptions, IssueLog
from rehab.schema import PAIN, SPECS, header_lookup, normalise_header

if TYPE_CHECKING:
    from rehab.importer.parse import RawTable

__all__ = [
    "canonical_columns",
    "file_header",
    "header_fingerprint",
    "known_columns",
    "map_and_resolve",
    "parse_assignment",
]

SERIES_NAMES: Final = (
    "name",
    "type",
    "metric",
    "series",
    "category",
    "symptom",
    "measure",
    "measurement",
    "variable",
    "item",
)
VALUE_NAMES: Final = ("value", "amount", "rating", "severity", "score", "qty", "quantity", "level")
_SHOWN_SERIES: Final = 8


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


def known_columns(header: tuple[str, ...]) -> list[str | None]:
    """Return, for each header, the canonical column its name already means (either log)."""
    lookups = [header_lookup(spec) for spec in SPECS.values()]
    known: list[str | None] = []
    for text in header:
        key = normalise_header(text)
        known.append(next((lookup[key] for lookup in lookups if key in lookup), None))
    return known


@dataclass(frozen=True)
class _Plan:
    """What the mapping decided: names to resolve, headers to ignore quietly, notes."""

    names: list[str]
    quiet: set[str]
    notes: list[str]


def _find(header: tuple[str, ...], wanted: str) -> int | None:
    key = normalise_header(wanted)
    for position, text in enumerate(header):
        if normalise_header(text) == key:
            return position
    return None


def _user_mapping(header: tuple[str, ...], options: ImportOptions) -> list[tuple[str, str]]:
    mapping = list(options.mapping)
    fingerprint = header_fingerprint(header)
    for key, remembered in options.header_mappings:
        if key == fingerprint:
            mapping.extend(remembered)
    return mapping


def _apply_columns(header: tuple[str, ...], pairs: list[tuple[str, str]], plan: _Plan) -> list[str]:
    """Rename the mapped headers; return a note per header actually mapped."""
    applied: list[str] = []
    for source, target in pairs:
        position = _find(header, source)
        if position is None:
            continue
        plan.names[position] = target
        applied.append(f"'{header[position].strip()}' as {target}")
    return applied


def _ignore(header: tuple[str, ...], preset: Preset, plan: _Plan) -> list[str]:
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


def _long_positions(
    header: tuple[str, ...], options: ImportOptions, preset: Preset | None
) -> tuple[int, int]:
    if options.long_columns is not None:
        wanted = options.long_columns
    elif preset is not None and preset.long is not None:
        wanted = (preset.long.series, preset.long.value)
    else:
        series = next((h for h in header if normalise_header(h) in SERIES_NAMES), None)
        value = next((h for h in header if normalise_header(h) in VALUE_NAMES), None)
        if series is None or value is None:
            raise FileProblem(
                "long_columns",
                "This file was to be read as a long file, but it has no column naming the "
                "series (such as 'name' or 'type') or none holding the values (such as "
                "'value'). Say which: --long SERIES_COLUMN,VALUE_COLUMN.",
            )
        wanted = (series, value)
    positions = [_find(header, text) for text in wanted]
    missing = [text for text, position in zip(wanted, positions, strict=True) if position is None]
    if missing:
        raise FileProblem(
            "long_columns",
            f"This long file has no column {' or '.join(repr(m) for m in missing)}; "
            "check the names given to --long.",
        )
    series_at, value_at = positions
    assert series_at is not None
    assert value_at is not None
    return series_at, value_at


def _series_target(name: str, wanted: dict[str, str]) -> str | None:
    key = normalise_header(name)
    if wanted:
        return wanted.get(key)
    # Without a series mapping, a series named like a pain column (Pain, Back pain,
    # Pain level, NRS ...) is the pain score.
    return "pain" if header_lookup(PAIN).get(key) == "pain" else None


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


def _were(count: int) -> str:
    return "was" if count == 1 else "were"


def _tally(names: list[str], counts: np.ndarray, left: np.ndarray) -> tuple[int, str]:
    """Count the rows of the ``left`` values and list them, most rows first."""
    others = sorted(
        ((int(counts[i]), names[i].strip() or "(empty)") for i in np.flatnonzero(left)),
        key=lambda item: (-item[0], item[1]),
    )
    others = [item for item in others if item[0]]
    shown = ", ".join(f"{name} ({count})" for count, name in others[:_SHOWN_SERIES])
    more = " ..." if len(others) > _SHOWN_SERIES else ""
    return sum(count for count, _ in others), shown + more


def _left_out(names: list[str], counts: np.ndarray, chosen: np.ndarray) -> str:
    total, shown = _tally(names, counts, ~chosen)
    if not total:
        return ""
    return (
        f" {_rows(total)} of other series {_were(total)} left out: {shown}. To read "
        "one of them, map it (for example --series 'NAME=pain')."
    )


def _values(table: RawTable, position: int) -> tuple[CodedColumn, list[str], np.ndarray]:
    coded = encode(table.columns[position])
    names = [str(name) for name in coded.uniques.to_pylist()]
    counts = np.bincount(coded.codes, minlength=len(names)) if names else np.zeros(0, np.int64)
    return coded, names, counts


def _rows_of(table: RawTable, coded: CodedColumn, chosen: np.ndarray) -> np.ndarray:
    """Positions of the rows whose value is chosen, and of malformed rows (to be reported)."""
    keep_row = np.take(chosen, coded.codes) if len(chosen) else np.zeros(table.size, dtype=bool)
    keep_row[table.too_long] = True
    return np.flatnonzero(keep_row)


def _scope(table: RawTable, layout: LongLayout, plan: _Plan) -> RawTable:
    """Keep the rows of the layout's scope (Bearable: its Health measurements only)."""
    if layout.scope is None:
        return table
    column, wanted = layout.scope
    position = _find(table.header, column)
    if position is None:
        return table
    coded, names, counts = _values(table, position)
    inside = np.array([name.strip() == wanted for name in names], dtype=bool)
    total, shown = _tally(names, counts, ~inside)
    if total:
        plan.notes.append(
            f"Only the rows whose {column} is '{wanted}' can hold a pain score; "
            f"{_rows(total)} of other kinds {_were(total)} left out: {shown}. {layout.scope_note}"
        )
    return _take_rows(table, _rows_of(table, coded, inside))


def _reshape_long(
    table: RawTable, options: ImportOptions, preset: Preset | None, plan: _Plan
) -> RawTable:
    """Keep the rows of mapped series; the value column takes the series' canonical name."""
    series_at, value_at = _long_positions(table.header, options, preset)
    if preset is not None and preset.long is not None:
        table = _scope(table, preset.long, plan)
    wanted = {normalise_header(name): column for name, column in options.series}
    coded, names, counts = _values(table, series_at)
    targets = [_series_target(name, wanted) for name in names]
    chosen = np.array([target is not None for target in targets], dtype=bool)
    found = sorted({t for t in targets if t is not None})
    series_label = table.header[series_at].strip()
    if not found:
        listed = ", ".join(name.strip() for name in names[:_SHOWN_SERIES] if name.strip())
        raise FileProblem(
            "no_series",
            f"No series in column '{series_label}' is mapped to a column of rehab "
            f"(series found: {listed or 'none'}). Name the pain series, for example "
            "--series 'Back pain=pain', or choose it in the app.",
        )
    if len(found) > 1:
        raise FileProblem(
            "long_targets",
            "A long file is read one series column at a time, but the series were mapped to "
            f"{', '.join(found)}. Import it once per column.",
        )
    keep = _rows_of(table, coded, chosen)
    plan.names[value_at] = found[0]
    # The series column is not a column of the log, whatever its name (``name`` would
    # otherwise be read as the patient).
    plan.names[series_at] = f"series {series_label}"
    plan.quiet.add(plan.names[series_at])
    read = ", ".join(sorted({names[i].strip() for i in np.flatnonzero(chosen)}))
    read_rows = int(counts[chosen].sum())
    plan.notes.append(
        f"Read as a long file: '{series_label}' names the series and "
        f"'{table.header[value_at].strip()}' holds the values; {_rows(read_rows)} of {read} "
        f"{_were(read_rows)} read as {found[0]}." + _left_out(names, counts, chosen)
    )
    return _take_rows(table, keep)


def _take_rows(table: RawTable, keep: np.ndarray) -> RawTable:
    if len(keep) == table.size:
        return table
    indices = pa.array(keep, type=pa.int64())
    kept_long = np.isin(table.too_long, keep)
    return replace(
        table,
        columns=tuple(column.take(indices) for column in table.columns),
        rows=table.rows[keep],
        too_long=np.searchsorted(keep, table.too_long[kept_long]).astype(np.int64),
        extra=tuple(e for e, k in zip(table.extra, kept_long.tolist(), strict=True) if k),
    )


def _read_dates(table: RawTable, preset: Preset) -> RawTable:
    """Rewrite the app's own date format as ISO text; other cells stay as written.

    A cell that does not fit the format is left alone, so the date check reports it.
    """
    columns = list(table.columns)
    for text, pattern in preset.date_formats:
        position = _find(table.header, text)
        if position is None:
            continue
        cells = columns[position]
        parsed = pc.strptime(cells, format=pattern, unit="s", error_is_null=True)
        columns[position] = pc.if_else(
            pc.is_null(parsed), cells, pc.strftime(parsed, format="%Y-%m-%dT%H:%M")
        )
    return replace(table, columns=tuple(columns))


def _plan(table: RawTable, options: ImportOptions) -> tuple[RawTable, _Plan]:
    header = table.header
    plan = _Plan(names=list(header), quiet=set(), notes=[])
    preset = match_preset(header)
    if preset is not None:
        _apply_columns(header, list(preset.columns), plan)
        plan.notes.append(_preset_note(preset, _ignore(header, preset, plan)))
        table = _read_dates(table, preset)
    applied = _apply_columns(header, _user_mapping(header, options), plan)
    if applied:
        plan.notes.append("Columns read by your mapping: " + "; ".join(applied) + ".")
    if options.long_format or options.series or (preset is not None and preset.long is not None):
        table = _reshape_long(table, options, preset, plan)
    return table, plan


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
    table, plan = _plan(table, options)
    for note in plan.notes:
        issues.add("column_mapping", "warning", note)
    if not plan.quiet:
        return table, resolve_headers(tuple(plan.names), issues)
    # The mapping's own note names the columns it leaves unused: the per-column
    # "not part of a log" warnings for them would only repeat it.
    scratch = IssueLog()
    try:
        columns = resolve_headers(tuple(plan.names), scratch)
    finally:
        for issue in scratch.issues():
            if issue.code == "unknown_column" and any(f"'{q}'" in issue.message for q in plan.quiet):
                continue
            issues.add(issue.code, issue.severity, issue.message, column=issue.column)
    return table, columns
