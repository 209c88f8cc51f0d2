from pathlib import Path

from rehab.docs import BEGIN, END, generated_reference, render_data_format
from rehab.schema import SPECS

ROOT = Path(__file__).resolve().parents[1]


def test_data_format_doc_is_generated_from_the_schema():
    current = (ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    assert render_data_format(current) == current, "run `python -m rehab docs`"


def test_reference_lists_every_column_and_alias():
    text = generated_reference()
    for spec in SPECS.values():
        for column in spec.columns:
            assert f"`{column.name}`" in text
            for alias in column.aliases:
                assert f"`{alias}`" in text


def test_render_replaces_only_the_generated_part():
    stale = f"# Intro\n\n{BEGIN}\nold table\n{END}\n\nOutro\n"
    fresh = render_data_format(stale)
    assert fresh.startswith("# Intro\n\n")
    assert fresh.endswith("\n\nOutro\n")
    assert "old table" not in fresh
    assert "`hold_seconds`" in fresh
