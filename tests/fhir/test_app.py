"""The app reads a FHIR Bundle upload and offers the patient's Bundle as a download (AppTest)."""

from __future__ import annotations

from datetime import date

from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP, open_page
from tests.fhir.conftest import DATA_DIR


def test_a_bundle_upload_is_read_and_the_patient_bundle_can_be_downloaded() -> None:
    at = open_page(AppTest.from_file(APP, default_timeout=60), "patient")
    bundle = (DATA_DIR / "synthea_pain_transaction.json").read_bytes()
    at.file_uploader(key="patient_upload").set_value(
        [("synthea.json", bundle, "application/json")]
    ).run()
    at.date_input(key="as_of").set_value(date(2024, 10, 10)).run()
    assert not at.exception, [e.value for e in at.exception]
    (button,) = [b for b in at.get("download_button") if b.proto.label == "FHIR Bundle (JSON)"]
    assert not button.proto.disabled
    # The Bundle's patient (its Patient's first identifier) is the patient shown.
    (patient,) = [s for s in at.selectbox if s.label == "Patient"]
    assert patient.value == "8499029f-70ec-4919-88a9-938d8ad56397"
