"""Per-file status of an import: waiting, reading, done, already there, failed (with why)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from core.filenames import display_name
from gui.icons import dot_icon, severity_icon
from gui.plain import as_written

WAITING, READING, DONE, PRESENT, FAILED, CANCELLED = (
    "等待", "读取中", "已导入", "已在库中", "失败", "已取消")
_COLOURS = {WAITING: "#9e9e9e", READING: "#1f66d1", DONE: "#2e7d32", PRESENT: "#2e7d32",
            FAILED: "#c62828", CANCELLED: "#9e9e9e"}
COLUMNS = ("文件", "状态", "说明")
PathRole = Qt.ItemDataRole.UserRole + 60
StatusRole = Qt.ItemDataRole.UserRole + 61
ReportIdRole = Qt.ItemDataRole.UserRole + 62


@dataclass
class FileStatus:
    path: str
    status: str = WAITING
    reason: str = ""
    detail: str = ""
    report_id: int | None = None


class ImportStatusModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.items: list[FileStatus] = []
        self._rows: dict[str, int] = {}

    def add_files(self, paths: list[str]) -> None:
        new = [p for p in paths if p not in self._rows]
        if not new:
            for p in paths:
                self.set_status(p, WAITING)
            return
        n = len(self.items)
        self.beginInsertRows(QModelIndex(), n, n + len(new) - 1)
        for p in new:
            self._rows[p] = len(self.items)
            self.items.append(FileStatus(p))
        self.endInsertRows()

    def set_status(self, path: str, status: str, reason: str = "", detail: str = "",
                   report_id: int | None = None) -> None:
        row = self._rows.get(path)
        if row is None:
            self.add_files([path])
            row = self._rows[path]
        item = self.items[row]
        item.status, item.reason, item.detail, item.report_id = status, reason, detail, report_id
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def clear(self) -> None:
        self.beginResetModel()
        self.items, self._rows = [], {}
        self.endResetModel()

    def failed(self) -> list[FileStatus]:
        return [i for i in self.items if i.status == FAILED]

    def status_of(self, path: str) -> FileStatus | None:
        row = self._rows.get(path)
        return None if row is None else self.items[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008,N802
        """Override: one row per file."""
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008,N802
        """Override: file, status, reason."""
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        """Override: the file's name, status and reason."""
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        it = self.items[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (display_name(Path(it.path).name), it.status, it.reason)[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return as_written("\n".join(x for x in (display_name(it.path), it.reason,
                                                      it.detail) if x))
        if role == Qt.ItemDataRole.DecorationRole and col == 1:
            if it.status == FAILED:
                return severity_icon("error")
            return dot_icon(_COLOURS.get(it.status, "#9e9e9e"))
        if role == Qt.ItemDataRole.ForegroundRole and col in (1, 2):
            return QBrush(QColor(_COLOURS.get(it.status, "#000000")))
        if role == PathRole:
            return it.path
        if role == StatusRole:
            return it.status
        if role == ReportIdRole:
            return it.report_id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        """Override: column titles."""
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None
