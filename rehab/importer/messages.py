"""Report wording built column-wise: one message per distinct value, no row loops."""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from rehab.wording import plural

__all__ = ["INVISIBLE", "ODD_SPACES", "compose", "plural", "shown", "to_objects"]

_SHOWN_CHARS: Final = 40
# Spaces other than U+0020 (no-break, figure, thin, hair, narrow no-break, medium
# mathematical, ideographic) and invisible marks (zero-width, direction marks and
# embeddings, word joiner, byte order mark): regex classes, and the characters one by one.
ODD_SPACES: Final = "[\u00a0\u2007\u2009\u200a\u202f\u205f\u3000]"
INVISIBLE: Final = "[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
_UNSEEN: Final = tuple(
    chr(code)
    for code in (
        0x00A0, 0x2007, 0x2009, 0x200A, 0x202F, 0x205F, 0x3000, 0x2060, 0xFEFF,
        *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2066, 0x206A),
    )
)  # fmt: skip


def _visible(texts: Any) -> Any:
    r"""Write unusual spaces and invisible marks as ``\u202f`` escapes, so the user sees them."""
    if not pc.any(pc.match_substring_regex(texts, f"{ODD_SPACES}|{INVISIBLE}")).as_py():
        return texts
    for char in _UNSEEN:
        texts = pc.replace_substring(texts, char, f"\\u{ord(char):04x}")
    return texts


def shown(texts: Any) -> Any:
    r"""Quote cell texts for a report message, cut to a readable length.

    The report is the user's own view of their file, so a message may name the cell it is
    about; a 1 MB cell is still cut to a few words. Spaces other than a plain space and
    invisible marks are written as escapes (``8:05\u202fPM``).
    """
    trimmed = _visible(pc.utf8_trim_whitespace(texts))
    cut = pc.utf8_slice_codeunits(trimmed, 0, _SHOWN_CHARS)
    longer = pc.greater(pc.utf8_length(trimmed), _SHOWN_CHARS)
    ending = pc.if_else(longer, pa.scalar("…'"), pa.scalar("'"))
    return pc.binary_join_element_wise("'", cut, ending, "")


def compose(*parts: Any) -> npt.NDArray[np.object_]:
    """Join strings and string arrays element-wise into one message per element."""
    return to_objects(pc.binary_join_element_wise(*parts, ""))


def to_objects(texts: Any) -> npt.NDArray[np.object_]:
    """Turn a pyarrow string array into a numpy array of ``str`` (or ``None``)."""
    return np.asarray(texts.to_numpy(zero_copy_only=False), dtype=object)
