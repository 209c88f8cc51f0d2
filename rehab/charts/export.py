"""Charts as PNG files, rendered offline by vl-convert."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import altair as alt
import vl_convert

if TYPE_CHECKING:
    from collections.abc import Sequence

EXPORT_WIDTH: Final = 760


def _vl_version() -> str | None:
    # Altair says "v6.4.1"; vl-convert wants "6.4" and knows only the versions it bundles.
    major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return major_minor if major_minor in vl_convert.get_vegalite_versions() else None


def _with_fixed_width(spec: dict[str, Any], width: int) -> dict[str, Any]:
    # A PNG has no container to stretch into: give single and layered views a real width.
    is_concat = any(key in spec for key in ("vconcat", "hconcat", "concat", "facet", "repeat"))
    if not is_concat and spec.get("width", "container") == "container":
        spec["width"] = width
    return spec


# Keys that must stay at the top of a spec when it is wrapped in a concatenation.
_TOP_LEVEL: Final = ("$schema", "config", "datasets", "usermeta")


def _with_footnote(spec: dict[str, Any], lines: Sequence[str], width: int) -> dict[str, Any]:
    # An exported picture travels without the page around it, so it carries its own note.
    top: dict[str, Any] = {key: spec.pop(key) for key in _TOP_LEVEL if key in spec}
    spec.pop("autosize", None)
    note = {
        "data": {"values": [{"line": line, "order": i} for i, line in enumerate(lines)]},
        "mark": {"type": "text", "align": "left", "baseline": "top", "fontSize": 11, "color": "#4a5560"},
        "encoding": {
            "text": {"field": "line", "type": "nominal"},
            "y": {"field": "order", "type": "ordinal", "axis": None},
            "x": {"value": 0},
        },
        "width": width,
        "height": 16 * len(lines),
    }
    return {**top, "vconcat": [spec, note], "spacing": 12}


def chart_png(
    chart: alt.TopLevelMixin,
    *,
    scale: float = 2.0,
    width: int = EXPORT_WIDTH,
    footnote: Sequence[str] = (),
) -> bytes:
    """Render ``chart`` to PNG bytes without a browser or network.

    Parameters
    ----------
    chart
        Any Altair chart of this package.
    scale
        Pixel density (2 gives crisp text on high-resolution screens and in PDFs).
    width
        Width in pixels for a chart that stretches to its container in the app.
    footnote
        Lines of text drawn under the chart (the disclaimer, for a picture that leaves
        the app).

    Returns
    -------
    bytes
        The PNG file.
    """
    spec = _with_fixed_width(chart.to_dict(), width)
    if footnote:
        spec = _with_footnote(spec, footnote, width)
    png: bytes = vl_convert.vegalite_to_png(spec, vl_version=_vl_version(), scale=scale)
    return png
