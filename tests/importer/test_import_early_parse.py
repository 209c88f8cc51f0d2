"""The command line's early parse (``python -m rehab``) changes nothing but when the parse runs.

The input CSV files are read and fast-parsed on a background thread while the modules load
(rehab.importer.parse.parse_early); the import takes that table only for the very bytes and
delimiter it would have parsed itself. Every report must be the one of the plain run.
"""

from __future__ import annotations

import json
import threading
from typing import TYPE_CHECKING

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rehab.cli import main
from rehab.importer import coded, parse

if TYPE_CHECKING:
    from pathlib import Path

HEADER = "patient_id,date,time,exercise,sets,reps,pain_before,pain_after,notes"
ROW = "PT-{p:04d},2026-10-{d:02d},08:{m:02d},Core,2,10,{s},3,felt good"


def _log(rows: int) -> str:
    lines = [ROW.format(p=i % 7, d=1 + i % 28, m=i % 60, s=i % 12) for i in range(rows)]
    return "\n".join([HEADER, *lines]) + "\n"


CASES = {
    "plain": _log(50).encode(),
    # Big enough for pyarrow's threaded reader (more than one 1 MB block).
    "big": _log(30_000).encode(),
    "blank_lines": (HEADER + "\n\n" + _log(5).split("\n", 1)[1] + "\n\n").encode(),
    "multi_line_note": (_log(3) + 'PT-0001,2026-10-05,09:00,Core,1,8,4,3,"two\nlines"\n').encode(),
    "crlf": _log(20).replace("\n", "\r\n").encode(),
    "lone_cr": _log(20).replace("\n", "\r", 3).encode(),
    "bom": b"\xef\xbb\xbf" + _log(10).encode(),
    "latin1": (_log(4) + "PT-0001,2026-10-06,09:00,Core,1,8,4,3,gen\xfcgend\n").encode("latin-1"),
    "utf16": _log(6).encode("utf-16"),
    "semicolons": _log(10).replace(",", ";").encode(),
    "control_char": _log(10).replace("felt good", "felt\x0bgood", 1).encode(),
    "ragged": (_log(3) + "PT-0001,2026-10-07,09:00,Core,1,8,4,3,ok,extra\nPT-0001\n").encode(),
    "header_only": (HEADER + "\n").encode(),
    "empty": b"",
    "not_csv": b"PK\x03\x04 a workbook",
}


def _validate(capsys: pytest.CaptureFixture[str], files: list[Path], *, early: bool) -> tuple[int, str]:
    code = main(["validate", "--json", *map(str, files)], early=early)
    out, err = capsys.readouterr()
    assert parse._early == []  # nothing left behind, used or not
    assert coded._prepared == []
    return code, out + err


def _spy_threads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the thread each call of the fast parser runs on."""
    threads: list[str] = []
    real = parse.parse_fast

    def spy(utf8: bytes, delimiter: str) -> parse.RawTable | None:
        threads.append(threading.current_thread().name)
        return real(utf8, delimiter)

    monkeypatch.setattr(parse, "parse_fast", spy)
    return threads


@pytest.mark.parametrize("case", sorted(CASES))
def test_early_parse_gives_the_report_of_the_plain_run(tmp_path, capsys, case):
    path = tmp_path / f"PT-0101_{case}.csv"
    path.write_bytes(CASES[case])
    assert _validate(capsys, [path], early=True) == _validate(capsys, [path], early=False)


def test_many_files_a_missing_one_and_a_repeat(tmp_path, capsys):
    paths = []
    for case in ("plain", "bom", "blank_lines", "plain"):
        paths.append(tmp_path / f"PT-{len(paths):04d}_{case}.csv")
        paths[-1].write_bytes(CASES[case])
    paths.append(paths[0])  # the same file twice: two reports, the second all duplicates
    assert _validate(capsys, paths, early=True) == _validate(capsys, paths, early=False)
    missing = [*paths, tmp_path / "PT-9999_gone.csv"]
    code, text = _validate(capsys, missing, early=True)
    assert (code, text) == _validate(capsys, missing, early=False)
    assert code == 2
    assert "no such file" in text


def test_a_first_file_the_early_thread_cannot_read_is_left_to_the_import(tmp_path, capsys, monkeypatch):
    # The early thread reads the first file before it loads the parser: when that read
    # fails, the import reads the file itself, and the others are still parsed early.
    import pathlib

    paths = []
    for case in ("plain", "big"):
        paths.append(tmp_path / f"PT-{len(paths):04d}_{case}.csv")
        paths[-1].write_bytes(CASES[case])
    plain = _validate(capsys, paths, early=False)
    reads: list[tuple[str, str]] = []
    real = pathlib.Path.read_bytes

    def failing_once(self: pathlib.Path) -> bytes:
        thread = threading.current_thread().name
        reads.append((self.name, thread))
        if self == paths[0] and thread == "rehab-early-parse":
            raise PermissionError("not now")
        return real(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", failing_once)
    threads = _spy_threads(monkeypatch)
    assert _validate(capsys, paths, early=True) == plain
    assert reads == [
        (paths[0].name, "rehab-early-parse"),
        (paths[1].name, "rehab-early-parse"),
        (paths[0].name, "MainThread"),
    ]
    assert sorted(threads) == ["MainThread", "rehab-early-parse"]


def test_each_file_is_read_once_on_the_early_thread(tmp_path, capsys, monkeypatch):
    import pathlib

    paths = []
    for case in ("big", "plain"):
        paths.append(tmp_path / f"PT-{len(paths):04d}_{case}.csv")
        paths[-1].write_bytes(CASES[case])
    reads: list[tuple[str, str]] = []
    real = pathlib.Path.read_bytes

    def spy(self: pathlib.Path) -> bytes:
        reads.append((self.name, threading.current_thread().name))
        return real(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", spy)
    early = _validate(capsys, paths, early=True)
    # Each file read once, on the early thread: the import took those bytes.
    assert sorted(reads) == sorted((path.name, "rehab-early-parse") for path in paths)
    reads.clear()
    assert early == _validate(capsys, paths, early=False)
    assert sorted(reads) == sorted((path.name, "MainThread") for path in paths)


def test_a_plain_file_is_parsed_once_on_the_early_thread(tmp_path, capsys, monkeypatch):
    path = tmp_path / "PT-0101_sessions.csv"
    path.write_bytes(CASES["big"])
    threads = _spy_threads(monkeypatch)
    assert _validate(capsys, [path], early=True)[0] == 0
    assert threads == ["rehab-early-parse"]
    threads.clear()
    assert _validate(capsys, [path], early=False)[0] == 0
    assert threads == ["MainThread"]


def test_bytes_the_import_decodes_differently_are_parsed_again(tmp_path, capsys, monkeypatch):
    # A BOM is cut off before parsing: the early table (of the bytes with the BOM) is not used.
    path = tmp_path / "PT-0101_sessions.csv"
    path.write_bytes(CASES["bom"])
    threads = _spy_threads(monkeypatch)
    _validate(capsys, [path], early=True)
    assert threads == ["rehab-early-parse", "MainThread"]


def _dirty_log(rows: int) -> bytes:
    """A log with everything the duplicate and blank-row checks look at (every ``rows // 40``)."""
    step = max(rows // 40, 1)
    lines = [ROW.format(p=i % 997, d=1 + i % 28, m=i % 60, s=i % 12) for i in range(rows)]
    for i in range(1, rows, 3 * step):
        lines[i] = lines[i // 2]  # exact repeats of an earlier row
    for i in range(2, rows, 5 * step):
        lines[i] = ",,,,,,,,"  # a spreadsheet's empty line: only delimiters
    for i in range(4, rows, 7 * step):
        lines[i] = f"PT-0001,2026-10-01,08:01,Core,2,oops,{i % 9},3,"  # bad reps; set rows
    for i in range(6, rows, 11 * step):
        lines[i] = "  ,2026-10-02,,,,,,,"  # no exercise: rejected
    return ("\n".join([HEADER, *lines]) + "\n").encode()


@pytest.mark.parametrize("rows", [40, 60_000])
def test_columns_encoded_early_give_the_report_of_the_plain_run(tmp_path, capsys, monkeypatch, rows):
    path = tmp_path / "PT-0101_sessions.csv"
    path.write_bytes(_dirty_log(rows))
    threads: list[str] = []
    columns: list[int] = []
    real = coded.encode

    def spy(column: object, out: object = None) -> coded.CodedColumn:
        threads.append(threading.current_thread().name)
        columns.append(id(column))
        return real(column, out)

    monkeypatch.setattr(coded, "encode", spy)
    early = _validate(capsys, [path], early=True)
    # Every column was encoded once, on the early thread or by the main thread while it
    # waited for the early thread (help_prepare): the import took those codes.
    assert len(threads) == len(HEADER.split(","))
    assert len(set(columns)) == len(columns)
    assert set(threads) <= {"rehab-early-parse", "MainThread"}
    assert threads[0] == "rehab-early-parse"
    threads.clear()
    plain = _validate(capsys, [path], early=False)
    assert set(threads) == {"MainThread"}
    assert early == plain
    report = json.loads(plain[1])["files"][0]
    assert report["duplicates"] > 0
    assert report["rejected"] > 0
    assert "set_rows" in {issue["code"] for issue in report["issues"]}


def test_summary_and_zip_and_folder_inputs_match(tmp_path, capsys):
    import zipfile

    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "PT-0001_sessions.csv").write_bytes(CASES["big"])
    (folder / "PT-0002_sessions.csv").write_bytes(CASES["blank_lines"])
    archive = tmp_path / "more.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("PT-0003_sessions.csv", CASES["crlf"])
    command = ["summary", "--json", "--as-of", "2026-10-31", str(folder), str(archive)]
    early = main(command, early=True), capsys.readouterr()
    plain = main(command, early=False), capsys.readouterr()
    assert early == plain
    assert len(json.loads(plain[1].out)["patients"]) == 7
    assert parse._early == []


LINES = st.sampled_from(
    [
        "PT-0001,2026-10-01,08:00,Core,2,10,4,3,ok",
        "PT-0002,2026-10-02,,Hip Rolls,1,8,11,3,",
        'PT-0003,2026-10-03,09:00,Core,1,8,4,3,"a, b"',
        'PT-0003,2026-10-03,09:00,Core,1,8,4,3,"two\nlines"',
        "PT-0004,2026-02-30,09:00,Plank,1,8,4,3,x",
        "PT-0005,2026-10-04,09:00,Core,1,8,4",
        "PT-0005,2026-10-04,09:00,Core,1,8,4,3,ok,more",
        "",
    ]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(LINES, max_size=12), end=st.sampled_from(["\n", "\r\n", "\r"]))
def test_early_parse_property(tmp_path, capsys, lines, end):
    path = tmp_path / "PT-0101_sessions.csv"
    path.write_bytes(end.join([HEADER, *lines, ""]).encode())
    assert _validate(capsys, [path], early=True) == _validate(capsys, [path], early=False)


def test_cycle_collection_pauses_while_loading_and_comes_back(tmp_path, capsys, monkeypatch):
    import gc

    import rehab.analysis
    import rehab.importer.api

    path = tmp_path / "PT-0101_sessions.csv"
    path.write_bytes(CASES["plain"])
    seen: dict[str, bool] = {}
    real_import, real_analyse = rehab.importer.api.import_files, rehab.analysis.analyse

    def spy_import(*args: object, **kwargs: object) -> object:
        seen["loading"] = gc.isenabled()
        return real_import(*args, **kwargs)

    def spy_analyse(*args: object, **kwargs: object) -> object:
        seen["analysing"] = gc.isenabled()
        return real_analyse(*args, **kwargs)

    monkeypatch.setattr(rehab.importer.api, "import_files", spy_import)
    monkeypatch.setattr(rehab.importer, "import_files", spy_import, raising=False)
    monkeypatch.setattr(rehab.analysis, "analyse", spy_analyse)
    assert main(["summary", "--json", "--as-of", "2026-10-31", str(path)], early=True) == 0
    capsys.readouterr()
    assert seen == {"loading": False, "analysing": True}
    # Back as it was for whoever goes on in this process: on, nothing frozen.
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    main(["validate", "--json", str(tmp_path / "missing.csv")], early=True)
    capsys.readouterr()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_the_switch_interval_is_back_once_the_early_thread_is_done(tmp_path, capsys):
    import sys

    path = tmp_path / "PT-0101_sessions.csv"
    path.write_bytes(CASES["big"])
    before = sys.getswitchinterval()
    assert _validate(capsys, [path], early=True)[0] == 0
    for thread in threading.enumerate():
        if thread.name == "rehab-early-parse":
            thread.join(timeout=30)
    # Shortened while the early thread ran (its GIL hand-overs), restored as it ended.
    assert sys.getswitchinterval() == before


def _encode_once_helped(
    monkeypatch: pytest.MonkeyPatch,
    table: parse.RawTable,
    fail_at: int | None,
    error: BaseException | None = None,
) -> dict[int, str]:
    """Run coded.prepare on a thread that stalls on the first column while this thread helps.

    Returns, per column position, the name of the thread that encoded it. ``fail_at``: the
    position whose encoding raises.
    """
    stalled, helped = threading.Event(), threading.Event()
    who: dict[int, str] = {}
    real = coded.encode

    def stalling(column: object, out: object = None) -> coded.CodedColumn:
        position = next(i for i, c in enumerate(table.columns) if c is column)
        if position == 0:
            stalled.set()
            assert helped.wait(10)
        who[position] = threading.current_thread().name
        if position == fail_at:
            raise error or ValueError("an encoding that fails")
        return real(column, out)

    monkeypatch.setattr(coded, "encode", stalling)
    early = threading.Thread(target=parse._prepare, args=(table,), name="early")
    early.start()
    assert stalled.wait(10)
    interrupted = False
    try:
        coded.help_prepare()
    except KeyboardInterrupt:
        interrupted = True
    # The helper's own interrupt stays its own; any other failure is the early thread's.
    assert interrupted == isinstance(error, KeyboardInterrupt)
    helped.set()
    early.join(10)
    assert not early.is_alive()
    assert coded._encoding == []
    return who


@pytest.mark.parametrize("rows", [40, 60_000])
def test_columns_the_main_thread_helps_encode_are_the_early_threads_own(
    monkeypatch: pytest.MonkeyPatch, rows: int
) -> None:
    table = parse.parse_fast(_dirty_log(rows), ",")
    assert table is not None
    expected = [coded.encode(column) for column in table.columns]
    blank = coded.blank_rows(expected, table.size)
    positions = np.flatnonzero(~blank)
    first = coded.first_occurrence(expected, positions)
    try:
        who = _encode_once_helped(monkeypatch, table, fail_at=None)
        # The early thread stalled on the first column: this thread encoded all the others.
        assert who == {0: "early"} | dict.fromkeys(range(1, len(table.columns)), "MainThread")
        (done,) = coded._prepared
        assert done.columns is table.columns
        for mine, theirs in zip(done.coded, expected, strict=True):
            assert mine.codes.dtype == theirs.codes.dtype
            assert np.array_equal(mine.codes, theirs.codes)
            assert mine.uniques.equals(theirs.uniques)
        assert np.array_equal(done.blank, blank)
        assert np.array_equal(done.positions, positions)
        assert np.array_equal(done.first, first)
    finally:
        coded.discard_prepared()


def test_a_helped_encoding_that_fails_leaves_the_import_to_encode(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    table = parse.parse_fast(_dirty_log(40), ",")
    assert table is not None
    try:
        who = _encode_once_helped(monkeypatch, table, fail_at=2)
        # The failure stopped both threads from taking more columns; nothing was kept.
        assert who[2] == "MainThread"
        assert len(who) < len(table.columns)
        assert coded._prepared == []
    finally:
        coded.discard_prepared()


def test_an_interrupt_while_helping_is_the_helpers_and_the_early_thread_gives_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    table = parse.parse_fast(_dirty_log(40), ",")
    assert table is not None
    errors: list[BaseException] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: errors.append(args.exc_value))
    try:
        who = _encode_once_helped(monkeypatch, table, fail_at=1, error=KeyboardInterrupt())
        assert who[1] == "MainThread"
        assert coded._prepared == []
        assert errors == []  # the early thread ended quietly
    finally:
        coded.discard_prepared()


def test_help_without_an_early_encoding_does_nothing() -> None:
    coded.help_prepare()
    assert coded._encoding == []
    assert coded._prepared == []
