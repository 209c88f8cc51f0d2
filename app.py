"""rehab: the Streamlit entry point. Page config, session state, the router, nothing else."""

import streamlit as st

from app_pages import state, views

st.set_page_config(
    page_title="rehab: back rehabilitation dashboard",
    page_icon=":material/self_improvement:",
    layout="wide",
    initial_sidebar_state="expanded",
)
state.init_state()

pages = {
    "For patients": [
        st.Page(
            "app_pages/patient.py",
            title="My progress",
            icon=":material/monitoring:",
            url_path="progress",
            default=True,
        ),
        st.Page(
            "app_pages/library.py",
            title="Exercise library",
            icon=":material/self_improvement:",
            url_path="library",
        ),
    ],
    "For therapists": [
        st.Page(
            "app_pages/screening.py", title="Screening", icon=":material/groups:", url_path="screening"
        ),
        st.Page(
            "app_pages/rules.py",
            title="Rules and sources",
            icon=":material/menu_book:",
            url_path="rules",
        ),
    ],
}
page = st.navigation(pages)
page.run()
views.sidebar_footer()
views.disclaimer_footer()
