"""Qt's print preview dialog holding what it needs while it is open.

Its own module so that :mod:`gui.printing` imports QtPrintSupport only when a preview
is really opened.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from render.pdf import Document, paint_documents


class PrintPreview(QPrintPreviewDialog):
    """A print preview of ``documents`` on ``printer``.

    The dialog does not own its printer in Qt: keeping it here keeps it alive as long as
    the dialog. ``documents`` is what it shows, for whoever needs to read it (tests).
    """

    def __init__(self, printer: QPrinter, documents: Sequence[Document],
                 parent: QWidget | None = None) -> None:
        super().__init__(printer, parent)
        self._printer = printer
        self.documents = docs = list(documents)
        self.paintRequested.connect(lambda p: paint_documents(p, docs))
