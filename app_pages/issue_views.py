"""The import report's notes as lines of text: each reads in full on a phone.

A data grid cuts a sentence at its column's edge (and a phone shows a third of the grid), so
notes are lines of text; the same notes, with every row number, are a CSV download.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import streamlit as st

from rehab.markup import literal

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd

    from rehab.importer.report import ImportIssue

# Lines of notes drawn per file; the CSV download carries them all.
MAX_ISSUE_LINES: Final = 40


def issue_where(issue: ImportIssue) -> str:
    """Return where an issue is: "Rows 3-9 (7 rows), pain", "Row 4, date" or "Whole file"."""
    if issue.rows and issue.count > 1:
        place = f"Rows {issue.rows} ({issue.count:,} rows)"
    elif issue.row is not None:
        place = f"Row {issue.row}"
    else:
        place = "Whole file"
    return f"{place}, {issue.column}" if issue.column else place


def issue_lines(issues: Sequence[ImportIssue]) -> None:
    """Every issue on its own line of text (wraps on a phone), errors marked, capped."""
    lines = [
        f"- {':material/block:' if issue.severity == 'error' else ':material/info:'} "
        f"**{literal(issue_where(issue))}:** {literal(issue.message)}"
        for issue in issues[:MAX_ISSUE_LINES]
    ]
    st.markdown("\n".join(lines))
    if len(issues) > MAX_ISSUE_LINES:
        st.caption(f"and {len(issues) - MAX_ISSUE_LINES} more notes: the CSV below lists them all.")


def issue_table(issues: Sequence[ImportIssue]) -> pd.DataFrame:
    """The issues as a table (the notes download): where, what, and the rows in full."""
    import pandas as pd

    return pd.DataFrame(
        [issue.model_dump() for issue in issues],
        columns=["row", "rows", "count", "column", "severity", "code", "message"],
    )
