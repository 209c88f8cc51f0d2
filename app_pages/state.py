"""What the pages share: session state, the per-session memo of imports and analyses, and a
few Streamlit fragments (exercise card, flags, disclaimer). Computing happens in rehab/.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import streamlit as st

from rehab.disclaimer import DISCLAIMER, RED_FLAG_SOURCE, red_flag_lines
from rehab.library import ExerciseLibrary, load_library
from rehab.settings import DEFAULT_SETTINGS, RuleSettings

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    from rehab.importer import ImportBatch

    from rehab.analysis import CohortAnalysis
    from rehab.library import Exercise

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample_data"
_MEMO_KEY = "_memo"
_MEMO_SIZE = 4


@dataclass(frozen=True)
class Dataset:
    """The files the session works on: the bundled demo, or the user's own uploads."""

    source: str  # "demo" or "upload"
    files: tuple[tuple[str, bytes], ...]
    date_order: str = "auto"

    @property
    def digest(self) -> str:
        """A short fingerprint of the content and options, the memo key."""
        hasher = hashlib.blake2b(digest_size=16)
        hasher.update(self.date_order.encode())
        for name, data in self.files:
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
    """The session's current dataset (the demo cohort until the user uploads)."""
    current = st.session_state.get("dataset")
    if isinstance(current, Dataset):
        return current
    return Dataset(source="demo", files=_demo_files())


def use_uploads(files: Sequence[tuple[str, bytes]], date_order: str = "auto") -> None:
    """Make the uploaded files the session's dataset (kept in memory only)."""
    st.session_state["dataset"] = Dataset(source="upload", files=tuple(files), date_order=date_order)
    st.session_state["patient"] = None


def use_demo() -> None:
    """Go back to the bundled demo cohort."""
    st.session_state["dataset"] = None
    st.session_state["patient"] = None


def _memo(key: tuple[Any, ...], compute: Any) -> Any:
    # Per-session memo: health data never leaves this session, is never written to disk,
    # and a rerun after a widget change does not import or analyse again.
    memo: dict[tuple[Any, ...], Any] = st.session_state.setdefault(_MEMO_KEY, {})
    if key not in memo:
        if len(memo) >= _MEMO_SIZE:
            memo.pop(next(iter(memo)))
        memo[key] = compute()
    return memo[key]


def imported(data: Dataset) -> ImportBatch:
    """Import the dataset (once per session and content)."""
    from rehab.importer import ImportOptions, import_files

    def compute() -> ImportBatch:
        options = ImportOptions(date_order=data.date_order)  # type: ignore[arg-type]
        return import_files(data.files, options, library())

    result: ImportBatch = _memo(("import", data.digest), compute)
    return result


def analysed(data: Dataset, as_of: date) -> CohortAnalysis:
    """Analyse the dataset as of a day (once per session, content, day and settings)."""
    from rehab.analysis import analyse

    batch = imported(data)
    rule_settings = settings()

    def compute() -> CohortAnalysis:
        return analyse(
            batch.sessions, batch.pain, as_of=as_of, settings=rule_settings, library=library()
        )

    result: CohortAnalysis = _memo(("analysis", data.digest, as_of, rule_settings), compute)
    return result


def last_log_day(data: Dataset) -> date | None:
    """The last day any log of the dataset mentions (the demo's natural as-of date)."""
    batch = imported(data)
    days = [frame["date"].max() for frame in (batch.sessions, batch.pain) if len(frame)]
    return max(days).date() if days else None


def exercise_card(exercise: Exercise, stats: dict[str, str] | None) -> None:
    """One exercise: picture, what it does, the steps, the dose, cautions, the source."""
    picture, text = st.columns([2, 3], gap="medium")
    svg = exercise.svg()
    if svg:
        picture.image(svg, width="stretch")
    text.subheader(exercise.name)
    kind = "Stretch" if exercise.kind == "stretch" else "Strengthening"
    text.caption(f"{kind} · {exercise.purpose}")
    dose = []
    if exercise.hold_seconds:
        dose.append(f"hold {exercise.hold_seconds:g} s")
    if exercise.reps:
        dose.append(f"repeat {exercise.reps} times")
    dose.append(
        f"{exercise.rehab_per_day} times a day while it hurts, "
        f"{exercise.maintenance_per_day} once pain has gone"
    )
    text.markdown("**Dose:** " + "; ".join(dose))
    if stats:
        cols = text.columns(len(stats))
        for col, (label, value) in zip(cols, stats.items(), strict=True):
            col.metric(label, value)
    with text.expander("How to do it", expanded=stats is None):
        st.markdown("\n".join(f"{i}. {step}" for i, step in enumerate(exercise.steps, 1)))
        if exercise.cautions:
            st.markdown("**Take care:** " + " ".join(exercise.cautions))
        st.caption(f"Source: {exercise.source}")


def sidebar_footer() -> None:
    """The data-source line at the foot of the sidebar."""
    current = dataset()
    with st.sidebar:
        if current.source == "demo":
            st.caption("Showing the synthetic demo cohort.")
        else:
            st.caption(
                f"Showing your {len(current.files)} uploaded file(s), kept in memory "
                "for this browser session only."
            )


def disclaimer_footer() -> None:
    """The disclaimer and the red-flag list, on every page."""
    st.divider()
    with st.container():
        st.caption(f":material/info: {DISCLAIMER}")
        with st.expander("Red-flag symptoms: when to seek urgent care"):
            st.markdown("\n".join(f"- {line}" for line in red_flag_lines()))
            st.caption(f"Sources: {RED_FLAG_SOURCE}.")
