"""What the workspace returns: an import's outcome, its conflicts, the audit trail, reviews."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from datetime import date, datetime

    from rehab.importer import ImportBatch
    from rehab.store.rows import StoredKind

__all__ = ["Conflict", "ImportRecord", "Review", "ReviewAction", "WorkspaceImport"]

ReviewAction = Literal["reviewed", "contacted"]


@dataclass(frozen=True)
class Conflict:
    """A new row that says something else than a stored row about the same record.

    The same record is the same patient, day, time and exercise (sessions), patient, day
    and time (pain), or patient, day and measure (questionnaires: ``measure`` set, ``time``
    empty); log rows without a time are never called the same record. The stored row
    stays; the new one is not stored. ``columns`` names the columns whose values differ
    (names only, so a conflict can be logged); the values themselves are the two rows,
    ``file``/``row`` (the new one, as the import report numbers rows) and
    ``stored_file``/``stored_row`` (where the stored one came from).
    """

    patient_id: str
    kind: StoredKind
    date: date
    time: str
    exercise: str | None
    file: str
    row: int | None
    stored_file: str
    stored_row: int | None
    columns: tuple[str, ...]
    measure: str | None = None


@dataclass(frozen=True)
class ImportRecord:
    """One imported file in the audit trail: counts and a fingerprint, never cell values.

    ``fingerprint`` is the BLAKE2b digest of the file's bytes (``None`` for imports recorded
    before the workspace kept fingerprints, schema version 1). ``file`` is the name as
    uploaded, or a placeholder once the patient it named was forgotten.
    """

    id: int
    at: datetime
    by: str | None
    file: str
    fingerprint: str | None
    rows: int
    accepted: int
    rejected: int
    duplicates: int
    added: int
    already_stored: int
    conflicts: int


@dataclass(frozen=True)
class Review:
    """A therapist looked at a patient (``reviewed``) or got in touch (``contacted``).

    ``flags`` are the flag codes the patient had when reviewed, so that a flag raised after
    it can be told apart; ``snooze_until`` keeps a reviewed patient down the list until then.
    """

    patient_id: str
    at: datetime
    by: str | None
    action: ReviewAction
    note: str
    snooze_until: date | None
    flags: list[str] = field(default_factory=list)


@dataclass
class WorkspaceImport:
    """What one import into the workspace did.

    ``batch`` is the importer's result (per-file reports exactly as ``rehab validate``);
    ``added`` the new rows stored per kind; ``already_stored`` the accepted rows the
    workspace already held value for value; ``conflicts`` the rows not stored because a
    stored row says otherwise; ``records`` the audit records written, one per file.
    """

    batch: ImportBatch
    added: dict[str, int]
    already_stored: int
    conflicts: list[Conflict]
    records: list[ImportRecord]

    @property
    def exit_code(self) -> int:
        """As ``rehab validate`` (0, 1 some rows rejected, 2 a file unusable); 1 on conflicts too."""
        code = self.batch.exit_code
        if code == 0 and self.conflicts:
            return 1
        return code
