import io
import zipfile

from rehab.archive import ArchiveLimits, expand_uploads, is_zip, unpack_zip

CSV = b"Date,Pain\n2026-09-01,4\n"


def _zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_csv_entries_are_unpacked_by_base_name():
    data = _zip({"logs/PT-1_pain.csv": CSV, "logs/PT-2_pain.CSV": CSV})
    unpacked = unpack_zip("logs.zip", data)
    assert unpacked.files == [("PT-1_pain.csv", CSV), ("PT-2_pain.CSV", CSV)]
    assert unpacked.notes == []


def test_other_and_hidden_entries_are_skipped_with_a_note():
    data = _zip(
        {"a_pain.csv": CSV, "photo.jpg": b"\xff\xd8", "__MACOSX/._a_pain.csv": b"x", ".hidden.csv": CSV}
    )
    unpacked = unpack_zip("logs.zip", data)
    assert [name for name, _ in unpacked.files] == ["a_pain.csv"]
    assert unpacked.notes == ["logs.zip: 3 entries that are not CSV files were skipped"]


def test_too_many_entries_reads_nothing():
    data = _zip({f"p{i}_pain.csv": CSV for i in range(5)})
    unpacked = unpack_zip("many.zip", data, ArchiveLimits(max_entries=4))
    assert unpacked.files == []
    assert "5 files is more than the 4" in unpacked.notes[0]


def test_a_highly_compressed_entry_is_refused():
    bomb = b"0" * 2_000_000
    data = _zip({"bomb.csv": bomb, "ok_pain.csv": CSV})
    unpacked = unpack_zip("bomb.zip", data)
    assert [name for name, _ in unpacked.files] == ["ok_pain.csv"]
    assert "bomb.csv: compressed" in unpacked.notes[0]


def test_the_total_size_is_capped():
    big = bytes(range(256)) * 400  # ~100 kB that barely compresses
    data = _zip({"a.csv": big, "b.csv": big}, zipfile.ZIP_STORED)
    unpacked = unpack_zip("big.zip", data, ArchiveLimits(max_total_bytes=150_000))
    assert [name for name, _ in unpacked.files] == ["a.csv"]
    assert "b.csv: larger than the size limit" in unpacked.notes[0]


def test_a_damaged_archive_gets_a_note_not_an_exception():
    unpacked = unpack_zip("broken.zip", b"PK\x03\x04garbage")
    assert unpacked.files == []
    assert unpacked.notes == ["broken.zip: not a readable ZIP archive"]


def test_expand_uploads_passes_plain_files_through():
    data = _zip({"PT-3_pain.csv": CSV})
    result = expand_uploads([("PT-1_pain.csv", CSV), ("more.zip", data)])
    assert [name for name, _ in result.files] == ["PT-1_pain.csv", "PT-3_pain.csv"]
    assert is_zip(data)
    assert not is_zip(CSV)
