"""Property: however a patient's exports overlap, repeat and arrive out of order, the workspace
ends up holding each of their rows once, exactly as one import of all of them."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rehab.importer import import_files
from rehab.schema import PROVENANCE
from rehab.store import Workspace
from tests.store.conftest import csv_bytes, sample_rows

if TYPE_CHECKING:
    import random
    from collections.abc import Sequence

# A patient with no set rows and no repeated rows in the sample: each file row is one record.
SESSIONS = sample_rows("PT-0102_sessions.csv")
PAIN = sample_rows("PT-0102_pain.csv")

# An export is a window of each log: (first row, rows) as fractions of the log's length.
windows = st.tuples(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1))


def _window(rows: list[list[str]], start: float, size: float) -> range:
    first = int(start * len(rows))
    return range(first, min(len(rows), first + 1 + int(size * len(rows))))


def _files(picked: tuple[Sequence[int], Sequence[int]]) -> list[tuple[str, bytes]]:
    return [
        ("PT-0102_sessions.csv", csv_bytes(SESSIONS[0], [SESSIONS[1][i] for i in picked[0]])),
        ("PT-0102_pain.csv", csv_bytes(PAIN[0], [PAIN[1][i] for i in picked[1]])),
    ]


def _values(frame: pd.DataFrame) -> pd.DataFrame:
    values = frame.drop(columns=list(PROVENANCE))
    return values.sort_values(list(values.columns)).reset_index(drop=True)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(windows, min_size=1, max_size=4), st.randoms(use_true_random=False))
def test_overlapping_exports_in_any_order_are_stored_once(
    exports: list[tuple[float, float, float, float]], order: random.Random
) -> None:
    picked = [(_window(SESSIONS[1], a, b), _window(PAIN[1], c, d)) for a, b, c, d in exports]
    arrivals = [*picked, picked[0]]  # the first export arrives again, too
    order.shuffle(arrivals)
    union = (
        sorted({i for p in picked for i in p[0]}),
        sorted({i for p in picked for i in p[1]}),
    )
    whole = import_files(_files(union))
    with (
        tempfile.TemporaryDirectory() as folder,
        Workspace.open(Path(folder) / "clinic.rehab") as workspace,
    ):
        for export in arrivals:
            assert workspace.import_files(_files(export)).conflicts == []
        pd.testing.assert_frame_equal(_values(workspace.sessions()), _values(whole.sessions))
        pd.testing.assert_frame_equal(_values(workspace.pain()), _values(whole.pain))
