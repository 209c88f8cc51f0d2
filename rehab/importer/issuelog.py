"""Issues kept as columns and grouped: one issue names many rows, and the report is capped.

A file of one row repeated a million times, or with every cell invalid, must not cost a
Python object per row. :class:`IssueLog` keeps, per batch (one code, one column), the row
numbers as an integer array and a small table of distinct messages with, per row, the index
of its message. Only the issues that reach the report become objects: one per distinct
message (naming all its rows as ranges), at most :data:`ISSUES_PER_KIND` of them per code and
column, then one closing issue that counts the rest and still names their rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ISSUES_PER_KIND",
    "ImportIssue",
    "IssueLog",
    "Severity",
    "cut_text",
    "row_ranges",
]

Severity = Literal["error", "warning"]
IntArray = npt.NDArray[np.int64]
ObjArray = npt.NDArray[np.object_]

# Issues listed per (code, column) before the rest are counted in one closing issue.
ISSUES_PER_KIND: Final = 50
# Ranges written in an issue's ``rows`` before "and N more rows" (the full list of rejected
# rows is FileReport.rejected_rows and the rejected-rows download).
_RANGES_SHOWN: Final = 20
# No message is longer than this, whatever a file holds (values are quoted at ~40 chars).
_MESSAGE_CHARS: Final = 600


class ImportIssue(BaseModel):
    """One thing worth telling the user, with the spreadsheet rows it is about."""

    model_config = ConfigDict(frozen=True)

    row: int | None = Field(
        description="First row it is about, as a spreadsheet shows it; null: the whole file."
    )
    column: str | None = Field(description="Canonical column name; null when not about one column.")
    code: str
    severity: Severity
    message: str
    count: int = Field(1, description="How many rows the issue is about (one issue, many rows).")
    rows: str | None = Field(
        None,
        description=(
            "The rows as ranges ('3-1000001, 1000004') when there is more than one; at most "
            f"{_RANGES_SHOWN} ranges, then 'and N more rows'."
        ),
    )

    def row_numbers(self) -> list[int]:
        """Every row the issue names (all of them unless ``rows`` ends in 'more rows')."""
        if self.rows is None:
            return [] if self.row is None else [self.row]
        numbers: list[int] = []
        for part in self.rows.split(" and ")[0].split(", "):
            first, _, last = part.partition("-")
            numbers.extend(range(int(first), int(last or first) + 1))
        return numbers


def cut_text(text: str, limit: int = 60) -> str:
    """Return ``text`` cut to ``limit`` characters with an ellipsis when longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _ranges(rows: IntArray) -> tuple[IntArray, IntArray]:
    """Return the starts and ends of the runs of consecutive numbers in sorted, distinct ``rows``."""
    breaks = np.flatnonzero(np.diff(rows) != 1)
    starts = rows[np.r_[0, breaks + 1]]
    ends = rows[np.r_[breaks, len(rows) - 1]]
    return starts, ends


def row_ranges(rows: IntArray, limit: int | None = None, *, grouped: bool = False) -> str:
    """``"3-7, 9, 12-20"`` for sorted distinct rows; ``limit`` ranges then "and N more rows".

    ``grouped`` writes thousands with commas for a sentence ("rows 2-1,000,001").
    """
    if len(rows) == 0:
        return ""
    starts, ends = _ranges(np.asarray(rows, dtype=np.int64))
    shown = len(starts) if limit is None else min(limit, len(starts))
    number = "{:,}" if grouped else "{}"
    parts = [
        number.format(s) if s == e else f"{number.format(s)}-{number.format(e)}"
        for s, e in zip(starts[:shown].tolist(), ends[:shown].tolist(), strict=True)
    ]
    text = ", ".join(parts)
    if shown < len(starts):
        more = int((ends[shown:] - starts[shown:] + 1).sum())
        text += f" and {more:,} more rows"
    return text


def _distinct(rows: IntArray) -> IntArray:
    """Return ``rows`` sorted, each once (a sort: faster than hashing for row numbers)."""
    ordered = np.sort(rows)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


@dataclass(frozen=True)
class _Batch:
    """One code and column: rows, and per row the index of its message in ``texts``."""

    rows: IntArray
    keys: IntArray
    texts: ObjArray
    column: str | None
    code: str
    severity: Severity


@dataclass(frozen=True)
class _Groups:
    """Every (batch, message) group: its batch, key, first row and size."""

    batch: IntArray
    key: IntArray
    first: IntArray
    size: IntArray


class IssueLog:
    """Collects issues in batches (one batch = one column, one code, many rows).

    Rows and message indexes stay arrays until :meth:`issues` builds the (capped, grouped)
    report, so a million bad rows cost arrays, not a million objects.
    """

    def __init__(self, per_kind: int = ISSUES_PER_KIND) -> None:
        self._batches: list[_Batch] = []
        self._by_key: dict[int, tuple[IntArray, IntArray]] = {}
        self.per_kind = per_kind

    def add(self, code: str, severity: Severity, message: str, *, column: str | None = None) -> None:
        """Record a file-level issue (or any issue about no particular row)."""
        self.add_rows(np.array([-1], dtype=np.int64), code, severity, message, column=column)

    def add_rows(
        self,
        rows: IntArray,
        code: str,
        severity: Severity,
        messages: str | Any,
        *,
        column: str | None = None,
    ) -> None:
        """Record an issue for each row; ``messages`` is one text for all or one per row."""
        if len(rows) == 0:
            return
        if isinstance(messages, str):
            keys = np.zeros(len(rows), dtype=np.int64)
            texts = np.array([messages], dtype=object)
        else:
            codes, uniques = pd.factorize(np.asarray(messages, dtype=object))
            keys, texts = codes.astype(np.int64), np.asarray(uniques, dtype=object)
        self.add_keyed(rows, keys, texts, code, severity, column=column)

    def add_keyed(
        self,
        rows: IntArray,
        keys: IntArray,
        texts: ObjArray,
        code: str,
        severity: Severity,
        *,
        column: str | None = None,
    ) -> None:
        """Record an issue for each row, its message being ``texts[keys[i]]`` (no copies)."""
        if len(rows) == 0:
            return
        batch = _Batch(
            np.asarray(rows, dtype=np.int64),
            np.asarray(keys, dtype=np.int64),
            np.asarray(texts, dtype=object),
            column,
            code,
            severity,
        )
        self._batches.append(batch)

    def _kinds(self) -> IntArray:
        """Return each batch's kind: its (code, column), numbered in order of first appearance.

        As ``pandas.factorize`` numbers them, without building a Series for a few batches.
        """
        numbers: dict[tuple[str, str | None], int] = {}
        kinds = [numbers.setdefault((b.code, b.column), len(numbers)) for b in self._batches]
        return np.asarray(kinds, dtype=np.int64)

    def _groups(self) -> _Groups:
        parts: list[tuple[IntArray, IntArray, IntArray, IntArray]] = []
        for index, batch in enumerate(self._batches):
            first = np.full(len(batch.texts), np.iinfo(np.int64).max, dtype=np.int64)
            np.minimum.at(first, batch.keys, batch.rows)
            size = np.bincount(batch.keys, minlength=len(batch.texts)).astype(np.int64)
            used = np.flatnonzero(size)
            parts.append((np.full(len(used), index, dtype=np.int64), used, first[used], size[used]))
        if not parts:
            empty = np.zeros(0, dtype=np.int64)
            return _Groups(empty, empty, empty, empty)
        batch_ids, keys, firsts, sizes = (np.concatenate(column) for column in zip(*parts, strict=True))
        return _Groups(batch_ids, keys, firsts, sizes)

    def _rows_of(self, batch: int, wanted: npt.NDArray[np.bool_]) -> IntArray:
        """Sorted distinct rows of ``batch`` whose message key is marked in ``wanted``."""
        data = self._batches[batch]
        rows = data.rows[wanted[data.keys]]
        return _distinct(rows[rows >= 0])

    def _rows_of_key(self, batch: int, key: int) -> IntArray:
        """Sorted distinct rows of one message of ``batch`` (an index built once per batch)."""
        if batch not in self._by_key:
            data = self._batches[batch]
            # Few messages: 16-bit keys let numpy's stable sort run as a radix sort (5x faster).
            keys = data.keys.astype(np.uint16) if len(data.texts) <= 1 << 16 else data.keys
            order = np.argsort(keys, kind="stable")
            bounds = np.r_[0, np.cumsum(np.bincount(data.keys, minlength=len(data.texts)))]
            self._by_key[batch] = (order, bounds)
        order, bounds = self._by_key[batch]
        rows = self._batches[batch].rows[order[bounds[key] : bounds[key + 1]]]
        return _distinct(rows[rows >= 0])

    def _issue(self, batch: int, rows: IntArray, message: str, count: int) -> ImportIssue:
        data = self._batches[batch]
        # model_construct: the fields are built here from trusted values.
        return ImportIssue.model_construct(
            row=int(rows[0]) if len(rows) else None,
            column=data.column,
            code=data.code,
            severity=data.severity,
            message=cut_text(str(message), _MESSAGE_CHARS),
            count=count,
            rows=row_ranges(rows, _RANGES_SHOWN) if len(rows) > 1 else None,
        )

    def issues(self) -> list[ImportIssue]:
        """Return the grouped issues, file-level ones first, then by first row.

        One issue per distinct message of a batch; beyond :attr:`per_kind` issues of one code
        and column, one closing issue counts the rest and names their rows.
        """
        if not self._batches:
            return []
        groups = self._groups()
        kinds = self._kinds()
        order = np.lexsort((groups.batch, groups.first, kinds[groups.batch]))
        kind_of = kinds[groups.batch[order]]
        starts = np.r_[0, np.flatnonzero(np.diff(kind_of)) + 1]
        rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
        listed = order[rank < self.per_kind]
        found: list[tuple[int, int, ImportIssue]] = []
        for g in listed.tolist():
            batch, key = int(groups.batch[g]), int(groups.key[g])
            rows = self._rows_of_key(batch, key)
            text = self._batches[batch].texts[key]
            issue = self._issue(batch, rows, text, int(groups.size[g]))
            found.append((int(groups.first[g]), batch, issue))
        rest = order[rank >= self.per_kind]
        found.extend(self._closing(groups, rest, kinds[groups.batch[rest]]))
        found.sort(key=lambda item: (item[0], item[1]))
        return [issue for _, _, issue in found]

    def _closing(
        self, groups: _Groups, rest: IntArray, kinds: IntArray
    ) -> list[tuple[int, int, ImportIssue]]:
        """One issue per (code, column) for the groups past the cap, naming all their rows."""
        closing = []
        for kind in np.unique(kinds).tolist():
            picked = rest[kinds == kind]
            row_parts = []
            for batch in np.unique(groups.batch[picked]).tolist():
                wanted = np.zeros(len(self._batches[batch].texts), dtype=bool)
                wanted[groups.key[picked[groups.batch[picked] == batch]]] = True
                row_parts.append(self._rows_of(batch, wanted))
            rows = _distinct(np.concatenate(row_parts))
            count = int(groups.size[picked].sum())
            where = f" ({'row' if len(rows) == 1 else 'rows'} {row_ranges(rows, 5, grouped=True)})"
            message = (
                f"And {len(picked):,} more like the ones above{where if len(rows) else ''}, not "
                "listed one by one to keep the report readable."
            )
            first_batch = int(groups.batch[picked[0]])
            issue = self._issue(first_batch, rows, message, count)
            closing.append((int(groups.first[picked].min()), first_batch, issue))
        return closing

    @property
    def cut(self) -> int:
        """How many distinct issues :meth:`issues` folds into closing issues."""
        groups = self._groups()
        if not len(groups.batch):
            return 0
        counts = np.bincount(self._kinds()[groups.batch])
        return int(np.maximum(counts - self.per_kind, 0).sum())

    def problems_by_row(self, rows: IntArray) -> ObjArray:
        """Return, for each of ``rows``, its error messages joined into one text."""
        rows = np.asarray(rows, dtype=np.int64)
        out = np.full(len(rows), "", dtype=object)
        errors = [b for b in self._batches if b.severity == "error"]
        if not errors or not len(rows):
            return out
        at = np.concatenate([b.rows for b in errors])
        order_key = np.concatenate([np.full(len(b.rows), i) for i, b in enumerate(errors)])
        # Each message as an index into every batch's texts: rows share few distinct
        # messages, so the joined texts are built once per distinct combination.
        words = np.concatenate([b.texts for b in errors])
        starts = np.cumsum([0] + [len(b.texts) for b in errors])
        texts = np.concatenate([b.keys + start for b, start in zip(errors, starts, strict=False)])
        keep = np.isin(at, rows)
        at, order_key, texts = at[keep], order_key[keep], texts[keep]
        order = np.lexsort((order_key, at))
        at, texts = at[order], texts[order]
        unique, first, counts = np.unique(at, return_index=True, return_counts=True)
        joined = _joined(words, texts, first, counts)
        where = np.searchsorted(unique, rows)
        found = (where < len(unique)) & (unique[np.minimum(where, len(unique) - 1)] == rows)
        out[found] = joined[where[found]]
        return out


def _joined(words: ObjArray, keys: IntArray, first: IntArray, counts: IntArray) -> ObjArray:
    """Join each row's messages (``words[keys]`` from ``first``, ``counts`` of them) with "; "."""
    code = np.asarray(keys[first], dtype=np.int64)
    texts = words
    for extra in range(1, int(counts.max())):
        more = np.flatnonzero(counts > extra)
        pair = code[more] * len(words) + keys[first[more] + extra]
        distinct, inverse = np.unique(pair, return_inverse=True)
        added = texts[distinct // len(words)] + "; " + words[distinct % len(words)]
        code[more] = len(texts) + inverse.reshape(-1)
        texts = np.concatenate([texts, added])
    return np.asarray(texts[code], dtype=object)
