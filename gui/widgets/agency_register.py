"""The register of agencies in the window: each agency once, its names, level, area and
whether it must report; merge, split and undo (core.register does the work)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.errors import ReportError
from core.register import LEVELS, Agency, Register, how_text

AUTO = "自动"
COLUMNS = ("机关", "名称（年度）", "层级", "地区", "应报送", "已有年度")
NAME, NAMES, LEVEL, AREA, EXPECTED, YEARS = range(len(COLUMNS))


class AgencyRegisterDialog(QDialog):
    """Edits the register of ``store`` (a ReportStore); ``changed`` after each change."""

    changed = Signal()

    def __init__(self, store: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("机关名录")
        self.register = Register(store)
        self.agencies: list[Agency] = []
        self._filling = False
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemChanged.connect(self._on_item_changed)
        self.merge_button = QPushButton("合并选中的机关")
        self.merge_button.setToolTip("把选中的第二个机关并入第一个（名称、报告随之合并）")
        self.merge_button.clicked.connect(self.merge_selected)
        self.split_button = QPushButton("拆分名称…")
        self.split_button.setToolTip("把选中机关的某个名称分出去，成为单独的机关")
        self.split_button.clicked.connect(self._ask_split)
        self.undo_button = QPushButton("撤销上一步")
        self.undo_button.clicked.connect(self.undo)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        bar = QHBoxLayout()
        for b in (self.merge_button, self.split_button, self.undo_button):
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("同一机关在不同年度的名称（如加上「淮安市」前缀）会自动归并；"
                                "其他合并、拆分和层级由审查人决定，可撤销。层级决定报告的发布时限。"))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(bar)
        self.resize(1000, 520)
        self.refresh()

    # --- showing -----------------------------------------------------------------------
    def refresh(self) -> None:
        self._filling = True
        try:
            self.agencies = self.register.agencies()
            self.table.setRowCount(len(self.agencies))
            for row, a in enumerate(self.agencies):
                self._fill_row(row, a)
            self.table.resizeColumnsToContents()
        finally:
            self._filling = False

    def _fill_row(self, row: int, a: Agency) -> None:
        def item(text: str, editable: bool = False) -> QTableWidgetItem:
            it = QTableWidgetItem(text)
            flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
            it.setFlags(flags | Qt.ItemFlag.ItemIsEditable if editable else flags)
            return it

        self.table.setItem(row, NAME, item(a.name))
        names = "；".join(f"{n.name}（{'、'.join(map(str, n.years)) or '无报告'}，"
                         f"{how_text(n.how)}）" for n in a.names)
        self.table.setItem(row, NAMES, item(names))
        box = QComboBox()
        box.addItem(f"{AUTO}：{a.level}" if not a.level_set else AUTO, None)
        for level in LEVELS:
            box.addItem(level, level)
        box.setCurrentIndex(box.findData(a.level) if a.level_set else 0)
        box.setToolTip(f"当前按「{a.level}」的时限核对")
        box.activated.connect(lambda _i, b=box, aid=a.id: self.set_level(aid, b.currentData()))
        self.table.setCellWidget(row, LEVEL, box)
        self.table.setItem(row, AREA, item(a.area, editable=True))
        check = item("")
        check.setFlags(check.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        check.setCheckState(Qt.CheckState.Checked if a.expected else Qt.CheckState.Unchecked)
        self.table.setItem(row, EXPECTED, check)
        self.table.setItem(row, YEARS, item("、".join(map(str, a.years)) or "无"))

    def row_of(self, name: str) -> int:
        return next((i for i, a in enumerate(self.agencies) if a.name == name), -1)

    # --- changing ----------------------------------------------------------------------
    def _do(self, change: Any, *args: Any) -> bool:
        try:
            text = change(*args)
        except (ValueError, ReportError) as e:
            reason = e.message_zh if isinstance(e, ReportError) else str(e)
            QMessageBox.warning(self, "机关名录", reason)
            self.refresh()
            return False
        self.status.setText(text or "没有可撤销的修改")
        self.refresh()
        self.changed.emit()
        return True

    def set_level(self, agency_id: int, level: str | None) -> bool:
        return self._do(self.register.set_level, str(agency_id), level)

    def _on_item_changed(self, it: QTableWidgetItem) -> None:
        if self._filling:
            return
        a = self.agencies[it.row()]
        if it.column() == AREA:
            self._do(self.register.set_area, str(a.id), it.text())
        elif it.column() == EXPECTED:
            self._do(self.register.set_expected, str(a.id),
                     it.checkState() == Qt.CheckState.Checked)

    def merge_selected(self) -> bool:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        if len(rows) != 2:
            QMessageBox.information(self, "机关名录", "请选中两个机关：第二个将并入第一个。")
            return False
        keep, other = self.agencies[rows[0]], self.agencies[rows[1]]
        return self._do(self.register.merge, str(keep.id), str(other.id))

    def _ask_split(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        if len(rows) != 1 or len(self.agencies[rows[0]].names) < 2:
            QMessageBox.information(self, "机关名录", "请选中一个有多个名称的机关。")
            return
        names = [n.name for n in self.agencies[rows[0]].names]
        name, ok = QInputDialog.getItem(self, "拆分名称", "分出为单独机关的名称：", names, 0, False)
        if ok:
            self.split(name)

    def split(self, name: str) -> bool:
        return self._do(self.register.split, name)

    def undo(self) -> bool:
        return self._do(self.register.undo)
