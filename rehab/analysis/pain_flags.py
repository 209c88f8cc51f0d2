"""Flags read from the pain entries: severe pain, flares, and pain that does not improve."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from rehab.analysis.inputs import day_date
from rehab.analysis.models import Flag
from rehab.analysis.text import date_list, pain_value, short_date
from rehab.analysis.thresholds import at_least
from rehab.wording import plural

if TYPE_CHECKING:
    from datetime import date

    from rehab.analysis.daily import DailyPain, DayGrid
    from rehab.analysis.pain import FlareDays, PainTotals
    from rehab.settings import RuleSettings


def provenance(rows: pd.DataFrame) -> list[tuple[str, int]]:
    """``(source_file, source_row)`` of each row that has a row number, in row order."""
    pairs = {
        ("" if pd.isna(file) else str(file), int(row))
        for file, row in zip(rows["source_file"], rows["source_row"], strict=True)
        if pd.notna(row)
    }
    return sorted(pairs)


@dataclass(frozen=True)
class PainFlagInputs:
    """What the pain flags read: the grid, daily pain, entries and the as-of day."""

    grid: DayGrid
    pain: DailyPain
    entries: pd.DataFrame
    as_of_day: int
    settings: RuleSettings

    @property
    def recent(self) -> np.ndarray:
        """Grid days in the "last N days" window (the as-of date and the days before it)."""
        return np.asarray(self.grid.day > self.as_of_day - self.settings.recent_days)

    def entry_rows(self) -> np.ndarray:
        """Grid row of every pain entry."""
        return self.grid.row(self.entries["patient"].to_numpy(), self.entries["day"].to_numpy())


def severe_pain_flags(data: PainFlagInputs) -> dict[int, Flag]:
    """``severe_pain``: a daily maximum at or above ``severe_pain`` in the last days."""
    threshold = data.settings.severe_pain
    severe_day = data.recent & at_least(data.pain.high, threshold)
    if not severe_day.any():
        return {}
    pain = data.entries["pain"].to_numpy(dtype=np.float64)
    raising = data.entries[severe_day[data.entry_rows()] & at_least(pain, threshold)]
    flags: dict[int, Flag] = {}
    for patient, group in raising.groupby("patient", sort=True):
        days = [day_date(day) for day in sorted(set(group["day"].tolist()))]
        peak = float(group["pain"].max())
        flags[int(str(patient))] = Flag(
            code="severe_pain",
            tier="critical",
            message=(
                f"Pain reached {pain_value(peak)} out of 10 on {date_list(days)}. Pain of "
                f"{pain_value(threshold)} or more needs a check: please contact your therapist "
                "or doctor."
            ),
            dates=days,
            rows=provenance(group),
        )
    return flags


def pain_flare_flags(data: PainFlagInputs, flares: FlareDays) -> dict[int, Flag]:
    """``pain_flare``: a recent day far above the days before it, or a day tagged a flare."""
    risen = data.recent & flares.risen
    tagged = data.recent & data.pain.flare_tagged
    if not (risen | tagged).any():
        return {}
    on_day = (risen | tagged)[data.entry_rows()]
    flagged_entries = data.entries[
        on_day & (risen[data.entry_rows()] | data.entries["flare"].fillna(False))
    ]
    flags: dict[int, Flag] = {}
    for patient, group in flagged_entries.groupby("patient", sort=True):
        days = [day_date(day) for day in sorted(set(group["day"].tolist()))]
        flags[int(str(patient))] = Flag(
            code="pain_flare",
            tier="high",
            message=_flare_message(data, flares, int(str(patient)), days),
            dates=days,
            rows=provenance(group),
        )
    return flags


def _flare_message(data: PainFlagInputs, flares: FlareDays, patient: int, days: list[date]) -> str:
    begin, end = int(data.grid.offsets[patient]), int(data.grid.offsets[patient + 1])
    risen_rows = begin + np.flatnonzero(flares.risen[begin:end] & data.recent[begin:end])
    advice = "Ease off, and contact your therapist if it does not settle within a day or two."
    if len(risen_rows):
        latest = int(risen_rows[-1])
        latest_day = day_date(int(data.grid.day[latest]))
        when = "" if days == [latest_day] else f" on {short_date(latest_day)}"
        return (
            f"Pain flared on {date_list(days)}: {pain_value(float(data.pain.mean[latest]))}{when}, "
            f"up from about {pain_value(float(flares.reference[latest]))} on the days before. "
            f"{advice}"
        )
    return f"A flare-up was noted on {date_list(days)}. {advice}"


def not_improving_flags(totals: PainTotals, as_of_day: int, settings: RuleSettings) -> dict[int, Flag]:
    """``not_improving``: long enough since the first pain entry, and no MCID improvement.

    The flag's date is the last pain entry, the day current pain was measured.
    """
    since_first = as_of_day - totals.first_entry_day
    due = (totals.first_entry_day >= 0) & (since_first >= settings.not_improving_days)
    flags: dict[int, Flag] = {}
    for patient in np.flatnonzero(due & ~totals.mcid_reached).tolist():
        days = int(since_first[patient])
        flags[patient] = Flag(
            code="not_improving",
            tier="moderate",
            message=(
                f"Pain has not improved enough yet: {plural(days, 'day')} since the first entry, "
                f"from {pain_value(float(totals.baseline[patient]))} to "
                f"{pain_value(float(totals.current[patient]))}. Pain that lasts longer than a "
                "week or two is worth seeing your doctor or physical therapist about."
            ),
            dates=[day_date(int(totals.last_entry_day[patient]))],
        )
    return flags
