"""Text for the PDF core fonts: every string made printable in Latin-1, and safe file names.

The PDF uses the core Helvetica font so that no font file has to exist on the machine; that
font only knows Latin-1. Rather than fail on an en dash in a rule text or an emoji in a
patient id, text is mapped to its nearest Latin-1 spelling.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

# Typographic characters the app's wording uses, spelled the way a typewriter would.
_REPLACEMENTS: Final = {
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2012": "-",  # figure dash
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u2015": "-",  # horizontal bar
    "\u2212": "-",  # minus sign
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u2026": "...",
    "\u2022": "\u00b7",  # bullet -> middle dot
    "\u2264": "<=",
    "\u2265": ">=",
    "\u2260": "!=",
    "\u2248": "~",
    "\u2192": "->",
    "\u2190": "<-",
    "\u2194": "<->",
    "\u2191": "up",
    "\u2193": "down",
    "\u2122": "(TM)",
    "\u20ac": "EUR",
    "\u2713": "v",
    "\u2714": "v",
    "\u2717": "x",
    "\u2718": "x",
    # Letters that Unicode does not decompose into a base letter and an accent.
    "\u0141": "L",
    "\u0142": "l",
    "\u0110": "D",
    "\u0111": "d",
    "\u0131": "i",
    "\u0152": "OE",
    "\u0153": "oe",
    "\u00ad": "",  # soft hyphen: a hidden break point, not a character to print
}
_TRANSLATION: Final = str.maketrans(_REPLACEMENTS)
_FALLBACK: Final = "?"
# Unicode categories: spaces of every width, tabs and other control characters read as a space;
# format characters (zero-width joiners, direction marks, byte-order marks) and lone combining
# accents are invisible; surrogates, private-use and unassigned code points have no spelling.
_AS_SPACE: Final = frozenset({"Zs", "Zl", "Zp", "Cc"})
_INVISIBLE: Final = frozenset({"Cf", "Mn"})
_UNPRINTABLE: Final = frozenset({"Cs", "Co", "Cn"})


def _latin1_char(char: str) -> str:
    """One character as Latin-1: itself, a space, its unaccented form, or a question mark."""
    if char == "\n":
        return char
    category = unicodedata.category(char)
    if category in _AS_SPACE:
        return " "
    if category in _INVISIBLE:
        return ""
    if category in _UNPRINTABLE:
        return _FALLBACK
    if ord(char) < 0x100:
        return char
    decomposed = unicodedata.normalize("NFKD", char)
    base = "".join(part for part in decomposed if unicodedata.category(part) != "Mn")
    if base and all(ord(part) < 0x100 and part.isprintable() for part in base):
        return base
    return _FALLBACK


def to_latin1(text: str) -> str:
    r"""Return ``text`` spelled with printable Latin-1 characters only.

    Typographic punctuation becomes its plain form (en dash -> ``-``, curly quotes -> straight
    quotes, ``≥`` -> ``>=``), accented letters outside Latin-1 lose their accent, other
    spaces become a plain space, invisible characters vanish, and anything else becomes
    ``?``. Line breaks (``\n``) are kept; other control characters become spaces.

    Parameters
    ----------
    text
        Any text.

    Returns
    -------
    str
        Text that encodes to Latin-1 without error.
    """
    replaced = unicodedata.normalize("NFC", text).translate(_TRANSLATION)
    if replaced.isascii() and replaced.isprintable():
        return replaced
    return "".join(_latin1_char(char) for char in replaced)


def one_line(text: str) -> str:
    """Return ``text`` in Latin-1 on one line, runs of white space collapsed."""
    return " ".join(to_latin1(text).split())


# Longest patient id and exercise name a page prints; longer ones end in "...".
MAX_ID_CHARS: Final = 40
MAX_NAME_CHARS: Final = 60


def cut(text: str, limit: int) -> str:
    """Return ``text`` on one line in Latin-1, cut to ``limit`` characters ending in "...".

    Parameters
    ----------
    text
        Any text, e.g. a patient id from a file.
    limit
        The most characters to keep (at least 4).

    Returns
    -------
    str
        ``text`` itself (on one line) when short enough, else its start and "...".
    """
    line = one_line(text)
    if len(line) <= limit:
        return line
    return f"{line[: limit - 3].rstrip()}..."


_UNSAFE_NAME_CHARS: Final = re.compile(r"[^A-Za-z0-9._-]+")
# Names Windows reserves for devices, whatever the extension.
_RESERVED_NAMES: Final = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(1, 10)} | {f"lpt{i}" for i in range(1, 10)}
)
MAX_NAME_LENGTH: Final = 80


def safe_file_stem(name: str, *, fallback: str = "patient") -> str:
    """Return a file name stem made of letters, digits, ``.``, ``_`` and ``-`` only.

    Path separators, ``..`` and leading dots cannot survive, so the stem always names a file
    inside the folder it is joined to.

    Parameters
    ----------
    name
        Any text, e.g. a patient id.
    fallback
        The stem when nothing of ``name`` is left.

    Returns
    -------
    str
        A non-empty stem of at most :data:`MAX_NAME_LENGTH` characters.
    """
    spelled = unicodedata.normalize("NFKD", to_latin1(name))
    ascii_name = spelled.encode("ascii", "ignore").decode("ascii")
    stem = _UNSAFE_NAME_CHARS.sub("_", ascii_name).strip("._-")[:MAX_NAME_LENGTH].strip("._-")
    if not stem:
        return fallback
    if stem.split(".")[0].lower() in _RESERVED_NAMES:
        return f"_{stem}"
    return stem
