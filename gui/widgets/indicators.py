"""The 指标 page of the 图表 tab: 公开率, 复议纠错率, 诉讼与复议发生率 per agency and for
the area, with rank and year-over-year change (core.indicators computes them)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.indicators import INDICATORS, MIN_BASE, Indicators, compute
from core.series import ReportFilter

NOT_RANKED = "不排名"
AREA = "全地区"


class IndicatorsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: Indicators | None = None
        self.caption = QLabel("")
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setWordWrap(True)
        self.table = QTableWidget(0, 1 + 3 * len(INDICATORS))
        heads = [QTableWidgetItem("机关")]
        for i in INDICATORS:
            name = QTableWidgetItem(i.name)
            name.setToolTip(i.explain)
            heads += [name, QTableWidgetItem("排名"), QTableWidgetItem("同比")]
        for col, head in enumerate(heads):
            self.table.setHorizontalHeaderItem(col, head)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.caption)
        layout.addWidget(self.table, 1)

    def refresh(self, store: Any, flt: ReportFilter) -> None:
        """The indicators of the filter's year (else the latest year), of the reports the
        filter keeps."""
        from core.series import select_reports

        rows = select_reports(store, flt)
        years = sorted({r["year"] for r in rows if r["year"] is not None})
        year = flt.year if flt.year is not None else (years[-1] if years else None)
        if year is None:
            self.data = None
            self.table.setRowCount(0)
            self.caption.setText("没有可计算指标的报告")
            return
        ids = [r["id"] for r in rows if r["year"] == year]
        self.data = compute(store, year, ids)
        self.caption.setText(f"{year}年度，{len(self.data.rows)} 个机关。分母不足 {MIN_BASE} 件的"
                             "显示为「基数过小」，不参加排名；同比为与上一年度相差的百分点。")
        self._fill(self.data)

    def _fill(self, data: Indicators) -> None:
        order = sorted(data.rows, key=lambda r: (r.rank.get(INDICATORS[0].key, 10**6), r.agency))
        self.table.setRowCount(len(order) + 1)
        grey = QBrush(QColor("#777777"))
        for row, r in enumerate(order):
            self.table.setItem(row, 0, QTableWidgetItem(r.agency))
            for k, ind in enumerate(INDICATORS):
                value = r.values[ind.key]
                cells = [value.text(), str(r.rank[ind.key]) if ind.key in r.rank else NOT_RANKED,
                         r.change_text(ind.key)]
                for j, text in enumerate(cells):
                    item = QTableWidgetItem(text)
                    if not value.rankable:
                        item.setForeground(grey)
                    self.table.setItem(row, 1 + 3 * k + j, item)
        last = len(order)
        area = QTableWidgetItem(AREA)
        font = area.font()
        font.setBold(True)
        area.setFont(font)
        self.table.setItem(last, 0, area)
        for k, ind in enumerate(INDICATORS):
            self.table.setItem(last, 1 + 3 * k, QTableWidgetItem(data.area[ind.key].text()))
        self.table.resizeColumnsToContents()

    def cell_text(self, agency: str, column: str, indicator: int = 0) -> str:
        """What the table shows for ``agency`` (or 全地区) in an indicator's column
        (数值 / 排名 / 同比) — for tests and the screenshot's check."""
        offset = {"数值": 0, "排名": 1, "同比": 2}[column]
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.text() == agency:
                cell = self.table.item(row, 1 + 3 * indicator + offset)
                return cell.text() if cell is not None else ""
        return ""
