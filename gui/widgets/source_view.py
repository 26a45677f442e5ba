"""The source document beside the tables: PDF pages as images, other kinds as text.

PDF pages are rendered by pypdfium2 into QImages, lazily (only pages near the
viewport) and cached; pdfium is not thread-safe, so every call into it holds
:data:`PDFIUM_LOCK`. Scene coordinates are PDF points (y from the top, as pdfplumber
gives cell boxes), pages stacked with a gap, so a cell's bbox maps to the scene by
adding its page's offset. DOCX, HTML, TXT and DOC are shown as the document's rows.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QImage,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPen,
    QPixmap,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.document import Document, Location
from core.model import Cell

# pdfium keeps global state: one lock around every call, whichever thread makes it.
PDFIUM_LOCK = threading.Lock()

PAGE_GAP = 12.0  # points between pages in the scene
HIGHLIGHT_PAD = 2.0  # points around a cell's box
CLICK_RADIUS = 14.0  # points: how far from a number a click still selects it
MIN_ZOOM, MAX_ZOOM = 0.25, 6.0
HIGHLIGHT_PEN = QColor("#d32f2f")
HIGHLIGHT_FILL = QColor(255, 214, 0, 90)
OTHER_PEN = QColor("#f57c00")
OTHER_FILL = QColor(255, 167, 38, 50)
TEXT_HIGHLIGHT = QColor("#ffe082")
TEXT_CURRENT = QColor("#ffb74d")


class PdfPages:
    """An open PDF: page sizes, and pages rendered to QImages (cached by page and scale)."""

    def __init__(self, path: str) -> None:
        import pypdfium2 as pdfium

        with PDFIUM_LOCK:
            self._pdf = pdfium.PdfDocument(path)
            self.sizes: list[tuple[float, float]] = [
                tuple(self._pdf[i].get_size()) for i in range(len(self._pdf))
            ]
        self._cache: dict[tuple[int, float], QImage] = {}

    def __len__(self) -> int:
        return len(self.sizes)

    def render(self, index: int, scale: float) -> QImage:
        key = (index, scale)
        img = self._cache.get(key)
        if img is not None:
            return img
        with PDFIUM_LOCK:
            page = self._pdf[index]
            bitmap = page.render(scale=scale, rev_byteorder=True)
            arr = bitmap.to_numpy()
            h, w, c = arr.shape
            fmt = QImage.Format.Format_RGB888 if c == 3 else QImage.Format.Format_RGBA8888
            img = QImage(arr.data, w, h, arr.strides[0], fmt).copy()
            page.close()
        # Keep the cache small: only the best image per page.
        for k in [k for k in self._cache if k[0] == index]:
            del self._cache[k]
        self._cache[key] = img
        return img

    def close(self) -> None:
        with PDFIUM_LOCK:
            self._pdf.close()
        self._cache.clear()


@dataclass
class _Page:
    index: int
    top: float
    width: float
    height: float
    frame: QGraphicsRectItem
    image: QGraphicsPixmapItem | None = None
    scale: float = 0.0


class PdfView(QGraphicsView):
    """Pages of one PDF in a scene measured in PDF points."""

    cellClicked = Signal(str)
    pageChanged = Signal(int)  # 1-based
    zoomChanged = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setBackgroundBrush(QColor("#5f6670"))
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.pdf: PdfPages | None = None
        self.pages: list[_Page] = []
        self.cells: dict[str, Location] = {}
        self.highlight: QGraphicsRectItem | None = None
        self.highlight_key: str | None = None
        self.others: list[QGraphicsRectItem] = []
        self._zoom = 1.0
        # Fit-width until the inspector zooms by hand: the page then follows the pane's width.
        self.fit_mode = True
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(30)
        self._render_timer.timeout.connect(self.render_visible)
        self.verticalScrollBar().valueChanged.connect(self._on_scroll)
        self._press: QPointF | None = None

    # --- document ------------------------------------------------------------------------
    def open(self, path: str) -> None:
        self.close_document()
        self.pdf = PdfPages(path)
        y = 0.0
        for i, (w, h) in enumerate(self.pdf.sizes):
            frame = self.scene().addRect(QRectF(0, y, w, h), QPen(QColor("#3c4148")),
                                         QBrush(Qt.GlobalColor.white))
            frame.setZValue(0)
            self.pages.append(_Page(i, y, w, h, frame))
            y += h + PAGE_GAP
        width = max((p.width for p in self.pages), default=600.0)
        self.scene().setSceneRect(QRectF(-PAGE_GAP, -PAGE_GAP, width + 2 * PAGE_GAP,
                                         y + PAGE_GAP))
        if self.fit_mode:
            self.fit_width()
        self._schedule_render()

    def close_document(self) -> None:
        self.scene().clear()
        self.pages = []
        self.others = []
        self.highlight = None
        self.highlight_key = None
        if self.pdf is not None:
            self.pdf.close()
            self.pdf = None

    def set_cells(self, cells: dict[str, Cell]) -> None:
        self.cells = {k: c.loc for k, c in cells.items()
                      if c.loc is not None and c.loc.page is not None and c.loc.bbox is not None}

    # --- geometry ------------------------------------------------------------------------
    def page_top(self, page: int) -> float:
        """Scene y of the top of 1-based ``page``."""
        return self.pages[page - 1].top

    def scene_rect_for(self, loc: Location) -> QRectF | None:
        """The scene rectangle of a PDF location (its bbox on its page), or None."""
        if loc.page is None or loc.bbox is None or not 1 <= loc.page <= len(self.pages):
            return None
        x0, top, x1, bottom = loc.bbox
        return QRectF(x0, self.page_top(loc.page) + top, x1 - x0, bottom - top)

    def page_at(self, scene_y: float) -> int:
        for p in self.pages:
            if scene_y < p.top + p.height + PAGE_GAP / 2:
                return p.index + 1
        return len(self.pages)

    def current_page(self) -> int:
        if not self.pages:
            return 0
        centre = self.mapToScene(self.viewport().rect().center())
        return self.page_at(centre.y())

    # --- highlight -----------------------------------------------------------------------
    def show_location(self, loc: Location | None, key: str | None = None) -> bool:
        """Draw a box around ``loc`` and scroll it into view."""
        if self.highlight is not None:
            self.scene().removeItem(self.highlight)
            self.highlight = None
            self.highlight_key = None
        self.show_others([])
        rect = self.scene_rect_for(loc) if loc is not None else None
        if rect is None:
            return False
        rect = rect.adjusted(-HIGHLIGHT_PAD, -HIGHLIGHT_PAD, HIGHLIGHT_PAD, HIGHLIGHT_PAD)
        pen = QPen(HIGHLIGHT_PEN, 2)
        pen.setCosmetic(True)
        self.highlight = self.scene().addRect(rect, pen, QBrush(HIGHLIGHT_FILL))
        self.highlight.setZValue(10)
        self.highlight_key = key
        self.centerOn(rect.center())
        self._schedule_render()
        return True

    def show_others(self, locs: list[Location | None]) -> None:
        """Thin boxes around the other cells of a finding (the main one keeps its box)."""
        for item in self.others:
            self.scene().removeItem(item)
        self.others = []
        pen = QPen(OTHER_PEN, 1.5)
        pen.setCosmetic(True)
        for loc in locs:
            rect = self.scene_rect_for(loc) if loc is not None else None
            if rect is None:
                continue
            item = self.scene().addRect(rect.adjusted(-1.5, -1.5, 1.5, 1.5), pen,
                                        QBrush(OTHER_FILL))
            item.setZValue(9)
            self.others.append(item)

    # --- navigation and zoom -------------------------------------------------------------
    def go_to_page(self, page: int) -> None:
        if not self.pages:
            return
        page = max(1, min(page, len(self.pages)))
        p = self.pages[page - 1]
        self.verticalScrollBar().setValue(
            int(self.mapFromScene(QPointF(0, p.top - PAGE_GAP / 2)).y()
                + self.verticalScrollBar().value()))
        self._schedule_render()

    def zoom(self) -> float:
        return self._zoom

    def set_zoom(self, zoom: float) -> None:
        zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        factor = zoom / self._zoom
        if abs(factor - 1) < 1e-6:
            return
        self._zoom = zoom
        self.scale(factor, factor)
        self.zoomChanged.emit(zoom)
        self._schedule_render()

    def zoom_in(self) -> None:
        self.fit_mode = False
        self.set_zoom(self._zoom * 1.2)

    def zoom_out(self) -> None:
        self.fit_mode = False
        self.set_zoom(self._zoom / 1.2)

    def fit_width(self) -> None:
        self.fit_mode = True
        if not self.pages:
            return
        width = max(p.width for p in self.pages) + 2 * PAGE_GAP
        avail = max(100, self.viewport().width() - 4)
        self.resetTransform()
        self._zoom = 1.0
        self.set_zoom(avail / width)
        self.zoomChanged.emit(self._zoom)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120
            if steps:
                self.fit_mode = False
                self.set_zoom(self._zoom * (1.15 ** steps))
            event.accept()
            return
        super().wheelEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self.fit_mode and self.pages and event.size().width() != event.oldSize().width():
            centre = self.mapToScene(self.viewport().rect().center())
            self.fit_width()
            self.centerOn(centre)
        self._schedule_render()

    def _on_scroll(self, _value: int) -> None:
        self.pageChanged.emit(self.current_page())
        self._schedule_render()

    # --- rendering -----------------------------------------------------------------------
    def _schedule_render(self) -> None:
        self._render_timer.start()

    def _render_scale(self) -> float:
        dpr = self.devicePixelRatioF() if hasattr(self, "devicePixelRatioF") else 1.0
        want = self._zoom * dpr
        for step in (1.0, 1.5, 2.0, 3.0, 4.0, 6.0):
            if want <= step:
                return step
        return 6.0

    def render_visible(self) -> None:
        """Render the pages in (or next to) the viewport that lack a sharp enough image."""
        if self.pdf is None:
            return
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        margin = visible.height() * 0.5
        scale = self._render_scale()
        for p in self.pages:
            if p.top + p.height < visible.top() - margin or p.top > visible.bottom() + margin:
                continue
            if p.image is not None and p.scale >= scale:
                continue
            img = self.pdf.render(p.index, scale)
            if p.image is None:
                p.image = QGraphicsPixmapItem()
                p.image.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
                p.image.setZValue(1)
                self.scene().addItem(p.image)
            p.image.setPixmap(QPixmap.fromImage(img))
            p.image.setScale(p.width / img.width())
            p.image.setPos(0, p.top)
            p.scale = scale

    def rendered_pages(self) -> list[int]:
        return [p.index + 1 for p in self.pages if p.image is not None]

    # --- clicks --------------------------------------------------------------------------
    def key_near(self, scene_pos: QPointF) -> str | None:
        """The cell whose box is nearest to ``scene_pos`` on its page, within reach."""
        if not self.pages:
            return None
        page = self.page_at(scene_pos.y())
        y = scene_pos.y() - self.page_top(page)
        x = scene_pos.x()
        best, best_d = None, CLICK_RADIUS
        for key, loc in self.cells.items():
            if loc.page != page or loc.bbox is None:
                continue
            x0, top, x1, bottom = loc.bbox
            dx = max(x0 - x, 0.0, x - x1)
            dy = max(top - y, 0.0, y - bottom)
            d = (dx * dx + dy * dy) ** 0.5
            if d < best_d:
                best, best_d = key, d
        return best

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._press = event.position()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        press, self._press = self._press, None
        if press is None or event.button() != Qt.MouseButton.LeftButton:
            return
        if (event.position() - press).manhattanLength() > 4:
            return  # a drag to scroll, not a click
        key = self.key_near(self.mapToScene(event.position().toPoint()))
        if key:
            self.cellClicked.emit(key)


@dataclass
class _Span:
    start: int
    end: int
    loc: Location


class TextView(QPlainTextEdit):
    """A DOCX/HTML/TXT document as its rows of text, table cells separated by │."""

    cellClicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.spans: list[_Span] = []
        self.cells: dict[str, Location] = {}
        self.highlight_range: tuple[int, int] | None = None
        self.highlight_key: str | None = None
        self._main_selections: list[QTextEdit.ExtraSelection] = []
        self.setStyleSheet("QPlainTextEdit { background: white; }")

    def set_document(self, doc: Document | None, message: str = "") -> None:
        self.spans = []
        self.highlight_range = None
        self.highlight_key = None
        self._main_selections = []
        self.setExtraSelections([])
        if doc is None:
            self.setPlainText(message)
            return
        parts: list[str] = []
        pos = 0
        last_table: int | None = None
        for row in doc.rows:
            if row.table != last_table and parts:
                parts.append("\n")
                pos += 1
            last_table = row.table
            sep = "  │  " if row.grid else " "
            first = True
            for tok in row.tokens:
                if not tok.text and not row.grid:
                    continue
                if not first:
                    parts.append(sep)
                    pos += len(sep)
                text = tok.text.replace("\n", " ") if tok.text else ("　" if row.grid else "")
                parts.append(text)
                self.spans.append(_Span(pos, pos + len(text), tok.loc))
                pos += len(text)
                first = False
            parts.append("\n")
            pos += 1
        self.setPlainText("".join(parts))
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def set_cells(self, cells: dict[str, Cell]) -> None:
        self.cells = {k: c.loc for k, c in cells.items() if c.loc is not None}

    def range_for(self, loc: Location) -> tuple[int, int] | None:
        """The character range of ``loc`` in the shown text, or None."""
        if loc.table is not None and loc.row is not None:
            for s in self.spans:
                if (s.loc.table, s.loc.row, s.loc.col) == (loc.table, loc.row, loc.col):
                    return s.start, s.end
            return None
        if loc.line is not None:
            line_spans = [s for s in self.spans if s.loc.line == loc.line]
            if loc.span is not None:
                a, b = loc.span
                for s in line_spans:
                    sa, sb = s.loc.span or (0, s.end - s.start)
                    if sa <= a and b <= sb:
                        off = a - sa
                        return s.start + off, min(s.end, s.start + off + (b - a))
            if line_spans:
                return line_spans[0].start, line_spans[-1].end
        return None

    def show_location(self, loc: Location | None, key: str | None = None) -> bool:
        rng = self.range_for(loc) if loc is not None else None
        self.highlight_range = rng
        self.highlight_key = key if rng else None
        if rng is None:
            self._main_selections = []
            self.setExtraSelections([])
            return False
        line = QTextEdit.ExtraSelection()
        fmt_line = QTextCharFormat()
        fmt_line.setBackground(QColor("#fff8e1"))
        fmt_line.setProperty(QTextFormat.Property.FullWidthSelection, True)
        line.format = fmt_line
        cur = self.textCursor()
        cur.setPosition(rng[0])
        line.cursor = cur
        word = QTextEdit.ExtraSelection()
        fmt_word = QTextCharFormat()
        fmt_word.setBackground(TEXT_CURRENT)
        fmt_word.setForeground(QColor("#000000"))
        fmt_word.setFontWeight(700)
        word.format = fmt_word
        c2 = self.textCursor()
        c2.setPosition(rng[0])
        c2.setPosition(rng[1], QTextCursor.MoveMode.KeepAnchor)
        word.cursor = c2
        self._main_selections = [line, word]
        self.setExtraSelections(self._main_selections)
        c3 = self.textCursor()
        c3.setPosition(rng[0])
        self.setTextCursor(c3)
        self.centerCursor()
        return True

    def show_others(self, locs: list[Location | None]) -> None:
        extra = []
        for loc in locs:
            rng = self.range_for(loc) if loc is not None else None
            if rng is None:
                continue
            sel = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setBackground(TEXT_HIGHLIGHT)
            sel.format = fmt
            cur = self.textCursor()
            cur.setPosition(rng[0])
            cur.setPosition(rng[1], QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cur
            extra.append(sel)
        self.setExtraSelections(extra + self._main_selections)

    def key_at(self, pos: int) -> str | None:
        """The cell shown at text position ``pos`` (or the nearest one on that row)."""
        hit = next((s for s in self.spans if s.start <= pos <= s.end), None)
        if hit is None:
            return None
        candidates: list[tuple[int, str]] = []
        for key, loc in self.cells.items():
            same_row = (hit.loc.table is not None and loc.table == hit.loc.table
                        and loc.row == hit.loc.row)
            same_line = hit.loc.line is not None and loc.line == hit.loc.line
            rng = self.range_for(loc) if same_row or same_line else None
            if rng is None:
                continue
            d = 0 if rng[0] <= pos <= rng[1] else min(abs(pos - rng[0]), abs(pos - rng[1]))
            candidates.append((d, key))
        if not candidates:
            return None
        d, key = min(candidates)
        return key if d <= 8 else None

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        pos = self.cursorForPosition(event.position().toPoint()).position()
        key = self.key_at(pos)
        if key:
            self.cellClicked.emit(key)


class SourceView(QWidget):
    """The source pane: a toolbar (page, zoom) over a PDF view or a text view."""

    cellClicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pdf_view = PdfView(self)
        self.text_view = TextView(self)
        self.empty = QLabel("未打开报告")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #777;")
        self.stack = QStackedWidget(self)
        for w in (self.empty, self.pdf_view, self.text_view):
            self.stack.addWidget(w)

        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        self.title = QLabel("原文")
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # a file name, never markup
        self.title.setStyleSheet("font-weight: bold;")
        # A long file name must not widen the pane: it is cut, whole in the tooltip.
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.title.setMinimumWidth(40)
        self.prev_btn = _tool("‹", "上一页 (PageUp)", self._prev_page)
        self.page_box = QSpinBox()
        self.page_box.setMinimum(1)
        self.page_box.setPrefix("第 ")
        self.page_box.setSuffix(" 页")
        self.page_box.setKeyboardTracking(False)
        self.page_box.valueChanged.connect(self.pdf_view.go_to_page)
        self.page_count = QLabel("")
        self.next_btn = _tool("›", "下一页 (PageDown)", self._next_page)
        self.zoom_out_btn = _tool("−", "缩小（Ctrl+滚轮）", self.pdf_view.zoom_out)
        self.zoom_label = QLabel("100%")
        self.zoom_label.setMinimumWidth(44)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_in_btn = _tool("+", "放大（Ctrl+滚轮）", self.pdf_view.zoom_in)
        self.fit_btn = _tool("适合宽度", "按窗口宽度显示页面", self.pdf_view.fit_width)
        bar.addWidget(self.title, 1)
        for control in (self.prev_btn, self.page_box, self.page_count, self.next_btn,
                        self.zoom_out_btn, self.zoom_label, self.zoom_in_btn, self.fit_btn):
            bar.addWidget(control)
        self.pdf_controls = [self.prev_btn, self.page_box, self.page_count, self.next_btn,
                             self.zoom_out_btn, self.zoom_label, self.zoom_in_btn, self.fit_btn]

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)

        self.pdf_view.cellClicked.connect(self.cellClicked)
        self.text_view.cellClicked.connect(self.cellClicked)
        self.pdf_view.pageChanged.connect(self._on_page)
        self.pdf_view.zoomChanged.connect(lambda z: self.zoom_label.setText(f"{z:.0%}"))
        for seq, slot in ((QKeySequence.StandardKey.ZoomIn, self.pdf_view.zoom_in),
                          (QKeySequence.StandardKey.ZoomOut, self.pdf_view.zoom_out)):
            sc = QShortcut(seq, self.pdf_view)
            sc.activated.connect(slot)
        self.kind: str | None = None
        self._set_pdf_controls(False)

    def _set_pdf_controls(self, on: bool) -> None:
        for w in self.pdf_controls:
            w.setVisible(on)

    def clear(self, message: str = "未打开报告") -> None:
        self.pdf_view.close_document()
        self.text_view.set_document(None)
        self.empty.setText(message)
        self.stack.setCurrentWidget(self.empty)
        self.title.setText("原文")
        self.kind = None
        self._set_pdf_controls(False)

    def show_pdf(self, path: str, cells: dict[str, Cell], title: str = "") -> None:
        self.kind = "pdf"
        self.stack.setCurrentWidget(self.pdf_view)
        self._set_pdf_controls(True)
        self.title.setText(title or "原文")
        self.title.setToolTip(title)
        self.pdf_view.open(path)
        self.pdf_view.set_cells(cells)
        n = len(self.pdf_view.pages)
        self.page_box.blockSignals(True)
        self.page_box.setMaximum(max(1, n))
        self.page_box.setValue(1)
        self.page_box.blockSignals(False)
        self.page_count.setText(f"/ {n}")

    def show_text(self, doc: Document | None, cells: dict[str, Cell], title: str = "",
                  message: str = "") -> None:
        self.kind = "text"
        self.pdf_view.close_document()
        self.stack.setCurrentWidget(self.text_view)
        self._set_pdf_controls(False)
        self.title.setText(title or "原文")
        self.title.setToolTip(title)
        self.text_view.set_document(doc, message)
        self.text_view.set_cells(cells)

    def show_others(self, locs: list[Location | None]) -> None:
        """Mark the other cells of a finding, more lightly than the main one."""
        if self.kind == "pdf":
            self.pdf_view.show_others(locs)
        elif self.kind == "text":
            self.text_view.show_others(locs)

    def show_cell(self, key: str, loc: Location | None) -> bool:
        """Scroll to the cell's place in the source and draw a box around it."""
        if self.kind == "pdf":
            return self.pdf_view.show_location(loc, key)
        if self.kind == "text":
            return self.text_view.show_location(loc, key)
        return False

    def _on_page(self, page: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setValue(page)
        self.page_box.blockSignals(False)

    def _prev_page(self) -> None:
        self.pdf_view.go_to_page(self.pdf_view.current_page() - 1)

    def _next_page(self) -> None:
        self.pdf_view.go_to_page(self.pdf_view.current_page() + 1)


def _tool(text: str, tip: str, slot) -> QToolButton:
    b = QToolButton()
    b.setText(text)
    b.setToolTip(tip)
    b.setAutoRaise(True)
    b.clicked.connect(slot)
    return b
