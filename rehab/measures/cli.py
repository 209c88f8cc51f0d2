"""The feature's ``rehab`` subcommands (wired in by :data:`rehab.cli.FEATURE_COMMANDS`)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

Handler = Callable[[argparse.Namespace], int]


def add_commands(commands: Any) -> dict[str, Handler]:
    """Add this feature's subparsers to ``commands``; return ``{command: handler}``."""
    return {}
