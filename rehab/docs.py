"""Generate the column reference of ``docs/data-format.md`` from :mod:`rehab.schema`.

The schema is declared once; the docs follow it. ``python -m rehab docs`` rewrites the part
of the file between the markers, and a test fails when the file is out of step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from rehab.schema import SPECS, ColumnSpec, LogSpec

BEGIN: Final = "<!-- BEGIN GENERATED: python -m rehab docs -->"
END: Final = "<!-- END GENERATED -->"
DATA_FORMAT_PATH: Final = Path("docs/data-format.md")


def _range(col: ColumnSpec) -> str:
    if col.minimum is None and col.maximum is None:
        return ""
    return f"{col.minimum:g} to {col.maximum:g}"


def _row(col: ColumnSpec) -> str:
    aliases = ", ".join(f"`{a}`" for a in col.aliases) or "-"
    required = "**required**" if col.required else "optional"
    cells = [
        f"`{col.name}`",
        required,
        col.type,
        _range(col),
        col.description,
        aliases,
        f"`{col.example}`",
    ]
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def _spec_section(spec: LogSpec) -> list[str]:
    header = [c.name for c in spec.columns if c.example]
    example = [c.example for c in spec.columns if c.example]
    return [
        f"### {spec.title} (`{spec.kind}`)",
        "",
        spec.description,
        "",
        "| column | | type | range | meaning | other headers accepted | example |",
        "|---|---|---|---|---|---|---|",
        *(_row(col) for col in spec.columns),
        "",
        "A minimal file:",
        "",
        "```csv",
        ",".join(header),
        ",".join(f'"{v}"' if "," in v else v for v in example),
        "```",
        "",
    ]


def generated_reference() -> str:
    """Return the generated Markdown column reference of both log kinds."""
    lines = [BEGIN, ""]
    for spec in SPECS.values():
        lines.extend(_spec_section(spec))
    lines.append(END)
    return "\n".join(lines)


def render_data_format(current: str) -> str:
    """Return ``current`` with its generated section replaced by the schema's reference."""
    start = current.find(BEGIN)
    stop = current.find(END)
    if start < 0 or stop < start:
        return current.rstrip("\n") + "\n\n" + generated_reference() + "\n"
    return current[:start] + generated_reference() + current[stop + len(END) :]
