"""The shortcuts taken for many small files give the same answers as the general way."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import gc
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rehab import schema
from rehab.importer import (
    FileImport,
    ImportBatch,
    ImportOptions,
    dates,
    decode,
    frames,
    headers,
    import_file,
    import_files,
    pipeline,
    scales,
    validate,
)
from rehab.importer import names as names_module
from rehab.importer.crossfile import _sharing_a_patient
from rehab.importer.dates import (
    DateParts,
    _iso_dates_only,
    _plain_iso_parts,
    _resolve_any_dates,
    _split_dates,
    resolve_dates,
    split_dates,
)
from rehab.importer.dialect import header_line
from rehab.importer.frames import rejected_frame
from rehab.importer.limits import MAX_COLUMNS
from rehab.importer.messages import compose, shown
from rehab.importer.report import FileProblem, IssueLog
from rehab.importer.times import _parse_times, _plain_clock_times, _read_times
from rehab.importer.validate import (
    _check_number,
    _lookup_arrays,
    _plain_whole_numbers,
    check_flag,
    check_number,
    check_time,
)
from rehab.library import load_library
from rehab.measures.schema import empty_measures
from rehab.sample import DEMO_END, random_cohort, write_cohort
from rehab.schema import SPECS


def _header_line_by_splitting(utf8: bytes) -> str:
    """The header as first read: decode the first 64 kB, split into lines, first non-blank."""
    head = utf8[: 1 << 16].decode("utf-8", errors="replace")
    for line in re.split(r"\r\n|\r|\n", head):
        if line.strip():
            return line
    return ""


_PIECES = st.sampled_from(
    [b"\r", b"\n", b"\r\n", b" ", b"\t", b"\x0b", b"\xc2\x85", b"\xe2\x80\xa8", b"Date,Pain", b"\xe9",
     b"\xe2\x82", b"\xf0\x9f", b"\xf0\x9f\x98\x80", b"\xff", b"\x80", b";", b'"a,b"', b"x"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=30).map(b"".join))
def test_header_line_reads_the_line_splitting_the_decoded_head_reads(data):
    assert header_line(data) == _header_line_by_splitting(data)


def test_header_line_stops_at_the_first_64_kb_like_before():
    for data in (b"\n" * 70_000 + b"Date\n", b"\n" * 65_530 + b"Date,Pain\n", b" " * 65_535 + b"\xe9x"):
        assert header_line(data) == _header_line_by_splitting(data)


# Dates: plain ISO texts (the fast path), near misses, and other styles.
_DATE_TEXTS = st.one_of(
    st.builds(
        "{:04d}-{:02d}-{:02d}".format,
        st.integers(0, 9999),
        st.integers(0, 99),
        st.integers(0, 99),
    ),
    st.sampled_from(
        ["", " ", "2026-09-01 ", "2026-9-01", "2026/09/01", "2026-09-01T08:30", "2026-09-01 8:30Z",
         "01/09/2026", "13/09/26", "1.9.2026", "2 Nov 2026", "46328", "46328.5", "x", "٢٠٢٦-٠٩-٠١",
         "2026\u201309\u201301", "2026-02-30", "1899-12-31", "2026-09-01\u200b"]
    ),
)  # fmt: skip


def _same_parts(fast, general):
    for name in DateParts.__dataclass_fields__:
        a, b = getattr(fast, name), getattr(general, name)
        if name == "texts":
            assert a.equals(b)
            continue
        assert a.dtype == b.dtype, name
        np.testing.assert_array_equal(a, b, err_msg=name)


@settings(max_examples=300, deadline=None)
@given(st.lists(_DATE_TEXTS, min_size=1, max_size=12, unique=True))
def test_split_dates_reads_plain_iso_columns_as_the_six_patterns_do(texts):
    array = pa.array(texts, type=pa.string())
    _same_parts(split_dates(array), _split_dates(array))


def test_split_dates_takes_the_plain_iso_path_for_a_clean_column():
    array = pa.array(["2026-09-01", "2026-02-30", "0000-00-00"])
    assert _plain_iso_parts(array) is not None
    assert _plain_iso_parts(pa.array(["2026-09-01", "2026-09-01T08:30"])) is None
    assert _plain_iso_parts(pa.array(["2026-09-01", None])) is None


def _same_arrays(fast, general):
    """Two dataclasses of numpy arrays (a shortcut's and the general way's) hold the same."""
    assert type(fast) is type(general)
    for name in type(fast).__dataclass_fields__:
        a, b = getattr(fast, name), getattr(general, name)
        assert a.dtype == b.dtype, name
        assert a.tolist() == b.tolist(), name


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_DATE_TEXTS, min_size=1, max_size=12, unique=True),
    st.sampled_from([None, "dmy", "mdy"]),
    st.sampled_from(["1900", "1904"]),
)
def test_resolve_dates_reads_iso_dates_without_times_as_the_general_reading_does(texts, order, system):
    array = pa.array(texts, type=pa.string())
    for parts in (split_dates(array), _split_dates(array)):
        _same_arrays(resolve_dates(parts, order, system), _resolve_any_dates(parts, order, system))


def test_the_iso_shortcut_is_taken_for_iso_dates_only_and_says_why_a_day_is_wrong():
    clean = split_dates(pa.array(["2026-09-01", "2026-02-30", "1899-12-31"]))
    assert _iso_dates_only(clean)
    assert not _iso_dates_only(split_dates(pa.array(["2026-09-01", "2026-09-01T08:30"])))
    assert not _iso_dates_only(split_dates(pa.array(["2026-09-01", "01/09/2026"])))
    assert not _iso_dates_only(split_dates(pa.array(["2026-09-01", ""])))
    result = resolve_dates(clean, None)
    assert result.error.tolist() == ["", "invalid_date", "invalid_date"]
    assert "not a day in the calendar" in result.message[1]
    assert "outside 1900-2200" in result.message[2]


_TIME_TEXTS = st.one_of(
    st.builds("{:02d}:{:02d}".format, st.integers(0, 99), st.integers(0, 99)),
    st.sampled_from(
        ["", " ", "8:30", "08:30 ", "08:30:00", "8 pm", "08:30\u202fPM", "0.875", ",5", "0.30", "x",
         "24:00", "٠٨:٣٠", "08.30"]
    ),
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_TIME_TEXTS, max_size=12, unique=True))
def test_plain_clock_times_are_read_as_the_time_pattern_reads_them(texts):
    array = pa.array(texts, type=pa.string())
    _same_arrays(_parse_times(array), _read_times(array))


def test_the_plain_clock_path_is_taken_for_hh_mm_and_blanks_only():
    assert _plain_clock_times(pa.array(["", "08:30", "25:61"])) is not None
    assert _plain_clock_times(pa.array(["", "8:30"])) is None
    assert _plain_clock_times(pa.array(["08:30", None])) is None


# Whole files: every shortcut on (as imported) against every shortcut off (the general path).
_SHORTCUTS = (
    ("rehab.importer.dates._plain_iso_parts", lambda texts: None),
    ("rehab.importer.times._plain_clock_times", lambda texts: None),
    ("rehab.importer.validate._plain_whole_numbers", lambda column, texts: None),
    (
        "rehab.importer.pipeline._rejected_rows",
        lambda table, coded, rejected, issues: rejected_frame(
            table, coded, rejected, issues.problems_by_row(table.rows[rejected])
        ),
    ),
)

_SHORTCUTS += (
    ("rehab.importer.frames._assembled_from", lambda columns, size, data: None),
    ("rehab.importer.scales._reads_numbers", lambda checked: False),
    ("rehab.importer.dates._no_times", lambda time_text: False),
    ("rehab.importer.decode._controls", lambda sample, raw: len(decode._CONTROL_RE.findall(sample))),
)

_SESSIONS_HEAD = "Date,Time,Exercise,Sets,Reps,Hold (s),Pain before,Pain after,Notes\n"
_FILES = {
    "clean": _SESSIONS_HEAD
    + "2026-08-23,07:40,Back Extension,1,10,20,,,\n2026-08-23,07:44,Cat Stretch,1,10,15,7,6,\n",
    "one row": _SESSIONS_HEAD + "2026-08-23,07:40,Back Extension,1,10,20,,,\n",
    "no rows": _SESSIONS_HEAD,
    "typos and blanks": _SESSIONS_HEAD
    + "2026-08-23,07:40,knee rolls,2,10,4,7,6,\n2026-08-24,,Cat Strech,,10,15,,6,sore\n"
    + "2026-02-30,25:10,Back Extension,1,ten,20,7,6,\n,07:40,Hip Rolls,1,10,5,7,6,\n",
    "duplicates": _SESSIONS_HEAD
    + "2026-08-23,07:40,Back Extension,1,10,20,,,\n2026-08-23,07:40,Back Extension,1,10,20,,,\n",
    "ambiguous slash dates": _SESSIONS_HEAD
    + "03/04/2026,07:40,Back Extension,1,10,20,,,\n04/05/2026,07:44,Cat Stretch,1,10,15,7,6,\n",
    "settled slash dates": _SESSIONS_HEAD + "13/04/2026,07:40,Back Extension,1,10,20,,,\n",
    "date-times": "Date,Exercise,Reps\n2026-08-23T07:40Z,Back Extension,10\n"
    + "2026-08-24 8:05 pm,Cat Stretch,9\n",
    "future dates": _SESSIONS_HEAD + "2026-12-23,07:40,Back Extension,1,10,20,,,\n",
    "set rows": "Date,Time,Exercise,Set,Reps\n2026-08-23,07:40,Back Extension,1,10\n"
    + "2026-08-23,07:40,Back Extension,2,9\n2026-08-23,07:40,Back Extension,3,8\n",
    "pain": "Date,Time,Pain,Flare,Notes\n2026-08-23,14:22,7,no,\n2026-08-24,08:02,11,maybe,\n"
    + "2026-08-25,,6,yes,\"stiff, easier by lunch\"\n",
    "patients": "patient_id,date,time,pain\nPT-1,2026-08-23,08:00,3\nPT-2,2026-08-23,8:00,4\n",
    "serial dates": "Date,Exercise,Reps\n46328,Back Extension,10\n46329.5,Cat Stretch,9\n",
}  # fmt: skip


def _both_ways(name: str, data: bytes, options: ImportOptions) -> tuple[FileImport, FileImport]:
    fast = import_file(name, data, options)
    with pytest.MonkeyPatch.context() as patch:
        for target, replacement in _SHORTCUTS:
            patch.setattr(target, replacement)
        general = import_file(name, data, options)
    return fast, general


def _assert_same_import(fast: FileImport, general: FileImport) -> None:
    assert fast.report.model_dump() == general.report.model_dump()
    for kind in ("sessions", "pain", "measures", "rejected"):
        pd.testing.assert_frame_equal(getattr(fast, kind), getattr(general, kind))


@pytest.mark.parametrize("case", sorted(_FILES))
@pytest.mark.parametrize("as_of", [None, datetime.date(2026, 9, 1)])
def test_a_file_imports_the_same_with_and_without_the_shortcuts(case, as_of):
    name = "PT-0101_pain.csv" if case == "pain" else "PT-0101_sessions.csv"
    _assert_same_import(*_both_ways(name, _FILES[case].encode(), ImportOptions(as_of=as_of)))


def test_the_sample_cohort_imports_the_same_with_and_without_the_shortcuts(tmp_path):
    cohort = random_cohort(6, 30, end=DEMO_END)
    for path in sorted(write_cohort(cohort, tmp_path, typos=True)):
        if path.suffix == ".csv":
            _assert_same_import(*_both_ways(path.name, path.read_bytes(), ImportOptions()))


_FLARE = SPECS["pain"].column("flare")
_NUMBER_SPECS = {
    spec.name: spec
    for kind in ("sessions", "pain")
    for spec in SPECS[kind].columns
    if spec.type in ("number", "score")
}
_NUMBER_TEXTS = st.one_of(
    st.integers(0, 10**7).map(str),
    st.integers(0, 30).map("{:03d}".format),
    st.sampled_from(
        ["", " ", " 7", "7 ", "-1", "+3", "7.5", "7,5", ".5", "1e3", "ten", "٣", "½", "0x1"]
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_NUMBER_TEXTS, max_size=10, unique=True), st.sampled_from(sorted(_NUMBER_SPECS)))
def test_plain_whole_numbers_are_checked_as_the_number_check_does(texts, column):
    spec = _NUMBER_SPECS[column]
    array = pa.array(texts, type=pa.string())
    _same_checked(check_number(spec, array), _check_number(spec, array))


def test_the_whole_number_path_is_taken_for_in_range_digits_and_blanks_only():
    pain = SPECS["pain"].column("pain")
    assert _plain_whole_numbers(pain, pa.array(["", "0", "10", "007"])) is not None
    assert _plain_whole_numbers(pain, pa.array(["", "11"])) is None
    assert _plain_whole_numbers(pain, pa.array(["7", " 7"])) is None


_FLAG_TEXTS = st.sampled_from(["", " ", "yes", "No", "y", "maybe", "1", "ja", "\u200bno"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_TIME_TEXTS, _FLAG_TEXTS), max_size=8, unique=True))
def test_time_and_flag_messages_are_those_worded_for_every_text_before(texts):
    # Messages are now worded for the bad texts only; each is the one worded before.
    array = pa.array(texts, type=pa.string())
    hints = {
        "time": ", which is not a time of day; write times like 08:30 or 8:30 am",
        "flag": "; use yes or no",
    }
    for spec, check in ((SPECS["sessions"].column("time"), check_time), (_FLARE, check_flag)):
        checked = check(spec, array)
        before = compose(f"{spec.name} is ", shown(array), hints[spec.type])
        expected = np.where(checked.invalid, before, "")
        assert checked.message.tolist() == expected.tolist()
        assert checked.invalid.any() == any(checked.message.tolist())


@settings(max_examples=300, deadline=None)
@given(st.lists(_TIME_TEXTS, max_size=12))
def test_a_time_check_finds_the_blank_cells_trimming_every_cell_finds(texts):
    array = pa.array(texts, type=pa.string())
    checked = check_time(SPECS["sessions"].column("time"), array)
    _, blank = validate._trimmed(array)
    assert checked.blank.dtype == blank.dtype
    assert checked.blank.tolist() == blank.tolist()
    assert (checked.error == "invalid_time").tolist() == (~blank & (checked.values == None)).tolist()  # noqa: E711


def _same_checked(fast, general):
    for name in ("values", "blank", "error", "message"):
        a, b = getattr(fast, name), getattr(general, name)
        assert a.dtype == b.dtype, name
        np.testing.assert_array_equal(a, b, err_msg=name)


# Shortcuts of a whole upload: cross-file repeats sought among files sharing a patient,
# the collector paused, value checks remembered.
_BATCH_SHORTCUTS = (
    ("rehab.importer.crossfile._sharing_a_patient", lambda frames: frames),
    ("rehab.importer.api.no_cycle_collection", contextlib.nullcontext),
    ("rehab.importer.api.checks_remembered", contextlib.nullcontext),
)


def _batch_both_ways(files: list[tuple[str, bytes]]) -> tuple[ImportBatch, ImportBatch]:
    fast = import_files(files)
    with pytest.MonkeyPatch.context() as patch:
        for target, replacement in _BATCH_SHORTCUTS + _SHORTCUTS:
            patch.setattr(target, replacement)
        general = import_files(files)
    return fast, general


def _assert_same_batch(fast: ImportBatch, general: ImportBatch) -> None:
    assert fast.report_json() == general.report_json()
    for one, other in zip(fast.files, general.files, strict=True):
        _assert_same_import(one, other)
    for kind in ("sessions", "pain", "measures"):
        pd.testing.assert_frame_equal(getattr(fast, kind), getattr(general, kind))


def test_cross_file_repeats_are_found_only_among_files_sharing_a_patient(tmp_path):
    cohort = random_cohort(4, 20, end=DEMO_END)
    files = [
        (path.name, path.read_bytes())
        for path in sorted(write_cohort(cohort, tmp_path, typos=True))
        if path.suffix == ".csv"
    ]
    name, data = files[0]
    lines = data.splitlines(keepends=True)
    files += [
        (f"copy/{name}", data),  # the same file twice
        (f"later/{name}", b"".join(lines[:1] + lines[len(lines) // 2 :])),
        # Rows of two patients in one file: one of them repeats another file's rows.
        (
            "clinic_sessions.csv",
            b"patient_id,date,exercise,reps\nPT-9,2026-08-01,Cat Stretch,10\n"
            + b"PT-9,2026-08-01,Cat Stretch,10\nPT-8,2026-08-01,Cat Stretch,10\n",
        ),
        ("PT-8_sessions.csv", b"date,exercise,reps\n2026-08-01,Cat Stretch,10\n"),
        ("PT-7_sessions.csv", b"date,exercise,reps\n2026-08-01,Cat Stretch,10\n"),
    ]
    fast, general = _batch_both_ways(files)
    _assert_same_batch(fast, general)
    codes = [issue["code"] for report in fast.report_json()["files"] for issue in report["issues"]]
    assert codes.count("duplicate_across_files") == 3


def test_one_file_per_patient_skips_grouping_and_finds_no_repeats(tmp_path):
    cohort = random_cohort(5, 10, end=DEMO_END)
    paths = sorted(write_cohort(cohort, tmp_path, typos=True))
    files = [(path.name, path.read_bytes()) for path in paths if path.suffix == ".csv"]
    fast, general = _batch_both_ways(files)
    _assert_same_batch(fast, general)
    batch_frames = [(i, f.sessions) for i, f in enumerate(fast.files) if len(f.sessions)]
    assert _sharing_a_patient(batch_frames) == []


def test_a_shared_empty_rejected_frame_is_not_changed_through_another_file():
    data = _FILES["clean"].encode()
    first = import_file("PT-1_sessions.csv", data)
    first.rejected["fixed"] = "yes"
    del first.rejected["problem"]
    first.rejected.columns = [f"x{i}" for i in range(len(first.rejected.columns))]
    second = import_file("PT-2_sessions.csv", data)
    assert len(second.rejected) == 0
    assert list(second.rejected.columns) == ["row", "problem", *_SESSIONS_HEAD.strip().split(",")]
    pd.testing.assert_frame_equal(second.rejected, import_file("PT-3_sessions.csv", data).rejected)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30), st.integers(0, 300))
def test_remembered_header_keys_are_the_schema_keys(text, padding):
    header = text + " " * padding + " Hold (s)"
    for _ in range(2):  # worked out, then remembered
        assert headers.normalise_header(header) == schema.normalise_header(header)


def test_the_exercise_value_set_follows_the_lookup_table_it_was_built_from():
    first = {"catstretch": "cat_stretch", "hiprolls": "hip_rolls"}
    second = {"kneerolls": "knee_rolls"}
    for lookup in (first, second, first, dict(first)):
        value_set, ids = _lookup_arrays(lookup)
        assert value_set.to_pylist() == list(lookup)
        assert ids.tolist() == [*lookup.values(), ""]


# The cycle collector is paused during a batch: safe only because an import leaves no
# reference cycles behind (else they would wait for the next collection).
_UNUSABLE = {
    "empty.csv": b"",
    "binary.csv": b"\xff\xfe\x00\x01garbage\x00",
    "too long.csv": b"date,pain\n2026-08-23,3,4,5\n",
    "semicolons and quotes.csv": b'Date;Pain;Notes\n2026-08-23;3;"a\nb"\n\n2026-08-24;x;\n',
}


def _mixed_upload(tmp_path) -> list[tuple[str, bytes]]:
    cohort = random_cohort(3, 15, end=DEMO_END)
    files = [
        (path.name, path.read_bytes())
        for path in sorted(write_cohort(cohort, tmp_path, typos=True))
        if path.suffix == ".csv"
    ]
    files += [
        (f"PT-{i}_{'pain' if case == 'pain' else 'sessions'}.csv", text.encode())
        for i, (case, text) in enumerate(sorted(_FILES.items()))
    ]
    fhir = Path(__file__).parents[1] / "fhir" / "data" / "synthea_pain_transaction.json"
    return [*files, *_UNUSABLE.items(), (fhir.name, fhir.read_bytes())]


def test_a_batch_leaves_no_reference_cycles_for_the_paused_collector(tmp_path):
    files = _mixed_upload(tmp_path)
    import_files(files)  # first use: caches and lazy imports
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        batches = [import_files(files) for _ in range(2)]
        del batches
        found = gc.collect()
    finally:
        if was_enabled:
            gc.enable()
    assert found == 0


def test_the_collector_is_left_as_the_caller_had_it(tmp_path):
    files = _mixed_upload(tmp_path)[-6:]
    was_enabled = gc.isenabled()
    try:
        for enabled in (True, False):
            (gc.enable if enabled else gc.disable)()
            import_files(files)
            assert gc.isenabled() is enabled
        gc.enable()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("rehab.importer.api._import_one", _fail)
            with pytest.raises(RuntimeError):
                import_files(files)
        assert gc.isenabled()
    finally:
        (gc.enable if was_enabled else gc.disable)()


def _fail(*_args: object) -> FileImport:
    raise RuntimeError


def test_a_mixed_upload_imports_the_same_with_and_without_the_shortcuts(tmp_path):
    files = _mixed_upload(tmp_path)
    # Twice over (every check of the second copies remembered), and file by file.
    fast, general = _batch_both_ways(files + [(f"again/{name}", data) for name, data in files])
    _assert_same_batch(fast, general)
    for name, data in files:
        _assert_same_import(
            import_file(name, data), general.files[[f.report.file for f in general.files].index(name)]
        )


def test_the_empty_frames_of_other_kinds_are_not_changed_through_another_file():
    data = _FILES["clean"].encode()
    first = import_file("PT-1_sessions.csv", data)
    for kind in ("pain", "measures"):
        frame = getattr(first, kind)
        frame["extra"] = 1
        del frame[frame.columns[0]]
        frame.columns = [f"x{i}" for i in range(len(frame.columns))]
    second = import_file("PT-2_sessions.csv", data)
    pd.testing.assert_frame_equal(second.pain, schema.empty_frame("pain"))
    pd.testing.assert_frame_equal(second.measures, empty_measures())
    pd.testing.assert_frame_equal(
        FileImport(report=second.report).sessions, schema.empty_frame("sessions")
    )


def test_frames_are_assembled_as_the_frame_constructor_builds_them(tmp_path):
    # Canonical frames and rejected-rows frames.
    built = []
    assembled = frames._assembled_from

    def both(columns, size, data):
        fast = assembled(columns, size, data)
        general = pd.DataFrame(data, copy=False)
        built.append((fast is not None, "problem" in data))
        if fast is not None:
            pd.testing.assert_frame_equal(fast, general, check_index_type=True, check_column_type=True)
            assert type(fast.index) is type(general.index) is pd.RangeIndex
            assert [b.dtype for b in fast._mgr.blocks] == [b.dtype for b in general._mgr.blocks]
            assert all(
                a is b
                for a, b in zip(data.values(), fast._mgr.arrays, strict=True)
                if not isinstance(a, np.ndarray)
            )
        return general

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("rehab.importer.frames._assembled_from", both)
        import_files(_mixed_upload(tmp_path))
        for case, text in sorted(_FILES.items()):
            import_file(
                f"PT-0101_{'pain' if case == 'pain' else 'sessions'}.csv",
                text.encode(),
                ImportOptions(as_of=datetime.date(2026, 9, 1)),
            )
    assert len(built) > 20
    assert all(fast for fast, _ in built)
    assert sum(rejected for _, rejected in built) > 5


def test_a_column_not_ready_for_the_blocks_goes_to_the_constructor():
    size = 2
    data = {name: frames.empty_like(dtype, size) for name, dtype in schema.frame_dtypes("pain").items()}
    assert frames._assembled("pain", size, data) is not None
    odd_ones = (
        np.array(["a", "b"], dtype=object),
        [1.0, None],
        np.array(["2026-09-01", "NaT"], dtype="datetime64[s]"),
    )
    for odd in odd_ones:
        assert frames._assembled("pain", size, {**data, "notes": odd}) is None
        # Then the constructor builds the frame, as it always did.
        frame = frames.canonical_frame("pain", size, {"pain": odd})
        expected = pd.DataFrame({**data, "pain": odd}, copy=False)
        pd.testing.assert_frame_equal(frame, expected, check_index_type=True)
    assert frames._assembled("pain", size, {**data, "notes": np.zeros(3)}) is None


# Value checks remembered within an upload: the same answer as checking again.
_CHECK_TEXTS = st.one_of(_NUMBER_TEXTS, _TIME_TEXTS, _FLAG_TEXTS, st.sampled_from(
    ["Cat Stretch", "cat-stretch", "hip rols", "Cat Stretch, Hip Rolls", "PT\u200b-1", " PT-1 ", "NA"]
))  # fmt: skip
_CHECKS = {
    "number": lambda texts: validate.check_number(SPECS["sessions"].column("reps"), texts),
    "score": lambda texts: validate.check_number(SPECS["pain"].column("pain"), texts),
    "flag": lambda texts: validate.check_flag(_FLARE, texts),
    "time": lambda texts: validate.check_time(SPECS["pain"].column("time"), texts),
    "text": lambda texts: validate.check_text(SPECS["pain"].column("notes"), texts, strip=False),
    "id": lambda texts: validate.check_text(SPECS["pain"].column("patient_id"), texts, strip=True),
    "exercise": lambda texts: validate.check_exercise(texts, load_library()),
}


def _same_answer(remembered, fresh):
    for part in dataclasses.fields(fresh):
        a, b = getattr(remembered, part.name), getattr(fresh, part.name)
        if b is None:
            assert a is None, part.name
            continue
        assert a.dtype == b.dtype, part.name
        np.testing.assert_array_equal(a, b, err_msg=part.name)


@settings(max_examples=300, deadline=None)
@given(st.lists(_CHECK_TEXTS, max_size=10, unique=True), st.randoms(use_true_random=False))
def test_remembered_checks_answer_as_checking_again(texts, random):
    # The distinct texts of a parsed column (pyarrow strings), then the same in another
    # order and place: remembered once (sorted), answered in each one's order.
    shuffled = random.sample(texts, len(texts))
    arrays = [pa.array(texts, type=pa.string()), pa.array(["x", *shuffled], type=pa.string())[1:]]
    with validate.checks_remembered():
        answers = {name: [check(array) for array in arrays] for name, check in _CHECKS.items()}
        # One answer per check (times are checked again each time).
        assert len(validate._remembered.get().answers) == len(_CHECKS) - 1
    for name, check in _CHECKS.items():
        for array, remembered in zip(arrays, answers[name], strict=True):
            _same_answer(remembered, check(array))


def test_a_remembered_check_is_per_spec_and_library_and_read_only():
    texts = pa.array(["11", "3", "cat stretch"])
    reps, pain = SPECS["sessions"].column("reps"), SPECS["pain"].column("pain")
    mine = load_library().model_copy(update={"exercises": load_library().exercises[:1]})
    with validate.checks_remembered():
        assert validate.check_number(reps, texts).error.tolist() == ["", "", "not_a_number"]
        assert validate.check_number(pain, texts).error.tolist() == ["out_of_range", "", "not_a_number"]
        bundled = validate.check_exercise(texts, load_library())
        other = validate.check_exercise(texts, mine)
        assert bundled.known.tolist() != other.known.tolist()
        _same_answer(other, validate._exercise(texts, mine))
        with pytest.raises(ValueError, match="read-only"):
            bundled.values[0] = "x"
    assert validate._remembered.get() is None
    assert validate.check_number(reps, texts).error.flags.writeable  # outside an upload


def test_an_upload_remembers_checks_only_while_it_is_imported(tmp_path):
    seen = []
    recalled = validate._recalled

    def spy(kind, against, texts, check):
        seen.append(validate._remembered.get())
        return recalled(kind, against, texts, check)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("rehab.importer.validate._recalled", spy)
        import_files(_mixed_upload(tmp_path)[:4])
        assert seen
        assert all(memory is seen[0] and memory is not None for memory in seen)
        assert seen[0].answers  # something was remembered
        seen.clear()
        import_file("PT-1_sessions.csv", _FILES["clean"].encode())
        assert seen
        assert all(memory is None for memory in seen)
    assert validate._remembered.get() is None


# A pain column with a cell read as a number is no scale of words: its words are not read.
_SCALE_TEXTS = st.one_of(
    st.sampled_from(sorted(scales.SEVERITY_WORDS)).map(lambda word: word.title()),
    st.sampled_from(["", " ", "7", " 3 ", "4,5", "11", "-1", "x", "MILD ", "mild-ish"]),
)


def test_no_severity_word_reads_as_a_number():
    for spec in (SPECS["pain"].column("pain"), SPECS["sessions"].column("pain_before")):
        words = sorted(scales.SEVERITY_WORDS)
        checked = validate.check_number(spec, pa.array(words + [w.upper() for w in words]))
        assert checked.invalid.all()


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_SCALE_TEXTS, min_size=1, max_size=8, unique=True), st.sampled_from(["Pain", "Pain (0-4)"])
)
def test_a_pain_column_with_numbers_is_judged_as_reading_its_words_judges_it(texts, header):
    cells = pa.array(texts, type=pa.string())
    checked = validate.check_number(SPECS["pain"].column("pain"), cells)
    found = scales.foreign_scale(header, cells, checked)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("rehab.importer.scales._reads_numbers", lambda checked: False)
        assert found == scales.foreign_scale(header, cells, checked)


# Control characters of ASCII text counted on its bytes, as the pattern counts them.
_CONTROL_PIECES = st.one_of(
    st.binary(max_size=6),
    st.sampled_from([b"\x00", b"\x0b", b"\x1f", b"\x7f", b"\t", b"\r\n", b"a,b", b"\xc2\x85", b"\xe9"]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_CONTROL_PIECES, max_size=40).map(b"".join))
def test_control_characters_are_counted_as_the_pattern_counts_them(raw):
    sample = raw.decode("utf-8", errors="ignore")
    assert decode._controls(sample, raw) == len(decode._CONTROL_RE.findall(sample))
    whole = b"Date,Pain\n" + raw
    try:
        fast = decode.decode_bytes(whole)
    except FileProblem as problem:
        fast = problem.code
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            "rehab.importer.decode._controls",
            lambda sample, raw: len(decode._CONTROL_RE.findall(sample)),
        )
        try:
            general = decode.decode_bytes(whole)
        except FileProblem as problem:
            general = problem.code
    assert fast == general


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "missing_value"]), st.sampled_from([None, "date", "pain"])),
        max_size=12,
    )
)
def test_issue_kinds_are_numbered_as_pandas_factorize_numbers_them(kinds):
    log = IssueLog()
    for row, (code, column) in enumerate(kinds):
        log.add_rows(np.array([row + 2]), code, "error", f"m{row % 3}", column=column)
    expected = pd.factorize(pd.Series(kinds, dtype=object))[0].astype(np.int64)
    np.testing.assert_array_equal(log._kinds(), expected)
    assert log._kinds().dtype == np.int64


# Dates without a time part: nothing to read, as reading their empty time texts finds.
@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["", "", "08:30", "8:30 pm", "25:00", None]), st.booleans()),
        max_size=8,
    )
)
def test_dates_without_times_read_no_times_as_reading_them_does(cells):
    time_text = np.array([text for text, _ in cells], dtype=object)
    valid = np.array([ok for _, ok in cells], dtype=bool)
    fast = dates._usable_times(time_text, valid)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("rehab.importer.dates._no_times", lambda time_text: False)
        general = dates._usable_times(time_text, valid)
    _same_arrays(fast[0], general[0])
    assert fast[1].dtype == general[1].dtype
    np.testing.assert_array_equal(fast[1], general[1])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["PT-1_sessions.csv", "a/b\\c pain.CSV", "2026-11-02.csv", " x .txt"]),
        max_size=12,
    )
)
def test_remembered_file_stems_are_the_stems_read_again(names):
    for name in names:
        assert names_module._stem(name) == names_module._stem.__wrapped__(name)


def test_the_stopwatch_times_every_step_and_changes_nothing():
    library, options = load_library(), ImportOptions()
    data = _FILES["typos and blanks"].encode()
    timings: dict[str, float] = {}
    timed = pipeline.import_bytes("PT-1_sessions.csv", data, options, library, timings)
    steps = {"decode", "parse", "headers", "encode", "duplicates", "dates", "values", "row issues"}
    assert steps | {"frames", "report"} == set(timings)
    assert all(seconds >= 0 for seconds in timings.values())
    _assert_same_import(timed, pipeline.import_bytes("PT-1_sessions.csv", data, options, library))
    # A step that raises is timed too (too many columns end the import in its parse step).
    failed: dict[str, float] = {}
    wide = b",".join([b"c"] * (MAX_COLUMNS + 1)) + b"\n"
    refused = pipeline.import_bytes("x.csv", wide, options, library, failed)
    assert refused.report.issues[0].code == "too_many_columns"
    assert set(failed) == {"decode", "parse"}


@settings(max_examples=100, deadline=None)
@given(st.lists(_CHECK_TEXTS, max_size=8, unique=True))
def test_a_checks_invalid_texts_are_those_with_an_error(texts):
    for check in _CHECKS.values():
        checked = check(pa.array(texts, type=pa.string()))
        for _ in range(2):  # worked out, then remembered
            assert checked.invalid.tolist() == [error != "" for error in checked.error.tolist()]
        cleared = dataclasses.replace(checked, error=np.full(len(texts), "", dtype=object))
        assert not cleared.invalid.any()


def test_a_pandas_without_the_internal_block_constructor_takes_the_public_one(monkeypatch):
    size = 2
    data = {name: frames.empty_like(dtype, size) for name, dtype in schema.frame_dtypes("pain").items()}
    monkeypatch.setattr(frames, "create_block_manager_from_column_arrays", None)
    assert frames._assembled("pain", size, data) is None
    frame = frames.canonical_frame("pain", size, {})
    pd.testing.assert_frame_equal(frame, pd.DataFrame(data, copy=False), check_index_type=True)


def test_an_upload_makes_no_empty_frames_of_the_kinds_its_files_lack(tmp_path):
    # One kind per file: the other kinds' empty frames were made for every file (800 for
    # 400 files), objects the garbage collector then walked for the rest of the session.
    files = [(f"PT-{i}_sessions.csv", _FILES["clean"].encode()) for i in range(40)]
    gc.collect()
    before = sum(isinstance(o, pd.DataFrame) for o in gc.get_objects())
    batch = import_files(files, ImportOptions(), None)
    gc.collect()
    made = sum(isinstance(o, pd.DataFrame) for o in gc.get_objects()) - before
    assert made < 2.5 * len(files)  # each file's rows and rejected rows, and the batch's
    assert all(f.rows("pain") is None and f.rows("measures") is None for f in batch.files)
    assert all(f.rows("sessions") is not None for f in batch.files)
    # Read, they are the empty frames of their kind.
    pd.testing.assert_frame_equal(batch.files[0].pain, schema.empty_frame("pain"))
    assert batch.files[0].rows("pain") is None
    assert len(batch.sessions) == sum(len(f.sessions) for f in batch.files)
