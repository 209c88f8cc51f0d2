from __future__ import annotations

from rehab.analysis import analyse
from rehab.analysis.phases import walk_phases
from rehab.settings import RuleSettings
from tests.analysis.analysis_frames import day, pain_frame, pain_series, sessions_frame

NO_SESSIONS = sessions_frame([])


def phases_of(
    values: list[float | None], as_of: int, settings: RuleSettings | None = None
) -> list[tuple]:
    cohort = analyse(
        NO_SESSIONS,
        pain_frame(pain_series(values)),
        as_of=day(as_of),
        settings=settings or RuleSettings(),
    )
    return [(p.phase, p.start, p.end, p.reason) for p in cohort.patients["P1"].phases]


def test_walk_opens_maintenance_the_day_after_the_seventh_pain_free_day():
    free = [False] + [True] * 7 + [True]
    assert walk_phases(free, [False] * 9, 7, 2) == [
        (0, "rehab", "start"),
        (8, "maintenance", "pain_free_run"),
    ]


def test_walk_relapse_reopens_rehab_at_the_first_bad_day():
    free = [True] * 7 + [True, False, False]
    bad = [False] * 8 + [True, True]
    openings = walk_phases(free, bad, 7, 2)
    assert openings[-1] == (8, "rehab", "relapse")


def test_seven_pain_free_days_switch_to_maintenance_the_next_day():
    # Day 0 hurts; days 1-7 are pain-free (0 or 1): maintenance from day 8.
    assert phases_of([5, 1, 1, 0, 1, 1, 1, 1, 0, 0], as_of=9) == [
        ("rehab", day(0), day(7), "start"),
        ("maintenance", day(8), None, "pain_free_run"),
    ]


def test_maintenance_earned_on_the_as_of_day_has_not_started_yet():
    cohort = analyse(NO_SESSIONS, pain_frame(pain_series([5] + [1] * 7)), as_of=day(7))
    summary = cohort.patients["P1"].summary
    assert summary.phase == "rehab"
    assert summary.maintenance_start is None
    assert summary.pain_free_streak == 7
    assert summary.pain_free_days_to_go == 0


def test_a_day_without_a_pain_entry_breaks_the_run():
    # Pain-free days 1-3, no entry on day 4, then pain-free days 5-11: the run restarts on day 5,
    # so maintenance starts on day 12, not day 9.
    values = [5, 1, 1, 1, None, 1, 1, 1, 1, 1, 1, 1, 0]
    assert phases_of(values, as_of=12) == [
        ("rehab", day(0), day(11), "start"),
        ("maintenance", day(12), None, "pain_free_run"),
    ]


def test_pain_free_reads_the_daily_maximum_not_the_mean():
    # Day 4 has entries 0 and 2: mean 1 (would be pain-free) but maximum 2 (is not).
    rows = pain_series([5, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1])
    rows.append({"date": day(4), "pain": 2})
    cohort = analyse(NO_SESSIONS, pain_frame(rows), as_of=day(11))
    daily = cohort.patients["P1"].daily
    assert daily.loc[4, "pain_mean"] == 1.0
    assert daily.loc[4, "pain_max"] == 2.0
    assert not daily.loc[4, "pain_free"]
    assert cohort.patients["P1"].summary.phase == "rehab"
    # Days 5-11 are seven pain-free days: one more day and maintenance would start.
    assert cohort.patients["P1"].summary.pain_free_streak == 7


RELAPSE = [0, 0, 0, 0, 0, 0, 0, 0, 3, 1, 2, 2]  # maintenance from day 7; bad on 8, then 10 and 11


def test_one_bad_day_in_maintenance_is_not_a_relapse():
    assert phases_of(RELAPSE[:11], as_of=10)[-1] == ("maintenance", day(7), None, "pain_free_run")


def test_relapse_is_declared_on_the_second_bad_day_from_the_first():
    assert phases_of(RELAPSE, as_of=11) == [
        ("rehab", day(0), day(6), "start"),
        ("maintenance", day(7), day(9), "pain_free_run"),
        ("rehab", day(10), None, "relapse"),
    ]
    cohort = analyse(NO_SESSIONS, pain_frame(pain_series(RELAPSE)), as_of=day(11))
    daily = cohort.patients["P1"].daily
    # Day 10 is re-labelled rehab, with its target of 3, once day 11 confirms the relapse.
    assert daily["phase"].tolist()[7:] == ["maintenance"] * 3 + ["rehab"] * 2
    assert daily["target"].tolist()[9:] == [1, 3, 3]


def test_after_a_relapse_a_new_full_run_is_needed():
    values = [*RELAPSE, 0, 0, 0, 0, 0, 0]  # six pain-free days after the relapse: not enough
    assert phases_of(values, as_of=17)[-1][0] == "rehab"
    values.append(0)  # the seventh: maintenance from the next day
    values.append(0)
    assert phases_of(values, as_of=19)[-1] == ("maintenance", day(19), None, "pain_free_run")


def test_relapse_on_the_first_maintenance_day_leaves_no_empty_period():
    values = [0] * 7 + [2, 2]  # maintenance would start on day 7, but days 7 and 8 hurt
    assert phases_of(values, as_of=8) == [
        ("rehab", day(0), day(6), "start"),
        ("rehab", day(7), None, "relapse"),
    ]


def test_run_length_for_maintenance_comes_from_settings():
    values = [5, 1, 1, 1, 1, 1, 0]
    assert phases_of(values, as_of=6)[-1][0] == "rehab"
    shorter = RuleSettings(pain_free_days_for_maintenance=5)
    assert phases_of(values, as_of=6, settings=shorter)[-1] == (
        "maintenance",
        day(6),
        None,
        "pain_free_run",
    )


def test_pain_free_limit_comes_from_settings():
    values = [5, 2, 2, 2, 2, 2, 2, 2, 2]
    assert phases_of(values, as_of=8)[-1][0] == "rehab"
    lenient = RuleSettings(pain_free_max=2, relapse_pain_min=3)
    assert phases_of(values, as_of=8, settings=lenient)[-1][:2] == ("maintenance", day(8))


def test_summary_counts_days_to_maintenance_and_days_to_go():
    cohort = analyse(NO_SESSIONS, pain_frame(pain_series([5, 5, 1, 1, 1, 1, 1, 1, 1, 0])), as_of=day(9))
    assert cohort.patients["P1"].summary.days_to_maintenance == 9
    rehab = analyse(NO_SESSIONS, pain_frame(pain_series([5, 1, 1, 1])), as_of=day(3))
    assert rehab.patients["P1"].summary.pain_free_days_to_go == 4
    assert rehab.patients["P1"].summary.days_to_maintenance is None
