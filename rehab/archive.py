"""Unpack a ZIP of CSV logs (or FHIR JSON), within limits, so a therapist can drop one archive.

Limits guard against archives that expand to far more than they weigh (zip bombs): a cap on
entries, on the total unpacked size, on each entry, and on the compression ratio. Nothing is
written to disk; entries are read into memory one by one and checked as they are read.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

CSV_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
# FHIR Bundles (JSON) and bulk-data NDJSON are read too (rehab/fhir).
LOG_SUFFIXES = CSV_SUFFIXES | {".json", ".ndjson"}


@dataclass(frozen=True)
class ArchiveLimits:
    """How much one archive may unpack to."""

    max_entries: int = 2_000
    max_total_bytes: int = 200 * 1024 * 1024
    max_entry_bytes: int = 50 * 1024 * 1024
    max_ratio: float = 100.0


@dataclass
class Unpacked:
    """The files to import, and a plain note for everything that was left out."""

    files: list[tuple[str, bytes]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def is_zip(data: bytes) -> bool:
    """Return whether ``data`` starts like a ZIP archive."""
    return data[:4] == b"PK\x03\x04"


def _wanted(info: zipfile.ZipInfo) -> bool:
    path = PurePosixPath(info.filename)
    hidden = any(part.startswith((".", "__MACOSX")) for part in path.parts)
    return not info.is_dir() and not hidden and path.suffix.lower() in LOG_SUFFIXES


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes | None:
    # Read in chunks and stop at the budget: the sizes in the header can lie.
    chunks, read = [], 0
    with archive.open(info) as handle:
        while chunk := handle.read(1 << 20):
            read += len(chunk)
            if read > budget:
                return None
            chunks.append(chunk)
    return b"".join(chunks)


def unpack_zip(name: str, data: bytes, limits: ArchiveLimits | None = None) -> Unpacked:
    """Return the CSV entries of a ZIP archive (by base name), or notes on why not."""
    limits = limits or ArchiveLimits()
    result = Unpacked()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        result.notes.append(f"{name}: not a readable ZIP archive")
        return result
    with archive:
        entries = [info for info in archive.infolist() if _wanted(info)]
        skipped = len([i for i in archive.infolist() if not i.is_dir()]) - len(entries)
        if skipped:
            result.notes.append(f"{name}: {skipped} entries that are not CSV files were skipped")
        if len(entries) > limits.max_entries:
            result.notes.append(
                f"{name}: {len(entries)} files is more than the "
                f"{limits.max_entries} one archive may hold; nothing was read"
            )
            return result
        total = 0
        for info in entries:
            entry = f"{name}/{info.filename}"
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_ratio:
                result.notes.append(
                    f"{entry}: compressed {ratio:.0f} to 1, more than the "
                    f"{limits.max_ratio:.0f} to 1 allowed; skipped"
                )
                continue
            budget = min(limits.max_entry_bytes, limits.max_total_bytes - total)
            try:
                content = _read_entry(archive, info, budget)
            # RuntimeError: encrypted entry; NotImplementedError: a compression method
            # zipfile cannot read. Either way the entry is skipped with a note.
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
                result.notes.append(f"{entry}: could not be read (damaged or encrypted)")
                continue
            if content is None:
                result.notes.append(
                    f"{entry}: larger than the size limit ({limits.max_entry_bytes // (1024 * 1024)} "
                    f"MB a file, {limits.max_total_bytes // (1024 * 1024)} MB an upload unpacked); "
                    "skipped: split the upload into smaller ones"
                )
                continue
            total += len(content)
            result.files.append((PurePosixPath(info.filename).name, content))
    return result


def expand_uploads(files: Iterable[tuple[str, bytes]], limits: ArchiveLimits | None = None) -> Unpacked:
    """Replace every ZIP among ``files`` by its CSV entries; other files pass through.

    The total unpacked size is a limit of the whole upload (every file and archive), not of
    each archive: what is past it is left out with a note saying how to split the upload.
    """
    limits = limits or ArchiveLimits()
    result = Unpacked()
    total = 0
    for name, data in files:
        left = limits.max_total_bytes - total
        if is_zip(data):
            unpacked = unpack_zip(name, data, replace(limits, max_total_bytes=max(left, 0)))
            result.files.extend(unpacked.files)
            result.notes.extend(unpacked.notes)
            total += sum(len(content) for _, content in unpacked.files)
        elif len(data) > left:
            result.notes.append(
                f"{name}: the upload is past {limits.max_total_bytes // (1024 * 1024)} MB unpacked "
                "in all, so this file was left out; upload the rest separately"
            )
        else:
            result.files.append((name, data))
            total += len(data)
    return result
