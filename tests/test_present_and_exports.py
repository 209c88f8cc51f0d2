import csv
import io
from datetime import date

import pandas as pd
import pytest

from rehab import present, screening
from rehab.analysis import analyse
from rehab.reports import summary_csv, summary_frame
from rehab.sample import DEMO_END, demo_cohort
from rehab.settings import RuleSettings


@pytest.fixture(scope="module")
def cohort():
    sample = demo_cohort()
    return analyse(sample.sessions, sample.pain, as_of=DEMO_END)


def test_phase_headline_says_what_to_do(cohort):
    recovered = cohort.patients["PT-0101"].summary
    assert present.phase_headline(recovered) == (
        f"Maintenance: once a day since {present.day_label(recovered.maintenance_start)}"
    )
    in_pain = cohort.patients["PT-0102"].summary
    assert present.phase_headline(in_pain) == "Rehab: 3 sessions a day"
    assert present.phase_headline(in_pain, RuleSettings(rehab_sessions_per_day=2)) == (
        "Rehab: 2 sessions a day"
    )


def test_adherence_line_counts_exercises_kindly(cohort):
    # A session is a round of the programme; the week counts single exercises done.
    summary = cohort.patients["PT-0102"].summary
    line = present.adherence_line(summary)
    done = summary.adherence.sessions_last_7_days
    assert line.startswith(f"{done} of 84 exercises done in the last 7 days (")
    assert " %" not in line
    assert line.endswith("below plan)")
    assert "non-compliant" not in line


def test_pain_line_names_direction_and_meaning(cohort):
    summary = cohort.patients["PT-0101"].summary
    line = present.pain_line(summary)
    assert "points better" in line
    assert "(clinically meaningful)" in line


def test_streak_line_counts_down_to_maintenance(cohort):
    summary = cohort.patients["PT-0102"].summary
    assert present.streak_line(summary).endswith(
        f"{summary.pain_free_days_to_go} to go before maintenance"
    )


def test_flag_views_are_most_urgent_first_with_rule_and_source(cohort):
    views = present.flag_views(cohort.patients["PT-0106"].summary.flags)
    assert [v.tier for v in views] == sorted(
        (v.tier for v in views), key=["critical", "high", "moderate"].index
    )
    assert all(v.source and v.rule_text for v in views)


def test_relapse_is_marked_once_on_the_chart(cohort):
    summary = cohort.patients["PT-0105"].summary
    markers = present.chart_markers(summary)
    relapses = markers.loc[markers["kind"] == "relapse"]
    restart = next(p.start for p in summary.phases if p.reason == "relapse")
    assert list(relapses["date"]) == [pd.Timestamp(restart)]


def test_between_keeps_both_ends():
    frame = pd.DataFrame({"date": pd.to_datetime(["2026-10-01", "2026-10-02", "2026-10-03"])})
    kept = present.between(frame, date(2026, 10, 2), date(2026, 10, 3))
    assert list(kept["date"].dt.day) == [2, 3]


def test_summary_csv_carries_the_disclaimer_and_is_spreadsheet_safe(cohort):
    data = summary_csv(cohort, ["PT-0107", "PT-0101"])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    # The header is the first line; the disclaimer is the last column (SCREENING, issue 9 #17).
    header, *records = rows
    assert header[:3] == ["patient_id", "as_of", "alert"]
    assert header[-1] == "disclaimer"
    assert all("not a diagnosis" in r[-1] for r in records)
    assert [r[0] for r in records] == ["PT-0107", "PT-0101"]  # triage order, not given order
    assert not any(
        cell.startswith(("=", "+", "-", "@")) for r in records for cell in r if not _is_number(cell)
    )


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_summary_frame_holds_the_record_numbers(cohort):
    frame = summary_frame(cohort)
    assert len(frame) == 8
    row = frame.set_index("patient_id").loc["PT-0101"]
    assert row["phase"] == "Maintenance"  # the app's word
    assert row["mcid_reached"]


def test_screening_frame_reads_without_colour(cohort):
    frame = screening.screening_frame(cohort)
    assert list(frame.columns[: len(screening.SCREEN_COLUMNS)]) == list(screening.SCREEN_COLUMNS)
    first = frame.iloc[0]
    assert first["patient_id"] == "PT-0107"
    assert first["alert"] == "!!! Critical"
    assert first["flags"] == "Red-flag symptom"
    assert screening.tier_counts(frame) == {"critical": 1, "high": 4, "moderate": 2, "none": 1}


def test_screening_filters_combine(cohort):
    frame = screening.screening_frame(cohort)
    high = screening.filter_screen(frame, tiers=["high"])
    assert len(high) == 4
    assert list(screening.filter_screen(frame, tiers=["high"], flags=["relapse"])["patient_id"]) == [
        "PT-0105"
    ]
    assert list(screening.filter_screen(frame, search="0108")["patient_id"]) == ["PT-0108"]
    assert len(screening.filter_screen(frame)) == 8


def test_exercise_stats_speak_plainly():
    response = pd.DataFrame(
        {
            "exercise": ["hip_rolls", "core"],
            "sessions_this_week": [1, 4],
            "last_change": [2.0, 0.0],
        }
    )
    assert present.exercise_stats(response, "hip_rolls") == {
        "Done this week": "once",
        "Last pain change": "+2.0 points",
    }
    assert present.exercise_stats(response, "core")["Last pain change"] == "no change"
    assert present.exercise_stats(response, "cat_stretch") == {
        "Done this week": "0 times",
        "Last pain change": "-",
    }


def test_times_a_day_reads_naturally():
    assert [present.times_a_day(n) for n in (1, 2, 3)] == ["once a day", "twice a day", "3 times a day"]


def test_rejected_rows_are_counted_per_patient_by_any_patient_header():
    from rehab.importer import import_files

    many = b"Subject,Date,Pain\nA,2026-11-01,3\nA,2026-11-02,12\nB,2026-11-01,x\nB,2026-11-02,4\n"
    single = b"Date,Pain\n2026-11-01,3\n2026-02-30,4\n"
    batch = import_files([("many.csv", many), ("PT-C_pain.csv", single)])
    assert screening.rejected_rows_by_patient(batch) == {"A": 1, "B": 1, "PT-C": 1}
