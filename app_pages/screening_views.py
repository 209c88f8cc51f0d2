"""The therapist's screening fragments: the many-file uploader, the triage table, exports."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from app_pages import state
from app_pages.views import DATE_ORDERS, lazy_download, pdf_reports
from rehab import screening

if TYPE_CHECKING:
    import pandas as pd

    from rehab.analysis import CohortAnalysis


def screening_upload() -> None:
    """The therapist's uploader: many CSV files, or ZIPs of them."""
    with st.container(border=True):
        left, right = st.columns([3, 1])
        uploads = left.file_uploader(
            "Patients' logs: CSV files or ZIP archives of them",
            type=["csv", "txt", "tsv", "zip"],
            accept_multiple_files=True,
            key="screening_upload",
            help="Files are grouped by the patient_id column, or by the file name. They stay in "
            "this browser session's memory and are never written to disk.",
        )
        date_order = right.selectbox(
            "Dates like 03/04/2026 mean",
            list(DATE_ORDERS),
            format_func=DATE_ORDERS.__getitem__,
            key="screening_date_order",
        )
        if uploads:
            state.use_uploads([(f.name, f.getvalue()) for f in uploads], date_order)
        elif state.dataset().source == "upload":
            right.button(
                "Back to the demo cohort",
                on_click=state.use_demo,
                key="screening_demo",
                icon=":material/restart_alt:",
            )
        else:
            left.caption("Showing the synthetic demo cohort until you upload.")


def triage_table(shown: pd.DataFrame) -> str | None:
    """The triage table; returns the patient id of a selected row, if any."""
    event = st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="triage_table",
        column_order=screening.SCREEN_COLUMNS,
        column_config={
            "patient_id": st.column_config.TextColumn("Patient", pinned=True),
            "alert": st.column_config.TextColumn("Alert"),
            "flags": st.column_config.TextColumn("Flags", width="medium"),
            "phase": st.column_config.TextColumn("Phase"),
            "adherence_7d": st.column_config.ProgressColumn(
                "This week",
                min_value=0.0,
                max_value=1.0,
                format="percent",
                help="Frequency adherence over the last 7 days",
            ),
            "pain_current": st.column_config.NumberColumn("Pain now", format="%.1f"),
            "pain_change": st.column_config.NumberColumn(
                "Change", format="%+.1f", help="Current pain minus baseline: negative is better"
            ),
            "pain_free_streak": st.column_config.NumberColumn("Pain-free run", format="%d d"),
            "days_since_last_log": st.column_config.NumberColumn("Last log", format="%d d ago"),
            "rejected_rows": st.column_config.NumberColumn(
                "Rejected rows", help="Rows of this patient's files the import could not use"
            ),
            "summary": st.column_config.TextColumn("Why (most urgent flag)", width="large"),
        },
    )
    rows = getattr(getattr(event, "selection", None), "rows", None) or []
    if rows:
        return str(shown.iloc[rows[0]]["patient_id"])
    return None


def screening_exports(cohort: CohortAnalysis, shown: pd.DataFrame) -> None:
    """Exports of what is shown: the triage table as CSV, and PDF reports."""
    from rehab.reports import summary_csv

    ids = [str(p) for p in shown["patient_id"]]
    csv, pdf = st.columns(2)
    lazy_download(
        csv,
        f"Triage table (CSV, {len(ids)} patients)",
        lambda: summary_csv(cohort, ids),
        f"triage_{cohort.as_of.isoformat()}.csv",
        "text/csv",
        ":material/table:",
        disabled=not ids,
    )
    lazy_download(
        pdf,
        f"Reports (PDF, {len(ids)} patients)",
        lambda: pdf_reports(cohort, ids),
        f"reports_{cohort.as_of.isoformat()}.pdf",
        "application/pdf",
        ":material/picture_as_pdf:",
        disabled=not ids,
    )
