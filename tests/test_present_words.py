"""The words of the patient's page: sessions and exercises, stale pain, plurals, alerts."""

from datetime import date, timedelta

import pandas as pd
import pytest

from rehab import present
from rehab.analysis.models import AdherenceSummary, Flag, PainSummary, PatientSummary
from rehab.settings import RuleSettings

AS_OF = date(2026, 11, 20)


def _summary(
    *, last_pain: date | None = AS_OF, target_per_day: int = 3, **adherence: int
) -> PatientSummary:
    return PatientSummary(
        patient_id="PT-1",
        first_day=date(2026, 10, 1),
        last_log=AS_OF,
        phase="rehab",
        maintenance_start=None,
        phases=[],
        adherence=AdherenceSummary(overall=0.5, last_7_days=0.25, dose=1.0, by_exercise={}, **adherence),
        pain=PainSummary(
            baseline=6.0,
            current=3.9,
            change=-2.1,
            change_pct=-0.35,
            mcid_reached=True,
            mcid_date=None,
            last_entry=last_pain,
        ),
        alert="none",
        flags=[],
        target_per_day=target_per_day,
    )


def _today(**counts: int) -> pd.DataFrame:
    row = {"date": pd.Timestamp(AS_OF), "sessions": sum(counts.values())}
    row |= {f"sessions_{exercise}": n for exercise, n in counts.items()}
    return pd.DataFrame([row])


def test_a_session_is_a_round_of_every_exercise_and_extra_times_do_not_count():
    plan = present.today_plan(_summary(), _today(back=3, cat=2, hip=5, core=1))
    # Fewest times any exercise was done: core once. Hip Rolls' 5 count as 3 (the target).
    assert (plan.sessions_done, plan.sessions_planned) == (1, 3)
    assert (plan.exercises_done, plan.exercises_planned) == (9, 12)
    assert plan.headline == "1 of 3 sessions · 9 of 12 exercises"
    assert present.today_rule(plan).startswith("A session is one round of the 4 exercises")


def test_a_paused_exercise_leaves_today_s_round():
    plan = present.today_plan(_summary(), _today(back=2, cat=2, hip=0, core=3), paused=("hip",))
    assert plan.headline == "2 of 3 sessions · 7 of 9 exercises"


def test_one_of_everything_reads_in_the_singular():
    plan = present.today_plan(_summary(target_per_day=1), _today(back=1))
    assert plan.headline == "1 of 1 session · 1 of 1 exercise"


@pytest.mark.parametrize(
    ("days_old", "label"),
    [
        (0, "Pain now"),
        (2, "Pain now"),
        (3, "Pain at last entry (17 Nov)"),
        (17, "Pain at last entry (3 Nov)"),
    ],
)
def test_pain_is_now_only_until_the_stale_threshold(days_old, label):
    summary = _summary(last_pain=AS_OF - timedelta(days_old))
    assert present.pain_label(summary, AS_OF) == label


def test_the_stale_threshold_is_the_clinic_s_setting():
    summary = _summary(last_pain=AS_OF - timedelta(4))
    assert present.pain_label(summary, AS_OF, RuleSettings(stale_days=5)) == "Pain now"


def test_formats_are_the_same_everywhere():
    assert present.percent(0.95) == "95%"
    assert [present.days_ago(n) for n in (0, 1, 2)] == ["today", "yesterday", "2 days ago"]
    assert [present.run_tile(n) for n in (0, 1, 2)] == [
        ("0", "days in a row"),
        ("1", "day in a row"),
        ("2", "days in a row"),
    ]
    assert [present.times(n) for n in (1, 2, 3)] == ["once", "twice", "3 times"]
    assert present.exercises_done(1, 1) == "1 of 1 exercise"
    assert present.band_word("borderline") == "nearly there"
    assert present.band_word(None) == ""


def test_the_patient_reads_their_own_words_not_the_therapist_s():
    summary = _summary(sessions_last_7_days=21, target_last_7_days=84)
    dropped = Flag(
        code="dropped_out",
        tier="high",
        message="No logs for 17 days (the last was on 3 Nov). A friendly check-in may help to restart.",
        dates=[date(2026, 11, 3)],
    )
    text = present.patient_message(dropped, summary)
    assert "check-in" not in text
    assert text.startswith("Nothing logged since 3 Nov.")
    low = Flag(code="low_adherence", tier="moderate", message="21 of 84 prescribed sessions logged")
    assert present.patient_message(low, summary).startswith(
        "21 of 84 exercises done in the last 7 days (25%)"
    )
    flare = Flag(code="pain_flare", tier="high", message="Pain flared on 18 Nov.")
    assert present.patient_message(flare, summary) == "Pain flared on 18 Nov."


def test_the_band_words_are_one_set_and_the_key_names_the_clinical_bands():
    assert set(present.BAND_WORDS) == {"adherent", "borderline", "low"}
    key = present.band_key()
    for band, word in present.BAND_WORDS.items():
        assert f"{word} ({band})" in key


def test_a_red_flag_lists_only_the_log_s_words_its_message_does_not_already_say():
    flag = Flag(
        code="red_flag_symptom",
        tier="critical",
        message="The log of 3 Nov mentions a possible warning sign (numbness in both legs; fever).",
        matched_words=["Numbness in both legs", "cant pee", "fever"],
    )
    (view,) = present.flag_views([flag])
    assert view.matched_words == "cant pee"


def test_a_stopped_exercise_is_not_told_to_stop_again_once_it_is_paused():
    from rehab.analysis import PausedExercise

    raised = Flag(
        code="exercise_increases_pain",
        tier="high",
        exercise="hip_rolls",
        message="Hip Rolls raised pain (+2 on 17 Nov): stop this exercise and check with your therapist",
    )
    still_doing = _summary()
    assert present.patient_message(raised, still_doing) == raised.message
    paused = still_doing.model_copy(
        update={
            "paused_exercises": [
                PausedExercise(
                    exercise="hip_rolls",
                    name="Hip Rolls",
                    since=date(2026, 11, 18),
                    evidence="+2 on 17 Nov",
                )
            ]
        }
    )
    text = present.patient_message(raised, paused)
    assert "stop this exercise" not in text
    assert text.startswith("Hip Rolls raised your pain (+2 on 17 Nov), and you stopped it")
