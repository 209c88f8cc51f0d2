"""The launcher (issue 13): ``python -m app_pages.serve`` warms the first page before a visitor.

Counted, never timed: after the warm-up a visitor's first run imports and analyses nothing,
shares the warm-up's objects, and a visitor arriving during the warm-up waits for it instead
of doing the work twice. A clinic's workspace is never opened by the warm-up.
"""

from __future__ import annotations

import ast
import gc
import importlib.util
import json
import logging
import subprocess
import sys
import threading
from typing import TYPE_CHECKING, Any

import pytest
from streamlit import delta_generator, env_util

import rehab.analysis
import rehab.importer
import rehab.store
from app_pages import serve, shared, state, workspace_source
from rehab.sample import DEMO_FIRST_PATIENT
from tests.app.conftest import ROOT, latest_memo, shown, visit

if TYPE_CHECKING:
    from collections.abc import Iterator

    from streamlit.testing.v1 import AppTest


@pytest.fixture
def cold(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, list[Any]]]:
    """A process whose shared demo work is not done yet; counts the imports and analyses."""
    calls: dict[str, list[Any]] = {"import": [], "analyse": []}
    import_files, analyse = rehab.importer.import_files, rehab.analysis.analyse

    def counted_import(*args: Any, **kwargs: Any) -> Any:
        calls["import"].append(result := import_files(*args, **kwargs))
        return result

    def counted_analyse(*args: Any, **kwargs: Any) -> Any:
        calls["analyse"].append(result := analyse(*args, **kwargs))
        return result

    monkeypatch.setattr(rehab.importer, "import_files", counted_import)
    monkeypatch.setattr(rehab.analysis, "analyse", counted_analyse)
    monkeypatch.delenv(workspace_source.ENV_VAR, raising=False)
    shared.batch.clear()
    shared.analysis.clear()
    gc.unfreeze()
    yield calls
    gc.unfreeze()
    shared.batch.clear()
    shared.analysis.clear()
    workspace_source._open.clear()


def test_after_the_warm_up_the_first_visit_imports_and_analyses_nothing(cold):
    assert serve.warm_up(ready=lambda: True)
    assert (len(cold["import"]), len(cold["analyse"])) == (1, 1)

    first = visit()
    assert (len(cold["import"]), len(cold["analyse"])) == (1, 1)  # nothing done again
    assert latest_memo(first, "import") is cold["import"][0]
    assert latest_memo(first, "analysis") is cold["analyse"][0]
    assert shown(first.title[0].value) == f"My progress: {DEMO_FIRST_PATIENT}"


def test_the_warm_up_freezes_what_lives_as_long_as_the_process(cold):
    # Streamlit's full collection after each script run then skips the modules and the demo.
    assert gc.get_freeze_count() == 0
    assert serve.warm_up(ready=lambda: True)
    assert gc.get_freeze_count() > 0


def test_the_warm_up_collects_no_garbage_meanwhile_and_leaves_collection_on(cold, monkeypatch):
    # What it makes lives on (modules, the demo): automatic collections would find nothing.
    during = []
    warm_shared_demo = state.warm_shared_demo

    def watched() -> Any:
        during.append(gc.isenabled())
        return warm_shared_demo()

    monkeypatch.setattr(state, "warm_shared_demo", watched)
    assert gc.isenabled()
    assert serve.warm_up(ready=lambda: True)
    assert during == [False]
    assert gc.isenabled()


def test_the_warm_up_does_what_a_first_run_meets_first_before_the_demo(cold, monkeypatch):
    # A visitor who arrives while the demo is worked out finds the modules frozen and the
    # first-element check done: their first run (the root page) does neither itself.
    monkeypatch.setattr(delta_generator, "_use_warning_has_been_displayed", False)
    seen = []
    warm_shared_demo = state.warm_shared_demo

    def watched() -> Any:
        seen.append((gc.get_freeze_count(), delta_generator._use_warning_has_been_displayed))
        return warm_shared_demo()

    monkeypatch.setattr(state, "warm_shared_demo", watched)
    assert serve.warm_up(ready=lambda: True)
    assert len(seen) == 1
    frozen, checked = seen[0]
    assert frozen > 0
    assert checked
    assert gc.get_freeze_count() > frozen  # and the demo, afterwards


def test_after_the_warm_up_the_first_visit_does_not_inspect_the_stack(cold, monkeypatch):
    # Streamlit's once-per-process "are we in a Python prompt?" check, settled by the warm-up.
    monkeypatch.setattr(delta_generator, "_use_warning_has_been_displayed", False)
    checks = []
    is_repl = env_util.is_repl
    monkeypatch.setattr(env_util, "is_repl", lambda: checks.append(1) or is_repl())
    assert serve.warm_up(ready=lambda: True)
    visit()
    assert checks == []  # known under the launcher: nobody walks the stack


def test_without_the_warm_up_the_first_visit_inspects_the_stack_once(cold, monkeypatch):
    # The counting above sees the check when the visit makes it.
    monkeypatch.setattr(delta_generator, "_use_warning_has_been_displayed", False)
    checks = []
    is_repl = env_util.is_repl
    monkeypatch.setattr(env_util, "is_repl", lambda: checks.append(1) or is_repl())
    visit()
    visit()
    assert len(checks) == 1


def test_without_the_warm_up_the_first_visit_does_the_work(cold):
    # The counting sees the work when it is there: the test above could not pass by accident.
    visit()
    assert (len(cold["import"]), len(cold["analyse"])) == (1, 1)


def test_the_warm_up_prepares_the_demo_workspace_as_its_first_visit_opens_it(cold, monkeypatch):
    monkeypatch.setenv(workspace_source.ENV_VAR, "demo")
    stored, stored_frames = [], []
    frames = rehab.store.Workspace.frames

    def counted_frames(self: Any) -> Any:
        stored.append(self)
        stored_frames.append(result := frames(self))
        return result

    monkeypatch.setattr(rehab.store.Workspace, "frames", counted_frames)
    assert serve.warm_up(ready=lambda: True)  # seeding the demo imports and analyses, too
    warmed = (len(stored), len(cold["import"]), len(cold["analyse"]))
    assert warmed[0] == 1

    first = visit()
    assert (len(stored), len(cold["import"]), len(cold["analyse"])) == warmed
    assert latest_memo(first, "analysis") is cold["analyse"][-1]
    assert latest_memo(first, "import").sessions is stored_frames[0][0]


def test_a_clinic_workspace_is_never_opened_by_the_warm_up(cold, monkeypatch, tmp_path):
    clinic = tmp_path / "clinic.sqlite"
    monkeypatch.setenv(workspace_source.ENV_VAR, str(clinic))
    opened = []
    monkeypatch.setattr(rehab.store.Workspace, "open", lambda path: opened.append(path))
    assert serve.warm_up(ready=lambda: True)  # modules only
    assert state.warm_shared_demo() is None
    assert (opened, cold["import"], cold["analyse"]) == ([], [], [])
    assert not clinic.exists()


def test_a_visitor_arriving_during_the_warm_up_waits_for_it(cold, monkeypatch):
    began, go_on = threading.Event(), threading.Event()
    counted = rehab.importer.import_files

    def slow_import(*args: Any, **kwargs: Any) -> Any:
        began.set()
        assert go_on.wait(30)
        return counted(*args, **kwargs)

    monkeypatch.setattr(rehab.importer, "import_files", slow_import)
    warming = threading.Thread(target=serve.warm_up, kwargs={"ready": lambda: True})
    warming.start()
    assert began.wait(30)
    visits: list[AppTest] = []
    visitor = threading.Thread(target=lambda: visits.append(visit()))
    visitor.start()
    visitor.join(0.5)
    assert visitor.is_alive()  # waiting for the warm-up's import, not doing its own
    go_on.set()
    warming.join(30)
    visitor.join(60)
    assert len(visits) == 1
    assert (len(cold["import"]), len(cold["analyse"])) == (1, 1)
    assert latest_memo(visits[0], "import") is cold["import"][0]


def test_the_warm_up_thread_adds_no_context_warning_to_the_server_log(cold, monkeypatch, caplog):
    monkeypatch.setenv(workspace_source.ENV_VAR, "demo")  # its cache shows a spinner
    with caplog.at_level(logging.WARNING):
        serve.start_warm_up(ready=lambda: True).join(120)
    assert len(cold["analyse"]) >= 1
    assert "ScriptRunContext" not in caplog.text
    with caplog.at_level(logging.WARNING):
        workspace_source._open.clear()
        workspace_source.workspace()  # any other thread is still told
    assert "ScriptRunContext" in caplog.text


def test_the_warm_up_waits_for_the_server_and_gives_up_when_it_stops(cold):
    answers = iter([False, False, None])
    assert not serve.warm_up(ready=lambda: next(answers), poll=0)
    assert (cold["import"], cold["analyse"]) == ([], [])
    assert not serve.warm_up(ready=lambda: False, poll=0, timeout=0)
    assert (cold["import"], cold["analyse"]) == ([], [])


def test_a_failed_warm_up_logs_the_error_type_only_and_visitors_still_get_the_page(
    cold, monkeypatch, caplog
):
    def broken() -> None:
        raise ValueError("PT-0101 pain 7")  # a message that could hold data

    monkeypatch.setattr(state, "warm_shared_demo", broken)
    with caplog.at_level(logging.WARNING, logger=serve.__name__):
        assert not serve.warm_up(ready=lambda: True)
    assert "ValueError" in caplog.text
    assert "PT-0101" not in caplog.text
    assert gc.isenabled()  # collections back on after a failed warm-up too
    visit()
    assert (len(cold["import"]), len(cold["analyse"])) == (1, 1)


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def _app_imports(path: str) -> set[str]:
    """The app's own modules a file imports at its top ("from rehab import charts": rehab.charts)."""
    names: set[str] = set()
    for node in ast.parse((ROOT / path).read_text()).body:
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                names.add(full if _is_module(full) else node.module)
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
    return {name for name in names if name.startswith(("app_pages.", "rehab."))}


def test_the_warm_up_imports_what_the_first_page_imports():
    wanted = _app_imports("app.py") | _app_imports("app_pages/patient.py")
    assert "rehab.charts" in wanted
    assert wanted <= set(serve.FIRST_PAGE_MODULES), wanted - set(serve.FIRST_PAGE_MODULES)


LAUNCH = """
import json, sys
from streamlit.web import bootstrap
from app_pages import serve

def run(main_script_path, is_hello, args, flag_options):
    print(json.dumps([main_script_path, is_hello, args, flag_options["server_port"], sys.argv]))

bootstrap.run = run
serve.start_warm_up = lambda: print(json.dumps("warm-up started"))
serve.main(sys.argv[1:])
"""


def test_the_launcher_runs_streamlit_run_app_py_with_the_same_options_and_script_arguments(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", LAUNCH, "--server.port", "8642", "--", "--workspace", "demo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith(("[", '"'))]
    assert lines[0] == "warm-up started"
    script, is_hello, args, port, _ = lines[1]
    assert (script, is_hello, args, port) == (str(ROOT / "app.py"), False, ["--workspace", "demo"], 8642)
