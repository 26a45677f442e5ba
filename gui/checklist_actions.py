"""The window's checklist actions: print preview and PDF export of the current report's
checklist, of every report the list shows, and of the batch summary."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox

from core.errors import ReportError
from gui.plain import as_written

if TYPE_CHECKING:
    from gui.main_window import MainWindow

EXPORT_DIR_KEY = "files/exportDir"


class ChecklistActions(QObject):
    """Prints and exports the checklists of ``window``'s reports."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def _checklist_ids(self, every: bool) -> list[int]:
        w = self.window
        if every:
            return w.report_list.shown_ids()
        return [w.session.report_id] if w.session.report_id is not None else []

    def _no_reports(self, every: bool) -> None:
        QMessageBox.information(self.window, "年报审查台", "报告列表中没有报告。" if every
                                else "请先在报告列表中选择一份报告。")

    def print_checklist(self) -> int | None:
        """Print preview of the current report's checklist; returns the dialog's result."""
        return self._print_preview(summary=False)

    def print_summary(self) -> int | None:
        """Print preview of the batch summary (with charts) of the reports the list shows."""
        return self._print_preview(summary=True)

    def _print_preview(self, summary: bool) -> int | None:
        from gui.printing import print_checklist

        w = self.window
        ids = self._checklist_ids(summary)
        if not ids:
            self._no_reports(summary)
            return None
        return print_checklist(w.backend, ids, w, reviewer=w.ctx.reviewer() or None,
                               summary=summary)

    def _default_pdf_name(self, ids: list[int], summary: bool) -> str:
        if summary:
            return "年报审查汇总表.pdf"
        if len(ids) != 1:
            return f"年报审查表（{len(ids)}份）.pdf"
        r = self.window.backend.store.get_report(ids[0])
        name = f"{r['agency'] or Path(r['file_name']).stem}{r['year'] or ''}年度审查表.pdf"
        return "".join("_" if c in '\\/:*?"<>|' else c for c in name)

    def export_checklist_pdf(self, path: str | None = None, *, every: bool = False,
                             summary: bool = False) -> int | None:
        """Save checklists (the current report's, or every shown one's) or the batch summary
        as a PDF; asks where when ``path`` is None. Returns the pages written."""
        from gui.printing import export_checklists, wait_cursor

        w = self.window
        ids = self._checklist_ids(every or summary)
        if not ids:
            self._no_reports(every or summary)
            return None
        if path is None:
            folder = str(w.ctx.settings.value(EXPORT_DIR_KEY, "") or Path.home())
            path, _ = QFileDialog.getSaveFileName(
                w, "导出审查汇总表" if summary else "导出审查表",
                str(Path(folder) / self._default_pdf_name(ids, summary)), "PDF 文件 (*.pdf)")
            if not path:
                return None
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
        try:
            with wait_cursor():
                pages = export_checklists(w.backend, ids, path, summary,
                                          reviewer=w.ctx.reviewer() or None)
        except (OSError, ValueError, ReportError) as e:
            reason = e.message_zh if isinstance(e, ReportError) else str(e)
            QMessageBox.warning(w, "无法导出 PDF", as_written(f"无法写入 {path}:\n{reason}"))
            return None
        w.ctx.settings.setValue(EXPORT_DIR_KEY, str(Path(path).parent))
        w.statusBar().showMessage(f"已导出 {pages} 页：{path}", 8000)
        return pages
