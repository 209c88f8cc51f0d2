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
