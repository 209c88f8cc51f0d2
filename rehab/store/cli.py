"""``rehab workspace import | summary | review | export | forget``: the clinic workspace.

The same store the app uses (:class:`rehab.store.Workspace`). ``import`` exits as
``rehab validate`` does (0 every row accepted, 1 some rejected or in conflict, 2 a file
unusable); the other commands exit 2 when the patient or the file is not there.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rehab.store import Workspace, WorkspaceImport

Handler = Callable[[argparse.Namespace], int]


def add_commands(commands: Any) -> dict[str, Handler]:
    """Add this feature's subparsers to ``commands``; return ``{command: handler}``."""
    from rehab.cli import _add_analysis_options, _add_input_options, _iso_date

    workspace = commands.add_parser(
        "workspace", help="the clinic workspace: logs kept between visits, reviews, the audit trail"
    )
    actions = workspace.add_subparsers(dest="action", required=True)

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = actions.add_parser(name, help=help_text)
        parser.add_argument("--db", type=Path, required=True, metavar="PATH", help="the workspace file")
        return parser

    imports = action("import", "import log files into the workspace (merged with what it holds)")
    _add_input_options(imports)
    imports.add_argument("--json", action="store_true", help="print the report as JSON")
    imports.add_argument(
        "--by", default=None, metavar="NAME", help="who imports (default: your login name)"
    )

    summary = action("summary", "the summary of every stored patient, as `rehab summary`")
    summary.add_argument("--json", action="store_true", help="print the summary as JSON")
    summary.add_argument("--library", type=Path, default=None, help="an exercise library TOML file")
    _add_analysis_options(summary)

    review = action("review", "record that you reviewed (or contacted) a patient")
    review.add_argument("patient", metavar="PATIENT")
    review.add_argument("--note", default="", metavar="TEXT", help="what you found or agreed")
    review.add_argument(
        "--by", default=None, metavar="NAME", help="who reviews (default: your login name)"
    )
    review.add_argument("--snooze-until", type=_iso_date, default=None, metavar="DATE")
    review.add_argument("--contacted", action="store_true", help="you got in touch with them")

    export = action("export", "write one patient's stored logs as rehab CSV files")
    export.add_argument("patient", metavar="PATIENT")
    export.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="FILE.csv",
        help="FILE.csv writes FILE_sessions.csv, FILE_pain.csv and FILE_measures.csv (the kinds "
        "the patient has); FILE.zip one ZIP of them",
    )

    forget = action("forget", "remove every stored record of one patient")
    forget.add_argument("patient", metavar="PATIENT")
    forget.add_argument("--yes", action="store_true", help="yes, remove them for good")
    return {"workspace": cmd_workspace}


def cmd_workspace(args: argparse.Namespace) -> int:
    """Open the workspace and run the action; return the exit status."""
    from rehab.store import Workspace, WorkspaceError

    handlers: dict[str, Callable[[Workspace, argparse.Namespace], int]] = {
        "import": _import,
        "summary": _summary,
        "review": _review,
        "export": _export,
        "forget": _forget,
    }
    if args.action != "import" and not args.db.exists():
        print(f"rehab: no workspace at {args.db}", file=sys.stderr)
        return 2
    if args.action == "import":
        # Read the files first: a missing file must not leave a new, empty workspace behind.
        args.uploads = _read_uploads(args)
    try:
        with Workspace.open(args.db) as workspace:
            return handlers[args.action](workspace, args)
    except WorkspaceError as error:
        print(f"rehab: {error}", file=sys.stderr)
        return 2


def _user(name: str | None) -> str | None:
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


def _read_uploads(args: argparse.Namespace) -> list[tuple[str, bytes]]:
    """Read the FILE arguments as the app reads an upload (ZIPs unpacked, folders listed)."""
    from rehab.archive import expand_uploads
    from rehab.cli import _expand

    unpacked = expand_uploads((path.name, path.read_bytes()) for path in _expand(args.files))
    for note in unpacked.notes:
        print(f"rehab: {note}", file=sys.stderr)
    return list(unpacked.files)


def _import(workspace: Workspace, args: argparse.Namespace) -> int:
    from rehab.cli import _library, _print_report, import_options

    outcome = workspace.import_files(
        args.uploads,
        by=_user(args.by),
        options=import_options(args, date.today()),
        library=_library(args),
    )
    if args.json:
        print(json.dumps(_import_json(outcome), indent=2, ensure_ascii=False))
    else:
        _print_report(outcome.batch)
        _print_merge(outcome)
    return outcome.exit_code


def _import_json(outcome: WorkspaceImport) -> dict[str, Any]:
    payload = outcome.batch.report_json()
    payload["workspace"] = {
        "added": outcome.added,
        "already_stored": outcome.already_stored,
        "conflicts": [
            {
                "patient_id": c.patient_id,
                "kind": c.kind,
                "date": c.date.isoformat(),
                "time": c.time,
                "exercise": c.exercise,
                "measure": c.measure,
                "file": c.file,
                "row": c.row,
                "stored_file": c.stored_file,
                "stored_row": c.stored_row,
                "columns": list(c.columns),
            }
            for c in outcome.conflicts
        ],
    }
    return payload


def _print_merge(outcome: WorkspaceImport) -> None:
    from rehab.wording import plural

    added = outcome.added
    print(
        f"workspace: {plural(added['sessions'], 'session row')}, "
        f"{plural(added['pain'], 'pain row')} and {plural(added['measures'], 'questionnaire')} "
        f"added, {outcome.already_stored} already stored, {len(outcome.conflicts)} in conflict"
    )
    for c in outcome.conflicts:
        what = " ".join(part for part in (c.time, c.exercise or c.measure) if part)
        print(
            f"  conflict {c.patient_id} {c.kind} {c.date.isoformat()} {what} "
            f"({c.file} row {c.row}): the stored row ({c.stored_file} row {c.stored_row}) "
            f"says otherwise in {', '.join(c.columns)}; the stored row was kept"
        )


def _analysis(workspace: Workspace, args: argparse.Namespace) -> Any:
    from rehab.analysis import analyse
    from rehab.cli import _library, _settings

    sessions, pain = workspace.frames()
    return analyse(
        sessions,
        pain,
        measures=workspace.measures(),
        as_of=args.as_of or date.today(),
        settings=_settings(args.set),
        library=_library(args),
    )


def _summary(workspace: Workspace, args: argparse.Namespace) -> int:
    from rehab.cli import _library, _settings
    from rehab.disclaimer import DISCLAIMER_SHORT
    from rehab.present import summary_table

    as_of = args.as_of or date.today()
    if args.json:
        payload = workspace.summary_json(as_of, _settings(args.set), _library(args))
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        return 0
    print(summary_table(_analysis(workspace, args)))
    print()
    print(DISCLAIMER_SHORT)
    return 0


def _review(workspace: Workspace, args: argparse.Namespace) -> int:
    from rehab.analysis import analyse

    if args.patient not in workspace.patients():
        print(f"rehab: the workspace holds no logs of {args.patient!r}", file=sys.stderr)
        return 2
    # The flags the patient has today, so that one raised later shows as new since this review.
    patient_id = args.patient
    cohort = analyse(
        workspace.sessions(patient_id),
        workspace.pain(patient_id),
        measures=workspace.measures(patient_id),
        as_of=date.today(),
    )
    patient = cohort.patients.get(args.patient)
    flags = [flag.code for flag in patient.summary.flags] if patient else []
    review = workspace.review(
        args.patient,
        action="contacted" if args.contacted else "reviewed",
        note=args.note,
        by=_user(args.by),
        snooze_until=args.snooze_until,
        flags=flags,
    )
    snooze = f", snoozed until {review.snooze_until.isoformat()}" if review.snooze_until else ""
    print(f"{review.action} {review.patient_id} at {review.at.isoformat(timespec='seconds')}{snooze}")
    return 0


def _write_private(path: Path, data: bytes) -> None:
    """Write health data owner-only (0600), replacing the file if it exists."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def _export(workspace: Workspace, args: argparse.Namespace) -> int:
    files = workspace.export_csv(args.patient)
    if not files:
        print(f"rehab: the workspace holds no logs of {args.patient!r}", file=sys.stderr)
        return 2
    out: Path = args.out
    if out.suffix.lower() == ".zip":
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in files.items():
                archive.writestr(name, data)
        out.chmod(0o600)
        print(f"wrote {', '.join(files)} to {out}")
        return 0
    stem = out.with_suffix("") if out.suffix.lower() == ".csv" else out
    for name, data in files.items():
        kind = name.rsplit("_", 1)[1]  # "sessions.csv", "pain.csv" or "measures.csv"
        path = stem.with_name(f"{stem.name}_{kind}")
        _write_private(path, data)
        print(f"wrote {path}")
    return 0


def _forget(workspace: Workspace, args: argparse.Namespace) -> int:
    from rehab.wording import plural

    patient = args.patient
    if not args.yes:
        print(
            f"rehab: forgetting {patient} removes "
            f"{plural(len(workspace.sessions(patient)), 'session row')}, "
            f"{plural(len(workspace.pain(patient)), 'pain row')}, "
            f"{plural(len(workspace.measures(patient)), 'questionnaire')} and "
            f"{plural(len(workspace.reviews(patient)), 'review')} for good; "
            "run again with --yes to remove them",
            file=sys.stderr,
        )
        return 2
    removed = workspace.forget(patient)
    print(
        f"removed {patient}: {plural(removed['sessions'], 'session row')}, "
        f"{plural(removed['pain'], 'pain row')}, {plural(removed['measures'], 'questionnaire')}, "
        f"{plural(removed['reviews'], 'review')}; "
        f"{plural(removed['imports_renamed'], 'file name')} in the audit trail cleared "
        "(the import records and their counts stay)"
    )
    return 0
