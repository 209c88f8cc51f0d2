import streamlit as st

from app_pages import import_views, measures_views, progress_views, state, views, workspace_views
from rehab import charts, present
from rehab.markup import literal, unbroken
from rehab.sample.stories import DEMO_FIRST_PATIENT

with st.sidebar:
    st.subheader("Your data")
    views.upload_controls(
        "patient", "Session and pain logs (CSV or ZIP)", "Drop one or more files, in any order."
    )
data = state.dataset()

batch = state.imported(data)
if not len(batch.sessions) and not len(batch.pain) and len(batch.measures):
    measures_views.questionnaires_only(batch.measures, state.settings())
    import_views.import_report(batch, expanded=False)
    st.stop()
if not len(batch.sessions) and not len(batch.pain):
    st.title("My progress")
    st.warning("None of the files could be used yet. The import report below says why, row by row.")
    import_views.import_report(batch, expanded=True)
    st.stop()

as_of = views.as_of_control(data)
cohort = state.analysed(data, as_of)
if not cohort.patients:
    # An as-of day before the first log (or logs that all lie ahead): nothing to analyse yet.
    st.title("My progress", anchor=False)
    st.info(views.nothing_yet(as_of, state.first_log_day(data)), icon=":material/event_upcoming:")
    st.stop()
patient_id = views.patient_control(cohort, first=DEMO_FIRST_PATIENT if data.source == "demo" else None)
patient = cohort.patients[patient_id]
summary = patient.summary
settings = state.settings()
library = state.library()
# A therapist who opened this patient from the triage table reads it as a therapist.
therapist = st.session_state.get("opened_from_screening") == patient_id

# Read top to bottom, as on a phone: the alerts first, then today's plan with the exercise
# card, then the progress and its charts.
if therapist:
    st.page_link("app_pages/screening.py", label="Back to screening", icon=":material/arrow_back:")
# The id is the file's text: shown literally, never read as Markdown. On the patient's title
# its hyphens do not break ("PT-" on one line, "0103" on the next, on a phone).
st.title(
    literal(patient_id) if therapist else f"My progress: {literal(unbroken(patient_id))}", anchor=False
)
demo = data.source == "demo"
st.caption(
    ("Synthetic demo: made-up patients, no real data · " if demo else "")
    + f"As of {present.day_label(as_of)} {as_of.year} · logs from "
    f"{present.day_label(summary.first_day)} to {present.day_label(summary.last_log)}"
)
if data.source == "upload":
    import_views.rejected_notice(batch)
if demo and not therapist:
    # Right above the alerts: a click on a story shows its alert straight below the tour.
    progress_views.demo_tour()
progress_views.alerts(summary, settings, therapist=therapist)

start, end = views.range_control(patient.daily, key=f"range_{patient_id}")
daily = present.between(patient.daily, start, end)
sessions = present.between(present.rows_of(batch.sessions, patient_id), start, end)
names = {e.id: e.name for e in library.exercises}

# Columns stack in the order they are declared, so on a phone today's plan (with the
# exercise card) comes right after the alerts, and the progress (numbers, charts) after it.
# The charts are drawn first: the card opens at the exercise picked in them.
plan_col, progress_col = st.columns([2, 3], gap="large")
with progress_col:
    progress_views.progress_metrics(summary, patient.daily, settings, as_of)
    pain = charts.pain_chart(
        daily,
        patient.phases,
        baseline=summary.pain.baseline,
        mcid_points=settings.mcid_points,
        pain_free_max=settings.pain_free_max,
        markers=present.chart_markers(summary),
    )
    st.altair_chart(charts.unvalidated(pain), width="stretch")
    views.rule_caption(["daily_pain", "baseline", "mcid", "pain_free_day", "maintenance", "relapse"])
    st.altair_chart(charts.unvalidated(charts.adherence_calendar(daily)), width="stretch")
    views.rule_caption(["frequency_adherence", "adherence_bands"])
    picked_sessions = st.altair_chart(
        charts.unvalidated(charts.sessions_chart(daily, names)),
        width="stretch",
        on_select="rerun",
        selection_mode="exercise_pick",
        key=f"sessions_chart_{patient_id}",
    )
    picked_response = st.altair_chart(
        charts.unvalidated(charts.response_chart(sessions, patient.exercise_response, names)),
        width="stretch",
        on_select="rerun",
        selection_mode="exercise_pick",
        key=f"response_chart_{patient_id}",
    )
    views.rule_caption(["exercise_increases_pain"])

with plan_col:
    progress_views.today(summary, patient.daily, settings)
    picked = views.picked_exercise(picked_response, picked_sessions)
    progress_views.exercise_panel(
        library,
        patient.exercise_response,
        picked,
        key=f"card_{patient_id}",
        paused=summary.paused_exercises,
    )

# The questionnaires after the progress charts, across the page: small charts side by side.
measures_views.measures_panel(
    patient.measures, patient.measure_changes, settings, key=f"measures_{patient_id}"
)
workspace_views.patient_panel(cohort, patient_id)  # reviews, export, forget (workspace only)
views.downloads(cohort, patient_id, pain)
if data.source != "workspace":  # stored logs: the screening page's imports report them
    import_views.import_report(batch, expanded=False)
