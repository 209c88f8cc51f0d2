"""The import report as people read it: counts per file, every issue with its row, and the
rejected rows to download, fix and import again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from app_pages import state
from rehab import present

if TYPE_CHECKING:
    from rehab.importer import FileImport, ImportBatch


def _import_title(batch: ImportBatch) -> str:
    files = batch.files
    rejected = sum(f.report.rejected for f in files)
    duplicates = sum(f.report.duplicates for f in files)
    accepted = sum(f.report.accepted for f in files)
    return (
        f"Import report: {len(files)} file(s), {accepted} rows accepted, {rejected} "
        f"rejected, {duplicates} duplicate(s)"
    )


def import_report(batch: ImportBatch, expanded: bool) -> None:
    """The import report one click away: every file, every issue with its row."""
    with st.expander(_import_title(batch), expanded=expanded, icon=":material/fact_check:"):
        for note in state.dataset().notes:
            st.warning(note, icon=":material/folder_zip:")
        for file in batch.files:
            file_report(file, nested=True)


def rejected_notice(batch: ImportBatch) -> None:
    """Say near the top of a page that some rows were not imported, and where to read why."""
    files = [f for f in batch.files if f.report.rejected]
    if not files:
        return
    rows = sum(f.report.rejected for f in files)
    st.warning(
        f"{rows} {'row was' if rows == 1 else 'rows were'} not imported, from {len(files)} "
        f"{'file' if len(files) == 1 else 'files'}. Open the import report below to see which "
        "and why, and to download them to fix.",
        icon=":material/report:",
    )


def file_reports(batch: ImportBatch) -> None:
    """Every file on one line of a table; files with issues get their own report below."""
    st.subheader("Import reports")
    st.caption(_import_title(batch))
    for note in state.dataset().notes:
        st.warning(note, icon=":material/folder_zip:")
    st.dataframe(
        present.file_table(batch),
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(batch.files), 320),
        column_config={"file": st.column_config.TextColumn("File", pinned=True)},
    )
    flagged = [f for f in batch.files if f.report.issues or not f.report.usable]
    if flagged:
        st.caption(f"{len(flagged)} file(s) with notes; clean files stay folded in the table.")
    for file in flagged[:MAX_FILE_REPORTS]:
        file_report(file, nested=False)
    if len(flagged) > MAX_FILE_REPORTS:
        st.caption(f"and {len(flagged) - MAX_FILE_REPORTS} more: `rehab validate` lists them all.")


MAX_FILE_REPORTS = 30


def file_report(file: FileImport, nested: bool) -> None:
    """A file's counts, its issues (row, column, message) and its rejected rows to download."""
    from rehab.safe_csv import to_safe_csv

    report = file.report
    label = (
        f"{report.file} ({report.kind or 'not recognised'}): {report.rows} rows, "
        f"{report.accepted} accepted, {report.rejected} rejected, "
        f"{report.duplicates} duplicate(s), {len(report.issues)} note(s)"
    )
    icon = (
        ":material/block:"
        if not report.usable
        else ":material/report:"
        if report.issues
        else ":material/check_circle:"
    )
    holder = (
        st.container(border=True)
        if nested
        else st.expander(label, expanded=not report.usable or report.rejected > 0, icon=icon)
    )
    with holder:
        if nested:
            st.markdown(f"{icon} **{label}**")
        if report.issues:
            st.dataframe(
                [issue.model_dump() for issue in report.issues],
                hide_index=True,
                width="stretch",
                height=min(38 + 35 * len(report.issues), 300),
                column_config={"message": st.column_config.TextColumn(width="large")},
            )
        elif not nested:
            st.caption("Every row was accepted.")
        if len(file.rejected):
            st.download_button(
                f"Rejected rows of {report.file} (CSV, to fix and re-import)",
                data=to_safe_csv(file.rejected),
                file_name=f"rejected_{report.file}",
                mime="text/csv",
                on_click="ignore",
                icon=":material/download:",
                key=f"rejected_{nested}_{report.file}",
            )
