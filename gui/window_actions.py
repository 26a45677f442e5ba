"""The main window's actions, menus and toolbar.

The actions are attributes of the window (``window.open_action`` …) so that other parts
(and tests) find them by name; this module only builds and arranges them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from gui.widgets.office_settings import edit_office_settings

if TYPE_CHECKING:
    from gui.main_window import MainWindow


def make_action(parent: QObject, text: str, slot: Callable, shortcut=None,
                tip: str = "") -> QAction:
    """A QAction with ``text`` calling ``slot``; ``shortcut`` one key sequence or a list."""
    a = QAction(text, parent)
    if shortcut is not None:
        if isinstance(shortcut, list):
            a.setShortcuts(shortcut)
        else:
            a.setShortcut(shortcut)
    if tip:
        a.setStatusTip(tip)
        a.setToolTip(tip)
    a.triggered.connect(slot)
    return a


def install_actions(w: MainWindow) -> None:
    """Create the window's actions, its menu bar and its toolbar."""
    _create_actions(w)
    _build_menus(w)
    _build_toolbar(w)
    w.paste_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    w.addAction(w.paste_action)


def _create_actions(w: MainWindow) -> None:
    k = QKeySequence
    imp, papers = w.import_control, w.checklist_actions

    def act(*args, **kwargs) -> QAction:
        return make_action(w, *args, **kwargs)

    w.open_action = act("打开…", imp.open_files, k(k.StandardKey.Open), "选择要审查的年报文件")
    w.open_folder_action = act("打开文件夹…", imp.open_folder, k("Ctrl+Shift+O"),
                               "导入文件夹中的全部年报")
    w.paste_action = act("粘贴文件路径", imp.paste_paths, k(k.StandardKey.Paste),
                         "导入剪贴板中的文件或文件夹路径")
    w.quit_action = act("退出", w.close, k(k.StandardKey.Quit))
    w.database_action = act("切换审查数据库…", w.choose_database, None,
                            "打开或新建另一个审查数据库文件（下次启动仍使用它）")
    w.default_database_action = act("使用默认审查数据库", lambda: w.switch_database(None), None,
                                    "回到用户数据目录中的默认审查数据库")
    w.print_action = act("打印审查表…", papers.print_checklist, k(k.StandardKey.Print),
                         "打印预览当前报告的合规审查表")
    w.export_pdf_action = act("导出审查表 PDF…", lambda: papers.export_checklist_pdf(),
                              k("Ctrl+E"), "把当前报告的审查表保存为 PDF")
    w.export_all_action = act(
        "导出列表中全部审查表 PDF…", lambda: papers.export_checklist_pdf(every=True), None,
        "把报告列表当前显示的每份报告的审查表保存为一个 PDF")
    w.print_summary_action = act("打印批次汇总表…", papers.print_summary, None,
                                 "打印预览报告列表当前显示的报告的汇总表（含图表）")
    w.export_summary_action = act(
        "导出批次汇总表 PDF…", lambda: papers.export_checklist_pdf(summary=True), None,
        "把报告列表当前显示的报告的汇总表（含图表）保存为 PDF")
    w.view_actions = [
        act(name, lambda _c=False, i=i: w.views.setCurrentIndex(i), k(f"Ctrl+{i + 1}"))
        for i, name in enumerate(("审查", "图表", "报送总览"))]

    w.undo_action = w.undo_group.createUndoAction(w, "撤销")
    w.undo_action.setShortcuts([k(k.StandardKey.Undo)])
    w.redo_action = w.undo_group.createRedoAction(w, "重做")
    w.redo_action.setShortcuts([k("Ctrl+Shift+Z"), k(k.StandardKey.Redo)])

    w.next_finding_action = act("下一个问题", w.next_finding, k("F8"), "转到下一个审查发现 (F8)")
    w.prev_finding_action = act("上一个问题", w.prev_finding, k("Shift+F8"), "转到上一个审查发现")
    w.review_action = act("标记为已审查", w.toggle_reviewed, k("Ctrl+Shift+Return"),
                          "标记当前报告已审查完毕")
    w.reviewer_action = act("设置审查人…", w.ask_reviewer, None,
                            "审查人姓名会记录在更正、核实情况和审查意见中")
    w.office_action = act("审查机关设置…", lambda: edit_office_settings(w), None,
                          "审查机关名称、依据范围、判为不合格的检查项（打印在审查表上）")
    w.next_report_action = act("下一份报告", lambda: w.step_report(1), k("Ctrl+PgDown"))
    w.prev_report_action = act("上一份报告", lambda: w.step_report(-1), k("Ctrl+PgUp"))
    w.focus_search_action = act("搜索报告", w.focus_search, k("Ctrl+F"))


def _build_menus(w: MainWindow) -> None:
    mb = w.menuBar()
    file_menu = mb.addMenu("文件(&F)")
    file_menu.addAction(w.open_action)
    file_menu.addAction(w.open_folder_action)
    w.recent_menu = file_menu.addMenu("最近打开")
    w.recent_menu.aboutToShow.connect(w.import_control.fill_recent_menu)
    file_menu.addAction(w.paste_action)
    file_menu.addSeparator()
    for a in (w.print_action, w.export_pdf_action, w.export_all_action):
        file_menu.addAction(a)
    file_menu.addSeparator()
    file_menu.addAction(w.print_summary_action)
    file_menu.addAction(w.export_summary_action)
    file_menu.addSeparator()
    file_menu.addAction(w.database_action)
    file_menu.addAction(w.default_database_action)
    file_menu.addSeparator()
    file_menu.addAction(w.quit_action)
    w.file_menu = file_menu
    edit_menu = mb.addMenu("编辑(&E)")
    edit_menu.addAction(w.undo_action)
    edit_menu.addAction(w.redo_action)
    edit_menu.addSeparator()
    edit_menu.addAction(w.focus_search_action)
    w.edit_menu = edit_menu
    review_menu = mb.addMenu("审查(&R)")
    for item in (w.next_finding_action, w.prev_finding_action, None,
              w.next_report_action, w.prev_report_action, None, w.review_action,
              w.reviewer_action, w.office_action):
        if item is None:
            review_menu.addSeparator()
        else:
            review_menu.addAction(item)
    w.review_menu = review_menu
    view_menu = mb.addMenu("视图(&V)")
    for a in w.view_actions:
        view_menu.addAction(a)
    view_menu.addSeparator()
    view_menu.addAction(w.import_dock.toggleViewAction())
    view_menu.addAction(w.history_dock.toggleViewAction())
    w.view_menu = view_menu


def _fixed_label(action: QAction, text: str, parent: QObject) -> QAction:
    """A toolbar twin of ``action`` whose text stays ``text``; the action's own (growing)
    text goes to the tooltip, so the toolbar neither jumps nor widens the window."""
    twin = QAction(text, parent)
    twin.triggered.connect(action.trigger)
    twin.setEnabled(action.isEnabled())

    def follow() -> None:
        twin.setEnabled(action.isEnabled())
        twin.setToolTip(action.text())

    action.changed.connect(follow)
    follow()
    return twin


def _build_toolbar(w: MainWindow) -> None:
    tb = w.addToolBar("常用")
    tb.setObjectName("mainToolBar")
    tb.setMovable(False)
    tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    w.undo_tool_action = _fixed_label(w.undo_action, "撤销", w)
    w.redo_tool_action = _fixed_label(w.redo_action, "重做", w)
    for a in (w.open_action, w.open_folder_action, None, w.undo_tool_action,
              w.redo_tool_action, None, w.prev_finding_action, w.next_finding_action,
              None, w.review_action, w.print_action):
        if a is None:
            tb.addSeparator()
        else:
            tb.addAction(a)
    w.toolbar = tb
