"""Streamlit fragments the pages share: controls, metrics, flags, cards, reports, footers.

They draw; they do not compute. Numbers and words come from rehab (analysis, present).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import streamlit as st

from app_pages import import_views, state, workspace_source
from rehab import present
from rehab.disclaimer import DISCLAIMER, RED_FLAG_SOURCE, red_flag_lines
from rehab.importer.report import ImportOptions
from rehab.markup import literal
from rehab.settings import rule
from rehab.wording import plural

if TYPE_CHECKING:
    from collections.abc import Sequence

    import altair as alt
    import pandas as pd

    from rehab.analysis import CohortAnalysis
    from rehab.importer.report import DateOrder
    from rehab.library import Exercise

TIER_ICONS = {
    "critical": ":material/emergency:",
    "high": ":material/priority_high:",
    "moderate": ":material/info:",
    "none": ":material/check_circle:",
}
DATE_ORDERS: dict[DateOrder, str] = {
    "auto": "Work it out from the file",
    "dmy": "Day first (31/12/2026)",
    "mdy": "Month first (12/31/2026)",
}


def upload_controls(key: str, label: str, help_text: str, *, wide: bool = False) -> None:
    """Upload CSV logs (or ZIPs of them), choose how slash dates read, or go back to the demo.

    ``wide`` lays the uploader and the options side by side (a page's main area); otherwise
    they stack (the sidebar).
    """
    files_area, options_area = st.columns([3, 1]) if wide else (st.container(), st.container())
    uploads = files_area.file_uploader(
        label,
        type=["csv", "txt", "tsv", "zip", "json", "ndjson"],
        accept_multiple_files=True,
        key=f"{key}_upload",
        help=f"{help_text} They stay in this browser session's memory and are never written to disk.",
    )
    date_order = options_area.selectbox(
        "Dates like 03/04/2026 mean",
        list(DATE_ORDERS),
        format_func=DATE_ORDERS.__getitem__,
        key=f"{key}_date_order",
    )
    timezone, date_system = import_views.reading_options(options_area, key)
    if uploads:
        options = ImportOptions(date_order=date_order, timezone=timezone, date_system=date_system)
        state.use_uploads([(f.name, f.getvalue()) for f in uploads], options)
        with files_area:
            import_views.mapping_step(key)
    elif state.dataset().source == "upload":
        options_area.button(
            "Back to the demo cohort",
            on_click=state.use_demo,
            key=f"{key}_demo",
            icon=":material/restart_alt:",
        )
    elif wide:  # the sidebar already says which data is shown
        files_area.caption("Showing the synthetic demo cohort until you upload.")


def as_of_control(data: state.Dataset) -> date:
    """The as-of date: today for your own logs, the last log for the demo.

    Reset to that default whenever the dataset changes, and kept while the user explores
    it, across pages too: Streamlit forgets a widget's value when a page without it runs,
    so the chosen day is kept under a key of its own and handed back to the widget.
    """
    if st.session_state.get("as_of_dataset") != data.digest:
        default = date.today()
        if data.source == "demo":
            default = state.last_log_day(data) or default
        st.session_state["as_of_kept"] = default
        st.session_state["as_of_dataset"] = data.digest
        st.session_state.pop("as_of", None)
    st.session_state.setdefault("as_of", st.session_state["as_of_kept"])

    def keep() -> None:
        st.session_state["as_of_kept"] = st.session_state["as_of"]

    with st.sidebar:
        chosen = st.date_input(
            "As of",
            key="as_of",
            on_change=keep,
            format="DD/MM/YYYY",
            help="The day the dashboard speaks for: 'this week' is this day and the 6 before.",
        )
    return chosen if isinstance(chosen, date) else st.session_state["as_of_kept"]


def nothing_yet(as_of: date, first: date | None) -> str:
    """Say kindly that an as-of day has no logs yet, and from which day the logs start."""
    day = f"{as_of.day} {as_of:%b %Y}"
    if first is None or first <= as_of:
        return f"Nothing to show as of {day}."
    return (
        f"Nothing to show as of {day}: the logs start on {first.day} {first:%b %Y}. "
        "Choose a later day under As of to see them."
    )


def patient_control(cohort: CohortAnalysis, first: str | None = None) -> str:
    """Pick a patient; the most urgent come first.

    Opened at the patient chosen before, else at ``first`` (the demo's showcase), else at
    the first by id.
    """
    triage = cohort.triage()
    ids = [str(p) for p in triage["patient_id"]]
    alerts = dict(zip(ids, triage["alert"], strict=True))
    current = st.session_state.get("patient")
    opened = current if current in ids else first if first in ids else min(ids)
    index = ids.index(opened)
    with st.sidebar:
        chosen = st.selectbox(
            "Patient",
            ids,
            index=index,
            format_func=lambda p: f"{p} · {present.TIER_WORDS[alerts[p]]}",
        )
    st.session_state["patient"] = chosen
    return str(chosen)


def range_control(daily: pd.DataFrame, key: str) -> tuple[date, date]:
    """The date range the charts show (the whole log by default)."""
    first = daily["date"].min().date()
    last = daily["date"].max().date()
    with st.sidebar:
        chosen = st.date_input(
            "Charts show",
            value=(first, last),
            min_value=first,
            max_value=last,
            key=key,
            format="DD/MM/YYYY",
        )
    if isinstance(chosen, tuple) and len(chosen) == 2:
        return chosen[0], chosen[1]
    return first, last


def rule_caption(rule_ids: Sequence[str], label: str = "Rules behind this chart") -> None:
    """Name the rules (and sources) a chart's numbers follow, folded away until asked for."""
    settings = state.settings()
    described = [rule(r, settings) for r in dict.fromkeys(rule_ids)]
    # Titles as written: lower-casing them turned "Oswestry (ODI)" into "oswestry (odi)".
    titles = "; ".join(r.title for r in described)
    with st.expander(f"{label}: {titles}", icon=":material/menu_book:"):
        st.markdown("\n".join(f"- **{r.title}**: {r.text} *Source: {r.source}.*" for r in described))
        if "adherence_bands" in rule_ids:
            st.caption(present.band_key())


def picked_exercise(*events: Any) -> str | None:
    """The exercise selected in any chart (the first that has one), else ``None``."""
    for event in events:
        selection = getattr(event, "selection", None) or {}
        for point in selection.get("exercise_pick", []) or []:
            if isinstance(point, dict) and point.get("exercise"):
                return str(point["exercise"])
    return None


def exercise_card(exercise: Exercise, stats: dict[str, str] | None, compact: bool = False) -> None:
    """One exercise: picture, what it does, the steps, the dose, cautions, the source.

    ``compact`` stacks the picture above the text, for the narrow panel beside the charts.
    """
    if compact:
        picture, text = st.container(), st.container()
    else:
        picture, text = st.columns([2, 3], gap="medium")
    svg = exercise.svg()
    if svg:
        # In the narrow card a stretched picture grows taller than the text on a wide screen.
        picture.image(svg, width=360 if compact else "stretch")
    text.subheader(exercise.name)
    kind = "Stretch" if exercise.kind == "stretch" else "Strengthening"
    text.caption(f"{kind} · {exercise.purpose}")
    dose = []
    if exercise.hold_seconds:
        dose.append(f"hold {exercise.hold_seconds:g} s")
    if exercise.reps:
        dose.append(f"repeat {exercise.reps} times")
    dose.append(
        f"{present.times_a_day(exercise.rehab_per_day)} while it hurts, "
        f"{present.times_a_day(exercise.maintenance_per_day)} once the pain has gone"
    )
    text.markdown("**Dose:** " + "; ".join(dose))
    if stats:
        text.markdown(
            "**Your numbers:** " + " · ".join(f"{label}: {value}" for label, value in stats.items())
        )
    with text.expander("How to do it", expanded=stats is None):
        st.markdown("\n".join(f"{i}. {step}" for i, step in enumerate(exercise.steps, 1)))
        if exercise.cautions:
            st.markdown("**Take care:** " + " ".join(exercise.cautions))
        st.caption(f"Source: {exercise.source}")


def downloads(cohort: CohortAnalysis, patient_id: str, chart: alt.TopLevelMixin) -> None:
    """Downloads the user asks for: the pain chart (PNG), the summary (CSV), the report (PDF),
    the patient's logs, questionnaires and flags as a FHIR R4 Bundle (JSON) for an EHR.

    Each is built only when its button is pressed.
    """
    from rehab import charts
    from rehab.disclaimer import DISCLAIMER_LINES
    from rehab.fhir.export import patient_bundle_bytes
    from rehab.reports import summary_csv
    from rehab.reports.filenames import safe_filename

    # Two by two: four buttons in a row cut the PDF's label at 1280 px.
    png, csv = st.columns(2)
    pdf, fhir = st.columns(2)
    lazy_download(
        png,
        "Pain chart (PNG)",
        lambda: charts.chart_png(chart, footnote=DISCLAIMER_LINES),
        safe_filename(patient_id, "_pain.png", fallback="patient"),
        "image/png",
        ":material/image:",
    )
    lazy_download(
        csv,
        "Summary (CSV)",
        lambda: summary_csv(cohort, [patient_id]),
        safe_filename(patient_id, "_summary.csv", fallback="patient"),
        "text/csv",
        ":material/download:",
    )
    lazy_download(
        pdf,
        "Report for the record (PDF)",
        lambda: pdf_reports(cohort, [patient_id]),
        safe_filename(patient_id, "_report.pdf", fallback="patient"),
        "application/pdf",
        ":material/picture_as_pdf:",
    )
    data = state.dataset()
    lazy_download(
        fhir,
        "FHIR Bundle (JSON)",
        lambda: patient_bundle_bytes(
            state.imported(data),
            cohort,
            patient_id,
            library=state.library(),
            timezone=data.options.timezone,
        ),
        safe_filename(patient_id, ".fhir.json", fallback="patient"),
        "application/fhir+json",
        ":material/share:",
    )


def lazy_download(
    where: Any,
    label: str,
    build: Any,
    file_name: str,
    mime: str,
    icon: str,
    disabled: bool = False,
) -> None:
    # Built only when pressed (a callable), and pressing it does not rerun the page.
    where.download_button(
        label,
        data=build,
        file_name=file_name,
        mime=mime,
        on_click="ignore",
        icon=icon,
        width="stretch",
        disabled=disabled,
    )


def pdf_reports(cohort: CohortAnalysis, patient_ids: Sequence[str]) -> bytes:
    """The combined PDF of the patients given."""
    from rehab.reports.pdf import cohort_pdf

    return cohort_pdf(cohort, patient_ids)


def sidebar_footer() -> None:
    """The data-source line at the foot of the sidebar."""
    current = state.dataset()
    with st.sidebar:
        if current.source == "demo":
            st.caption("Showing the synthetic demo cohort.")
        elif current.source == "workspace":
            # The therapist chose to keep the logs: say where (the path is the clinic's own text).
            st.caption(literal(workspace_source.where()))
        else:
            st.caption(
                f"Showing your {plural(len(current.files), 'uploaded file')}, kept in memory "
                "for this browser session only."
            )


def disclaimer_footer() -> None:
    """The disclaimer and the red-flag list, on every page."""
    st.divider()
    st.caption(f":material/info: {DISCLAIMER}")
    with st.expander("Red-flag symptoms: when to seek urgent care"):
        st.markdown("\n".join(f"- {line}" for line in red_flag_lines()))
        st.caption(f"Sources: {RED_FLAG_SOURCE}.")
