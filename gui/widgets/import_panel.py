"""The import panel: overall progress, Cancel, and each file's status with its reason."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gui.models.imports import ImportStatusModel, ReportIdRole


class ImportPanel(QWidget):
    cancelRequested = Signal()
    reportActivated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ImportStatusModel(self)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("%v / %m")
        self.progress.hide()  # no "0 / 1" before any work: shown when a batch starts
        self.label = QLabel("将报告文件或文件夹拖到窗口任意位置即可导入")
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.label.setMinimumWidth(80)
        self.cancel_btn = QPushButton("取消")
        self.cancel_btn.setEnabled(False)
        self.cancel_btn.clicked.connect(self.cancelRequested)
        self.clear_btn = QPushButton("清空列表")
        self.clear_btn.clicked.connect(self.model.clear)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(22)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        head = self.view.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.view.setColumnWidth(0, 260)
        self.view.setColumnWidth(1, 90)
        self.view.doubleClicked.connect(self._open)
        # New files are added at the bottom: keep them in sight.
        self.model.rowsInserted.connect(lambda *_a: self.view.scrollToBottom())

        top = QHBoxLayout()
        top.setContentsMargins(4, 2, 4, 2)
        top.addWidget(self.label, 1)
        top.addWidget(self.progress, 1)
        top.addWidget(self.cancel_btn)
        top.addWidget(self.clear_btn)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)

    def set_running(self, running: bool) -> None:
        if running:
            self.progress.setRange(0, 0)  # busy until the files are counted
            self.progress.show()
        self.cancel_btn.setEnabled(running)
        self.clear_btn.setEnabled(not running)

    def set_progress(self, done: int, total: int) -> None:
        if total <= 0:
            return
        self.progress.show()
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _open(self, index) -> None:
        rid = self.model.index(index.row(), 0).data(ReportIdRole)
        if rid is not None:
            self.reportActivated.emit(int(rid))

