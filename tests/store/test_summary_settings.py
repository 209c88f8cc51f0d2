"""The workspace summary judges questionnaire change by the clinic's settings, like rehab summary."""

from datetime import date
from pathlib import Path

from rehab.settings import RuleSettings
from rehab.store import Workspace

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


def test_summary_json_uses_the_settings_for_questionnaire_change(tmp_path):
    files = [(p.name, p.read_bytes()) for p in sorted(SAMPLE.glob("PT-0101_*.csv"))]
    files.append(("clinic_measures.csv", (SAMPLE / "clinic_measures.csv").read_bytes()))
    with Workspace.open(tmp_path / "clinic.sqlite") as store:
        store.import_files(files)
        stricter = RuleSettings(odi_mcid_points=50, odi_mcid_percent=99)

        def odi(settings=None):
            payload = store.summary_json(date(2026, 11, 20), settings=settings)
            (patient,) = [p for p in payload["patients"] if p["patient_id"] == "PT-0101"]
            return patient["measures"]["odi"]["meaningful"]

        assert odi() == "better"
        assert odi(stricter) == ""
