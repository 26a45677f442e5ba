"""The combined tables as XLSX (openpyxl) and DOCX (python-docx), in the official layout.

Each table is first laid out once as a :class:`Grid` (cells and merged ranges, as the
official format prints it: the applicant columns of table 三 under 申请人情况 and
法人或其他组织, the 行政复议 / 行政诉讼 heads of table 四, the groups of table 二);
the XLSX and the DOCX both draw that grid. The XLSX adds a sheet with each agency's
figure of every cell beside the sum, and a sheet saying what was included and what the
identity checks found. Text written to a sheet is neutralised
(:func:`core.spreadsheet_safety.neutralise`): a name or mark never becomes a formula.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.combine import Combined
from core.office_docx import OfficialDocument
from core.spreadsheet_safety import neutralise
from core.template import T3_COLUMNS, T3_LABELS, T4_COLUMNS, T4_LABELS, full_width, get_format

TABLE_TITLES = {"t2": "二、主动公开政府信息情况", "t3": "三、收到和处理政府信息公开申请情况",
                "t4": "四、政府信息公开行政复议、行政诉讼情况"}
SHEET_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四"}
TRACE_SHEET, ABOUT_SHEET = "各单位数据", "说明"
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
LEGAL_PERSONS = ("commercial", "research", "social", "legal", "other")


@dataclass
class Grid:
    """A table as printed: ``cells[row][col]`` (None under a merge) and merged ranges."""

    width: int
    cells: list[list[Any]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    header_rows: int = 0
    keys: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) → cell key

    def row(self, values: list[Any]) -> int:
        self.cells.append(values + [None] * (self.width - len(values)))
        return len(self.cells) - 1

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        if (r1, c1) != (r2, c2):
            self.merges.append((r1, c1, r2, c2))


def table_grid(c: Combined, table: str) -> Grid:
    """The official layout of ``table`` (t2, t3, t4) with the combined sums in it."""
    fmt = get_format(c.format)
    if table == "t2":
        return _t2(c, fmt)
    if table == "t3":
        return _t3(c, fmt)
    return _t4(c)


def _t2(c: Combined, fmt: Any) -> Grid:
    width = max(1 + len(g.columns) for g in fmt.t2_groups)
    g2 = Grid(width)
    for group in fmt.t2_groups:
        r = g2.row([full_width(group.label)])
        g2.merge(r, 0, r, width - 1)
        head = g2.row(["信息内容", *[full_width(label) for _, label in group.columns]])
        g2.merge(head, len(group.columns), head, width - 1)
        for row_id, label in group.rows:
            r = g2.row([full_width(label)])
            for i, (col_id, _) in enumerate(group.columns, 1):
                key = f"t2.{row_id}.{col_id}"
                g2.cells[r][i] = c.figure(None, key)
                g2.keys[(r, i)] = key
            g2.merge(r, len(group.columns), r, width - 1)
    return g2


def _t3(c: Combined, fmt: Any) -> Grid:
    g = Grid(3 + len(T3_COLUMNS), header_rows=3)
    g.row([T3_NOTE, None, None, "申请人情况"])
    g.row([None, None, None, T3_LABELS["natural"], "法人或其他组织", None, None, None, None,
           T3_LABELS["total"]])
    g.row([None, None, None, None, *[T3_LABELS[x] for x in LEGAL_PERSONS]])
    g.merge(0, 0, 2, 2)
    g.merge(0, 3, 0, 9)
    g.merge(1, 3, 2, 3)
    g.merge(1, 4, 1, 8)
    g.merge(1, 9, 2, 9)
    rows = list(fmt.t3_rows)
    start = len(g.cells)
    # The official format prints its labels with full-width punctuation: （一）, （单位：万元）.
    paths = [full_width(label).split("/") for _, label in rows]
    for (rid, _), parts in zip(rows, paths, strict=True):
        r = g.row([*parts, *[None] * (3 - len(parts))])
        g.merge(r, len(parts) - 1, r, 2)
        for i, col in enumerate(T3_COLUMNS, 3):
            key = f"t3.{rid}.{col}"
            g.cells[r][i] = c.figure(None, key)
            g.keys[(r, i)] = key
    # The same heading on consecutive rows is one merged cell (三、本年度办理结果 …).
    for level in (0, 1):
        r = 0
        while r < len(paths):
            end = r
            while (end + 1 < len(paths) and len(paths[end + 1]) > level + 1
                   and len(paths[r]) > level + 1
                   and paths[end + 1][: level + 1] == paths[r][: level + 1]):
                end += 1
            if end > r:
                g.merge(start + r, level, start + end, level)
                for k in range(r + 1, end + 1):
                    g.cells[start + k][level] = None
            r = end + 1
    return g


def _t4(c: Combined) -> Grid:
    g = Grid(15, header_rows=3)
    g.row(["行政复议", None, None, None, None, "行政诉讼"])
    g.row([*[T4_LABELS[x] for x in T4_COLUMNS], "未经复议直接起诉", None, None, None, None,
           "复议后起诉"])
    g.row([None] * 5 + [T4_LABELS[x] for x in T4_COLUMNS] * 2)
    g.merge(0, 0, 0, 4)
    g.merge(0, 5, 0, 14)
    for i in range(5):
        g.merge(1, i, 2, i)
    g.merge(1, 5, 1, 9)
    g.merge(1, 10, 1, 14)
    r = g.row([])
    for block, row_id in enumerate(("review", "direct", "after_review")):
        for i, col in enumerate(T4_COLUMNS):
            key = f"t4.{row_id}.{col}"
            g.cells[r][block * 5 + i] = c.figure(None, key)
            g.keys[(r, block * 5 + i)] = key
    return g


def place_label(key: str, fmt: str) -> tuple[str, str, str]:
    """(表, 行, 列) of a cell key as printed."""
    from core.notice import place_of

    table, rows, cols = place_of([key])
    return table, rows[0] if rows else "", cols[0] if cols else ""


# --- XLSX ------------------------------------------------------------------------------------


def write_xlsx(c: Combined, path: str | Path) -> None:
    """One sheet per table in the official layout, the per-agency sheet, the notes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(wrap_text=True, vertical="center", horizontal="center")
    first = True
    for table in ("t2", "t3", "t4"):
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = SHEET_NAMES[table]
        grid = table_grid(c, table)
        ws.cell(1, 1, neutralise(f"{c.year}年度汇总 · {TABLE_TITLES[table]}")).font = \
            Font(bold=True, size=12)
        top = 3
        for r, row in enumerate(grid.cells):
            for col, value in enumerate(row):
                cell = ws.cell(top + r, col + 1, neutralise(value))
                cell.border = border
                cell.alignment = centre if r < grid.header_rows or isinstance(
                    value, int | float) else wrap
        for r1, c1, r2, c2 in grid.merges:
            ws.merge_cells(start_row=top + r1, start_column=c1 + 1, end_row=top + r2,
                           end_column=c2 + 1)
        for col in range(1, grid.width + 1):
            ws.column_dimensions[ws.cell(1, col).column_letter].width = \
                26 if table == "t3" and col <= 3 else (14 if table != "t4" else 10)
    _trace_sheet(wb.create_sheet(TRACE_SHEET), c, border)
    _about_sheet(wb.create_sheet(ABOUT_SHEET), c)
    wb.save(str(path))


def _trace_sheet(ws: Any, c: Combined, border: Any) -> None:
    """Each cell of the format: table, row, column, each agency's figure, the sum."""
    head = ["表", "行", "列", *[s.label for s in c.included], "合计", "非数字单元格（按0计）"]
    ws.append([neutralise(h) for h in head])
    for key in c.keys:
        table, row, col = place_label(key, c.format)
        figures = [c.figure(s, key) for s in c.included]
        odd = "、".join(c.not_numbers.get(key, []))
        ws.append([neutralise(x) for x in (table, row, col, *figures, c.figure(None, key), odd)])
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 14
    for row in ws.iter_rows():
        for cell in row:
            cell.border = border
    ws.freeze_panes = "D2"


def _about_sheet(ws: Any, c: Combined) -> None:
    lines = [f"{c.year}年度政府信息公开工作年度报告统计表汇总（{c.format}年版格式）",
             f"计入汇总的报告 {len(c.included)} 份："]
    lines += [f"  {s.label}" + (f"（有 {s.n_errors} 项未解决的错误）" if s.n_errors else "")
              for s in c.included]
    if c.left_out:
        lines.append(f"未计入的报告 {len(c.left_out)} 份：")
        lines += [f"  {s.label}：{why}" for s, why in c.left_out]
    lines += c.notes
    if c.not_numbers:
        lines.append(f"有 {len(c.not_numbers)} 个单元格在部分报告中不是数字（空白、「/」等），"
                     "按0计入，详见「各单位数据」表最后一列。")
    lines.append("金额单位：万元。" if any(k.endswith(".amount") for k in c.keys) else "")
    if c.identity_findings:
        lines.append(f"汇总数据的勾稽关系核对：发现 {len(c.identity_findings)} 处不一致：")
        lines += [f"  {f.message}" for f in c.identity_findings]
    else:
        lines.append("汇总数据的勾稽关系核对：全部一致。")
    for line in lines:
        if line:
            ws.append([neutralise(line)])
    ws.column_dimensions["A"].width = 100


# --- DOCX ------------------------------------------------------------------------------------


def write_docx(c: Combined, path: str | Path, fonts: dict[str, Any] | None = None) -> None:
    """The three tables in the official layout (landscape), with the notes."""

    doc = OfficialDocument(fonts, landscape=True)
    doc.title(f"{c.year}年度政府信息公开工作年度报告统计表汇总")
    doc.paragraph(f"汇总 {len(c.included)} 份报告（{c.format}年版格式）："
                  + "、".join(s.agency for s in c.included) + "。", indent=False)
    for s, why in c.left_out:
        doc.paragraph(f"未计入：{s.label}，{why}。", indent=False)
    for table in ("t2", "t3", "t4"):
        doc.heading(TABLE_TITLES[table])
        _docx_grid(doc, table_grid(c, table), DOCX_WIDTHS_MM[table])
    if c.notes:
        for note in c.notes:
            doc.paragraph(note, indent=False)
    doc.paragraph("汇总数据的勾稽关系核对：" + ("全部一致。" if not c.identity_findings else
                                               f"发现 {len(c.identity_findings)} 处不一致："),
                  indent=False)
    for f in c.identity_findings:
        doc.paragraph(f.message, indent=False)
    doc.save(path)


# Column widths on a landscape A4 page (247 mm between the margins).
DOCX_WIDTHS_MM: dict[str, list[float]] = {"t2": [70, 60, 60, 57],
                                          "t3": [30, 30, 54, *[19] * 7], "t4": [16.4] * 15}


def _docx_grid(doc: OfficialDocument, grid: Grid, widths_mm: list[float]) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    t = doc.doc.add_table(rows=len(grid.cells), cols=grid.width)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for col, w in enumerate(widths_mm):
        t.columns[col].width = Mm(w)
        for row in t.rows:
            row.cells[col].width = Mm(w)
    for r1, c1, r2, c2 in grid.merges:
        t.cell(r1, c1).merge(t.cell(r2, c2))
    for r, row in enumerate(grid.cells):
        for col, value in enumerate(row):
            if value is None:
                continue
            p = t.cell(r, col).paragraphs[0]
            if r < grid.header_rows or isinstance(value, int | float):
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(_docx_text(value))
            run.font.size = Pt(9 if grid.width < 15 else 8)


def _docx_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
