"""The demo workspace (rehab/store/demo.py): two weekly imports of the sample cohort and a few
reviews, so "new since the last review" shows for some patients and not for others."""

from __future__ import annotations

import stat
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from rehab.analysis import analyse
from rehab.importer import import_files
from rehab.sample.stories import DEMO_END
from rehab.store import Workspace
from rehab.store.demo import DEMO_REVIEWS, DEMO_THERAPIST, seed_demo, split_at, temporary_demo

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
CUT = date(2026, 11, 13)  # a week before the cohort's last day, 2026-11-20
LAST_WEEK = datetime(2026, 11, 14, 8, 0, tzinfo=UTC)
THIS_WEEK = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    workspace = Workspace.open(tmp_path_factory.mktemp("demo") / "demo.db")
    seed_demo(workspace, SAMPLE)
    yield workspace
    workspace.close()


def _analyse(workspace: Workspace, as_of: date):
    return analyse(workspace.sessions(), workspace.pain(), measures=workspace.measures(), as_of=as_of)


def _rows(data: bytes) -> list[str]:
    return data.decode().splitlines()


def test_split_keeps_the_header_and_puts_every_row_on_one_side():
    data = (
        b"Date,Time,Pain,Notes\n"
        b"2026-11-12,08:00,4,\n"
        b'2026-11-13,21:30,3,"sore, after gardening"\n'
        b"2026-02-30,09:00,5,\n"  # not a real day, still before the cut
        b"2026-11-14,07:10,3,\n"
        b"14/11/2026,07:10,3,\n"  # not ISO: goes with the rest
        b"2026-11-20,20:00,2,\n"
    )
    before, after = split_at(data, CUT)
    assert _rows(before) == [
        "Date,Time,Pain,Notes",
        "2026-11-12,08:00,4,",
        '2026-11-13,21:30,3,"sore, after gardening"',
        "2026-02-30,09:00,5,",
    ]
    assert _rows(after) == [
        "Date,Time,Pain,Notes",
        "2026-11-14,07:10,3,",
        "14/11/2026,07:10,3,",
        "2026-11-20,20:00,2,",
    ]


def test_a_file_without_a_date_column_comes_whole_this_week():
    data = b"patient,score\nPT-1,3\n"
    assert split_at(data, CUT) == (b"", data)


def test_a_side_without_rows_is_no_file():
    data = b"Date,Pain\n2026-11-20,3\n"
    assert split_at(data, CUT) == (b"", data)
    assert split_at(data, DEMO_END) == (data, b"")


def test_two_imports_a_week_apart_hold_the_whole_cohort(demo):
    records = demo.imports()
    assert {record.at for record in records} == {LAST_WEEK, THIS_WEEK}
    assert {record.by for record in records} == {DEMO_THERAPIST}
    sample = {p.name: p.read_bytes() for p in SAMPLE.glob("*.csv")}
    with_old_rows = {name for name, data in sample.items() if split_at(data, CUT)[0]}
    assert {r.file for r in records if r.at == LAST_WEEK} == with_old_rows
    assert {r.file for r in records} == set(sample)
    # Every row of the sample is stored once: the same rows as importing the files at once.
    whole = import_files([(p.name, p.read_bytes()) for p in sorted(SAMPLE.glob("*.csv"))])
    kinds = (
        (demo.sessions(), whole.sessions),
        (demo.pain(), whole.pain),
        (demo.measures(), whole.measures),
    )
    for stored, imported in kinds:
        assert len(stored) == len(imported)
        values = [c for c in imported.columns if c not in ("source_file", "source_row")]
        pd.testing.assert_frame_equal(
            stored[values].sort_values(values).reset_index(drop=True),
            imported[values].sort_values(values).reset_index(drop=True),
        )
    # Last week's import holds exactly the rows up to the cut.
    last_week_rows = sum(r.added for r in records if r.at == LAST_WEEK)
    assert last_week_rows == sum((imported["date"].dt.date <= CUT).sum() for _, imported in kinds)


def test_reviews_record_the_flags_of_their_week(demo):
    flags = {
        LAST_WEEK: _analyse(demo, CUT),
        THIS_WEEK: _analyse(demo, DEMO_END),
    }
    reviews = demo.reviews()
    assert len(reviews) == len(DEMO_REVIEWS)
    for review in reviews:
        assert review.by == DEMO_THERAPIST
        imported = LAST_WEEK if review.at < THIS_WEEK else THIS_WEEK
        assert imported < review.at < imported + timedelta(hours=2)
        codes = [f.code for f in flags[imported].patients[review.patient_id].flags]
        assert sorted(review.flags) == sorted(codes), review.patient_id
    last = demo.last_reviews()
    assert last["PT-0106"].action == "contacted"
    assert last["PT-0102"].snooze_until == date(2026, 11, 27)
    assert [r.at < THIS_WEEK for r in demo.reviews("PT-0101")] == [False, True]  # newest first


def test_new_since_the_last_review_shows_for_some_patients_only(demo):
    now = _analyse(demo, DEMO_END)
    last = demo.last_reviews()
    new_flags = {
        patient_id: sorted({f.code for f in now.patients[patient_id].flags} - set(review.flags))
        for patient_id, review in last.items()
    }
    since = demo.rows_since_last_review()
    new_rows = {patient_id: sum(since.get(patient_id, {}).values()) for patient_id in last}
    # The demo's story: last week's calm patient now has a red-flag note (and new logs), the
    # patient who was phoned has still not logged and has now dropped out; the three looked
    # at this morning have nothing new. Three patients were never reviewed.
    assert new_flags == {
        "PT-0101": [],
        "PT-0102": [],
        "PT-0106": ["dropped_out"],
        "PT-0107": ["red_flag_symptom"],
        "PT-0108": [],
    }
    assert new_rows["PT-0107"] > 0
    assert {p for p, rows in new_rows.items() if rows == 0} == {
        "PT-0101",
        "PT-0102",
        "PT-0106",
        "PT-0108",
    }
    assert set(demo.patients()) - set(last) == {"PT-0103", "PT-0104", "PT-0105"}


def test_seeding_is_deterministic(demo, tmp_path):
    with Workspace.open(tmp_path / "again.db") as again:
        seed_demo(again, SAMPLE)
        fields = ("at", "by", "file", "fingerprint", "rows", "accepted", "rejected", "added")
        assert [[getattr(r, f) for f in fields] for r in again.imports()] == [
            [getattr(r, f) for f in fields] for r in demo.imports()
        ]
        assert again.reviews() == demo.reviews()
        pd.testing.assert_frame_equal(again.sessions(), demo.sessions())
        pd.testing.assert_frame_equal(again.pain(), demo.pain())


CHILD = """
import sys
from pathlib import Path
from rehab.store.demo import temporary_demo
workspace = temporary_demo(Path(sys.argv[1]))
print(workspace.path, flush=True)
"""


def test_temporary_demo_is_private_and_gone_when_the_process_ends(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(SAMPLE)],
        cwd=ROOT,
        env={"TMPDIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    path = Path(done.stdout.strip())
    assert path.parent.parent == tmp_path  # made where the system keeps temporary files
    assert not path.exists()
    assert not list(tmp_path.iterdir())


def test_temporary_demo_file_and_folder_are_owner_only(monkeypatch, tmp_path):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    workspace = temporary_demo(SAMPLE)
    try:
        assert stat.S_IMODE(workspace.path.stat().st_mode) == 0o600
        assert stat.S_IMODE(workspace.path.parent.stat().st_mode) == 0o700
        assert workspace.patients() == [f"PT-010{n}" for n in range(1, 9)]
    finally:
        workspace.close()
