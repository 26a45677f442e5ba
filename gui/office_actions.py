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


    # --- papers --------------------------------------------------------------------------
    def _pdf_beside(self, docx: str, title: str) -> str:
        """The PDF next to a DOCX just written; what to add to the status message."""
        from core.errors import MissingTool
        from core.office_pdf import docx_to_pdf

        pdf = str(Path(docx).with_suffix(".pdf"))
        try:
            docx_to_pdf(docx, pdf, title=title)
        except MissingTool as e:
            return f"（未生成 PDF：{e.message_zh}）"
        return f"，PDF：{pdf}"

    def notice(self, *, every: bool = False, path: str | None = None,
               with_pdf: bool = True) -> bool:
        """整改通知 for the current report, or for every report the list shows."""
        from core.notice import write_notices

        ids = self._ids(every)
        if not ids:
            QMessageBox.information(self.window, "年报审查台", "报告列表中没有报告。" if every
                                    else "请先在报告列表中选择一份报告。")
            return False
        if path is None:
            path = self._ask_path("保存整改通知", "整改通知.docx", "Word 文档 (*.docx)")
            if path is None:
                return False

        def make() -> str:
            result = write_notices(self.store, ids, path)
            said = f"已生成整改通知 {len(result.notices)} 份：{path}"
            if result.without_problems:
                said += f"（{'、'.join(result.without_problems)} 没有需要整改的问题）"
            return said + (self._pdf_beside(path, "整改通知") if with_pdf else "")

        return self._save(path, make)


    def _year(self) -> int | None:
        """The report list's year, else the latest year in the database."""
        flt = self.window.report_list.current_filter()
        if flt.year is not None:
            return flt.year
        years = [r["year"] for r in self.store.list_reports() if r["year"] is not None]
        return max(years) if years else None

    def circular(self, *, path: str | None = None, with_pdf: bool = True) -> bool:
        """通报 on the reports the list's filter selects, for its year (else the latest)."""
        from core.circular import write_circular

        year = self._year()
        if year is None:
            QMessageBox.information(self.window, "年报审查台", "数据库中还没有可通报的报告。")
            return False
        if path is None:
            path = self._ask_path("保存通报", f"{year}年度年报审查情况通报.docx",
                                  "Word 文档 (*.docx)")
            if path is None:
                return False
        flt = self.window.report_list.current_filter()

        def make() -> str:
            c = write_circular(self.store, year, path, flt=flt)
            said = f"已生成{year}年度通报（报告 {c.received} 份）：{path}"
            return said + (self._pdf_beside(path, "通报") if with_pdf else "")

        return self._save(path, make)


    def combine(self, *, path: str | None = None, include_errors: bool | None = None) -> bool:
        """汇总表 (XLSX, and DOCX beside it) of the listed reports of the list's year (else
        the latest year); asks whether reports with unresolved errors count."""
        from core.combine import gather
        from core.combine_paper import write_docx, write_xlsx

        year = self._year()
        if year is None:
            QMessageBox.information(self.window, "年报审查台", "数据库中还没有可汇总的报告。")
            return False
        listed = set(self._ids(every=True))
        ids = [r["id"] for r in self.store.list_reports(year=year) if r["id"] in listed]
        if not ids:
            QMessageBox.information(self.window, "年报审查台",
                                    f"报告列表中没有{year}年度的报告。")
            return False
        if include_errors is None:
            faulty = [r for r in self.store.list_reports(year=year)
                      if r["id"] in ids and r["n_errors"]]
            include_errors = not faulty or QMessageBox.question(
                self.window, "汇总表",
                f"有 {len(faulty)} 份报告存在未解决的错误，是否计入汇总？\n"
                "（选「否」则不计入，并在「说明」表中列出）") == QMessageBox.StandardButton.Yes
        if path is None:
            path = self._ask_path("保存汇总表", f"{year}年度统计表汇总.xlsx",
                                  "Excel 工作簿 (*.xlsx)")
            if path is None:
                return False

        def make() -> str:
            c = gather(self.store, year, ids, include_errors=include_errors)
            write_xlsx(c, path)
            docx = str(Path(path).with_suffix(".docx"))
            write_docx(c, docx)
            check = "勾稽关系全部一致" if not c.identity_findings else \
                f"勾稽关系有 {len(c.identity_findings)} 处不一致"
            return (f"已生成{year}年度汇总表（{len(c.included)} 份报告，{check}）："
                    f"{path}、{docx}")

        return self._save(path, make)


def install_office_actions(w: MainWindow) -> OfficeActions:
    """The 公文 menu on ``w``'s menu bar; returns the actions' owner."""
    office = OfficeActions(w)
    menu = w.menuBar().addMenu("公文(&O)")

    def add(text: str, slot: Callable[[], Any], tip: str) -> QAction:
        a = QAction(text, w)
        a.setToolTip(tip)
        a.setStatusTip(tip)
        a.triggered.connect(lambda _checked=False: slot())
        menu.addAction(a)
        return a

    w.register_action = add("机关名录…", office.show_register,
                            "各机关的名称、层级、地区和是否应报送；合并、拆分同一机关的不同名称")
    menu.addSeparator()
    w.notice_action = add("整改通知（当前报告）…", lambda: office.notice(),
                          "为当前报告生成整改通知（DOCX，并转换为 PDF）："
                          "只列已确认的问题和未审查的错误")
    w.notice_all_action = add("整改通知（列表中全部报告）…", lambda: office.notice(every=True),
                              "为报告列表当前显示的报告按机关各生成一份整改通知")
    w.circular_action = add("通报…", lambda: office.circular(),
                            "按报告列表的筛选（年度默认为最近一年）起草审查情况通报（DOCX）")
    w.combine_action = add("汇总表…", lambda: office.combine(),
                           "把报告列表中同一年度报告的表二、表三、表四逐格相加，"
                           "按正式格式保存为 Excel 和 Word")
    return office
