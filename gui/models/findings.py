"""The findings of the report under review, as a table model for the findings panel."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from core.model import Finding
from core.template import get_format
from gui.backend import CONFIRMED, DISMISSED
from gui.icons import severity_icon
from gui.plain import escaped
from gui.session import ReviewSession

_USER = Qt.ItemDataRole.UserRole
FindingRole = _USER + 20  # the Finding object
SeverityRole = _USER + 21  # error | warning
CellsRole = _USER + 22  # list of cell keys
FingerprintRole = _USER + 23
VerdictRole = _USER + 24  # confirmed | dismissed | None

COLUMNS = ("级别", "规则", "说明", "涉及单元格", "审查意见")
SEVERITY_NAMES = {"error": "错误", "warning": "警告"}
VERDICT_NAMES = {CONFIRMED: "已确认", DISMISSED: "已驳回"}
RULE_NAMES = {
    "t3.balance": "表三 勾稽关系",
    "t3.outcome_sum": "表三 办理结果合计",
    "t3.row_sum": "表三 行合计",
    "t4.row_sum": "表四 行合计",
    "t3.other_row_merged": "表三 其他处理未分项",
    "t2.fee_implausible": "表二 收费金额存疑",
    "cell.invalid": "数值无效",
    "cell.blank": "单元格空白",
    "cell.low_confidence": "识别置信度低",
    "label.deviates": "栏目名称不符",
    "section.missing": "缺少章节",
    "section.order": "章节顺序",
    "section1.content": "总体情况内容",
    "section5.content": "问题及改进内容",
    "section6.empty": "其他事项为空",
    "section6.fee_statement": "收费情况说明",
    "content.assessment_missing": "缺少年度考核内容",
    "fee.notice_inconsistent": "收费说明与表格不符",
    "table.missing": "缺少表格",
    "table.incomplete": "表格不完整",
    "format.outdated": "格式版本",
    "year.missing": "年度未说明",
    "year.inconsistent": "年度不一致",
    "publication.late": "发布超期",
    "publication.date_missing": "未注明发布日期",
    "publication.date_implausible": "发布日期存疑",
    "preamble.incomplete": "报告开头不完整",
    "text.contradicts_table": "正文与表格不符",
    "crossyear.carry_over": "跨年结转不符",
    "crossyear.in_force": "跨年现行有效件数",
    "crossyear.identical_tables": "与上年表格相同",
    "crossyear.copied_text": "与上年正文雷同",
}
PLACE_NAMES = {
    "s1": "一、总体情况", "s2": "二、主动公开", "s3": "三、依申请公开", "s4": "四、复议诉讼",
    "s5": "五、问题及改进", "s6": "六、其他事项", "t2": "表二", "t3": "表三", "t4": "表四",
    "preamble": "报告开头", "published": "发布日期", "year": "年度", "format": "格式",
    "title": "标题",
}


def rule_name(rule: str) -> str:
    return RULE_NAMES.get(rule, rule)


def cells_text(finding: Finding, fmt: str | None) -> str:
    if not finding.cells:
        place = finding.section or finding.table or finding.field
        return PLACE_NAMES.get(place, place) if place else "全文"
    f = get_format(fmt if fmt in ("2019", "2021") else "2021")
    try:
        first = f.label(finding.cells[0])
    except (KeyError, ValueError):
        first = finding.cells[0]
    more = len(finding.cells) - 1
    return f"{first} 等 {len(finding.cells)} 格" if more else first


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
            return (SEVERITY_NAMES.get(f.severity, f.severity)
                    + ("?" if f.status == "uncertain" else ""),
                    rule_name(f.rule), f.message, cells_text(f, fmt),
                    (VERDICT_NAMES.get(vname, "") + (f":{verdict.reason}"
                                                     if verdict and verdict.reason else ""))
                    if verdict else "")[col]
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
            tip = [f"<b>{rule_name(f.rule)}</b>({f.rule})", escaped(f.message)]
            if f.basis:
                tip.append(f"依据:{escaped(f.basis)}")
            if f.cells:
                tip.append("单元格:" + ",".join(f.cells))
            if verdict:
                who = f"({verdict.user})" if verdict.user else ""
                tip.append(f"{VERDICT_NAMES.get(vname, vname)}:{escaped(verdict.reason)}"
                           f"{escaped(who)}")
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
