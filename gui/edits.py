"""A correction of one cell as a plain object with ``apply``/``revert``. No Qt here.

``gui.undo.EditCellCommand`` is the thin Qt adapter that puts one of these on the
undo stack; tests and scripts can replay edits without Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.model import Finding, Value
from gui.backend import StoreBackend


@dataclass
class CellEdit:
    """Set ``key`` of report ``report_id`` from ``old`` to ``new``."""

    report_id: int
    key: str
    old: Value
    new: Value
    user: str = ""
    reason: str = ""

    def apply(self, backend: StoreBackend) -> list[Finding]:
        """Record the correction; return the findings as they are after it."""
        return backend.set_cell(self.report_id, self.key, self.new, user=self.user,
                                reason=self.reason)

    def revert(self, backend: StoreBackend) -> list[Finding]:
        """Take the correction back (recorded as a new row, the history stays)."""
        return backend.set_cell(self.report_id, self.key, self.old, user=self.user,
                                reason="撤销", undo=True)
