"""The report list: one row per report in the database, with a filter/sort proxy."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

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
STATUS_COLOURS = {"未审": "#8a8f98", "审查中": "#1f66d1", "已审": "#2e7d32"}


class ReportListModel(QAbstractTableModel):
    """Every report of the database (one :class:`ReportSummary` each)."""

    def __init__(self, backend: StoreBackend, parent=None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.items: list[ReportSummary] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def reload(self) -> None:
        self.beginResetModel()
        self.items = self.backend.summaries()
        self.endResetModel()

    def upsert(self, report_id: int) -> int:
        """Add or refresh one report's row; return the row."""
        s = self.backend.summary(report_id)
        for i, item in enumerate(self.items):
            if item.id == report_id:
                self.items[i] = s
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))
                return i
        n = len(self.items)
        self.beginInsertRows(QModelIndex(), n, n)
        self.items.append(s)
        self.endInsertRows()
        return n

    def row_of(self, report_id: int) -> int:
        return next((i for i, s in enumerate(self.items) if s.id == report_id), -1)

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
            return (s.agency or s.file, s.year or 0, s.format or "", s.kind, s.status,
                    s.failed, s.pending)[col]
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
            lines = [s.agency or "(未识别机关)", f"文件:{s.file}", f"年度:{s.year or '?'}"
                     f" 格式:{s.format or '?'}", f"状态:{s.status}"
                     + (f"(审查人:{s.reviewer})" if s.reviewer else ""),
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


class ReportFilterProxy(QSortFilterProxyModel):
    """Filters: has errors, one year, not yet reviewed, and the search's matching ids."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.only_errors = False
        self.only_unreviewed = False
        self.year: int | None = None
        self.ids: set[int] | None = None  # None: no search

    def set_filters(self, *, only_errors: bool | None = None, only_unreviewed: bool | None = None,
                    year: int | None | str = "keep", ids: set[int] | None | str = "keep") -> None:
        self.beginFilterChange()
        if only_errors is not None:
            self.only_errors = only_errors
        if only_unreviewed is not None:
            self.only_unreviewed = only_unreviewed
        if year != "keep":
            self.year = year  # type: ignore[assignment]
        if ids != "keep":
            self.ids = ids  # type: ignore[assignment]
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:  # noqa: N802
        """Override: apply the filters to one report."""
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
