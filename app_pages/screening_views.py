"""The therapist's screening fragments: the uploader, tier tiles, filters, triage table, exports."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Final

import streamlit as st

from app_pages import state
from app_pages.views import lazy_download, pdf_reports, upload_controls
from rehab import screening
from rehab.present import PHASE_WORDS, TIER_WORDS
from rehab.wording import plural

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd
    from pandas.io.formats.style import Styler

    from rehab.analysis import CohortAnalysis

# Row geometry of Streamlit's grid (measured at 1280 px): rows taller than 64 px wrap text.
HEADER_HEIGHT: Final = 38
LINE_HEIGHT: Final = 18.5
LINE_PADDING: Final = 11
MIN_ROW_HEIGHT: Final = 35
# Characters per line of the reason column at REASON_WIDTH, on the safe side.
REASON_CHARS: Final = 42
# Pale Okabe-Ito tints of the tier colours (as in the PDF); the word and mark carry the tier.
TIER_TINTS: Final = {"critical": "#f6d5c2", "high": "#fbe7c4", "moderate": "#f8f3c9"}
# Filters live for the whole session: a therapist opens a patient and comes back to the
# same list. Streamlit forgets a widget's value when a page without it runs, unless asked.
KEEP: Final = "session"
# Column widths add up to about 770 px with the selection column: what a 1280 px window
# leaves beside the sidebar, so nothing scrolls sideways. Wider windows share out the rest.
REASON_WIDTH: Final = 330
# With a workspace the table trades the numbers (one switch away) for the review columns;
# the widths add up to the same 1280 px budget. Text columns wrap at these widths.
# "Last reviewed" is wide enough for an e-mail address on a line of its own.
REVIEW_WIDTHS: Final = {"reason": 210, "new_since_review": 115, "this_week": 150, "last_reviewed": 135}
# What is new comes right after who: on a phone it is what shows before the grid scrolls.
REVIEW_COLUMNS: Final = (
    "alert",
    "patient_id",
    "new_since_review",
    "reason",
    "this_week",
    "last_reviewed",
)
# Rejected rows belong to an upload's report, not to the store: the main numbers take their place.
REVIEW_DETAIL_COLUMNS: Final = (
    "alert",
    "patient_id",
    "phase",
    "flags",
    "adherence_7d",
    "pain_current",
    "pain_change",
    "last_log",
)


def screening_upload() -> None:
    """The therapist's uploader (many CSV files, or ZIPs of them), folded under one line.

    Folded, so that the triage table starts on the first screen of a laptop; the line under
    it says which data is shown (read after the uploader, so it is never one upload behind).
    """
    with st.expander("Upload patients' logs: CSV files or ZIP archives", icon=":material/upload_file:"):
        upload_controls(
            "screening",
            "Patients' logs: CSV files or ZIP archives of them",
            "Files are grouped by the patient_id column, or by the file name.",
            wide=True,
        )
    current = state.dataset()
    if current.source == "upload":
        st.caption(f"Showing your {plural(len(current.files), 'uploaded file')}.")
    else:
        st.caption("Showing the synthetic demo cohort until you upload.")


def tier_tiles(counts: dict[str, int]) -> list[str]:
    """One tile per tier with its count; clicking tiles filters the table to those tiers."""
    chosen = st.segmented_control(
        "Alert tier (click to show only those patients)",
        list(TIER_WORDS),
        selection_mode="multi",
        format_func=lambda tier: (
            f"{screening.TIER_SYMBOLS[tier]} {TIER_WORDS[tier]}: {counts.get(tier, 0)}"
        ),
        key="filter_tiers",
        width="stretch",
        persist_state=KEEP,
    )
    return list(chosen or [])


def filters() -> tuple[list[str], list[str], str]:
    """The flag, phase and patient-id filters, kept for the session."""
    flags, phases, search = st.columns([3, 2, 2])
    chosen_flags = flags.multiselect(
        "Flag",
        list(screening.FLAG_WORDS),
        format_func=screening.FLAG_WORDS.__getitem__,
        placeholder="Any flag",
        key="filter_flags",
        persist_state=KEEP,
    )
    chosen_phases = phases.multiselect(
        "Phase",
        list(PHASE_WORDS),
        format_func=PHASE_WORDS.__getitem__,
        placeholder="Both phases",
        key="filter_phases",
        persist_state=KEEP,
    )
    query = search.text_input(
        "Patient id", placeholder="Search", key="filter_search", persist_state=KEEP
    )
    return list(chosen_flags), list(chosen_phases), query or ""


def _columns() -> dict[str, Any]:
    help_week = "Share of prescribed exercises done over the last 7 days"
    return {
        "alert": st.column_config.TextColumn("Tier", width=92),
        "patient_id": st.column_config.TextColumn("Patient", width=80),
        "reason": st.column_config.TextColumn("Why (most urgent first)", width=REASON_WIDTH),
        "adherence_7d": st.column_config.NumberColumn("Week", format="%d%%", width=56, help=help_week),
        "pain_current": st.column_config.NumberColumn(
            "Pain",
            format="%.1f",
            width=48,
            help="Pain 0-10: the mean of the 7 days up to the last pain entry (Last log says how old)",
        ),
        "pain_change": st.column_config.NumberColumn(
            "Change", format="%+.1f", width=60, help="Current pain minus baseline: negative is better"
        ),
        "last_log": st.column_config.TextColumn("Last log", width=96),
        "phase": st.column_config.TextColumn("Phase", width=96),
        "flags": st.column_config.TextColumn("All flags", width=220),
        "pain_baseline": st.column_config.NumberColumn(
            "Baseline", format="%.1f", width=70, help="Mean pain of the first 3 days with entries"
        ),
        "pain_free_streak": st.column_config.NumberColumn(
            "Pain-free days", format="%d", width=100, help="Pain-free days in a row up to the as-of date"
        ),
        "rejected_rows": st.column_config.NumberColumn(
            "Rejected rows", width=100, help="Rows of this patient's files the import could not use"
        ),
        "last_reviewed": st.column_config.TextColumn(
            "Last reviewed", width=REVIEW_WIDTHS["last_reviewed"]
        ),
        "new_since_review": st.column_config.TextColumn(
            "New since review",
            width=REVIEW_WIDTHS["new_since_review"],
            help="Flags raised since the last review, and log rows imported after it",
        ),
        "this_week": st.column_config.TextColumn(
            "This week vs last",
            width=REVIEW_WIDTHS["this_week"],
            help="Mean daily pain and exercises done, the 7 days up to the as-of date against "
            "the 7 before (rehab default)",
        ),
    }


def row_height(reasons: Sequence[str], *others: tuple[Sequence[str], int]) -> int:
    """Pixels per row so the longest reason shown reads in full (three lines at least).

    Rows taller than 4rem (64 px) let Streamlit wrap text; each line takes about 18.5 px.
    ``others`` are more wrapped columns as (texts, width in px) when the reason is narrower
    (the first one's width is the reason's).
    """
    lines = max(3, screening.wrapped_lines(reasons, REASON_CHARS))
    for texts, width in others:
        chars = max(8, REASON_CHARS * width // REASON_WIDTH)
        lines = max(lines, screening.wrapped_lines(texts, chars))
    return math.ceil(LINE_PADDING + LINE_HEIGHT * lines)


def table_height(rows: int, row_px: int) -> int:
    """Pixels for the header and ``rows`` rows, so the grid never scrolls inside itself."""
    return HEADER_HEIGHT + max(rows, 1) * row_px + 2


def tier_style(shown: pd.DataFrame) -> Styler:
    """Tint the tier cell (and the whole critical row): colour supports the mark, never alone."""

    def tint(row: pd.Series) -> list[str]:
        colour = TIER_TINTS.get(str(row["tier"]), "")
        if not colour:
            return ["" for _ in row]
        whole_row = row["tier"] == "critical"
        return [
            f"background-color: {colour}" if whole_row or column == "alert" else ""
            for column in row.index
        ]

    return shown.style.apply(tint, axis=1)


def _review_row_height(shown: pd.DataFrame) -> int:
    return row_height(
        [], *[(list(shown[column].astype(str)), width) for column, width in REVIEW_WIDTHS.items()]
    )


def triage_table(shown: pd.DataFrame, *, details: bool = False, review: bool = False) -> str | None:
    """The triage table; returns the patient id of a selected row, if any.

    ``details`` swaps the reason and main numbers for the secondary ones; ``review`` (a
    workspace) shows the review columns in place of the main numbers.
    """
    order: Sequence[str]
    if details:
        row_px = MIN_ROW_HEIGHT
        order = REVIEW_DETAIL_COLUMNS if review else screening.DETAIL_COLUMNS
    elif review:
        row_px = _review_row_height(shown)
        order = REVIEW_COLUMNS
    else:
        row_px = row_height(list(shown["reason"]))
        order = screening.SCREEN_COLUMNS
    columns = _columns()
    if review and not details:
        columns["reason"] = st.column_config.TextColumn(
            "Why (most urgent first)", width=REVIEW_WIDTHS["reason"]
        )
    event = st.dataframe(
        tier_style(shown),
        hide_index=True,
        width="stretch",
        height=table_height(len(shown), row_px),
        row_height=row_px,
        on_select="rerun",
        selection_mode="single-row",
        key="triage_table",
        column_order=order,
        column_config=columns,
        placeholder="-",
    )
    rows = getattr(getattr(event, "selection", None), "rows", None) or []
    if rows:
        return str(shown.iloc[rows[0]]["patient_id"])
    return None


def page_picker(rows: int) -> int:
    """A page chooser when more than a page of patients is shown; returns the 1-based page."""
    pages = screening.page_count(rows)
    if pages == 1:
        return 1
    labels = {
        page: f"{(page - 1) * screening.PAGE_SIZE + 1}-{min(page * screening.PAGE_SIZE, rows)}"
        for page in range(1, pages + 1)
    }
    chosen = st.segmented_control(
        "Patients", list(labels), format_func=labels.__getitem__, key="triage_page", default=1
    )
    return int(chosen or 1)


def screening_exports(cohort: CohortAnalysis, shown: pd.DataFrame) -> None:
    """Exports of what is shown: the triage table as CSV, and PDF reports."""
    from rehab.reports import summary_csv

    ids = [str(p) for p in shown["patient_id"]]
    count = plural(len(ids), "patient")
    csv, pdf = st.columns(2)
    lazy_download(
        csv,
        f"Triage table (CSV, {count})",
        lambda: summary_csv(cohort, ids),
        f"triage_{cohort.as_of.isoformat()}.csv",
        "text/csv",
        ":material/table:",
        disabled=not ids,
    )
    lazy_download(
        pdf,
        f"Reports (PDF, {count})",
        lambda: pdf_reports(cohort, ids),
        f"reports_{cohort.as_of.isoformat()}.pdf",
        "application/pdf",
        ":material/picture_as_pdf:",
        disabled=not ids,
    )
    st.caption(
        "The CSV opens in a spreadsheet or a program as it is: the header is the first line, "
        "percentages are whole numbers, and the last column, disclaimer, says what the numbers "
        "are not. The PDF has one page per patient, dated as of the day shown and when it was made."
    )
