"""The synthetic cohorts: determinism, shape, each demo story's defining rule, the CSV export."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from rehab.analysis import PatientSummary, Prescription, analyse, mentions_red_flag
from rehab.library import DEFAULT_LIBRARY_PATH, load_library
from rehab.sample import (
    DEMO_END,
    SampleCohort,
    demo_cohort,
    demo_stories,
    main_sample,
    random_cohort,
    write_cohort,
)
from rehab.sample.notes import (
    FLARE_NOTE,
    PAIN_NOTES,
    RED_FLAG_PAIN_NOTE,
    RED_FLAG_SESSION_NOTE,
    SESSION_NOTES,
    hurting_note,
)
from rehab.sample.typos import MISSPELLING
from rehab.schema import frame_dtypes

REPO = Path(__file__).resolve().parents[1]
SVG_DIR = DEFAULT_LIBRARY_PATH.parent / "svg"
SVG_NS = "{http://www.w3.org/2000/svg}"
END = pd.Timestamp(DEMO_END)


@pytest.fixture(scope="module")
def demo() -> SampleCohort:
    return demo_cohort()


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory, demo: SampleCohort) -> list[Path]:
    return write_cohort(demo, tmp_path_factory.mktemp("demo"))


def key_date(patient: str, name: str) -> pd.Timestamp:
    story = next(s for s in demo_stories() if s.plan.patient_id == patient)
    return pd.Timestamp(story.key_dates()[name])


def daily(cohort: SampleCohort, patient: str) -> pd.DataFrame:
    """Each logged day's pain mean, max and entries, on a calendar without gaps (NaN: no entry)."""
    pain = cohort.pain[cohort.pain["patient_id"] == patient]
    days = pain.groupby("date")["pain"].agg(["mean", "max", "size"]).astype(float)
    calendar = pd.date_range(days.index.min(), days.index.max(), freq="D")
    return days.reindex(calendar)


def pain_free_runs(days: pd.DataFrame, length: int = 7) -> list[pd.Timestamp]:
    """Days on which a run of ``length`` consecutive pain-free days (max <= 1) completes."""
    pain_free = (days["max"] <= 1).astype(int)  # NaN (no entry) breaks the run
    run = pain_free.groupby((pain_free == 0).cumsum()).cumsum()
    return list(run.index[run == length])


def sessions_per_day(cohort: SampleCohort, patient: str) -> pd.DataFrame:
    rows = cohort.sessions[cohort.sessions["patient_id"] == patient]
    return rows.groupby(["date", "exercise"]).size().unstack(fill_value=0)


def last_week(frame: pd.DataFrame, column: str = "date") -> pd.DataFrame:
    return frame[frame[column] > END - pd.Timedelta(days=7)]


# --- determinism and shape ---------------------------------------------------------------


def test_demo_cohort_is_the_same_for_a_seed_and_differs_for_another(demo: SampleCohort) -> None:
    again = demo_cohort(seed=7)
    pd.testing.assert_frame_equal(demo.sessions, again.sessions)
    pd.testing.assert_frame_equal(demo.pain, again.pain)
    other = demo_cohort(seed=8)
    assert not other.sessions.equals(demo.sessions)
    assert not other.pain.equals(demo.pain)


def test_demo_frames_have_the_canonical_columns_and_dtypes(demo: SampleCohort) -> None:
    for kind, frame in (("sessions", demo.sessions), ("pain", demo.pain)):
        assert {c: str(t) for c, t in frame.dtypes.items()} == frame_dtypes(kind)
        assert frame["patient_id"].notna().all()
        assert frame["time"].str.fullmatch(r"\d\d:\d\d").all()
        assert frame["time"].min() >= "07:00"
        assert frame["time"].max() <= "21:30"
    assert demo.sessions["exercise"].isin(load_library().prescribed_ids).all()
    assert demo.pain["pain"].between(0, 10).all()


def test_demo_patients_log_60_to_90_days_ending_near_the_demo_end(demo: SampleCohort) -> None:
    patients = sorted(demo.pain["patient_id"].unique())
    assert patients == [f"PT-01{i:02d}" for i in range(1, 9)]
    assert [s.plan.patient_id for s in demo_stories()] == patients
    for patient, days in demo.pain.groupby("patient_id")["date"]:
        span = (days.max() - days.min()).days + 1
        assert days.max() <= END
        if patient != "PT-0106":  # the one who stopped logging
            assert 60 <= span <= 90
            assert days.max() == END


# --- the stories ---------------------------------------------------------------------------


def test_recovering_patient_has_seven_pain_free_days_then_logs_once_a_day(demo: SampleCohort) -> None:
    days = daily(demo, "PT-0101")
    completes = pain_free_runs(days)
    assert completes, "no run of 7 pain-free days with an entry every day"
    run_start = completes[0] - pd.Timedelta(days=6)
    assert run_start == key_date("PT-0101", "pain-free from")
    assert days.loc[run_start:, "max"].max() <= 1  # stays pain-free, no relapse
    maintenance = completes[0] + pd.Timedelta(days=1)
    assert maintenance == key_date("PT-0101", "maintenance from")
    per_day = sessions_per_day(demo, "PT-0101")
    assert per_day.loc[maintenance:].to_numpy().max() == 1
    assert per_day.loc[: run_start - pd.Timedelta(days=1)].to_numpy().max() == 3


def test_once_a_day_patient_is_in_pain_with_a_third_of_the_sessions(demo: SampleCohort) -> None:
    days = daily(demo, "PT-0102").dropna()
    assert (days["max"] >= 2).all()  # never pain-free: the target stays 3 a day
    per_day = sessions_per_day(demo, "PT-0102")
    assert per_day.to_numpy().max() == 1
    week = last_week(demo.sessions[demo.sessions["patient_id"] == "PT-0102"])
    adherence = len(week) / (7 * 4 * 3)
    assert 0.2 <= adherence <= 1 / 3


def test_hip_rolls_raise_pain_recently_while_the_other_exercises_ease_it(demo: SampleCohort) -> None:
    rows = demo.sessions[demo.sessions["patient_id"] == "PT-0103"].dropna(
        subset=["pain_before", "pain_after"]
    )
    change = rows["pain_after"] - rows["pain_before"]
    hip_rolls = rows["exercise"] == "hip_rolls"
    recent = rows["date"] > END - pd.Timedelta(days=7)
    spikes = rows.loc[hip_rolls & recent & (change == 2), "date"]
    assert list(spikes.unique()) == [key_date("PT-0103", "+2 session on")]
    assert (change[hip_rolls].tail(3) >= 1).sum() >= 2
    assert (change[~hip_rolls & recent] <= 0).all()
    assert change[~hip_rolls].mean() < 0


def test_the_patient_stops_hip_rolls_right_after_the_plus_2_session(demo: SampleCohort) -> None:
    # The stop rule, obeyed: the (evening) session that raised pain by 2 is the last Hip Rolls row.
    rows = demo.sessions[demo.sessions["patient_id"] == "PT-0103"]
    hip_rolls = rows[rows["exercise"] == "hip_rolls"]
    last = hip_rolls.iloc[-1]
    assert last["date"] == key_date("PT-0103", "+2 session on")
    assert last["pain_after"] - last["pain_before"] == 2
    assert last["notes"] == hurting_note("Hip Rolls")
    paused_from = key_date("PT-0103", "paused from")
    assert paused_from == last["date"] + pd.Timedelta(days=1)
    # The other three exercises go on every day, three times a day, to the end.
    after = sessions_per_day(demo, "PT-0103").loc[paused_from:]
    assert list(after.index) == list(pd.date_range(paused_from, END))
    assert "hip_rolls" not in after.columns or after["hip_rolls"].eq(0).all()
    assert after[["back_extension", "cat_stretch", "core"]].to_numpy().min() >= 2


@pytest.fixture(scope="module")
def as_of_end(demo: SampleCohort) -> dict[str, PatientSummary]:
    cohort = analyse(demo.sessions, demo.pain, as_of=DEMO_END)
    return {patient: found.summary for patient, found in cohort.patients.items()}


def test_hip_rolls_are_paused_and_flagged_on_the_demo_s_last_day(
    as_of_end: dict[str, PatientSummary],
) -> None:
    summary = as_of_end["PT-0103"]
    (paused,) = summary.paused_exercises
    assert (paused.exercise, paused.since) == ("hip_rolls", key_date("PT-0103", "paused from").date())
    assert paused.evidence == f"+2 on {key_date('PT-0103', '+2 session on'):%-d %b}"
    tiers = {flag.code: flag.tier for flag in summary.flags}
    assert tiers == {"exercise_increases_pain": "high", "exercise_paused": "moderate"}
    assert summary.alert == "high"
    # Hip Rolls are the demo's only pause as of its last day.
    assert [p for p, s in as_of_end.items() if s.paused_exercises] == ["PT-0103"]


def test_stopping_hip_rolls_does_not_lower_adherence(
    demo: SampleCohort, as_of_end: dict[str, PatientSummary]
) -> None:
    adherence = as_of_end["PT-0103"].adherence
    # The same week had Hip Rolls never been prescribed: the pause must not cost more.
    others = ("back_extension", "cat_stretch", "core")
    sessions = demo.sessions[
        (demo.sessions["patient_id"] == "PT-0103") & demo.sessions["exercise"].isin(others)
    ]
    pain = demo.pain[demo.pain["patient_id"] == "PT-0103"]
    without = (
        analyse(
            sessions,
            pain,
            as_of=DEMO_END,
            prescription=Prescription(exercises=others, rehab_per_day=3, maintenance_per_day=1),
        )
        .patients["PT-0103"]
        .summary.adherence
    )
    assert without.last_7_days is not None
    assert adherence.last_7_days is not None
    assert adherence.last_7_days >= without.last_7_days - 0.01
    assert adherence.band_last_7_days == "adherent"
    # Counting the paused days' Hip Rolls as missed would have read as low effort.
    per_day = sessions_per_day(demo, "PT-0103").loc[END - pd.Timedelta(days=6) :]
    as_if_missed = (per_day.clip(upper=3) / 3).mean(axis=1).mean()
    assert as_if_missed < adherence.last_7_days - 0.1


def test_slow_improver_paused_cat_stretch_after_a_plus_2_and_restarted_it(demo: SampleCohort) -> None:
    rows = demo.sessions[
        (demo.sessions["patient_id"] == "PT-0108") & (demo.sessions["exercise"] == "cat_stretch")
    ]
    stop_day = key_date("PT-0108", "+2 session on")
    restart = key_date("PT-0108", "restarted on")
    # The day's last Cat Stretch raised pain by 2; the patient stopped there.
    stop_session = rows[rows["date"] == stop_day].iloc[-1]
    assert stop_session["pain_after"] - stop_session["pain_before"] == 2
    assert stop_session["notes"] == hurting_note("Cat Stretch")
    assert rows[(rows["date"] > stop_day) & (rows["date"] < restart)].empty
    assert rows["date"][rows["date"] > stop_day].min() == restart
    # Since the restart it no longer raises pain.
    since = rows[rows["date"] >= restart]
    assert ((since["pain_after"] - since["pain_before"]).dropna() <= 0).all()


def test_slow_improver_s_pause_shows_while_it_lasts_and_ends_with_the_restart(
    demo: SampleCohort, as_of_end: dict[str, PatientSummary]
) -> None:
    assert as_of_end["PT-0108"].paused_exercises == []
    assert {f.code for f in as_of_end["PT-0108"].flags} == {"not_improving"}
    during = key_date("PT-0108", "restarted on") - pd.Timedelta(days=1)
    then = analyse(demo.sessions, demo.pain, as_of=during.date()).patients["PT-0108"].summary
    (paused,) = then.paused_exercises
    assert (paused.exercise, paused.since) == ("cat_stretch", key_date("PT-0108", "paused from").date())
    assert "exercise_paused" in {f.code for f in then.flags}
    assert "low_adherence" not in {f.code for f in then.flags}


def test_only_the_hurting_story_has_an_exercise_raising_pain(demo: SampleCohort) -> None:
    others = last_week(demo.sessions[demo.sessions["patient_id"] != "PT-0103"])
    assert ((others["pain_after"] - others["pain_before"]).dropna() <= 0).all()


def test_flare_day_is_two_points_above_the_days_before_and_tagged(demo: SampleCohort) -> None:
    days = daily(demo, "PT-0104").dropna()
    flare_day = key_date("PT-0104", "flare on")
    assert flare_day > END - pd.Timedelta(days=7)
    reference = days.loc[: flare_day - pd.Timedelta(days=1), "mean"].tail(7)
    assert len(reference) >= 3
    assert days.loc[flare_day, "mean"] >= reference.mean() + 2
    pain = demo.pain[demo.pain["patient_id"] == "PT-0104"]
    assert pain.loc[pain["date"] == flare_day, "flare"].all()
    assert not pain.loc[pain["date"] != flare_day, "flare"].any()
    assert days.loc[flare_day, "max"] < 7  # a flare, not severe pain


def test_relapse_comes_after_maintenance_with_two_bad_days_in_a_row(demo: SampleCohort) -> None:
    days = daily(demo, "PT-0105")
    maintenance = pain_free_runs(days)[0] + pd.Timedelta(days=1)
    assert maintenance == key_date("PT-0105", "maintenance from")
    relapse = key_date("PT-0105", "relapse on")
    assert relapse > END - pd.Timedelta(days=7)
    assert days.loc[maintenance : relapse - pd.Timedelta(days=1), "max"].max() <= 1
    assert (days.loc[[relapse, relapse + pd.Timedelta(days=1)], "max"] >= 2).all()
    per_day = sessions_per_day(demo, "PT-0105")
    assert per_day.loc[maintenance:relapse].to_numpy().max() == 1
    assert per_day.loc[relapse + pd.Timedelta(days=1) :].to_numpy().max() == 3


def test_dropped_out_patient_last_logged_16_to_20_days_before_the_end(demo: SampleCohort) -> None:
    logs = pd.concat([demo.sessions, demo.pain])
    last = logs.loc[logs["patient_id"] == "PT-0106", "date"].max()
    assert 16 <= (END - last).days <= 20
    assert last == key_date("PT-0106", "last log")


def test_red_flag_note_is_recent_and_only_in_that_story(demo: SampleCohort) -> None:
    flagged = {
        kind: frame[mentions_red_flag(frame["notes"]).to_numpy()]
        for kind, frame in (("sessions", demo.sessions), ("pain", demo.pain))
    }
    for rows in flagged.values():
        assert set(rows["patient_id"]) == {"PT-0107"}
        assert (rows["date"] == key_date("PT-0107", "red-flag note on")).all()
        assert (rows["date"] > END - pd.Timedelta(days=7)).all()


def test_everyday_notes_never_look_like_red_flags() -> None:
    everyday = [*PAIN_NOTES, *SESSION_NOTES, FLARE_NOTE, hurting_note("Hip Rolls")]
    assert not mentions_red_flag(pd.Series(everyday, dtype="string")).any()
    alarming = pd.Series([RED_FLAG_PAIN_NOTE, RED_FLAG_SESSION_NOTE], dtype="string")
    assert mentions_red_flag(alarming).all()


def test_slow_improver_has_no_clinically_meaningful_change(demo: SampleCohort) -> None:
    days = daily(demo, "PT-0108").dropna()
    assert (END - days.index.min()).days >= 14
    baseline = days["mean"].head(3).mean()
    current = days.loc[days.index.max() - pd.Timedelta(days=6) :, "mean"].mean()
    assert 0 < baseline - current < 2
    assert (baseline - current) / baseline < 0.3


def test_stories_other_than_the_slow_one_reach_a_meaningful_change(demo: SampleCohort) -> None:
    for patient in ("PT-0101", "PT-0102", "PT-0103", "PT-0104", "PT-0105", "PT-0106", "PT-0107"):
        days = daily(demo, patient).dropna()
        baseline = days["mean"].head(3).mean()
        current = days.loc[days.index.max() - pd.Timedelta(days=6) :, "mean"].mean()
        assert baseline - current >= 2 or (baseline - current) / baseline >= 0.3, patient


def test_key_dates_move_with_the_end_date() -> None:
    story = demo_stories()[4]
    moved = story.key_dates(date(2027, 1, 10))
    for name, day in story.key_dates().items():
        assert moved[name] - day == date(2027, 1, 10) - DEMO_END


# --- the CSV export -----------------------------------------------------------------------


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows


def test_write_cohort_writes_two_files_per_patient_without_a_patient_column(
    written: list[Path],
) -> None:
    names = [p.name for p in written]
    assert names == [f"PT-01{i:02d}_{kind}.csv" for i in range(1, 9) for kind in ("sessions", "pain")]
    for path in written:
        header, _ = read_rows(path)
        if path.name.endswith("_sessions.csv"):
            assert header == [
                "Date", "Time", "Exercise", "Sets", "Reps", "Hold (s)",
                "Pain before", "Pain after", "Notes",
            ]  # fmt: skip
        else:
            assert header == ["Date", "Time", "Pain", "Flare", "Notes"]
        assert path.read_bytes()[:4] == b"Date"  # no BOM, no patient column


def mistakes_in(path: Path) -> int:
    header, rows = read_rows(path)
    col = {name: i for i, name in enumerate(header)}
    count = 0
    seen: set[tuple[str, ...]] = set()
    for row in rows:
        try:
            date.fromisoformat(row[col["Date"]])
        except ValueError:
            count += 1
        if tuple(row) in seen:
            count += 1
        seen.add(tuple(row))
        scores = [row[col[c]] for c in ("Pain", "Pain after") if c in col]
        count += sum(s == "11" for s in scores)
        count += "Pain" in col and row[col["Pain"]] == ""
        count += "Exercise" in col and row[col["Exercise"]] == MISSPELLING
        count += "," in row[col.get("Hold (s)", col["Date"])]
    return count


def test_typos_are_few_spread_and_not_in_every_patient(written: list[Path]) -> None:
    per_file = {p.name: mistakes_in(p) for p in written}
    rows = sum(len(read_rows(p)[1]) for p in written)
    total = sum(per_file.values())
    assert 5 <= total < 0.01 * rows
    assert max(per_file.values()) <= 2
    patients_with = {name.split("_")[0] for name, n in per_file.items() if n}
    assert 2 <= len(patients_with) < 8


def test_without_typos_the_files_hold_exactly_the_cohort(tmp_path: Path, demo: SampleCohort) -> None:
    paths = write_cohort(demo, tmp_path, typos=False)
    assert sum(mistakes_in(p) for p in paths) == 0
    pain = pd.read_csv(tmp_path / "PT-0104_pain.csv", dtype=str, keep_default_na=False)
    expected = demo.pain[demo.pain["patient_id"] == "PT-0104"]
    assert list(pain["Date"]) == list(expected["date"].dt.strftime("%Y-%m-%d"))
    assert list(pain["Pain"].astype(float)) == list(expected["pain"].astype(float))
    assert list(pain["Flare"] == "yes") == list(expected["flare"])
    sessions = pd.read_csv(tmp_path / "PT-0104_sessions.csv", dtype=str, keep_default_na=False)
    assert len(sessions) == int((demo.sessions["patient_id"] == "PT-0104").sum())


def test_every_exercise_in_the_files_is_in_the_library_but_the_typo(written: list[Path]) -> None:
    library = load_library()
    unmatched: list[str] = []
    typed: set[str] = set()
    for path in written:
        if path.name.endswith("_sessions.csv"):
            header, rows = read_rows(path)
            texts = [row[header.index("Exercise")] for row in rows]
            typed.update(texts)
            unmatched += [t for t in texts if library.match(t) is None]
    assert unmatched == [MISSPELLING]
    assert {"Back Extension", "Cat Stretch", "Hip Rolls", "Core Exercise"} <= typed
    assert len(typed) > 5  # aliases too


def test_main_sample_writes_the_demo_with_its_readme(tmp_path: Path) -> None:
    paths = main_sample(tmp_path, seed=7, patients=None, days=None, end=DEMO_END)
    assert len(paths) == 18  # 16 logs, the clinic's questionnaires, the README
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    for story in demo_stories():
        assert story.plan.patient_id in readme
    assert "2026-11-15" in readme  # PT-0105's relapse


def test_committed_sample_data_matches_the_generator(tmp_path: Path) -> None:
    main_sample(tmp_path, seed=7, patients=None, days=None, end=DEMO_END)
    for fresh in sorted(tmp_path.iterdir()):
        committed = REPO / "sample_data" / fresh.name
        assert committed.read_bytes() == fresh.read_bytes(), f"run `make sample` ({fresh.name})"


@pytest.mark.parametrize(("patients", "days"), [(None, None), (3, 20)])
def test_generated_logs_end_today_so_they_are_read_fresh(tmp_path: Path, patients, days) -> None:
    # Read as of today (the app's and the CLI's default for your own logs), logs that
    # ended on a fixed past day all looked stale; made today, their last day is today.
    from rehab.analysis import analyse
    from rehab.importer import import_files

    main_sample(tmp_path, seed=7, patients=patients, days=days)
    files = [(p.name, p.read_bytes()) for p in sorted(tmp_path.glob("*.csv"))]
    batch = import_files(files)
    today = date.today()
    assert max(batch.sessions["date"].max(), batch.pain["date"].max()).date() == today
    summaries = [p.summary for p in analyse(batch.sessions, batch.pain, as_of=today).patients.values()]
    stale = [s.patient_id for s in summaries if any(f.code == "stale_logs" for f in s.flags)]
    assert stale == []


# --- random cohorts -----------------------------------------------------------------------


def test_random_cohort_has_the_requested_patients_days_and_sizes() -> None:
    cohort = random_cohort(50, 30, seed=3)
    first_day = END - pd.Timedelta(days=29)
    for kind, frame in (("sessions", cohort.sessions), ("pain", cohort.pain)):
        assert {c: str(t) for c, t in frame.dtypes.items()} == frame_dtypes(kind)
        assert frame["patient_id"].nunique() == 50
        assert frame["date"].between(first_day, END).all()
    per_day = cohort.sessions.groupby(["patient_id", "date"]).size()
    assert per_day.max() <= 12  # three sittings of four exercises
    entries = cohort.pain.groupby(["patient_id", "date"]).size()
    assert entries.max() <= 3
    patient_days = len(entries)
    assert 0.7 * 50 * 30 <= patient_days <= 50 * 30
    assert 4 * patient_days <= len(cohort.sessions) <= 12 * patient_days
    pd.testing.assert_frame_equal(cohort.pain, random_cohort(50, 30, seed=3).pain)


def test_random_cohort_files_are_named_after_its_patients(tmp_path: Path) -> None:
    paths = main_sample(tmp_path, seed=1, patients=5, days=40)
    assert len(paths) == 10
    assert paths[0].name == "PT-00001_sessions.csv"


def test_random_cohort_rejects_an_empty_size() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        random_cohort(0, 30)


# --- illustrations ------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(SVG_DIR.glob("*.svg")), ids=lambda p: p.name)
def test_every_illustration_is_self_contained_svg_with_a_title(path: Path) -> None:
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("viewBox") == "0 0 320 180"
    title = root.find(f"{SVG_NS}title")
    desc = root.find(f"{SVG_NS}desc")
    assert title is not None
    assert (title.text or "").strip()
    assert desc is not None
    assert len(desc.text or "") > 40
    text = path.read_text(encoding="utf-8")
    for external in ("href", "<image", "url(", "<text"):
        assert external not in text


def test_every_library_illustration_exists() -> None:
    library = load_library()
    for exercise in library.exercises:
        assert exercise.svg() is not None, exercise.id
    assert len(list(SVG_DIR.glob("*.svg"))) >= 4


def _style(path: Path) -> dict[str, object]:
    """The drawing style of a picture: its colours, head size, background and body strokes."""
    root = ET.parse(path).getroot()
    shapes = [
        e
        for e in root.iter()
        if e.tag.removeprefix(SVG_NS) in {"rect", "path", "line", "circle", "ellipse"}
    ]
    colours = {e.get(a) for e in shapes for a in ("fill", "stroke")} - {None, "none"}
    heads = {e.get("r") for e in shapes if e.tag == f"{SVG_NS}circle"}
    first = shapes[0]
    background = (first.get("width"), first.get("height"), first.get("fill"))
    body = {
        e.get("stroke-width") or g.get("stroke-width")
        for g in root.iter(f"{SVG_NS}g")
        if g.get("stroke") == "#2f6f8f"
        for e in g
    }
    return {"colours": colours, "heads": heads, "background": background, "body": body}


def test_the_library_pictures_share_one_style() -> None:
    styles = {path.name: _style(path) for path in sorted(SVG_DIR.glob("*.svg"))}
    # One palette: figure, mat, floor line, stretch highlight, arrow, background panel.
    palette = {"#2f6f8f", "#dcebf2", "#9bb7c4", "#f2b880", "#d9822b", "#f3f8fa"}
    for name, style in styles.items():
        assert style["colours"] <= palette, name
        assert style["heads"] == {"12"}, name
        assert style["background"] == ("320", "180", "#f3f8fa"), name
        # Limbs 6-8, trunk 10 (16 for a trunk seen from above): no thin or heavy outliers.
        assert style["body"] <= {"6", "7", "8", "10", "16"}, name
