"""Comparisons against clinical thresholds that do not trip over floating-point rounding.

Pain means such as (6.1 + 7.9) / 2 or a change of 30 % are computed in binary floating point;
a value that is mathematically at a threshold must count as reaching it.
"""

from __future__ import annotations

from typing import Final

import numpy as np

TOLERANCE: Final = 1e-9


def at_least(values: np.ndarray, threshold: float) -> np.ndarray:
    """``values >= threshold``, counting values within rounding error of it (NaN is False)."""
    return np.asarray(values >= threshold - TOLERANCE)


def at_most(values: np.ndarray, threshold: float) -> np.ndarray:
    """``values <= threshold``, counting values within rounding error of it (NaN is False)."""
    return np.asarray(values <= threshold + TOLERANCE)


def reaches(value: float, threshold: float) -> bool:
    """Scalar ``value >= threshold`` with the same tolerance."""
    return value >= threshold - TOLERANCE
