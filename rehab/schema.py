"""The two log formats, declared once.

The importer validates against these specs, ``docs/data-format.md`` is generated from them
(``python -m rehab docs``; a test keeps the file in step), and the imported frames have the
canonical columns and dtypes that :func:`empty_frame` and :func:`coerce_frame` describe.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final, Literal

import pandas as pd
from pandas.api.types import pandas_dtype
from pydantic import BaseModel, ConfigDict

LogKind = Literal["sessions", "pain"]
ValueType = Literal["text", "date", "time", "number", "score", "flag", "exercise"]


class ColumnSpec(BaseModel):
    """One column of a log: its canonical name, what it holds, and the headers that mean it."""

    model_config = ConfigDict(frozen=True)

    name: str
    type: ValueType
    required: bool = False
    description: str
    aliases: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    example: str = ""


class LogSpec(BaseModel):
    """A kind of log: its columns, in the order the canonical CSV writes them."""

    model_config = ConfigDict(frozen=True)

    kind: LogKind
    title: str
    description: str
    columns: tuple[ColumnSpec, ...]

    def column(self, name: str) -> ColumnSpec:
        """Return the column called ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        """Canonical column names, in order."""
        return tuple(col.name for col in self.columns)


_PATIENT = ColumnSpec(
    name="patient_id",
    type="text",
    description=(
        "Who the row belongs to. Optional: a file without it belongs to one patient, "
        "named after the file (a `_sessions` or `_pain` suffix is dropped; a file named by "
        "a date is not a name, so its rows are kept under `unnamed (...)` with a warning). "
        "Also read from person columns (Patient name, Name, Athlete, Client, User, Email); "
        "a specific patient column wins over a bare `ID`, and an ID that differs on every "
        "row is a form's response number, not a patient (warned, not split). "
        "Read as text, so `007` and `NA` are kept as written."
    ),
    aliases=(
        "patient",
        "patient id",
        "patientid",
        "pt",
        "pt id",
        "subject",
        "subject id",
        "participant",
        "participant id",
        "client",
        "client id",
        "id",
        "mrn",
        "patient name",
        "name",
        "full name",
        "athlete",
        "athlete name",
        "client name",
        "user",
        "user name",
        "username",
        "user id",
        "email",
        "email address",
        "e mail",
    ),
    example="PT-0101",
)
_DATE = ColumnSpec(
    name="date",
    type="date",
    required=True,
    description=(
        "Day of the entry: ISO 8601 (`2026-09-01`, or a date-time "
        "`2026-09-01T08:30`), or `dd/mm/yyyy`, `mm/dd/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy` "
        "(also with a two-digit year, read as 20yy with a warning: `11/2/26, 8:05 PM`) "
        "or with an English month name (`2 Nov 2026`, `02-Nov-26`, `Nov 2, 2026`) "
        "when the file settles day versus month (a day above 12 does; 12 does not). A "
        "file that never settles it is not guessed: choose the order explicitly. "
        "Spreadsheet serial numbers of days in 2000-2100 (`46328`, `46328.354`) are read "
        "in the 1900 date system, or 1904 when chosen, with a warning. A UTC stamp "
        "(`Z`, `+00:00`, `UTC`) is moved to the patient's time zone (`--tz`, the app's "
        "choice or a `timezone` column); without one it stays on the UTC day, with a "
        "warning. Any other offset keeps the day as written."
    ),
    aliases=(
        "day",
        "timestamp",
        "datetime",
        "date time",
        "when",
        "session date",
        "log date",
        "entry date",
        "recorded",
        "recorded at",
        "time stamp",
        "completion time",
        "submission date",
        "submitted at",
        "submit date",
    ),
    example="2026-09-01",
)
_TIME = ColumnSpec(
    name="time",
    type="time",
    description=(
        "Time of day, `HH:MM` (24 h), `8:30 am` or a spreadsheet day fraction (`0.875` "
        "is 21:00, warned). Optional."
    ),
    aliases=("time of day", "clock", "hour"),
    example="08:30",
)
_TIMEZONE = ColumnSpec(
    name="timezone",
    type="text",
    description=(
        "The patient's time zone, an IANA name (`Europe/Berlin`). Optional: used only to "
        "move UTC stamps (`2026-09-01T06:30:00Z`) to the patient's own day and time."
    ),
    aliases=("time zone", "tz", "zone"),
    example="Europe/Berlin",
)
_NOTES = ColumnSpec(
    name="notes",
    type="text",
    description=("Free text. Read for red-flag symptoms (see the rules); never written to logs."),
    aliases=("note", "comment", "comments", "remarks", "remark", "description", "details"),
    example="felt stiff in the morning",
)
_RED_FLAG = ColumnSpec(
    name="red_flag",
    type="flag",
    description=(
        "yes/no: a red-flag symptom (for example numbness in both legs, trouble "
        "passing urine). Any yes raises a critical flag."
    ),
    aliases=("redflag", "red flags", "urgent", "warning sign", "warning signs"),
    example="no",
)


def _score(
    name: str, description: str, aliases: tuple[str, ...], *, required: bool = False, example: str = "3"
) -> ColumnSpec:
    return ColumnSpec(
        name=name,
        type="score",
        required=required,
        description=description,
        aliases=aliases,
        minimum=0,
        maximum=10,
        example=example,
    )


SESSIONS: Final = LogSpec(
    kind="sessions",
    title="Session log",
    description="One row each time the patient performs one exercise.",
    columns=(
        _PATIENT,
        _DATE,
        _TIME,
        _TIMEZONE,
        ColumnSpec(
            name="exercise",
            type="exercise",
            required=True,
            description=(
                "The exercise, by library id, name or alias, case-blind (`Back "
                "Extension`, `back_extension`, `press-up`, `Cat-camel`, `knee rolls`, "
                "`TA brace`). A name column wins over an id/code column. A cell listing "
                "several library exercises (`Back Extension, Cat Stretch`, a form's tick "
                "boxes) becomes one session each; a near miss (`hip rols`) is matched with a "
                "'did you mean' warning. An unknown exercise is kept and reported as a warning."
            ),
            aliases=(
                "activity",
                "exercise name",
                "exercise title",
                "exercises",
                "exercises done",
                "movement",
                "stretch",
                "exercise id",
                "exercise code",
                "drill",
            ),
            example="Back Extension",
        ),
        ColumnSpec(
            name="sets",
            type="number",
            description="Sets done. Optional.",
            aliases=("no of sets", "number of sets", "total sets"),
            minimum=0,
            maximum=50,
            example="1",
        ),
        ColumnSpec(
            name="set_number",
            type="number",
            description=(
                "Which set of the exercise this row is (1, 2, 3 ...), as workout apps write one "
                "row per set. Optional. Rows of the same patient, day, time and exercise whose "
                "set numbers count up are one session: sets = the number of set rows, reps and "
                "hold = their mean per set."
            ),
            aliases=("set", "set order", "set number", "set no", "set index", "set nr", "set #"),
            minimum=0,
            maximum=100,
            example="1",
        ),
        ColumnSpec(
            name="reps",
            type="number",
            description="Repetitions done. Optional.",
            aliases=("rep", "repetitions", "repeats", "count"),
            minimum=0,
            maximum=500,
            example="10",
        ),
        ColumnSpec(
            name="hold_seconds",
            type="number",
            description="Seconds each repetition was held. Optional.",
            aliases=(
                "hold",
                "holds",
                "hold s",
                "hold sec",
                "hold secs",
                "hold time",
                "hold seconds",
                "hold duration",
                "seconds",
            ),
            minimum=0,
            maximum=600,
            example="15",
        ),
        _score(
            "pain_before",
            "Pain just before the exercise, 0-10. Optional.",
            (
                "pain before",
                "pain pre",
                "pre pain",
                "before",
                "nrs before",
                "pain start",
                "pain before exercise",
            ),
            example="4",
        ),
        _score(
            "pain_after",
            "Pain just after the exercise, 0-10. Optional.",
            (
                "pain after",
                "pain post",
                "post pain",
                "after",
                "nrs after",
                "pain end",
                "pain after exercise",
            ),
            example="3",
        ),
        _NOTES,
        _RED_FLAG,
    ),
)

PAIN: Final = LogSpec(
    kind="pain",
    title="Pain log",
    description="One row per pain rating; several a day are fine.",
    columns=(
        _PATIENT,
        _DATE,
        _TIME,
        _TIMEZONE,
        _score(
            "pain",
            "Pain now, 0-10 numeric rating scale. Required.",
            (
                "nrs",
                "pain level",
                "pain score",
                "pain rating",
                "score",
                "level",
                "vas",
                "pain nrs",
                "back pain",
            ),
            required=True,
            example="5",
        ),
        ColumnSpec(
            name="flare",
            type="flag",
            description="yes/no: the patient calls this a flare-up. Optional.",
            aliases=("flare up", "flareup", "flare-up", "is flare", "flare day"),
            example="no",
        ),
        _NOTES,
        _RED_FLAG,
    ),
)

SPECS: Final[dict[LogKind, LogSpec]] = {"sessions": SESSIONS, "pain": PAIN}

# Words accepted in yes/no columns (after lower-casing and trimming).
TRUE_WORDS: Final = frozenset({"yes", "y", "true", "t", "1", "x", "ja", "oui", "si", "sí"})
FALSE_WORDS: Final = frozenset({"no", "n", "false", "f", "0", "nein", "non"})

# Columns every imported frame carries besides its spec's columns.
PROVENANCE: Final = ("source_file", "source_row")

# Units and scale ranges in brackets: "Hold (s)", "Pain (0-10)"; "Pain (0-4)" also finds the
# pain column, whose scale check then refuses it (rehab.importer.scales).
_UNIT_RE: Final = re.compile(r"\((?:s|sec|secs|seconds|\d+\s*[-–]\s*\d+|/\s*\d+|nrs)\)|\[[^\]]*\]")
_NON_ALNUM_RE: Final = re.compile(r"[^0-9a-z]+")


def normalise_header(header: str) -> str:
    """Reduce a header to its matching key: case, spaces, punctuation and units ignored.

    >>> normalise_header(" Hold (s) ")
    'hold'
    >>> normalise_header("Pain_Before")
    'painbefore'
    """
    text = header.strip().lower().lstrip("\ufeff")
    text = _UNIT_RE.sub(" ", text)
    return _NON_ALNUM_RE.sub("", text)


def header_lookup(spec: LogSpec) -> dict[str, str]:
    """Map every normalised name and alias of ``spec`` to its canonical column name."""
    return dict(_header_lookup(spec.kind)) if SPECS.get(spec.kind) is spec else _build_lookup(spec)


@cache
def _header_lookup(kind: LogKind) -> dict[str, str]:
    # Called for every imported file: the two bundled specs are resolved once.
    return _build_lookup(SPECS[kind])


def _build_lookup(spec: LogSpec) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for col in spec.columns:
        for key in (col.name, *col.aliases):
            lookup.setdefault(normalise_header(key), col.name)
    return lookup


def frame_dtypes(kind: LogKind) -> dict[str, str]:
    """Return the pandas dtype of every column of an imported ``kind`` frame.

    Text is ``string`` (missing = ``pd.NA``), days are ``datetime64[ns]`` at midnight,
    numbers and scores are nullable ``Float64``, flags nullable ``boolean``; ``exercise``
    holds the library id when the exercise is known, else the text as written, and
    ``exercise_known`` says which.
    """
    by_type = {
        "text": "string",
        "time": "string",
        "exercise": "string",
        "date": "datetime64[ns]",
        "number": "Float64",
        "score": "Float64",
        "flag": "boolean",
    }
    dtypes = {col.name: by_type[col.type] for col in SPECS[kind].columns}
    if kind == "sessions":
        dtypes["exercise_known"] = "bool"
    dtypes["source_file"] = "string"
    dtypes["source_row"] = "Int64"
    return dtypes


def empty_frame(kind: LogKind) -> pd.DataFrame:
    """Return an empty imported frame of ``kind`` with the canonical columns and dtypes."""
    return _empty_template(kind).copy()


@cache
def _empty_template(kind: LogKind) -> pd.DataFrame:
    # Building a typed empty frame costs about a millisecond; a many-file import asks for
    # hundreds, so one template per kind is built and copied (cheap under copy-on-write).
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in frame_dtypes(kind).items()})


def coerce_frame(kind: LogKind, frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with the canonical columns of ``kind``, in order and typed.

    Missing optional columns are added empty; ``date`` is normalised to midnight. Meant for
    frames built by hand (tests, the sample generator); the importer produces this shape.
    """
    out = pd.DataFrame(index=frame.index)
    for name, dtype in frame_dtypes(kind).items():
        if name in frame.columns:
            column = frame[name]
        elif name == "exercise_known":
            column = pd.Series(True, index=frame.index)
        elif name == "patient_id":
            column = pd.Series("patient", index=frame.index)
        else:
            column = pd.Series(pd.NA, index=frame.index)
        if dtype.startswith("datetime"):
            out[name] = (
                pd.to_datetime(column, format="ISO8601").dt.normalize().astype(pandas_dtype(dtype))
            )
        else:
            out[name] = column.astype(pandas_dtype(dtype))
    return out.reset_index(drop=True)
