"""Download and report file names made from patient ids and uploaded file names (issue 10)."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rehab.reports.filenames import safe_filename
from rehab.reports.pdf import report_file_names

SAFE = re.compile(r"[A-Za-z0-9._-]+")
# Characters a hostile id is made of: separators, quotes, control and format characters,
# dots, spaces and letters from far outside ASCII.
HOSTILE = st.text(
    alphabet=st.sampled_from(
        [*"/\\\"'.:*?<>|\x00\x07\n\r\t \u202e\u200b{}", "\U0001f600", "\u4e2d", "a", "Z", "7", "-"]
    ),
    max_size=400,
)


@given(HOSTILE, st.sampled_from(["", "_report.pdf", "_summary.csv", ".png"]))
def test_a_safe_filename_has_no_separator_quote_or_control_character(name, suffix):
    safe = safe_filename(name, suffix)
    assert SAFE.fullmatch(safe), safe
    assert safe.endswith(suffix)
    stem = safe[: len(safe) - len(suffix)]
    assert stem
    assert not stem.startswith(".")
    assert len(safe) <= 80 + 9 + len(suffix)


@given(HOSTILE)
def test_a_safe_filename_stays_inside_the_folder_it_is_joined_to(tmp_path_factory, name):
    folder = tmp_path_factory.mktemp("downloads")
    path = (folder / safe_filename(name, "_report.pdf")).resolve()
    assert path.parent == folder.resolve()


@pytest.mark.parametrize(
    ("name", "suffix", "expected"),
    [
        ("PT-0101", "_report.pdf", "PT-0101_report.pdf"),
        ("PT-{nb}", "_report.pdf", "PT-_nb_report.pdf"),
        ("../../etc/passwd", "_summary.csv", "etc_passwd_summary.csv"),
        ('PT "1"\r\nX', "_pain.png", "PT_1_X_pain.png"),
        ("week1/PT-1_pain.csv", "", "week1_PT-1_pain.csv"),
        ("week2\\PT-1_pain.CSV", "", "week2_PT-1_pain.csv"),
        ("con.csv", "", "_con.csv"),
        ("\U0001f600\U0001f600", "_report.pdf", "download_report.pdf"),
        ("", "", "download"),
    ],
)
def test_safe_filename_examples(name, suffix, expected):
    assert safe_filename(name, suffix) == expected


def test_a_long_name_is_cut_but_keeps_its_extension():
    safe = safe_filename("x" * 300 + ".csv")
    assert safe == "x" * 80 + ".csv"


def test_the_fallback_names_what_is_left_of_an_unprintable_id():
    assert safe_filename("\u202e\u200b", "_report.pdf", fallback="patient") == "patient_report.pdf"


@pytest.mark.parametrize("suffix", ["/x.pdf", '".pdf', "_report pdf", "\n.pdf"])
def test_the_program_s_own_suffix_must_already_be_safe(suffix):
    with pytest.raises(ValueError, match="unsafe file name suffix"):
        safe_filename("PT-1", suffix)


def test_report_file_names_are_safe_and_distinct_for_hostile_ids():
    ids = ["PT-{nb}", "PT-_nb", "a/b", "a\\b", "\U0001f600", "", "x" * 300, "X" * 300]
    names = report_file_names(ids)
    assert all(SAFE.fullmatch(name) and name.endswith(".pdf") for name in names)
    assert len({name.casefold() for name in names}) == len(ids)
    assert names[:2] == ["PT-_nb.pdf", "PT-_nb-2.pdf"]
    assert names[4:6] == ["patient.pdf", "patient-2.pdf"]
    assert set(string.whitespace).isdisjoint("".join(names))
