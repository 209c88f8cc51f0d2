"""The import report as people read it: counts per file, every issue with its row, and the
rejected rows to download, fix and import again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import streamlit as st

from app_pages import state
from rehab import present
from rehab.importer.mapping import canonical_columns, file_header, header_fingerprint, known_columns

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
    """Say near the top of a page that rows were not imported (or files not used), and where.

    One line after an upload: the counts, and that the import report below says why and
    offers the rejected rows to download and fix.
    """
    files = [f for f in batch.files if f.report.rejected]
    unusable = sum(not f.report.usable for f in batch.files)
    if not files and not unusable:
        return
    rows = sum(f.report.rejected for f in files)
    parts = []
    if files:
        parts.append(
            f"{rows} {'row was' if rows == 1 else 'rows were'} not imported, from {len(files)} "
            f"{'file' if len(files) == 1 else 'files'}"
        )
    if unusable:
        parts.append(f"{unusable} {'file' if unusable == 1 else 'files'} could not be used at all")
    hint = " and to download them to fix" if files else ""
    st.warning(
        f"{', and '.join(parts)}. Open the import report below to see which and why{hint}.",
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


# --- reading options and the mapping step (the upload control area) -------------------

AS_WRITTEN = ""
TIMEZONES: dict[str, str] = {
    AS_WRITTEN: "As written (UTC stamps stay UTC)",
    **{
        zone: zone.replace("_", " ")
        for zone in (
            "Europe/London",
            "Europe/Dublin",
            "Europe/Lisbon",
            "Europe/Paris",
            "Europe/Berlin",
            "Europe/Madrid",
            "Europe/Rome",
            "Europe/Amsterdam",
            "Europe/Zurich",
            "Europe/Stockholm",
            "Europe/Warsaw",
            "Europe/Athens",
            "Europe/Helsinki",
            "Europe/Istanbul",
            "Africa/Lagos",
            "Africa/Johannesburg",
            "Asia/Dubai",
            "Asia/Kolkata",
            "Asia/Singapore",
            "Asia/Shanghai",
            "Asia/Tokyo",
            "Australia/Perth",
            "Australia/Sydney",
            "Pacific/Auckland",
            "America/St_Johns",
            "America/Halifax",
            "America/Sao_Paulo",
            "America/New_York",
            "America/Chicago",
            "America/Denver",
            "America/Phoenix",
            "America/Los_Angeles",
            "America/Anchorage",
            "Pacific/Honolulu",
            "UTC",
        )
    },
}
DATE_SYSTEMS: dict[str, str] = {
    "1900": "From 1900 (Excel, LibreOffice, Google Sheets)",
    "1904": "From 1904 (older Excel for Mac)",
}
NOT_USED = ""
# Problems a column mapping can fix: rehab did not recognise the columns it needs.
_MAPPABLE = frozenset({"unknown_kind", "no_date_column", "no_series", "long_columns"})


def reading_options(area: Any, key: str) -> tuple[str | None, Literal["1900", "1904"]]:
    """The time zone and spreadsheet date system choices; returns (zone or None, system)."""
    zone = area.selectbox(
        "Time zone of the logs",
        list(TIMEZONES),
        format_func=TIMEZONES.__getitem__,
        key=f"{key}_timezone",
        help="Times stamped in UTC (ending in Z or +00:00) are moved to this zone's day. "
        "Times written with another offset keep their own day.",
    )
    system = area.selectbox(
        "Spreadsheet day numbers (46328) count",
        list(DATE_SYSTEMS),
        format_func=DATE_SYSTEMS.__getitem__,
        key=f"{key}_date_system",
        help="Only for dates a spreadsheet wrote as numbers.",
    )
    return (zone or None), ("1904" if system == "1904" else "1900")


Waiting = dict[str, tuple[tuple[str, ...], list[str]]]


def _needs_mapping(data: state.Dataset, batch: ImportBatch) -> Waiting:
    """Header fingerprint -> (header, file names) of the files a mapping could fix."""
    contents = dict(data.files)
    waiting: Waiting = {}
    for file in batch.files:
        codes = {issue.code for issue in file.report.issues}
        if file.report.usable or not codes & _MAPPABLE or file.report.file not in contents:
            continue
        header = file_header(contents[file.report.file])
        if header:
            waiting.setdefault(header_fingerprint(header), (header, []))[1].append(file.report.file)
    return waiting


def _column_label(column: str) -> str:
    return column or "not used"


def _remember(fingerprint: str, header: tuple[str, ...], key: str) -> None:
    chosen = [
        (text, st.session_state.get(f"{key}_{fingerprint}_{position}", NOT_USED))
        for position, text in enumerate(header)
    ]
    state.remember_mapping(fingerprint, tuple((text, column) for text, column in chosen if column))


def mapping_step(key: str) -> None:
    """For files whose columns rehab did not recognise: say which column is which.

    One form per distinct header; the choice is remembered for this session (never on
    disk) for every file with the same header, and the files are imported again.
    """
    data = state.dataset()
    if data.source != "upload":
        return
    for fingerprint, (header, names) in _needs_mapping(data, state.imported(data)).items():
        with st.form(f"{key}_map_{fingerprint}"):
            st.markdown("**Which column is which?** rehab did not recognise the columns of:")
            st.text(", ".join(names))
            known = known_columns(header)
            for position, text in enumerate(header):
                label_area, choice_area = st.columns([3, 2], vertical_alignment="center")
                label_area.text(text.strip() or f"(column {position + 1} has no header)")
                options = [NOT_USED, *canonical_columns()]
                default = known[position] or NOT_USED
                choice_area.selectbox(
                    f"Column {position + 1}",
                    options,
                    index=options.index(default) if default in options else 0,
                    format_func=_column_label,
                    key=f"{key}_{fingerprint}_{position}",
                    label_visibility="collapsed",
                )
            st.caption(
                "A session log needs a date and an exercise column, a pain log a date and a "
                "pain column (0-10). Your choice is kept for this session only."
            )
            st.form_submit_button(
                "Import with these columns",
                on_click=_remember,
                args=(fingerprint, header, key),
                icon=":material/table_convert:",
            )
    remembered = {fingerprint for fingerprint, _ in state.remembered_mappings()}
    chosen = sorted(remembered & set(state.header_fingerprints(data)))
    if chosen:
        st.button(
            "Choose the columns again",
            on_click=state.forget_mappings,
            args=(chosen,),
            key=f"{key}_remap",
            icon=":material/undo:",
            help="Forget the column choices made for these files, and choose again.",
        )
