"""The two table shapes of the Dask path, declared once.

``rows``: the imported rows of every kind of log in one frame (the union of the canonical
columns), with the file each row came from and its position in that file's frame, so a
partition can rebuild each file's import exactly. ``summaries``: one row per patient, its
columns derived from :class:`rehab.analysis.PatientSummary` (the ``rehab summary --json``
record): plain fields typed, nested ones as JSON text, so the record comes back value for value.
"""

from __future__ import annotations

import json
import types
import typing
from dataclasses import fields
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any, Final, Literal, get_args, get_origin

import numpy as np
import pandas as pd

from rehab.analysis import TIER_ORDER, PatientSummary
from rehab.analysis.triage import latest_flag_date
from rehab.importer import FileImport, FileReport

if TYPE_CHECKING:
    from collections.abc import Hashable, Mapping

__all__ = [
    "FILE",
    "KIND",
    "POSITION",
    "SUMMARY_FIELDS",
    "empty_rows",
    "empty_summaries",
    "kind_frames",
    "kinds",
    "record_of",
    "rows_of",
    "summaries_frame",
]

# Helper columns of the rows frame: the file's place in the input, the kind, the row's place.
FILE: Final = "_file"
KIND: Final = "_kind"
POSITION: Final = "_position"
# Numpy dtypes that cannot hold a missing value: a union column needs the nullable one.
_NULLABLE: Final = {"bool": "boolean", "int64": "Int64"}
FieldKind = Literal["text", "int", "date", "json"]


@cache
def kinds() -> tuple[str, ...]:
    """Return the kinds of rows an import carries (``sessions``, ``pain``, ``measures``...), in order."""
    return tuple(f.name for f in fields(FileImport) if f.name not in ("report", "rejected"))


def kind_frames() -> dict[str, pd.DataFrame]:
    """Return an empty canonical frame per kind, as the importer makes them."""
    empty = FileImport(report=FileReport(file="", kind=None))
    return {kind: getattr(empty, kind) for kind in kinds()}


@cache
def _row_dtypes() -> dict[str, Any]:
    dtypes: dict[str, Any] = {FILE: "int64", KIND: "int8", POSITION: "int64"}
    for frame in kind_frames().values():
        for column, dtype in frame.dtypes.items():
            dtypes.setdefault(str(column), _NULLABLE.get(str(dtype), dtype))
    return dtypes


def empty_rows() -> pd.DataFrame:
    """Return the rows frame with no row: the ``meta`` of every imported partition."""
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in _row_dtypes().items()})


def rows_of(result: FileImport, file: int) -> pd.DataFrame:
    """One file's accepted rows of every kind as a rows frame (file ``file`` of the input)."""
    parts = []
    for index, kind in enumerate(kinds()):
        frame: pd.DataFrame = getattr(result, kind)
        if len(frame):
            where = {FILE: np.full(len(frame), file), KIND: np.full(len(frame), index)}
            where[POSITION] = np.arange(len(frame))
            parts.append(pd.concat([frame, pd.DataFrame(where, index=frame.index)], axis=1))
    if not parts:
        return empty_rows()
    return pd.concat(parts, ignore_index=True).reindex(columns=list(_row_dtypes())).astype(_row_dtypes())


def frames_of(rows: pd.DataFrame) -> dict[int, dict[str, pd.DataFrame]]:
    """Split a rows frame back into each file's canonical frames, by file, in file order."""
    templates = kind_frames()
    ordered = rows.sort_values([FILE, KIND, POSITION], kind="stable")
    out: dict[int, dict[str, pd.DataFrame]] = {}
    for key, part in ordered.groupby([FILE, KIND], sort=True):
        file, kind_index = (int(k) for k in key)  # type: ignore[call-overload]
        kind = kinds()[kind_index]
        template = templates[kind]
        frame = part.loc[:, list(template.columns)].astype(template.dtypes.to_dict())
        out.setdefault(file, {})[kind] = frame.reset_index(drop=True)
    return out


def _field_kind(annotation: Any) -> FieldKind:
    """Say how a summary field is stored: typed scalar columns, JSON text for the rest."""
    options = [a for a in get_args(annotation) if a is not type(None)]
    if get_origin(annotation) in (typing.Union, types.UnionType) and len(options) == 1:
        annotation = options[0]
    if annotation is date:
        return "date"
    if annotation is int:
        return "int"
    if annotation is str or get_origin(annotation) is Literal:
        return "text"
    return "json"


SUMMARY_FIELDS: Final[dict[str, FieldKind]] = {
    name: _field_kind(info.annotation) for name, info in PatientSummary.model_fields.items()
}
_DTYPES: Final = {"text": "string", "int": "Int64", "date": "datetime64[ns]", "json": "string"}
# Beyond the model: keys added to each record after the analysis (the latest questionnaire
# scores), as one JSON object; and the triage keys, so a stored result sorts like the app.
_EXTRA: Final = {"extra": "string", "alert_rank": "Int64", "latest_flag_date": "datetime64[ns]"}
SUMMARY_DTYPES: Final = {name: _DTYPES[kind] for name, kind in SUMMARY_FIELDS.items()} | _EXTRA


def empty_summaries() -> pd.DataFrame:
    """Return the summaries frame with no patient: the ``meta`` of the screened partitions."""
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in SUMMARY_DTYPES.items()})


def summaries_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per ``rehab summary --json`` patient record."""
    if not records:
        return empty_summaries()
    rows = []
    for record in records:
        row: dict[str, Any] = {
            name: json.dumps(record[name], ensure_ascii=False) if kind == "json" else record[name]
            for name, kind in SUMMARY_FIELDS.items()
        }
        extra = {key: value for key, value in record.items() if key not in SUMMARY_FIELDS}
        row["extra"] = json.dumps(extra, ensure_ascii=False)
        row["alert_rank"] = TIER_ORDER[record["alert"]]
        row["latest_flag_date"] = latest_flag_date(PatientSummary.model_validate(record))
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(SUMMARY_DTYPES))
    for name, dtype in SUMMARY_DTYPES.items():
        frame[name] = pd.to_datetime(frame[name]) if dtype.startswith("datetime") else frame[name]
    return frame.astype(SUMMARY_DTYPES)


def _value(kind: FieldKind, value: Any) -> Any:
    if kind == "json":
        return json.loads(value)
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if kind == "date":
        return pd.Timestamp(value).date().isoformat()
    return int(value) if kind == "int" else str(value)


def record_of(row: Mapping[Hashable, Any]) -> dict[str, Any]:
    """Return the ``rehab summary --json`` record of one summaries row (inverse of the frame)."""
    record = {name: _value(kind, row[name]) for name, kind in SUMMARY_FIELDS.items()}
    record.update(json.loads(row["extra"]))
    return record
