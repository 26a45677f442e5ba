"""The findings of the report under review, as a table model for the findings panel."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from core.model import Finding
from core.rule_names import cells_text, rule_name
from core.template import cell_name
from core.vocabulary import FINDING_STATUS_NAMES, UNCERTAIN, severity_name, verdict_state
from gui.backend import DISMISSED
from gui.icons import severity_icon
from gui.plain import escaped
from gui.session import ReviewSession

_USER = Qt.ItemDataRole.UserRole
FindingRole = _USER + 20  # the Finding object
SeverityRole = _USER + 21  # error | warning
CellsRole = _USER + 22  # list of cell keys
FingerprintRole = _USER + 23
VerdictRole = _USER + 24  # confirmed | dismissed | None

# 审查意见 is the report's opinion (review panel); a finding gets 核实情况 (已确认 / 已排除).
COLUMNS = ("级别", "规则", "说明", "涉及单元格", "核实情况")
COL_MESSAGE = 2
def severity_text(finding: Finding) -> str:
    """错误 / 提示, with 存疑 when the checker could not be sure."""
    name = severity_name(finding.severity)
    if finding.status == UNCERTAIN:
        name += f"（{FINDING_STATUS_NAMES[UNCERTAIN]}）"
    return name


def verdict_text(verdict) -> str:
    """已确认 / 已排除 and the reason, or nothing when nobody has given a verdict."""
    if verdict is None:
        return ""
    return verdict_state(verdict.verdict) + (f"：{verdict.reason}" if verdict.reason else "")


def _order(f: Finding) -> int:
    return 0 if f.severity == "error" else 1


class FindingsModel(QAbstractTableModel):
    """Every finding of the session's report, errors first."""

    def __init__(self, session: ReviewSession, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self.items: list[Finding] = []
        self._strike = QFont()
        self._strike.setStrikeOut(True)
        session.reportLoaded.connect(self.reload)
        session.findingsChanged.connect(self.reload)

    def reload(self, *_args) -> None:
        self.beginResetModel()
        self.items = sorted(self.session.findings, key=_order)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008,N802
        """Override: one row per finding."""
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008,N802
        """Override: the columns of :data:`COLUMNS`."""
        return 0 if parent.isValid() else len(COLUMNS)

    def finding(self, row: int) -> Finding | None:
        return self.items[row] if 0 <= row < len(self.items) else None

    def row_of(self, fingerprint: str) -> int:
        return next((i for i, f in enumerate(self.items) if f.fingerprint == fingerprint), -1)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        """Override: text, icon, colours, tooltip and the custom roles."""
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        f = self.items[index.row()]
        col = index.column()
        verdict = self.session.verdicts.get(f.fingerprint)
        vname = verdict.verdict if verdict else None
        if role == Qt.ItemDataRole.DisplayRole:
            fmt = self.session.report.format if self.session.report else None
            return (severity_text(f), rule_name(f.rule), f.message, cells_text(f, fmt),
                    verdict_text(verdict))[col]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return severity_icon(DISMISSED if vname == DISMISSED else f.severity)
        if role == Qt.ItemDataRole.ForegroundRole:
            if vname == DISMISSED:
                return QBrush(QColor("#9e9e9e"))
            if col == 0:
                return QBrush(QColor("#b71c1c" if f.severity == "error" else "#8a5a00"))
            return None
        if role == Qt.ItemDataRole.FontRole and vname == DISMISSED and col == 2:
            return self._strike
        if role == Qt.ItemDataRole.ToolTipRole:
            fmt = self.session.report.format if self.session.report else None
            tip = [f"<b>{escaped(rule_name(f.rule))}</b>", escaped(f.message)]
            if f.basis:
                tip.append(f"依据：{escaped(f.basis)}")
            if f.cells:
                tip.append("单元格：" + "；".join(escaped(cell_name(k, fmt))
                                                  for k in f.cells[:12])
                           + (f" 等 {len(f.cells)} 格" if len(f.cells) > 12 else ""))
            if verdict:
                who = f"（{escaped(verdict.user)}）" if verdict.user else ""
                tip.append(escaped(verdict_text(verdict)) + who)
            return "<br>".join(tip)
        if role == FindingRole:
            return f
        if role == SeverityRole:
            return f.severity
        if role == CellsRole:
            return list(f.cells)
        if role == FingerprintRole:
            return f.fingerprint
        if role == VerdictRole:
            return vname
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        """Override: column titles."""
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None
