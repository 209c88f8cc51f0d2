"""rehab: the Streamlit entry point. Page config, session state, the router, nothing else."""

from pathlib import Path

import streamlit as st

from app_pages import auth, state, views

# Shipped with the app: a ":material/...:" page icon would be fetched from a font CDN.
FAVICON = Path(__file__).resolve().parent / "assets" / "favicon.png"

st.set_page_config(
    page_title="rehab: back rehabilitation dashboard",
    page_icon=str(FAVICON),
    layout="wide",
    # A phone opens on the page, a laptop with the sidebar (upload, patient, dates) open.
    initial_sidebar_state="auto",
)
state.init_state()
# With an [auth] section in the secrets, nobody sees a page (or a patient) before signing in.
auth.require_sign_in()

progress = st.Page(
    "app_pages/patient.py",
    title="My progress",
    icon=":material/monitoring:",
    url_path="progress",
)


def _start() -> None:
    """Open the progress page at the app's root URL.

    Streamlit serves its default page at "/" and ignores that page's url_path, so a bookmarked
    /progress would say "Page not found" if the progress page were the default. A hidden
    default page that switches to it keeps both "/" and "/progress" working.
    """
    st.switch_page(progress)


pages = {
    "For patients": [
        progress,
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
        st.Page(_start, title="Start", url_path="start", default=True, visibility="hidden"),
    ],
}
page = st.navigation(pages)
page.run()
views.sidebar_footer()
views.disclaimer_footer()
