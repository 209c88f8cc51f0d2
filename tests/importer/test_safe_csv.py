import io

import pandas as pd
import pytest

from rehab.disclaimer import DISCLAIMER
from rehab.importer import import_file
from rehab.safe_csv import neutralise_formula, to_safe_csv


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("back pain", "back pain"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_neutralise_formula(text, safe):
    assert neutralise_formula(text) == safe


def test_to_safe_csv_is_utf8_with_bom_and_neutralises_text_cells_and_headers():
    frame = pd.DataFrame(
        {
            "note": pd.array(['=HYPERLINK("http://x")', "café", None], dtype="string"),
            "=evil": ["@a", "ok", "-1"],
            "score": [-1.5, 2.0, None],
        }
    )
    data = to_safe_csv(frame, disclaimer=None)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data[3:]), dtype=str, keep_default_na=False)
    assert list(back.columns) == ["note", "'=evil", "score"]
    assert back["note"].tolist() == ['\'=HYPERLINK("http://x")', "café", ""]
    assert back["'=evil"].tolist() == ["'@a", "ok", "'-1"]
    # Numbers are values, not formulas: a negative number stays a number.
    assert back["score"].tolist() == ["-1.5", "2.0", ""]


def test_rejected_rows_written_safely_can_be_fixed_and_imported_again():
    result = import_file("P_pain.csv", b"Date,Pain,Notes\n2026-09-01,11,=cmd()\n2026-09-02,3,\n")
    data = to_safe_csv(result.rejected)
    text = data.decode("utf-8-sig")
    assert "'=cmd()" in text
    assert text.splitlines()[0].startswith("row,")  # the header is the first line
    fixed = text.replace(",11,", ",1,")
    again = import_file("P_pain.csv", fixed.encode("utf-8-sig"))
    assert again.report.accepted == 1
    assert again.pain["notes"].tolist() == ["'=cmd()"]
    # row, problem and disclaimer are left out with a note; the fixed row goes in.
    unknown = [i for i in again.report.issues if i.code == "unknown_column"]
    assert {i.code for i in again.report.issues} == {"unknown_column"}
    assert any("disclaimer" in i.message for i in unknown)


def test_every_export_reads_as_a_table_with_the_disclaimer_in_its_last_column():
    frame = pd.DataFrame({"patient_id": ["A", "B"], "pain": [3.5, None]})
    data = to_safe_csv(frame)
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "patient_id,pain,disclaimer"
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns) == ["patient_id", "pain", "disclaimer"]
    assert back["pain"].dtype == float  # the numbers are still numbers
    assert back["disclaimer"].tolist() == [DISCLAIMER, DISCLAIMER]  # seen beside every row


def test_a_disclaimer_column_already_there_is_replaced_not_doubled():
    frame = pd.DataFrame({"a": [1], "disclaimer": ["old words"]})
    back = pd.read_csv(io.BytesIO(to_safe_csv(frame)), encoding="utf-8-sig")
    assert list(back.columns) == ["a", "disclaimer"]
    assert back["disclaimer"].tolist() == [DISCLAIMER]
