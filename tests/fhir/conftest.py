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
# Questionnaires beside the demo logs (rehab's measures log, docs/measures.md): an Oswestry
# that improves and a high-risk STarT Back, so the export carries responses, scores and the
# start_back_high_risk flag. Their days are not the demo's own questionnaire days: two forms of
# one measure on one day leave "first" to the order of the rows.
MEASURES_CSV = (
    "patient_id,date,measure,version,item_1,item_2,item_3,item_4,item_5,item_6,item_7,item_8,item_9,item_10\n"
    "PT-0107,2026-09-23,odi,2.1a,3,3,2,3,2,3,2,,2,3\n"
    "PT-0107,2026-11-16,odi,2.1a,1,1,1,1,1,1,1,,1,1\n"
    "PT-0101,2026-09-03,start_back,,1,1,0,1,1,1,1,1,1,\n"
)


@dataclass
class Demo:
    """The demo cohort's import, analysis and exported Bundles (one file per patient).

    Written unchecked: test_export checks every one of them once.
    """

    logs: Path
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
    logs = tmp_path_factory.mktemp("logs")
    for path in SAMPLE_DIR.iterdir():
        if path.suffix == ".csv":
            (logs / path.name).write_bytes(path.read_bytes())
    (logs / "extra_measures.csv").write_text(MEASURES_CSV, encoding="utf-8")
    files = sorted(logs.iterdir())
    batch = import_files([(p.name, p.read_bytes()) for p in files])
    cohort = analyse(batch.sessions, batch.pain, measures=batch.measures, as_of=AS_OF)
    folder = tmp_path_factory.mktemp("fhir")
    return Demo(logs, batch, cohort, folder, write_bundles(batch, cohort, folder, check=False))
