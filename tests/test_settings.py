import re

import pytest
from pydantic import ValidationError

from rehab.analysis import FLAG_CODES
from rehab.settings import (
    DEFAULT_SETTINGS,
    SOURCE_ADHERENCE,
    SOURCE_REHAB_DEFAULT,
    RuleSettings,
    rule,
    rules,
)


def test_defaults_follow_the_clinical_rules():
    s = DEFAULT_SETTINGS
    assert (s.rehab_sessions_per_day, s.maintenance_sessions_per_day) == (3, 1)
    assert (s.baseline_days, s.current_window_days) == (3, 7)
    assert (s.mcid_points, s.mcid_fraction) == (2.0, 0.30)
    assert (s.pain_free_max, s.pain_free_days_for_maintenance) == (1.0, 7)
    assert (s.relapse_pain_min, s.relapse_days) == (2.0, 2)
    assert (s.adherent_min, s.borderline_min, s.low_adherence_below) == (0.80, 0.70, 0.70)
    assert (s.severe_pain, s.flare_rise, s.flare_reference_min_days) == (7.0, 2.0, 3)
    assert (s.stale_days, s.dropped_out_days, s.not_improving_days) == (3, 14, 14)


def test_target_per_day_depends_on_phase():
    custom = RuleSettings(rehab_sessions_per_day=2, maintenance_sessions_per_day=1)
    assert custom.target_per_day("rehab") == 2
    assert custom.target_per_day("maintenance") == 1


@pytest.mark.parametrize(
    "overrides",
    [
        {"severe_pain": 11},
        {"borderline_min": 0.9},  # above adherent_min
        {"stale_days": 14},  # not below dropped_out_days
        {"unknown_rule": 1},
    ],
)
def test_invalid_settings_are_refused(overrides):
    with pytest.raises(ValidationError):
        RuleSettings(**overrides)


def test_settings_are_immutable():
    with pytest.raises(ValidationError):
        DEFAULT_SETTINGS.severe_pain = 5  # type: ignore[misc]


def test_every_flag_code_has_a_rule_with_a_source():
    described = rules()
    # 10 from the logs, 2 from the questionnaires (start_back_high_risk, disability_worse).
    assert len(FLAG_CODES) == 12
    for code in FLAG_CODES:
        assert described[code].source, code
        assert described[code].text, code


def test_rule_text_follows_changed_thresholds():
    assert "7 or more" in rule("severe_pain").text
    assert "8 or more" in rule("severe_pain", RuleSettings(severe_pain=8)).text
    assert "3 to 13 days" in rule("stale_logs").text


def test_log_gap_rules_do_not_cite_the_adherence_studies():
    # Issue 9 item 7: the 14-day "stopped logging" rule cited an adherence study that says
    # nothing about days without logs. Both gap thresholds are this app's own choice.
    described = rules()
    for rule_id in ("dropped_out", "stale_logs"):
        source = described[rule_id].source
        assert SOURCE_ADHERENCE not in source, rule_id
        assert "MiSpEx" not in source, rule_id
        assert "cohort" not in source, rule_id
        assert source == SOURCE_REHAB_DEFAULT, rule_id


@pytest.mark.parametrize(
    "rule_id",
    ["current_pain", "severe_pain", "pain_flare", "exercise_increases_pain", "paused_exercise"],
)
def test_thresholds_no_study_sets_say_they_are_a_rehab_default(rule_id):
    # clinical-rules.md gives these thresholds no source of their own: the rule must say so.
    assert SOURCE_REHAB_DEFAULT in rules()[rule_id].source


def test_the_stop_and_pause_rules_cite_the_article_stop_rule():
    described = rules()
    for rule_id in ("exercise_increases_pain", "paused_exercise", "exercise_paused"):
        assert "Back Injury Rehabilitation Exercises" in described[rule_id].source, rule_id


def _depths(text: str) -> list[int]:
    depth, seen = 0, []
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        seen.append(depth)
    return seen


@pytest.mark.parametrize("settings", [DEFAULT_SETTINGS, RuleSettings(severe_pain=8, flare_rise=2.5)])
def test_every_rule_has_balanced_unnested_parentheses(settings):
    # Issue 9 (browser review): the pain-flare source ended "...on MCID))" because a source
    # with its own brackets was wrapped in another pair. Nested brackets read as a typo too.
    for described in rules(settings).values():
        for part in (described.title, described.text, described.source):
            depths = _depths(part)
            assert not depths or depths[-1] == 0, (described.id, part)
            assert min(depths, default=0) >= 0, (described.id, part)
            assert max(depths, default=0) <= 1, (described.id, part)
            assert "))" not in part, (described.id, part)


def test_percentages_are_written_without_a_space():
    # The app writes "70%"; the adherence source wrote "70 % cut-off".
    for described in rules().values():
        for part in (described.text, described.source):
            assert not re.search(r"\d\s+%", part), (described.id, part)


def _stems(title: str) -> set[str]:
    return {word[:4] for word in re.findall(r"[a-z]+", title.lower()) if len(word) > 2}


def test_rule_titles_are_distinct_enough_to_tell_apart():
    # "Paused exercise" and "Exercise paused" stood side by side: the same words in another
    # order. No title's words may be a subset of another's.
    titles = {described.id: described.title for described in rules().values()}
    assert len(set(titles.values())) == len(titles)
    for one, first in titles.items():
        for other, second in titles.items():
            if one != other:
                assert not _stems(first) <= _stems(second), (first, second)


def test_counting_rules_count_exercises_not_sessions():
    # Issue 9 item 4: a session is one round of the programme; the logs count exercises done.
    low = rules()["low_adherence"]
    assert "session" not in low.title.lower()
    assert "session" not in rules()["frequency_adherence"].source


def test_questionnaire_defaults_follow_their_sources():
    # Ostelo et al. 2008 consensus: ODI 10 points, RMDQ 5 points, or 30 % improvement;
    # PSFS 2 points (Stratford et al. 1995); STarT Back bands (Hill et al. 2008).
    s = DEFAULT_SETTINGS
    assert (s.odi_mcid_points, s.odi_mcid_percent) == (10.0, 30.0)
    assert (s.rmdq_mcid_points, s.rmdq_mcid_percent, s.psfs_mcid_points) == (5.0, 30.0, 2.0)
    assert (s.start_back_low_total_max, s.start_back_high_subscale) == (3, 4)
    assert s.rmdq_proportional is False
    described = rules()
    assert "Ostelo" in described["odi_mcid"].source
    assert "Ostelo" in described["rmdq_mcid"].source
    assert "Stratford" in described["psfs_mcid"].source
    assert "Hill" in described["start_back_bands"].source
    assert "Hill" in described["start_back_high_risk"].source


def test_questionnaire_rule_texts_follow_changed_thresholds():
    changed = RuleSettings(odi_mcid_points=12, rmdq_mcid_points=4, rmdq_proportional=True)
    assert "12 points or more" in rule("disability_worse", changed).text
    assert "4 points or more" in rule("disability_worse", changed).text
    assert "Not scored" in rule("rmdq_incomplete").text
    assert rule("rmdq_incomplete").source == SOURCE_REHAB_DEFAULT
    assert "at least 21 answered items" in rule("rmdq_incomplete", changed).text
