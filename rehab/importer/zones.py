"""Patients' time zones: checking IANA names and moving UTC stamps to the local day.

A UTC stamp (``2026-11-03T07:30:00Z``) says when, not which day the patient lived it: an
evening entry in Los Angeles is already the next day in UTC, and a Tokyo breakfast is still
the day before. The conversion runs on distinct values, one vectorised pandas conversion
per zone, so daylight saving changes are the zone database's, not ours.
"""

from __future__ import annotations

import zoneinfo
from functools import cache
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["EXAMPLE_ZONE", "to_local", "zone_problem"]

EXAMPLE_ZONE: Final = "Europe/Berlin"


@cache
def _known(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def zone_problem(name: str) -> str | None:
    """Return why ``name`` is not a usable time zone, or ``None`` when it is one.

    >>> zone_problem("Europe/Berlin") is None
    True
    >>> zone_problem("Berlin")
    "'Berlin' is not a time zone name; use an IANA name such as Europe/Berlin or America/Los_Angeles"
    """
    if name and name.strip() == name and _known(name):
        return None
    shown = name if len(name) <= 40 else name[:40] + "…"
    return (
        f"{shown!r} is not a time zone name; use an IANA name such as {EXAMPLE_ZONE} "
        "or America/Los_Angeles"
    )


def to_local(
    instants: npt.NDArray[np.datetime64], zones: npt.NDArray[np.object_]
) -> npt.NDArray[np.datetime64]:
    """Move UTC instants to the wall-clock time of each one's zone (naive result).

    Parameters
    ----------
    instants
        UTC date-times (``datetime64``), one per distinct value.
    zones
        IANA zone name per instant (every name valid; see :func:`zone_problem`).

    Returns
    -------
    numpy.ndarray
        Local date-times, ``datetime64[ns]``, without a zone.
    """
    local = np.asarray(instants, dtype="datetime64[ns]").copy()
    for zone in pd.unique(zones):
        where = zones == zone
        stamps = pd.DatetimeIndex(local[where]).tz_localize("UTC").tz_convert(str(zone))
        local[where] = stamps.tz_localize(None).to_numpy(dtype="datetime64[ns]")
    return local
