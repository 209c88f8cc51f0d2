"""Names for files made from what a file said: downloads and reports named after patient ids.

A patient id or an uploaded file's name is data, and may hold path separators, quotes,
control characters or a Windows device name. :func:`safe_filename` turns any of them into a
name that stays inside the folder it is saved to and that a browser's download dialog
shows as written.

>>> safe_filename("PT-1/../../etc", "_report.pdf")
'PT-1_.._.._etc_report.pdf'
>>> safe_filename('week1/"PT 1".csv')
'week1_PT_1.csv'
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from rehab.reports.pdf_text import safe_file_stem

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["report_file_names", "safe_filename"]

# A short extension at the end of a name (".csv"), kept when the rest is cut to length.
_EXTENSION: Final = re.compile(r"(?<=[^./\\])\.[A-Za-z0-9]{1,8}$")
_SAFE_SUFFIX: Final = re.compile(r"[A-Za-z0-9._-]*")


def safe_filename(name: str, suffix: str = "", *, fallback: str = "download") -> str:
    """Return ``name`` as a safe file name, followed by ``suffix``.

    Letters, digits, ``.``, ``_`` and ``-`` are kept; every other run of characters (path
    separators, quotes, spaces, control characters) becomes one ``_``. A short extension
    of ``name`` survives when the rest is cut to length.

    Parameters
    ----------
    name
        Text from a file: a patient id, an uploaded file's name (``week1/PT-1_pain.csv``).
    suffix
        The program's own ending, e.g. ``"_report.pdf"``; it must already be safe.
    fallback
        The stem when nothing of ``name`` is left (an id made of emoji, say).

    Returns
    -------
    str
        A non-empty name without path separators, quotes or control characters.

    Raises
    ------
    ValueError
        When ``suffix`` holds a character a safe name cannot (a programming error).
    """
    if not _SAFE_SUFFIX.fullmatch(suffix):
        raise ValueError(f"unsafe file name suffix {suffix!r}")
    match = _EXTENSION.search(name)
    stem, extension = (name[: match.start()], match.group().lower()) if match else (name, "")
    return f"{safe_file_stem(stem, fallback=fallback)}{extension}{suffix}"


def report_file_names(patient_ids: Sequence[str]) -> list[str]:
    """Return a distinct, safe ``.pdf`` file name for each patient id, in order.

    Ids that would clash once made safe (``a/b`` and ``a_b``, or ``PT-1`` and ``pt-1`` on a
    case-blind disk) get a numbered suffix.
    """
    taken: set[str] = set()
    names = []
    for patient_id in patient_ids:
        stem = safe_filename(patient_id, fallback="patient")
        name, number = f"{stem}.pdf", 2
        while name.casefold() in taken:
            name, number = f"{stem}-{number}.pdf", number + 1
        taken.add(name.casefold())
        names.append(name)
    return names
