"""The demo cohort, imported, analysed and exported once for the FHIR tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rehab.analysis import CohortAnalysis, analyse
from rehab.fhir.export import write_bundles
from rehab.importer import ImportBatch, import_files

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_data"
DATA_DIR = Path(__file__).resolve().parent / "data"
AS_OF = date(2026, 11, 20)


@dataclass
class Demo:
    """The demo cohort's import, analysis and exported Bundles (one file per patient).

    Written unchecked: test_export checks every one of them once.
    """

    batch: ImportBatch
    cohort: CohortAnalysis
    folder: Path
    files: list[Path]

    def bundle(self, path: Path) -> dict[str, Any]:
        """Return one exported Bundle as a dict."""
        loaded: dict[str, Any] = json.loads(path.read_bytes())
        return loaded


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    files = sorted(p for p in SAMPLE_DIR.iterdir() if p.suffix == ".csv")
    batch = import_files([(p.name, p.read_bytes()) for p in files])
    cohort = analyse(batch.sessions, batch.pain, measures=batch.measures, as_of=AS_OF)
    folder = tmp_path_factory.mktemp("fhir")
    return Demo(batch, cohort, folder, write_bundles(batch, cohort, folder, check=False))
