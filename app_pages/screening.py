import streamlit as st

from app_pages import import_views, screening_views, state, views
from rehab import screening
from rehab.present import PHASE_WORDS, TIER_WORDS

st.title("Screening")
st.caption(
    "Drop every patient's logs at once (CSV files or one ZIP): the patients who need a call "
    "today come first, with the reason in one line. Select a row to open that patient."
)
screening_views.screening_upload()

data = state.dataset()
batch = state.imported(data)
if not len(batch.sessions) and not len(batch.pain):
    st.warning("None of the files could be used yet. The import reports below say why.")
    import_views.file_reports(batch)
    st.stop()

as_of = views.as_of_control(data)
cohort = state.analysed(data, as_of)
table = state.screen(data, as_of, cohort, batch)

counts = screening.tier_counts(table)
for column, (tier, count) in zip(st.columns(len(counts)), counts.items(), strict=True):
    column.metric(f"{screening.TIER_SYMBOLS[tier]} {TIER_WORDS[tier]}", count, border=True)

tiers, flags, phases, search = st.columns([2, 3, 2, 2])
chosen_tiers = tiers.multiselect(
    "Alert",
    list(TIER_WORDS),
    format_func=TIER_WORDS.__getitem__,
    placeholder="All tiers",
    key="filter_tiers",
)
chosen_flags = flags.multiselect(
    "Flag",
    list(screening.FLAG_WORDS),
    format_func=screening.FLAG_WORDS.__getitem__,
    placeholder="Any flag",
    key="filter_flags",
)
chosen_phases = phases.multiselect(
    "Phase",
    list(PHASE_WORDS),
    format_func=PHASE_WORDS.__getitem__,
    placeholder="Both phases",
    key="filter_phases",
)
query = search.text_input("Patient id", placeholder="Search", key="filter_search")
shown = screening.filter_screen(
    table, tiers=chosen_tiers, flags=chosen_flags, phases=chosen_phases, search=query
)

st.caption(f"{len(shown)} of {len(table)} patients, most urgent first · as of {as_of:%d %b %Y}")
picked = screening_views.triage_table(shown)
if picked is not None:
    state.open_patient(picked)
    st.switch_page("app_pages/patient.py")

screening_views.screening_exports(cohort, shown)

st.subheader("Cohort overview")
tier_panel, adherence_panel, pain_panel = state.cohort_chart_specs(data, as_of, cohort)
st.vega_lite_chart(tier_panel, width="stretch")
left, right = st.columns(2, gap="large")
left.vega_lite_chart(adherence_panel, width="stretch")
right.vega_lite_chart(pain_panel, width="stretch")
import_views.file_reports(batch)
