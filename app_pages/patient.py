import streamlit as st

from app_pages import import_views, state, views
from rehab import charts, present

with st.sidebar:
    st.subheader("Your data")
    views.upload_controls(
        "patient", "Session and pain logs (CSV or ZIP)", "Drop one or more files, in any order."
    )
data = state.dataset()

batch = state.imported(data)
if not len(batch.sessions) and not len(batch.pain):
    st.title("My progress")
    st.warning("None of the files could be used yet. The import report below says why, row by row.")
    import_views.import_report(batch, expanded=True)
    st.stop()

as_of = views.as_of_control(data)
cohort = state.analysed(data, as_of)
patient_id = views.patient_control(cohort)
patient = cohort.patients[patient_id]
summary = patient.summary
settings = state.settings()
library = state.library()

if data.source == "demo":
    st.info(
        "You are looking at a **synthetic demo cohort** (made-up patients, no real data). "
        "To see your own progress, drop your session and pain logs (CSV) in the sidebar.",
        icon=":material/science:",
    )

st.title(f"My progress: {patient_id}")
st.caption(
    f"As of {present.day_label(as_of)} {as_of.year} · logs from "
    f"{present.day_label(summary.first_day)} to {present.day_label(summary.last_log)}"
)

views.summary_metrics(summary, patient.daily, settings)
views.flag_list(summary.flags, settings)

start, end = views.range_control(patient.daily, key=f"range_{patient_id}")
daily = present.between(patient.daily, start, end)
sessions = present.between(present.rows_of(batch.sessions, patient_id), start, end)
names = {e.id: e.name for e in library.exercises}

chart_col, library_col = st.columns([3, 2], gap="large")
with chart_col:
    pain = charts.pain_chart(
        daily,
        patient.phases,
        baseline=summary.pain.baseline,
        mcid_points=settings.mcid_points,
        pain_free_max=settings.pain_free_max,
        markers=present.chart_markers(summary),
    )
    st.altair_chart(pain, width="stretch")
    views.rule_caption(["daily_pain", "baseline", "mcid", "pain_free_day", "maintenance", "relapse"])
    st.altair_chart(charts.adherence_calendar(daily), width="stretch")
    views.rule_caption(["frequency_adherence", "adherence_bands"])
    picked_sessions = st.altair_chart(
        charts.sessions_chart(daily, names),
        width="stretch",
        on_select="rerun",
        selection_mode="exercise_pick",
        key=f"sessions_chart_{patient_id}",
    )
    picked_response = st.altair_chart(
        charts.response_chart(sessions, patient.exercise_response, names),
        width="stretch",
        on_select="rerun",
        selection_mode="exercise_pick",
        key=f"response_chart_{patient_id}",
    )
    views.rule_caption(["exercise_increases_pain"])

with library_col:
    picked = views.picked_exercise(picked_response, picked_sessions)
    views.library_panel(library, patient.exercise_response, picked, key=f"card_{patient_id}")

views.downloads(cohort, patient_id, pain)
import_views.import_report(batch, expanded=False)
