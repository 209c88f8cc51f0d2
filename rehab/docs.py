"""Generate the reference parts of the user docs from the code that defines them.

The schema (:mod:`rehab.schema`) and the rules (:mod:`rehab.settings`) are declared once;
``docs/data-format.md`` and ``docs/rules.md`` follow them. ``python -m rehab docs`` rewrites
the part of each file between the markers, and a test fails when a file is out of step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from rehab.importer.presets import PRESETS, Preset
from rehab.schema import SPECS, ColumnSpec, LogSpec
from rehab.settings import RuleSettings, rules

BEGIN: Final = "<!-- BEGIN GENERATED: python -m rehab docs -->"
END: Final = "<!-- END GENERATED -->"
DATA_FORMAT_PATH: Final = Path("docs/data-format.md")
RULES_PATH: Final = Path("docs/rules.md")


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


def _preset_section(preset: Preset) -> list[str]:
    kind = SPECS[preset.kind].title.lower()
    rows = [f"| `{source}` | `{column}` |" for source, column in preset.columns]
    if preset.long is not None:
        rows.append(f"| `{preset.long.series}` | names the series (one row per measurement) |")
        rows.append(f"| `{preset.long.value}` | the value of the series read as `pain` |")
        if preset.long.scope is not None:
            column, wanted = preset.long.scope
            rows.append(f"| `{column}` | only rows whose {column} is `{wanted}` are read |")
    variants = "; ".join(", ".join(f"`{h}`" for h in variant) for variant in preset.headers[1:])
    return [
        f"### {preset.app} (preset `{preset.name}`)",
        "",
        f"A {kind}. {preset.summary}",
        "",
        "| column of the export | read as |",
        "|---|---|",
        *rows,
        "",
        "Not used: " + (", ".join(f"`{h}`" for h in preset.ignored) or "none") + ".",
        *([f"Also recognised: the header {variants}."] if variants else []),
        f"Shape checked against: {preset.source}.",
        "",
        "```csv",
        *preset.example,
        "```",
        "",
    ]


def _limits_section() -> list[str]:
    """Return the bounds of one upload (rehab.importer.limits, rehab.archive) as Markdown."""
    from rehab.archive import ArchiveLimits
    from rehab.importer import limits
    from rehab.importer.issuelog import ISSUES_PER_KIND

    archive = ArchiveLimits()
    mb = 1024 * 1024
    return [
        "## Limits of one upload",
        "",
        "Everything dropped at once (ZIPs unpacked) is one upload. Past a limit, the files that "
        "go over it are not imported and the report says which limit and how to split the "
        "upload (for example one per clinic, team or quarter):",
        "",
        f"- at most {limits.MAX_COLUMNS} columns in a file;",
        f"- at most {limits.MAX_UPLOAD_ROWS:,} rows and {limits.MAX_UPLOAD_PATIENTS:,} patients in all;",
        f"- at most {archive.max_total_bytes // mb} MB unpacked in all, "
        f"{archive.max_entry_bytes // mb} MB a file in a ZIP, {archive.max_entries:,} files a "
        f"ZIP, compressed at most {archive.max_ratio:.0f} to 1.",
        "",
        "The report lists one issue per problem, naming all its rows as ranges (`rows 3-1000001 "
        f"repeat row 2`); past {ISSUES_PER_KIND} issues of one kind, one closing issue counts "
        "the rest and names their rows. `rehab validate --json` gives every rejected row in "
        "`rejected_rows`, and the rejected-rows download holds them all.",
        "",
    ]


def generated_reference() -> str:
    """Return the generated Markdown column reference of both log kinds, then the presets."""
    lines = [BEGIN, ""]
    for spec in SPECS.values():
        lines.extend(_spec_section(spec))
    lines.extend(_limits_section())
    lines += [
        "## App presets",
        "",
        "A file whose header is exactly one of these exports is read with its preset, and the "
        "import report says so (\"Read as a Strong export (preset 'strong')\").",
        "",
    ]
    for preset in PRESETS:
        lines.extend(_preset_section(preset))
    lines.append(END)
    return "\n".join(lines)


def _flag_table() -> list[str]:
    """Return the flags, most urgent tier first, each with its tier and rule (defaults)."""
    from rehab.analysis.flags import FLAG_CODES, FLAG_TIERS
    from rehab.analysis.models import TIER_ORDER

    described = rules()
    ordered = sorted(FLAG_CODES, key=lambda code: (TIER_ORDER[FLAG_TIERS[code]], FLAG_CODES.index(code)))
    lines = [
        "Flags and their tiers (a patient's alert is the highest tier among their flags):",
        "",
        "| flag | tier | raised when (defaults) |",
        "|---|---|---|",
    ]
    lines += [f"| `{code}` | {FLAG_TIERS[code]} | {described[code].text} |" for code in ordered]
    return [*lines, ""]


def generated_rules() -> str:
    """Return the generated Markdown tables: the flags and their tiers, every rule, the settings."""
    lines = [BEGIN, "", *_flag_table()]
    lines += ["| rule | what it says (defaults) | source |", "|---|---|---|"]
    lines += [f"| {r.title} (`{r.id}`) | {r.text} | {r.source} |" for r in rules().values()]
    lines += ["", "| setting | default | meaning |", "|---|---|---|"]
    defaults = RuleSettings()
    for name, field in RuleSettings.model_fields.items():
        lines.append(f"| `{name}` | {getattr(defaults, name)} | {field.description} |")
    lines += ["", END]
    return "\n".join(lines)


def _replace_generated(current: str, generated: str) -> str:
    start = current.find(BEGIN)
    stop = current.find(END)
    if start < 0 or stop < start:
        return current.rstrip("\n") + "\n\n" + generated + "\n"
    return current[:start] + generated + current[stop + len(END) :]


def render_data_format(current: str) -> str:
    """Return ``current`` with its generated section replaced by the schema's reference."""
    return _replace_generated(current, generated_reference())


def render_rules(current: str) -> str:
    """Return ``current`` with its generated section replaced by the rules table."""
    return _replace_generated(current, generated_rules())


# Each generated document and the function that brings it up to date.
DOCUMENTS: Final = {DATA_FORMAT_PATH: render_data_format, RULES_PATH: render_rules}
