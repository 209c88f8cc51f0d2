"""The feature's ``rehab`` subcommands (wired in by :data:`rehab.cli.FEATURE_COMMANDS`).

``rehab measures [--json] FILE...``: one scored questionnaire per row of the measures logs.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from rehab.importer import ImportBatch

Handler = Callable[[argparse.Namespace], int]


def add_commands(commands: Any) -> dict[str, Handler]:
    """Add this feature's subparsers to ``commands``; return ``{command: handler}``."""
    from rehab.cli import _add_analysis_options, _add_input_options

    measures = commands.add_parser(
        "measures", help="score questionnaires (PSFS, STarT Back, RMDQ, ODI, pain NRS) row by row"
    )
    _add_input_options(measures)
    measures.add_argument("--json", action="store_true", help="print the responses as JSON")
    # --as-of (warn about later rows) and --set (e.g. --set rmdq_proportional=true).
    _add_analysis_options(measures)
    return {"measures": cmd_measures}


def responses(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Return one ``{patient_id, date, measure, score, band, complete}`` per scored row."""
    import pandas as pd

    return [
        {
            "patient_id": str(row["patient_id"]),
            "date": pd.Timestamp(row["date"]).date().isoformat(),
            "measure": str(row["measure"]),
            "score": None if pd.isna(row["score"]) else round(float(row["score"]), 2),
            "band": str(row["band"]),
            "complete": bool(row["complete"]),
        }
        for row in frame.to_dict("records")
    ]


def _licences(frame: pd.DataFrame) -> list[str]:
    from rehab.measures.specs import MEASURES

    seen = [m for m in MEASURES if m in set(frame["measure"].tolist())]
    return [MEASURES[m].licence for m in seen if MEASURES[m].licence]


def _text(batch: ImportBatch, rows: list[dict[str, Any]]) -> None:
    from rehab.cli import _print_report
    from rehab.measures.specs import MEASURES

    for row in rows:
        unit = " %" if MEASURES[row["measure"]].unit == "%" else ""
        score = "not scored" if row["score"] is None else f"{row['score']:g}{unit}"
        band = f" ({row['band']} risk)" if row["band"] else ""
        whole = "" if row["complete"] else " [incomplete form]"
        print(
            f"{row['patient_id']}  {row['date']}  {MEASURES[row['measure']].short}: {score}{band}{whole}"
        )
    if not rows:
        print("No questionnaire rows found.")
    print()
    _print_report(batch)


def cmd_measures(args: argparse.Namespace) -> int:
    """Import the files and print each questionnaire's score; exit codes as ``rehab validate``."""
    from rehab.cli import _load_batch, _settings
    from rehab.disclaimer import DISCLAIMER_SHORT as DISCLAIMER
    from rehab.measures.rescore import rescore

    settings = _settings(args.set)
    batch = _load_batch(args, args.as_of)
    frame = rescore(batch.measures, settings)
    rows = responses(frame)
    if args.json:
        payload = {"responses": rows, "licences": _licences(frame), "disclaimer": DISCLAIMER}
        payload["files"] = batch.report_json()["files"]
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        _text(batch, rows)
        for licence in _licences(frame):
            print(licence)
        print(DISCLAIMER)
    return batch.exit_code
