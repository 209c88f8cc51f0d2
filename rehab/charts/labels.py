"""Text that stays readable when it crosses data: a white halo under every letter."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from collections.abc import Mapping

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


# Longer names are cut in chart labels (legends, axes), with "…"; tooltips keep them whole.
MAX_LABEL_CHARS: Final = 28
ELLIPSIS: Final = "\N{HORIZONTAL ELLIPSIS}"


def cut_label(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    """Return ``text`` on one line, cut to ``limit`` characters with "…" when longer.

    >>> cut_label("Back Extension")
    'Back Extension'
    >>> cut_label("Prone press-up with a long clinic description", 20)
    'Prone press-up with…'
    """
    flat = " ".join(str(text).split())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rstrip() + ELLIPSIS


def cut_names(names: Mapping[str, str], limit: int = MAX_LABEL_CHARS) -> dict[str, str]:
    """Cut each display name for a chart label, keeping distinct names distinct.

    Two long names that cut to the same label get a number (``"…1"``, ``"…2"``), so a legend
    or an axis never merges two exercises into one entry.
    """
    cut = {key: cut_label(name, limit) for key, name in names.items()}
    seen: dict[str, int] = {}
    for label in cut.values():
        seen[label] = seen.get(label, 0) + 1
    numbered: dict[str, int] = {}
    for key, label in cut.items():
        if seen[label] > 1:
            numbered[label] = numbered.get(label, 0) + 1
            suffix = f"{ELLIPSIS}{numbered[label]}"
            cut[key] = cut_label(names[key], limit - len(suffix) + 1)[:-1].rstrip() + suffix
    return cut
