"""The clinic workspace: one embedded database file of imports, logs and reviews (issue 11).

>>> from rehab.store import Workspace
>>> # with Workspace.open("clinic.rehab") as workspace: workspace.import_files([...])

See docs/workspace.md for where the file lives, its schema and what it keeps.
"""

from rehab.store.migrations import SCHEMA_VERSION, WorkspaceError
from rehab.store.models import Conflict, ImportRecord, Review, ReviewAction, WorkspaceImport
from rehab.store.workspace import Workspace

__all__ = [
    "SCHEMA_VERSION",
    "Conflict",
    "ImportRecord",
    "Review",
    "ReviewAction",
    "Workspace",
    "WorkspaceError",
    "WorkspaceImport",
]
