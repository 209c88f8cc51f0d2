from types import SimpleNamespace

from app_pages.views import picked_exercise


def test_the_first_chart_with_a_selected_exercise_wins():
    nothing = SimpleNamespace(selection={"exercise_pick": []})
    response = SimpleNamespace(selection={"exercise_pick": [{"exercise": "hip_rolls"}]})
    sessions = SimpleNamespace(selection={"exercise_pick": [{"exercise": "core"}]})
    assert picked_exercise(nothing, response, sessions) == "hip_rolls"
    assert picked_exercise(nothing, sessions) == "core"


def test_no_selection_picks_nothing():
    assert picked_exercise(None, SimpleNamespace(selection={})) is None
    assert picked_exercise(SimpleNamespace(selection={"exercise_pick": [{"x": 1}]})) is None


def test_the_progress_page_builds_its_charts_without_altair_dict_conversions(monkeypatch):
    # Altair turns a channel given as text ("label:N") or a dict into its class through
    # SchemaBase.from_dict, which rebuilds a table of every schema class each time (1-2 ms):
    # the charts name their channels' classes instead. One condition is left (its key order
    # is part of the spec's bytes).
    from altair.utils import schemapi
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import APP

    calls = []
    from_dict = schemapi.SchemaBase.from_dict.__func__

    def counted(cls, dct, validate=True):
        calls.append(cls.__name__)
        return from_dict(cls, dct, validate)

    monkeypatch.setattr(schemapi.SchemaBase, "from_dict", classmethod(counted))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.get("vega_lite_chart")) >= 4
    assert calls == ["OpacityValue"]
