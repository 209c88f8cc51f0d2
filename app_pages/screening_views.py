"""The therapist's screening fragments: the many-file uploader, the triage table, exports."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from app_pages.views import lazy_download, pdf_reports, upload_controls
from rehab import screening

if TYPE_CHECKING:
    import pandas as pd

    from rehab.analysis import CohortAnalysis


def screening_upload() -> None:
    """The therapist's uploader: many CSV files, or ZIPs of them."""
    with st.container(border=True):
        upload_controls(
            "screening",
            "Patients' logs: CSV files or ZIP archives of them",
            "Files are grouped by the patient_id column, or by the file name.",
            wide=True,
        )


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
