"""Write a cohort as a phone app would export it: one sessions and one pain CSV per patient.

Files carry no patient column (the importer names the patient after the file), human headers,
ISO dates, and exercise names as people type them: mostly the library name, sometimes an
alias. With ``typos=True`` a few rows carry the mistakes real exports have (see
:mod:`rehab.sample.typos`).
"""

from __future__ import annotations

import io
import itertools
from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd

from rehab.library import load_library
from rehab.sample.typos import apply_typos, assign_typos

if TYPE_CHECKING:
    from pathlib import Path

    from rehab.library import ExerciseLibrary
    from rehab.sample.simulate import SampleCohort
    from rehab.schema import LogKind

HEADERS: Final[dict[LogKind, dict[str, str]]] = {
    "sessions": {
        "date": "Date",
        "time": "Time",
        "exercise": "Exercise",
        "sets": "Sets",
        "reps": "Reps",
        "hold_seconds": "Hold (s)",
        "pain_before": "Pain before",
        "pain_after": "Pain after",
        "notes": "Notes",
    },
    "pain": {"date": "Date", "time": "Time", "pain": "Pain", "flare": "Flare", "notes": "Notes"},
}
# What people type instead of the library name (every one is an alias in the library).
TYPED_ALIASES: Final = {
    "back_extension": ("press-up", "prone press up", "back extensions"),
    "cat_stretch": ("cat-camel", "cat stretches", "Cat camel"),
    "hip_rolls": ("knee rolls", "knee rocking", "hip roll"),
    "core": ("TA brace", "core activation", "Core exercises"),
}
# Share of a patient's rows that use an alias; each patient's app (or habit) picks one.
_ALIAS_SHARES: Final = np.array([0.0, 0.05, 0.15, 0.7])
_INT_TEXT: Final = np.array([str(i) for i in range(1001)], dtype=object)


def write_cohort(
    cohort: SampleCohort, out_dir: Path, *, typos: bool = True, seed: int = 7
) -> list[Path]:
    """Write ``<patient>_sessions.csv`` and ``<patient>_pain.csv`` for every patient.

    Parameters
    ----------
    cohort
        Frames in the canonical shape, with ``patient_id`` set.
    out_dir
        Folder to write to (created when missing); existing files of the same name are replaced.
    typos
        Put a handful of realistic mistakes into some files (well under 1 % of rows).
    seed
        Seed of the alias choice and of the mistakes.

    Returns
    -------
    list[Path]
        The files written, sessions then pain for each patient in id order.
    """
    rng = np.random.default_rng(seed)
    library = load_library()
    out_dir.mkdir(parents=True, exist_ok=True)
    sessions = cohort.sessions.sort_values("patient_id", kind="stable", ignore_index=True)
    pain = cohort.pain.sort_values("patient_id", kind="stable", ignore_index=True)
    patients = sorted(set(sessions["patient_id"].dropna()) | set(pain["patient_id"].dropna()))
    assignments = assign_typos(patients, rng) if typos else {}
    chunks: dict[LogKind, tuple[str, dict[str, str]]] = {}
    frames: dict[LogKind, pd.DataFrame] = {"sessions": sessions, "pain": pain}
    for kind, frame in frames.items():
        text = apply_typos(kind, frame, render(kind, frame, rng, library), assignments, rng)
        chunks[kind] = _lines_by_patient(kind, text)
    written: list[Path] = []
    for patient in patients:
        for kind, (header, by_patient) in chunks.items():
            path = out_dir / f"{patient}_{kind}.csv"
            path.write_text(header + by_patient.get(patient, ""), encoding="utf-8", newline="")
            written.append(path)
    return written


def render(
    kind: LogKind, frame: pd.DataFrame, rng: np.random.Generator, library: ExerciseLibrary
) -> pd.DataFrame:
    """Cell texts of ``frame`` as the export writes them, canonical column names, plus the id."""
    cells: dict[str, object] = {"patient_id": frame["patient_id"].to_numpy(dtype=object)}
    for name in HEADERS[kind]:
        column = frame[name]
        if name == "date":
            cells[name] = column.to_numpy(dtype="datetime64[D]").astype(str).astype(object)
        elif name == "exercise":
            cells[name] = _exercise_labels(frame, rng, library)
        elif name == "flare":
            said = column.fillna(False).to_numpy(dtype=bool)
            cells[name] = np.where(column.isna().to_numpy(), "", np.where(said, "yes", "no"))
        elif str(column.dtype) == "Float64":
            cells[name] = _number_text(column)
        else:
            cells[name] = column.fillna("").to_numpy(dtype=object)
    return pd.DataFrame(cells, dtype=object)


def _number_text(column: pd.Series) -> np.ndarray:
    values = column.to_numpy(dtype=np.float64, na_value=np.nan)
    text = np.full(len(values), "", dtype=object)
    known = ~np.isnan(values)
    whole = known & (values == np.round(values)) & (values >= 0) & (values < len(_INT_TEXT))
    text[whole] = _INT_TEXT[values[whole].astype(np.int64)]
    other = np.flatnonzero(known & ~whole)
    text[other] = [f"{values[i]:g}" for i in other]
    return text


def _exercise_labels(
    frame: pd.DataFrame, rng: np.random.Generator, library: ExerciseLibrary
) -> np.ndarray:
    ids = frame["exercise"].fillna("").to_numpy(dtype=object)
    labels = ids.copy()
    patient_code, patients = pd.factorize(frame["patient_id"])
    share = rng.choice(_ALIAS_SHARES, size=len(patients))[patient_code]
    use_alias = rng.random(len(ids)) < share
    alias_pick = rng.integers(0, 3, len(ids))
    known = frame["exercise_known"].to_numpy(dtype=bool)
    for exercise_id in library.ids:
        rows = known & (ids == exercise_id)
        labels[rows] = library.name_of(exercise_id)
        aliases = TYPED_ALIASES.get(exercise_id)
        if aliases:
            chosen = rows & use_alias
            labels[chosen] = np.asarray(aliases, dtype=object)[alias_pick[chosen] % len(aliases)]
    return labels


def _lines_by_patient(kind: LogKind, text: pd.DataFrame) -> tuple[str, dict[str, str]]:
    """Return the header line, and each patient's rows as CSV text (quoted where needed)."""
    headers = HEADERS[kind]
    buffer = io.StringIO()
    text[list(headers)].rename(columns=headers).to_csv(buffer, index=False, lineterminator="\n")
    header, _, body = buffer.getvalue().partition("\n")
    lines = body.splitlines(keepends=True)
    patient = text["patient_id"].to_numpy(dtype=object)
    if len(lines) != len(patient):  # a note with a line break: fall back to one write each
        return header + "\n", _per_patient_csv(text, headers)
    if not len(patient):
        return header + "\n", {}
    starts = np.flatnonzero(np.r_[True, patient[1:] != patient[:-1]])
    bounds = [*(int(s) for s in starts), len(patient)]
    return header + "\n", {str(patient[a]): "".join(lines[a:b]) for a, b in itertools.pairwise(bounds)}


def _per_patient_csv(text: pd.DataFrame, headers: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for patient, rows in text.groupby("patient_id", sort=False):
        body = rows[list(headers)].to_csv(index=False, header=False, lineterminator="\n")
        out[str(patient)] = body
    return out
