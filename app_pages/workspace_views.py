"""The clinic workspace on the pages: import into it, review patients, export or forget one.

Shown only when the app was started with a workspace (``state.workspace()``); without one the
pages never call these and nothing is written to disk. Notes, names, ids and file names are
the users' words: they go to dataframes, ``st.text`` or through ``rehab.markup.literal``.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Final

import pandas as pd
import streamlit as st

from app_pages import import_views, state, workspace_source
from app_pages.views import DATE_ORDERS
from rehab.importer.report import ImportOptions
from rehab.markup import literal
from rehab.reports.filenames import safe_filename
from rehab.review import (
    NEW_RULE,
    WEEK_RULE,
    difference_words,
    provenance_row,
    snooze_problem,
    when_words,
)
from rehab.wording import plural

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rehab.analysis import CohortAnalysis
    from rehab.store import Conflict, Review, Workspace, WorkspaceImport
    from rehab.store.rows import StoredKind

ACTIONS: Final = {"reviewed": "Reviewed the logs", "contacted": "Contacted the patient"}
ACTION_WORDS: Final = {"reviewed": "Reviewed", "contacted": "Contacted"}
SAVED_KEY: Final = "workspace_review_saved"
RENAMED: Final = "imports_renamed"
LOG_READERS: Final = ("sessions", "pain", "measures")  # Workspace methods, by conflict kind
MAX_CONFLICTS: Final = 200
LOG_WORDS: Final = {"sessions": "session", "pain": "pain", "measures": "questionnaire"}
FORGOTTEN_KEY: Final = "workspace_forgotten"
# Words for the kinds of stored records the workspace counts (others show their own name).
RECORD_WORDS: Final = {
    "sessions": ("session row", "session rows"),
    "pain": ("pain entry", "pain entries"),
    "measures": ("questionnaire answer", "questionnaire answers"),
    "reviews": ("review", "reviews"),
    # The audit trail keeps its counts; only file names holding the id are cleared.
    RENAMED: (
        "file name holding the id was cleared",
        "file names holding the id were cleared",
    ),
}


IMPORT_RESULT_KEY = "workspace_import_result"


def import_into_workspace(
    files: Sequence[tuple[str, bytes]], options: ImportOptions = state.DEFAULT_OPTIONS
) -> WorkspaceImport:
    """Import uploaded files (ZIPs unpacked) into the workspace, as the signed-in user.

    The result (what was added, already stored, or in conflict) is kept for this session to
    show; the files themselves are not kept in the session.
    """
    from app_pages import auth
    from rehab.archive import expand_uploads

    store = state.workspace()
    if store is None:
        raise RuntimeError("no workspace: uploads stay in the session's memory")
    options = options.model_copy(
        update={
            "header_mappings": state.remembered_mappings(),
            "header_long": state.remembered_long(),
        }
    )
    unpacked = expand_uploads(files)
    result = store.import_files(
        unpacked.files, by=auth.current_user(), options=options, library=state.library()
    )
    st.session_state[IMPORT_RESULT_KEY] = (result, tuple(unpacked.notes))
    return result


def last_import() -> tuple[WorkspaceImport, tuple[str, ...]] | None:
    """This session's last import into the workspace and the archive notes, if any."""
    kept = st.session_state.get(IMPORT_RESULT_KEY)
    return kept if isinstance(kept, tuple) else None


def record_review(
    patient_id: str,
    *,
    action: str,
    note: str,
    snooze_until: date | None,
    flags: Sequence[str],
) -> None:
    """Store a review of the patient by the signed-in user, with the flags they have now."""
    from app_pages import auth

    store = state.workspace()
    if store is None:
        raise RuntimeError("no workspace to record a review in")
    store.review(
        patient_id,
        action="contacted" if action == "contacted" else "reviewed",
        note=note,
        by=auth.current_user(),
        snooze_until=snooze_until,
        flags=list(flags),
    )


def _count(count: int, kind: str) -> str:
    one, many = RECORD_WORDS.get(kind, (kind, kind))
    return f"{count} {one if count == 1 else many}"


def where_caption() -> None:
    """Say where the data is kept (the clinic's path is shown as text, never as Markdown)."""
    st.caption(f":material/database: {literal(workspace_source.where())}")


def workspace_upload() -> None:
    """Import uploaded files into the workspace, then say what was added, kept and in conflict.

    A form, so the files are imported once, on the button, and the uploader empties after.
    """
    with st.expander("Import patients' logs into the workspace", icon=":material/upload_file:"):
        with st.form("workspace_import", clear_on_submit=True, border=False):
            uploads = st.file_uploader(
                "Patients' logs: CSV files or ZIP archives of them",
                type=["csv", "txt", "tsv", "zip", "json", "ndjson"],
                accept_multiple_files=True,
                key="workspace_upload",
                help="Rows are added to what the workspace holds; rows it already has are "
                "counted, not stored twice, and a row that differs from a stored one is listed, "
                "never overwritten.",
            )
            order_area, reading_area = st.columns(2)
            date_order = order_area.selectbox(
                "Dates like 03/04/2026 mean",
                list(DATE_ORDERS),
                format_func=DATE_ORDERS.__getitem__,
                key="workspace_date_order",
            )
            timezone, date_system = import_views.reading_options(reading_area, "workspace")
            pressed = st.form_submit_button(
                "Import into the workspace", icon=":material/save:", key="workspace_import_button"
            )
        if pressed and uploads:
            options = ImportOptions(date_order=date_order, timezone=timezone, date_system=date_system)
            with st.spinner("Importing ..."):
                import_into_workspace([(f.name, f.getvalue()) for f in uploads], options)
        elif pressed:
            st.info("Choose one or more files first.", icon=":material/info:")
    import_result()


def import_words(result: WorkspaceImport) -> str:
    """One line: files, rows added per kind, rows already stored, conflicts."""
    files = plural(len(result.batch.files), "file")
    added = [_count(n, kind) for kind, n in result.added.items() if n]
    added_words = ", ".join(added) if added else "no new rows"
    stored = result.already_stored
    stored_words = f"{stored} {'row was' if stored == 1 else 'rows were'} already stored"
    conflicts = plural(len(result.conflicts), "conflict") if result.conflicts else "no conflicts"
    return f"Imported {files}: added {added_words}; {stored_words}; {conflicts}."


def conflict_table(conflicts: Sequence[Conflict], result: WorkspaceImport) -> pd.DataFrame:
    """The conflicts as a table: which record, which new row, which stored row, what differs.

    The values are read back from the import and the store (shown here, never logged).
    """
    store = state.workspace()
    stored: dict[tuple[str, str], pd.DataFrame] = {}

    def values(conflict: Conflict) -> str:
        kind = str(conflict.kind)
        new_frame = getattr(result.batch, kind, None)
        key = (kind, conflict.patient_id)
        if key not in stored and store is not None and kind in LOG_READERS:
            stored[key] = getattr(store, kind)(conflict.patient_id)
        return difference_words(
            conflict.columns,
            provenance_row(stored.get(key), conflict.stored_file, conflict.stored_row),
            provenance_row(new_frame, conflict.file, conflict.row),
        )

    return pd.DataFrame(
        {
            "Patient": [c.patient_id for c in conflicts],
            "Log": [LOG_WORDS.get(str(c.kind), str(c.kind)) for c in conflicts],
            "Day": [c.date.isoformat() for c in conflicts],
            "Time": [c.time or "-" for c in conflicts],
            "Exercise": [c.exercise or "-" for c in conflicts],
            "New row (not stored)": [f"{c.file}, row {c.row or '?'}" for c in conflicts],
            "Stored row (kept)": [f"{c.stored_file}, row {c.stored_row or '?'}" for c in conflicts],
            "What differs": [values(c) for c in conflicts],
        }
    )


def import_result() -> None:
    """This session's last import: the counts, each conflict, and the files' reports."""
    kept = last_import()
    if kept is None:
        return
    result, notes = kept
    st.success(import_words(result), icon=":material/task_alt:")
    for note in notes:
        st.warning(literal(note), icon=":material/folder_zip:")
    if result.conflicts:
        one = len(result.conflicts) == 1
        st.warning(
            f"{len(result.conflicts)} {'row differs' if one else 'rows differ'} from what the "
            "workspace already holds for the same patient, day and time (and exercise). The "
            f"stored {'row was' if one else 'rows were'} kept and the new "
            f"{'one was' if one else 'ones were'} not stored: check with the patient, correct "
            "the file and import it again.",
            icon=":material/difference:",
        )
        shown = result.conflicts[:MAX_CONFLICTS]
        st.dataframe(conflict_table(shown, result), hide_index=True, width="stretch")
        if len(result.conflicts) > MAX_CONFLICTS:
            st.caption(f"The first {MAX_CONFLICTS}; `rehab workspace import --json` lists them all.")
    import_views.rejected_notice(result.batch)
    import_views.import_report(result.batch, expanded=False)


def forgotten_notice() -> None:
    """After a patient was forgotten: say once what was removed."""
    kept = st.session_state.pop(FORGOTTEN_KEY, None)
    if kept is None:
        return
    patient_id, removed = kept
    st.success(forgotten_words(patient_id, removed), icon=":material/delete:")


def forgotten_words(patient_id: str, removed: dict[str, int]) -> str:
    """Say exactly what forgetting removed (and which file names it cleared), as Markdown."""
    renamed = removed.get(RENAMED, 0)
    parts = [_count(n, kind) for kind, n in removed.items() if kind != RENAMED and n]
    words = " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts)
    cleared = f" The import records keep their counts; {_count(renamed, RENAMED)}." if renamed else ""
    return f"Forgot {literal(patient_id)}: removed {words or 'nothing'} from the workspace.{cleared}"


def set_aside_toggle(count: int) -> bool:
    """The switch that shows reviewed and snoozed patients again; True when on."""
    return st.toggle(
        f"Show reviewed and snoozed ({count})",
        key="show_reviewed",
        persist_state="session",
        help="Patients reviewed with nothing new since, and snoozed ones, wait below the "
        "list; anything new brings them back up.",
    )


def review_rules_caption() -> None:
    """Where the review columns come from (both are the app's own defaults)."""
    with st.expander("How 'New since review' and 'This week vs last' are worked out"):
        for rule in (NEW_RULE, WEEK_RULE):
            st.markdown(f"**{rule.title}**: {rule.text} *Source: {rule.source}.*")


def review_form(patient_id: str, flag_codes: Sequence[str], *, key: str) -> None:
    """Record a review: reviewed or contacted, a note, and a snooze date (not in the past)."""
    saved = st.session_state.pop(SAVED_KEY, None)
    if saved:
        st.success(literal(saved), icon=":material/task_alt:")
    with st.form(f"review_{key}", clear_on_submit=True):
        action = st.radio(
            "What did you do?",
            list(ACTIONS),
            format_func=ACTIONS.__getitem__,
            horizontal=True,
            key=f"review_action_{key}",
        )
        note = st.text_area("Note (optional)", max_chars=2000, height=80, key=f"review_note_{key}")
        snooze = st.date_input(
            "Snooze until (optional)",
            value=None,
            key=f"review_snooze_{key}",
            help="Keeps the patient below the list until this day, unless something new comes.",
        )
        pressed = st.form_submit_button(
            "Save review", icon=":material/done:", type="primary", key=f"review_save_{key}"
        )
    if not pressed:
        return
    until = snooze if isinstance(snooze, date) else None
    problem = snooze_problem(until, date.today())
    if problem:
        st.error(problem, icon=":material/event_busy:")
        return
    record_review(patient_id, action=str(action), note=note or "", snooze_until=until, flags=flag_codes)
    snoozed = f", snoozed until {until.day} {until:%b %Y}" if until else ""
    st.session_state[SAVED_KEY] = f"Saved: {patient_id} {action}{snoozed}."
    st.rerun()


def review_panel(cohort: CohortAnalysis, patient_ids: Sequence[str]) -> None:
    """The screening page's review action, for the patient last opened (or chosen here)."""
    if not patient_ids:
        return
    st.subheader("Record a review")
    ids = list(patient_ids)
    opened = str(st.session_state.get("patient"))
    index = ids.index(opened) if opened in ids else 0
    patient_id = str(st.selectbox("Patient", ids, index=index, key="review_patient"))
    flags = [flag.code for flag in cohort.patients[patient_id].summary.flags]
    review_form(patient_id, flags, key="screening")


def history_table(reviews: Sequence[Review]) -> pd.DataFrame:
    """The reviews as a table, newest first (the store's order)."""
    return pd.DataFrame(
        {
            # The note early: on a phone the columns after it need a sideways scroll.
            "When": [when_words(r.at, year=True) for r in reviews],
            "Action": [ACTION_WORDS.get(r.action, r.action) for r in reviews],
            "Note": [r.note or "-" for r in reviews],
            "By": [r.by or "-" for r in reviews],
            "Snoozed until": [
                f"{r.snooze_until.day} {r.snooze_until:%b %Y}" if r.snooze_until else "-"
                for r in reviews
            ],
        }
    )


def patient_panel(cohort: CohortAnalysis, patient_id: str) -> None:
    """On a patient's page in workspace mode: review history and form, export, forget."""
    store = state.workspace()
    if store is None or state.dataset().source != "workspace":
        return
    st.divider()
    st.subheader("Reviews")
    reviews = store.reviews(patient_id)
    if reviews:
        st.dataframe(history_table(reviews), hide_index=True, width="stretch")
    else:
        st.caption("Not reviewed yet.")
    flags = [flag.code for flag in cohort.patients[patient_id].summary.flags]
    review_form(patient_id, flags, key="patient")
    st.subheader("Stored logs")
    export_area, forget_area = st.columns(2, gap="large")
    with export_area:
        export_buttons(store, patient_id)
    with forget_area:
        forget_control(patient_id)


def export_buttons(store: Workspace, patient_id: str) -> None:
    """Export this patient's logs: one CSV per kind of log, in rehab's own format.

    Each file is written when its button is pressed (a callable), from the rows stored then:
    the page itself only asks which kinds of log the patient has.
    """
    st.markdown("**Export this patient's logs**")
    for index, (name, kind) in enumerate(store.export_names(patient_id).items()):
        st.download_button(
            literal(name),
            data=partial(_export_file, store, patient_id, kind, name),
            file_name=safe_filename(name, fallback="logs.csv"),
            mime="text/csv",
            on_click="ignore",
            icon=":material/download:",
            key=f"workspace_export_{index}",
            width="stretch",
        )
    st.caption("The stored rows as rehab CSV files: importing them again changes nothing.")


def _export_file(store: Workspace, patient_id: str, kind: StoredKind, name: str) -> bytes:
    # The rows of one kind as stored now (none left, after a forget in another session: empty).
    return store.export_csv(patient_id, [kind]).get(name, b"")


def forget_control(patient_id: str) -> None:
    """Forget every stored record of the patient, asked twice: a tick and the typed id."""
    with st.expander("Forget this patient", icon=":material/delete:"):
        st.caption(
            "Removes every stored log and review of this patient from the workspace; the import "
            "records keep their counts, and file names that hold the id are cleared. It cannot "
            "be undone: export the logs first if they may be needed."
        )
        # No id in the label: screen readers would read literal()'s escapes out loud.
        sure = st.checkbox("Remove everything stored for this patient", key=f"forget_sure_{patient_id}")
        typed = st.text_input("Type the patient id to confirm", key=f"forget_typed_{patient_id}")
        ready = bool(sure) and (typed or "").strip() == patient_id
        pressed = st.button(
            "Forget this patient",
            type="primary",
            disabled=not ready,
            key=f"forget_{patient_id}",
            icon=":material/delete_forever:",
        )
    if pressed and ready:
        store = state.workspace()
        if store is None:
            return
        removed = store.forget(patient_id)
        st.session_state[FORGOTTEN_KEY] = (patient_id, dict(removed))
        state.use_demo()  # back to the workspace, no patient chosen
        st.switch_page("app_pages/screening.py")
