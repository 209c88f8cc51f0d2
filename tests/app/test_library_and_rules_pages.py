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


def test_library_text_carries_no_notes_meant_for_us():
    # Authoring notes ("older versions of the article ...") are TOML comments, not patient text.
    for exercise in load_library().exercises:
        text = " ".join([exercise.purpose, exercise.for_whom, *exercise.steps, *exercise.cautions])
        for note in ("article", "version", "TODO", "default", "alias"):
            assert note.lower() not in text.lower(), (exercise.id, note)


def test_rules_page_reads_as_text_with_every_rule_and_its_source(app):
    at = open_page(app, "rules")
    # Prose in a data grid is cut short on a phone: no grids on this page.
    assert not at.dataframe
    described = list(rules().values())
    blocks = [m.value for m in at.markdown if m.value.startswith("**")]
    assert [b.split("**")[1] for b in blocks] == [r.title for r in described]
    for block, rule in zip(blocks, described, strict=True):
        assert block.endswith(rule.text)
    captions = [c.value for c in at.caption]
    for rule in described:
        assert f"Source: {rule.source}" in captions
    settings = " ".join(m.value for m in at.markdown)
    assert "`stale_days = 3`" in settings


def test_every_page_carries_the_disclaimer(app):
    for page in ("library", "rules", "patient", "screening"):
        at = open_page(app, page)
        captions = " ".join(c.value for c in at.caption)
        assert "Self-reported data, not a diagnosis" in captions, page
        assert "Red-flag symptoms" in [e.label for e in at.expander][-1], page
