"""The main window: report list, statutory tables, findings and the source side by side.

The window arranges the panels and follows the open report. Import control lives in
:mod:`gui.import_control`, the checklist print/export actions in
:mod:`gui.checklist_actions`, the actions, menus and toolbar in :mod:`gui.window_actions`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QUndoGroup,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from core.errors import ReportError
from core.model import Finding
from core.pipeline import FileEvent
from core.template import cell_name
from core.vocabulary import NOT_REVIEWED
from gui import window_layout
from gui.checklist_actions import ChecklistActions
from gui.context import AppContext
from gui.icons import app_icon
from gui.import_control import ImportControl, local_paths, paths_from_text
from gui.models.reports import STATUS_COLOURS
from gui.plain import as_written, escaped
from gui.session import ReviewSession
from gui.undo import EditCellCommand
from gui.widgets.findings import FindingsPanel
from gui.widgets.import_panel import ImportPanel
from gui.widgets.report_list import ReportListPanel
from gui.widgets.review_panel import ReviewPanel, confirm_mark_reviewed
from gui.widgets.source_view import SourceView
from gui.widgets.tables_view import TablesPanel
from gui.window_actions import install_actions

if TYPE_CHECKING:  # built on first use (pyqtgraph is slow to import)
    from gui.widgets.charts import ChartsTab
    from gui.widgets.overview import OverviewWidget

__all__ = ["MainWindow", "paths_from_text", "VIEW_REVIEW", "VIEW_CHARTS", "VIEW_OVERVIEW"]

UNITS_KEY = "overview/units"
LAST_REPORT_KEY = "review/lastReport"
VIEW_REVIEW, VIEW_CHARTS, VIEW_OVERVIEW = range(3)
KIND_NAMES = {"pdf": "PDF", "scanned-pdf": "扫描 PDF", "docx": "Word (DOCX)",
              "doc": "Word (DOC)", "html": "网页 (HTML)", "txt": "文本 (TXT)"}


class MainWindow(QMainWindow):
    """年报审查台's main window.

    ``dropped`` carries the local paths (files or folders) the user handed in.
    ``reportShown`` fires when a report is open in every panel; ``importFinished``
    when an import batch ends (True when it was cancelled).
    """

    dropped = Signal(list)
    reportShown = Signal(int)
    sourceReady = Signal(int)
    importFinished = Signal(bool)

    databaseReady = Signal()

    # Built by gui.window_actions.install_actions (menus, toolbar and their actions) and
    # gui.office_actions.install_office_actions (the 公文 menu) during __init__.
    open_action: QAction
    open_folder_action: QAction
    paste_action: QAction
    quit_action: QAction
    database_action: QAction
    default_database_action: QAction
    print_action: QAction
    export_pdf_action: QAction
    export_all_action: QAction
    print_summary_action: QAction
    export_summary_action: QAction
    view_actions: list[QAction]
    undo_action: QAction
    redo_action: QAction
    undo_tool_action: QAction
    redo_tool_action: QAction
    next_finding_action: QAction
    prev_finding_action: QAction
    review_action: QAction
    reviewer_action: QAction
    office_action: QAction
    next_report_action: QAction
    prev_report_action: QAction
    focus_search_action: QAction
    register_action: QAction
    notice_action: QAction
    notice_all_action: QAction
    circular_action: QAction
    combine_action: QAction
    file_menu: QMenu
    recent_menu: QMenu
    edit_menu: QMenu
    review_menu: QMenu
    view_menu: QMenu
    toolbar: QToolBar

    def __init__(self, ctx: AppContext | None = None, *, defer_load: bool = False) -> None:
        super().__init__()
        self._owns_ctx = ctx is None
        self.ctx = ctx if ctx is not None else AppContext.temporary()
        self.backend = self.ctx.backend
        self.setWindowTitle("年报审查台")
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)

        self.session = ReviewSession(self.backend, self)
        self.undo_group = QUndoGroup(self)
        self.stacks: dict[int, QUndoStack] = {}
        self._finding_by_key = False
        self.panes_pending = True  # see gui.window_layout.restore
        self.layout_size: QSize | None = None
        self.import_control = ImportControl(self)
        self.checklist_actions = ChecklistActions(self)

        self._build_widgets()
        install_actions(self)
        from gui.office_actions import install_office_actions  # 公文 menu (issue 13)

        self.office_actions = install_office_actions(self)
        self._connect()
        self.restore_layout()
        self._update_report_header()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        # Deferred (the program's start): the list fills in steps, the window answers
        # meanwhile; databaseReady comes once every report is listed.
        self._list_in_steps = defer_load
        self._list_pending = False  # waiting for the first full list to be ready
        if defer_load:
            # Show the window first; the database (and sqlite_utils) come just after.
            QTimer.singleShot(0, self.load_database)
        else:
            self.load_database()

    def load_database(self) -> bool:
        """Open the review database and list its reports; say why if it cannot be used."""
        try:
            self.backend.connect()
        except ReportError as e:
            QMessageBox.critical(self, "年报审查台", as_written(
                f"无法打开审查数据库：{e.message_zh}\n\n{self.backend.path}"))
            self.close()
            return False
        self._list_pending = True
        if self._list_in_steps:
            self.report_list.reload_in_steps()  # emits loaded → _list_loaded, now or later
        else:
            self.report_list.reload()
        self._update_central()
        self._update_database_label()
        QTimer.singleShot(0, self._warm_up)
        return True

    def _list_loaded(self) -> None:
        """The whole list is in: reopen the last report, say the database is ready."""
        self._update_central()
        if not self._list_pending:
            return
        self._list_pending = False
        self._reopen_last_report()
        self.databaseReady.emit()

    def _reopen_last_report(self) -> None:
        """Open the report the inspector had open when the window last closed."""
        value = self.ctx.settings.value(LAST_REPORT_KEY)
        try:
            rid = int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            rid = None
        if rid is not None and self.session.report_id is None \
                and self.report_list.model.row_of(rid) >= 0:
            self.select_report(rid)

    def _warm_up(self) -> None:
        """Import the checker now, not while the first report of an import is saved."""
        import core.checker  # noqa: F401

    # --- construction --------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.report_list = ReportListPanel(self.backend, self)
        self.tables = TablesPanel(self.session, self)
        self.tables.set_edit_handler(self._edit_cell)
        self.findings = FindingsPanel(self.session, reviewer=self.ctx.reviewer, parent=self)
        self.source = SourceView(self)
        self.import_panel = ImportPanel(self)
        self.history = QUndoView(self.undo_group)
        self.history.setEmptyLabel("（提取的原始值）")

        self.report_title = QLabel("")
        self.report_title.setTextFormat(Qt.TextFormat.RichText)
        self.report_title.setWordWrap(True)
        self.review_btn = QPushButton("标记为已审查")
        self.review_btn.setToolTip("标记本报告已审查完毕（Ctrl+Shift+Return）")
        self.review_btn.setAutoDefault(False)
        self.review_btn.clicked.connect(self.toggle_reviewed)
        header = QWidget()
        hl = QHBoxLayout(header)
        hl.setContentsMargins(6, 4, 6, 2)
        hl.addWidget(self.report_title, 1)
        hl.addWidget(self.review_btn)

        self.tables_box = tables_box = QWidget()  # the centre's top pane: header and tables
        tl = QVBoxLayout(tables_box)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.setSpacing(0)
        tl.addWidget(header)
        # 审查结论 and 审查意见 beside the review mark (gui/widgets/review_panel.py).
        self.review_panel = ReviewPanel(self.backend, self.session, self.ctx.reviewer, self)
        self.review_panel.saved.connect(self._on_summary_changed)
        self.tables.refused.connect(
            lambda _key, reason: self.statusBar().showMessage(f"未更正：{reason}", 8000))
        tl.addWidget(self.review_panel)
        tl.addWidget(self.tables, 1)

        self.center_split = QSplitter(Qt.Orientation.Vertical)
        self.center_split.setObjectName("centerSplit")
        self.center_split.addWidget(tables_box)
        self.center_split.addWidget(self.findings)
        self.center_split.setStretchFactor(0, 1)
        self.center_split.setStretchFactor(1, 1)

        self.main_split = QSplitter(Qt.Orientation.Horizontal)
        self.main_split.setObjectName("mainSplit")
        self.main_split.addWidget(self.report_list)
        self.main_split.addWidget(self.center_split)
        self.main_split.addWidget(self.source)
        self.main_split.setStretchFactor(0, 0)
        self.main_split.setStretchFactor(1, 3)
        self.main_split.setStretchFactor(2, 2)
        for s in (self.main_split, self.center_split):
            s.setChildrenCollapsible(False)
        # A narrow window: the list and the source may be folded away by their handles,
        # the tables and findings never.
        self.main_split.setCollapsible(0, True)
        self.main_split.setCollapsible(2, True)

        self.placeholder = QLabel(
            "<p style='font-size:18pt'>将报告文件或文件夹拖到此处</p>"
            "<p style='font-size:11pt'>支持 PDF（含扫描件）、DOCX、DOC、HTML、TXT，"
            "也可用“文件 → 打开…”或 Ctrl+V 粘贴文件路径</p>"
        )
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet(
            "QLabel { border: 2px dashed #999; border-radius: 8px; margin: 24px; color: #555; }"
        )
        self.central = QStackedWidget()
        self.central.addWidget(self.placeholder)
        self.central.addWidget(self.main_split)
        # The charts (pyqtgraph) and the overview are built when first shown: pyqtgraph
        # alone would add about half a second to the start.
        self.charts: ChartsTab | None = None
        self.overview: OverviewWidget | None = None
        self.views = QTabWidget()
        self.views.setObjectName("views")
        self.views.setDocumentMode(True)
        self.views.addTab(self.central, "审查")
        self._charts_page, self._charts_layout = self._lazy_page()
        self._overview_page, self._overview_layout = self._lazy_page()
        self.views.addTab(self._charts_page, "图表")
        self.views.addTab(self._overview_page, "报送总览")
        self.views.setTabToolTip(VIEW_CHARTS,
                                 "各机关申请量、办理结果、审查发现和历年走势（随报告列表的筛选）")
        self.views.setTabToolTip(VIEW_OVERVIEW,
                                 "哪些单位已报送哪一年度的年报：未报送、逾期、有不通过项")
        self.setCentralWidget(self.views)
        self._views_timer = QTimer(self)
        self._views_timer.setSingleShot(True)
        self._views_timer.setInterval(400)
        self._views_timer.timeout.connect(self._invalidate_views)

        self.import_dock = QDockWidget("导入", self)
        self.import_dock.setObjectName("importDock")
        self.import_dock.setWidget(self.import_panel)
        self.history_dock = QDockWidget("更正记录", self)
        self.history_dock.setObjectName("historyDock")
        self.history_dock.setWidget(self.history)
        for dock in (self.import_dock, self.history_dock):
            dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                             | QDockWidget.DockWidgetFeature.DockWidgetClosable
                             | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.import_dock)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.history_dock)
        self.tabifyDockWidget(self.import_dock, self.history_dock)
        self.import_dock.raise_()
        self.resizeDocks([self.import_dock], [110], Qt.Orientation.Vertical)
        # The import panel shows while files come in and folds away after a clean batch;
        # the corrections history is one click away in 视图.
        self.history_dock.hide()
        self._docks_on_review: list[QDockWidget] = []

        self.status_progress = QProgressBar()
        self.status_progress.setMaximumWidth(180)
        self.status_progress.setMaximumHeight(16)
        self.status_progress.setFormat("导入 %v/%m")
        self.status_progress.hide()
        self.statusBar().addPermanentWidget(self.status_progress)
        self.database_label = QLabel()
        self.statusBar().addPermanentWidget(self.database_label)
        self.reviewer_label = QLabel()
        self.statusBar().addPermanentWidget(self.reviewer_label)
        self._update_reviewer_label()
        self.statusBar().showMessage("就绪")

    @staticmethod
    def _lazy_page() -> tuple[QWidget, QVBoxLayout]:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        return page, layout

    def _connect(self) -> None:
        self.dropped.connect(self.import_control.start_import)
        self.report_list.reportSelected.connect(self.open_report)
        self.report_list.model.loaded.connect(self._list_loaded)
        self.tables.cellSelected.connect(self._show_cell)
        self.source.cellClicked.connect(self._on_source_click)
        self.findings.findingActivated.connect(self._on_finding)
        self.session.summaryChanged.connect(self._on_summary_changed)
        self.session.notice.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.import_panel.cancelRequested.connect(self.import_control.cancel_import)
        self.import_panel.reportActivated.connect(self.select_report)
        self.report_list.model.rowsInserted.connect(lambda *_a: self._update_central())
        self.report_list.filterChanged.connect(self._on_list_filter)
        self.views.currentChanged.connect(self._on_view_changed)
        self._tables_height = 0  # the tables' height the inspector chose (0: not yet)
        self._fitting_tables = False
        self.center_split.splitterMoved.connect(self._on_center_moved)
        self.tables.currentChanged.connect(lambda _i: QTimer.singleShot(0, self._fit_table_pane))
        self.findings.rowsFitted.connect(self._fit_table_pane)
        self.report_list.model.modelReset.connect(self._update_central)

    # --- layout memory (see gui.window_layout) ------------------------------------------
    def restore_layout(self) -> None:
        window_layout.restore(self, self.ctx.settings)

    def save_layout(self) -> None:
        window_layout.save(self, self.ctx.settings)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self.layout_size is not None:
            # The size the program chose (not one a caller set): now that the frame is
            # known, make sure the whole window is on the screen.
            if self.size() == self.layout_size:
                window_layout.fit_to_screen(self)
            self.layout_size = None
        if self.panes_pending:
            self.panes_pending = False
            window_layout.share_panes(self)

    def _update_central(self) -> None:
        has = self.report_list.model.rowCount() > 0
        self.central.setCurrentWidget(self.main_split if has else self.placeholder)

    # --- import and papers (see gui.import_control, gui.checklist_actions) ----------------
    def start_import(self, paths: list[str]) -> None:
        """Parse ``paths`` (files or folders) off the GUI thread and store each report."""
        self.import_control.start_import(paths)

    def import_now(self, paths: list[str]) -> list[FileEvent]:
        """Parse and store ``paths`` here, blocking (screenshots and scripts, not the UI)."""
        return self.import_control.import_now(paths)

    def cancel_import(self) -> None:
        self.import_control.cancel_import()

    def paste_paths(self) -> None:
        """Import the files whose paths (or file:// URLs) are on the clipboard."""
        self.import_control.paste_paths()

    def print_checklist(self) -> int | None:
        """Print preview of the current report's checklist; returns the dialog's result."""
        return self.checklist_actions.print_checklist()

    def print_summary(self) -> int | None:
        """Print preview of the batch summary (with charts) of the reports the list shows."""
        return self.checklist_actions.print_summary()

    def export_checklist_pdf(self, path: str | None = None, *, every: bool = False,
                             summary: bool = False) -> int | None:
        """Save checklists or the batch summary as a PDF; see ChecklistActions."""
        return self.checklist_actions.export_checklist_pdf(path, every=every, summary=summary)

    def views_changed(self) -> None:
        """The reports changed: refresh the charts and overview tabs a moment later."""
        self._views_timer.start()

    # --- drops -------------------------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        """Take file drops on any child widget (text boxes would otherwise eat them)."""
        # QDragEnterEvent and QDragMoveEvent are QDropEvents too.
        if isinstance(event, QDropEvent) and isinstance(obj, QWidget) and obj is not self \
                and obj.window() is self and local_paths(event):
            if event.type() == QEvent.Type.Drop:
                self.dropEvent(event)
            else:
                event.acceptProposedAction()
            return True
        return super().eventFilter(obj, event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if local_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        if local_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = local_paths(event)
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.import_control.hand_in(paths)

    # --- opening a report ----------------------------------------------------------------
    def select_report(self, report_id: int) -> None:
        if not self.report_list.select_report(report_id):
            self.open_report(report_id)

    def open_report(self, report_id: int) -> None:
        """Show one report in the tables, the findings panel and the source view."""
        if report_id == self.session.report_id:
            return
        self.session.load(report_id)
        stack = self.stacks.get(report_id)
        if stack is None:
            stack = self.stacks[report_id] = QUndoStack(self.undo_group)
        self.undo_group.setActiveStack(stack)
        report = self.session.report
        assert report is not None
        try:
            path = self.backend.source_file(report_id)
        except (OSError, ReportError) as e:
            self.source.clear(f"无法显示原文：{e}")
            path = None
        title = report.file
        if path is not None:
            if report.kind in ("pdf", "scanned-pdf"):
                try:
                    self.source.show_pdf(path, report.cells, title)
                except Exception as e:  # noqa: BLE001 - a page that pdfium refuses
                    self.source.clear(f"无法显示 PDF 页面（{type(e).__name__}）")
                self.sourceReady.emit(report_id)
            else:
                self.source.show_text(None, report.cells, title, "正在载入原文…")
                self.ctx.workers.load_document(path, report_id, self._on_document)
        self._update_report_header()
        self.setWindowTitle(f"{report.agency or report.file} {report.year or ''} — 年报审查台")
        self.ctx.settings.setValue(LAST_REPORT_KEY, report_id)
        self.statusBar().showMessage(f"已打开：{report.agency or report.file}", 4000)
        self.reportShown.emit(report_id)

    def _on_document(self, token: object, doc, message: str) -> None:
        report_id = self.session.report_id
        if report_id is None or token != report_id or self.session.report is None:
            return  # the inspector has moved on to another report
        report = self.session.report
        self.source.show_text(doc, report.cells, report.file, message)
        key = self.source.text_view.highlight_key or self._current_key()
        if key:
            self._show_cell(key)
        self.sourceReady.emit(report_id)

    def _current_key(self) -> str | None:
        view = self.tables.current_view()
        return view.table_model().key_at(view.currentIndex())

    def _update_report_header(self) -> None:
        r, report_id = self.session.report, self.session.report_id
        for action in self.report_actions():
            action.setEnabled(r is not None)
        self.review_btn.setEnabled(r is not None)
        self.tables.reason.setEnabled(r is not None)
        if r is None or report_id is None:
            self.report_title.setText("<span style='color:#777'>未打开报告</span>")
            self.report_title.setToolTip("")
            return
        s = self.backend.summary(report_id)
        parts = [f"{r.year}年度" if r.year else "年度未识别",
                 f"{r.format}版格式" if r.format else "格式未识别",
                 KIND_NAMES.get(r.kind, r.kind) + (f" {r.pages}页" if r.pages else "")]
        if r.published:
            parts.append(f"发布 {r.published}")
        colour = STATUS_COLOURS.get(s.status, STATUS_COLOURS[NOT_REVIEWED])
        status = s.status + (f"（{s.reviewer}）" if s.reviewer and s.reviewed else "")
        self.report_title.setText(
            f"<span style='font-size:12pt; font-weight:bold'>{escaped(r.agency or r.file)}</span>"
            f"&nbsp;&nbsp;<span style='color:#555'>{escaped(' · '.join(parts))}</span>"
            f"&nbsp;&nbsp;<span style='color:{colour}; font-weight:bold'>{escaped(status)}</span>")
        self.report_title.setToolTip(f"{r.agency or r.file}\n{r.file}")
        self.review_btn.setText("取消已审标记" if s.reviewed else "标记为已审查")

    def report_actions(self) -> list:
        """The actions that need an open report (disabled while none is)."""
        return [self.review_action, self.print_action, self.export_pdf_action,
                self.next_finding_action, self.prev_finding_action]

    def _fit_table_pane(self, *_args) -> None:
        """A short table (表二, 表四) gives the findings the height it does not need; a
        long one gets back the height the inspector gave the tables."""
        sizes = self.center_split.sizes()
        total = sum(sizes)
        if total <= 0 or self.tables.count() == 0:
            return
        view = self.tables.current_view()
        chrome = self.tables_box.height() - view.height()
        need = view.content_height() + max(0, chrome)
        if not self._tables_height:
            self._tables_height = sizes[0]
        top = self._tables_height
        room = total - self.findings.content_height()  # what the findings leave over
        if need < top:
            top = max(need, int(total * 0.2))
        elif room > top:
            top = min(need, room)  # few findings: the tables take their height
        self._fitting_tables = True
        self.center_split.setSizes([top, total - top])
        self._fitting_tables = False

    def _on_center_moved(self, *_args) -> None:
        if not self._fitting_tables:
            self._tables_height = self.center_split.sizes()[0]

    def _on_summary_changed(self, report_id: int) -> None:
        self.report_list.upsert(report_id)
        self._views_timer.start()
        if report_id == self.session.report_id:
            self._update_report_header()

    def step_report(self, step: int) -> None:
        view = self.report_list.view
        n = self.report_list.proxy.rowCount()
        if not n:
            return
        row = view.currentIndex().row()
        row = 0 if row < 0 else max(0, min(n - 1, row + step))
        view.setCurrentIndex(self.report_list.proxy.index(row, 0))

    def focus_search(self) -> None:
        self.report_list.search.setFocus()
        self.report_list.search.selectAll()

    # --- cells and findings --------------------------------------------------------------
    def _show_cell(self, key: str, others: list[str] | None = None) -> None:
        report = self.session.report
        if report is None or key not in report.cells:
            return
        cell = report.cells[key]
        shown = self.source.show_cell(key, cell.loc)
        if others:
            self.source.show_others([report.cells[k].loc for k in others if k in report.cells])
        where = "" if shown else "（原文中未定位到该单元格）"
        self.statusBar().showMessage(f"{cell_name(key, report.format)} 原文："
                                     f"{(cell.raw or '').strip() or '空白'}{where}")

    def _on_source_click(self, key: str) -> None:
        self.tables.select_key(key)
        self.tables.current_view().setFocus()

    def _on_finding(self, finding: Finding) -> None:
        report = self.session.report
        if report is None:
            return
        keys = [k for k in finding.cells if k in report.cells]
        if not keys:
            self.statusBar().showMessage(finding.message)
            return
        left = [k for k in finding.left if k in keys]
        primary = finding.cause if finding.cause in keys else (left or keys)[0]
        self.tables.select_keys(keys, primary)
        self._show_cell(primary, [k for k in keys if k != primary])
        self.statusBar().showMessage(finding.message)
        if self._finding_by_key:
            self.tables.current_view().setFocus()

    def next_finding(self) -> None:
        self._finding_by_key = True
        try:
            if self.findings.next_finding() is None:
                self.statusBar().showMessage("本报告没有审查发现", 3000)
        finally:
            self._finding_by_key = False

    def prev_finding(self) -> None:
        self._finding_by_key = True
        try:
            self.findings.previous_finding()
        finally:
            self._finding_by_key = False

    def select_first_finding(self) -> Finding | None:
        return self.findings.select_row(0)

    # --- editing -------------------------------------------------------------------------
    def _edit_cell(self, key: str, value) -> bool:
        """A table cell was edited: push an undoable correction (recorded in the database)."""
        rid = self.session.report_id
        report = self.session.report
        if rid is None or report is None:
            return False
        if self.backend.store.readonly:
            QMessageBox.warning(self, "无法更正", "审查数据库是只读的，无法记录更正。")
            return False
        label = cell_name(key, report.format)
        reason = self.tables.take_reason()
        edit = self.session.new_edit(key, value, user=self.ctx.reviewer(), reason=reason)
        self.stacks[rid].push(EditCellCommand(self.session, edit, label))
        # The status bar follows the cell just corrected, not the finding picked before.
        QTimer.singleShot(0, lambda: self._show_cell(key))
        return True

    # --- reviewing -----------------------------------------------------------------------
    def ask_reviewer(self) -> str:
        name, ok = QInputDialog.getText(self, "审查人", "审查人姓名：", text=self.ctx.reviewer())
        if ok and name.strip():
            self.ctx.set_reviewer(name)
            self._update_reviewer_label()
        return self.ctx.reviewer()

    def _update_reviewer_label(self) -> None:
        name = self.ctx.reviewer()
        self.reviewer_label.setText(f"审查人：{name}" if name else "审查人：未设置")

    def toggle_reviewed(self) -> None:
        rid = self.session.report_id
        if rid is None:
            return
        s = self.backend.summary(rid)
        if s.reviewed:
            self.backend.mark_reviewed(rid, None)
        else:
            if not confirm_mark_reviewed(self, self.backend.store, rid):
                return
            name = self.ctx.reviewer() or self.ask_reviewer()
            if not name:
                return
            self.backend.mark_reviewed(rid, name)
        self.session.refresh_closed()
        self._on_summary_changed(rid)

    # --- the database ----------------------------------------------------------------------
    def _update_database_label(self) -> None:
        path = self.backend.path
        readonly = self.backend.connected and self.backend.store.readonly
        self.database_label.setText(f"数据库：{path.name if path else '?'}"
                                    + ("（只读）" if readonly else ""))
        self.database_label.setToolTip(str(path or ""))

    def choose_database(self) -> None:
        current = self.backend.path
        path, _ = QFileDialog.getSaveFileName(
            self, "打开或新建审查数据库", str(current.parent if current else Path.home()),
            "审查数据库 (*.sqlite *.db);;所有文件 (*)",
            options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.switch_database(path)

    def switch_database(self, path: str | None) -> bool:
        """Review the reports of the database at ``path`` (None: the default one), created
        when new; remembered for the next start. On failure the current one stays."""
        from core.paths import resolve_db_path

        target = resolve_db_path(path)
        if self.backend.path is not None and target.resolve() == self.backend.path.resolve():
            return True
        if self.import_control.running:
            QMessageBox.information(self, "年报审查台",
                                    "请等待导入完成（或取消导入）后再切换数据库。")
            return False
        try:
            self.backend.switch(target)
        except ReportError as e:
            QMessageBox.warning(self, "无法打开审查数据库", as_written(
                f"{e.message_zh}\n\n{target}\n\n仍使用当前数据库。"))
            return False
        self.ctx.remember_database(path)
        self.session.load(None)
        for stack in self.stacks.values():
            self.undo_group.removeStack(stack)
            stack.deleteLater()
        self.stacks.clear()
        self.source.clear()
        self.report_list.reload()
        self._update_central()
        self._update_report_header()
        self._update_database_label()
        self.setWindowTitle("年报审查台")
        for view in (self.charts, self.overview):
            if view is not None:
                view.set_store(self.backend.store)
        self.statusBar().showMessage(f"已切换到审查数据库 {target}", 8000)
        return True

    # --- charts and overview -------------------------------------------------------------
    def show_view(self, index: int) -> QWidget:
        """Switch to the review (0), charts (1) or overview (2) tab; returns its widget."""
        self.views.setCurrentIndex(index)
        return self.views.currentWidget()

    def _on_view_changed(self, index: int) -> None:
        # The docks belong to the review: hidden on the charts and overview, back after.
        docks = (self.import_dock, self.history_dock)
        if index == VIEW_REVIEW:
            for dock in self._docks_on_review:
                dock.show()
            self._docks_on_review = []
        elif not self._docks_on_review:
            self._docks_on_review = [d for d in docks if d.isVisible()]
            for dock in self._docks_on_review:
                dock.hide()
        if index == VIEW_CHARTS:
            self.charts_tab()
        elif index == VIEW_OVERVIEW:
            self.overview_tab()

    def charts_tab(self) -> ChartsTab:
        """The charts tab's widget, built on first use."""
        if self.charts is None:
            from gui.widgets.charts import ChartsTab

            self.charts = ChartsTab(self.backend.store if self.backend.connected else None)
            self.charts.set_filter(self.report_list.current_filter())
            self.charts.reportActivated.connect(self._show_report_from_view)
            self._charts_layout.addWidget(self.charts)
            self.charts.show()  # a child added to a shown page stays hidden otherwise
        return self.charts

    def overview_tab(self) -> OverviewWidget:
        """The overview tab's widget, built on first use, with the last units list."""
        if self.overview is None:
            from core.overview import UnitsError
            from gui.widgets.overview import OverviewWidget

            self.overview = OverviewWidget(
                self.backend.store if self.backend.connected else None)
            units = str(self.ctx.settings.value(UNITS_KEY, "") or "")
            if units and Path(units).is_file():
                try:
                    self.overview.load_units_file(units)
                except (UnitsError, OSError) as e:
                    self.statusBar().showMessage(f"无法载入上次的应报单位名单：{e}", 8000)
            self.overview.unitsLoaded.connect(
                lambda path: self.ctx.settings.setValue(UNITS_KEY, path))
            self.overview.reportActivated.connect(self._show_report_from_view)
            self._overview_layout.addWidget(self.overview)
            self.overview.show()
        return self.overview

    def _invalidate_views(self) -> None:
        for view in (self.charts, self.overview):
            if view is not None:
                if view.store is None and self.backend.connected:
                    view.set_store(self.backend.store)
                else:
                    view.invalidate()

    def _on_list_filter(self) -> None:
        if self.charts is not None:
            self.charts.set_filter(self.report_list.current_filter())

    def _show_report_from_view(self, report_id: int) -> None:
        self.views.setCurrentIndex(VIEW_REVIEW)
        self.select_report(report_id)

    # --- closing -------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_layout()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.ctx.workers.cancel_all()
        self.source.pdf_view.close_document()
        if self._owns_ctx:
            self.ctx.close()
        super().closeEvent(event)
