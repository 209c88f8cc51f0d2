"""Bytes -> text: which encoding the file uses, and whether it is text at all.

UTF-8 (with or without BOM) stays as bytes for the fast parser; other encodings are decoded
once and re-encoded as UTF-8. Binary and compressed files are refused before any parsing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from rehab.importer.report import FileProblem

__all__ = ["Decoded", "decode_bytes"]

NOT_TEXT: Final = "not a CSV text file"

# Signatures of files people send instead of a CSV: archives, workbooks, PDFs, images.
_MAGIC: Final = (
    (b"PK\x03\x04", "a ZIP archive or an Excel workbook"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"BZh", "a bzip2-compressed file"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd-compressed file"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls)"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
)
_BOMS: Final = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
# Control characters that never occur in a text file (tab, CR and LF are fine); C1 codes
# appear when binary bytes are read as Latin-1.
_CONTROL_RE: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SAMPLE_CHARS: Final = 65536
_MAX_CONTROL_SHARE: Final = 0.01
# A few stray control characters (a vertical tab from a spreadsheet cell, one NUL) do not
# make a file binary: up to this many are removed with a warning (issue 10).
_STRAY_CONTROLS: Final = 8
_CONTROL_BYTES_RE: Final = re.compile(b"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The same control characters as bytes: in ASCII text (no C1 codes there) they are counted
# by deleting them, five times faster than the pattern over 64 kB of text.
_ASCII_CONTROLS: Final = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


@dataclass
class Decoded:
    """A file's content as UTF-8 bytes (no BOM), with the encoding it was read from."""

    utf8: bytes
    encoding: str
    fallback: bool = False
    _text: str | None = field(default=None, repr=False)
    removed_controls: int = 0

    def note(self) -> str:
        """Say which encoding a file that is not UTF-8 was read as (for the report)."""
        if self.encoding == "mac_roman":
            head = self.utf8[:_SAMPLE_CHARS]
            bare_cr = b"\r" in head and b"\n" not in head
            why = "its lines end the classic Mac way" if bare_cr else "of its letters"
            return (
                f"The file is not UTF-8 and, because {why}, it was read as Mac Roman (older Mac "
                "spreadsheets). Check that accented letters and dashes look right; saving as "
                "'CSV UTF-8' avoids this."
            )
        return (
            "The file is not UTF-8, so it was read as Windows-1252 (cp1252). Check that accented "
            "letters look right; saving as 'CSV UTF-8' avoids this."
        )

    def text(self) -> str:
        """Return the content as text (decoded on first use: the fast path never needs it)."""
        if self._text is None:
            self._text = self.utf8.decode("utf-8")
        return self._text


def _not_text(detail: str) -> FileProblem:
    return FileProblem(
        "not_text", f"This is {NOT_TEXT} ({detail}). Export the log as CSV and try again."
    )


def _check_magic(data: bytes) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise _not_text(f"it looks like {what}")


def _utf16_without_bom(data: bytes) -> str | None:
    """Return the UTF-16 encoding of BOM-less Excel-style text, judged by where NULs sit."""
    sample = data[:4096]
    half = max(len(sample) // 2, 1)
    odd_nuls = sample[1::2].count(0) / half
    even_nuls = sample[0::2].count(0) / half
    if odd_nuls > 0.4 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.4 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def _decode_unicode(data: bytes, encoding: str) -> Decoded:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise _not_text(f"it starts like {encoding.upper()} text but is not") from None
    text = text.removeprefix("\ufeff")
    return Decoded(text.encode("utf-8"), encoding, _text=text)


def _decode_8bit(data: bytes) -> Decoded:
    if data.isascii():
        return Decoded(data, "utf-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return Decoded(data, "utf-8", _text=text)
    encoding = _legacy_encoding(data)
    text = data.decode(encoding)
    return Decoded(text.encode("utf-8"), encoding, fallback=True, _text=text)


def _legacy_encoding(data: bytes) -> str:
    """Return the 8-bit encoding of a file that is not UTF-8: Mac Roman or Windows-1252.

    Classic Mac files (Excel's "CSV (Macintosh)", old FileMaker and AppleWorks exports)
    end lines with a bare CR; Windows files with CR LF. Bytes that cp1252 leaves undefined
    are letters in Mac Roman (0x8D is ç), so they point there too.
    """
    head = data[:_SAMPLE_CHARS]
    if b"\r" in head and b"\n" not in head:
        return "mac_roman"
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return "mac_roman"
    return "cp1252"


def _controls(sample: str, raw: bytes) -> int:
    """Count the control characters of ``sample``, the text of the bytes ``raw``."""
    if raw.isascii():
        return len(raw) - len(raw.translate(None, _ASCII_CONTROLS))
    return len(_CONTROL_RE.findall(sample))


def _looks_binary(sample: str, controls: int) -> bool:
    if not sample:
        return False
    allowed = max(_MAX_CONTROL_SHARE * len(sample), _STRAY_CONTROLS)
    return controls > allowed


def _without_controls(decoded: Decoded) -> Decoded:
    """Remove a few stray control characters from text that is otherwise fine."""
    cleaned, count = _CONTROL_BYTES_RE.subn(b"", decoded.utf8)
    if not count:
        return decoded
    return Decoded(cleaned, decoded.encoding, decoded.fallback, removed_controls=count)


def stray_controls_note(count: int) -> str:
    """Word the warning for control characters removed from a text file."""
    what = "1 control character was" if count == 1 else f"{count} control characters were"
    return (
        f"{what} removed from the file (a NUL or a vertical tab, which no text shows); the "
        "rest was read as usual."
    )


def decode_bytes(data: bytes) -> Decoded:
    """Decode a file's bytes, or raise :class:`FileProblem` (``not_text`` or ``empty``).

    Parameters
    ----------
    data
        The file exactly as uploaded.

    Returns
    -------
    Decoded
        UTF-8 bytes without BOM, the encoding they were read from, and whether that was
        a fallback to Windows-1252 or Mac Roman (the report warns, see :meth:`Decoded.note`).
    """
    _check_magic(data)
    decoded: Decoded | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            if encoding == "utf-8-sig":
                decoded = _decode_8bit(data[len(bom) :])
                decoded.encoding = "utf-8-sig"
            else:
                decoded = _decode_unicode(data, encoding)
            break
    if decoded is None and b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None and data.count(b"\x00") > _STRAY_CONTROLS:
            raise _not_text("it contains NUL bytes")
        decoded = None if utf16 is None else _decode_unicode(data, utf16)
    if decoded is None:
        decoded = _decode_8bit(data)
    raw = decoded.utf8[:_SAMPLE_CHARS]
    head = raw.decode("utf-8", errors="ignore")
    controls = _controls(head, raw)
    if _looks_binary(head, controls):
        raise _not_text("most of it is not readable text")
    if b"\x00" in decoded.utf8 or controls:
        decoded = _without_controls(decoded)
    if not head.strip() and not decoded.utf8.strip():
        raise FileProblem("empty", "The file is empty: there is no header and no rows.")
    return decoded
