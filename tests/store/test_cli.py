"""``rehab workspace ...``: the store from the command line."""

from __future__ import annotations

import json
import stat
import zipfile
from datetime import date
from typing import TYPE_CHECKING

from rehab.cli import main
from rehab.importer import import_files
from rehab.store import Workspace
from tests.store.conftest import PAIN_HEADER, SAMPLE, csv_bytes

if TYPE_CHECKING:
    from pathlib import Path

    import pytest


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_exits_as_validate_and_reports_what_the_workspace_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "clinic.rehab")
    good = str(SAMPLE / "PT-0103_pain.csv")
    code, out, _ = _run(capsys, "workspace", "import", "--db", db, "--by", "Ana", good)
    assert code == 0
    assert "PT-0103_pain.csv (pain)" in out
    assert "0 session rows, 104 pain rows and 0 questionnaires added" in out
    assert "0 already stored" in out
    code, out, _ = _run(capsys, "workspace", "import", "--db", db, "--json", good)
    report = json.loads(out)
    assert code == 0
    assert report["files"][0]["file"] == "PT-0103_pain.csv"
    assert report["workspace"]["added"] == {"sessions": 0, "pain": 0, "measures": 0}
    assert report["workspace"]["already_stored"] == report["files"][0]["accepted"]

    bad_row = tmp_path / "PT-0103b_pain.csv"
    bad_row.write_bytes(
        csv_bytes(
            PAIN_HEADER, [["2026-09-02", "08:00", "4", "no", ""], ["2026-09-03", "", "eleven", "", ""]]
        )
    )
    assert _run(capsys, "workspace", "import", "--db", db, str(bad_row))[0] == 1
    conflict = tmp_path / "PT-0103_pain.csv"
    header, first = (SAMPLE / "PT-0103_pain.csv").read_text().splitlines()[:2]
    cells = first.split(",")
    cells[2] = str(int(cells[2]) + 1)
    conflict.write_text(f"{header}\n{','.join(cells)}\n")
    code, out, _ = _run(capsys, "workspace", "import", "--db", db, str(conflict))
    assert code == 1
    assert "1 in conflict" in out
    assert "says otherwise in pain; the stored row was kept" in out
    unusable = tmp_path / "PT-0104_sessions.csv"
    unusable.write_bytes(b"\x00\x00\x00")
    assert _run(capsys, "workspace", "import", "--db", db, str(unusable))[0] == 2
    with Workspace.open(db) as workspace:
        assert [r.by for r in workspace.imports()][-1] == "Ana"
        assert len(workspace.imports()) == 5


def test_summary_is_rehab_summary_plus_last_reviewed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "clinic.rehab")
    files = [str(SAMPLE / f"PT-010{i}_{k}.csv") for i in (1, 2) for k in ("sessions", "pain")]
    assert _run(capsys, "workspace", "import", "--db", db, *files)[0] == 0
    code, out, _ = _run(
        capsys,
        "workspace",
        "review",
        "--db",
        db,
        "PT-0102",
        "--note",
        "called",
        "--contacted",
        "--snooze-until",
        "2026-12-01",
    )
    assert code == 0
    assert out.startswith("contacted PT-0102 at ")
    code, out, _ = _run(capsys, "workspace", "summary", "--db", db, "--json", "--as-of", "2026-11-20")
    stored = json.loads(out)
    last = {p["patient_id"]: p.pop("last_reviewed") for p in stored["patients"]}
    assert last["PT-0101"] is None
    assert last["PT-0102"].startswith(date.today().isoformat()[:4])
    _, out, _ = _run(capsys, "summary", "--json", "--as-of", "2026-11-20", *files)
    assert stored == json.loads(out)
    with Workspace.open(db) as workspace:
        (review,) = workspace.reviews("PT-0102")
    assert (review.action, review.note, review.snooze_until) == (
        "contacted",
        "called",
        date(2026, 12, 1),
    )
    assert review.by  # the login name when --by is not given
    code, out, _ = _run(capsys, "workspace", "summary", "--db", db, "--as-of", "2026-11-20")
    assert code == 0
    assert "PT-0101" in out
    assert "Self-reported data" in out


def test_review_export_and_forget_say_when_the_patient_is_not_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "clinic.rehab")
    assert _run(capsys, "workspace", "summary", "--db", db)[0] == 2  # no workspace yet: not created
    missing = str(tmp_path / "PT-0106_sessions.csv")
    assert _run(capsys, "workspace", "import", "--db", db, missing)[0] == 2  # no such file
    assert not (tmp_path / "clinic.rehab").exists()
    _run(capsys, "workspace", "import", "--db", db, str(SAMPLE / "PT-0106_pain.csv"))
    for action in (("review",), ("export", "--out", str(tmp_path / "x.csv"))):
        code, _, err = _run(capsys, "workspace", action[0], "--db", db, "PT-9999", *action[1:])
        assert code == 2
        assert "no logs of 'PT-9999'" in err


def test_export_writes_owner_only_csv_files_or_one_zip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "clinic.rehab")
    files = [str(SAMPLE / f"PT-0107_{k}.csv") for k in ("sessions", "pain")]
    _run(capsys, "workspace", "import", "--db", db, *files)
    code, out, _ = _run(
        capsys, "workspace", "export", "--db", db, "PT-0107", "--out", str(tmp_path / "pt.csv")
    )
    written = [tmp_path / "pt_sessions.csv", tmp_path / "pt_pain.csv"]
    assert code == 0
    assert out.split() == ["wrote", str(written[0]), "wrote", str(written[1])]
    assert [stat.S_IMODE(p.stat().st_mode) for p in written] == [0o600, 0o600]
    archive = tmp_path / "pt.zip"
    assert _run(capsys, "workspace", "export", "--db", db, "PT-0107", "--out", str(archive))[0] == 0
    with zipfile.ZipFile(archive) as opened:
        assert opened.namelist() == ["PT-0107_sessions.csv", "PT-0107_pain.csv"]
        assert opened.read("PT-0107_pain.csv") == written[1].read_bytes()
    # The ZIP goes back in as it came out: everything already stored.
    code, out, _ = _run(capsys, "workspace", "import", "--db", db, str(archive))
    assert code == 0
    assert "0 session rows, 0 pain rows and 0 questionnaires added" in out


def test_forget_asks_for_yes_then_says_what_was_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "clinic.rehab")
    _run(capsys, "workspace", "import", "--db", db, str(SAMPLE / "PT-0108_pain.csv"))
    _run(capsys, "workspace", "review", "--db", db, "PT-0108")
    stored = len(import_files([("PT-0108_pain.csv", (SAMPLE / "PT-0108_pain.csv").read_bytes())]).pain)
    code, out, err = _run(capsys, "workspace", "forget", "--db", db, "PT-0108")
    assert code == 2
    assert out == ""
    assert f"removes 0 session rows, {stored} pain rows, 0 questionnaires and 1 review for good" in err
    assert "--yes" in err
    with Workspace.open(db) as workspace:
        assert workspace.patients() == ["PT-0108"]
    code, out, _ = _run(capsys, "workspace", "forget", "--db", db, "PT-0108", "--yes")
    assert code == 0
    assert f"0 session rows, {stored} pain rows, 0 questionnaires, 1 review; 1 file name in" in out
    with Workspace.open(db) as workspace:
        assert workspace.patients() == []
        assert workspace.reviews() == []
