"""The charts and overview tabs, and the checklist's print preview and PDF export, in the
real window over reports imported through it."""

from __future__ import annotations

import pdfplumber
import pytest
from desk_helpers import DEV, SEEDS, close_next_modal
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from gui.main_window import VIEW_CHARTS, VIEW_OVERVIEW, VIEW_REVIEW, MainWindow
from gui.print_preview import PrintPreview

FILES = [DEV / "005_0b0fcac7.pdf", DEV / "027_c19402df.docx", DEV / "001_10e7db0a.docx",
         DEV / "008_b936ac4b.html", *sorted(SEEDS.glob("*.txt"))]


@pytest.fixture
def loaded(window: MainWindow) -> MainWindow:
    results = window.import_now([str(p) for p in FILES])
    assert all(r.report is not None for r in results), [r.error for r in results]
    return window


def summaries(window: MainWindow):
    return {s.id: s for s in window.backend.summaries()}


def test_the_charts_tab_is_built_on_first_show_and_follows_the_list(loaded, qtbot, tmp_path):
    w = loaded
    assert w.charts is None  # pyqtgraph stays out of the start-up
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=3000)
    QTest.keyClick(w, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert w.views.currentIndex() == VIEW_CHARTS
    charts = w.charts
    assert charts is not None and charts.isVisible()

    agencies = {s.agency for s in summaries(w).values()}
    bars = charts.charts["applicants"]
    assert {label.rsplit(" ", 1)[0] for label in bars.data.labels} == agencies
    text = bars.hover_at(0.1, 0)  # the first (largest) bar
    assert bars.data.labels[0] in text and "合计" in text

    # The list's filter reaches the charts: only reports with errors.
    qtbot.mouseClick(w.report_list.only_errors, Qt.MouseButton.LeftButton)
    with_errors = {s.agency for s in summaries(w).values() if s.errors}
    assert 0 < len(with_errors) < len(agencies)
    assert {label.rsplit(" ", 1)[0] for label in bars.data.labels} == with_errors
    assert "有不通过项" in charts.filter_label.text()
    findings = charts.charts["findings"].data
    assert {label.rsplit(" ", 1)[0] for label in findings.labels} == with_errors

    png = tmp_path / "applicants.png"
    charts.export_png("applicants", png, width=1000)
    image = QImage(str(png))
    assert image.width() == 1000 and image.height() > 300
    colours = {image.pixel(x, y) for x in range(0, 1000, 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 5  # bars, text and axes, not a blank page


def test_a_bar_opens_its_report_in_the_review_tab(loaded, qtbot):
    w = loaded
    charts = w.show_view(VIEW_CHARTS)
    bars = w.charts.charts["applicants"]
    assert charts is w._charts_page
    with qtbot.waitSignal(w.reportShown, timeout=5000) as shown:
        bars.barClicked.emit(bars.report_ids[-1])
    assert shown.args == [bars.report_ids[-1]]
    assert w.views.currentIndex() == VIEW_REVIEW
    assert w.report_list.current_id() == bars.report_ids[-1]


def test_charts_redraw_after_an_import_while_shown(window, qtbot):
    w = window
    w.import_now([str(FILES[0])])
    w.show_view(VIEW_CHARTS)
    assert len(w.charts.charts["applicants"].data.labels) == 1
    w.import_now([str(FILES[1])])
    qtbot.waitUntil(lambda: len(w.charts.charts["applicants"].data.labels) == 2, timeout=3000)


def test_the_overview_keeps_its_units_list(loaded, qtbot, tmp_path, ctx):
    w = loaded
    agency = next(iter(summaries(w).values())).agency
    units = tmp_path / "units.csv"
    units.write_text(f"单位名称\n{agency}\n某某县不存在局\n", encoding="utf-8")
    overview = w.overview_tab()
    w.show_view(VIEW_OVERVIEW)
    assert overview.load_units_file(units) == 2
    missing = overview.find_unit_row("某某县不存在局")
    assert missing >= 0
    assert "未报送" in overview.as_text()

    # Double-clicking a reported cell opens the report.
    row = overview.find_unit_row(agency)
    col = next(c for c in range(1, overview.table.columnCount())
               if getattr(overview.entry_at(row, c), "report", None) is not None)
    with qtbot.waitSignal(w.reportShown, timeout=5000):
        overview.table.cellDoubleClicked.emit(row, col)
    assert w.views.currentIndex() == VIEW_REVIEW

    # The next window (same settings) loads the same list by itself.
    w.close()
    again = MainWindow(ctx)
    qtbot.addWidget(again)
    assert again.overview_tab().units_path == str(units)


def test_print_preview_of_the_current_checklist(loaded, qtbot):
    w = loaded
    w.select_first_finding()
    assert w.session.report_id is not None
    found: list = []
    close_next_modal(found)
    w.print_action.trigger()
    assert found and found[0][0] == PrintPreview.__name__  # Qt's preview
    assert found[0][1] >= 1  # pages laid out in the preview

    found.clear()
    close_next_modal(found)
    w.print_summary_action.trigger()
    assert found and found[0][1] >= 1


def test_checklist_and_summary_export_to_pdf(loaded, tmp_path):
    w = loaded
    rid = w.report_list.shown_ids()[0]
    w.report_list.select_report(rid)
    agency = w.backend.store.get_report(rid)["agency"]
    one = tmp_path / "one.pdf"
    assert w.export_checklist_pdf(str(one)) >= 1
    with pdfplumber.open(one) as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages)
    assert agency in text and "签字" in text.replace(" ", "")
    assert str(one) in w.statusBar().currentMessage()

    every = tmp_path / "all.pdf"
    assert w.export_checklist_pdf(str(every), every=True) >= len(FILES)

    summary = tmp_path / "summary.pdf"
    assert w.export_checklist_pdf(str(summary), summary=True) >= 1
    with pdfplumber.open(summary) as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages)
        images = sum(len(p.images) for p in pdf.pages)
    # Long names wrap in their narrow column: their first ten characters stay on one line.
    assert all(s.agency[:10] in text for s in summaries(w).values())
    assert images >= 3  # the charts went in


def test_an_export_that_cannot_be_written_says_why(loaded, tmp_path):
    w = loaded
    w.report_list.select_report(w.report_list.shown_ids()[0])
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    found: list = []
    close_next_modal(found, accept=True)
    assert w.export_checklist_pdf(str(blocker / "sub" / "x.pdf")) is None
    assert found and found[0][0] == "QMessageBox" and "无法写入" in found[0][2]
