from pathlib import Path

from rehab.docs import BEGIN, DOCUMENTS, END, generated_reference, generated_rules, render_data_format
from rehab.schema import SPECS
from rehab.settings import RuleSettings, rules

ROOT = Path(__file__).resolve().parents[1]


def test_docs_are_generated_from_the_code():
    for path, render in DOCUMENTS.items():
        current = (ROOT / path).read_text(encoding="utf-8")
        assert render(current) == current, f"{path}: run `python -m rehab docs`"


def test_rules_doc_lists_every_rule_and_setting():
    text = generated_rules()
    for described in rules().values():
        assert f"(`{described.id}`)" in text
        assert described.source in text
    for name in RuleSettings.model_fields:
        assert f"`{name}`" in text


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
