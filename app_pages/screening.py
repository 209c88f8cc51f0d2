import streamlit as st

from app_pages import import_views, screening_views, state, views, workspace_views
from rehab import review, screening
from rehab.wording import plural

# Back on the list: a patient page opened later from the sidebar is the patient's own view.
st.session_state.pop("opened_from_screening", None)
# With a clinic workspace this page is the workspace's: files go into it, not the session.
stored = state.workspace() is not None
if stored:
    state.use_workspace()
st.title("Screening")
st.caption(
    f"Every patient's logs at once (CSV files or one ZIP, under {'Import' if stored else 'Upload'}): "
    "the patients who need a call today come first, with the reason in words. Select a row to "
    "open that patient."
)
if stored:
    workspace_views.where_caption()
    workspace_views.forgotten_notice()
    workspace_views.workspace_upload()
else:
    screening_views.screening_upload()

data = state.dataset()
batch = state.imported(data)
if not len(batch.sessions) and not len(batch.pain):
    if stored:
        st.info(
            "The workspace holds no logs yet: import patients' files above.", icon=":material/inbox:"
        )
        st.stop()
    if len(batch.measures):
        # Questionnaires were read; triage is built on the session and pain logs.
        st.info(
            f"{plural(len(batch.measures), 'questionnaire')} read. Screening needs session or "
            "pain logs as well: add the patients' log files to the upload.",
            icon=":material/assignment:",
        )
    else:
        st.warning("None of the files could be used yet. The import reports below say why.")
    import_views.file_reports(batch)
    st.stop()
# Rows that were not imported are said up here, not only in the report at the bottom.
import_views.rejected_notice(batch)

as_of = views.as_of_control(data)
cohort = state.analysed(data, as_of)
if not cohort.patients:
    # An as-of day before the first log (or logs that all lie ahead): no one to screen yet.
    st.info(views.nothing_yet(as_of, state.first_log_day(data)), icon=":material/event_upcoming:")
    if not stored:
        import_views.file_reports(batch)
    st.stop()
table = state.screen(data, as_of, cohort, batch)
if stored:
    table = state.reviewed(data, as_of, cohort, table)

chosen_tiers = screening_views.tier_tiles(screening.tier_counts(table))
chosen_flags, chosen_phases, query = screening_views.filters()
shown = screening.filter_screen(
    table, tiers=chosen_tiers, flags=chosen_flags, phases=chosen_phases, search=query
)
if stored:
    show_all = workspace_views.set_aside_toggle(review.set_aside_count(shown))
    shown = review.needing_a_look(shown, show_all=show_all)

summary_line, detail_switch = st.columns([3, 1], vertical_alignment="center")
order_words = "who needs a look first, most urgent first" if stored else "most urgent first"
summary_line.caption(
    f"{len(shown)} of {plural(len(table), 'patient')}, {order_words} · as of {as_of.day} {as_of:%b %Y}"
)
details = detail_switch.toggle(
    "More numbers",
    key="triage_details",
    persist_state=screening_views.KEEP,
    help=(
        "Phase, every flag, this week's exercises, pain and its change, and the last log "
        "instead of the reason and the review columns"
        if stored
        else "Phase, every flag, baseline pain, pain-free run and rejected rows instead of the reason"
    ),
)
page = screening_views.page_picker(len(shown))
picked = screening_views.triage_table(screening.page_of(shown, page), details=details, review=stored)
if picked is not None:
    state.open_patient(picked)
    # The patient page offers the way back and speaks to the therapist (TEAM.md contract).
    st.session_state["opened_from_screening"] = picked
    st.switch_page("app_pages/patient.py")
if stored:
    workspace_views.review_rules_caption()
    workspace_views.review_panel(cohort, [str(p) for p in table["patient_id"]])

screening_views.screening_exports(cohort, shown)

st.subheader("Cohort overview")
tier_panel, adherence_panel, pain_panel = state.cohort_chart_specs(data, as_of, cohort)
st.vega_lite_chart(tier_panel, width="stretch")
left, right = st.columns(2, gap="large")
left.vega_lite_chart(adherence_panel, width="stretch")
right.vega_lite_chart(pain_panel, width="stretch")
if not stored:
    import_views.file_reports(batch)
