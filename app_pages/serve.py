"""Start the app as ``streamlit run app.py`` does, with the first page's work done before a visitor.

``python -m app_pages.serve [streamlit options] [-- --workspace PATH]`` (what ``make run``
does) runs Streamlit's own command line, ``streamlit run <repo>/app.py`` with the same options,
and starts one background thread. Once the server answers its health check, that thread
imports the modules the first page needs (pandas, Altair, the app's pages) and works out the
shared synthetic demo (``app_pages.state.warm_shared_demo``): the first visitor after a start
no longer pays for them, later visitors are served as before.

What the warm-up must never do:

* touch a user's data: it only prepares the bundled demo cohort or the temporary demo
  workspace (``REHAB_WORKSPACE=demo``); with a clinic's workspace it only imports modules;
* delay the health check: it waits until Streamlit's runtime is up before doing anything;
* work twice or crash a visitor: a visitor arriving during the warm-up waits on the same
  import locks and ``st.cache_resource`` compute locks, and gets the warm-up's objects; an
  error in the warm-up is logged (its type only) and the visitor simply does the work itself.
"""

from __future__ import annotations

import gc
import importlib
import logging
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Final

# Loaded before Streamlit loads numpy, so numpy keeps to one BLAS thread (rehab/__init__.py).
import rehab  # noqa: F401

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

APP: Final = Path(__file__).resolve().parents[1] / "app.py"
# What the app's entry point and its first page (app_pages/patient.py) import on a first run,
# at the top of the files and inside the functions the page calls (tests/app/test_serve.py
# checks that a first run after the warm-up imports none of the app's modules).
FIRST_PAGE_MODULES: Final = (
    "app_pages.auth",
    "app_pages.state",
    "app_pages.views",
    "app_pages.import_views",
    "app_pages.measures_views",
    "app_pages.progress_views",
    "app_pages.workspace_views",
    "rehab.charts",
    "rehab.present",
    "rehab.markup",
    "rehab.sample.stories",
    "rehab.disclaimer",
    "rehab.fhir.export",
    "rehab.reports",
    "rehab.reports.filenames",
    "rehab.measures.rules",
    # Streamlit's own: the page icon (an image file) and the pages' ":material/...:" icons.
    "PIL.Image",
    "PIL.PngImagePlugin",
    "streamlit.material_icon_names",
)
READY_POLL_SECONDS: Final = 0.02
READY_TIMEOUT_SECONDS: Final = 120.0
THREAD_NAME: Final = "rehab-warm-up"
# Streamlit warns of a "missing ScriptRunContext" whenever a thread without a session touches a
# cached function with a spinner (the demo workspace's): true and harmless for the warm-up.
CONTEXT_LOGGER: Final = "streamlit.runtime.scriptrunner_utils.script_run_context"
_LOGGER = logging.getLogger(__name__)


def _not_from_warm_up(record: logging.LogRecord) -> bool:
    return record.threadName != THREAD_NAME


def runtime_ready() -> bool | None:
    """True once Streamlit's runtime serves (its health check says ok), None once it stops."""
    from streamlit.runtime import Runtime, RuntimeState

    if not Runtime.exists():
        return False
    current = Runtime.instance().state
    if current in {RuntimeState.STOPPING, RuntimeState.STOPPED}:
        return None
    return current is not RuntimeState.INITIAL


def warm_up(
    ready: Callable[[], bool | None] = runtime_ready,
    poll: float = READY_POLL_SECONDS,
    timeout: float = READY_TIMEOUT_SECONDS,
) -> bool:
    """Wait for ``ready``, then import the first page's modules and warm the shared demo.

    Returns whether it warmed (False when the server stopped or never came up, or on an
    error, which is logged without its message: the visitor's run then does the work).
    """
    deadline = time.monotonic() + timeout
    while not (up := ready()):
        if up is None or time.monotonic() > deadline:
            return False
        time.sleep(poll)
    # Nearly every object the warm-up makes lives as long as the process (the modules, the
    # shared demo): the automatic garbage collections it would trigger (0.1 s of its 0.9 s,
    # two of them full) find next to nothing, so they wait until it is done. And Streamlit
    # runs a full collection after every script run (runner.postScriptGC), twice on a first
    # visit (the root page switches to the progress page): what lives as long as the process
    # is frozen out of it (gc.freeze).
    collecting = gc.isenabled()
    gc.disable()
    try:
        for name in FIRST_PAGE_MODULES:
            importlib.import_module(name)
        # What a first run meets before the page's data, done before the demo: a visitor who
        # comes while the demo is worked out does not do it (or collect the modules) meanwhile.
        _first_element_check()
        _page_icon()
        _first_chart()
        gc.freeze()
        from app_pages import state

        state.warm_shared_demo()
    except Exception as error:  # a failed warm-up must not stop the server
        _LOGGER.warning("The start-up warm-up failed (%s); visitors do the work.", type(error).__name__)
        return False
    finally:
        if collecting:
            gc.enable()
    gc.freeze()
    return True


def _first_element_check() -> None:
    """Settle Streamlit's once-per-process check of the first element ever drawn, ahead of it.

    Before the first element, Streamlit asks whether it runs in a Python prompt, to print a
    "use streamlit run" hint, by walking the stack with ``inspect``, which looks up the source
    file of every loaded module: a tenth of a second of the first visitor's run. Under
    ``streamlit run`` (this launcher) the answer is known, no: nothing is ever printed, so the
    check is marked done. The flag is Streamlit's own; without it, the visitor checks.
    """
    from streamlit import delta_generator

    if hasattr(delta_generator, "_use_warning_has_been_displayed"):
        delta_generator._use_warning_has_been_displayed = True


def _page_icon() -> None:
    """Load what serving the page icon (a PNG) loads first.

    Pillow's common image plugins, and the system's table of file types (/etc/mime.types).
    """
    import mimetypes

    from PIL import Image

    Image.preinit()
    mimetypes.init()


def _first_chart() -> None:
    """Turn a one-point chart of made-up data into a spec: Altair's first conversion of a
    pandas frame imports its data layer (narwhals), which every page's charts then use."""
    import altair as alt
    import pandas as pd

    alt.Chart(pd.DataFrame({"day": [0], "pain": [0]})).mark_line().encode(x="day", y="pain").to_dict()


def start_warm_up(ready: Callable[[], bool | None] = runtime_ready) -> threading.Thread:
    """Run :func:`warm_up` in a daemon thread (it never keeps the process alive)."""
    context_logger = logging.getLogger(CONTEXT_LOGGER)
    if _not_from_warm_up not in context_logger.filters:
        context_logger.addFilter(_not_from_warm_up)
    thread = threading.Thread(target=warm_up, args=(ready,), name=THREAD_NAME, daemon=True)
    thread.start()
    return thread


def main(argv: Sequence[str] | None = None) -> None:
    """``streamlit run app.py ARGV`` (Streamlit's own command line), warmed; exits like it."""
    from streamlit.web import cli

    arguments = list(sys.argv[1:] if argv is None else argv)
    start_warm_up()
    cli.main(["run", str(APP), *arguments], prog_name="streamlit")


if __name__ == "__main__":
    main()
