"""A clinic's batch of reports on several processes: the same files, in order, none lost."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rehab import cli
from rehab.analysis import analyse
from rehab.charts import chart_png
from rehab.library import load_library
from rehab.reports.batch import ReportWorkers, write_report_batch
from rehab.reports.pdf import (
    CHART_SCALE,
    CHART_WIDTH_PX,
    pain_chart_png,
    patient_pdf,
    report_file_names,
    report_pain_chart,
)
from rehab.sample import DEMO_END, demo_cohort

GENERATED = datetime(2026, 11, 30, 18, 40, tzinfo=UTC)
SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


@pytest.fixture(scope="module")
def demo():
    sample = demo_cohort()
    return analyse(sample.sessions, sample.pain, as_of=DEMO_END)


@pytest.mark.parametrize("patient_id", ["PT-0101", "PT-0107"])
def test_the_report_chart_is_a_valid_spec_and_the_same_picture_as_the_app_export(demo, patient_id):
    # The report builds its chart without Altair's schema checks (for speed): the chart must
    # pass them, and the fast drawing must give the pixels of the app's own PNG export.
    chart = report_pain_chart(demo, patient_id)
    assert chart.to_dict(validate=True) == chart.to_dict(validate=False)
    expected = chart_png(chart, scale=CHART_SCALE, width=CHART_WIDTH_PX)
    assert pain_chart_png(demo, patient_id) == expected


def test_a_parallel_batch_writes_each_report_as_made_alone_in_order_and_names_a_failure(demo, tmp_path):
    library = load_library()
    patient_ids = [str(patient_id) for patient_id in demo.triage()["patient_id"]]
    asked = [*patient_ids[:3], "PT-nobody", *patient_ids[3:]]
    # Eight patients and one unknown id: two worker processes.
    result = write_report_batch(demo, tmp_path, asked, library=library, generated_at=GENERATED, jobs=2)
    assert result.failed == [("PT-nobody", "KeyError")]
    names = report_file_names(asked)
    assert result.written == [tmp_path / name for name in names if name != "PT-nobody.pdf"]
    for patient_id, path in zip(patient_ids, result.written, strict=True):
        alone = patient_pdf(demo, patient_id, library=library, generated_at=GENERATED)
        assert path.read_bytes() == alone, patient_id
    assert not (tmp_path / "PT-nobody.pdf").exists()


def test_the_report_command_names_a_patient_whose_report_failed_and_writes_the_rest(
    tmp_path, capsys, monkeypatch
):
    made = patient_pdf

    def fails_for_one(cohort, patient_id, **options):
        if patient_id == "PT-0103":
            raise ValueError("a value from the logs")
        return made(cohort, patient_id, **options)

    monkeypatch.setattr("rehab.reports.batch.patient_pdf", fails_for_one)
    files = [str(path) for path in sorted(SAMPLE.glob("PT-*.csv"))]
    out = tmp_path / "reports"
    status = cli.main(["report", "--as-of", "2026-11-20", "--jobs", "1", "--out", str(out), *files])
    captured = capsys.readouterr()
    assert status == 1
    assert "wrote 7 reports" in captured.out
    assert "PT-0103 could not be made (ValueError)" in captured.err
    assert "a value from the logs" not in captured.err
    assert sorted(path.name for path in out.iterdir()) == [
        f"PT-010{number}.pdf" for number in (1, 2, 4, 5, 6, 7, 8)
    ]


def test_workers_started_before_the_analysis_make_the_same_files_and_serve_two_batches(demo, tmp_path):
    library = load_library()
    patient_ids = [str(patient_id) for patient_id in demo.triage()["patient_id"]]
    with ReportWorkers(jobs=2) as workers:
        assert workers.started
        first = write_report_batch(
            demo, tmp_path / "a", library=library, generated_at=GENERATED, workers=workers
        )
        second = write_report_batch(
            demo,
            tmp_path / "b",
            patient_ids[:4],
            library=library,
            generated_at=GENERATED,
            workers=workers,
        )
    assert [path.name for path in first.written] == report_file_names(patient_ids)
    assert [path.name for path in second.written] == report_file_names(patient_ids[:4])
    for path in [*first.written, *second.written]:
        alone = patient_pdf(demo, path.stem, library=library, generated_at=GENERATED)
        assert path.read_bytes() == alone, path.name


def test_one_job_starts_no_worker_and_makes_the_batch_here(demo, tmp_path, monkeypatch):
    made_here = []
    monkeypatch.setattr(
        "rehab.reports.batch.patient_pdf",
        lambda cohort, patient_id, **options: made_here.append(patient_id) or b"%PDF",
    )
    with ReportWorkers(jobs=1) as workers:
        assert not workers.started
        result = write_report_batch(demo, tmp_path, ["PT-0101", "PT-0102"], workers=workers)
    assert made_here == ["PT-0101", "PT-0102"]
    assert len(result.written) == 2


def test_the_parent_that_hands_out_reports_does_not_import_altair_or_fpdf():
    # The workers draw the charts: a parent importing Altair and fpdf2 would only lose time.
    code = (
        "import sys, rehab.reports.batch\n"
        "print(sorted({'altair', 'fpdf', 'vl_convert'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
