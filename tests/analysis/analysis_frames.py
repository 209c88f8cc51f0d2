"""Builders for the small hand-made logs the analysis tests use."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd

from rehab.schema import coerce_frame, empty_frame

EXERCISES = ("back_extension", "cat_stretch", "hip_rolls", "core")
START = date(2026, 9, 1)


def day(offset: int) -> date:
    """The day ``offset`` days after START (day(0) is 1 Sep 2026)."""
    return START + timedelta(days=offset)


def sessions_frame(rows: list[dict[str, Any]], file: str = "sessions.csv") -> pd.DataFrame:
    if not rows:
        return empty_frame("sessions")
    frame = pd.DataFrame(rows)
    frame["patient_id"] = frame["patient_id"].fillna("P1") if "patient_id" in frame else "P1"
    frame["date"] = pd.to_datetime(frame["date"])
    frame["source_file"] = file
    frame["source_row"] = range(2, len(frame) + 2)
    return coerce_frame("sessions", frame)


def pain_frame(rows: list[dict[str, Any]], file: str = "pain.csv") -> pd.DataFrame:
    if not rows:
        return empty_frame("pain")
    frame = pd.DataFrame(rows)
    frame["patient_id"] = frame["patient_id"].fillna("P1") if "patient_id" in frame else "P1"
    frame["date"] = pd.to_datetime(frame["date"])
    frame["source_file"] = file
    frame["source_row"] = range(2, len(frame) + 2)
    return coerce_frame("pain", frame)


def full_sessions(
    first: int,
    last: int,
    *,
    per_day: int = 3,
    patient: str = "P1",
    exercises: tuple[str, ...] = EXERCISES,
) -> list[dict[str, Any]]:
    """``per_day`` rows of every exercise on each day from day(first) to day(last)."""
    return [
        {"patient_id": patient, "date": day(offset), "exercise": exercise}
        for offset in range(first, last + 1)
        for exercise in exercises
        for _ in range(per_day)
    ]


def pain_series(
    values: list[float | None], *, first: int = 0, patient: str = "P1"
) -> list[dict[str, Any]]:
    """One pain entry a day from day(first); ``None`` leaves that day without an entry."""
    return [
        {"patient_id": patient, "date": day(first + offset), "pain": value}
        for offset, value in enumerate(values)
        if value is not None
    ]
