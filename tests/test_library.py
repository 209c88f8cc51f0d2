import tomllib
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

import pytest
from pydantic import ValidationError

from rehab.library import DEFAULT_LIBRARY_PATH, ExerciseLibrary, load_library

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.parametrize(
    ("text", "exercise_id"),
    [
        ("Back Extension", "back_extension"),
        ("back_extension", "back_extension"),
        ("press-up", "back_extension"),
        ("Cat-camel", "cat_stretch"),
        ("CAT STRETCH", "cat_stretch"),
        ("knee rolls", "hip_rolls"),
        ("Hip Rolls", "hip_rolls"),
        ("TA brace", "core"),
        ("Core Exercise", "core"),
    ],
)
def test_names_and_aliases_match_case_blind(text, exercise_id):
    assert load_library().match(text) == exercise_id


def test_unknown_exercise_does_not_match():
    assert load_library().match("jogging") is None


def test_programme_doses_follow_the_article():
    lib = load_library()
    assert lib.prescribed_ids == ("back_extension", "cat_stretch", "hip_rolls", "core")
    assert (lib.get("back_extension").reps, lib.get("back_extension").hold_seconds) == (10, 15)
    assert (lib.get("cat_stretch").reps, lib.get("cat_stretch").hold_seconds) == (10, 15)
    assert (lib.get("hip_rolls").reps, lib.get("hip_rolls").hold_seconds) == (10, 5)
    assert all(e.rehab_per_day == 3 and e.maintenance_per_day == 1 for e in lib.exercises)
    assert lib.get("core").kind == "strengthening"


def test_every_exercise_has_an_illustration_on_disk():
    lib = load_library()
    for exercise in lib.exercises:
        svg = exercise.svg()
        assert svg is not None, exercise.id
        assert "<svg" in svg


SVG_NS = "{http://www.w3.org/2000/svg}"


def _pictures() -> dict[str, ET.Element]:
    pictures = {}
    for exercise in load_library().exercises:
        svg = exercise.svg()
        assert svg is not None, exercise.id
        pictures[exercise.id] = ET.fromstring(svg)
    return pictures


def test_the_pictures_share_one_canvas_and_background():
    # Issue 19 of the browser review: the pictures share one style.
    backgrounds = set()
    for exercise_id, root in _pictures().items():
        first = root.find(f"{SVG_NS}rect")
        assert first is not None, exercise_id
        backgrounds.add((root.get("viewBox"), tuple(sorted(first.attrib.items()))))
    assert len(backgrounds) == 1, backgrounds


def test_no_picture_draws_a_frame():
    # Hip Rolls had an outlined mat (a stroked rect just inside the edge) the other three did
    # not: it read as a frame. No rect may be outlined, and no rect other than the shared
    # background may span most of the picture.
    for exercise_id, root in _pictures().items():
        _, _, width, height = (float(v) for v in (root.get("viewBox") or "").split())
        rects = root.iter(f"{SVG_NS}rect")
        next(rects)  # the shared background panel
        for rect in rects:
            assert rect.get("stroke") in (None, "none"), (exercise_id, rect.attrib)
            wide = float(rect.get("width", 0)) > 0.8 * width
            tall = float(rect.get("height", 0)) > 0.5 * height
            assert not (wide and tall), (exercise_id, rect.attrib)


def _library_data() -> dict:
    with DEFAULT_LIBRARY_PATH.open("rb") as handle:
        return tomllib.load(handle)


def test_a_clinic_library_can_add_an_exercise(tmp_path: "Path"):
    text = (
        DEFAULT_LIBRARY_PATH.read_text(encoding="utf-8")
        + """
[[exercises]]
id = "pelvic_tilt"
name = "Pelvic Tilt"
aliases = ["tilt"]
kind = "strengthening"
purpose = "Flattens the lower back against the floor."
for_whom = "Everyone"
steps = ["Lie on your back", "Flatten your lower back"]
reps = 10
source = "Clinic protocol"
"""
    )
    path = tmp_path / "clinic.toml"
    path.write_text(text, encoding="utf-8")
    lib = load_library(path)
    assert lib.match("tilt") == "pelvic_tilt"
    assert "pelvic_tilt" in lib.prescribed_ids


def test_an_alias_naming_two_exercises_is_refused():
    data = _library_data()
    data["exercises"][1]["aliases"] = [*data["exercises"][1]["aliases"], "press up"]
    with pytest.raises(ValidationError, match="names both"):
        ExerciseLibrary.model_validate(data)


def test_a_bad_id_is_refused():
    data = _library_data()
    data["exercises"][0]["id"] = "Back Extension"
    with pytest.raises(ValidationError, match="snake_case"):
        ExerciseLibrary.model_validate(data)
