"""Helpers for the review-desk tests: corpus paths, drag and drop, waiting for imports."""

from __future__ import annotations

import time
from pathlib import Path

from datapaths import DEV_CORPUS, REAL_DIR, SEEDS_DIR
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtPrintSupport import QPrintPreviewWidget
from PySide6.QtWidgets import QApplication, QMessageBox

DEV = DEV_CORPUS
SEEDS = SEEDS_DIR
PDF_T4 = DEV / "005_0b0fcac7.pdf"  # t4.row_sum: 行政诉讼·未经复议直接起诉 总计 1 ≠ 0
DOCX_T3 = DEV / "027_c19402df.docx"  # t3.balance on 法律服务机构 and 总计
HTML = DEV / "008_b936ac4b.html"
REAL_HONGZE_2023 = REAL_DIR / "huaian-hongze-district-gov-2023.pdf"  # 7 findings, 表三 and 表四


def drop(widget, paths: list[Path | str]) -> tuple[QDragEnterEvent, QDropEvent]:
    """Drag ``paths`` onto ``widget`` and drop them (QTest cannot start a real drag)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    centre = widget.rect().center()
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(centre, Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(widget, enter)
    ev = QDropEvent(QPointF(centre), Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(widget, ev)
    return enter, ev


def import_and_wait(window, qtbot, paths: list[Path | str],
                    timeout_ms: int = 60000) -> None:
    with qtbot.waitSignal(window.importFinished, timeout=timeout_ms):
        window.start_import([str(p) for p in paths])


def wait_source(window, qtbot, timeout_ms: int = 10000) -> None:
    """Wait until the open report's source is shown (text kinds load on a thread)."""
    report = window.session.report
    if report is None or report.kind in ("pdf", "scanned-pdf"):
        return
    qtbot.waitUntil(lambda: bool(window.source.text_view.spans), timeout=timeout_ms)


def elapsed_ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


def close_next_modal(found: list, accept: bool = False) -> None:
    """Close the next modal dialog once it is up, keeping it (and what it shows) in ``found``."""
    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(50, attempt)
            return
        preview = dialog.findChild(QPrintPreviewWidget)
        found.append((type(dialog).__name__, preview.pageCount() if preview else None,
                      dialog.text() if isinstance(dialog, QMessageBox) else ""))
        dialog.accept() if accept else dialog.reject()
    QTimer.singleShot(50, attempt)

