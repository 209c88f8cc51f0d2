"""Pain columns that are not a 0-10 pain score, recognised and refused.

Symptom diaries often rate severity 0-4 or in words (mild, moderate, severe). Those are
not the 0-10 numeric rating scale the rules are built on; reading a 4 of 0-4 as 4 of 10
would hide severe pain, so such a column is refused with a message saying what it is. No
conversion is made. Two signs count, each enough on its own:

- the header states another range: ``Pain (0-4)``, ``Severity 1-5``, ``Pain /5``;
- every value is a word of a severity scale (``Mild``, ``Moderate``, ``Severe``).

A header that only says "severity" is not enough while the values are numbers (Symptom
Shark writes 1-10 severities under that header).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from rehab.importer.messages import compose, shown
from rehab.importer.validate import Checked

if TYPE_CHECKING:
    from rehab.importer.report import IssueLog
    from rehab.schema import ColumnSpec

__all__ = ["check_scale", "foreign_scale", "refuse_scale"]

_RANGE_RE: Final = re.compile(r"(?<![\d.])(\d{1,3})\s*(?:-|–|—|to)\s*(\d{1,3})(?![\d.])")
_OUT_OF_RE: Final = re.compile(r"(?:/|out of\s*)(\d{1,3})(?![\d.])")
SEVERITY_WORDS: Final = frozenset(
    {
        "none",
        "absent",
        "not present",
        "no symptoms",
        "very mild",
        "minimal",
        "slight",
        "mild",
        "moderate",
        "moderately severe",
        "severe",
        "very severe",
        "extreme",
        "worst",
        "unbearable",
    }
)
_GRADES: Final = frozenset({"mild", "moderate", "severe", "very severe", "extreme"})


# Built once (Arrow arrays are immutable): two arrays per score column of every file.
_SEVERITY_SET: Final = pa.array(sorted(SEVERITY_WORDS), type=pa.string())
_GRADE_SET: Final = pa.array(sorted(_GRADES), type=pa.string())


def _reads_numbers(checked: Checked) -> bool:
    """Whether some filled cell read as a number (a severity word never does).

    Then the column is not a scale of words, and the words need not be looked at: the
    usual pain column answers without its five Arrow calls.
    """
    return bool((~checked.blank & ~checked.invalid).any())


def _header_range(header: str) -> tuple[int, int] | None:
    text = header.lower()
    found = _RANGE_RE.search(text)
    if found:
        return int(found.group(1)), int(found.group(2))
    out_of = _OUT_OF_RE.search(text)
    return (0, int(out_of.group(1))) if out_of else None


def foreign_scale(header: str, texts: Any, checked: Checked) -> str | None:
    """Say what scale a pain column holds when it is not a 0-10 pain score, else ``None``.

    ``texts`` are the column's distinct cells, ``checked`` their number check.

    >>> import pyarrow as pa
    >>> from rehab.importer.validate import check_number
    >>> from rehab.schema import PAIN
    >>> cells = pa.array(["1", "3"])
    >>> foreign_scale("Back pain (0-4)", cells, check_number(PAIN.column("pain"), cells))
    'a 0-4 symptom severity scale, not a 0-10 pain score'
    """
    stated = _header_range(header)
    if stated is not None and stated[1] != 10:
        return f"a {stated[0]}-{stated[1]} symptom severity scale, not a 0-10 pain score"
    filled = ~checked.blank
    if not filled.any() or _reads_numbers(checked):
        return None
    # Every filled word a severity word, one of them a grade: asked of pyarrow at once
    # (a Python set of 400k distinct bad scores took 0.05 s).
    words = pc.utf8_lower(pc.utf8_trim_whitespace(texts)).filter(pa.array(filled))
    if (
        words.null_count == 0
        and pc.all(pc.is_in(words, value_set=_SEVERITY_SET)).as_py()
        and pc.any(pc.is_in(words, value_set=_GRADE_SET)).as_py()
    ):
        return "a mild/moderate/severe symptom severity scale (words), not a 0-10 pain score"
    return None


def refuse_scale(column: ColumnSpec, texts: Any, checked: Checked, what: str) -> Checked:
    """Make every filled cell of the column an error that says what the scale is."""
    filled = ~checked.blank
    message = compose(f"{column.name} is ", shown(texts), f": this column is {what}")
    error = np.where(filled, "not_pain_scale", "")
    values = np.full(len(filled), np.nan)
    return Checked(values, checked.blank, error.astype(object), np.where(filled, message, ""))


def check_scale(header: str, texts: Any, spec: ColumnSpec, value: Checked, issues: IssueLog) -> Checked:
    """Refuse a pain column that holds another scale, with a file-level issue saying so.

    A required column (a pain log's pain) rejects its rows; an optional one (pain before or
    after an exercise) keeps the rows without it. Other columns pass unchanged.
    """
    what = foreign_scale(header, texts, value)
    if what is None:
        return value
    outcome = (
        "no row was imported; export the 0-10 pain score instead, or, if this column is a 0-10 "
        "pain score after all, rename it"
        if spec.required
        else "the rows were kept without it"
    )
    issues.add(
        "not_pain_scale",
        "error" if spec.required else "warning",
        f"Column '{header}' is {what}, so it was not read as {spec.name}: {outcome}.",
        column=spec.name,
    )
    return refuse_scale(spec, texts, value, what)
