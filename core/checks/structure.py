"""Structure: the six sections, the statutory tables, their rows and cells (C03, C05, C07–C09, C15).

- ``section.missing`` (error, C03): one finding per absent section.
- ``table.missing`` (error, C05/C07/C09): a statutory table is absent; its cells are then
  neither reported blank nor summed.
- ``table.incomplete`` (error, C05/C07/C09): a table is present but rows of the format
  could not be found in it.
- ``t3.other_row_merged`` (warning, C08): a 2021-format report prints (六)其他处理 as one
  row. rules.md rates C08 an error, but the contract accepts the layout (values under
  ``t3.r3_6.*``, summed as one row) and real reports print it (洪泽区 2023, 2024): the
  figures stay checkable, so it is flagged for the inspector rather than failed.
- ``cell.blank`` (error, C15): cells left blank (or holding "/", "—") where the format
  asks for a number; one finding per table listing every such cell.
"""

from __future__ import annotations

from core.checks.common import (
    ERROR,
    SECTION_NAMES,
    T4_SHORT_ROWS,
    TABLE_NAMES,
    TABLE_SHORT,
    WARNING,
    Context,
    finding,
    row_label,
)
from core.model import BLANK, MISSING, NA, Finding
from core.template import SECTION_IDS, T3_LABELS

TABLE_CHECK = {"t2": "C05", "t3": "C07", "t4": "C09"}


def run(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    out += _sections(ctx)
    out += _tables(ctx)
    return out


def _sections(ctx: Context) -> list[Finding]:
    out = []
    secs = ctx.report.sections or {}
    for s in SECTION_IDS:
        if secs.get(s, True) is False:
            out.append(finding(
                "section.missing", ERROR,
                f"报告缺少第{'一二三四五六'[int(s[1]) - 1]}部分「{SECTION_NAMES[s]}」。"
                "年度报告须包括格式规定的六个部分，不能遗漏。",
                check="C03", section=s))
    return out


def _tables(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    if ctx.fmt is None:
        # No statutory table recognised at all.
        for t in ("t2", "t3", "t4"):
            if ctx.report.tables_found.get(t, False) is False:
                out.append(_missing(ctx, t))
        return out
    for t in ("t2", "t3", "t4"):
        if not ctx.table_present(t):
            out.append(_missing(ctx, t))
            continue
        keys = ctx.table_keys(t)
        if t == "t3" and ctx.merged_other:
            out.append(_merged(ctx))
        absent = [k for k in keys if ctx.kind(k) == MISSING]
        if absent:
            rows = _rows_of(ctx, absent)
            out.append(finding(
                "table.incomplete", ERROR,
                f"{TABLE_SHORT[t]}缺少格式规定的行或栏目：{'、'.join(rows[:8])}"
                f"{' 等' if len(rows) > 8 else ''}（共 {len(absent)} 个单元格未找到）。"
                "表格的行、列不得删减。",
                check=TABLE_CHECK[t], cells=absent, table=t))
        blank = [k for k in keys if ctx.kind(k) in (BLANK, NA)]
        if blank:
            out.append(_blank(ctx, t, blank))
    return out


def _missing(ctx: Context, t: str) -> Finding:
    return finding(
        "table.missing", ERROR,
        f"报告未按格式列出{TABLE_NAMES[t]}统计表。年度报告应以格式规定的表格报送该部分数据。",
        check=TABLE_CHECK[t], table=t)


def _merged(ctx: Context) -> Finding:
    cells = [f"t3.r3_6.{c}" for c in T3_LABELS]
    return finding(
        "t3.other_row_merged", WARNING,
        "表三「（六）其他处理」只列了一行。2021年版格式要求分为三行：1.申请人无正当理由逾期不补正、"
        "行政机关不再处理其政府信息公开申请；2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理"
        "其政府信息公开申请；3.其他。",
        check="C08", cells=cells, table="t3")


def _blank(ctx: Context, t: str, blank: list[str]) -> Finding:
    rows = _rows_of(ctx, blank)
    total_only = t == "t3" and all(not k.endswith(".total") for k in blank) and len(rows) > 3
    hint = "（仅填写了「总计」列，分列数据空缺）" if total_only else ""
    if len(blank) == len(ctx.table_keys(t)):
        return finding(
            "cell.blank", ERROR,
            f"{TABLE_SHORT[t]}印出了表格但全部 {len(blank)} 个单元格均未填数字。"
            "没有发生的事项应填 0，整张统计表空白视为未报送该部分数据。",
            check="C15", cells=blank, table=t)
    return finding(
        "cell.blank", ERROR,
        f"{TABLE_SHORT[t]}有 {len(blank)} 个单元格未填数字{hint}，涉及：{'、'.join(rows[:6])}"
        f"{' 等' if len(rows) > 6 else ''}。格式中每个统计单元格都应填写数字，没有发生的应填 0,"
        "不能留空或填「/」「—」。",
        check="C15", cells=blank, table=t)


def _rows_of(ctx: Context, keys: list[str]) -> list[str]:
    """The printed names of the rows the cells belong to, in order, each once."""
    t2_rows = {r: lbl for g in ctx.fmt.t2_groups for r, lbl in g.rows} if ctx.fmt else {}
    seen: dict[str, None] = {}
    for k in keys:
        t, row, _ = k.split(".")
        if t == "t3":
            name = row_label(row)
        elif t == "t4":
            name = T4_SHORT_ROWS.get(row, row)
        else:
            name = t2_rows.get(row, row)
        seen[f"「{name}」"] = None
    return list(seen)
