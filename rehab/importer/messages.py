"""Report wording built column-wise: one message per distinct value, no row loops."""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["compose", "shown", "to_objects"]

_SHOWN_CHARS: Final = 40


def shown(texts: Any) -> Any:
    """Quote cell texts for a report message, cut to a readable length.

    The report is the user's own view of their file, so a message may name the cell it is
    about; a 1 MB cell is still cut to a few words.
    """
    trimmed = pc.utf8_trim_whitespace(texts)
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
