"""The import report as people read it: counts per file, every issue with its row, and the
rejected rows to download, fix and import again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import streamlit as st

from app_pages import issue_views, state
from rehab import present
from rehab.importer.longform import SERIES_NAMES, VALUE_NAMES
from rehab.importer.mapping import (
    canonical_columns,
    file_header,
    header_fingerprint,
    known_columns,
    series_names,
)
from rehab.markup import literal
from rehab.reports.filenames import safe_filename
from rehab.schema import normalise_header
from rehab.wording import plural

if TYPE_CHECKING:
    from rehab.importer import FileImport, ImportBatch


def _import_title(batch: ImportBatch) -> str:
    files = batch.files
    rejected = sum(f.report.rejected for f in files)
    duplicates = sum(f.report.duplicates for f in files)
    accepted = sum(f.report.accepted for f in files)
    return (
        f"Import report: {plural(len(files), 'file')}, {plural(accepted, 'row')} accepted, "
        f"{rejected} rejected, {plural(duplicates, 'duplicate')}"
    )


def import_report(batch: ImportBatch, expanded: bool) -> None:
    """The import report one click away: every file, every issue with its row."""
    with st.expander(_import_title(batch), expanded=expanded, icon=":material/fact_check:"):
        archive_notes()
        for index, file in enumerate(batch.files):
            file_report(file, nested=True, index=index)


def archive_notes() -> None:
    """What unpacking the uploaded archives left out (entry names are the file's words)."""
    for note in state.dataset().notes:
        st.warning(literal(note), icon=":material/folder_zip:")


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
    archive_notes()
    st.dataframe(
        present.file_table(batch),
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(batch.files), 320),
        column_config={"file": st.column_config.TextColumn("File", pinned=True)},
    )
    flagged = [f for f in batch.files if f.report.issues or not f.report.usable]
    if flagged:
        st.caption(f"{plural(len(flagged), 'file')} with notes; clean files stay folded in the table.")
    for index, file in enumerate(flagged[:MAX_FILE_REPORTS]):
        file_report(file, nested=False, index=index)
    if len(flagged) > MAX_FILE_REPORTS:
        st.caption(f"and {len(flagged) - MAX_FILE_REPORTS} more: `rehab validate` lists them all.")


MAX_FILE_REPORTS = 30


def file_report(file: FileImport, nested: bool, index: int) -> None:
    """A file's counts, its issues in words (row, column, message) and downloads.

    The issues read as lines of text, in full on a phone; the same list is a CSV download
    (for a spreadsheet's wide view), beside the rejected rows to fix and import again.
    ``index`` (the file's place in the report) keys the downloads: two files of one upload
    may share a name (``week1/PT-1_pain.csv`` and ``week2/PT-1_pain.csv`` in one ZIP).
    """
    from rehab.safe_csv import to_safe_csv

    report = file.report
    label = literal(
        f"{report.file} ({report.kind or 'not recognised'}): {plural(report.rows, 'row')}, "
        f"{report.accepted} accepted, {report.rejected} rejected, "
        f"{plural(report.duplicates, 'duplicate')}, {plural(len(report.issues), 'note')}"
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
            issue_views.issue_lines(report.issues)
        elif not nested:
            st.caption("Every row was accepted.")
        downloads = st.columns(2) if report.issues and len(file.rejected) else [st.container()]
        if len(file.rejected):
            downloads[-1].download_button(
                "Rejected rows (CSV, to fix and re-import)",
                # Built when pressed: a page of reports would write every file's CSV per run.
                data=lambda: to_safe_csv(file.rejected),
                file_name=f"rejected_{safe_filename(report.file)}",
                mime="text/csv",
                on_click="ignore",
                icon=":material/download:",
                key=f"rejected_{nested}_{index}",
                help="The rows that were not imported, as they were, to fix and upload again.",
            )
        if report.issues:
            downloads[0].download_button(
                "These notes (CSV)",
                data=lambda: to_safe_csv(issue_views.issue_table(report.issues)),
                file_name=f"notes_{safe_filename(report.file)}",
                mime="text/csv",
                on_click="ignore",
                icon=":material/table:",
                key=f"notes_{nested}_{index}",
                help="Every note with its rows, row numbers and column, for a spreadsheet.",
            )


# --- reading options and the mapping step (the upload control area) -------------------

AS_WRITTEN = ""
TIMEZONES: dict[str, str] = {
    AS_WRITTEN: "As written",
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
    "1900": "From 1900 (Excel, Sheets)",
    "1904": "From 1904 (old Mac Excel)",
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
        help="Times stamped in UTC (ending in Z or +00:00) are moved to this zone's day; "
        "'As written' keeps them on the UTC day, with a warning. Times written with another "
        "offset keep their own day.",
    )
    system = area.selectbox(
        "Spreadsheet day numbers (46328) count",
        list(DATE_SYSTEMS),
        format_func=DATE_SYSTEMS.__getitem__,
        key=f"{key}_date_system",
        help="Only for dates a spreadsheet wrote as numbers: from 1900 in Excel, LibreOffice and "
        "Google Sheets; from 1904 in Excel for Mac before 2011.",
    )
    return (zone or None), ("1904" if system == "1904" else "1900")


SERIES = "@series"
VALUE = "@value"
_SPECIAL = {SERIES: "names the series (long file)", VALUE: "holds the series' values"}


@dataclass
class _Waiting:
    """Files with one header that a column choice could fix."""

    header: tuple[str, ...]
    names: list[str] = field(default_factory=list)
    data: bytes = b""


def _needs_mapping(data: state.Dataset, batch: ImportBatch) -> dict[str, _Waiting]:
    """Header fingerprint -> the files (with that header) a mapping could fix."""
    contents = dict(data.files)
    waiting: dict[str, _Waiting] = {}
    for file in batch.files:
        codes = {issue.code for issue in file.report.issues}
        if file.report.usable or not codes & _MAPPABLE or file.report.file not in contents:
            continue
        content = contents[file.report.file]
        header = file_header(content)
        if header:
            entry = waiting.setdefault(header_fingerprint(header), _Waiting(header, data=content))
            entry.names.append(file.report.file)
    return waiting


def _column_label(column: str) -> str:
    return _SPECIAL.get(column, column or "not used")


def _defaults(fingerprint: str, header: tuple[str, ...]) -> list[str]:
    """Return each column's first choice: the remembered long layout, else what rehab knows."""
    long = {key: columns for key, columns, _ in state.remembered_long()}.get(fingerprint)
    known = [column or NOT_USED for column in known_columns(header)]
    if long is None and not {"pain", "exercise"} & set(known):
        series = next((h for h in header if normalise_header(h) in SERIES_NAMES), None)
        value = next((h for h in header if normalise_header(h) in VALUE_NAMES), None)
        long = (series, value) if series and value else None
    if long is not None:
        for position, text in enumerate(header):
            if text == long[0]:
                known[position] = SERIES
            elif text == long[1]:
                known[position] = VALUE
    return known


def _remember(fingerprint: str, header: tuple[str, ...], key: str) -> None:
    chosen = [
        (text, st.session_state.get(f"{key}_{fingerprint}_{position}", NOT_USED))
        for position, text in enumerate(header)
    ]
    state.remember_mapping(
        fingerprint,
        tuple((text, column) for text, column in chosen if column and column not in _SPECIAL),
    )
    series = [text for text, column in chosen if column == SERIES]
    values = [text for text, column in chosen if column == VALUE]
    if len(series) == 1 and len(values) == 1:
        pain = st.session_state.get(f"{key}_{fingerprint}_series", "")
        state.remember_long(fingerprint, ((series[0], values[0]), ((pain, "pain"),) if pain else ()))
    else:
        state.remember_long(fingerprint, None)


def _series_choice(key: str, fingerprint: str, waiting: _Waiting, defaults: list[str]) -> None:
    """In a long file, which series is the pain score (offered from the file's own names)."""
    if SERIES not in defaults:
        return
    column = waiting.header[defaults.index(SERIES)]
    names = series_names(waiting.data, column)
    st.selectbox(
        "Which series is the pain score (0-10)?",
        ["", *names],
        format_func=lambda name: name or "the one named like pain (Pain, Back pain ...)",
        key=f"{key}_{fingerprint}_series",
        help="Only the rows of this series are read; the report counts the others.",
    )


def mapping_step(key: str) -> None:
    """For files whose columns rehab did not recognise: say which column is which.

    One form per distinct header; the choice is remembered for this session (never on
    disk) for every file with the same header, and the files are imported again. A long
    file (one row per measurement) is read by marking the column naming the series and
    the one holding its values, and choosing which series is the pain score.
    """
    data = state.dataset()
    if data.source != "upload":
        return
    options = [NOT_USED, *canonical_columns(), SERIES, VALUE]
    for fingerprint, waiting in _needs_mapping(data, state.imported(data)).items():
        with st.form(f"{key}_map_{fingerprint}"):
            st.markdown("**Which column is which?** rehab did not recognise the columns of:")
            st.text(", ".join(waiting.names))
            defaults = _defaults(fingerprint, waiting.header)
            for position, text in enumerate(waiting.header):
                label_area, choice_area = st.columns([3, 2], vertical_alignment="center")
                label_area.text(text.strip() or f"(column {position + 1} has no header)")
                choice_area.selectbox(
                    f"Column {position + 1}",
                    options,
                    index=options.index(defaults[position]) if defaults[position] in options else 0,
                    format_func=_column_label,
                    key=f"{key}_{fingerprint}_{position}",
                    label_visibility="collapsed",
                )
            _series_choice(key, fingerprint, waiting, defaults)
            st.caption(
                "A session log needs a date and an exercise column, a pain log a date and a "
                "pain column (0-10). Your choice is kept for this session only."
            )
            st.form_submit_button(
                "Import with these columns",
                on_click=_remember,
                args=(fingerprint, waiting.header, key),
                icon=":material/table_convert:",
            )
    remembered = {fingerprint for fingerprint, _ in state.remembered_mappings()}
    remembered |= {fingerprint for fingerprint, _, _ in state.remembered_long()}
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
