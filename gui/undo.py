"""The undo stack's commands: thin Qt adapters over :class:`gui.edits.CellEdit`."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from gui.cellvalues import display_text
from gui.edits import CellEdit
from gui.session import ReviewSession


class EditCellCommand(QUndoCommand):
    """Correct one cell. ``redo`` records the correction, ``undo`` records taking it back;
    both re-run the checks, so colours and findings follow at once."""

    def __init__(self, session: ReviewSession, edit: CellEdit, label: str = "") -> None:
        super().__init__()
        self.session = session
        self.edit = edit
        report = session.report
        fmt = report.format if report is not None else None
        cell = report.cells.get(edit.key) if report is not None else None
        if cell is not None:
            from dataclasses import replace

            old = display_text(replace(cell, value=edit.old), fmt)
            new = display_text(replace(cell, value=edit.new), fmt)
        else:
            old, new = str(edit.old), str(edit.new)
        self.setText(f"{label or edit.key}:{old} → {new}")

    def redo(self) -> None:
        self.session.run_edit(self.edit, forward=True)

    def undo(self) -> None:
        from core.store import UndoConflict  # loaded already: the edit was stored

        try:
            self.session.run_edit(self.edit, forward=False)
        except UndoConflict as e:
            # Someone corrected the cell again since (the command line, another window):
            # theirs stays, and this step leaves the stack.
            self.setObsolete(True)
            self.session.notice.emit(e.message_zh)
