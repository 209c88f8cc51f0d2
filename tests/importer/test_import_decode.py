import gzip
import io
import zipfile

import pytest

from rehab.importer.decode import decode_bytes
from rehab.importer.report import FileProblem

PAIN_TEXT = "Date,Pain,Notes\r\n2026-09-01,4,café au lait\r\n2026-09-02,3,\r\n"


def codes(result):
    return [issue.code for issue in result.report.issues]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_unicode_encodings_read_the_same_rows(run, encoding):
    data = PAIN_TEXT.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = "\ufeff".encode(encoding) + data  # Excel writes a BOM
    result = run(data, name="PT-7_pain.csv")
    assert result.report.accepted == 2
    assert result.pain["notes"].tolist()[0] == "café au lait"
    assert "encoding_fallback" not in codes(result)


def test_excel_unicode_text_is_utf16_tab_separated(run):
    data = "\ufeffDate\tPain\tNotes\r\n2026-09-01\t4\tstiff, then fine\r\n".encode("utf-16-le")
    result = run(data, name="PT-7_pain.csv")
    assert result.report.accepted == 1
    assert result.pain["notes"].tolist() == ["stiff, then fine"]


def test_utf16_without_bom_is_recognised_by_its_nul_pattern(run):
    result = run(PAIN_TEXT.encode("utf-16-le"), name="PT-7_pain.csv")
    assert result.report.usable
    assert result.report.accepted == 2


def test_cp1252_is_read_correctly_with_a_warning(run):
    result = run(PAIN_TEXT.encode("cp1252"), name="PT-7_pain.csv")
    assert result.pain["notes"].tolist()[0] == "café au lait"
    assert codes(result) == ["encoding_fallback"]
    assert result.report.issues[0].severity == "warning"
    assert result.report.issues[0].row is None


def test_utf8_bom_is_not_part_of_the_first_header(run):
    result = run(b"\xef\xbb\xbfDate,Pain\n2026-09-01,4\n", name="PT-7_pain.csv")
    assert result.report.kind == "pain"
    assert result.report.issues == []


def _zip_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("log.csv", PAIN_TEXT)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        _zip_bytes(),
        gzip.compress(PAIN_TEXT.encode()),
        # Many NULs (a few stray ones are removed instead: test_import_hostile.py).
        b"Date,Pain\n2026-09-01,4" + b"\x00" * 40 + b"\x01\n",
        bytes(range(256)) * 20,
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 20,
    ],
    ids=["zip", "gzip", "nul-bytes", "binary", "png"],
)
def test_binary_or_compressed_input_is_not_a_csv_text_file(run, data):
    result = run(data, name="upload.csv")
    report = result.report
    assert not report.usable
    assert report.kind is None
    assert [(i.code, i.severity, i.row) for i in report.issues] == [("not_text", "error", None)]
    assert "not a CSV text file" in report.issues[0].message
    assert report.rows == 0


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", b"\xef\xbb\xbf", "\ufeff".encode("utf-16-le")])
def test_empty_files_are_reported_as_empty(run, data):
    report = run(data, name="PT-1_pain.csv").report
    assert not report.usable
    assert [issue.code for issue in report.issues] == ["empty"]


def test_decode_keeps_ascii_bytes_as_they_are():
    data = b"Date,Pain\n2026-09-01,4\n"
    decoded = decode_bytes(data)
    assert decoded.utf8 == data
    assert decoded.encoding == "utf-8"
    assert not decoded.fallback


def test_decode_refuses_xlsx_with_a_hint():
    with pytest.raises(FileProblem) as problem:
        decode_bytes(_zip_bytes())
    assert problem.value.code == "not_text"
    assert "ZIP" in problem.value.message


# Excel for Mac's "Comma Separated Values (.csv)" is written in Mac Roman, not UTF-8
# (donatstudios.com "CSV: An Encoding Nightmare"; seeblog.seenet.ca "CSV Support in Excel
# for Mac 2016"), and classic Mac files end lines with a bare CR (strata.uga.edu, "Excel's
# text file formats"). In Mac Roman an en dash is 0xD0 and é is 0x8E: read as cp1252
# they would come out as "Ð" and "Ž".
MAC_NOTES = ("décidé – mieux", "ça va", "Übung gut")


def _mac_file(line_end: str) -> bytes:
    rows = "".join(f"2026-09-0{i + 1},{i + 2},{note}{line_end}" for i, note in enumerate(MAC_NOTES))
    return f"Date,Pain,Notes{line_end}{rows}".encode("mac_roman")


def test_mac_roman_with_bare_cr_line_ends(run):
    result = run(_mac_file("\r"), name="PT-7_pain.csv")
    assert result.report.accepted == 3
    assert result.pain["notes"].tolist() == list(MAC_NOTES)
    assert codes(result) == ["encoding_fallback"]
    message = result.report.issues[0].message
    assert "Mac Roman" in message
    assert "classic Mac way" in message
    assert "CSV UTF-8" in message


def test_mac_roman_bytes_cp1252_leaves_undefined_point_to_mac_roman(run):
    # 0x8D is ç in Mac Roman and undefined in cp1252, even with Windows line ends.
    data = "Date,Pain,Notes\r\n2026-09-01,4,ça va\r\n".encode("mac_roman")
    assert b"\x8d" in data
    result = run(data, name="PT-7_pain.csv")
    assert result.pain["notes"].tolist() == ["ça va"]
    assert "Mac Roman" in result.report.issues[0].message


def test_windows_1252_with_crlf_stays_cp1252(run):
    data = "Date,Pain,Notes\r\n2026-09-01,4,décidé – mieux\r\n".encode("cp1252")
    result = run(data, name="PT-7_pain.csv")
    assert result.pain["notes"].tolist() == ["décidé – mieux"]
    assert "Windows-1252" in result.report.issues[0].message
