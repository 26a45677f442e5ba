"""The report list on the left: search, filters, and a sortable table of reports."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.series import ReportFilter
from gui.backend import StoreBackend
from gui.models.reports import (
    COL_AGENCY,
    COL_ERRORS,
    COL_FORMAT,
    COL_KIND,
    COL_STATUS,
    COL_WARNINGS,
    COL_YEAR,
    ReportFilterProxy,
    ReportIdRole,
    ReportListModel,
)

ALL_YEARS = "全部年度"


class ReportListPanel(QWidget):
    """Reports in the database; emits :attr:`reportSelected` with the report id."""

    reportSelected = Signal(int)
    filterChanged = Signal()  # a filter box or the search changed what the list shows

    def __init__(self, backend: StoreBackend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.model = ReportListModel(backend, self)
        self.proxy = ReportFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit()
        self.search.setPlaceholderText("全文搜索：机关、标题、正文…")
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_search)

        self.only_errors = QCheckBox("有不通过项")
        self.only_unreviewed = QCheckBox("未审查")
        self.year_box = QComboBox()
        self.year_box.addItem(ALL_YEARS, None)
        # The list may be narrow (the window beside a file manager): the box needs no more
        # than a year's width.
        self.year_box.setMinimumWidth(self.fontMetrics().horizontalAdvance("2024 年") + 8)
        self.only_errors.toggled.connect(lambda on: self._set_filters(only_errors=on))
        self.only_unreviewed.toggled.connect(
            lambda on: self._set_filters(only_unreviewed=on))
        self.year_box.currentIndexChanged.connect(
            lambda _i: self._set_filters(year=self.year_box.currentData()))

        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(COL_AGENCY, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(24)
        head = self.view.horizontalHeader()
        head.setSectionResizeMode(COL_AGENCY, QHeaderView.ResizeMode.Stretch)
        unit = self.fontMetrics().horizontalAdvance("中")
        for col, chars in ((COL_YEAR, 3), (COL_FORMAT, 3), (COL_KIND, 3.4), (COL_STATUS, 3.4),
                           (COL_ERRORS, 3.4), (COL_WARNINGS, 3.4)):
            head.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.view.setColumnWidth(col, int(chars * unit + 8))
        # Two agencies may differ only at the end (重庆市大渡口区…局): cut in the middle, the
        # whole name in the tooltip.
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.view.selectionModel().currentRowChanged.connect(self._on_current)

        self.count = QLabel("")
        self.count.setStyleSheet("color: #666;")
        self.title = QLabel("报告")
        self.title.setStyleSheet("font-weight: bold;")

        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.only_errors)
        filters.addWidget(self.only_unreviewed)
        filters.addWidget(self.year_box, 1)
        head_row = QHBoxLayout()
        head_row.setContentsMargins(0, 0, 0, 0)
        head_row.addWidget(self.title)
        head_row.addStretch(1)
        head_row.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 2, 2)
        layout.setSpacing(4)
        layout.addLayout(head_row)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)

        self.model.loaded.connect(self._update_years)  # the years of the later rows
        self.model.loaded.connect(self._update_count)
        for sig in (self.model.modelReset, self.model.rowsInserted, self.model.dataChanged,
                    self.proxy.layoutChanged, self.proxy.rowsInserted, self.proxy.rowsRemoved,
                    self.proxy.modelReset):
            sig.connect(self._update_count)

    # --- columns that fit ------------------------------------------------------------------
    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.fit_columns()

    def fit_columns(self) -> None:
        """A narrow list keeps the agency readable: the less needed columns go first
        (格式, 类型, then 提示 and 错误; the icon still says whether there are any)."""
        unit = self.fontMetrics().horizontalAdvance("中")
        room = self.view.viewport().width() - int(9 * unit)  # the agency gets 9 characters
        for col in (COL_YEAR, COL_STATUS, COL_ERRORS, COL_WARNINGS, COL_KIND, COL_FORMAT):
            width = self.view.columnWidth(col) or int(3 * unit + 8)
            self.view.setColumnHidden(col, room < width)
            room -= width if room >= width else 0

    # --- data ----------------------------------------------------------------------------
    def reload(self) -> None:
        self.model.reload()
        self._update_years()

    def reload_in_steps(self) -> None:
        """The first screenful now, the rest from the event loop (see the model)."""
        self.model.reload_in_steps()
        self._update_years()

    def upsert(self, report_id: int) -> None:
        self.model.upsert(report_id)
        self._update_years()

    def _update_years(self) -> None:
        current = self.year_box.currentData()
        years = self.model.years()
        have = [self.year_box.itemData(i) for i in range(1, self.year_box.count())]
        if have == years:
            return
        self.year_box.blockSignals(True)
        self.year_box.clear()
        self.year_box.addItem(ALL_YEARS, None)
        for y in years:
            self.year_box.addItem(f"{y} 年度", y)
        i = self.year_box.findData(current)
        self.year_box.setCurrentIndex(max(0, i))
        self.year_box.blockSignals(False)

    def _update_count(self, *_args) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        text = f"共 {total} 份" if shown == total else f"显示 {shown} / {total} 份"
        self.count.setText(text + ("（载入中…）" if self.model.loading else ""))

    def apply_search(self) -> None:
        text = self.search.text().strip()
        self._set_filters(ids=self.backend.search(text) if text else None)

    def _set_filters(self, **kwargs) -> None:
        self.proxy.set_filters(**kwargs)
        self.filterChanged.emit()

    def current_filter(self) -> ReportFilter:
        """The list's filters as the charts and the batch summary take them."""
        p = self.proxy
        return ReportFilter.of(year=p.year, has_errors=True if p.only_errors else None,
                               unreviewed=p.only_unreviewed, ids=p.ids)

    def shown_ids(self) -> list[int]:
        """The reports the list shows, in its order."""
        return [int(self.proxy.index(r, 0).data(ReportIdRole))
                for r in range(self.proxy.rowCount())]

    # --- selection -----------------------------------------------------------------------
    def current_id(self) -> int | None:
        ix = self.view.currentIndex()
        return ix.data(ReportIdRole) if ix.isValid() else None

    def select_report(self, report_id: int) -> bool:
        row = self.model.row_of(report_id)
        if row < 0:
            return False
        ix = self.proxy.mapFromSource(self.model.index(row, 0))
        if not ix.isValid():
            return False
        self.view.selectionModel().setCurrentIndex(
            ix, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(ix)
        return True

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        rid = current.data(ReportIdRole) if current.isValid() else None
        if rid is not None:
            self.reportSelected.emit(int(rid))
