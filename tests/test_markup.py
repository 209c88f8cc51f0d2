"""rehab.markup.literal: any text a file wrote becomes Markdown that reads as that text."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from rehab.markup import NON_BREAKING_HYPHEN, WORD_JOINER, literal, unbroken
from tests.app.conftest import shown

# A backslash and the punctuation it escapes, or a punctuation character on its own.
TOKENS = re.compile(r"\\[!-/:-@\[-`{-~]|[!-/:-@\[-`{-~]")


def _bare(markdown: str) -> list[str]:
    """ASCII punctuation that no backslash escapes (Markdown could read it)."""
    return [token for token in TOKENS.findall(markdown) if len(token) == 1]


@given(st.text())
def test_every_text_reads_back_as_written_with_no_bare_punctuation(text):
    markdown = literal(text)
    expected = " ".join(re.split(r"[\r\n]+", text))
    assert shown(markdown) == expected.replace(WORD_JOINER, "").replace(NON_BREAKING_HYPHEN, "-")
    assert _bare(markdown) == []


def test_payloads_are_escaped_where_streamlit_would_read_them():
    assert literal("![x](http://e.invalid/x.png)") == (
        "\\!\\[x\\]\\(http" + WORD_JOINER + "\\:\\/\\/e\\.invalid\\/x\\.png\\)"
    )
    assert literal(":red[a] $x$ <img src=y> :material/home:") == (
        "\\:red\\[a\\] \\$x\\$ \\<img src\\=y\\> \\:material\\/home\\:"
    )
    # A bare address or URL keeps a word joiner where GFM would start a link.
    assert literal("www.e.invalid a@e.invalid") == (
        "www" + WORD_JOINER + "\\.e\\.invalid a" + WORD_JOINER + "\\@e\\.invalid"
    )
    # A line break would end a title or a list item: it reads as a space.
    assert literal("a\r\n# b") == "a \\# b"


def test_ids_keep_their_hyphens_together():
    assert unbroken("PT-0103") == "PT" + NON_BREAKING_HYPHEN + "0103"
    assert shown(literal(unbroken("PT-0103"))) == "PT-0103"
