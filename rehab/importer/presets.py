"""Presets: the exports of apps people already use, read as they are.

Each preset is the exact header of one app's export (every variant seen in the wild) and
what each of its columns means to rehab. A file whose header matches a preset exactly is
read with it, and the import report says so. The shapes were checked against open-source
code that writes or parses each export (``source``); ``docs/data-format.md`` lists the
presets from these definitions (``python -m rehab docs``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from rehab.schema import LogKind

__all__ = ["PRESETS", "LongLayout", "Preset", "match_preset"]


@dataclass(frozen=True)
class LongLayout:
    """A long export: one row per measurement, the series name in one column, its value in another."""

    series: str
    value: str
    # (column, value): only these rows can hold the series read (Bearable: its Health
    # measurements, where pain is 0-10; its symptoms are 0-4), and why, for the report.
    scope: tuple[str, str] | None = None
    scope_note: str = ""


@dataclass(frozen=True)
class Preset:
    """One app's export: its exact headers and what rehab reads from them."""

    name: str
    app: str
    kind: LogKind
    headers: tuple[tuple[str, ...], ...]
    columns: tuple[tuple[str, str], ...]
    summary: str
    source: str
    example: tuple[str, str]
    long: LongLayout | None = None

    @property
    def ignored(self) -> tuple[str, ...]:
        """Headers of the export that rehab does not use (in the first variant's order)."""
        used = {header for header, _ in self.columns}
        if self.long is not None:
            used |= {self.long.series, self.long.value}
        seen: list[str] = []
        for variant in self.headers:
            seen.extend(h for h in variant if h not in used and h not in seen)
        return tuple(seen)


STRONG: Final = Preset(
    name="strong",
    app="Strong",
    kind="sessions",
    headers=(
        # Current export: comma-separated, a workout Duration column, times like 5:30:00 pm.
        (
            "Date",
            "Workout Name",
            "Duration",
            "Exercise Name",
            "Set Order",
            "Weight",
            "Reps",
            "Distance",
            "Seconds",
            "Notes",
            "Workout Notes",
            "RPE",
        ),
        # Older export: semicolon-separated, with unit columns.
        (
            "Date",
            "Workout Name",
            "Exercise Name",
            "Set Order",
            "Weight",
            "Weight Unit",
            "Reps",
            "RPE",
            "Distance",
            "Distance Unit",
            "Seconds",
            "Notes",
            "Workout Notes",
        ),
    ),
    columns=(
        ("Date", "date"),
        ("Exercise Name", "exercise"),
        ("Set Order", "set_number"),
        ("Reps", "reps"),
        ("Notes", "notes"),
    ),
    summary=(
        "Workout app, one row per set. Each exercise's sets in a workout count as one "
        "session of that exercise; weights, distances and the workout's name are not used."
    ),
    source=(
        "jake-walker/workout-converter (sample_data/strong.csv, src/adapters/strong.ts); "
        "mtanzim/vis-strong-go (README, the semicolon export)"
    ),
    example=(
        "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,"
        "Notes,Workout Notes,RPE",
        '2026-10-01 8:05:00 am,"Back rehab",20m,"Cat Cow",1,0,10,0,0,"","",',
    ),
)

_HEVY_COMMON: Final = (
    "title",
    "start_time",
    "end_time",
    "description",
    "exercise_title",
    "superset_id",
    "exercise_notes",
    "set_index",
    "set_type",
)

HEVY: Final = Preset(
    name="hevy",
    app="Hevy",
    kind="sessions",
    headers=(
        (*_HEVY_COMMON, "weight_kg", "reps", "distance_km", "duration_seconds", "rpe"),
        (*_HEVY_COMMON, "weight_lbs", "reps", "distance_miles", "duration_seconds", "rpe"),
    ),
    columns=(
        ("start_time", "date"),
        ("exercise_title", "exercise"),
        ("set_index", "set_number"),
        ("reps", "reps"),
        ("exercise_notes", "notes"),
    ),
    summary=(
        "Workout app, one row per set (set_index counts from 0). Each exercise's sets in a "
        "workout count as one session of that exercise, on the workout's start day; its "
        "dates like '30 Jan 2025, 12:34' are read as 2025-01-30 12:34."
    ),
    source=(
        "jake-walker/workout-converter (test/sample_data/hevy.csv, kg); "
        "multiplex55/Multi_Hevy_Workout_Dashboard (README, lbs)"
    ),
    example=(
        '"title","start_time","end_time","description","exercise_title","superset_id",'
        '"exercise_notes","set_index","set_type","weight_kg","reps","distance_km",'
        '"duration_seconds","rpe"',
        '"Back rehab","1 Oct 2026, 08:05","1 Oct 2026, 08:25","","Bird Dog",,"",0,"normal",,10,,,',
    ),
)

SYMPTOM_SHARK: Final = Preset(
    name="symptom_shark",
    app="Symptom Shark (MyDataHelps)",
    kind="pain",
    headers=(("ParticipantID", "ParticipantIdentifier", "Date", "Symptom", "Severity"),),
    columns=(("ParticipantIdentifier", "patient_id"), ("Date", "date")),
    long=LongLayout(series="Symptom", value="Severity"),
    summary=(
        "Symptom diary, one row per symptom and day. The rows of a pain symptom (named "
        "Pain or Back pain, or the one you map) are read as pain; a 1-10 severity is read "
        "as it is, and Mild/Moderate/Severe is refused (it is not a 0-10 pain score)."
    ),
    source="MyDataHelps support: 'Symptom Shark Symptom Logs Export Format' (CSV example)",
    example=(
        "ParticipantID,ParticipantIdentifier,Date,Symptom,Severity",
        "ba9c19c4-9938-420f-aba6-d6d6c88c6417,MDH-5826-3273,2026-10-01,Back pain,4",
    ),
)

BEARABLE: Final = Preset(
    name="bearable",
    app="Bearable",
    kind="pain",
    headers=(
        (
            "date",
            "date formatted",
            "weekday",
            "time of day",
            "category",
            "rating/amount",
            "detail",
            "notes",
        ),
    ),
    columns=(("date formatted", "date"), ("notes", "notes")),
    long=LongLayout(
        series="detail",
        value="rating/amount",
        scope=("category", "Health measurements"),
        scope_note=(
            "Bearable rates symptoms from 0 (none) to 4 (unbearable), which is not a 0-10 "
            "pain score, so symptom rows are never read as pain: log pain in Bearable as a "
            "0-10 Health measurement."
        ),
    ),
    summary=(
        "Health diary, one row per entry. Only its Health measurements are read: a "
        "measurement named like pain (Pain, Back pain, Pain level, or the one you map) is "
        "the 0-10 pain score. Symptoms (0-4), mood, sleep and factors are left out, counted."
    ),
    source=(
        "Bearable support: 'What are all the different scales used in Bearable?'; "
        "rhermanek/bearable_viewer (analyzer.py) and an open-source Bearable normaliser "
        "(date, date formatted, weekday, time of day, category, rating/amount, detail, notes)"
    ),
    example=(
        "date,date formatted,weekday,time of day,category,rating/amount,detail,notes",
        "2026-10-01,2026-10-01,Thursday,am,Health measurements,4,Back pain,",
    ),
)

PRESETS: Final = (STRONG, HEVY, SYMPTOM_SHARK, BEARABLE)


def _clean(header: tuple[str, ...]) -> tuple[str, ...]:
    # A spreadsheet's byte-order mark and stray spaces are not part of the header.
    return tuple(text.lstrip("\ufeff").strip() for text in header)


def match_preset(header: tuple[str, ...]) -> Preset | None:
    """Return the preset whose header is exactly ``header`` (spaces and BOM aside), if any."""
    cleaned = _clean(header)
    for preset in PRESETS:
        if cleaned in preset.headers:
            return preset
    return None
