"""Hand-built analysis frames for the chart tests, and tools to read a chart's spec."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator, Mapping, Sequence

EXERCISES = ("back_extension", "cat_stretch", "hip_rolls", "core")
NAMES = {
    "back_extension": "Back Extension",
    "cat_stretch": "Cat Stretch",
    "hip_rolls": "Hip Rolls",
    "core": "Core",
}
START = pd.Timestamp("2026-09-01")  # a Tuesday


@dataclass(frozen=True)
class Phase:
    phase: str
    start: dt.date
    end: dt.date | None
    reason: str


def day(offset: int) -> pd.Timestamp:
    return START + pd.Timedelta(days=offset)


def daily_frame(
    pain: Sequence[float | None],
    *,
    maintenance_from: int | None = None,
    sessions: Sequence[int] | None = None,
    has_log: Sequence[bool] | None = None,
) -> pd.DataFrame:
    """One row per day from START; pain None = no pain entry; each exercise gets ``sessions[i]``."""
    days = len(pain)
    per_exercise = list(sessions) if sessions is not None else [3] * days
    phase = [
        "maintenance" if maintenance_from is not None and i >= maintenance_from else "rehab"
        for i in range(days)
    ]
    target = [1 if p == "maintenance" else 3 for p in phase]
    mean = pd.Series([float("nan") if p is None else float(p) for p in pain], dtype="float64")
    frame = pd.DataFrame(
        {
            "date": pd.date_range(START, periods=days),
            "pain_mean": mean,
            "pain_min": mean - 1,
            "pain_max": mean + 1,
            "pain_entries": mean.notna().astype("int64") * 2,
            "pain_rolling7": mean.rolling(7, min_periods=1).mean(),
            "pain_free": (mean + 1) <= 1,
        }
    )
    for exercise in EXERCISES:
        frame[f"sessions_{exercise}"] = per_exercise
    frame["sessions"] = [count * len(EXERCISES) for count in per_exercise]
    frame["has_log"] = list(has_log) if has_log is not None else [True] * days
    frame["phase"] = phase
    frame["target"] = target
    frame["adherence"] = [min(s, t) / t for s, t in zip(per_exercise, target, strict=True)]
    frame["flare_tagged"] = False
    return frame


def long_daily_frame(years: int = 20) -> pd.DataFrame:
    """A daily frame spanning ``years`` years (pain every other day), maintenance from day 100."""
    days = years * 366
    pain = [None if i % 2 else float(i % 9) for i in range(days)]
    return daily_frame(pain, maintenance_from=100, sessions=[i % 4 for i in range(days)])


def spec(chart: Any) -> dict[str, Any]:
    result: dict[str, Any] = chart.to_dict()
    return result


def units(node: Mapping[str, Any], inherited: Any = None) -> Iterator[tuple[dict[str, Any], Any]]:
    """Yield every single-view spec (one with a mark) with the data it draws."""
    data = node.get("data", inherited)
    if "mark" in node:
        yield dict(node), data
    for key in ("layer", "vconcat", "hconcat", "concat"):
        for child in node.get(key, []):
            yield from units(child, data)


def rows_of(top: Mapping[str, Any], data: Any) -> list[dict[str, Any]]:
    if data is None:
        return []
    if "values" in data:
        return list(data["values"])
    return list(top["datasets"][data["name"]])


def mark_type(unit: Mapping[str, Any]) -> str:
    mark = unit["mark"]
    return str(mark if isinstance(mark, str) else mark["type"])


def mark_prop(unit: Mapping[str, Any], name: str) -> Any:
    mark = unit["mark"]
    return None if isinstance(mark, str) else mark.get(name)


def find(
    top: Mapping[str, Any], mark: str, **where: Any
) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Units with mark type ``mark`` whose mark properties match ``where``, with their rows."""
    found = []
    for unit, data in units(top):
        if mark_type(unit) != mark:
            continue
        if all(mark_prop(unit, key) == value for key, value in where.items()):
            found.append((unit, rows_of(top, data)))
    return found


def filters(unit: Mapping[str, Any]) -> list[Any]:
    return [step["filter"] for step in unit.get("transform", []) if "filter" in step]


def tooltips(unit: Mapping[str, Any]) -> list[dict[str, Any]]:
    tooltip = unit.get("encoding", {}).get("tooltip", [])
    return list(tooltip if isinstance(tooltip, list) else [tooltip])


def all_params(top: Mapping[str, Any]) -> list[dict[str, Any]]:
    found = list(top.get("params", []))
    for unit, _ in units(top):
        found.extend(unit.get("params", []))
    return found


def title_text(node: Mapping[str, Any]) -> str:
    title = node["title"]
    return str(title if isinstance(title, str) else title["text"])


def texts(top: Mapping[str, Any]) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Text units that are read (not the white halos drawn under them)."""
    return [(unit, rows) for unit, rows in find(top, "text") if mark_prop(unit, "color") != "white"]


def halos(top: Mapping[str, Any]) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    return [(unit, rows) for unit, rows in find(top, "text") if mark_prop(unit, "stroke") == "white"]
