"""One 2-worker local Dask cluster for the scale tests, and cohorts written as CSV files."""

from __future__ import annotations

import contextlib
import io
import logging
from typing import TYPE_CHECKING

import pytest

from rehab.cli import main

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from distributed import Client

pytest.importorskip("distributed", reason="the scale extra (dask, distributed) is not installed")


@pytest.fixture(scope="session")
def client() -> Iterator[Client]:
    """A 2-worker cluster in worker processes: tasks, rows and reports cross a pickle boundary."""
    from distributed import Client, LocalCluster

    logging.getLogger("distributed.shuffle._scheduler_plugin").setLevel(logging.ERROR)
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", memory_limit="2GB"
        ) as cluster,
        Client(cluster) as connected,
    ):
        yield connected


def run_cli(args: Sequence[str]) -> tuple[int, str, str]:
    """Run ``rehab ARGS`` in this process; return the exit status, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()
