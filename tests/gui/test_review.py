"""Reviewing: edit a cell → correction recorded, findings re-checked; undo; keyboard; verdicts."""

from __future__ import annotations

from desk_helpers import DOCX_T3, HTML, PDF_T4, import_and_wait, wait_source
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit

from gui.models.tables import StateRole


def _rules(window) -> list[str]:
    return [f.rule for f in window.session.findings]


def _edit_with_keyboard(window, qtbot, key: str, text: str) -> None:
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
    # The delegate commits on Return through a queued call.
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState, timeout=2000)


def test_correcting_the_wrong_cell_removes_the_finding_and_undo_restores_it(window, qtbot):
    # 005: 行政诉讼·未经复议直接起诉 总计 1, but its four parts are 0 (the prose says one
    # lawsuit, so the total is right and a part is wrong).
    import_and_wait(window, qtbot, [PDF_T4])
    rid = window.session.report_id
    store = window.backend.store
    assert "t4.row_sum" in _rules(window)
    t4 = window.tables.models["t4"]
    key = "t4.direct.upheld"
    assert t4.index_of(key).data(StateRole) == "error"
    assert window.backend.summary(rid).errors == 1

    changes: list[object] = []
    t4.dataChanged.connect(lambda *a: changes.append(a))
    _edit_with_keyboard(window, qtbot, key, "1")
    # How fast (target < 50 ms) is benchmarks/gui_bench.py's "cell edit → colours".
    assert changes, "the table did not announce the new colours"

    # The correction is in the database, the finding is gone, the cell is blue.
    hist = store.history(rid)
    assert [(h["key"], h["before"], h["after"]) for h in hist] == [(key, 0, 1)]
    assert "t4.row_sum" not in _rules(window)
    assert "t4.row_sum" not in [sf.finding.rule for sf in store.findings(rid)]
    assert t4.index_of(key).data(StateRole) == "corrected"
    assert t4.index_of(key).data(Qt.ItemDataRole.DisplayRole) == "1"
    assert t4.index_of("t4.direct.total").data(StateRole) == "ok"
    assert window.backend.summary(rid).errors == 0
    assert window.findings.model.rowCount() == len(window.session.findings)
    assert window.history.model().rowCount() == 2  # "(提取的原始值)" + the correction

    # Ctrl+Z: the extracted value is back, and so is the finding (recorded as an undo row).
    view = window.tables.current_view()
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "t4.row_sum" in _rules(window)
    assert t4.index_of(key).data(StateRole) == "error"
    assert t4.index_of(key).data(Qt.ItemDataRole.DisplayRole) == "0"
    hist = store.history(rid)
    assert len(hist) == 2 and hist[1]["undoes"] == hist[0]["id"] and hist[1]["after"] == 0
    assert window.backend.summary(rid).errors == 1
    assert window.report_list.proxy.index(0, 5).data() == "1"

    # Ctrl+Shift+Z redoes it.
    QTest.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert "t4.row_sum" not in _rules(window)
    assert len(store.history(rid)) == 3
    assert window.report_list.proxy.index(0, 5).data() == "0"


def test_a_balance_defect_in_a_docx(window, qtbot):
    import_and_wait(window, qtbot, [DOCX_T3])
    wait_source(window, qtbot)
    balance = [f for f in window.session.findings if f.rule == "t3.balance"]
    assert {c for f in balance for c in f.cells} >= {"t3.carried_in.legal", "t3.carried_in.total"}
    _edit_with_keyboard(window, qtbot, "t3.carried_in.legal", "0")
    _edit_with_keyboard(window, qtbot, "t3.carried_in.total", "0")
    assert "t3.balance" not in _rules(window)
    t3 = window.tables.models["t3"]
    assert t3.index_of("t3.carried_in.legal").data(StateRole) == "corrected"
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert _rules(window).count("t3.balance") == len(balance)


def test_f8_goes_through_the_findings_and_enter_edits(window, qtbot):
    import_and_wait(window, qtbot, [DOCX_T3])
    wait_source(window, qtbot)
    window.activateWindow()
    window.tables.current_view().setFocus()
    n = window.findings.model.rowCount()
    assert n >= 2
    QTest.keyClick(window.tables.current_view(), Qt.Key.Key_F8)
    first = window.findings.current_finding()
    assert first is not None and window.findings.view.currentIndex().row() == 0
    view = window.tables.current_view()
    key = view.table_model().key_at(view.currentIndex())
    if first.cells:
        assert key in first.cells
        assert QApplication.focusWidget() is view
        # The cells of the finding are selected, and shown in the source.
        selected = {view.table_model().key_at(i) for i in view.selectionModel().selectedIndexes()}
        assert selected == {k for k in first.cells if window.tables.view_for(k) is view}
        assert window.source.text_view.highlight_key == key
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_F8)
    assert window.findings.view.currentIndex().row() == 1
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert window.findings.view.currentIndex().row() == 0
    # Arrows move through the table; Enter opens the editor.
    view = window.tables.current_view()
    view.setFocus()
    window.tables.select_key("t3.new.natural")
    QTest.keyClick(view, Qt.Key.Key_Right)
    assert view.table_model().key_at(view.currentIndex()) == "t3.new.commercial"
    QTest.keyClick(view, Qt.Key.Key_Down)
    assert view.table_model().key_at(view.currentIndex()) == "t3.carried_in.commercial"
    QTest.keyClick(view, Qt.Key.Key_Enter)
    assert view.state() == QAbstractItemView.State.EditingState
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert window.backend.store.history(window.session.report_id) == []


def test_dismissing_a_finding_keeps_the_reason_with_the_report(window, qtbot):
    import_and_wait(window, qtbot, [PDF_T4])
    rid = window.session.report_id
    window.ctx.set_reviewer("李审查")
    window.findings.select_row(0)
    f = window.findings.current_finding()
    window.findings.dismiss_current("表格印刷错误,已电话核实")
    stored = {sf.finding.fingerprint: sf for sf in window.backend.store.findings(rid)}
    assert stored[f.fingerprint].verdict == "dismissed"
    assert stored[f.fingerprint].reason == "表格印刷错误,已电话核实"
    assert stored[f.fingerprint].reviewer == "李审查"
    assert window.backend.summary(rid).errors == 0
    t4 = window.tables.models["t4"]
    assert t4.index_of("t4.direct.total").data(StateRole) == "ok"
    assert "已排除" in window.findings.model.index(0, 4).data()
    window.findings.clear_current()
    window.findings.confirm_current()
    assert window.backend.store.findings(rid)[0].verdict == "confirmed"
    assert window.backend.summary(rid).errors == 1


def test_mark_reviewed_with_the_reviewer_from_settings(window, qtbot):
    import_and_wait(window, qtbot, [HTML])
    rid = window.session.report_id
    window.ctx.set_reviewer("张三")
    window.review_action.trigger()
    row = window.backend.store.get_report(rid)
    assert (row["status"], row["reviewer"]) == ("已审", "张三")
    assert "张三" in window.report_title.text()
    status_col = 4
    assert window.report_list.proxy.index(0, status_col).data() == "已审"
    window.report_list.only_unreviewed.setChecked(True)
    assert window.report_list.proxy.rowCount() == 0
    window.report_list.only_unreviewed.setChecked(False)
    window.review_action.trigger()  # takes the mark back
    assert window.backend.store.get_report(rid)["status"] == "审查中"


def test_ctrl_page_down_moves_to_the_next_report(window, qtbot):
    import_and_wait(window, qtbot, [PDF_T4, HTML])
    from gui.models.reports import ReportIdRole

    proxy = window.report_list.proxy
    window.report_list.select_report(proxy.index(0, 0).data(ReportIdRole))
    first = window.session.report_id
    view = window.tables.current_view()
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    second = window.session.report_id
    assert second == proxy.index(1, 0).data(ReportIdRole) != first
    QTest.keyClick(view, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert window.session.report_id == first
