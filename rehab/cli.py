"""The command line: ``rehab validate | summary | sample | report | docs``.

The same functions the app calls, with plain-text or JSON output. Exit status of
``validate``: 0 when every row was accepted, 1 when some rows were rejected, 2 when a file
could not be used at all.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import json
import sys
import threading
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rehab.analysis import CohortAnalysis
    from rehab.importer import ImportBatch, ImportOptions
    from rehab.library import ExerciseLibrary
    from rehab.settings import RuleSettings


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-10-04") from None


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="CSV files, ZIP archives of them, or folders of either: session and pain logs",
    )
    parser.add_argument(
        "--date-order",
        choices=("auto", "dmy", "mdy"),
        default="auto",
        help="how to read slash dates the file does not settle (default: auto)",
    )
    parser.add_argument(
        "--library",
        type=Path,
        default=None,
        help="an exercise library TOML file (default: the bundled one)",
    )
    _add_reading_options(parser)


def _assignment(text: str) -> tuple[str, str]:
    from rehab.importer.mapping import parse_assignment

    try:
        return parse_assignment(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _long_columns(text: str) -> tuple[str, str] | None:
    if text.strip().lower() == "auto":
        return None
    series, sep, value = text.partition(",")
    if not sep or not series.strip() or not value.strip():
        raise argparse.ArgumentTypeError(f"expected SERIES_COLUMN,VALUE_COLUMN or auto, got {text!r}")
    return series.strip(), value.strip()


def _zone(text: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a time zone; use an IANA name like Europe/Berlin or America/New_York"
        ) from None
    return text


def _add_reading_options(parser: argparse.ArgumentParser) -> None:
    """Options for files that do not say everything themselves (time zone, mapping)."""
    parser.add_argument(
        "--tz",
        type=_zone,
        default=None,
        metavar="ZONE",
        help="the patient's time zone (IANA name, e.g. Europe/Berlin): UTC stamps are moved "
        "to the patient's day",
    )
    parser.add_argument(
        "--date-system",
        choices=("1900", "1904"),
        default="1900",
        help="spreadsheet serial dates count from 1900 (Excel, LibreOffice, Google Sheets) "
        "or 1904 (old Mac Excel) (default: 1900)",
    )
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        type=_assignment,
        metavar="HEADER=column",
        help="read the column HEADER as a rehab column, e.g. "
        "--map 'How bad is your back pain right now?=pain' (repeatable)",
    )
    parser.add_argument(
        "--long",
        type=_long_columns,
        default=False,
        metavar="SERIES,VALUE",
        help="read long files (one row per measurement): the column naming the series and "
        "the one holding its value, e.g. --long type,value, or 'auto' to find them by name",
    )
    parser.add_argument(
        "--series",
        action="append",
        default=[],
        type=_assignment,
        metavar="NAME=column",
        help="in a long file, read the rows of series NAME as a rehab column, e.g. "
        "--series 'Back pain=pain' (repeatable; implies --long auto)",
    )


def _add_analysis_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-of", type=_iso_date, default=None, help="the day the analysis speaks for (default: today)"
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="RULE=VALUE",
        help="change a rule threshold, e.g. --set severe_pain=8 (repeatable)",
    )


def build_parser(*, features: bool = True) -> argparse.ArgumentParser:
    """Return the argument parser of the ``rehab`` command.

    ``features=False`` leaves out the commands of :data:`FEATURE_COMMANDS`: importing their
    modules loads their packages (the workspace's pulls in its whole store), which a core
    command run from the shell should not pay for.
    """
    parser = argparse.ArgumentParser(prog="rehab", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check log files and report every bad row")
    _add_input_options(validate)
    validate.add_argument("--json", action="store_true", help="print the report as JSON")
    validate.add_argument(
        "--as-of", type=_iso_date, default=None, help="warn about rows dated after this day (YYYY-MM-DD)"
    )
    validate.add_argument(
        "--rejected",
        type=Path,
        default=None,
        metavar="FILE",
        help="write the rejected rows to FILE, to fix and re-import",
    )

    summary = commands.add_parser("summary", help="adherence, pain, phase and flags per patient")
    _add_input_options(summary)
    summary.add_argument("--json", action="store_true", help="print the summary as JSON")
    _add_analysis_options(summary)
    _feature("rehab.scale.cli").add_summary_options(summary)

    sample = commands.add_parser("sample", help="write a synthetic cohort of logs")
    sample.add_argument("--out", type=Path, required=True, help="folder to write the CSVs to")
    sample.add_argument("--seed", type=int, default=7)
    sample.add_argument(
        "--patients", type=int, default=None, help="random patients instead of the demo stories"
    )
    sample.add_argument("--days", type=int, default=None, help="days per random patient")
    sample.add_argument(
        "--end",
        type=_iso_date,
        default=None,
        help="the last logged day, YYYY-MM-DD (default: today, so the logs are fresh when read)",
    )

    report = commands.add_parser("report", help="write one PDF report per patient")
    _add_input_options(report)
    report.add_argument("--out", type=Path, required=True, help="folder to write the PDFs to")
    report.add_argument(
        "--jobs", type=int, help="processes to make the reports on (default: every core)"
    )
    _add_analysis_options(report)

    docs = commands.add_parser("docs", help="regenerate the column reference in the docs")
    docs.add_argument("--check", action="store_true", help="fail when the docs are out of date")
    for module in FEATURE_COMMANDS if features else ():
        COMMANDS.update(_feature(module).add_commands(commands))
    return parser


# Commands that live beside their feature: each module's ``add_commands(commands)`` adds its
# subparsers and returns ``{command: handler}`` (rehab/store, rehab/measures, rehab/fhir).
FEATURE_COMMANDS = ("rehab.store.cli", "rehab.measures.cli", "rehab.fhir.cli")


def _feature(module: str) -> Any:
    return importlib.import_module(module)


def _expand(paths: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix.lower() in _FOLDER_SUFFIXES))
        else:
            files.append(path)
    return files


_FOLDER_SUFFIXES = frozenset({".csv", ".zip", ".json", ".ndjson"})


def import_options(args: argparse.Namespace, as_of: date | None) -> ImportOptions:
    """Return the import options the command line's flags describe."""
    from rehab.importer import ImportOptions

    return ImportOptions(
        date_order=args.date_order,
        as_of=as_of,
        timezone=args.tz,
        date_system=args.date_system,
        mapping=tuple(args.map),
        long_format=args.long is not False or bool(args.series),
        long_columns=args.long or None,
        series=tuple(args.series),
    )


def _load_batch(
    args: argparse.Namespace, as_of: date | None, library: ExerciseLibrary | None = None
) -> ImportBatch:
    from rehab.archive import expand_uploads
    from rehab.importer import import_files
    from rehab.importer.parse import discard_early

    try:
        # ZIP archives are unpacked exactly as the app unpacks an upload.
        unpacked = expand_uploads((path.name, _read(path)) for path in _expand(args.files))
        for note in unpacked.notes:
            print(f"rehab: {note}", file=sys.stderr)
        return import_files(unpacked.files, import_options(args, as_of), library or _library(args))
    finally:
        discard_early()
        _collect_cycles_again()


def _collect_cycles_again() -> None:
    """Switch the cycle collector back on after loading, if ``main(early=True)`` paused it.

    Loading the modules and the files makes few reference cycles but millions of objects,
    and each full collection walked them all. Everything alive now is frozen out of later
    collections (gc.freeze), so the analysis that follows only walks what it makes.
    """
    global _collector_paused
    if _collector_paused:
        _collector_paused = False
        gc.freeze()
        gc.enable()


def _read(path: Path) -> bytes:
    """Return the file's bytes: as the early-parse thread read them, when it did."""
    from rehab.importer.parse import early_bytes

    if _early_registered is not None:
        _early_registered.wait()
        data = early_bytes(path)
        if data is not None:
            return data
    return path.read_bytes()


# Set while ``main(early=True)`` runs a command whose CSV files are parsed early.
_early_registered: threading.Event | None = None
# True while ``main(early=True)`` keeps the cycle collector paused (until the files are loaded).
_collector_paused = False
_EARLY_COMMANDS = frozenset({"validate", "summary", "report"})
_EARLY_SWITCH_INTERVAL = 0.0005


def _start_early_parse(args: argparse.Namespace) -> threading.Event | None:
    """Read and parse the input CSV files on a background thread (see rehab.importer.parse).

    pyarrow parses without the GIL, so on a machine with two cores the parse overlaps the
    imports of pandas and the importer that the command does meanwhile.
    """
    if args.command not in _EARLY_COMMANDS or getattr(args, "engine", "pandas") != "pandas":
        return None
    try:
        paths = [p for p in _expand(args.files) if p.suffix.lower() == ".csv" and p.is_file()]
    except OSError:
        return None
    if not paths:
        return None
    registered = threading.Event()
    # The early thread hands the GIL back and forth around each of its numpy and pyarrow
    # calls while the main thread runs the imports: at the default 5 ms switch interval it
    # waited longer for the GIL than it worked. Restored when it is done.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, _EARLY_SWITCH_INTERVAL))
    threading.Thread(
        target=_parse_early,
        args=(paths, registered, interval),
        name="rehab-early-parse",
        daemon=True,
    ).start()
    return registered


def _parse_early(paths: list[Path], registered: threading.Event, interval: float) -> None:
    try:
        # Whatever goes wrong here, the import reads and parses the files itself.
        with contextlib.suppress(Exception):
            # The first file is read before the parser's modules are loaded: the read waits
            # on the disk without the GIL, so it overlaps the imports both threads make.
            try:
                first: bytes | OSError = paths[0].read_bytes()
            except OSError as error:
                first = error
            from rehab.importer.parse import parse_early

            parse_early(paths, registered, first)
        registered.set()
    finally:
        sys.setswitchinterval(interval)


def _library(args: argparse.Namespace) -> ExerciseLibrary:
    from rehab.library import load_library

    return load_library(args.library)


def _settings(assignments: Sequence[str]) -> RuleSettings:
    from pydantic import ValidationError

    from rehab.settings import RuleSettings

    values: dict[str, Any] = {}
    for item in assignments:
        name, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"rehab: --set expects RULE=VALUE, got {item!r}")
        values[name.strip()] = value.strip()
    try:
        return RuleSettings.model_validate(values, strict=False)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in error.errors()
        )
        raise SystemExit(f"rehab: invalid --set: {problems}") from None


def _print_report(batch: ImportBatch) -> None:
    for file in batch.files:
        report = file.report
        kind = report.kind or "unknown kind"
        print(
            f"{report.file} ({kind}): {report.rows} rows, {report.accepted} accepted, "
            f"{report.rejected} rejected, {report.duplicates} duplicates"
        )
        for issue in report.issues:
            # One issue may name many rows (issue 10): 'rows 3-20001'.
            where = f"rows {issue.rows}" if issue.rows else f"row {issue.row}" if issue.row else "file"
            column = f" [{issue.column}]" if issue.column else ""
            print(f"  {issue.severity:<7} {where}{column}: {issue.message}")


def _write_rejected(batch: ImportBatch, path: Path) -> int:
    import pandas as pd

    from rehab.safe_csv import to_safe_csv

    frames = [f.rejected.assign(file=f.report.file) for f in batch.files if len(f.rejected)]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    path.write_bytes(to_safe_csv(table))
    return len(table)


def cmd_validate(args: argparse.Namespace) -> int:
    """Import the files and print one report per file; return the exit status."""
    batch = _load_batch(args, args.as_of)
    if args.json:
        print(json.dumps(batch.report_json(), indent=2, ensure_ascii=False))
    else:
        _print_report(batch)
    if args.rejected is not None:
        count = _write_rejected(batch, args.rejected)
        print(f"{count} rejected rows written to {args.rejected}", file=sys.stderr)
    return batch.exit_code


def _analyse(
    args: argparse.Namespace, library: ExerciseLibrary | None = None
) -> tuple[ImportBatch, CohortAnalysis]:
    from rehab.analysis import analyse

    settings = _settings(args.set)
    as_of = args.as_of or date.today()
    library = library or _library(args)
    batch = _load_batch(args, as_of, library)
    cohort = analyse(
        batch.sessions,
        batch.pain,
        measures=batch.measures,
        as_of=as_of,
        settings=settings,
        library=library,
    )
    return batch, cohort


def cmd_summary(args: argparse.Namespace) -> int:
    """Import, analyse and print one summary per patient."""
    from rehab.present import summary_table

    scale = _feature("rehab.scale.cli")
    if args.engine != "pandas":
        # The distributed path (rehab/scale): same importer and engine, partitioned by patient.
        return int(scale.run_summary(args))
    ignored = scale.dask_only_options(args)
    if ignored:
        print(f"rehab: {', '.join(ignored)} only work with --engine dask.", file=sys.stderr)
        return 2
    from rehab.disclaimer import DISCLAIMER_SHORT as DISCLAIMER

    batch, cohort = _analyse(args)
    if args.json:
        payload = cohort.summary_json()
        # Each patient's latest questionnaire score per measure (rehab/measures).
        _feature("rehab.measures.summary").add_latest_scores(payload, batch, _settings(args.set))
        payload["disclaimer"] = DISCLAIMER
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        print(summary_table(cohort))
        print()
        print(DISCLAIMER)
    return _unused_files(batch)


def _unused_files(batch: ImportBatch) -> int:
    """Say which files gave no row to the analysis; return 2 when any did, else 0.

    A summary that silently leaves a patient's file out would read as that patient's
    whole story; ``rehab validate`` lists why, row by row.
    """
    unused = [f.report.file for f in batch.files if not f.report.usable or not f.report.accepted]
    for name in unused:
        print(
            f"rehab: no row of {name} could be used; run `rehab validate {name}` to see why.",
            file=sys.stderr,
        )
    return 2 if unused else 0


def cmd_sample(args: argparse.Namespace) -> int:
    """Write a synthetic cohort (the demo stories, or random patients) as CSV files."""
    from rehab.sample import main_sample

    written = main_sample(args.out, args.seed, args.patients, args.days, end=args.end)
    print(f"wrote {len(written)} files to {args.out}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Import, analyse and write one PDF report per patient."""
    from rehab.reports.batch import ReportWorkers, write_report_batch

    # The workers start (import, warm up) while this process imports and analyses the logs.
    with ReportWorkers(args.jobs) as workers:
        # One library names the exercises in the analysis and in the PDFs alike.
        library = _library(args)
        batch, cohort = _analyse(args, library)
        args.out.mkdir(parents=True, exist_ok=True)
        result = write_report_batch(cohort, args.out, library=library, workers=workers)
    print(f"wrote {len(result.written)} reports to {args.out}")
    for patient_id, error in result.failed:
        print(f"rehab: the report of {patient_id} could not be made ({error})", file=sys.stderr)
    return 1 if result.failed else _unused_files(batch)


def cmd_docs(args: argparse.Namespace) -> int:
    """Regenerate (or check) the generated parts of the docs."""
    from rehab.docs import DOCUMENTS

    stale = 0
    for path, render in DOCUMENTS.items():
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        wanted = render(current)
        if wanted == current:
            continue
        stale += 1
        if args.check:
            print(f"{path} is out of date: run `python -m rehab docs`", file=sys.stderr)
        else:
            path.write_text(wanted, encoding="utf-8")
            print(f"updated {path}")
    return 1 if args.check and stale else 0


COMMANDS = {
    "validate": cmd_validate,
    "summary": cmd_summary,
    "sample": cmd_sample,
    "report": cmd_report,
    "docs": cmd_docs,
}

_CORE_COMMANDS = frozenset(COMMANDS)


def main(argv: Sequence[str] | None = None, *, early: bool = False) -> int:
    """Run the ``rehab`` command line; return the exit status.

    ``early=True`` (``python -m rehab``) parses the input CSV files on a background thread
    while the modules load; the results are the same either way.
    """
    global _early_registered, _collector_paused
    paused = early and gc.isenabled()
    if paused:
        # The command line's own process: no cycle collection while it loads (see
        # _collect_cycles_again), as the exact CSV parser already does for its rows.
        gc.disable()
        _collector_paused = True
    arguments = sys.argv[1:] if argv is None else list(argv)
    # A core command needs only its own parser (a feature command, --help or a typo: all).
    core = bool(arguments) and arguments[0] in _CORE_COMMANDS
    args = build_parser(features=not core).parse_args(arguments)
    _early_registered = _start_early_parse(args) if early else None
    try:
        return COMMANDS[args.command](args)
    except FileNotFoundError as error:
        print(f"rehab: no such file: {error.filename}", file=sys.stderr)
        return 2
    finally:
        _early_registered = None
        if paused:
            _collect_cycles_again()
            gc.unfreeze()  # a caller that goes on (tests) collects as before
