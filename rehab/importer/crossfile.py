"""Rows repeated across the files of one upload: two copies of a file, overlapping exports.

Within a file, exact repeats are found on the cells as written (:mod:`rehab.importer.coded`).
Across files the same rows may be written differently (another export's date format), so
they are compared as imported: same patient, date, time, exercise or pain, and values. A
row already imported from an earlier file of the upload is dropped and reported, like a
duplicate within a file, and each file's counts stay ``rows == accepted + rejected +
duplicates``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import numpy as np
import pandas as pd

from rehab.importer.issuelog import ImportIssue, cut_text, row_ranges
from rehab.schema import PROVENANCE

if TYPE_CHECKING:
    from rehab.importer.results import FileImport

__all__ = ["CROSS_FILE_KINDS", "drop_cross_file_repeats", "repeat_issue"]

# Questionnaires too (rehab/measures): the same form uploaded twice is one response.
CROSS_FILE_KINDS: Final[tuple[str, ...]] = ("sessions", "pain", "measures")


def _first_of_group(frame: pd.DataFrame) -> np.ndarray:
    """For each row, the position of the first row with exactly the same values."""
    keys = [c for c in frame.columns if c not in PROVENANCE]
    group = frame.groupby(keys, dropna=False, sort=False).ngroup().to_numpy()
    first = np.full(int(group.max()) + 1, len(frame), dtype=np.int64)
    np.minimum.at(first, group, np.arange(len(frame)))
    return first[group]


def repeat_issue(source: str, picked: np.ndarray) -> ImportIssue:
    """Return the one issue naming a file's rows already imported from ``source`` (sorted, unique).

    Shared with the Dask path (rehab/scale), which finds the same repeats across partitions.
    """
    return ImportIssue(
        row=int(picked[0]),
        column=None,
        code="duplicate_across_files",
        severity="warning",
        message=_message(source),
        count=len(picked),
        rows=row_ranges(picked, 20) if len(picked) > 1 else None,
    )


def _message(source: str) -> str:
    return (
        f"Already imported from {cut_text(source)}, value for value (the same rows uploaded "
        "twice, or overlapping exports?): counted once, so this copy was not imported."
    )


def _drop(file: FileImport, kind: str, repeat: np.ndarray, sources: list[str]) -> None:
    """Remove ``repeat`` rows from one file's frame and move them from accepted to duplicates."""
    frame: pd.DataFrame = getattr(file, kind)
    rows = frame["source_row"].to_numpy(dtype=np.int64, na_value=-1)
    kept_rows = set(rows[~repeat].tolist())
    gone = np.unique(rows[repeat])
    # A file row is a duplicate when none of its sessions is left (a listed cell's others).
    gone = gone[~np.isin(gone, list(kept_rows))] if kept_rows else gone
    setattr(file, kind, frame[~repeat].reset_index(drop=True))
    report = file.report
    report.accepted -= len(gone)
    report.duplicates += len(gone)
    remaining = int((~repeat).sum())
    report.sessions = remaining if remaining != report.accepted else None
    for source in sorted(set(sources)):
        picked = np.unique(rows[repeat][np.asarray(sources) == source])
        report.issues.append(repeat_issue(source, picked))


def _sharing_a_patient(frames: list[tuple[int, pd.DataFrame]]) -> list[tuple[int, pd.DataFrame]]:
    """Keep the frames holding a patient that another frame holds too.

    A repeat has the same patient as the row it repeats, so a file whose patients no other
    file has can hold no repeat and be the source of none: an upload of one file per patient
    and kind skips concatenating and grouping every row (a millisecond a file).
    """
    if any("patient_id" not in frame.columns for _, frame in frames):
        return frames
    patients = [set(frame["patient_id"].unique().tolist()) for _, frame in frames]
    files_per_patient: dict[object, int] = {}
    for names in patients:
        for name in names:
            files_per_patient[name] = files_per_patient.get(name, 0) + 1
    return [
        frame
        for frame, names in zip(frames, patients, strict=True)
        if any(files_per_patient[name] > 1 for name in names)
    ]


def drop_cross_file_repeats(files: list[FileImport]) -> None:
    """Drop, from later files, the rows already imported from an earlier file of the upload."""
    if len(files) < 2:
        return
    for kind in CROSS_FILE_KINDS:
        frames = [(i, frame) for i, f in enumerate(files) if (frame := f.rows(kind)) is not None]
        frames = _sharing_a_patient(frames)
        if len({i for i, _ in frames}) < 2:
            continue
        # The owner of each row from the frames' lengths: a file_index column added to every
        # frame copied each of them (a millisecond a file in an upload of hundreds).
        both = pd.concat([frame for _, frame in frames], ignore_index=True)
        first = _first_of_group(both)
        owner = np.repeat([i for i, _ in frames], [len(frame) for _, frame in frames])
        repeat = owner[first] != owner
        if not repeat.any():
            continue
        start = 0
        for index, frame in frames:
            part = slice(start, start + len(frame))
            start += len(frame)
            if repeat[part].any():
                names = [files[int(o)].report.file for o in owner[first[part]][repeat[part]]]
                _drop(files[index], kind, repeat[part], names)
