"""Fragments of the progress page: the alerts, today's plan, the metrics, the exercise panel.

They draw; they do not compute. Numbers and words come from rehab (analysis, present). The
page is read top to bottom on a phone, so each fragment is drawn where it belongs in that
order: urgent alerts, today's plan with the exercise card, then the charts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from app_pages import state, views
from rehab import present
from rehab.markup import literal
from rehab.settings import rule

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    import pandas as pd

    from rehab.analysis.models import Flag, PatientSummary, PausedExercise
    from rehab.library import ExerciseLibrary
    from rehab.settings import RuleSettings

URGENT_TIERS = ("critical", "high")
_BOXES = {"critical": st.error, "high": st.warning, "moderate": st.info}


def alerts(summary: PatientSummary, settings: RuleSettings, *, therapist: bool) -> None:
    """Every flag, most urgent first, in the patient's words (or the therapist's).

    The patient reads what happened and what to do; the rule and its source wait in an
    expander. A therapist reads the rule and source inline, and the analysis' own wording.
    """
    flags: list[Flag] = list(summary.flags)
    if not flags:
        st.success("No alerts: nothing in these logs needs attention.", icon=views.TIER_ICONS["none"])
        return
    by_code = {flag.code: flag for flag in flags}
    for view in present.flag_views(flags, settings):
        message = view.message if therapist else present.patient_message(by_code[view.code], summary)
        # The note's own words are the therapist's evidence, where the message does not say them.
        words = (
            f" (as written in the log: {literal(view.matched_words)})"
            if view.matched_words and therapist
            else ""
        )
        # Messages quote the logs (exercise names, note words): shown as written, never markup.
        text = f"**{view.tier_word}: {view.rule_title}.** {literal(message)}{words}"
        if therapist:
            text += f"  \n*Rule:* {view.rule_text} *Source:* {view.source}"
        _BOXES[view.tier](text, icon=views.TIER_ICONS[view.tier])
    if not therapist:
        views.rule_caption([flag.code for flag in flags], label="Rules behind these alerts")


def today(summary: PatientSummary, daily: pd.DataFrame, settings: RuleSettings) -> None:
    """Today's plan: the phase in words, today's sessions against it, the pain-free run.

    The phase is a sentence ("Maintenance: once a day since 23 Oct"), not a metric: it is
    what to do, and a word that long does not fit a metric box. The pain-free run sits
    beside today's sessions: it is what moves the plan on to maintenance.
    """
    colour = "green" if summary.phase == "maintenance" else "blue"
    st.markdown(
        f"#### :{colour}[:material/self_improvement: {present.phase_headline(summary, settings)}]",
        help=rule("maintenance", settings).text,
    )
    plan = present.today_plan(summary, daily, paused=[p.exercise for p in summary.paused_exercises])
    sessions, streak = st.columns(2)
    # No help icon: in half the plan column it would cut the label; the caption says it.
    done = f"{plan.sessions_done} of {plan.sessions_planned}"
    sessions.metric("Sessions today", done, border=True, height="stretch")
    # The count alone in the big type ("36 days" is cut to "36 d..." in half a laptop's
    # column); what it counts goes under it, as the week's band does beside it.
    run, counted = present.run_tile(summary.pain_free_streak)
    streak.metric(
        "Pain-free run",
        run,
        delta=counted,
        delta_color="off",
        delta_arrow="off",
        border=True,
        height="stretch",
        help=rule("maintenance", settings).text,
    )
    st.caption(f"Today: {plan.headline}. {present.today_rule(plan)} {present.streak_line(summary)}.")


def progress_metrics(
    summary: PatientSummary, daily: pd.DataFrame, settings: RuleSettings, as_of: date
) -> None:
    """This week and pain (with its 4-week trend), side by side.

    Two, not more: a laptop's column then leaves the pain box room for "Pain at last entry
    (3 Nov)" without cutting it.
    """
    week, pain = st.columns(2)
    adherence = summary.adherence
    week.metric(
        "This week",
        present.percent(adherence.last_7_days),
        delta=present.band_word(adherence.band_last_7_days) or None,
        delta_color="off",
        delta_arrow="off",
        border=True,
        help=rule("frequency_adherence", settings).text,
    )
    week.caption(present.adherence_line(summary))
    change = summary.pain.change
    pain.metric(
        present.pain_label(summary, as_of, settings),
        "-" if summary.pain.current is None else f"{summary.pain.current:.1f}",
        delta=None if change is None else f"{change:+.1f} since the start",
        delta_color="inverse",
        border=True,
        help=f"On a 0-10 scale. {rule('mcid', settings).text}",
        chart_data=present.recent_values(daily, "pain_rolling7", days=28),
        chart_type="area",
    )
    pain.caption(present.pain_line(summary))


def exercise_panel(
    library: ExerciseLibrary,
    response: pd.DataFrame,
    picked: str | None,
    key: str,
    paused: Sequence[PausedExercise] = (),
) -> None:
    """The exercise card of today's plan, opened at the picked (else a stopped) exercise.

    A paused exercise's card says since when, why, and to check with the therapist before
    restarting it; one the stop rule flags but that is not paused says to stop it.
    """
    st.subheader("What to do")
    ids = list(library.ids)
    stopped = [str(e) for e in response.loc[response["verdict"] == "stop", "exercise"]]
    paused_by_id = {p.exercise: p for p in paused}
    first_stopped = [e for e in [*paused_by_id, *stopped] if e in ids]
    default = picked if picked in ids else (first_stopped[0] if first_stopped else ids[0])
    chosen = st.selectbox(
        "Exercise", ids, index=ids.index(default), format_func=library.name_of, key=f"{key}_{default}"
    )
    stats = present.exercise_stats(response, chosen)
    with st.container(border=True):
        if chosen in paused_by_id:
            pause = paused_by_id[chosen]
            st.warning(
                literal(present.paused_text(pause.since, pause.evidence)), icon=":material/pause_circle:"
            )
        elif chosen in stopped:
            st.error(
                "Stop this exercise: it raised your pain. Check with your therapist "
                "before doing it again.",
                icon=":material/front_hand:",
            )
        views.exercise_card(library.get(chosen), stats, compact=True)
    st.caption("Select an exercise in a chart to open its card here.")


def demo_tour() -> None:
    """One click to each demo story: the patient opens with what their story shows."""
    from rehab.sample.stories import DEMO_TOUR

    current = st.session_state.get("patient")
    st.session_state["demo_tour"] = current if current in DEMO_TOUR else None

    def go() -> None:
        chosen = st.session_state.get("demo_tour")
        if chosen:
            state.open_patient(str(chosen))

    # A radio, not pills: its options wrap on a phone instead of running off the screen.
    st.radio(
        "Tour the demo's stories",
        list(DEMO_TOUR),
        index=None,
        format_func=DEMO_TOUR.__getitem__,
        key="demo_tour",
        on_change=go,
        horizontal=True,
        help="Made-up patients, one story each: open one to see what the dashboard shows for it.",
    )
