"""Where the therapist's workspace comes from: a file the clinic chose, a temporary demo, or none.

``REHAB_WORKSPACE=PATH`` or ``streamlit run app.py -- --workspace PATH`` opens (or creates) the
clinic's workspace file; ``REHAB_WORKSPACE=demo`` (what ``make run`` does) makes a temporary
demo workspace seeded with the sample cohort and deleted when the app stops. Without either the
app stores nothing: uploads stay in the browser session's memory, as before issue 11.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Final

import streamlit as st

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from rehab.store import Workspace

ENV_VAR: Final = "REHAB_WORKSPACE"
DEMO: Final = "demo"
SAMPLE_DIR: Final = Path(__file__).resolve().parents[1] / "sample_data"


def choice(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> str | None:
    """The workspace asked for: ``--workspace`` after ``--`` first, then ``REHAB_WORKSPACE``.

    The command line wins because it is the more deliberate of the two. Returns ``"demo"``,
    a path as written, or None when no workspace was chosen (also for an empty value).
    """
    arguments = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--workspace", default=None)
    known, _ = parser.parse_known_args(list(arguments))
    value = known.workspace or (os.environ if environ is None else environ).get(ENV_VAR, "")
    value = value.strip()
    return value or None


def workspace() -> Workspace | None:
    """The workspace of this app process (shared by every session), or None without one."""
    chosen = choice()
    return None if chosen is None else _open(chosen)


@st.cache_resource(show_spinner="Opening the workspace ...")
def _open(chosen: str) -> Workspace:
    # Keyed on the choice: one workspace per file (or one demo) for the whole process.
    if chosen.lower() == DEMO:
        from rehab.store.demo import temporary_demo

        return temporary_demo(SAMPLE_DIR)
    from rehab.store import Workspace

    return Workspace.open(Path(chosen).expanduser())


def is_demo() -> bool:
    """Whether the workspace is the temporary demo (its logs end on the cohort's last day).

    The pages open the demo as of its last log, as they open the bundled demo cohort; a
    clinic's workspace opens as of today.
    """
    chosen = choice()
    return chosen is not None and chosen.lower() == DEMO


def where() -> str:
    """Say in plain words where the data is kept (the path is the clinic's setting, not data).

    Show it with ``st.text`` or ``rehab.markup.literal``: a path may hold Markdown characters.
    """
    chosen = choice()
    if chosen is None:
        return "Nothing is stored: the files stay in this browser session's memory."
    if chosen.lower() == DEMO:
        return "Demo workspace (temporary, deleted when the app stops)"
    return f"Clinic workspace: {Path(chosen).expanduser().resolve()}"
