"""Charts drawn without Altair checking their Vega-Lite spec against the JSON schema again.

Altair validates a chart against the whole Vega-Lite schema every time it is serialised; for
the page's six charts that is about a third of a warm page run. The specs the dashboard draws
come from this package's builders, whose output the chart tests serialise *with* validation
(``chart.to_dict()``), so the app may skip the check when Streamlit serialises them.
"""

from __future__ import annotations

from functools import partial
from typing import TypeVar

import altair as alt

ChartT = TypeVar("ChartT", bound=alt.TopLevelMixin)


def unvalidated(chart: ChartT) -> ChartT:
    """Return ``chart``, whose ``to_dict()`` now skips the schema check unless asked for it.

    Parameters
    ----------
    chart : alt.TopLevelMixin
        A chart built by :mod:`rehab.charts` (a spec the tests validate).

    Returns
    -------
    alt.TopLevelMixin
        The same chart object: ``chart.to_dict()`` gives the same spec, unchecked;
        ``chart.to_dict(validate=True)`` still checks it.
    """
    object.__setattr__(chart, "to_dict", partial(type(chart).to_dict, chart, validate=False))
    return chart
