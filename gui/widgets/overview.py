"""The batch overview tab: units × years, each cell 未报送 / 逾期 / 有不通过项 / 正常.

Against the units list the 政务公开办 keeps (导入应报单位名单…: .xlsx or .csv with the
unit's name and optionally its level and region), or, without a list, the agencies of
the reports in the database. Double-clicking a cell with a report emits
:attr:`OverviewWidget.reportActivated`. The data comes from :mod:`core.overview`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.overview import (
    ERRORS,
    LATE,
    NOT_SUBMITTED,
    OK,
    Entry,
    Overview,
    Unit,
    UnitsError,
    format_overview,
    load_units,
    overview_from_store,
)
from gui.plain import as_written

ALL_YEARS = "全部年度"
# (background, text) per status; 未报送 stands out most, 正常 least.
COLOURS = {NOT_SUBMITTED: ("#e0e0e0", "#333333"), LATE: ("#ffe0b2", "#8a4b00"),
           ERRORS: ("#fde7e7", "#b71c1c"), OK: ("#e8f5e9", "#1b5e20")}
UNITS_FILTER = "应报单位名单 (*.xlsx *.xlsm *.csv *.txt);;所有文件 (*)"
EntryRole = Qt.ItemDataRole.UserRole + 60


def _store_of(x: Any) -> Any:
    """A core ReportStore from itself or from the GUI's StoreBackend (``.store``)."""
    return getattr(x, "store", x)


class OverviewWidget(QWidget):
    """Who reported for which year. ``store``: a ReportStore or the window's StoreBackend."""

    reportActivated = Signal(int)  # a cell with a report was double-clicked
    unitsLoaded = Signal(str)  # the path of a units list just imported ("" when cleared)

    def __init__(self, store: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = _store_of(store) if store is not None else None
        self.units: list[Unit] | None = None  # None: the agencies seen in the reports
        self.units_path = ""
        self.overview: Overview | None = None
        self._dirty = True

        self.import_button = QPushButton("导入应报单位名单…")
        self.import_button.setToolTip("从 Excel（.xlsx）或 CSV 文件导入必须报送年报的单位："
                                      "单位名称，可选层级、地区")
        self.import_button.clicked.connect(self._choose_units)
        self.seen_button = QPushButton("按已导入报告生成")
        self.seen_button.setToolTip("不用名单，以数据库中出现过的机关为应报单位")
        self.seen_button.clicked.connect(lambda: self.set_units(None))
        self.year_box = QComboBox()
        self.year_box.addItem(ALL_YEARS, None)
        # activated (a user's choice): currentIndexChanged also fires while the box is
        # being destroyed.
        self.year_box.activated.connect(self._on_year)
        self.source = QLabel("")
        self.source.setTextFormat(Qt.TextFormat.PlainText)  # the units list's file name
        self.source.setStyleSheet("color: #555;")
        self.counts = QLabel("")
        self.counts.setWordWrap(True)
        self.extra = QLabel("")
        self.extra.setTextFormat(Qt.TextFormat.PlainText)  # agencies and file names
        self.extra.setWordWrap(True)
        self.extra.setStyleSheet("color: #8a4b00;")

        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(False)
        self.table.verticalHeader().hide()
        self.table.setSortingEnabled(False)
        self.table.cellDoubleClicked.connect(self._on_double_click)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.import_button)
        bar.addWidget(self.seen_button)
        bar.addWidget(QLabel("年度："))
        bar.addWidget(self.year_box)
        bar.addStretch(1)
        bar.addWidget(self.source)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.counts)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.extra)

    # --- data ------------------------------------------------------------------------------
    def set_store(self, store: Any) -> None:
        self.store = _store_of(store)
        self.invalidate()

    def set_units(self, units: list[Unit] | None, path: str = "") -> None:
        """Check against these units (None: the agencies seen in the reports)."""
        self.units = units
        self.units_path = path
        self.unitsLoaded.emit(path)
        self.invalidate()

    def load_units_file(self, path: str | Path) -> int:
        """Import a units list (.xlsx/.csv) into the register of agencies (they are then
        expected to report); returns how many units. Raises UnitsError."""
        from core.register import Register

        units = load_units(path)
        if self.store is None or self.store.readonly:
            self.set_units(units, str(path))
        else:
            Register(self.store).import_units(units)
            self.set_units(None, str(path))
        return len(units)

    def _choose_units(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "导入应报单位名单", "", UNITS_FILTER)
        if not path:
            return
        try:
            self.load_units_file(path)
        except UnitsError as e:
            QMessageBox.warning(self, "无法导入名单", as_written(str(e)))

    def _on_year(self, _index: int) -> None:
        self.refresh()

    def invalidate(self) -> None:
        """The data changed: rebuild now when shown, else the next time it is shown."""
        self._dirty = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: Any) -> None:  # noqa: N802
        """Override: rebuild what changed while the tab was hidden."""
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    def refresh(self, store: Any = None) -> None:
        """Read the database again and rebuild the table."""
        if store is not None:
            self.store = _store_of(store)
        self._dirty = False
        if self.store is None:
            self.table.clear()
            self.table.setRowCount(0)
            return
        year = self.year_box.currentData()
        ov = overview_from_store(self.store, self.units, None if year is None else [year])
        if year is None:
            self._fill_years(ov.years)
        self.overview = ov
        self._fill_table(ov)
        self._fill_labels(ov)

    def _fill_years(self, years: list[int]) -> None:
        have = [self.year_box.itemData(i) for i in range(1, self.year_box.count())]
        if have == years:
            return
        current = self.year_box.currentData()
        self.year_box.blockSignals(True)
        self.year_box.clear()
        self.year_box.addItem(ALL_YEARS, None)
        for y in years:
            self.year_box.addItem(f"{y} 年度", y)
        i = self.year_box.findData(current)
        self.year_box.setCurrentIndex(max(0, i))
        self.year_box.blockSignals(False)

    def _fill_table(self, ov: Overview) -> None:
        levels = any(u.level for u in ov.units)
        first = ["应报单位", *(["层级"] if levels else [])]
        self.table.clear()
        self.table.setColumnCount(len(first) + len(ov.years))
        self.table.setRowCount(len(ov.units))
        self.table.setHorizontalHeaderLabels(first + [f"{y}年度" for y in ov.years])
        for r, unit in enumerate(ov.units):
            name = QTableWidgetItem(unit.name)
            if unit.region:
                name.setToolTip(as_written(f"{unit.name}({unit.region})"))
            self.table.setItem(r, 0, name)
            if levels:
                self.table.setItem(r, 1, QTableWidgetItem(unit.level))
            for c, y in enumerate(ov.years, len(first)):
                self.table.setItem(r, c, self._cell(ov.entry(unit, y)))
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, self.table.columnCount()):
            head.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)

    def _cell(self, e: Entry) -> QTableWidgetItem:
        item = QTableWidgetItem(e.text())
        bg, fg = COLOURS[e.status]
        item.setBackground(QBrush(QColor(bg)))
        item.setForeground(QBrush(QColor(fg)))
        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        item.setToolTip(e.detail() + ("\n双击打开该报告" if e.report else ""))
        item.setData(EntryRole, e)
        return item

    def _fill_labels(self, ov: Overview) -> None:
        src = (f"按名单：{Path(self.units_path).name}" if self.units is not None and
               self.units_path else "按名单" if self.units is not None else "按已导入报告中的机关")
        self.source.setText(f"应报单位 {len(ov.units)} 个（{src}）")
        lines = []
        for y in ov.years:
            c = ov.counts(y)
            lines.append(f"{y}年度：已报送 {len(ov.units) - c[NOT_SUBMITTED]}，"
                         f"<b style='color:#333'>未报送 {c[NOT_SUBMITTED]}</b>，"
                         f"<span style='color:#8a4b00'>逾期 {c[LATE]}</span>，"
                         f"<span style='color:#b71c1c'>有不通过项 {c[ERRORS]}</span>，正常 {c[OK]}")
        self.counts.setText("<br/>".join(lines))
        if ov.extra:
            names = "、".join(f"{r.agency or r.file_name}({r.year})" for r in ov.extra[:12])
            more = " 等" if len(ov.extra) > 12 else ""
            self.extra.setText(f"名单外的报告 {len(ov.extra)} 份（机关名称与名单对不上）："
                               f"{names}{more}")
        else:
            self.extra.setText("")

    # --- reading back ----------------------------------------------------------------------
    def entry_at(self, row: int, column: int) -> Entry | None:
        item = self.table.item(row, column)
        return None if item is None else item.data(EntryRole)

    def find_unit_row(self, name: str) -> int:
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item is not None and item.text() == name:
                return r
        return -1

    def as_text(self) -> str:
        """The overview as the command line prints it (for copying into a report)."""
        return format_overview(self.overview) if self.overview else ""

    def _on_double_click(self, row: int, column: int) -> None:
        e = self.entry_at(row, column)
        if e is not None and e.report is not None:
            self.reportActivated.emit(e.report.report_id)
