"""Session state for the pages: the dataset, the per-session memo of imports and analyses.

Computing happens in rehab/; this module only decides what to compute and keeps the result
for the session, so a widget change reruns without importing or analysing again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import streamlit as st

from app_pages import shared
from rehab.importer.report import ImportOptions
from rehab.library import ExerciseLibrary, load_library
from rehab.settings import DEFAULT_SETTINGS, RuleSettings

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd

    from rehab.analysis import CohortAnalysis
    from rehab.importer import ImportBatch
    from rehab.review import ReviewLike, WeekChange
    from rehab.store import Workspace

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample_data"
_MEMO_KEY = "_memo"
_UPLOAD_KEY = "_upload_fingerprint"  # the uploads last hashed, and their fingerprint
_MEMO_SIZE = 8
# Column mappings the user chose in this session, by header fingerprint (memory only).
MAPPINGS_KEY = "header_mappings"
LONG_KEY = "header_long"  # long layouts chosen, by header fingerprint
DEFAULT_OPTIONS = ImportOptions()


@dataclass(frozen=True)
class Dataset:
    """The files the session works on: the bundled demo, or the user's own uploads."""

    source: str  # "demo", "upload" or "workspace" (the clinic's store: no files in memory)
    files: tuple[tuple[str, bytes], ...]
    options: ImportOptions = DEFAULT_OPTIONS  # date order, time zone, date system, mappings
    notes: tuple[str, ...] = ()  # what unpacking archives left out
    upload_digest: str = ""  # fingerprint of the files as uploaded (before unpacking)
    version: str = ""  # the workspace's content version (see workspace_version)

    @cached_property
    def digest(self) -> str:
        """A short fingerprint of the content and options, the memo key (hashed once)."""
        if self.source == "workspace":
            return f"workspace:{self.version}"
        return fingerprint(self.files, self.options)


def fingerprint(files: Sequence[tuple[str, bytes]], options: ImportOptions) -> str:
    """Hash file names, contents and every import option: equal inputs, equal fingerprint."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(options.model_dump_json().encode())
    for name, data in files:
        hasher.update(name.encode())
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def init_state() -> None:
    """Set the session's defaults once; later reruns keep what the user chose."""
    defaults: dict[str, Any] = {
        "dataset": None,  # None = the demo cohort
        "patient": None,
        "settings": DEFAULT_SETTINGS,
        _MEMO_KEY: {},
    }
    for key, value in defaults.items():
        st.session_state.setdefault(key, value)


def settings() -> RuleSettings:
    """The rule settings of this session."""
    value = st.session_state.get("settings", DEFAULT_SETTINGS)
    return value if isinstance(value, RuleSettings) else DEFAULT_SETTINGS


@st.cache_resource(show_spinner=False)
def library() -> ExerciseLibrary:
    """The bundled exercise library (data, shared by all sessions: no patient data in it)."""
    return load_library()


@st.cache_resource(show_spinner=False)
def _demo_files() -> tuple[tuple[str, bytes], ...]:
    paths = sorted(SAMPLE_DIR.glob("*.csv"))
    return tuple((path.name, path.read_bytes()) for path in paths)


def dataset() -> Dataset:
    """The session's current dataset: the user's uploads, else the workspace, else the demo."""
    current = st.session_state.get("dataset")
    if isinstance(current, Dataset):
        return current
    store = workspace()
    if store is not None:
        stored = Dataset(source="workspace", files=(), version=workspace_version(store))
        _keep_as_of(stored)
        return stored
    return Dataset(source="demo", files=_demo_files())


def _keep_as_of(stored: Dataset) -> None:
    """Tell views.as_of_control which as-of day a workspace opens on, and keep it.

    The day resets when the dataset changes; a workspace is one dataset that grows, so the
    day chosen stays across imports and forgets. The demo workspace's logs end on a fixed
    day: like the demo cohort, it opens as of its last log, not today.
    """
    from app_pages import workspace_source

    kept = str(st.session_state.get("as_of_dataset", ""))
    if kept.startswith("workspace:"):
        st.session_state["as_of_dataset"] = stored.digest
    elif (workspace_source.choice() or "").lower() == workspace_source.DEMO:
        st.session_state["as_of_kept"] = last_log_day(stored) or date.today()
        st.session_state["as_of_dataset"] = stored.digest
        st.session_state.pop("as_of", None)


def workspace() -> Workspace | None:
    """The clinic's workspace when the app was started with one, else None (nothing stored)."""
    from app_pages import workspace_source

    return workspace_source.workspace()


def workspace_version(store: Workspace) -> str:
    """The store's content version: it changes whenever the stored logs change.

    :meth:`rehab.store.Workspace.logs_revision` (newest import that added rows, rows per
    kind): another session's import or forget shows here on the next rerun; reviews do not
    touch it (they are read on every run).
    """
    return ".".join(str(part) for part in store.logs_revision())


def use_uploads(files: Sequence[tuple[str, bytes]], options: ImportOptions = DEFAULT_OPTIONS) -> None:
    """Make the uploaded files (ZIPs unpacked) the session's dataset, kept in memory only.

    Called on every rerun while files sit in an uploader: it only replaces the dataset (and
    forgets the chosen patient) when the files or any import option really changed. The
    column mappings remembered in this session join ``options`` here.
    """
    from rehab.archive import expand_uploads

    options = options.model_copy(
        update={"header_mappings": remembered_mappings(), "header_long": remembered_long()}
    )
    upload_digest = _upload_fingerprint(files, options)
    if dataset().upload_digest == upload_digest:
        return
    unpacked = expand_uploads(files)
    uploaded = Dataset(
        source="upload",
        files=tuple(unpacked.files),
        options=options,
        notes=tuple(unpacked.notes),
        upload_digest=upload_digest,
    )
    if uploaded.files == tuple(files):
        # Nothing was unpacked: the content's fingerprint is the upload's (not hashed twice).
        uploaded.__dict__["digest"] = upload_digest
    st.session_state["dataset"] = uploaded
    st.session_state["patient"] = None


def _upload_fingerprint(files: Sequence[tuple[str, bytes]], options: ImportOptions) -> str:
    """``fingerprint(files, options)``, hashed once while the same files sit in the uploader.

    Every rerun hands over the uploader's files again: hashing 8 MB of them again cost
    about 9 ms a rerun, comparing them with the bytes last hashed (kept with the answer) well
    under 1 ms, and nothing when they are the very same objects.
    """
    last = st.session_state.get(_UPLOAD_KEY)
    if last is not None:
        last_options, last_files, digest = last
        if (
            last_options == options
            and len(last_files) == len(files)
            and all(
                name == last_name and data == last_data
                for (name, data), (last_name, last_data) in zip(files, last_files, strict=True)
            )
        ):
            return str(digest)
    digest = fingerprint(files, options)
    st.session_state[_UPLOAD_KEY] = (options, tuple(files), digest)
    return digest


def remembered_mappings() -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """The column mappings chosen in this session, as ImportOptions.header_mappings."""
    stored: dict[str, tuple[tuple[str, str], ...]] = st.session_state.get(MAPPINGS_KEY, {})
    return tuple(sorted(stored.items()))


def remember_mapping(header_fingerprint: str, mapping: tuple[tuple[str, str], ...]) -> None:
    """Remember a mapping for files with this header (or forget it, when empty)."""
    stored: dict[str, tuple[tuple[str, str], ...]] = st.session_state.setdefault(MAPPINGS_KEY, {})
    if mapping:
        stored[header_fingerprint] = mapping
    else:
        stored.pop(header_fingerprint, None)


LongLayout = tuple[tuple[str, str], tuple[tuple[str, str], ...]]


def remembered_long() -> tuple[tuple[str, tuple[str, str], tuple[tuple[str, str], ...]], ...]:
    """The long layouts chosen in this session, as ImportOptions.header_long."""
    stored: dict[str, LongLayout] = st.session_state.get(LONG_KEY, {})
    return tuple((key, columns, series) for key, (columns, series) in sorted(stored.items()))


def remember_long(header_fingerprint: str, layout: LongLayout | None) -> None:
    """Remember that files with this header are long: (series, value) columns, series mapping."""
    stored: dict[str, LongLayout] = st.session_state.setdefault(LONG_KEY, {})
    if layout is None:
        stored.pop(header_fingerprint, None)
    else:
        stored[header_fingerprint] = layout


def forget_mappings(fingerprints: Sequence[str]) -> None:
    """Forget the column choices made for these headers (to choose again)."""
    for key in (MAPPINGS_KEY, LONG_KEY):
        stored: dict[str, Any] = st.session_state.setdefault(key, {})
        for fingerprint in fingerprints:
            stored.pop(fingerprint, None)


def header_fingerprints(data: Dataset) -> tuple[str, ...]:
    """The header fingerprint of every file of the dataset (once per session and content)."""
    from rehab.importer.mapping import file_header, header_fingerprint

    def compute() -> tuple[str, ...]:
        return tuple(header_fingerprint(file_header(content)) for _, content in data.files)

    result: tuple[str, ...] = _memo(("headers", data.digest), compute)
    return result


def open_patient(patient_id: str) -> None:
    """Remember the patient to open on the progress page."""
    st.session_state["patient"] = patient_id


def use_demo() -> None:
    """Go back to the bundled demo cohort (the workspace, when the app has one)."""
    st.session_state["dataset"] = None
    st.session_state["patient"] = None
    st.session_state.pop(_UPLOAD_KEY, None)  # let go of the uploaded bytes


def use_workspace() -> None:
    """Show the workspace again, after files were looked at in this session's memory only."""
    if dataset().source == "upload":
        use_demo()


def _memo(key: tuple[Any, ...], compute: Any) -> Any:
    # Per-session memo: health data never leaves this session, is never written to disk,
    # and a rerun after a widget change does not import or analyse again. Keys are
    # (what, dataset digest, ...): work on another dataset is forgotten when the dataset
    # changes, and within one dataset the least recently used entry goes first.
    memo: dict[tuple[Any, ...], Any] = st.session_state.setdefault(_MEMO_KEY, {})
    if key in memo:
        memo[key] = memo.pop(key)
        return memo[key]
    for stale in [k for k in memo if k[1] != key[1]]:
        del memo[stale]
    while len(memo) >= _MEMO_SIZE:
        memo.pop(next(iter(memo)))
    memo[key] = compute()
    return memo[key]


def imported(data: Dataset) -> ImportBatch:
    """Import the dataset (once per session and content; the demo once per process)."""
    result: ImportBatch = _memo(("import", data.digest), lambda: _import(data))
    return result


def _import(data: Dataset) -> ImportBatch:
    """Import the dataset: the shared demo's import once per process, anything else anew."""
    from rehab.importer import import_files

    def build() -> ImportBatch:
        if data.source == "workspace":
            return _stored_batch()
        return import_files(data.files, data.options, library())

    return shared.batch(data.digest, build) if _shared(data) else build()


def _shared(data: Dataset) -> bool:
    """Whether the dataset is synthetic demo data that every session may share (app_pages.shared).

    The bundled demo cohort and the temporary demo workspace (``REHAB_WORKSPACE=demo``) are;
    a user's uploads and a clinic's workspace stay per session.
    """
    if data.source == "demo":
        return data.files == _demo_files() and data.options == DEFAULT_OPTIONS
    if data.source == "workspace":
        from app_pages import workspace_source

        return workspace_source.is_demo()
    return False


def warm_shared_demo() -> Dataset | None:
    """Import and analyse the shared demo as a first visit would, before any visitor comes.

    The same calls as the progress page's first run with the default settings (the same
    dataset, digest and as-of day), so that run finds both in ``app_pages.shared``. Only the
    synthetic demo: the bundled cohort, or the temporary demo workspace; with a clinic's
    workspace nothing is opened or read (returns None). Returns the dataset warmed.
    """
    from app_pages import workspace_source

    if workspace_source.choice() is None:
        data = Dataset(source="demo", files=_demo_files())
    elif workspace_source.is_demo():
        store = workspace()
        if store is None:
            return None
        data = Dataset(source="workspace", files=(), version=workspace_version(store))
    else:
        return None
    if not _shared(data):
        return None
    batch = _import(data)
    _analyse(data, batch, _last_day(batch) or date.today(), DEFAULT_SETTINGS)
    return data


def _stored_batch() -> ImportBatch:
    """The workspace's stored rows as an import of no files (the reports are the imports')."""
    from rehab.importer import ImportBatch

    store = workspace()
    batch = ImportBatch(files=[])
    if store is not None:
        batch.sessions, batch.pain = store.frames()  # one read: a consistent pair
        batch.measures = store.measures()
    return batch


def analysed(data: Dataset, as_of: date) -> CohortAnalysis:
    """Analyse the dataset as of a day (once per session, content, day and settings)."""
    batch = imported(data)
    rule_settings = settings()
    result: CohortAnalysis = _memo(
        ("analysis", data.digest, as_of, rule_settings),
        lambda: _analyse(data, batch, as_of, rule_settings),
    )
    return result


def _analyse(
    data: Dataset, batch: ImportBatch, as_of: date, rule_settings: RuleSettings
) -> CohortAnalysis:
    """Analyse the dataset's import: the shared demo's once per process and day, else anew."""
    from rehab.analysis import analyse

    def build() -> CohortAnalysis:
        return analyse(
            batch.sessions,
            batch.pain,
            measures=batch.measures,
            as_of=as_of,
            settings=rule_settings,
            library=library(),
        )

    if rule_settings == DEFAULT_SETTINGS and _shared(data):
        return shared.analysis(data.digest, as_of, build)
    return build()


def last_log_day(data: Dataset) -> date | None:
    """The last day any log of the dataset mentions (the demo's natural as-of date)."""
    return _last_day(imported(data))


def _last_day(batch: ImportBatch) -> date | None:
    days = [frame["date"].max() for frame in (batch.sessions, batch.pain) if len(frame)]
    return max(days).date() if days else None


def first_log_day(data: Dataset) -> date | None:
    """The first day any log of the dataset mentions."""
    batch = imported(data)
    days = [frame["date"].min() for frame in (batch.sessions, batch.pain) if len(frame)]
    return min(days).date() if days else None


def screen(data: Dataset, as_of: date, cohort: CohortAnalysis, batch: ImportBatch) -> pd.DataFrame:
    """The screening table of the dataset (once per session, content, day and settings)."""
    from rehab.screening import screening_frame

    result: pd.DataFrame = _memo(
        ("screen", data.digest, as_of, settings()), lambda: screening_frame(cohort, batch)
    )
    return result


def cohort_chart_specs(data: Dataset, as_of: date, cohort: CohortAnalysis) -> tuple[dict[str, Any], ...]:
    """The cohort panels as Vega-Lite specs, built once per dataset and day.

    Building three Altair charts takes about 25 ms (checking them against the Vega-Lite
    schema as well, twice that: the chart tests check these builders' specs, as
    rehab.charts.trusted says); a filter change must not pay for it again.
    """
    from rehab.charts import cohort_panels

    rule_settings = settings()

    def compute() -> tuple[dict[str, Any], ...]:
        panels = cohort_panels(cohort.triage(), mcid_points=rule_settings.mcid_points)
        return tuple(panel.to_dict(validate=False) for panel in panels)

    result: tuple[dict[str, Any], ...] = _memo(
        ("cohort_charts", data.digest, as_of, rule_settings), compute
    )
    return result


def weeks(data: Dataset, as_of: date, cohort: CohortAnalysis) -> dict[str, WeekChange]:
    """Each patient's pain and exercises this week and last (once per content, day, settings)."""
    from rehab.review import week_table

    def compute() -> dict[str, WeekChange]:
        return week_table({pid: p.daily for pid, p in cohort.patients.items()}, as_of)

    result: dict[str, WeekChange] = _memo(("weeks", data.digest, as_of, settings()), compute)
    return result


def reviewed(data: Dataset, as_of: date, cohort: CohortAnalysis, table: pd.DataFrame) -> pd.DataFrame:
    """The triage table with the review columns, in review order (reviews read every run)."""
    from rehab.review import review_frame

    store = workspace()
    last: dict[str, ReviewLike] = dict(store.last_reviews()) if store is not None else {}
    since = store.rows_since_last_review() if store is not None else {}
    new_rows = {patient_id: sum(kinds.values()) for patient_id, kinds in since.items()}
    return review_frame(table, weeks(data, as_of, cohort), as_of, last, new_rows)
