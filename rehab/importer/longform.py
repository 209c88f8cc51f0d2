"""Long files: one row per measurement, a series name in one column and its value in another.

Health trackers and their converters write this layout (``type,value,unit,start_date``).
Only the rows of mapped series are read; the report counts, by name, the rows of every
series (and, for a preset with a scope, every category) it left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Final

import numpy as np
import pyarrow as pa

from rehab.importer.coded import CodedColumn, encode
from rehab.importer.messages import plural
from rehab.importer.report import FileProblem, ImportOptions
from rehab.schema import PAIN, header_lookup, normalise_header

if TYPE_CHECKING:
    from rehab.importer.parse import RawTable
    from rehab.importer.presets import LongLayout, Preset

__all__ = ["Plan", "find_header", "reshape_long"]

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


@dataclass(frozen=True)
class Plan:
    """What the mapping decided: names to resolve, headers to ignore quietly, notes.

    ``names`` holds, per header position, the name the header matching will see.
    """

    names: list[str]
    quiet: set[str]
    notes: list[str]
    # A problem to raise only if the file turns out not to be a log by itself.
    deferred: list[FileProblem] = field(default_factory=list)


def find_header(header: tuple[str, ...], wanted: str) -> int | None:
    """Return the position of the header that means ``wanted`` (case and punctuation aside)."""
    key = normalise_header(wanted)
    for position, text in enumerate(header):
        if normalise_header(text) == key:
            return position
    return None


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
    positions = [find_header(header, text) for text in wanted]
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
        f" {plural(total, 'row')} of other series {_were(total)} left out: {shown}. To read "
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


def _scope(table: RawTable, layout: LongLayout, plan: Plan) -> RawTable:
    """Keep the rows of the layout's scope (Bearable: its Health measurements only)."""
    if layout.scope is None:
        return table
    column, wanted = layout.scope
    position = find_header(table.header, column)
    if position is None:
        return table
    coded, names, counts = _values(table, position)
    inside = np.array([name.strip() == wanted for name in names], dtype=bool)
    total, shown = _tally(names, counts, ~inside)
    if total:
        plan.notes.append(
            f"Only the rows whose {column} is '{wanted}' can hold a pain score; "
            f"{plural(total, 'row')} of other kinds {_were(total)} left out: {shown}. "
            f"{layout.scope_note}"
        )
    return _take_rows(table, _rows_of(table, coded, inside))


def reshape_long(table: RawTable, options: ImportOptions, preset: Preset | None, plan: Plan) -> RawTable:
    """Keep the rows of mapped series; the value column takes the series' canonical name.

    Raises
    ------
    FileProblem
        When the series or value column is missing, no series is mapped, or the series
        are mapped to more than one column.
    """
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
        f"'{table.header[value_at].strip()}' holds the values; {plural(read_rows, 'row')} of {read} "
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
