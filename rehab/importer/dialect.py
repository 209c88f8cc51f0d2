"""Which delimiter a file uses, judged from its header line."""

from __future__ import annotations

import re
from typing import Final

__all__ = ["DELIMITERS", "header_line", "sniff_delimiter"]

# In order of preference when counts tie: comma is the CSV default.
DELIMITERS: Final = (",", ";", "\t")
_QUOTED_RE: Final = re.compile(r'"(?:[^"]|"")*"')
_HEAD_BYTES: Final = 1 << 16


def header_line(utf8: bytes) -> str:
    """Return the first non-blank line of the file (the header), as text."""
    head = utf8[:_HEAD_BYTES].decode("utf-8", errors="replace")
    for line in re.split(r"\r\n|\r|\n", head):
        if line.strip():
            return line
    return ""


def sniff_delimiter(line: str) -> str:
    r"""Return the delimiter of a header line: the most frequent of ``,`` ``;`` and tab.

    Quoted text is ignored, so a header such as ``"Hold, seconds";Pain`` is read as
    semicolon-separated. A header with none of them is a one-column file (comma).

    >>> sniff_delimiter("Date;Exercise;Pain before")
    ';'
    >>> sniff_delimiter('"Hold, s"\tDate')
    '\t'
    """
    unquoted = _QUOTED_RE.sub("", line)
    counts = {delimiter: unquoted.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","
