"""Text that a file wrote, made safe to show where Streamlit reads Markdown.

Patient ids, exercise names, notes, file and ZIP entry names come from files. Streamlit reads
titles, captions, alerts, expander and button labels, metric labels and tooltips as Markdown
(with images, links, LaTeX, colour directives, icon and emoji shortcodes), so a crafted file
could make the browser fetch a remote image or show a foreign link. ``literal`` turns any
text into Markdown that Streamlit renders as exactly that text.
"""

from __future__ import annotations

import re
from typing import Final

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaped, none of
# them starts an image, link, emphasis, code, HTML tag, LaTeX ($), directive (:red[...]),
# shortcode (:smile:, :material/home:) or heading.
_PUNCTUATION: Final = re.compile(r"([!-/:-@\[-`{-~])")
# GFM turns bare URLs and e-mail addresses into links even when their punctuation is
# escaped; a word joiner (invisible, never a line break) keeps them text.
WORD_JOINER: Final = "\u2060"
_AUTOLINK: Final = re.compile(r"(?i)(?<=[a-z0-9])(?=://|@)|(?<=www)(?=\.)")
NON_BREAKING_HYPHEN: Final = "\u2011"
# A title, label or list item is one line: a line break in a value would end it.
_LINE_BREAKS: Final = re.compile(r"[\r\n]+")


def literal(text: object) -> str:
    r"""Return Markdown that Streamlit shows as ``text``, character for character.

    Parameters
    ----------
    text : object
        Anything a file wrote (converted with ``str``).

    Returns
    -------
    str
        The text with ASCII punctuation backslash-escaped, line breaks as spaces, and a
        word joiner (U+2060) where GFM would make a link of a bare URL or e-mail address.

    Examples
    --------
    >>> print(literal("![x](y.png) **PT-1** :red[a] $x$ <img>"))
    \!\[x\]\(y\.png\) \*\*PT\-1\*\* \:red\[a\] \$x\$ \<img\>
    >>> literal("see http://e.invalid") == "see http\u2060\\:\\/\\/e\\.invalid"
    True
    """
    flat = _LINE_BREAKS.sub(" ", str(text))
    return _PUNCTUATION.sub(r"\\\1", _AUTOLINK.sub(WORD_JOINER, flat))


def unbroken(identifier: str) -> str:
    """Return an id whose hyphens never break a line ("PT-0103" stays whole on a phone).

    Only for display: the hyphen becomes a non-breaking hyphen (U+2011), which looks the same.
    """
    return identifier.replace("-", NON_BREAKING_HYPHEN)
