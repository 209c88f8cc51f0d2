"""The demo clinic's questionnaires tell the same story as the demo logs."""

import pandas as pd
import pytest

from rehab.importer import import_files
from rehab.measures import change_from_first
from rehab.sample.measures import DEMO_MEASURES_FILE, demo_measures, write_measures
from rehab.sample.stories import DEMO_END, demo_stories


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    path = write_measures(demo_measures(), tmp_path_factory.mktemp("demo"))
    assert path.name == DEMO_MEASURES_FILE
    return import_files([(path.name, path.read_bytes())])


def test_every_row_imports_and_one_oswestry_is_incomplete(imported):
    report = imported.files[0].report
    assert (report.kind, report.rejected, report.duplicates) == ("measures", 0, 0)
    assert report.accepted == len(imported.measures)
    assert [i.code for i in report.issues] == ["incomplete_form"]
    assert int((~imported.measures["complete"]).sum()) == 1


def test_start_back_at_each_first_visit_and_the_slow_improver_screens_high_risk(imported):
    frame = imported.measures
    screens = frame[frame["measure"] == "start_back"].set_index("patient_id")
    for story in demo_stories():
        first = pd.Timestamp(DEMO_END) + pd.Timedelta(days=story.plan.first)
        assert screens.loc[story.plan.patient_id, "date"] == first
    assert screens["band"].to_dict()["PT-0108"] == "high"
    assert (screens.drop(index="PT-0108")["band"] != "high").all()


def test_oswestry_every_two_to_four_weeks_within_the_logs(imported):
    frame = imported.measures
    for story in demo_stories():
        days = frame[(frame["patient_id"] == story.plan.patient_id) & (frame["measure"] == "odi")][
            "date"
        ]
        gaps = days.diff().dropna().dt.days
        assert len(days) >= 3
        assert gaps.between(14, 28).all()
        assert days.max() <= pd.Timestamp(DEMO_END) + pd.Timedelta(days=story.plan.last)


def test_disability_follows_the_pain_course(imported):
    change = change_from_first(imported.measures).set_index(["patient_id", "measure"])["meaningful"]
    for patient in ("PT-0101", "PT-0102", "PT-0104", "PT-0105"):
        assert change[(patient, "odi")] == "better", patient
    assert change[("PT-0108", "odi")] == ""  # the slow improver: no meaningful change
    assert "worse" not in set(change)  # no demo story is a worsening disability


def test_the_generator_is_deterministic():
    assert demo_measures(seed=7).equals(demo_measures(seed=7))
    assert not demo_measures(seed=7).equals(demo_measures(seed=8))
