"""numpy as rehab sets it up (rehab/__init__.py): one BLAS thread, no huge pages asked for."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/task").is_dir(), reason="Linux: /proc and numpy's huge pages"
)

# What a fresh interpreter's numpy does once ``first`` is imported before it.
_THREADS = "import os, {first}, numpy; print(len(os.listdir('/proc/self/task')))"
_HUGE_PAGES = "import {first}, numpy._core.multiarray as m; print(int(m._get_madvise_hugepage()))"
# Ours, and what OpenBLAS reads when OPENBLAS_NUM_THREADS is unset (Dask's workers set one).
_SETTINGS = ("OPENBLAS_NUM_THREADS", "NUMPY_MADVISE_HUGEPAGE", "GOTO_NUM_THREADS", "OMP_NUM_THREADS")


def _run(code: str, first: str, **env: str) -> int:
    environment = {k: v for k, v in os.environ.items() if k not in _SETTINGS}
    environment.update(env)
    result = subprocess.run(
        [sys.executable, "-c", code.format(first=first)],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(result.stdout)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="OpenBLAS starts no extra thread on one core")
@pytest.mark.parametrize("first", ["rehab", "app_pages.serve"])
def test_the_command_line_and_the_server_keep_numpy_to_one_blas_thread(first: str) -> None:
    # The plain interpreter shows the pool exists here, so the check below can fail.
    assert _run(_THREADS, "sys") > 1
    assert _run(_THREADS, first) == 1


@pytest.mark.parametrize("first", ["rehab", "app_pages.serve"])
def test_numpy_asks_for_no_huge_pages(first: str) -> None:
    # numpy asks for them by default on this kernel: the check below can fail.
    assert _run(_HUGE_PAGES, "sys") == 1
    assert _run(_HUGE_PAGES, first) == 0


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="OpenBLAS starts no extra thread on one core")
def test_a_users_own_settings_are_kept() -> None:
    assert _run(_THREADS, "rehab", OPENBLAS_NUM_THREADS="2") == 2
    assert _run(_HUGE_PAGES, "rehab", NUMPY_MADVISE_HUGEPAGE="1") == 1
