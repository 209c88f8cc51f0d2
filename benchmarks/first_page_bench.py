"""Benchmark the first page a visitor sees: ``/`` (forwarded to /progress) in headless chromium.

Starts the real server as ``make run`` does (``python -m app_pages.serve``: ``streamlit run
app.py`` with the first page warmed in the background) on a free loopback port, waits for
``/_stcore/health``, then opens the root URL in Debian's chromium (Playwright, the flags of
tests/e2e/conftest.py) in a fresh browser context per run, and times from the navigation to
the page being settled: the script has stopped (``data-test-script-state='notRunning'``) on
/progress, no element is stale, and every Vega-Lite chart has drawn its marks. The first run
after the server starts (cold: imports, caches, the demo's import and analysis) is reported
apart from the later ones (a new visitor of a running server).

Two modes, each with a server of its own: the bundled demo cohort (``plain``) and
``REHAB_WORKSPACE=demo`` (``workspace``, what ``make run`` serves and a clinic sees first).
The same runs also open a reference page (one title and one small Altair chart, a server of
its own): what any Streamlit page costs on this machine at that moment, since the machine is
shared. Never fails on speed: it measures and prints min and median.
Run: ``.venv/bin/python benchmarks/first_page_bench.py [--runs N] [--servers N]
[--mode plain|workspace|both] [--baseline DIR]`` (DIR: another checkout, e.g.
``git archive COMMIT | tar -x -C DIR`` with DIR/.venv linked to this .venv, timed in the same
rounds, interleaved).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parents[1]
STREAMLIT = ROOT / ".venv" / "bin" / "streamlit"
CHROMIUM = os.environ.get("REHAB_CHROMIUM", "/usr/bin/chromium")
# The same flags as the browser tests (tests/e2e/conftest.py CHROMIUM_FLAGS).
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Settled: on /progress, the script stopped, nothing stale, at least MIN charts, all drawn.
SETTLED = """([path, minCharts]) => {
  if (!location.pathname.endsWith(path)) return false;
  const app = document.querySelector("[data-testid='stApp']");
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector("[data-stale='true']")) return false;
  const charts = [...document.querySelectorAll("[data-testid='stVegaLiteChart']")];
  if (charts.length < minCharts) return false;
  return charts.every((c) => c.querySelector('svg.marks, canvas.marks'));
}"""
MODES = {"plain": None, "workspace": "demo"}
MIN_CHARTS = 4  # the progress page's own charts; the questionnaires add more
# The floor: Streamlit's own first page with one small Altair chart, in the same browser and
# run, so a figure can be read against what any Streamlit page costs on this machine now.
REFERENCE_APP = """import altair as alt
import pandas as pd
import streamlit as st

st.title("Reference")
frame = pd.DataFrame({"x": range(10), "y": range(10)})
st.altair_chart(alt.Chart(frame).mark_line().encode(x="x", y="y"))
"""


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_command(root: Path, script: Path | None) -> list[str]:
    """How the server starts: the app as ``make run`` starts it, another script as is.

    The app's launcher (``python -m app_pages.serve``, ``streamlit run app.py`` with the first
    page warmed) when the checkout has one; an older checkout (``--baseline``) and the
    reference page run ``streamlit run``.
    """
    if script is None and (root / "app_pages" / "serve.py").is_file():
        return [str(root / ".venv" / "bin" / "python"), "-m", "app_pages.serve"]
    return [str(STREAMLIT), "run", str(script) if script is not None else "app.py"]


@contextmanager
def server(
    workspace: str | None, log: Path, script: Path | None = None, root: Path = ROOT
) -> Iterator[tuple[str, float]]:
    """Run the app (or ``script``); yield its URL and the seconds from the start to health."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "REHAB_WORKSPACE"}
    if workspace is not None:
        env["REHAB_WORKSPACE"] = workspace
    command = [
        *start_command(root, script),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]
    began = time.perf_counter()
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited: {log.read_text(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.05)
            if time.perf_counter() - began > 120:
                raise RuntimeError("server not healthy in 120 s")
        yield url, time.perf_counter() - began
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def settle_once(browser: Browser, url: str, settled: tuple[str, int], shot: Path | None = None) -> float:
    """Seconds from navigating to ``url`` in a fresh context to the settled first page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        began = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_function(SETTLED, arg=list(settled), timeout=120_000, polling="raf")
        elapsed = time.perf_counter() - began
        if shot is not None:
            page.screenshot(path=str(shot), full_page=True)
        return elapsed
    finally:
        context.close()


def figures(values: list[float]) -> str:
    """Min and median, in seconds."""
    return f"min {min(values):.2f} s, median {statistics.median(values):.2f} s"


@dataclass
class Target:
    """One server to time: an app checkout in a mode (or the reference page)."""

    name: str
    mode: str
    root: Path = ROOT
    times: list[float] = field(default_factory=list)
    startup: float = 0.0


def _serve(target: Target, folder: Path, stack: ExitStack) -> tuple[str, tuple[str, int]]:
    """Start the target's server in ``stack``; return its URL and what settled means there."""
    script = None
    if target.mode == "reference":
        script = folder / "reference.py"
        script.write_text(REFERENCE_APP)
    url, target.startup = stack.enter_context(
        server(MODES.get(target.mode), folder / f"{target.name}.log", script, target.root)
    )
    return url, ("/", 1) if target.mode == "reference" else ("/progress", MIN_CHARTS)


def bench_round(browser: Browser, targets: list[Target], runs: int, shots: Path | None) -> None:
    """Load each target's first page ``runs`` times, interleaved, the first as its server is up.

    Loads go round-robin over the targets (A B C A B C ...), so a change in the machine's
    load touches every figure alike; each target's first load is its cold one, made as soon
    as its server answers the health check (a server started earlier and left idle would
    give a launcher that warms up in the background time no first visitor is sure to give).
    """
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        served: list[tuple[str, tuple[str, int]]] = []
        for run in range(runs):
            for index, target in enumerate(targets):
                if run == 0:
                    served.append(_serve(target, Path(folder), stack))
                url, settled = served[index]
                shot = shots / f"first_page_{target.name}_{run}.png" if shots is not None else None
                target.times.append(settle_once(browser, url, settled, shot))
        for target in targets:
            times = target.times[-runs:]
            later = times[1:] or times
            print(
                f"{target.name:20s} healthy after {target.startup:.2f} s | first run {times[0]:.2f} s"
                f" | later runs ({len(later)}): {figures(later)} | all: "
                + " ".join(f"{t:.2f}" for t in times),
                flush=True,
            )


def summary(targets: list[Target], runs: int) -> None:
    """Every target's cold and later loads over all rounds, and each against the reference."""
    reference = next((t for t in targets if t.mode == "reference"), None)

    def split(target: Target) -> tuple[list[float], list[float]]:
        rounds = [target.times[i : i + runs] for i in range(0, len(target.times), runs)]
        return [r[0] for r in rounds], [t for r in rounds for t in r[1:]]

    ref_later = statistics.median(split(reference)[1]) if reference and runs > 1 else None
    print("summary over all server starts:")
    for target in targets:
        first, later = split(target)
        line = f"  {target.name:20s} first runs: {figures(first)}"
        if later:
            line += f" | later runs: {figures(later)}"
            if ref_later:
                line += f" ({statistics.median(later) / ref_later:.2f}x the reference page)"
        print(line, flush=True)


def main(argv: list[str] | None = None) -> int:
    """Measure; print one line per target and server start, then a summary; never fail."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=6, help="page loads per server (the first cold)")
    parser.add_argument("--servers", type=int, default=2, help="server starts per target")
    parser.add_argument(
        "--mode",
        choices=[*MODES, "both"],
        default="both",
        help="plain (bundled demo), workspace (REHAB_WORKSPACE=demo) or both",
    )
    parser.add_argument(
        "--no-reference", action="store_true", help="skip the one-chart Streamlit page (the floor)"
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        default=None,
        help="another checkout of the app (e.g. from git archive) timed in the same rounds",
    )
    parser.add_argument("--screenshots", type=Path, default=None, help="folder for a PNG per run")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    if args.screenshots is not None:
        args.screenshots.mkdir(parents=True, exist_ok=True)
    modes = list(MODES) if args.mode == "both" else [args.mode]
    targets = [Target(mode, mode) for mode in modes]
    if args.baseline is not None:
        targets += [Target(f"baseline {mode}", mode, args.baseline.resolve()) for mode in modes]
    if not args.no_reference:
        targets.append(Target("reference", "reference"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        try:
            for _ in range(args.servers):
                bench_round(browser, targets, args.runs, args.screenshots)
        finally:
            browser.close()
    summary(targets, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
