"""Printing from the window: the print preview of the papers that ``render`` lays out.

The papers themselves (checklists, summary) are made by :mod:`render.papers`, the same
module ``main.py checklist --pdf`` uses; this module only shows them in Qt's print
preview, from which the inspector prints.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication, QWidget

from render.papers import checklist_documents, export_papers, summary_document
from render.pdf import Document, page_layout
from render.qt import ensure_app

if TYPE_CHECKING:
    from gui.print_preview import PrintPreview


def make_preview_dialog(documents: str | Sequence[Document],
                        parent: QWidget | None = None) -> PrintPreview:
    """A print preview dialog (not yet shown) that prints ``documents`` (HTML or Documents)."""
    from PySide6.QtPrintSupport import QPrinter

    from gui.print_preview import PrintPreview

    ensure_app()
    docs = [Document(documents)] if isinstance(documents, str) else list(documents)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(page_layout(docs[0].landscape))
    printer.setCreator("年报审查台")
    dialog = PrintPreview(printer, docs, parent)
    dialog.setWindowTitle("打印预览 — 年报审查台")
    _size_for_reading(dialog, parent)
    return dialog


def _size_for_reading(dialog, parent: QWidget | None) -> None:
    """Large enough to read a page: most of the screen, the page at the dialog's width."""
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtPrintSupport import QPrintPreviewWidget

    screen = (parent.screen() if parent is not None else None) \
        or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        dialog.resize(min(1100, int(room.width() * 0.9)), int(room.height() * 0.9))
    preview = dialog.findChild(QPrintPreviewWidget)
    if preview is not None:
        preview.fitToWidth()


def print_with_preview(html: str | Sequence[Document], parent: QWidget | None = None) -> int:
    """Show the print preview of the HTML (or Documents); the user prints from it.

    Returns the dialog's result (QDialog.Accepted when printed)."""
    dialog = make_preview_dialog(html, parent)
    return dialog.exec()


def export_checklists(store: Any, report_ids: Sequence[int], out_pdf: str, summary: bool = False,
                      *, reviewer: str | None = None, review_date: date | str | None = None,
                      charts: bool = True) -> int:
    """The window's export: :func:`render.papers.export_papers`."""
    return export_papers(store, report_ids, out_pdf, summary, reviewer=reviewer,
                         review_date=review_date, charts=charts)


@contextmanager
def wait_cursor() -> Iterator[None]:
    """The busy cursor while the GUI thread builds a checklist, a summary or a PDF."""
    QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def preview_documents(store: Any, report_ids: int | Sequence[int], *,
                      reviewer: str | None = None, summary: bool = False) -> list[Document]:
    """The documents the preview shows: the reports' checklists, or their summary."""
    ids = [report_ids] if isinstance(report_ids, int) else list(report_ids)
    if summary:
        return [summary_document(store, ids, reviewer=reviewer)]
    return checklist_documents(store, ids, reviewer=reviewer)


def print_checklist(store: Any, report_ids: int | Sequence[int], parent: QWidget | None = None,
                    *, reviewer: str | None = None, summary: bool = False) -> int:
    """Print preview of one report's checklist (or several, or their summary) for the window."""
    with wait_cursor():
        docs = preview_documents(store, report_ids, reviewer=reviewer, summary=summary)
    return print_with_preview(docs, parent)
