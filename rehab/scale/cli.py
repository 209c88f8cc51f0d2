"""``rehab summary --engine dask``: the options, and the command that runs on a cluster."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def add_summary_options(summary: argparse.ArgumentParser) -> None:
    """Add ``--engine``, ``--scheduler`` and ``--out`` to the summary command."""
    summary.add_argument(
        "--engine",
        choices=("pandas", "dask"),
        default="pandas",
        help="pandas: in this process (default); dask: partitioned by patient on a Dask cluster",
    )
    summary.add_argument(
        "--scheduler", default=None, metavar="ADDRESS", help="a running Dask scheduler (dask engine)"
    )
    summary.add_argument(
        "--out", type=Path, default=None, metavar="RESULT", help="write .parquet or .jsonl (dask engine)"
    )


def run_summary(args: argparse.Namespace) -> int:
    """Run the summary on Dask and return the exit status."""
    raise SystemExit("rehab: the dask engine is not available yet")
