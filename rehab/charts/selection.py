"""The one selection the app listens to: which exercise the patient clicked."""

from __future__ import annotations

from typing import Final

import altair as alt

EXERCISE_PICK: Final = "exercise_pick"


def exercise_pick() -> alt.Parameter:
    """Return the point selection ``exercise_pick`` on the ``exercise`` (library id) field.

    The app reads it through ``st.altair_chart(..., on_select="rerun")`` to open the card of
    the exercise clicked in the sessions or the response chart.
    """
    return alt.selection_point(name=EXERCISE_PICK, fields=["exercise"])
