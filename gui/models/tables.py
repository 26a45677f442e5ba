"""The three statutory tables as Qt models, laid out as the official format prints them.

Each table is a grid with its header rows and label columns inside it (spans are
applied by the view with ``setSpan``), so 表三 has 申请人情况 over 自然人, 法人或其他组织
(five columns) and 总计, and 三、本年度办理结果 spans its outcome rows. Value cells carry
their cell key in :data:`CellKeyRole`; colours come from the cell's state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from core.model import BLANK, MISSING, NA, Value
from core.template import (
    T3_COLUMNS,
    T3_LABELS,
    T4_COLUMNS,
    T4_LABELS,
    T4_ROWS,
    cell_name,
    full_width,
    get_format,
)
from core.values import kind_of_cell, same_value
from gui.cellvalues import InvalidValue, display_text, edit_text, parse_input
from gui.plain import escaped
from gui.session import CORRECTED, ERROR, LOW, OK, WARNING, ReviewSession

_USER = Qt.ItemDataRole.UserRole
CellKeyRole = _USER + 1  # "t3.new.total" for a value cell, None for headers and labels
StateRole = _USER + 2  # error | warning | corrected | low_confidence | ok
KindRole = _USER + 3  # number | zero | blank | na | text | missing
ConfidenceRole = _USER + 4  # 0..1
FindingsRole = _USER + 5  # list of finding messages on this cell
CorrectedRole = _USER + 6  # bool
ItemTypeRole = _USER + 7  # header | label | value
OriginalValueRole = _USER + 8  # the value the extractor read

HEADER, LABEL, VALUE = "header", "label", "value"

TABLE_TITLES = {
    "t2": "二、主动公开政府信息情况",
    "t3": "三、收到和处理政府信息公开申请情况",
    "t4": "四、政府信息公开行政复议、行政诉讼情况",
}
TABLE_TABS = {"t2": "表二 主动公开", "t3": "表三 依申请公开", "t4": "表四 复议诉讼"}
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

STATE_COLOURS = {
    ERROR: QColor("#f6c6c6"),
    WARNING: QColor("#fde3a7"),
    CORRECTED: QColor("#cfe2ff"),
    LOW: QColor("#e7d8f5"),
}
STATE_TEXT_COLOURS = {ERROR: QColor("#9b1c1c"), WARNING: QColor("#7a4b00"),
                      CORRECTED: QColor("#0b4fb3"), LOW: QColor("#5b2a86")}
HEADER_BG = QColor("#eef1f5")
LABEL_BG = QColor("#f7f8fa")
MUTED = QColor("#8a8f98")
STATE_NAMES = {ERROR: "错误", WARNING: "提示", CORRECTED: "已更正", LOW: "识别置信度低",
               OK: "正常"}
# Where a column head may break when its column is narrow: between words, never inside one
# (结果维持 → 结果 / 维持, never 结果维 / 持).
HEADER_WORDS = {
    "商业企业": ("商业", "企业"), "科研机构": ("科研", "机构"),
    "社会公益组织": ("社会公益", "组织"), "法律服务机构": ("法律服务", "机构"),
    "结果维持": ("结果", "维持"), "结果纠正": ("结果", "纠正"), "其他结果": ("其他", "结果"),
    "尚未审结": ("尚未", "审结"), "法人或其他组织": ("法人或", "其他组织"),
    "未经复议直接起诉": ("未经复议", "直接起诉"), "申请人情况": ("申请人", "情况"),
}


def header_words(text: str) -> tuple[str, ...]:
    """The words of a column head, in the order they may be put on separate lines."""
    return HEADER_WORDS.get(text, (text,))


@dataclass(frozen=True)
class GridItem:
    text: str = ""
    key: str | None = None
    type: str = HEADER


@dataclass
class TableLayout:
    """A statutory table as a grid: items by (row, column) and the spans to draw."""

    table: str
    rows: int
    cols: int
    header_rows: int
    label_cols: int
    items: dict[tuple[int, int], GridItem] = field(default_factory=dict)
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)  # row, col, rs, cs
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)

    def put(self, row: int, col: int, item: GridItem, rs: int = 1, cs: int = 1) -> None:
        self.items[(row, col)] = item
        if rs > 1 or cs > 1:
            self.spans.append((row, col, rs, cs))
        if item.key:
            self.positions[item.key] = (row, col)

    def keys(self) -> list[str]:
        return list(self.positions)

    def span_of(self, row: int, col: int) -> tuple[int, int]:
        """(rows, columns) the item at ``row, col`` covers."""
        return next(((rs, cs) for r, c, rs, cs in self.spans if (r, c) == (row, col)), (1, 1))


def layout_t2(fmt_name: str) -> TableLayout:
    fmt = get_format(fmt_name)
    width = 1 + max(len(g.columns) for g in fmt.t2_groups)
    lay = TableLayout("t2", 0, width, 0, 1)
    r = 0
    for g in fmt.t2_groups:
        lay.put(r, 0, GridItem(full_width(g.label)), 1, width)
        r += 1
        lay.put(r, 0, GridItem("信息内容"))
        for i, (_, label) in enumerate(g.columns):
            last = i == len(g.columns) - 1
            lay.put(r, 1 + i, GridItem(full_width(label)), 1, width - 1 - i if last else 1)
        r += 1
        for row_id, row_label in g.rows:
            lay.put(r, 0, GridItem(full_width(row_label), type=LABEL))
            for i, (col_id, _) in enumerate(g.columns):
                last = i == len(g.columns) - 1
                lay.put(r, 1 + i, GridItem(key=f"t2.{row_id}.{col_id}", type=VALUE), 1,
                        width - 1 - i if last else 1)
            r += 1
    lay.rows = r
    return lay


def t3_rows(fmt_name: str, merged_other: bool = False) -> list[tuple[str, str]]:
    rows = list(get_format(fmt_name).t3_rows)
    if fmt_name == "2021" and merged_other:
        ids = [r for r, _ in rows]
        i = ids.index("r3_6_1")
        rows[i : i + 3] = [("r3_6", "三、本年度办理结果/（六）其他处理")]
    return rows


def layout_t3(fmt_name: str, merged_other: bool = False) -> TableLayout:
    rows = t3_rows(fmt_name, merged_other)
    lay = TableLayout("t3", 3 + len(rows), 3 + len(T3_COLUMNS), 3, 3)
    lay.put(0, 0, GridItem(T3_NOTE), 3, 3)
    lay.put(0, 3, GridItem("申请人情况"), 1, 7)
    lay.put(1, 3, GridItem("自然人"), 2, 1)
    lay.put(1, 4, GridItem("法人或其他组织"), 1, 5)
    lay.put(1, 9, GridItem("总计"), 2, 1)
    for i, col in enumerate(T3_COLUMNS[1:6]):
        lay.put(2, 4 + i, GridItem(T3_LABELS[col]))
    paths = [(rid, label.split("/")) for rid, label in rows]
    r0 = 3
    i = 0
    while i < len(paths):
        rid, parts = paths[i]
        if len(parts) == 1:
            lay.put(r0 + i, 0, GridItem(full_width(parts[0]), type=LABEL), 1, 3)
            i += 1
            continue
        # A run of rows under the same first-level label (三、本年度办理结果).
        j = i
        while j < len(paths) and len(paths[j][1]) > 1 and paths[j][1][0] == parts[0]:
            j += 1
        lay.put(r0 + i, 0, GridItem(full_width(parts[0]), type=LABEL), j - i, 1)
        k = i
        while k < j:
            sub = paths[k][1]
            if len(sub) == 2:
                lay.put(r0 + k, 1, GridItem(full_width(sub[1]), type=LABEL), 1, 2)
                k += 1
                continue
            m = k
            while m < j and len(paths[m][1]) == 3 and paths[m][1][1] == sub[1]:
                m += 1
            lay.put(r0 + k, 1, GridItem(full_width(sub[1]), type=LABEL), m - k, 1)
            for n in range(k, m):
                lay.put(r0 + n, 2, GridItem(full_width(paths[n][1][2]), type=LABEL))
            k = m
        i = j
    for n, (rid, _) in enumerate(rows):
        for c, col in enumerate(T3_COLUMNS):
            lay.put(r0 + n, 3 + c, GridItem(key=f"t3.{rid}.{col}", type=VALUE))
    return lay


def layout_t4() -> TableLayout:
    n = len(T4_COLUMNS)
    lay = TableLayout("t4", 4, n * len(T4_ROWS), 3, 0)
    lay.put(0, 0, GridItem("行政复议"), 1, n)
    lay.put(0, n, GridItem("行政诉讼"), 1, 2 * n)
    for c, col in enumerate(T4_COLUMNS):
        lay.put(1, c, GridItem(T4_LABELS[col]), 2, 1)
    lay.put(1, n, GridItem("未经复议直接起诉"), 1, n)
    lay.put(1, 2 * n, GridItem("复议后起诉"), 1, n)
    for g in (1, 2):
        for c, col in enumerate(T4_COLUMNS):
            lay.put(2, g * n + c, GridItem(T4_LABELS[col]))
    for g, row in enumerate(T4_ROWS):
        for c, col in enumerate(T4_COLUMNS):
            lay.put(3, g * n + c, GridItem(key=f"t4.{row}.{col}", type=VALUE))
    return lay


def build_layout(table: str, fmt_name: str | None, merged_other: bool = False) -> TableLayout:
    fmt_name = fmt_name if fmt_name in ("2019", "2021") else "2021"
    if table == "t2":
        return layout_t2(fmt_name)
    if table == "t3":
        return layout_t3(fmt_name, merged_other)
    if table == "t4":
        return layout_t4()
    raise ValueError(f"unknown table {table!r}")


EditHandler = Callable[[str, Value], bool]


class StatutoryTableModel(QAbstractTableModel):
    """One statutory table (t2, t3 or t4) of the session's report.

    ``setData`` on a value cell hands the parsed value to ``edit_handler`` (the window
    pushes an undo command there); colours and tooltips follow ``session.cellsChanged``.
    """

    # A typed value that does not fit the cell: (key, the reason in Chinese); nothing stored.
    refused = Signal(str, str)

    def __init__(self, table: str, session: ReviewSession, parent=None) -> None:
        super().__init__(parent)
        self.table = table
        self.last_refusal: tuple[str, str] | None = None
        self.session = session
        self.edit_handler: EditHandler | None = None
        self.layout = build_layout(table, None)
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)
        session.reportLoaded.connect(self._on_report_loaded)
        session.cellsChanged.connect(self.refresh_keys)

    # --- structure -------------------------------------------------------------------------
    def _on_report_loaded(self, _report_id: object) -> None:
        report = self.session.report
        self.beginResetModel()
        if report is None:
            self.layout = build_layout(self.table, None)
        else:
            self.layout = build_layout(self.table, report.format, report.merged_other_row)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008,N802
        """Override: the grid's rows, header rows included; 0 under a valid parent."""
        return 0 if parent.isValid() else self.layout.rows

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008,N802
        """Override: the grid's columns, label columns included."""
        return 0 if parent.isValid() else self.layout.cols

    def spans(self) -> list[tuple[int, int, int, int]]:
        return list(self.layout.spans)

    def index_of(self, key: str) -> QModelIndex:
        pos = self.layout.positions.get(key)
        return QModelIndex() if pos is None else self.index(*pos)

    def key_at(self, index: QModelIndex | QPersistentModelIndex) -> str | None:
        if not index.isValid():
            return None
        item = self.layout.items.get((index.row(), index.column()))
        return item.key if item else None

    def keys(self) -> list[str]:
        return self.layout.keys()

    # --- data ------------------------------------------------------------------------------
    def data(self, index: QModelIndex | QPersistentModelIndex,  # noqa: C901
             role: int = Qt.ItemDataRole.DisplayRole):
        """Override: text, colours, tooltip and the custom roles; None where nothing fits."""
        if not index.isValid() or index.row() >= self.layout.rows \
                or index.column() >= self.layout.cols:
            return None
        item = self.layout.items.get((index.row(), index.column()))
        if item is None:
            return None
        if item.type != VALUE:
            return self._label_data(item, role)
        key = item.key
        if key is None:
            return None  # not so: layout_t2/t3/t4 give every value item its cell's key
        report = self.session.report
        cell = report.cells.get(key) if report is not None else None
        fmt = report.format if report is not None else None
        st = self.session.state(key)
        if role == Qt.ItemDataRole.DisplayRole:
            return display_text(cell, fmt) if report is not None else ""
        if role == Qt.ItemDataRole.EditRole:
            return edit_text(cell, fmt)
        if role == CellKeyRole:
            return key
        if role == ItemTypeRole:
            return VALUE
        if role == StateRole:
            return st.state if st else OK
        if role == KindRole:
            return kind_of_cell(cell)
        if role == ConfidenceRole:
            return cell.confidence if cell else None
        if role == FindingsRole:
            return list(st.messages) if st else []
        if role == CorrectedRole:
            return bool(st and st.corrected)
        if role == OriginalValueRole:
            return st.original if st else None
        if role == Qt.ItemDataRole.BackgroundRole:
            colour = STATE_COLOURS.get(st.state) if st else None
            return QBrush(colour) if colour is not None else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if st and st.state in STATE_TEXT_COLOURS:
                return QBrush(STATE_TEXT_COLOURS[st.state])
            if kind_of_cell(cell) in (BLANK, NA, MISSING):
                return QBrush(MUTED)
            return None
        if role == Qt.ItemDataRole.FontRole:
            if st and st.corrected:
                return self._bold
            if kind_of_cell(cell) in (BLANK, MISSING):
                return self._italic
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(key, cell, st, fmt) if report is not None else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self._label(key, fmt)}：{display_text(cell, fmt)}"
        return None

    def _label_data(self, item: GridItem, role: int):
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                    Qt.ItemDataRole.AccessibleTextRole):
            return item.text
        if role == ItemTypeRole:
            return item.type
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(HEADER_BG if item.type == HEADER else LABEL_BG)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if item.type == LABEL:
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.FontRole and item.type == HEADER:
            return self._bold
        return None

    def _label(self, key: str, fmt: str | None) -> str:
        return cell_name(key, fmt)

    def _tooltip(self, key: str, cell, st, fmt: str | None) -> str:
        lines = [f"<b>{escaped(self._label(key, fmt))}</b>"]
        if cell is not None:
            raw = cell.raw.strip() if cell.raw else ""
            lines.append(f"原文：{escaped(raw) or '（空白）'}")
            if cell.confidence < 1.0:
                lines.append(f"识别置信度：{cell.confidence:.0%}")
            lines += [escaped(cell.note)] if cell.note else []  # why; both readings if they differ
        if st is not None:
            if st.corrected:
                lines.append(f"已更正，原值：{display_text(_with(cell, st.original), fmt)}")
            lines.append(f"状态：{STATE_NAMES.get(st.state, st.state)}")
            for m in st.messages:
                lines.append(f"• {escaped(m)}")
        return "<br>".join(lines)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        """Override: value cells are editable; headers and labels can be selected only."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        item = self.layout.items.get((index.row(), index.column()))
        # A report marked 已审 is closed: its cells read only until it is reopened.
        if (item is not None and item.type == VALUE and self.session.report is not None
                and not self.session.closed):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: QModelIndex | QPersistentModelIndex, value,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Override: parse what was typed and hand it to the edit handler (undoable)."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        key = self.key_at(index)
        report = self.session.report
        if key is None or report is None or self.edit_handler is None:
            return False
        try:
            new = value if not isinstance(value, str) else parse_input(value, key, report.format)
        except InvalidValue as e:
            self.last_refusal = (key, str(e))
            self.refused.emit(key, str(e))
            return False
        cell = report.cells.get(key)
        if cell is None:
            return False
        if same_value(cell.value, new) and not (new is None and cell.kind == NA):
            return False
        return bool(self.edit_handler(key, new))

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole):
        """Override: plain numbers; the real headers are rows inside the table."""
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < self.layout.cols:
            return str(section + 1)
        if orientation == Qt.Orientation.Vertical and 0 <= section < self.layout.rows:
            return str(section + 1)
        return None

    # --- updates ---------------------------------------------------------------------------
    def refresh_keys(self, keys: list[str]) -> None:
        """Emit dataChanged for the value cells of ``keys`` that are in this table."""
        roles = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole,
                 Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole,
                 Qt.ItemDataRole.FontRole, Qt.ItemDataRole.ToolTipRole, StateRole,
                 FindingsRole, CorrectedRole, KindRole]
        for key in keys:
            pos = self.layout.positions.get(key)
            if pos is not None:
                ix = self.index(*pos)
                self.dataChanged.emit(ix, ix, roles)


def _with(cell, value: Value):
    from dataclasses import replace

    if cell is None:
        return None
    return replace(cell, value=value)
