"""The shortcuts taken for many small files give the same answers as the general way."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from rehab.importer.dialect import header_line


def _header_line_by_splitting(utf8: bytes) -> str:
    """The header as first read: decode the first 64 kB, split into lines, first non-blank."""
    head = utf8[: 1 << 16].decode("utf-8", errors="replace")
    for line in re.split(r"\r\n|\r|\n", head):
        if line.strip():
            return line
    return ""


_PIECES = st.sampled_from(
    [b"\r", b"\n", b"\r\n", b" ", b"\t", b"\x0b", b"\xc2\x85", b"\xe2\x80\xa8", b"Date,Pain", b"\xe9",
     b"\xe2\x82", b"\xf0\x9f", b"\xf0\x9f\x98\x80", b"\xff", b"\x80", b";", b'"a,b"', b"x"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=30).map(b"".join))
def test_header_line_reads_the_line_splitting_the_decoded_head_reads(data):
    assert header_line(data) == _header_line_by_splitting(data)


def test_header_line_stops_at_the_first_64_kb_like_before():
    for data in (b"\n" * 70_000 + b"Date\n", b"\n" * 65_530 + b"Date,Pain\n", b" " * 65_535 + b"\xe9x"):
        assert header_line(data) == _header_line_by_splitting(data)
