"""The window's 公文 menu: the register of agencies, rectification notices, the circular
and the combined tables. The papers themselves are made in core (core.notice …); this
only asks where to save them and says what happened."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox

from core.errors import ReportError

if TYPE_CHECKING:
    from gui.main_window import MainWindow

EXPORT_DIR_KEY = "files/exportDir"


class OfficeActions(QObject):
    """What the office sends out, from ``window``'s current report or its list."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.register_dialog: Any = None

    # --- plumbing ------------------------------------------------------------------------
    @property
    def store(self) -> Any:
        return self.window.backend.store

    def _after_change(self) -> None:
        """The register changed: the reports were re-checked, the views count again."""
        w = self.window
        w.report_list.reload()
        w._invalidate_views()

    def _ids(self, every: bool) -> list[int]:
        w = self.window
        if every:
            return w.report_list.shown_ids()
        return [w.session.report_id] if w.session.report_id is not None else []

    def _ask_path(self, title: str, name: str, filter_: str) -> str | None:
        w = self.window
        folder = str(w.ctx.settings.value(EXPORT_DIR_KEY, "") or Path.home())
        path, _ = QFileDialog.getSaveFileName(w, title, str(Path(folder) / name), filter_)
        if not path:
            return None
        suffix = filter_.rsplit("*", 1)[-1].rstrip(")")
        return path if path.lower().endswith(suffix) else path + suffix

    def _save(self, path: str, make: Callable[[], str]) -> bool:
        """Run ``make`` (which writes ``path`` and returns what to say); warn on failure."""
        from gui.printing import wait_cursor

        try:
            with wait_cursor():
                said = make()
        except (OSError, ValueError, ReportError) as e:
            reason = e.message_zh if isinstance(e, ReportError) else str(e)
            QMessageBox.warning(self.window, "无法保存", f"无法写入 {path}:\n{reason}")
            return False
        self.window.ctx.settings.setValue(EXPORT_DIR_KEY, str(Path(path).parent))
        self.window.statusBar().showMessage(said, 8000)
        return True

    # --- the register --------------------------------------------------------------------
    def show_register(self) -> Any:
        from gui.widgets.agency_register import AgencyRegisterDialog

        if self.register_dialog is None or self.register_dialog.register.store is not self.store:
            self.register_dialog = AgencyRegisterDialog(self.store, self.window)
            self.register_dialog.changed.connect(self._after_change)
        else:
            self.register_dialog.refresh()
        self.register_dialog.show()
        self.register_dialog.raise_()
        return self.register_dialog


def install_office_actions(w: MainWindow) -> OfficeActions:
    """The 公文 menu on ``w``'s menu bar; returns the actions' owner."""
    office = OfficeActions(w)
    menu = w.menuBar().addMenu("公文（&O）")

    def add(text: str, slot: Callable[[], Any], tip: str) -> QAction:
        a = QAction(text, w)
        a.setToolTip(tip)
        a.setStatusTip(tip)
        a.triggered.connect(lambda _checked=False: slot())
        menu.addAction(a)
        return a

    w.register_action = add("机关名录…", office.show_register,
                            "各机关的名称、层级、地区和是否应报送；合并、拆分同一机关的不同名称")
    return office
