"""The Dask path gives exactly the in-process answers on random cohorts.

Cohorts are drawn as CSV files in rehab's own log format (docs/data-format.md): a pool of
session and pain rows, good and bad (a date not in the calendar, pain 11, an unknown
exercise, a cell listing two exercises), dealt into files with replacement, so rows repeat
within a file and across files and a patient's rows are spread over several files. Each file
is its own partition before the shuffle (``partition_bytes=1``).
"""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rehab.analysis import analyse
from rehab.importer import ImportOptions, import_files
from rehab.scale.cli import summary_document
from rehab.scale.inputs import expand_inputs
from rehab.scale.job import Job, run
from rehab.scale.partition import Screening
from rehab.scale.reports import report_batch
from rehab.settings import DEFAULT_SETTINGS
from tests.scale.conftest import run_cli

if TYPE_CHECKING:
    from distributed import Client

AS_OF = date(2026, 11, 20)
PATIENTS = ("PT-1", "PT-2", "PT-3", "PT-4")
DAYS = [f"2026-11-{day:02d}" for day in range(1, 21)] + ["2026-02-30", "2026-11-25"]
EXERCISES = (
    "Cat Stretch",
    "Hip Rolls",
    "Back Extension",
    "Core Exercise",
    "Jumping Jacks",
    "Cat Stretch; Hip Rolls",
)
TIMES = ("08:00", "13:00", "19:30", "")
PAIN = [str(score) for score in range(11)] + ["11", ""]

session_rows = st.tuples(
    st.sampled_from(PATIENTS),
    st.sampled_from(DAYS),
    st.sampled_from(TIMES),
    st.sampled_from(EXERCISES),
    st.sampled_from(PAIN),
    st.sampled_from(PAIN),
).map(lambda row: ",".join(f'"{cell}"' if ";" in cell else cell for cell in row))
pain_rows = st.tuples(
    st.sampled_from(PATIENTS),
    st.sampled_from(DAYS),
    st.sampled_from(TIMES),
    st.sampled_from(PAIN),
    st.sampled_from(("yes", "no", "")),
).map(",".join)
HEADERS = {
    "sessions": "patient_id,date,time,exercise,pain_before,pain_after",
    "pain": "patient_id,date,time,pain,flare",
}


def same_text(text: str) -> str:
    """The summary JSON re-printed: one layout for both, every value, sign and order kept.

    Exactly: ``-0.0`` stays ``-0.0`` and flags stay in their order (a patient's record must not
    depend on who else is in the partition; tests/analysis/test_cohort_independence.py).
    """
    return json.dumps(json.loads(text), indent=2, ensure_ascii=False)


@st.composite
def cohorts(draw: st.DrawFn) -> list[tuple[str, str]]:
    """Files (name, text): rows dealt from one pool per kind, with repeats, plus maybe a broken file."""
    files = []
    for kind, rows in (("sessions", session_rows), ("pain", pain_rows)):
        pool = draw(st.lists(rows, min_size=1, max_size=30))
        for number in range(draw(st.integers(1, 3))):
            picked = draw(st.lists(st.sampled_from(pool), min_size=0, max_size=25))
            files.append((f"{kind}-{number}.csv", "\n".join([HEADERS[kind], *picked]) + "\n"))
    if draw(st.booleans()):
        files.append(("broken.csv", "not a log at all\n"))
    return draw(st.permutations(files))


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=cohorts())
def test_dask_summary_and_report_match_in_process(client: Client, files: list[tuple[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for name, text in files:
            path = Path(folder) / name
            path.write_text(text, encoding="utf-8")
            paths.append(str(path))
        as_of = ["--as-of", AS_OF.isoformat()]
        code, expected_summary, _ = run_cli(["summary", "--json", *as_of, *paths])
        _, expected_report, _ = run_cli(["validate", "--json", *as_of, *paths])
        job = Job(
            files=expand_inputs([Path(p) for p in paths]),
            options=ImportOptions(as_of=AS_OF),
            screening=Screening(as_of=AS_OF, settings=DEFAULT_SETTINGS),
            partition_bytes=1,
        )
        result = run(job, client)
    assert result.summaries is not None
    assert same_text(summary_document(result.summaries, AS_OF)) == same_text(expected_summary)
    batch = report_batch(result.outcomes)
    assert batch.report_json() == json.loads(expected_report)
    assert (2 if any(not f.report.accepted for f in batch.files) else 0) == code


def test_a_patients_summary_does_not_depend_on_the_rest_of_the_cohort() -> None:
    log = (
        "patient_id,date,time,exercise,pain_before,pain_after\n"
        'PT-1,2026-11-01,,"Cat Stretch; Hip Rolls",2,0\n'
        "PT-1,2026-11-01,08:00,Cat Stretch,0,0\n"
        "PT-1,2026-11-16,08:00,Cat Stretch,0,11\n"
        "PT-4,2026-11-16,19:30,Jumping Jacks,1,7\n"
    )
    batch = import_files([("sessions.csv", log.encode())], ImportOptions(as_of=AS_OF))
    together = analyse(batch.sessions, batch.pain, as_of=AS_OF).summary_json()
    alone_rows = batch.sessions[batch.sessions["patient_id"] == "PT-4"]
    alone = analyse(alone_rows, batch.pain, as_of=AS_OF).summary_json()
    together_pt4 = next(p for p in together["patients"] if p["patient_id"] == "PT-4")  # type: ignore[attr-defined]
    assert json.dumps(together_pt4) == json.dumps(alone["patients"][0])  # type: ignore[index]


def test_a_patients_flag_order_does_not_depend_on_the_rest_of_the_cohort() -> None:
    log = (
        "patient_id,date,time,exercise,pain_before,pain_after\n"
        "PT-1,2026-11-01,08:00,Cat Stretch,0,0\n"
        "PT-4,2026-11-01,08:00,Hip Rolls,0,0\n"
        'PT-4,2026-11-01,08:00,"Cat Stretch; Hip Rolls",0,2\n'
    )
    batch = import_files([("sessions.csv", log.encode())], ImportOptions(as_of=AS_OF))
    together = analyse(batch.sessions, batch.pain, as_of=AS_OF).patients["PT-4"].summary
    alone_rows = batch.sessions[batch.sessions["patient_id"] == "PT-4"]
    alone = analyse(alone_rows, batch.pain, as_of=AS_OF).patients["PT-4"].summary
    assert [f.message for f in together.flags] == [f.message for f in alone.flags]
