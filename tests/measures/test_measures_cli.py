"""`rehab measures` and the questionnaires in `rehab summary --json`."""

import json

import pandas as pd

from rehab.cli import main
from rehab.importer import import_files
from rehab.measures import KEELE_COPYRIGHT, coerce_measures, rescore
from rehab.measures.summary import add_latest_scores, latest_scores
from rehab.settings import RuleSettings

MEASURES_CSV = (
    "patient_id,date,measure,item_1,item_2,item_3,item_4,item_5,item_6,item_7,item_8,item_9,item_10,score\n"
    "PT-1,2026-09-01,start_back,agree,agree,agree,agree,agree,agree,agree,disagree,Extremely,,\n"
    "PT-1,2026-09-01,odi,4,3,3,2,3,3,2,2,2,2,\n"
    "PT-1,2026-10-01,odi,2,2,1,1,1,2,1,1,1,1,\n"
    "PT-1,2026-10-01,rmdq,,,,,,,,,,,30\n"
)
PAIN_CSV = "patient_id,date,pain\nPT-1,2026-09-01,6\nPT-1,2026-10-01,3\n"


def test_measures_json_prints_one_response_per_scored_row(tmp_path, capsys):
    path = tmp_path / "clinic_measures.csv"
    path.write_text(MEASURES_CSV)
    assert main(["measures", "--json", str(path)]) == 1  # the RMDQ total 30 is out of range
    payload = json.loads(capsys.readouterr().out)
    assert payload["responses"] == [
        {
            "patient_id": "PT-1",
            "date": "2026-09-01",
            "measure": "start_back",
            "score": 8.0,
            "band": "high",
            "complete": True,
        },
        {
            "patient_id": "PT-1",
            "date": "2026-09-01",
            "measure": "odi",
            "score": 52.0,
            "band": "",
            "complete": True,
        },
        {
            "patient_id": "PT-1",
            "date": "2026-10-01",
            "measure": "odi",
            "score": 26.0,
            "band": "",
            "complete": True,
        },
    ]
    assert KEELE_COPYRIGHT in payload["licences"]
    assert payload["disclaimer"]
    assert payload["files"][0]["rejected_rows"] == "5"


def test_measures_text_output_and_exit_codes(tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text(MEASURES_CSV.rsplit("PT-1,2026-10-01,rmdq", 1)[0])
    assert main(["measures", str(good)]) == 0
    out = capsys.readouterr().out
    assert "PT-1  2026-09-01  STarT Back: 8 (high risk)" in out
    assert "ODI: 26 %" in out
    assert "Keele University" in out
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert main(["measures", str(good), str(empty)]) == 2


def test_set_turns_on_proportional_roland_morris(tmp_path, capsys):
    answers = ",".join(["yes"] * 11 + ["no"] * 11 + ["", ""])
    path = tmp_path / "m.csv"
    path.write_text(
        "patient_id,date,measure,"
        + ",".join(f"item_{n}" for n in range(1, 25))
        + f"\nPT-1,2026-09-01,rmdq,{answers}\n"
    )
    main(["measures", "--json", str(path)])
    assert json.loads(capsys.readouterr().out)["responses"][0]["score"] is None
    main(
        [
            "measures",
            "--json",
            "--set",
            "rmdq_proportional=true",
            "--set",
            "rmdq_min_answered=22",
            str(path),
        ]
    )
    assert json.loads(capsys.readouterr().out)["responses"][0]["score"] == 12.0  # 11 of 22, x 24


def test_summary_json_gains_the_latest_score_per_measure(tmp_path, capsys):
    (tmp_path / "PT-1_measures.csv").write_text(MEASURES_CSV)
    (tmp_path / "PT-1_pain.csv").write_text(PAIN_CSV)
    main(["summary", "--json", "--as-of", "2026-10-05", str(tmp_path)])
    patient = json.loads(capsys.readouterr().out)["patients"][0]
    assert patient["measures"]["odi"] == {
        "date": "2026-10-01",
        "score": 26.0,
        "band": "",
        "complete": True,
        "change": -26.0,
        "meaningful": "better",
    }
    assert patient["measures"]["start_back"]["band"] == "high"
    assert patient["measures"]["start_back"]["change"] is None


def test_latest_scores_leave_out_rows_after_the_as_of_date_and_keep_the_last_score():
    frame = coerce_measures(
        pd.DataFrame(
            {
                "patient_id": ["A", "A", "A"],
                "date": ["2026-09-01", "2026-09-10", "2026-09-20"],
                "measure": ["rmdq", "rmdq", "rmdq"],
                "score": [14.0, float("nan"), 8.0],
                "complete": [True, False, True],
            }
        )
    )
    early = latest_scores(frame, pd.Timestamp("2026-09-15").date())
    # The incomplete form of 10 Sep does not hide the score of 1 Sep.
    assert early["A"]["rmdq"]["date"] == "2026-09-01"
    assert early["A"]["rmdq"]["score"] == 14.0
    late = latest_scores(frame)
    assert (late["A"]["rmdq"]["change"], late["A"]["rmdq"]["meaningful"]) == (-6.0, "better")


def test_add_latest_scores_gives_every_patient_a_measures_entry():
    batch = import_files([("m.csv", MEASURES_CSV.encode())])
    payload = {"as_of": "2026-12-01", "patients": [{"patient_id": "PT-1"}, {"patient_id": "PT-2"}]}
    add_latest_scores(payload, batch)
    assert set(payload["patients"][0]["measures"]) == {"start_back", "odi"}
    assert payload["patients"][1]["measures"] == {}


def test_rescore_applies_the_clinic_settings_from_the_kept_answers():
    batch = import_files([("m.csv", MEASURES_CSV.encode())])
    stricter = rescore(batch.measures, RuleSettings(start_back_high_subscale=5))
    assert stricter["band"].iloc[0] == "medium"  # subscale 4: high by default, medium here
    assert batch.measures["band"].iloc[0] == "high"  # the imported frame is left as it was
    assert rescore(batch.measures) is batch.measures
