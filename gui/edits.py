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
    correction_id: int | None = None  # the row ``apply`` recorded (None: nothing changed)

    def apply(self, backend: StoreBackend) -> list[Finding]:
        """Record the correction; return the findings as they are after it."""
        self.correction_id, findings = backend.correct_cell(
            self.report_id, self.key, self.new, user=self.user, reason=self.reason)
        return findings

    def revert(self, backend: StoreBackend) -> list[Finding]:
        """Take exactly this correction back (a new row, the history stays); corrections
        made since by anyone else stay. Raises :class:`core.store.UndoConflict` when the
        cell was corrected again since."""
        if self.correction_id is None:
            return backend.report(self.report_id).findings
        findings = backend.undo_correction(self.report_id, self.correction_id,
                                           user=self.user)
        self.correction_id = None
        return findings
