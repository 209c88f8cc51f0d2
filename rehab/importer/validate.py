"""Value checks, one per column type, run on distinct values (see :mod:`.coded`).

Each check returns, per distinct text: the parsed value, whether the cell is empty, and
an error code with a message that names the column and, briefly, the value.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from rehab.importer.messages import INVISIBLE, compose, shown, to_objects
from rehab.importer.times import parse_times
from rehab.schema import FALSE_WORDS, TRUE_WORDS, ColumnSpec

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from rehab.library import ExerciseLibrary

__all__ = [
    "Checked",
    "check_exercise",
    "check_flag",
    "check_number",
    "check_text",
    "check_time",
    "checks_remembered",
]

_NUMBER_RE: Final = r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$"
_NON_ALNUM_RE: Final = r"[^0-9a-z]+"

BoolArray = npt.NDArray[np.bool_]
ObjectArray = npt.NDArray[np.object_]


@dataclass(frozen=True)
class Checked:
    """Per distinct text: value, emptiness, error code ('' = fine) and message."""

    values: npt.NDArray[Any]
    blank: BoolArray
    error: ObjectArray
    message: ObjectArray
    known: BoolArray | None = None
    # Exercises only, per distinct text: the ids of a cell listing several library
    # exercises (else None), and whether the id is a near-miss guess ("hip rols").
    lists: ObjectArray | None = None
    guessed: BoolArray | None = None

    @cached_property
    def invalid(self) -> BoolArray:
        """Distinct texts that are neither empty nor usable.

        Worked out once per check (asked a dozen times a file); ``error`` is never changed
        once the check is made.
        """
        return np.asarray(self.error != "", dtype=bool)


# Within one upload (rehab.importer.import_files), a check of the same distinct texts gives
# the same answer: the files of a clinic's upload repeat their set counts, reps, scores,
# flags and exercise names, and each check's half dozen Arrow calls cost more than looking
# the texts up. Only short columns are remembered, for one upload only (no cell outlives
# it); a remembered answer's arrays are read-only so no caller can change one for the next
# file (one put back in a column's own order is a new copy).
_REMEMBER_TEXTS: Final = 256
_REMEMBER_BYTES: Final = 1 << 16
_REMEMBER_TOTAL: Final = 16 << 20


@dataclass
class _Remembered:
    """One upload's checks: key -> (the spec or library checked against, the answer).

    ``headers`` is the upload's memory of matched headers (:mod:`rehab.importer.headers`).
    """

    answers: dict[tuple[Any, ...], tuple[object, Checked]]
    size: int = 0
    headers: dict[tuple[str, ...], Any] = field(default_factory=dict)


_remembered: ContextVar[_Remembered | None] = ContextVar("_remembered", default=None)


@contextmanager
def checks_remembered() -> Iterator[None]:
    """Remember the value checks of distinct texts for the files imported in this block."""
    token = _remembered.set(_Remembered({}))
    try:
        yield
    finally:
        _remembered.reset(token)


def remembered_headers() -> dict[tuple[str, ...], Any] | None:
    """Return this upload's memory of matched headers; ``None`` outside :func:`checks_remembered`."""
    memory = _remembered.get()
    return None if memory is None else memory.headers


def _read_only(checked: Checked) -> Checked:
    for part in fields(checked):
        value = getattr(checked, part.name)
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
    return checked


def _recalled(kind: str, against: object, texts: Any, check: Callable[[Any], Checked]) -> Checked:
    """Return ``check(texts)``, remembered in this upload by kind, spec or library and texts.

    The texts are remembered in sorted order and the answer is put back in their order:
    each text's answer depends on that text alone, and the files of an upload meet the
    same values in another order (reps 10, 8, 12 here, 8, 10, 12 there).
    """
    memory = _remembered.get()
    if (
        memory is None
        or not isinstance(texts, pa.Array)
        or len(texts) > _REMEMBER_TEXTS
        or texts.null_count
    ):
        return check(texts)
    size = texts.nbytes
    if size > _REMEMBER_BYTES or memory.size + size > _REMEMBER_TOTAL:
        return check(texts)
    cells = texts.to_pylist()
    order = sorted(range(len(cells)), key=cells.__getitem__)
    ordered = [cells[i] for i in order]
    key = (kind, id(against), texts.type, tuple(ordered))
    found = memory.answers.get(key)
    if found is None or found[0] is not against:
        found = (against, _read_only(check(pa.array(ordered, type=texts.type))))
        memory.answers[key] = found
        memory.size += size
    if ordered == cells:  # already in sorted order (one text, or a tidy column)
        return found[1]
    rank = np.empty(len(order), dtype=np.intp)
    rank[order] = np.arange(len(order))
    return _in_order(found[1], rank)


def _in_order(checked: Checked, rank: npt.NDArray[np.intp]) -> Checked:
    """Return ``checked`` (answers for sorted texts) for the texts whose sorted places are ``rank``."""

    def picked(part: Any) -> Any:
        return None if part is None else part[rank]

    return Checked(
        picked(checked.values),
        picked(checked.blank),
        picked(checked.error),
        picked(checked.message),
        known=picked(checked.known),
        lists=picked(checked.lists),
        guessed=picked(checked.guessed),
    )


def _bools(array: Any) -> BoolArray:
    # Most results have no nulls: skipping fill_null then saves a kernel call per check.
    filled = array if array.null_count == 0 else pc.fill_null(array, False)
    return np.asarray(filled.to_numpy(zero_copy_only=False), dtype=bool)


def _trimmed(texts: Any) -> tuple[Any, BoolArray]:
    trimmed = pc.utf8_trim_whitespace(texts)
    return trimmed, _bools(pc.equal(pc.utf8_length(trimmed), 0))


def _blank_where(texts: Any, unsure: BoolArray) -> BoolArray:
    """Which texts are empty once trimmed (:func:`_trimmed`), looking only where ``unsure``.

    A time that was read is never blank: a column of times needs no trimming at all (three
    Arrow calls a file), only its unread texts do.
    """
    blank = np.zeros(len(unsure), dtype=bool)
    if unsure.any():
        _, blank[unsure] = _trimmed(texts.filter(pa.array(unsure)))
    return blank


def _errors(
    flags: list[tuple[BoolArray, str, ObjectArray]], size: int
) -> tuple[ObjectArray, ObjectArray]:
    """Combine (where, code, messages) triples; an earlier triple wins over a later one."""
    error = np.full(size, "", dtype=object)
    message = np.full(size, "", dtype=object)
    for where, code, messages in reversed(flags):
        error[where] = code
        message[where] = messages[where]
    return error, message


def _worded(where: BoolArray, word: Callable[[Any], ObjectArray]) -> ObjectArray:
    """Word messages only for the texts ``where`` says (``word`` gets them as a pyarrow mask).

    A clean column words none; elsewhere the array holds "" (never read).
    """
    message = np.full(len(where), "", dtype=object)
    if where.any():
        message[where] = word(pa.array(where))
    return message


# The usual number column: whole numbers of a few digits, or empty cells.
_PLAIN_WHOLE_RE: Final = r"^(?:\d{1,6})?$"


def _plain_whole_numbers(column: ColumnSpec, texts: Any) -> Checked | None:
    """Check a column of whole numbers (and empty cells) all in range, else return ``None``.

    Such texts need no trimming, no decimal comma and no message, and a float reads a
    number of up to six digits exactly as the Arrow cast does: the same check, without
    its half dozen Arrow calls per column.
    """
    if texts.null_count or not isinstance(texts, (pa.StringArray, pa.LargeStringArray)):
        return None
    if not pc.all(pc.match_substring_regex(texts, _PLAIN_WHOLE_RE)).as_py():
        return None
    cells = texts.to_pylist()
    blank = np.array([not text for text in cells], dtype=bool)
    values = np.array([float(text) if text else np.nan for text in cells], dtype=np.float64)
    low = column.minimum if column.minimum is not None else -np.inf
    high = column.maximum if column.maximum is not None else np.inf
    with np.errstate(invalid="ignore"):
        if (~blank & ~((values >= low) & (values <= high))).any():
            return None  # out of range: the general check words the messages
    none = np.full(len(blank), "", dtype=object)
    return Checked(values, blank, none, none.copy())


def check_number(column: ColumnSpec, texts: Any) -> Checked:
    """Numbers and 0-10 scores: decimal commas accepted, range from the schema."""
    return _recalled("number", column, texts, lambda cells: _number(column, cells))


def _number(column: ColumnSpec, texts: Any) -> Checked:
    plain = _plain_whole_numbers(column, texts)
    return plain if plain is not None else _check_number(column, texts)


def _check_number(column: ColumnSpec, texts: Any) -> Checked:
    trimmed, blank = _trimmed(texts)
    numeric = _bools(pc.match_substring_regex(trimmed, _NUMBER_RE))
    normal = pc.replace_substring(trimmed, ",", ".")
    parsed = pc.cast(pc.if_else(pa.array(numeric), normal, pa.scalar(None, pa.string())), pa.float64())
    values = np.asarray(pc.fill_null(parsed, np.nan).to_numpy(zero_copy_only=False), dtype=np.float64)
    low = column.minimum if column.minimum is not None else -np.inf
    high = column.maximum if column.maximum is not None else np.inf
    with np.errstate(invalid="ignore"):
        outside = numeric & ~((values >= low) & (values <= high))
    wrong = ~numeric & ~blank
    if column.type == "score":
        expected, not_a = "pain is scored 0 to 10", ", not a number from 0 to 10"
    else:
        expected, not_a = f"expected {low:g} to {high:g}", ", not a number"

    def not_number(bad: Any) -> ObjectArray:
        return compose(f"{column.name} is ", shown(texts.filter(bad)), not_a)

    def out_of_range(bad: Any) -> ObjectArray:
        return compose(f"{column.name} is ", pc.utf8_trim_whitespace(texts.filter(bad)), f"; {expected}")

    error, message = _errors(
        [
            (wrong, "not_a_number", _worded(wrong, not_number)),
            (outside, "out_of_range", _worded(outside, out_of_range)),
        ],
        len(values),
    )
    return Checked(values, blank, error, message)


def check_flag(column: ColumnSpec, texts: Any) -> Checked:
    """yes/no columns, with the words of :data:`rehab.schema.TRUE_WORDS`/``FALSE_WORDS``."""
    return _recalled("flag", column, texts, lambda cells: _flag(column, cells))


def _flag(column: ColumnSpec, texts: Any) -> Checked:
    trimmed, blank = _trimmed(texts)
    lower = pc.utf8_lower(trimmed)
    true = _bools(pc.is_in(lower, value_set=pa.array(sorted(TRUE_WORDS))))
    false = _bools(pc.is_in(lower, value_set=pa.array(sorted(FALSE_WORDS))))
    unknown = ~(true | false | blank)

    def not_a_flag(bad: Any) -> ObjectArray:
        return compose(f"{column.name} is ", shown(texts.filter(bad)), "; use yes or no")

    error, message = _errors([(unknown, "invalid_flag", _worded(unknown, not_a_flag))], len(true))
    return Checked(true, blank, error, message)


def check_time(column: ColumnSpec, texts: Any) -> Checked:
    """Check times of day and normalise them to ``HH:MM``."""
    # Not remembered: clock times rarely repeat as a whole column, and the plain HH:MM path
    # is quick.
    return _time(column, texts)


def _time(column: ColumnSpec, texts: Any) -> Checked:
    times = parse_times(texts)
    blank = _blank_where(texts, ~times.valid)
    wrong = ~times.valid & ~blank
    hint = ", which is not a time of day; write times like 08:30 or 8:30 am"

    def not_a_time(bad: Any) -> ObjectArray:
        return compose(f"{column.name} is ", shown(texts.filter(bad)), hint)

    error, message = _errors([(wrong, "invalid_time", _worded(wrong, not_a_time))], len(blank))
    return Checked(times.text, blank, error, message)


def check_text(column: ColumnSpec, texts: Any, *, strip: bool) -> Checked:
    """Free text and ids: kept as written (ids without surrounding spaces); empty = missing.

    ``NA``, ``null`` and ``-`` are text like any other: only an empty cell is missing.
    """
    kind = "stripped text" if strip else "text"
    return _recalled(kind, column, texts, lambda cells: _text(cells, strip=strip))


def _text(texts: Any, *, strip: bool) -> Checked:
    if strip:
        # Ids lose invisible marks (zero-width spaces, direction marks, BOMs): 'PT\u200b-1'
        # would be a look-alike second patient. The caller warns (patients.warn_invisible).
        texts = pc.replace_substring_regex(texts, INVISIBLE, "")
    trimmed, blank = _trimmed(texts)
    values = to_objects(trimmed if strip else texts)
    none = np.full(len(blank), "", dtype=object)
    return Checked(values, blank, none, none.copy())


# The library's keys as an Arrow value set and its ids, for the last lookup table seen
# (the library caches its table): built once per upload instead of once per file.
_last_lookup: tuple[dict[str, str], Any, ObjectArray] | None = None


def _lookup_arrays(lookup: dict[str, str]) -> tuple[Any, ObjectArray]:
    """Return the keys of ``lookup`` as a pyarrow array, and its ids followed by ``""``."""
    global _last_lookup
    last = _last_lookup
    if last is not None and last[0] is lookup and len(last[2]) == len(lookup) + 1:
        return last[1], last[2]
    value_set = pa.array(list(lookup), type=pa.string())
    ids = np.asarray([*list(lookup.values()), ""], dtype=object)
    ids.flags.writeable = False
    _last_lookup = (lookup, value_set, ids)
    return value_set, ids


def check_exercise(texts: Any, library: ExerciseLibrary) -> Checked:
    """Match names to library ids (id, name or alias, case- and punctuation-blind).

    Names that match no key exactly get two more chances, on distinct values only: a cell
    listing several library exercises (``lists``: their ids, one session each), and a near
    miss of one library name (``guessed``: matched, the caller says "did you mean").
    Other unknown names are kept as written (trimmed) with ``known`` False: the caller warns.
    """
    return _recalled("exercise", library, texts, lambda cells: _exercise(cells, library))


def _exercise(texts: Any, library: ExerciseLibrary) -> Checked:
    trimmed, blank = _trimmed(texts)
    keys = pc.replace_substring_regex(pc.utf8_lower(trimmed), _NON_ALNUM_RE, "")
    lookup = library.lookup()
    value_set, ids = _lookup_arrays(lookup)
    index = pc.index_in(keys, value_set=value_set)
    position = np.asarray(
        pc.fill_null(index, len(lookup)).to_numpy(zero_copy_only=False), dtype=np.int64
    )
    known = (position < len(lookup)) & ~blank
    values = np.where(known, ids[position], to_objects(trimmed))
    lists = np.full(len(blank), None, dtype=object)
    guessed = np.zeros(len(blank), dtype=bool)
    for unknown in np.flatnonzero(~known & ~blank).tolist():
        text = str(values[unknown])
        parts = library.split_list(text)
        near = None if parts is not None else library.closest(text)
        if parts is not None:
            lists[unknown], values[unknown], known[unknown] = parts, parts[0], True
        elif near is not None:
            values[unknown], known[unknown], guessed[unknown] = near, True, True
    none = np.full(len(blank), "", dtype=object)
    return Checked(values, blank, none, none.copy(), known=known, lists=lists, guessed=guessed)
