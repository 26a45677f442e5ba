"""The verdict in the window: the opinion and the conclusion beside 标记为已审查, a typed value
that does not fit refused at the cell, a dismissed warning passing its line in the print
preview, and a reviewed report closed to corrections."""

from __future__ import annotations

import re

from datapaths import REAL_DIR
from desk_helpers import PDF_T4, import_and_wait
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QMessageBox

from gui.models.tables import StateRole

CITY_2024 = REAL_DIR / "huaian-city-gov-2024.pdf"


def _type_into_cell(window, qtbot, key: str, text: str) -> None:
    view = window.tables.view_for(key)
    window.tables.select_key(key)
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Return)
    assert view.state() == QAbstractItemView.State.EditingState
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    QTest.keyClicks(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState, timeout=2000)


def _type_text(widget, text: str) -> None:
    """Type ``text`` key by key (QTest.keyClicks takes ASCII only): one key event per
    character, as an input method delivers Chinese."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier,
                                                     ch))


def _answer_next_question(button: QMessageBox.StandardButton, asked: list[str]) -> None:
    def attempt() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(30, attempt)
            return
        asked.append(box.text())
        box.button(button).click()
    QTimer.singleShot(30, attempt)


def _preview_html(window) -> str:
    """The HTML the print preview of the current report's checklist paints."""
    seen: list[str] = []

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not hasattr(dialog, "documents"):
            QTimer.singleShot(50, attempt)
            return
        seen.append(dialog.documents[0].html)
        dialog.reject()
    QTimer.singleShot(50, attempt)
    window.checklist_actions.print_checklist()
    assert seen
    return seen[0]


def _line_status(html: str, check_id: str) -> str:
    row = re.search(rf"{check_id}</span></td>.*?</tr>", html, re.S)
    assert row, check_id
    return re.findall(r"<td align=\"center\" nowrap=\"nowrap\"[^>]*><span[^>]*>([^<]+)</span>",
                      row.group(0))[0]


def test_opinion_and_conclusion_beside_the_review_mark(window, qtbot):
    window.ctx.set_reviewer("王审查")
    import_and_wait(window, qtbot, [PDF_T4])  # table 四 row sum broken: 需整改 proposed
    rid = window.session.report_id
    store = window.backend.store
    panel = window.review_panel
    assert panel.proposed == "需整改" and panel.chosen() is None
    assert "需整改" in panel.conclusion_box.currentText()

    panel.note_edit.setFocus()
    _type_text(panel.note_edit, "表四一处合计错误，已电话核实")
    panel.conclusion_box.setCurrentIndex(panel.conclusion_box.findData("不合格"))
    assert panel.reason_edit.isEnabled()
    QTest.mouseClick(panel.save_btn, Qt.MouseButton.LeftButton)
    # Another conclusion than the proposed one needs a reason: nothing stored yet.
    assert "须说明理由" in panel.message.text()
    assert store.get_report(rid)["conclusion"] is None
    _type_text(panel.reason_edit, "诉讼数据全部失实")
    QTest.mouseClick(panel.save_btn, Qt.MouseButton.LeftButton)
    row = store.get_report(rid)
    assert (row["conclusion"], row["conclusion_reason"], row["conclusion_by"]) == (
        "不合格", "诉讼数据全部失实", "王审查")
    assert (row["note"], row["note_by"]) == ("表四一处合计错误，已电话核实", "王审查")
    html = _preview_html(window)
    assert "表四一处合计错误，已电话核实" in html and "不合格" in html

    # Marking it reviewed with its error unreviewed asks first; "No" leaves it open.
    asked: list[str] = []
    _answer_next_question(QMessageBox.StandardButton.No, asked)
    QTest.mouseClick(window.review_btn, Qt.MouseButton.LeftButton)
    assert asked and "1 项错误未确认或排除" in asked[0]
    assert store.get_report(rid)["status"] != "已审"
    _answer_next_question(QMessageBox.StandardButton.Yes, asked)
    QTest.mouseClick(window.review_btn, Qt.MouseButton.LeftButton)
    assert store.get_report(rid)["status"] == "已审"
    # Reviewed: the cells are read only until it is reopened.
    t4 = window.tables.models["t4"]
    ix = t4.index_of("t4.direct.upheld")
    assert not t4.flags(ix) & Qt.ItemFlag.ItemIsEditable
    QTest.mouseClick(window.review_btn, Qt.MouseButton.LeftButton)  # 取消已审标记
    assert t4.flags(ix) & Qt.ItemFlag.ItemIsEditable


def test_a_value_that_is_no_count_is_refused_at_the_cell(window, qtbot):
    import_and_wait(window, qtbot, [PDF_T4])
    rid = window.session.report_id
    t4 = window.tables.models["t4"]
    key = "t4.direct.upheld"
    before = t4.index_of(key).data(Qt.ItemDataRole.DisplayRole)
    refusals: list[tuple[str, str]] = []
    window.tables.refused.connect(lambda k, why: refusals.append((k, why)))
    _type_into_cell(window, qtbot, key, "abc")
    assert refusals and refusals[0][0] == key and "不是数字" in refusals[0][1]
    assert t4.index_of(key).data(Qt.ItemDataRole.DisplayRole) == before
    assert t4.index_of(key).data(StateRole) == "error"
    assert window.backend.store.history(rid) == []
    assert "未更正" in window.statusBar().currentMessage()
    _type_into_cell(window, qtbot, key, "-3")
    assert "负数" in refusals[-1][1] and window.backend.store.history(rid) == []


def test_dismissing_a_warning_turns_its_line_pass_in_the_print_preview(window, qtbot):
    window.ctx.set_reviewer("王审查")
    import_and_wait(window, qtbot, [CITY_2024])
    assert window.session.report.agency == "淮安市人民政府"
    assert _line_status(_preview_html(window), "C23") == "待核实"
    model = window.findings.model
    row = next(i for i in range(model.rowCount()) if model.finding(i).rule == "section5.content")
    window.findings.select_row(row)
    window.findings.dismiss_current("上一年度无需整改的问题，已核实")
    html = _preview_html(window)
    assert _line_status(html, "C23") == "通过"
    assert "已排除，理由：上一年度无需整改的问题，已核实" in html


def test_office_settings_set_once_reach_the_paper(window, qtbot):
    from gui.widgets.office_settings import OfficeSettingsDialog

    import_and_wait(window, qtbot, [PDF_T4])  # C13 fails: 需整改 by default
    assert window.review_panel.proposed == "需整改"
    dialog = OfficeSettingsDialog(window.backend.store, window)
    qtbot.addWidget(dialog)
    dialog.lines_edit.setText("C99")
    assert not dialog.save() and "C01 至 C30" in dialog.message.text()
    dialog.office_edit.setText("芜湖市人民政府办公室")
    dialog.profile_box.setCurrentIndex(dialog.profile_box.findData("四川"))
    dialog.lines_edit.setText("C13、C21")
    assert dialog.save()
    window.review_panel.refresh()
    assert window.review_panel.proposed == "不合格"
    html = _preview_html(window)
    assert "审查机关：芜湖市人民政府办公室" in html
    assert "DB51/T 2660—2019" in html  # the chosen province's own standard, on its lines


def test_blank_template_and_own_checklist_are_refused_in_the_import_list(window, qtbot, tmp_path):
    from datapaths import BLANK_TEMPLATE

    from gui.models.imports import FAILED

    import_and_wait(window, qtbot, [PDF_T4])
    own = tmp_path / "审查表.pdf"
    assert window.checklist_actions.export_checklist_pdf(str(own))
    import_and_wait(window, qtbot, [BLANK_TEMPLATE, own])
    st = {i.path: (i.status, i.reason) for i in window.import_panel.model.items}
    assert st[str(BLANK_TEMPLATE)] == (FAILED, "空白模板，不是年度报告")
    assert st[str(own)][0] == FAILED and "年报审查台生成" in st[str(own)][1]
    assert window.backend.store.count_reports() == 1
