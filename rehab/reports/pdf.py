"""One-page PDF reports for the clinical record (two with questionnaires), generated offline.

>>> pdf = patient_pdf(cohort, "PT-0101")  # doctest: +SKIP
>>> write_report_batch(cohort, Path("reports"))  # rehab.reports.batch  # doctest: +SKIP

Each page: the patient id, the period, the as-of date and when the report was generated, the
alert tier in words, the flags (most urgent first) with their rules and sources, adherence and
pain, the pain chart, the phase history, the exercise response, and the self-reported-data
disclaimer with the red-flag advice. A patient with questionnaires gets a second page: each
measure's first and latest score, the change and whether it matters, the rules and sources,
and Keele's statement under a STarT Back result. The generation time is the clock's unless given, so
callers that need equal bytes (tests) pass ``generated_at``.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

import altair as alt
import vl_convert
from altair.utils.schemapi import debug_mode
from altair.vegalite.v6.api import _dataset_name

from rehab import present
from rehab.charts.export import _vl_version, _with_fixed_width
from rehab.charts.pain import PainChartParts, legends_beside, pain_chart_of, pain_chart_parts
from rehab.library import load_library
from rehab.reports.filenames import report_file_names
from rehab.reports.pdf_content import page_content
from rehab.reports.pdf_document import ReportDocument
from rehab.reports.pdf_page import ChartImage, draw_measures_page, draw_page, fit_layout

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rehab.analysis import CohortAnalysis, PatientAnalysis
    from rehab.library import ExerciseLibrary
    from rehab.settings import RuleSettings

__all__ = [
    "cohort_pdf",
    "pain_chart_png",
    "patient_pdf",
    "report_chart_spec",
    "report_file_names",
    "report_pain_chart",
    "warm_up",
]

# Chart size in CSS pixels; the PNG is drawn across the text width (178 mm), so these numbers
# fix its height on the page (about 70 mm) and its text size (about 7 pt).
CHART_WIDTH_PX: Final = 640
CHART_HEIGHT_PX: Final = 250
CHART_SCALE: Final = 2.0


def report_pain_chart(cohort: CohortAnalysis, patient_id: str) -> alt.TopLevelMixin:
    """Return the patient's pain chart as the report draws it (fixed size, legends beside).

    Parameters
    ----------
    cohort
        The analysis.
    patient_id
        A patient of ``cohort``.

    Returns
    -------
    alt.TopLevelMixin
        The chart, :data:`CHART_HEIGHT_PX` high, with its pain axis titled.
    """
    patient = _patient(cohort, patient_id)
    # Altair validates every part of a chart as it is built; the report builds one per patient,
    # the same way each time, and the tests validate it: built without, it costs half as much.
    with debug_mode(False):
        return _pain_chart(patient, cohort.settings)


def _parts(patient: PatientAnalysis, settings: RuleSettings) -> PainChartParts:
    summary = patient.summary
    return pain_chart_parts(
        patient.daily,
        patient.phases,
        baseline=summary.pain.baseline,
        mcid_points=settings.mcid_points,
        pain_free_max=settings.pain_free_max,
        markers=present.chart_markers(summary),
    )


def _finished(chart: alt.LayerChart) -> alt.TopLevelMixin:
    # Legends beside the plot leave it the full height, and stack however many events there are.
    # (legends_beside also keeps them clear of the baseline and goal labels right of the plot.)
    configured: alt.TopLevelMixin = legends_beside(chart.properties(height=CHART_HEIGHT_PX))
    return configured


def _pain_chart(patient: PatientAnalysis, settings: RuleSettings) -> alt.TopLevelMixin:
    # The page has its own heading and caption; a title in the picture would repeat them.
    return _finished(pain_chart_of(_parts(patient, settings), title=""))


# Shapes kept at most (a shape is a time bin, an axis, the lines and the kinds of event drawn:
# a clinic's batch has a few dozen).
MAX_TEMPLATES: Final = 256
# A dataset's name in a spec: Altair names each by a hash of its values.
_DATASET_NAME: Final = re.compile(r'"(data-[0-9a-f]{32})"')
# Per chart shape: the spec's JSON (datasets left out), the roles of its datasets in the
# spec's order, and the name each role had in it.
_templates: dict[tuple[object, ...], tuple[str, list[str], dict[str, str]]] = {}


def report_chart_spec(cohort: CohortAnalysis, patient_id: str) -> dict[str, Any]:
    """Return ``report_pain_chart(cohort, patient_id).to_dict(validate=False)``, faster.

    Building a chart in Altair costs far more than its data: charts of one shape
    (:meth:`PainChartParts.shape`) differ only in their data sets, so the first chart of each
    shape is built by Altair and kept without its data, and the next ones of that shape are
    that spec with their own data sets (named by Altair's own hash, in Altair's order).
    """
    patient = _patient(cohort, patient_id)
    parts = _parts(patient, cohort.settings)
    if alt.data_transformers.active != "default" or not alt.data_transformers.consolidate_datasets:
        return _built(parts)
    frames = parts.frames()
    transform = alt.data_transformers.get()
    if transform is None:
        return _built(parts)
    values = {role: transform(frame)["values"] for role, frame in frames.items()}
    names = {role: _dataset_name(rows) for role, rows in values.items()}
    key = (parts.shape(), alt.theme.active, tuple(frames))
    template = _templates.get(key)
    if template is None:
        spec = _built(parts)
        datasets = list(spec.get("datasets", {}))
        # Kept only when each role has a name of its own (two frames of equal values, say
        # two empty ones, share one data set and could not be told apart).
        distinct = len(set(names.values())) == len(names) == len(datasets)
        if (
            distinct
            and set(datasets) == set(names.values())
            and "empty" not in datasets
            and len(_templates) < MAX_TEMPLATES
        ):
            role_of = {name: role for role, name in names.items()}
            text = json.dumps({**spec, "datasets": None})
            _templates[key] = (text, [role_of[name] for name in datasets], names)
        return spec
    text, order, old_names = template
    renamed = {old_names[role]: names[role] for role in old_names}
    fresh: dict[str, Any] = json.loads(
        _DATASET_NAME.sub(lambda match: f'"{renamed.get(match[1], match[1])}"', text)
    )
    fresh["datasets"] = {}
    for role in order:
        fresh["datasets"].setdefault(names[role], values[role])
    return fresh


def _built(parts: PainChartParts) -> dict[str, Any]:
    with debug_mode(False):
        spec: dict[str, Any] = _finished(pain_chart_of(parts, title="")).to_dict(validate=False)
    return spec


def pain_chart_png(cohort: CohortAnalysis, patient_id: str) -> bytes:
    """Render the patient's pain chart at the report's fixed size (PNG bytes).

    Parameters
    ----------
    cohort
        The analysis.
    patient_id
        A patient of ``cohort``.

    Returns
    -------
    bytes
        The PNG, :data:`CHART_WIDTH_PX` x :data:`CHART_HEIGHT_PX` at :data:`CHART_SCALE`.
    """
    spec = _with_fixed_width(report_chart_spec(cohort, patient_id), CHART_WIDTH_PX)
    # The same pixels as ``rehab.charts.chart_png`` (the tests compare them), in less time: the
    # spec is not validated again (the tests validate it), and drawing the SVG to PNG in two
    # steps spares vl-convert's slower direct path to PNG.
    svg = vl_convert.vegalite_to_svg(spec, vl_version=_vl_version())
    png: bytes = vl_convert.svg_to_png(svg, scale=CHART_SCALE)
    return png


def warm_up() -> None:
    """Start vl-convert's JavaScript engine and load its fonts: a worker's first chart is slow."""
    spec = {"data": {"values": [{"x": 1}]}, "mark": "text", "encoding": {"text": {"field": "x"}}}
    vl_convert.svg_to_png(vl_convert.vegalite_to_svg(spec, vl_version=_vl_version()), scale=1)


def page_count(cohort: CohortAnalysis, patient_id: str) -> int:
    """Pages of one patient's report: one, and a second for their questionnaires if any."""
    return 2 if _patient(cohort, patient_id).measure_changes else 1


def _patient(cohort: CohortAnalysis, patient_id: str) -> PatientAnalysis:
    try:
        return cohort.patients[patient_id]
    except KeyError:
        raise KeyError(f"no patient {patient_id!r} in this analysis") from None


def _add_patient_page(
    pdf: ReportDocument,
    cohort: CohortAnalysis,
    patient_id: str,
    library: ExerciseLibrary,
    generated_at: datetime,
) -> None:
    _patient(cohort, patient_id)
    content = page_content(cohort, patient_id, library, generated_at)
    chart = ChartImage.from_png(pain_chart_png(cohort, patient_id))
    layout = fit_layout(content, chart.height_for(pdf.epw), cohort.as_of)
    pdf.add_page()
    # Set after add_page: adding a page first prints the previous page's footer.
    pdf.footer_label = f"rehab \u00b7 patient {content.patient_id} \u00b7 as of {content.as_of}"
    draw_page(pdf, content, chart, layout)
    if content.measures:
        pdf.add_page()
        draw_measures_page(pdf, content)


def cohort_pdf(
    cohort: CohortAnalysis,
    patient_ids: Sequence[str],
    *,
    library: ExerciseLibrary | None = None,
    compress: bool = True,
    generated_at: datetime | None = None,
) -> bytes:
    """Return one PDF with one A4 page per patient (two with questionnaires), in the order given.

    Parameters
    ----------
    cohort
        The analysis; its as-of date dates the reports.
    patient_ids
        Patients of ``cohort``; an empty list gives a one-page PDF that says so.
    library
        Names the exercises; the bundled library when not given.
    compress
        Compress the page content (``False`` keeps the text readable, for tests).
    generated_at
        When the report is made, printed beside the as-of date; now (local time) when not
        given.

    Returns
    -------
    bytes
        The PDF file.

    Raises
    ------
    KeyError
        When a patient id is not in ``cohort``.
    """
    library = library or load_library()
    generated_at = generated_at or datetime.now().astimezone()
    # One page per patient (pages are laid out to fit), or one saying that none was chosen.
    pdf = ReportDocument(
        cohort.as_of,
        generated_at=generated_at,
        compress=compress,
        page_total=max(1, sum(page_count(cohort, patient_id) for patient_id in patient_ids)),
    )
    for patient_id in patient_ids:
        _add_patient_page(pdf, cohort, patient_id, library, generated_at)
    if not patient_ids:
        pdf.add_page()
        pdf.style(11)
        pdf.cell(0, 8, "No patients selected.")
    return bytes(pdf.output())


def patient_pdf(
    cohort: CohortAnalysis,
    patient_id: str,
    *,
    library: ExerciseLibrary | None = None,
    compress: bool = True,
    generated_at: datetime | None = None,
) -> bytes:
    """Return one patient's A4 report for the clinical record (a page, two with questionnaires).

    Parameters
    ----------
    cohort
        The analysis; its as-of date dates the report.
    patient_id
        A patient of ``cohort``.
    library
        Names the exercises; the bundled library when not given.
    compress
        Compress the page content (``False`` keeps the text readable, for tests).
    generated_at
        When the report is made; now when not given.

    Returns
    -------
    bytes
        The PDF file.
    """
    return cohort_pdf(
        cohort, [patient_id], library=library, compress=compress, generated_at=generated_at
    )
