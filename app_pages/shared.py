"""Work done once per app process: the synthetic demo data, shared by every session.

The bundled demo cohort and the temporary demo workspace hold made-up patients only, so their
import and analysis may be shared: the first visitor pays for them, later visitors (and the
first page after a restart, once warmed) do not. A user's uploads and a clinic's workspace never
come here (``app_pages.state`` decides). Nothing is written to disk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st
from altair.utils import schemapi

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date

    from rehab.analysis import CohortAnalysis
    from rehab.importer import ImportBatch

# Altair checks each part of a chart against the Vega-Lite schema as it is built (its "debug
# mode", for early error messages). The app's charts are the builders' of rehab.charts, whose
# whole specs the chart tests validate; the app skips the part-by-part checks (same charts).
schemapi.disable_debug_mode()


@st.cache_resource(show_spinner=False, max_entries=4)
def batch(digest: str, _build: Callable[[], ImportBatch]) -> ImportBatch:
    """The demo's import, built by ``_build`` once per content ``digest`` (not hashed)."""
    return _build()


@st.cache_resource(show_spinner=False, max_entries=16)
def analysis(digest: str, as_of: date, _build: Callable[[], CohortAnalysis]) -> CohortAnalysis:
    """The demo's analysis under the default rules, once per content and as-of day."""
    return _build()
