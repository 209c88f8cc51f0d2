from rehab.library import load_library
from rehab.settings import rules
from tests.app.conftest import open_page


def test_library_page_shows_every_exercise_with_its_dose(app):
    at = open_page(app, "library")
    names = [s.value for s in at.subheader]
    assert names == [e.name for e in load_library().exercises]
    doses = " ".join(m.value for m in at.markdown)
    assert "hold 15 s; repeat 10 times" in doses
    assert "hold 5 s; repeat 10 times" in doses


def test_rules_page_lists_every_rule_with_its_source(app):
    at = open_page(app, "rules")
    table = at.dataframe[0].value
    assert list(table["Rule"]) == [r.title for r in rules().values()]
    assert table["Source"].str.len().min() > 0


def test_every_page_carries_the_disclaimer(app):
    for page in ("library", "rules", "patient", "screening"):
        at = open_page(app, page)
        captions = " ".join(c.value for c in at.caption)
        assert "Self-reported data, not a diagnosis" in captions, page
        assert "Red-flag symptoms" in [e.label for e in at.expander][-1], page
