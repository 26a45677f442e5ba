"""The report list: one row per report in the database, with a filter/sort proxy."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from core.vocabulary import IN_REVIEW, NOT_REVIEWED, REVIEWED
from gui.backend import ReportSummary, StoreBackend
from gui.icons import severity_icon
from gui.plain import as_written

_USER = Qt.ItemDataRole.UserRole
ReportIdRole = _USER + 40
SortRole = _USER + 41
SummaryRole = _USER + 42

COLUMNS = ("机关", "年度", "格式", "类型", "状态", "不通过", "待核实")  # checklist lines
COL_AGENCY, COL_YEAR, COL_FORMAT, COL_KIND, COL_STATUS, COL_ERRORS, COL_WARNINGS = range(7)
KIND_NAMES = {"pdf": "PDF", "scanned-pdf": "扫描PDF", "docx": "DOCX", "doc": "DOC",
              "html": "HTML", "txt": "TXT"}
STATUS_COLOURS = {NOT_REVIEWED: "#8a8f98", IN_REVIEW: "#1f66d1", REVIEWED: "#2e7d32"}


class ReportListModel(QAbstractTableModel):
    """Every report of the database (one :class:`ReportSummary` each)."""

    loaded = Signal()  # every report is in the list (after reload or reload_in_steps)

    FIRST_ROWS = 300  # more than a screen holds, few enough to read at once
    STEP_ROWS = 2500  # rows added per event-loop turn while the rest comes in

    def __init__(self, backend: StoreBackend, parent=None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.items: list[ReportSummary] = []
        self._rows: dict[int, int] = {}  # report id → row
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._bold = QFont()
        self._bold.setBold(True)
        self.loading = False  # reload_in_steps() has more rows to add
        self._generation = 0  # a newer reload abandons the steps of an older one

    def reload(self) -> None:
        """Every report, now."""
        self._generation += 1
        self.loading = False
        self._reset_to(self.backend.summaries)
        self.loaded.emit()

    def reload_in_steps(self) -> None:
        """The first :attr:`FIRST_ROWS` reports in the list's order now (the screenful
        that stays on top), the rest in steps of :attr:`STEP_ROWS` from the event loop:
        with 10,000 reports the window shows its list at once and stays responsive;
        :attr:`loaded` says when all are in."""
        self._generation += 1
        self.loading = True  # until a page comes back short (the count says 载入中)
        col = self._sort_column
        self._reset_to(lambda: self.backend.summaries(
            limit=self.FIRST_ROWS, order=SORT_NAMES[col] if col >= 0 else None,
            descending=self._sort_order == Qt.SortOrder.DescendingOrder))
        if len(self.items) < self.FIRST_ROWS:
            self.loading = False
            self.loaded.emit()
            return
        generation = self._generation
        QTimer.singleShot(0, lambda: self._next_step(generation, None))

    def _next_step(self, generation: int, before_id: int | None) -> None:
        if generation != self._generation or not self.backend.connected:
            return  # reloaded (or closed) meanwhile: that reload brings its own rows
        with _collector_paused():
            page = self.backend.summaries(before_id=before_id, limit=self.STEP_ROWS)
            # The first screenful, and a report imported or changed meanwhile (upsert),
            # are already in.
            new = [s for s in page if s.id not in self._rows]
        if new:
            first = len(self.items)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self.items.extend(new)
            self._rows.update((s.id, first + i) for i, s in enumerate(new))
            self.endInsertRows()
            if self._sort_column >= 0:
                self.sort(self._sort_column, self._sort_order)
        if len(page) < self.STEP_ROWS:
            self.loading = False
            self.loaded.emit()
            return
        oldest = page[-1].id
        QTimer.singleShot(0, lambda: self._next_step(generation, oldest))

    def _reset_to(self, fetch) -> None:
        self.beginResetModel()
        with _collector_paused():
            self.items = fetch()
            self._sort_items()
            self._reindex()
        self.endResetModel()

    def upsert(self, report_id: int) -> int:
        """Add or refresh one report's row (kept in the list's order); return the row."""
        s = self.backend.summary(report_id)
        i = self._rows.get(report_id)
        if i is not None:
            self.items[i] = s
            self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))
        else:
            i = len(self.items)
            self.beginInsertRows(QModelIndex(), i, i)
            self.items.append(s)
            self._rows[report_id] = i
            self.endInsertRows()
        if self._sort_column >= 0:
            self.sort(self._sort_column, self._sort_order)
        return self._rows[report_id]

    def row_of(self, report_id: int) -> int:
        return self._rows.get(report_id, -1)

    def _reindex(self) -> None:
        self._rows = {s.id: i for i, s in enumerate(self.items)}

    # --- sorting: here, from plain values, not through data() --------------------------
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Override: order the rows by ``column`` with one Python sort over the summaries
        (the proxy would ask data() for both sides of every comparison)."""
        self._sort_column, self._sort_order = column, order
        if not self.items:
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        ids = [self.items[ix.row()].id if 0 <= ix.row() < len(self.items) else None
               for ix in persistent]
        self._sort_items()
        self._reindex()
        moved = [self.index(self._rows[rid], ix.column()) if rid in self._rows
                 else QModelIndex() for ix, rid in zip(persistent, ids, strict=True)]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def _sort_items(self) -> None:
        if self._sort_column < 0:
            return
        self.items.sort(key=_SORT_KEYS[self._sort_column],
                        reverse=self._sort_order == Qt.SortOrder.DescendingOrder)

    def years(self) -> list[int]:
        return sorted({s.year for s in self.items if s.year is not None}, reverse=True)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008,N802
        """Override: one row per report."""
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008,N802
        """Override: the columns of :data:`COLUMNS`."""
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        """Override: text, sort keys, icons and the report id."""
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        s = self.items[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (s.agency or s.file, "" if s.year is None else str(s.year),
                    s.format or "?", KIND_NAMES.get(s.kind, s.kind), s.status,
                    str(s.failed), str(s.pending))[col]
        if role == SortRole:
            return _sort_key(s, col)
        if role == ReportIdRole:
            return s.id
        if role == SummaryRole:
            return s
        if role == Qt.ItemDataRole.DecorationRole and col == COL_AGENCY:
            if s.failed:
                return severity_icon("error")
            if s.pending:
                return severity_icon("warning")
            return severity_icon("ok")
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == COL_ERRORS and s.failed:
                return QBrush(QColor("#c62828"))
            if col == COL_WARNINGS and s.pending:
                return QBrush(QColor("#9a6400"))
            if col == COL_STATUS:
                return QBrush(QColor(STATUS_COLOURS.get(s.status, "#000")))
            return None
        if role == Qt.ItemDataRole.FontRole and col == COL_ERRORS and s.failed:
            return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole and col != COL_AGENCY:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [s.agency or "（未识别机关）", f"文件：{s.file}", f"年度：{s.year or '?'}"
                     f" 格式：{s.format or '?'}", f"状态：{s.status}"
                     + (f"（审查人：{s.reviewer}）" if s.reviewer else ""),
                     f"检查结果：不通过 {s.failed} 项，待核实 {s.pending} 项"]
            return as_written("\n".join(lines))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        """Override: column titles."""
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Thousands of summaries and their sort keys are young objects that all survive:
    the collector would walk the whole heap (Qt's wrappers included) several times over
    for nothing. Collection resumes right after, as it was."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


# One key per column, with the id last for a stable order among equals; SORT_NAMES are
# the same orders in SQL (core.store.ReportStore.LIST_ORDERS), for the first screenful.
SORT_NAMES = ("agency", "year", "format", "kind", "status", "failed", "pending")
_SORT_KEYS = (
    lambda s: (s.agency or s.file, s.id),
    lambda s: (s.year or 0, s.id),
    lambda s: (s.format or "", s.id),
    lambda s: (s.kind, s.id),
    lambda s: (s.status, s.id),
    lambda s: (s.failed, s.id),
    lambda s: (s.pending, s.id),
)


def _sort_key(s: ReportSummary, col: int):
    return _SORT_KEYS[col](s)


class ReportFilterProxy(QSortFilterProxyModel):
    """Filters: has errors, one year, not yet reviewed, and the search's matching ids."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.setDynamicSortFilter(False)
        self.only_errors = False
        self.only_unreviewed = False
        self.year: int | None = None
        self.ids: set[int] | None = None  # None: no search

    def set_filters(self, *, only_errors: bool | None = None, only_unreviewed: bool | None = None,
                    year: int | None | Literal["keep"] = "keep",
                    ids: set[int] | None | Literal["keep"] = "keep") -> None:
        self.beginFilterChange()
        if only_errors is not None:
            self.only_errors = only_errors
        if only_unreviewed is not None:
            self.only_unreviewed = only_unreviewed
        if not isinstance(year, str):  # "keep": leave the year filter as it is
            self.year = year
        if not isinstance(ids, str):
            self.ids = ids
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Override: the source model sorts itself (fast); the proxy keeps its order and
        only filters."""
        model = self.sourceModel()
        if isinstance(model, ReportListModel):
            model.sort(column, order)
        else:
            super().sort(column, order)

    def filterAcceptsRow(self, source_row: int,  # noqa: N802
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        """Override: apply the filters to one report."""
        if not (self.only_errors or self.only_unreviewed or self.year is not None
                or self.ids is not None):
            return True
        model = self.sourceModel()
        if not isinstance(model, ReportListModel) or not 0 <= source_row < len(model.items):
            return False
        s = model.items[source_row]
        if self.only_errors and not s.failed:
            return False
        if self.only_unreviewed and s.reviewed:
            return False
        if self.year is not None and s.year != self.year:
            return False
        return self.ids is None or s.id in self.ids
