"""rehab never multiplies matrices: numpy's BLAS must not start a pool of spinning threads."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="OpenBLAS starts no extra thread on one core"),
    pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux's /proc"),
]

# Threads of the interpreter after importing numpy, in a fresh process.
_COUNT_THREADS = "import os, {first}, numpy; print(len(os.listdir('/proc/self/task')))"


def _threads_after(first: str, **env: str) -> int:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OPENBLAS")}
    environment.update(env)
    result = subprocess.run(
        [sys.executable, "-c", _COUNT_THREADS.format(first=first)],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(result.stdout)


@pytest.mark.parametrize("first", ["rehab", "app_pages.serve"])
def test_the_command_line_and_the_server_keep_numpy_to_one_thread(first: str) -> None:
    # The plain interpreter shows the pool exists here, so the check below can fail.
    assert _threads_after("sys") > 1
    assert _threads_after(first) == 1


def test_a_users_own_blas_setting_is_kept() -> None:
    assert _threads_after("rehab", OPENBLAS_NUM_THREADS="2") == 2
