"""The 公文 menu: the register of agencies (and the papers) driven from the window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from office_db import build, copy_of
from PySide6.QtCore import QItemSelectionModel, QSettings, Qt

from core.register import DEPARTMENT, Register
from gui.app import configure_app
from gui.backend import StoreBackend
from gui.context import AppContext
from gui.main_window import MainWindow
from gui.workers import Workers

HONGZE = "淮安市洪泽区人民政府"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("office_gui"))


@pytest.fixture
def office_window(qapp, qtbot, built: Path, tmp_path: Path, process_pool) -> Iterator[MainWindow]:
    configure_app(qapp)
    backend = StoreBackend.open(copy_of(built, tmp_path))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    context = AppContext(backend, settings, Workers(pool=process_pool))
    w = MainWindow(context)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()
    context.close()


def test_the_register_dialog_sets_level_merges_and_undoes(office_window, qtbot) -> None:
    w = office_window
    w.register_action.trigger()
    dialog = w.office_actions.register_dialog
    qtbot.waitExposed(dialog)
    assert dialog.table.rowCount() == 2
    row = dialog.row_of(HONGZE)
    assert "洪泽区人民政府" in dialog.table.item(row, 1).text()

    # The level box: the user picks 部门.
    box = dialog.table.cellWidget(row, 2)
    box.setCurrentIndex(box.findData(DEPARTMENT))
    box.activated.emit(box.currentIndex())
    store = w.backend.store
    [hz] = [a for a in Register(store).agencies() if a.name == HONGZE]
    assert hz.level == DEPARTMENT and hz.level_set
    assert "部门" in dialog.status.text()

    # Area typed in the table.
    row = dialog.row_of(HONGZE)
    dialog.table.item(row, 3).setText("洪泽区")
    assert [a.area for a in Register(store).agencies() if a.name == HONGZE] == ["洪泽区"]

    # Merge: select both rows, click.
    sel = dialog.table.selectionModel()
    for r in (dialog.row_of("淮安市人民政府"), dialog.row_of(HONGZE)):
        sel.select(dialog.table.model().index(r, 0), QItemSelectionModel.SelectionFlag.Select
                   | QItemSelectionModel.SelectionFlag.Rows)
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 1
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 2
    assert dialog.status.text().startswith("撤销合并")

    # The 应报送 box, then a split of the automatic match.
    row = dialog.row_of(HONGZE)
    dialog.table.item(row, 4).setCheckState(Qt.CheckState.Checked)
    assert [a.expected for a in Register(store).agencies() if a.name == HONGZE] == [True]
    assert dialog.split("洪泽区人民政府")
    assert dialog.table.rowCount() == 3
    assert w.overview_tab() is not None


def test_notice_for_the_current_report_and_for_the_list(office_window, qtbot, tmp_path) -> None:
    from docx import Document

    w = office_window
    store = w.backend.store
    rid = next(r["id"] for r in store.list_reports() if r["year"] == 2023)
    assert w.report_list.select_report(rid)
    qtbot.waitUntil(lambda: w.session.report_id == rid, timeout=5000)
    one = tmp_path / "one.docx"
    assert w.office_actions.notice(path=str(one), with_pdf=False)
    text = "\n".join(p.text for p in Document(str(one)).paragraphs)
    assert "淮安市洪泽区人民政府" in text and "表四" in text
    every = tmp_path / "all.docx"
    assert w.office_actions.notice(every=True, path=str(every), with_pdf=False)
    assert "淮安市人民政府 没有需要整改的问题" in w.statusBar().currentMessage()


def test_circular_from_the_window(office_window, tmp_path) -> None:
    from docx import Document

    w = office_window
    out = tmp_path / "circular.docx"
    assert w.office_actions.circular(path=str(out), with_pdf=False)
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "2024年度政府信息公开工作年度报告审查情况的通报" in text
    assert "收到年度报告 2 份" in text


def test_combined_tables_from_the_window(office_window, tmp_path) -> None:
    from openpyxl import load_workbook

    w = office_window
    out = tmp_path / "sum.xlsx"
    assert w.office_actions.combine(path=str(out), include_errors=True)
    assert load_workbook(out).sheetnames == ["表二", "表三", "表四", "各单位数据", "说明"]
    assert (tmp_path / "sum.docx").exists()
    assert "2 份报告" in w.statusBar().currentMessage()


def test_indicators_page_in_the_charts_tab(office_window, qtbot) -> None:
    from gui.main_window import VIEW_CHARTS

    w = office_window
    w.show_view(VIEW_CHARTS)
    charts = w.charts_tab()
    view = charts.indicators
    charts.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.data is not None, timeout=5000)
    assert view.data.year == 2024
    assert view.cell_text(HONGZE, "数值").startswith("62.1%")
    assert view.cell_text(HONGZE, "同比").endswith("个百分点")  # against 洪泽区人民政府 2023
    assert view.cell_text(HONGZE, "排名", indicator=1) == "不排名"  # 复议 审结 under 10
    assert view.cell_text(HONGZE, "数值", indicator=1).startswith("基数过小")
    assert view.cell_text("全地区", "数值").endswith("）")
