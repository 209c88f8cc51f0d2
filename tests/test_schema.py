import pandas as pd
import pytest

from rehab.schema import (
    PAIN,
    SESSIONS,
    coerce_frame,
    empty_frame,
    frame_dtypes,
    header_lookup,
    normalise_header,
)


@pytest.mark.parametrize(
    ("header", "canonical"),
    [
        ("Pain before", "pain_before"),
        ("pain_before", "pain_before"),
        ("PAIN-BEFORE", "pain_before"),
        ("Hold (s)", "hold_seconds"),
        ("Hold seconds", "hold_seconds"),
        ("Date", "date"),
        ("Day", "date"),
        ("Timestamp", "date"),
        ("Activity", "exercise"),
        ("Patient ID", "patient_id"),
        ("Patient", "patient_id"),
    ],
)
def test_session_headers_match_their_canonical_column(header, canonical):
    assert header_lookup(SESSIONS)[normalise_header(header)] == canonical


@pytest.mark.parametrize(
    ("header", "canonical"),
    [
        ("Pain", "pain"),
        ("NRS", "pain"),
        ("Pain level", "pain"),
        ("Pain level (0-10)", "pain"),
        ("Flare-up", "flare"),
    ],
)
def test_pain_headers_match_their_canonical_column(header, canonical):
    assert header_lookup(PAIN)[normalise_header(header)] == canonical


def test_aliases_do_not_collide_within_a_kind():
    for spec in (SESSIONS, PAIN):
        owners: dict[str, str] = {}
        for col in spec.columns:
            for key in {normalise_header(k) for k in (col.name, *col.aliases)}:
                assert owners.setdefault(key, col.name) == col.name, key


def test_required_columns():
    assert [c.name for c in SESSIONS.columns if c.required] == ["date", "exercise"]
    assert [c.name for c in PAIN.columns if c.required] == ["date", "pain"]


def test_empty_frame_has_canonical_dtypes():
    frame = empty_frame("sessions")
    assert list(frame.columns) == list(frame_dtypes("sessions"))
    assert str(frame["pain_after"].dtype) == "Float64"
    assert str(frame["date"].dtype) == "datetime64[ns]"


def test_coerce_frame_fills_missing_columns_and_normalises_dates():
    frame = coerce_frame("pain", pd.DataFrame({"date": ["2026-09-01T08:30"], "pain": [4]}))
    assert frame.loc[0, "date"] == pd.Timestamp("2026-09-01")
    assert frame.loc[0, "pain"] == 4.0
    assert pd.isna(frame.loc[0, "flare"])
    assert frame.loc[0, "patient_id"] == "patient"
