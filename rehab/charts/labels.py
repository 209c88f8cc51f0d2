"""Text that stays readable when it crosses data: a white halo under every letter."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import altair as alt


def haloed_text(base: alt.Chart, **text_properties: Any) -> list[alt.Chart]:
    """Return two text layers of ``base``: a thick white outline, then the text on top.

    Parameters
    ----------
    base
        A chart whose encodings (position and ``text``) both layers share.
    **text_properties
        Properties of the text mark (alignment, offsets, colour, weight ...).

    Returns
    -------
    list[alt.Chart]
        The halo layer first, so the text is drawn over it.
    """
    halo = {
        **text_properties,
        "color": "white",
        "stroke": "white",
        "strokeWidth": 4,
        "strokeJoin": "round",
    }
    return [base.mark_text(**halo), base.mark_text(**text_properties)]
