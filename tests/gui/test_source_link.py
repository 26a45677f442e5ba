"""Cell ⇄ source: selecting a cell boxes it in the page; clicking a number selects its cell."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from desk_helpers import DEV, DOCX_T3, HTML, PDF_T4, import_and_wait, wait_source
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from gui.widgets.source_view import HIGHLIGHT_PAD, PAGE_GAP


def _current_key(window):
    view = window.tables.current_view()
    return view.table_model().key_at(view.currentIndex())


def _page_tops(path) -> list[float]:
    pdf = pdfium.PdfDocument(str(path))
    tops, y = [], 0.0
    for i in range(len(pdf)):
        tops.append(y)
        y += pdf[i].get_size()[1] + PAGE_GAP
    pdf.close()
    return tops


@pytest.mark.parametrize("key", ["t4.direct.total", "t3.new.natural", "t2.rules.issued"])
def test_selecting_a_cell_boxes_its_bbox_on_the_page(window, qtbot, key):
    import_and_wait(window, qtbot, [PDF_T4])
    cell = window.session.report.cells[key]
    assert cell.loc is not None and cell.loc.bbox is not None
    assert window.tables.select_key(key)

    view = window.source.pdf_view
    item = view.highlight
    assert item is not None and view.highlight_key == key
    x0, top, x1, bottom = cell.loc.bbox
    y = _page_tops(PDF_T4)[cell.loc.page - 1]
    expected = QRectF(x0, y + top, x1 - x0, bottom - top).adjusted(
        -HIGHLIGHT_PAD, -HIGHLIGHT_PAD, HIGHLIGHT_PAD, HIGHLIGHT_PAD)
    got = item.rect()
    for a, b in ((got.left(), expected.left()), (got.top(), expected.top()),
                 (got.width(), expected.width()), (got.height(), expected.height())):
        assert a == pytest.approx(b, abs=0.01)
    # Scrolled into view, and the page under it is rendered.
    on_screen = view.mapFromScene(got).boundingRect()
    assert view.viewport().rect().intersects(on_screen)
    qtbot.waitUntil(lambda: cell.loc.page in view.rendered_pages(), timeout=3000)
    assert window.source.page_box.value() == cell.loc.page


def test_clicking_a_number_on_the_page_selects_its_cell(window, qtbot):
    import_and_wait(window, qtbot, [PDF_T4])
    view = window.source.pdf_view
    window.tables.select_key("t4.direct.total")  # brings page 3 into view
    loc = window.session.report.cells["t4.review.total"].loc
    rect = view.scene_rect_for(loc)
    view.centerOn(rect.center())
    point = view.mapFromScene(rect.center())
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     point)
    assert _current_key(window) == "t4.review.total"
    assert view.highlight_key == "t4.review.total"
    # A click far from any number selects nothing new.
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, QPoint(3, 3))
    assert _current_key(window) == "t4.review.total"


def test_zoom_and_page_navigation(window, qtbot):
    import_and_wait(window, qtbot, [PDF_T4])
    src = window.source
    z = src.pdf_view.zoom()
    src.zoom_in_btn.click()
    assert src.pdf_view.zoom() > z
    src.zoom_out_btn.click()
    src.zoom_out_btn.click()
    assert src.pdf_view.zoom() < z
    # Ctrl+wheel zooms; a plain wheel scrolls.
    z = src.pdf_view.zoom()
    vp = src.pdf_view.viewport()
    centre = QPointF(vp.rect().center())
    wheel = QWheelEvent(centre, vp.mapToGlobal(centre), QPoint(0, 0), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(vp, wheel)
    assert src.pdf_view.zoom() == pytest.approx(z * 1.15)
    assert src.zoom_label.text() == f"{z * 1.15:.0%}"
    src.pdf_view.go_to_page(3)
    qtbot.waitUntil(lambda: src.pdf_view.current_page() == 3, timeout=2000)
    assert src.page_box.maximum() == 3


@pytest.mark.parametrize("path,key", [(DOCX_T3, "t3.carried_in.legal"), (HTML, "t4.direct.total"),
                                      (DEV / "009_f7d8bad6.txt", "t3.new.total")])
def test_text_sources_highlight_the_cell_text(window, qtbot, path, key):
    import_and_wait(window, qtbot, [path])
    wait_source(window, qtbot)
    assert window.source.kind == "text"
    cell = window.session.report.cells[key]
    window.tables.select_key(key)
    tv = window.source.text_view
    assert tv.highlight_key == key
    a, b = tv.highlight_range
    assert tv.toPlainText()[a:b].strip() == cell.raw.strip()
    # Clicking another number of the text selects that cell.
    other = {"t3.carried_in.legal": "t3.new.total", "t4.direct.total": "t4.review.total",
             "t3.new.total": "t3.carried_in.total"}[key]
    oa, ob = tv.range_for(window.session.report.cells[other].loc)
    cur = tv.textCursor()
    cur.setPosition(oa)
    point = tv.cursorRect(cur).center() + QPoint(2, 0)
    QTest.mouseClick(tv.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     point)
    assert _current_key(window) == other
