"""The findings panel: every finding of the report; click one to see its cells.

Errors come first. Selecting a finding (mouse, arrows, or F8 for the next one)
emits :attr:`FindingsPanel.findingActivated`; the window then selects the cells in
the tables and shows them in the source. An inspector confirms a finding or
dismisses it with a reason; the verdict is kept with the report.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.model import Finding
from core.vocabulary import (
    CONFIRMED,
    DISMISSED,
    ERROR,
    SEVERITY_NAMES,
    VERDICT_ACTIONS,
    VERDICT_STATES,
    WARNING,
)
from gui.models.findings import COL_MESSAGE, FindingRole, FindingsModel
from gui.session import ReviewSession


class FindingsPanel(QWidget):
    findingActivated = Signal(object)  # Finding

    def __init__(self, session: ReviewSession, reviewer=lambda: "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.reviewer = reviewer  # callable giving the reviewer's name
        self.model = FindingsModel(session, self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(True)
        self.view.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.verticalHeader().hide()
        head = self.view.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        head.setStretchLastSection(False)
        head.setSectionResizeMode(COL_MESSAGE, QHeaderView.ResizeMode.Stretch)
        unit = self.fontMetrics().horizontalAdvance("中")
        self.view.setMinimumWidth(int(24 * unit))
        head.sectionResized.connect(lambda *_a: self._fit_rows_later())
        self._rows_timer = QTimer(self)
        self._rows_timer.setSingleShot(True)
        self._rows_timer.setInterval(0)
        self._rows_timer.timeout.connect(self.fit_rows)

        self.title = QLabel("审查发现")
        self.title.setStyleSheet("font-weight: bold;")
        # The counts must not widen the pane: cut when narrow, whole in the tooltip.
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.title.setMinimumWidth(60)
        self.confirm_btn = QPushButton(VERDICT_ACTIONS[CONFIRMED])
        self.confirm_btn.setToolTip("确认这是报告中的真实问题")
        self.dismiss_btn = QPushButton(VERDICT_ACTIONS[DISMISSED] + "…")
        self.dismiss_btn.setToolTip("这不是问题（误报），填写理由后排除")
        self.clear_btn = QPushButton("撤销意见")
        self.next_btn = QPushButton("下一个 (F8)")
        for b in (self.confirm_btn, self.dismiss_btn, self.clear_btn, self.next_btn):
            b.setAutoDefault(False)
        self.confirm_btn.clicked.connect(self.confirm_current)
        self.dismiss_btn.clicked.connect(self.dismiss_current)
        self.clear_btn.clicked.connect(self.clear_current)
        self.next_btn.clicked.connect(self.next_finding)

        top = QHBoxLayout()
        top.setContentsMargins(4, 2, 4, 2)
        top.addWidget(self.title, 1)
        for b in (self.confirm_btn, self.dismiss_btn, self.clear_btn, self.next_btn):
            top.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)

        self._keep: str | None = None
        self.model.modelAboutToBeReset.connect(self._remember)
        self.model.modelReset.connect(self._restore)
        self.view.selectionModel().currentRowChanged.connect(self._on_row)
        self.view.clicked.connect(self._on_click)
        self.model.modelReset.connect(self._fit_rows_later)
        self.model.dataChanged.connect(lambda *_a: self._fit_rows_later())
        self._update_title()
        self._update_buttons()

    # --- rows that grow ----------------------------------------------------------------------
    def _fit_rows_later(self) -> None:
        self._rows_timer.start()

    def fit_columns(self) -> None:
        """说明 gets most of the width; the other columns a share up to what they need
        (all wrap, so nothing is cut: a row grows instead)."""
        unit = self.fontMetrics().horizontalAdvance("中")
        avail = self.view.viewport().width()
        for col, chars, share in ((0, 5.5, 0.12), (1, 6, 0.14), (3, 10, 0.2), (4, 6, 0.13)):
            want = int(chars * unit + 14)
            self.view.setColumnWidth(col, max(int(2.6 * unit + 14), min(want, int(avail * share))))

    rowsFitted = Signal()

    def fit_rows(self) -> None:
        """Each row as tall as its longest wrapped text (Qt does not redo it on resize)."""
        self.fit_columns()
        self.view.resizeRowsToContents()
        self.rowsFitted.emit()

    def content_height(self) -> int:
        """The height that shows every finding whole (with the buttons above)."""
        view = self.view
        rows = sum(view.rowHeight(r) for r in range(self.model.rowCount()))
        return (self.height() - view.height()) + view.horizontalHeader().height() + rows \
            + 2 * view.frameWidth() + 4

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_rows_later()

    # --- selection -----------------------------------------------------------------------
    def current_finding(self) -> Finding | None:
        ix = self.view.currentIndex()
        return self.model.finding(ix.row()) if ix.isValid() else None

    def _remember(self) -> None:
        f = self.current_finding()
        self._keep = f.fingerprint if f else None

    def _restore(self) -> None:
        self._update_title()
        if self._keep:
            row = self.model.row_of(self._keep)
            if row >= 0:
                self.view.selectionModel().blockSignals(True)
                self.view.selectionModel().setCurrentIndex(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
                self.view.selectionModel().blockSignals(False)
        self._update_buttons()

    def _on_row(self, current: QModelIndex, _prev: QModelIndex) -> None:
        self._update_buttons()
        f = self.model.finding(current.row()) if current.isValid() else None
        if f is not None:
            self.findingActivated.emit(f)

    def _on_click(self, index: QModelIndex) -> None:
        f = index.data(FindingRole)
        if f is not None and index.row() == self.view.currentIndex().row():
            self.findingActivated.emit(f)

    def select_row(self, row: int) -> Finding | None:
        if not 0 <= row < self.model.rowCount():
            return None
        ix = self.model.index(row, 0)
        if self.view.currentIndex().row() == row:
            f = self.model.finding(row)
            self.findingActivated.emit(f)
        else:
            self.view.selectionModel().setCurrentIndex(
                ix, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(ix)
        return self.model.finding(row)

    def next_finding(self) -> Finding | None:
        """Go to the next finding (wrapping round); F8."""
        n = self.model.rowCount()
        if not n:
            return None
        row = self.view.currentIndex().row()
        return self.select_row((row + 1) % n if row >= 0 else 0)

    def previous_finding(self) -> Finding | None:
        n = self.model.rowCount()
        if not n:
            return None
        row = self.view.currentIndex().row()
        return self.select_row((row - 1) % n if row >= 0 else n - 1)

    # --- verdicts ------------------------------------------------------------------------
    def confirm_current(self) -> None:
        f = self.current_finding()
        if f is not None:
            self.session.set_verdict(f, CONFIRMED, "", self.reviewer())

    def dismiss_current(self, reason: str | None = None) -> None:
        f = self.current_finding()
        if f is None:
            return
        if not isinstance(reason, str):
            text, ok = QInputDialog.getText(self, "排除审查发现",
                                            f"{f.message}\n\n排除理由（必填）：")
            if not ok or not text.strip():
                return
            reason = text.strip()
        self.session.set_verdict(f, DISMISSED, reason, self.reviewer())

    def clear_current(self) -> None:
        f = self.current_finding()
        if f is not None:
            self.session.set_verdict(f, None)

    def _update_buttons(self) -> None:
        f = self.current_finding()
        v = self.session.verdicts.get(f.fingerprint) if f else None
        writable = self.session.report is not None
        self.confirm_btn.setEnabled(writable and f is not None
                                    and (v is None or v.verdict != CONFIRMED))
        self.dismiss_btn.setEnabled(writable and f is not None
                                    and (v is None or v.verdict != DISMISSED))
        self.clear_btn.setEnabled(writable and v is not None)
        self.next_btn.setEnabled(self.model.rowCount() > 0)

    def _update_title(self) -> None:
        fs = self.session.findings
        live = [f for f in fs if not self.session.is_dismissed(f)]
        errors = sum(f.severity == "error" for f in live)
        warnings = len(live) - errors
        if self.session.report is None:
            text = "审查发现"
        elif not fs:
            text = "审查发现：未发现问题 ✓"
        else:
            dismissed = len(fs) - len(live)
            text = (f"审查发现：{errors} 个{SEVERITY_NAMES[ERROR]}，"
                    f"{warnings} 个{SEVERITY_NAMES[WARNING]}"
                    + (f"（{VERDICT_STATES[DISMISSED]} {dismissed} 个）" if dismissed else ""))
        self.title.setText(text)
        self.title.setToolTip(text)
