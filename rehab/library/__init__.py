"""The exercise library: a TOML data file validated by pydantic on load.

>>> lib = load_library()
>>> lib.match("Cat-camel")
'cat_stretch'
"""

from __future__ import annotations

import difflib
import re
import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = ["DEFAULT_LIBRARY_PATH", "Exercise", "ExerciseLibrary", "load_library", "match_key"]

DEFAULT_LIBRARY_PATH = Path(str(resources.files("rehab.library") / "exercises.toml"))

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# A near miss is matched (with a warning) when its key is this similar to one library key
# (difflib ratio: 2 * matching characters / both lengths). 0.85 takes one or two wrong,
# missing or extra letters in a name ("hip rols", "cat strech") and leaves other words
# ("plank", "hip") alone. Keys shorter than 5 letters ("cat", "ta") are never guessed at.
NEAR_MISS_RATIO = 0.85
_NEAR_MISS_MIN_LENGTH = 5
# A form's tick-box answer lists several exercises in one cell.
_LIST_SEPARATORS = re.compile(r"\s*[,;\n]\s*")


def match_key(text: str) -> str:
    """Reduce an exercise name to the key used for matching: case, spaces, punctuation gone.

    >>> match_key("  Cat-Camel ")
    'catcamel'
    """
    return _NON_ALNUM.sub("", text.strip().lower())


class Exercise(BaseModel):
    """One exercise of the programme, with its dose and the source of that dose."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    kind: Literal["stretch", "strengthening"]
    purpose: str
    for_whom: str
    steps: tuple[str, ...] = Field(min_length=1)
    reps: int | None = Field(default=None, ge=1, le=500)
    hold_seconds: float | None = Field(default=None, gt=0, le=600)
    rehab_per_day: int = Field(3, ge=1, le=10)
    maintenance_per_day: int = Field(1, ge=1, le=10)
    cautions: tuple[str, ...] = ()
    illustration: str | None = None
    source: str
    prescribed: bool = True

    @field_validator("id")
    @classmethod
    def _id_is_snake_case(cls, value: str) -> str:
        if not _ID_RE.match(value):
            raise ValueError("id must be lower snake_case, e.g. 'pelvic_tilt'")
        return value

    def svg(self, library_dir: Path | None = None) -> str | None:
        """Return the SVG text of the illustration, or ``None`` when there is none."""
        if not self.illustration:
            return None
        folder = library_dir or DEFAULT_LIBRARY_PATH.parent
        path = folder / "svg" / self.illustration
        if not path.is_file():
            path = DEFAULT_LIBRARY_PATH.parent / "svg" / self.illustration
        return path.read_text(encoding="utf-8") if path.is_file() else None


class ExerciseLibrary(BaseModel):
    """All exercises, with a case-blind lookup by id, name or alias."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    exercises: tuple[Exercise, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _keys_are_unique(self) -> ExerciseLibrary:
        seen: dict[str, str] = {}
        for exercise in self.exercises:
            for key in {match_key(k) for k in (exercise.id, exercise.name, *exercise.aliases)}:
                if key in seen and seen[key] != exercise.id:
                    raise ValueError(
                        f"'{key}' names both {seen[key]} and {exercise.id}; names and "
                        "aliases must be unique"
                    )
                seen[key] = exercise.id
        return self

    @property
    def ids(self) -> tuple[str, ...]:
        """Exercise ids in library order."""
        return tuple(e.id for e in self.exercises)

    @property
    def prescribed_ids(self) -> tuple[str, ...]:
        """Ids of the exercises the programme prescribes (adherence is measured on these)."""
        return tuple(e.id for e in self.exercises if e.prescribed)

    def get(self, exercise_id: str) -> Exercise:
        """Return the exercise with ``exercise_id``; raises ``KeyError`` when unknown."""
        for exercise in self.exercises:
            if exercise.id == exercise_id:
                return exercise
        raise KeyError(exercise_id)

    def lookup(self) -> dict[str, str]:
        """Map every match key (id, name, alias) to its exercise id."""
        return _lookup(self)

    def match(self, text: str) -> str | None:
        """Return the id of the exercise ``text`` names, or ``None`` when none does."""
        return self.lookup().get(match_key(text))

    def closest(self, text: str) -> str | None:
        """Return the id of the one exercise ``text`` nearly names (a misspelling), or ``None``.

        Only names at least :data:`NEAR_MISS_RATIO` similar to a library key count, and only
        when the nearest keys all name the same exercise.

        >>> lib = load_library()
        >>> lib.closest("hip rols"), lib.closest("plank")
        ('hip_rolls', None)
        """
        key = match_key(text)
        if len(key) < _NEAR_MISS_MIN_LENGTH:
            return None
        lookup = self.lookup()
        candidates = [k for k in lookup if len(k) >= _NEAR_MISS_MIN_LENGTH]
        best = difflib.get_close_matches(key, candidates, n=3, cutoff=NEAR_MISS_RATIO)
        ids = {lookup[k] for k in best}
        return ids.pop() if len(ids) == 1 else None

    def split_list(self, text: str) -> tuple[str, ...] | None:
        """Split a cell naming several exercises into their ids, when every part is one.

        Returns ``None`` when the cell has no separator or a part is not a library name.

        >>> load_library().split_list("Back Extension, Cat Stretch")
        ('back_extension', 'cat_stretch')
        """
        parts = [part for part in _LIST_SEPARATORS.split(text.strip()) if part]
        if len(parts) < 2:
            return None
        ids = [self.match(part) for part in parts]
        if any(found is None for found in ids):
            return None
        return tuple(found for found in ids if found is not None)

    def list_parts(self, text: str) -> str | None:
        """Return the first unknown part of a cell listing exercises, when others are known.

        ``None`` when the cell is no list, or when no part (or every part) is a library name.

        >>> load_library().list_parts("Cat Stretch; Plank")
        'Plank'
        """
        parts = [part for part in _LIST_SEPARATORS.split(text.strip()) if part]
        unknown = [part for part in parts if self.match(part) is None]
        if len(parts) < 2 or not unknown or len(unknown) == len(parts):
            return None
        return unknown[0]

    def name_of(self, exercise_id: str) -> str:
        """Return the display name of an id, or the id itself for unknown exercises."""
        try:
            return self.get(exercise_id).name
        except KeyError:
            return exercise_id


@lru_cache(maxsize=8)
def _lookup(library: ExerciseLibrary) -> dict[str, str]:
    keys: dict[str, str] = {}
    for exercise in library.exercises:
        for name in (exercise.id, exercise.name, *exercise.aliases):
            keys[match_key(name)] = exercise.id
    return keys


@lru_cache(maxsize=8)
def _load(path: Path) -> ExerciseLibrary:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return ExerciseLibrary.model_validate(data)


def load_library(path: str | Path | None = None) -> ExerciseLibrary:
    """Load and validate a library file (the bundled one by default).

    Raises ``pydantic.ValidationError`` (with the field at fault) for an invalid file and
    ``tomllib.TOMLDecodeError`` for one that is not TOML.
    """
    return _load(Path(path) if path is not None else DEFAULT_LIBRARY_PATH)
