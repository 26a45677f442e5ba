"""The statutory tables as the official format prints them, one tab each.

A :class:`StatutoryTableView` hides Qt's own headers (the real two-level headers are
rows of the model, drawn with spans), paints each cell's state (error, warning,
corrected, low confidence) and starts editing on Enter, so review works from the
keyboard alone.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRect,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QIcon,
    QKeyEvent,
    QPainter,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QToolTip,
    QWidget,
)

from gui.icons import severity_icon
from gui.models.tables import (
    HEADER,
    TABLE_TABS,
    VALUE,
    ConfidenceRole,
    CorrectedRole,
    ItemTypeRole,
    StateRole,
    StatutoryTableModel,
    header_words,
)
from gui.session import ERROR, LOW_CONFIDENCE, WARNING, ReviewSession

HATCH = QColor("#7b3fb3")
SELECTION = QColor("#1a56db")
CORRECTED_MARK = QColor("#1f66d1")
GRID = QColor("#b9c0ca")

# Column widths per table (label columns first), in units of the font's average char width.
COLUMN_CHARS = {
    "t2": [11, 9, 9, 9],
    "t3": [6, 7, 15] + [5] * 7,
    "t4": [4] * 15,
}


class StateDelegate(QStyledItemDelegate):
    """Paints hatching on low-confidence cells and a blue corner on corrected ones."""

    def initStyleOption(self, option: QStyleOptionViewItem,  # noqa: N802
                        index: QModelIndex | QPersistentModelIndex) -> None:
        """Column heads broken into lines at word boundaries, as the view chose for them."""
        super().initStyleOption(option, index)
        view = self.parent()
        if isinstance(view, StatutoryTableView):
            text = view.header_text.get((index.row(), index.column()))
            if text is not None:
                # The item view's text layout breaks lines at U+2028, not at "\n".
                option.text = text.replace("\n", "\u2028")

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        # The state colour stays visible on selected cells: selection is drawn as a frame.
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        opt.state &= ~QStyle.StateFlag.State_Selected
        opt.state &= ~QStyle.StateFlag.State_HasFocus
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = option.rect
        painter.save()
        if index.data(ItemTypeRole) == "value":
            conf = index.data(ConfidenceRole)
            if conf is not None and conf < LOW_CONFIDENCE:
                painter.fillRect(rect.adjusted(1, 1, -1, -1),
                                 QBrush(HATCH, Qt.BrushStyle.BDiagPattern))
            if index.data(CorrectedRole):
                s = min(9, rect.height() // 3)
                tri = QPolygonF([QPointF(rect.right() - s, rect.top() + 1),
                                 QPointF(rect.right(), rect.top() + 1),
                                 QPointF(rect.right(), rect.top() + 1 + s)])
                painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(CORRECTED_MARK)
                painter.drawPolygon(tri)
            state = index.data(StateRole)
            if state in (ERROR, WARNING) and not selected:
                colour = QColor("#c62828") if state == ERROR else QColor("#c77700")
                painter.setPen(QPen(colour, 1))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(rect.adjusted(1, 1, -2, -2))
        if selected:
            current = isinstance(widget, QAbstractItemView) and widget.currentIndex() == index
            painter.setPen(QPen(SELECTION, 3 if current else 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        painter.restore()

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = QLineEdit(parent)
        editor.setAlignment(Qt.AlignmentFlag.AlignCenter)
        editor.setPlaceholderText("空白")
        editor.setToolTip("输入数字；留空表示空白；“/”表示不适用")
        return editor

    def setEditorData(self, editor: QWidget,  # noqa: N802
                      index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QLineEdit):
            editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            editor.selectAll()
        else:
            super().setEditorData(editor, index)


class StatutoryTableView(QTableView):
    """A statutory table: spans from the model, no Qt headers, Enter edits."""

    cellSelected = Signal(str)

    def __init__(self, model: StatutoryTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._table_model = model
        self.setModel(model)
        self.setItemDelegate(StateDelegate(self))
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setStyleSheet(
            "QTableView { gridline-color: #b9c0ca; background: white; }"
        )
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        # (row, column) → a column head's text with line breaks between its words.
        self.header_text: dict[tuple[int, int], str] = {}
        model.modelReset.connect(self._apply_layout)
        # A corrected value may be wider: refit once the edit's work is done.
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._fit_columns)
        model.dataChanged.connect(lambda *_a: self._refit.start())
        model.refused.connect(self._show_refusal)
        self.selectionModel().currentChanged.connect(self._on_current)
        self._apply_layout()

    def _show_refusal(self, key: str, reason: str) -> None:
        """Say at the cell why what was typed was not taken (nothing was stored)."""
        ix = self.table_model().index_of(key)
        rect = self.visualRect(ix) if ix.isValid() else self.viewport().rect()
        QToolTip.showText(self.viewport().mapToGlobal(rect.bottomLeft()),
                          f"未更正：{reason}", self.viewport(), rect, 6000)

    def table_model(self) -> StatutoryTableModel:
        return self._table_model

    def _apply_layout(self) -> None:
        model = self.table_model()
        self.clearSpans()
        for r, c, rs, cs in model.spans():
            self.setSpan(r, c, rs, cs)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Label columns by their text; value columns share the rest of the width."""
        model = self.table_model()
        unit = QFontMetrics(self.font()).horizontalAdvance("中")
        chars = COLUMN_CHARS.get(model.table, [])
        labels = model.layout.label_cols
        widths = [int((chars[c] if c < len(chars) else 5) * unit + 10)
                  for c in range(model.columnCount())]
        n_values = model.columnCount() - labels
        low = int(2.3 * unit + 8)
        if n_values > 0 and labels:
            # A narrow pane: label columns give up width first (their text wraps).
            room = self.viewport().width() - 2 - n_values * int(4 * unit + 10)
            need = sum(widths[:labels])
            if room < need:
                scale = max(0.55, room / need)
                for c in range(labels):
                    widths[c] = int(widths[c] * scale)
        floors = self._column_floors(model, labels)
        if n_values > 0:
            avail = self.viewport().width() - sum(widths[:labels]) - 2
            share = avail // n_values
            high = int(max(chars[labels:] or [5]) * unit * 1.6 + 10)
            for c in range(labels, model.columnCount()):
                widths[c] = max(low, floors[c], min(high, share))
        for c, w in enumerate(widths):
            self.setColumnWidth(c, w)
        self._break_heads(model)
        self._fit_rows()

    def _column_floors(self, model: StatutoryTableModel, labels: int) -> list[int]:
        """The narrowest each value column may be: its widest value and the widest word of
        its heads stay whole (a column never cuts a number or breaks 结果维持 mid-word)."""
        fm = QFontMetrics(self.font())
        bold = QFont(self.font())
        bold.setBold(True)
        fmb = QFontMetrics(bold)
        floors = [0] * model.columnCount()
        for (r, c), item in model.layout.items.items():
            if c < labels:
                continue
            if item.type == VALUE:
                text = str(model.index(r, c).data(Qt.ItemDataRole.DisplayRole) or "")
                floors[c] = max(floors[c], fm.horizontalAdvance(text) + 14)
            elif item.text and model.layout.span_of(r, c)[1] == 1:
                widest = max(fmb.horizontalAdvance(w) for w in header_words(item.text))
                floors[c] = max(floors[c], widest + 12)
        return floors

    def _break_heads(self, model: StatutoryTableModel) -> None:
        """Put a column head's words on separate lines when the whole head does not fit."""
        bold = QFont(self.font())
        bold.setBold(True)
        fmb = QFontMetrics(bold)
        self.header_text.clear()
        for (r, c), item in model.layout.items.items():
            if item.type != HEADER or not item.text:
                continue
            words = header_words(item.text)
            if len(words) < 2:
                continue
            cs = model.layout.span_of(r, c)[1]
            width = sum(self.columnWidth(c + i) for i in range(cs)) - 10
            if fmb.horizontalAdvance(item.text) > width:
                self.header_text[(r, c)] = "\n".join(words)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_columns()

    def content_height(self) -> int:
        """The height the whole table needs (its rows and the frame)."""
        rows = sum(self.rowHeight(r) for r in range(self.table_model().rowCount()))
        scroll = self.horizontalScrollBar()
        bar = scroll.sizeHint().height() if scroll.isVisible() else 0
        return rows + 2 * self.frameWidth() + bar + 2

    def _fit_rows(self) -> None:
        """Row heights that fit wrapped labels (Qt's own sizing ignores spanned cells)."""
        model = self.table_model()
        fm = QFontMetrics(self.font())
        base = fm.height() + 10
        spans = {(r, c): (rs, cs) for r, c, rs, cs in model.spans()}
        heights = [base] * model.rowCount()
        for (r, c), item in model.layout.items.items():
            rs, cs = spans.get((r, c), (1, 1))
            if rs != 1 or not item.text:
                continue
            width = sum(self.columnWidth(c + i) for i in range(cs)) - 8
            text = self.header_text.get((r, c), item.text)
            box = fm.boundingRect(QRect(0, 0, max(width, 10), 10000),
                                  int(Qt.TextFlag.TextWordWrap), text)
            heights[r] = max(heights[r], box.height() + 8)
        # Multi-row spans (the 表三 note) get what they need spread over their rows.
        for (r, c), (rs, cs) in spans.items():
            note = model.layout.items.get((r, c))
            if rs == 1 or note is None or not note.text:
                continue
            width = sum(self.columnWidth(c + i) for i in range(cs)) - 8
            need = fm.boundingRect(QRect(0, 0, max(width, 10), 10000),
                                   int(Qt.TextFlag.TextWordWrap), note.text).height() + 8
            have = sum(heights[r:r + rs])
            if need > have:
                extra = (need - have + rs - 1) // rs
                for i in range(r, r + rs):
                    heights[i] += extra
        for r, h in enumerate(heights):
            self.setRowHeight(r, h)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        key = self.table_model().key_at(current)
        if key:
            self.cellSelected.emit(key)

    def select_key(self, key: str) -> bool:
        ix = self.table_model().index_of(key)
        if not ix.isValid():
            return False
        self.setCurrentIndex(ix)
        self.scrollTo(ix, QAbstractItemView.ScrollHint.EnsureVisible)
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and self.state() != QAbstractItemView.State.EditingState:
            ix = self.currentIndex()
            if ix.isValid() and ix.flags() & Qt.ItemFlag.ItemIsEditable:
                self.edit(ix)
                event.accept()
                return
        super().keyPressEvent(event)


class TablesPanel(QTabWidget):
    """表二, 表三 and 表四 of the current report in tabs."""

    cellSelected = Signal(str)
    refused = Signal(str, str)  # (key, reason): a typed value not taken

    def __init__(self, session: ReviewSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.models: dict[str, StatutoryTableModel] = {}
        self.views: dict[str, StatutoryTableView] = {}
        for table in ("t2", "t3", "t4"):
            model = StatutoryTableModel(table, session, self)
            view = StatutoryTableView(model, self)
            view.cellSelected.connect(self.cellSelected)
            model.refused.connect(self.refused)
            self.models[table] = model
            self.views[table] = view
            self.addTab(view, TABLE_TABS[table])
        self.setCurrentIndex(1)
        # An optional reason, recorded with the next correction (and printed on the
        # checklist's corrections); it sits beside the tabs, where there is room.
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("更正理由（可选）")
        self.reason.setToolTip("填写后再改单元格：理由随这次更正记录，并打印在审查表的更正记录中")
        self.reason.setClearButtonEnabled(True)
        self.reason.setMaximumWidth(260)
        self.reason.setMinimumWidth(90)
        self.setCornerWidget(self.reason, Qt.Corner.TopRightCorner)
        session.cellsChanged.connect(self._update_tab_marks)
        session.reportLoaded.connect(lambda _id: self._update_tab_marks([]))

    def take_reason(self) -> str:
        """The reason typed for the next correction; the field is emptied for the one after."""
        text = self.reason.text().strip()
        self.reason.clear()
        return text

    def set_edit_handler(self, handler) -> None:
        for model in self.models.values():
            model.edit_handler = handler

    def view_for(self, key: str) -> StatutoryTableView | None:
        return self.views.get(key.split(".", 1)[0])

    def select_key(self, key: str) -> bool:
        """Show the tab of ``key`` and make its cell current (emits cellSelected)."""
        view = self.view_for(key)
        if view is None:
            return False
        self.setCurrentWidget(view)
        return view.select_key(key)

    def select_keys(self, keys: list[str], primary: str) -> bool:
        """Select every cell of ``keys`` in ``primary``'s table, ``primary`` current."""
        view = self.view_for(primary)
        if view is None:
            return False
        self.setCurrentWidget(view)
        if not view.select_key(primary):
            return False
        model = view.table_model()
        sel = view.selectionModel()
        for key in keys:
            if key != primary and self.view_for(key) is view:
                ix = model.index_of(key)
                if ix.isValid():
                    sel.select(ix, QItemSelectionModel.SelectionFlag.Select)
        return True

    def current_view(self) -> StatutoryTableView:
        view = self.currentWidget()
        assert isinstance(view, StatutoryTableView)  # the three tabs are the tables' views
        return view

    def _update_tab_marks(self, _keys: list) -> None:
        for i, table in enumerate(("t2", "t3", "t4")):
            n_err = n_warn = 0
            for key in self.models[table].layout.positions:
                st = self.session.states.get(key)
                if st is None:
                    continue
                n_err += st.state == ERROR
                n_warn += st.state == WARNING
            if n_err:
                self.setTabIcon(i, severity_icon("error"))
            elif n_warn:
                self.setTabIcon(i, severity_icon("warning"))
            else:
                self.setTabIcon(i, QIcon())
