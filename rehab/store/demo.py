"""The demo workspace: the sample cohort as a clinic would have it after two weekly imports.

Last week's import holds every row up to a week before the cohort's last day; this week's
import brings the rest. After last week's import a demo therapist reviewed a few patients;
this morning, after this week's import, they have already looked at three more. So the
screening page shows "new since the last review" for some patients (a red-flag note, a
patient who has now dropped out), puts the ones reviewed this morning below the list, and
leaves the rest as never reviewed. Everything is fixed: the same sample files always give
the same workspace.
"""

from __future__ import annotations

import atexit
import csv
import io
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

from rehab.analysis import analyse
from rehab.sample.stories import DEMO_END

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rehab.library import ExerciseLibrary
    from rehab.store import Workspace
    from rehab.store.models import ReviewAction

DEMO_THERAPIST: Final = "Demo therapist"
DEMO_FILE_NAME: Final = "demo-workspace.db"
# A therapist imports the week's exports in the morning after the week's last day.
IMPORT_TIME: Final = time(8, 0)
WEEK: Final = timedelta(days=7)


@dataclass(frozen=True)
class DemoReview:
    """A review the demo therapist made after last week's or this week's import."""

    patient_id: str
    week: Literal["last", "this"]
    action: ReviewAction
    note: str
    minutes_after_import: int
    snooze_days: int | None = None  # counted from the import's last logged day


# Chosen from the demo stories (rehab/sample/stories.py). Since last week's reviews, PT-0107
# wrote a red-flag note and PT-0106, phoned then, has dropped out: both are new. PT-0101,
# PT-0102 and PT-0108 were looked at this morning, after this week's import: nothing new, so
# they wait below the list. PT-0103, PT-0104 and PT-0105 were never reviewed.
DEMO_REVIEWS: Final = (
    DemoReview("PT-0101", "last", "reviewed", "Pain-free and on maintenance; doing well.", 60),
    DemoReview("PT-0106", "last", "contacted", "Phoned: busy at work, will log again.", 70),
    DemoReview("PT-0107", "last", "reviewed", "Steady progress, no concerns.", 80),
    DemoReview("PT-0101", "this", "reviewed", "Still pain-free; next check in a month.", 60),
    DemoReview("PT-0102", "this", "contacted", "One session a day; will try a morning one.", 70, 7),
    DemoReview("PT-0108", "this", "reviewed", "Slow but steady; programme review at the visit.", 80),
)


def split_at(data: bytes, last_included: date) -> tuple[bytes, bytes]:
    """Split a CSV with a ``Date`` column into the rows up to ``last_included`` and the rest.

    Both parts keep the header; a part without rows is empty (no file at all). Dates are
    compared as ISO text, so a row whose date is not a real day (one of the sample's
    deliberate mistakes) still falls on its side of the cut; a row whose date is not ISO at
    all goes with the rest. A file without a date column goes whole into the rest, as a file
    first exported this week would.
    """
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        return b"", data
    header = rows[0]
    names = [name.strip().lower() for name in header]
    if "date" not in names:
        return b"", data
    column = names.index("date")
    cut = last_included.isoformat()
    before = [row for row in rows[1:] if _on_or_before(row, column, cut)]
    after = [row for row in rows[1:] if not _on_or_before(row, column, cut)]
    return _csv_bytes(header, before), _csv_bytes(header, after)


def _on_or_before(row: Sequence[str], column: int, cut: str) -> bool:
    value = row[column].strip() if column < len(row) else ""
    iso = len(value) == len(cut) and value[4] == "-" and value[7] == "-"
    return iso and value <= cut


def _csv_bytes(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    if not rows:
        return b""  # no file at all rather than a header without rows
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _at(day: date, minutes: int = 0) -> datetime:
    return datetime.combine(day, IMPORT_TIME, tzinfo=UTC) + timedelta(minutes=minutes)


def seed_demo(
    workspace: Workspace,
    sample_dir: Path,
    *,
    last_day: date = DEMO_END,
    reviews: Sequence[DemoReview] = DEMO_REVIEWS,
    library: ExerciseLibrary | None = None,
) -> None:
    """Fill ``workspace`` with the sample cohort as two weekly imports and a few reviews.

    Parameters
    ----------
    workspace
        An open workspace, normally empty (seeding twice adds the reviews twice).
    sample_dir
        The folder of the sample cohort's CSV files (``sample_data/``).
    last_day
        The cohort's last logged day. Rows dated up to a week before it are imported "last
        week" (the morning after that day); the rest "this week" (the morning after it).
    reviews
        The reviews the demo therapist makes after last week's or this week's import; each
        records the flag codes the patient had as of that week's last day.
    library
        The exercise library for the imports and the analysis (the bundled one by default).
    """
    cut = last_day - WEEK
    files = [(path.name, path.read_bytes()) for path in sorted(Path(sample_dir).glob("*.csv"))]
    halves = [(name, split_at(data, cut)) for name, data in files]
    weeks = {
        "last": ([(name, early) for name, (early, _) in halves if early], cut),
        "this": ([(name, late) for name, (_, late) in halves if late], last_day),
    }
    for week, (week_files, week_end) in weeks.items():
        imported = week_end + timedelta(days=1)
        workspace.import_files(week_files, by=DEMO_THERAPIST, library=library, at=_at(imported))
        chosen = [review for review in reviews if review.week == week]
        if chosen:
            _review(workspace, chosen, week_end, imported, library)


def _review(
    workspace: Workspace,
    reviews: Sequence[DemoReview],
    week_end: date,
    imported: date,
    library: ExerciseLibrary | None,
) -> None:
    # Each review records the flags the patient had as of the week's last day.
    cohort = analyse(
        workspace.sessions(),
        workspace.pain(),
        measures=workspace.measures(),
        as_of=week_end,
        library=library,
    )
    for review in reviews:
        patient = cohort.patients.get(review.patient_id)
        snooze = review.snooze_days
        workspace.review(
            review.patient_id,
            action=review.action,
            note=review.note,
            by=DEMO_THERAPIST,
            snooze_until=None if snooze is None else week_end + timedelta(days=snooze),
            flags=[] if patient is None else [flag.code for flag in patient.flags],
            at=_at(imported, review.minutes_after_import),
        )


def temporary_demo(sample_dir: Path) -> Workspace:
    """Open a seeded demo workspace in a new private temporary folder, removed at exit.

    The folder is made by :func:`tempfile.mkdtemp` (owner-only) and the workspace file by
    :meth:`Workspace.open` (mode 0600). Both go when the Python process ends normally or on
    SIGTERM/SIGINT handled by Streamlit (``atexit``); a process killed outright leaves them
    in the system's temporary folder.
    """
    from rehab.store import Workspace

    folder = Path(tempfile.mkdtemp(prefix="rehab-demo-"))
    try:
        workspace = Workspace.open(folder / DEMO_FILE_NAME)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    cleanup = partial(_remove, workspace, folder)
    atexit.register(cleanup)
    try:
        seed_demo(workspace, sample_dir)
    except BaseException:
        atexit.unregister(cleanup)
        cleanup()
        raise
    return workspace


def _remove(workspace: Workspace, folder: Path) -> None:
    try:
        workspace.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
