"""The feature's ``rehab`` subcommands (wired in by :data:`rehab.cli.FEATURE_COMMANDS`).

``rehab export fhir --out DIR [--as-of DATE] FILE...``: one FHIR R4 Bundle per patient.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

Handler = Callable[[argparse.Namespace], int]


def add_commands(commands: Any) -> dict[str, Handler]:
    """Add this feature's subparsers to ``commands``; return ``{command: handler}``."""
    from rehab.cli import _add_analysis_options, _add_input_options

    export = commands.add_parser("export", help="write the logs in another format (FHIR R4)")
    formats = export.add_subparsers(dest="format", required=True)
    fhir = formats.add_parser(
        "fhir",
        help="one FHIR R4 Bundle (JSON) per patient: pain and exercise Observations, "
        "questionnaires, flags",
    )
    _add_input_options(fhir)
    fhir.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="folder to write the bundles to"
    )
    _add_analysis_options(fhir)
    return {"export": cmd_export}


def cmd_export(args: argparse.Namespace) -> int:
    """Import, analyse and write one FHIR Bundle per patient; return the exit status."""
    from rehab.analysis import analyse
    from rehab.cli import _library, _load_batch, _settings, _unused_files
    from rehab.fhir.export import write_bundles

    settings = _settings(args.set)
    as_of = args.as_of or date.today()
    batch = _load_batch(args, as_of)
    library = _library(args)
    cohort = analyse(
        batch.sessions,
        batch.pain,
        measures=batch.measures,
        as_of=as_of,
        settings=settings,
        library=library,
    )
    if args.tz is None:
        print(
            "rehab: no --tz given: times of day are written as UTC (FHIR needs an offset); "
            "give the patients' zone, e.g. --tz Europe/London",
            file=sys.stderr,
        )
    written = write_bundles(batch, cohort, args.out, library=library, timezone=args.tz)
    print(f"wrote {len(written)} FHIR bundles to {args.out}")
    return _unused_files(batch)
