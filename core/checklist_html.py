"""The papers as HTML: one report's checklist (A4 portrait) and the batch summary (A4 landscape).

Lays out :class:`core.checklist_paper.ChecklistPaper` and ``SummaryPaper``. The HTML keeps
to what Qt's rich text (QTextDocument) lays out: tables with ``border``/``cellpadding``/
``bgcolor``, font sizes and colours; ``render`` prints it. Pure Python: no Qt here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from core.catalogue import CHECKS, GROUP_SHORT, GROUPS, Check
from core.checklist_paper import ChecklistPaper, SignOff, SummaryPaper, SummaryRow
from core.checks.common import cell_label, fmt_num
from core.line_results import CheckLine, LineItem, counts
from core.model import Report
from core.resources import resource_text
from core.vocabulary import (
    CONCLUSION_COLOURS,
    CONFIRMED,
    DISMISSED,
    FAIL,
    LINE_RESULT_BACKGROUNDS,
    LINE_RESULT_COLOURS,
    LINE_RESULT_SYMBOLS,
    LINE_RESULTS,
    NOT_APPLICABLE,
    PASS,
    PENDING,
    UNKNOWN,
    severity_name,
    verdict_state,
)

FORMAT_NAMES = {"2019": "2019年版（国办公开办函〔2019〕60号）",
                "2021": "2021年版（国办公开办函〔2021〕30号）"}
KIND_NAMES = {"pdf": "PDF", "scanned-pdf": "扫描 PDF", "docx": "DOCX", "doc": "DOC",
              "html": "HTML", "txt": "TXT"}
MAX_CELLS = 6  # cells named per finding; the rest are counted
CHART_WIDTH = 470  # px (1/96 inch) of a chart in the summary: two side by side
CHECKLIST_TITLE = "政府信息公开工作年度报告审查表"
SUMMARY_TITLE = "政府信息公开工作年度报告审查汇总表"


def _e(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def zh_date(d: date | datetime | str | None) -> str:
    """2025年2月10日 (a string that is not an ISO date is printed as it is)."""
    if d is None or d == "":
        return ""
    if isinstance(d, str):
        try:
            day = date.fromisoformat(d[:10])
        except ValueError:
            return d
    else:
        day = d
    return f"{day.year}年{day.month}月{day.day}日"


def _value(v: Any) -> str:
    return "空白" if v is None or v == "" else fmt_num(v)


# The papers' style sheet ships in resources/ (comments dropped, one line as Qt takes it).
_STYLE = " ".join(re.sub(r"/\*.*?\*/", "", resource_text("checklist.css"),
                         flags=re.S).split()) + " "
_TABLE = ('<table border="1" cellspacing="0" cellpadding="2" width="100%" '
          'style="border-collapse: collapse; border-color: #555555;">')
_GREY = "#f0f0f0"


def _small(text: str, size: str = "7.5pt", colour: str = "#555555") -> str:
    return f'<span style="font-size: {size}; color: {colour};">{text}</span>'


def _status_cell(status: str) -> str:
    weight = "bold" if status in (FAIL, PENDING) else "normal"
    return (f'<td align="center" nowrap="nowrap" bgcolor="{LINE_RESULT_BACKGROUNDS[status]}">'
            f'<span style="color: {LINE_RESULT_COLOURS[status]}; font-weight: {weight};">'
            f"{_e(status)}</span></td>")


def _item_html(item: LineItem) -> str:
    if item.verdict == DISMISSED:
        tag = (f'<span style="color: #555555;">〔{verdict_state(DISMISSED)}，理由：'
               f'{_e(item.reason or "未说明")}〕</span>')
    elif item.verdict == CONFIRMED:
        tag = f'<span style="color: #b71c1c;">〔{verdict_state(CONFIRMED)}〕</span>'
    elif item.result == UNKNOWN:
        tag = f'<span style="color: {LINE_RESULT_COLOURS[UNKNOWN]};">〔{UNKNOWN}〕</span>'
    elif item.result == PENDING:
        tag = (f'<span style="color: {LINE_RESULT_COLOURS[PENDING]};">'
               f'〔{severity_name(item.severity)}·{PENDING}〕</span>')
    else:
        tag = f'<span style="color: #b71c1c;">〔{severity_name(item.severity)}〕</span>'
    text = _small(_e(item.message), "8pt", "#777777" if item.verdict == DISMISSED else "#000000")
    out = f"{tag}{text}"
    if item.cells:
        names = "、".join(_e(lbl) for _, lbl in item.cells[:MAX_CELLS])
        more = f" 等 {len(item.cells)} 个单元格" if len(item.cells) > MAX_CELLS else ""
        out += "<br/>" + _small(f"涉及单元格：{names}{more}", "7.5pt", "#444444")
    if item.note:
        out += "<br/>" + _small(_e(item.note), "7.5pt", "#1f4e9c")
    return out


def _line_row(n: int, line: CheckLine) -> str:
    detail = "<br/>".join(_item_html(i) for i in line.items)
    if line.note:
        detail += ("<br/>" if detail else "") + _small(_e(line.note), "8pt")
    return (f'<tr><td align="center">{n}<br/>{_small(_e(line.id), "6.5pt", "#777777")}</td>'
            f"<td>{_e(line.label)}</td><td>{_small(_e(line.basis), '7pt', '#333333')}</td>"
            f"{_status_cell(line.status)}<td>{detail}</td></tr>")


def _facts_html(report: Report, ident: str) -> list[str]:
    fmt = FORMAT_NAMES.get(report.format or "", "未识别")
    kind = KIND_NAMES.get(report.kind, report.kind)
    pages = f"，{report.pages} 页" if report.pages else ""
    year = f"{report.year}年度" if report.year else "未识别"
    return [
        _TABLE,
        f'<tr><td width="13%" bgcolor="{_GREY}">报告机关</td><td width="42%"><b>'
        f"{_e(report.agency or '未识别')}</b></td>"
        f'<td width="13%" bgcolor="{_GREY}">报告年度</td><td width="32%">{_e(year)}</td></tr>',
        f'<tr><td bgcolor="{_GREY}">报告格式</td><td>{_e(fmt)}</td>'
        f'<td bgcolor="{_GREY}">发布日期</td>'
        f"<td>{_e(zh_date(report.published) or '未找到')}</td></tr>",
        f'<tr><td bgcolor="{_GREY}">报告标题</td><td>{_e(report.title or "")}</td>'
        f'<td bgcolor="{_GREY}">数据库编号</td><td>{_e(ident or "—")}</td></tr>',
        f'<tr><td bgcolor="{_GREY}">文件名</td><td colspan="3">{_e(report.file)} '
        + _small(f"（{_e(kind)}{pages}）", "8pt") + "</td></tr>",
        f'<tr><td bgcolor="{_GREY}">SHA-256</td><td colspan="3">'
        f'<span style="font-size: 8pt; font-family: monospace;">{_e(report.sha256)}</span>'
        "</td></tr>",
        "</table>",
    ]


def counts_sentence(c: Mapping[str, int]) -> str:
    """检查结果：通过 N 项，不通过 N 项，待核实 N 项，无法判断 N 项，不适用 N 项。"""
    parts = []
    for status in LINE_RESULTS:
        n = f"<b>{c[status]}</b>" if status != NOT_APPLICABLE else str(c[status])
        text = f"{status} {n} 项"
        if status in (FAIL, PENDING, UNKNOWN):
            text = f'<span style="color: {LINE_RESULT_COLOURS[status]};">{text}</span>'
        parts.append(text)
    return "检查结果：" + "，".join(parts) + "。"


def _conclusion_html(paper: ChecklistPaper) -> list[str]:
    colour = CONCLUSION_COLOURS.get(paper.conclusion, "#000000")
    how = (f"由审查人改定（建议结论为「{_e(paper.proposed)}」）" if paper.overridden
           else "按检查结果建议")
    extra = ""
    if paper.overridden and paper.conclusion_reason:
        extra = f"<br/>改定理由：{_e(paper.conclusion_reason)}"
    pending = paper.counts[PENDING]
    if pending and not paper.overridden:
        extra += f"<br/>{_small(f'尚有 {pending} 项待核实，须由审查人确认或排除。', '8pt')}"
    who = "，".join(x for x in (paper.conclusion_by, _at(paper.conclusion_at)) if x)
    opinion = _e(paper.note).replace("\n", "<br/>") if paper.note else "<br/><br/>"
    note_who = "，".join(x for x in (paper.note_by, _at(paper.note_at)) if x)
    return [
        "<h2>审查结论与审查意见</h2>",
        _TABLE,
        f'<tr><td width="16%" bgcolor="{_GREY}">审查结论</td><td width="84%">'
        f'<span style="font-size: 12pt; font-weight: bold; color: {colour};">'
        f"{_e(paper.conclusion)}</span>　{_small(how, '8pt')}"
        + (f"　{_small(_e(who), '7.5pt')}" if paper.overridden and who else "")
        + f"{extra}</td></tr>",
        f'<tr><td bgcolor="{_GREY}">审查意见</td><td>{opinion}'
        + (f"<br/>{_small(_e(note_who), '7.5pt')}" if paper.note and note_who else "")
        + "</td></tr>",
        "</table>",
    ]


def _at(stamp: str | None) -> str:
    return (stamp or "")[:16].replace("T", " ")


def sign_off_html(sign: SignOff) -> list[str]:
    """The office, 审查人, 复核人, 日期 and a 盖章 area: the end of each paper."""
    blank = "＿＿＿＿＿＿＿＿"
    office = _e(sign.office) if sign.office else blank * 2
    return [
        '<table width="100%" cellpadding="3" style="margin-top: 8px;">',
        f'<tr><td width="62%">审查机关：{office}</td>'
        '<td width="38%" rowspan="4" align="center" valign="middle">'
        '<table border="1" cellspacing="0" cellpadding="4" width="90%" '
        'style="border-style: dashed; border-color: #999999;"><tr>'
        f'<td align="center" valign="middle"><br/><br/><br/>{_small("（盖章）", "9pt", "#999999")}'
        "<br/><br/><br/></td></tr></table></td></tr>",
        f"<tr><td>审查人：{_e(sign.reviewer) or blank}　　签字：{blank}</td></tr>",
        f"<tr><td>复核人：{_e(sign.checker) or blank}　　签字：{blank}</td></tr>",
        f"<tr><td>日期：{_e(zh_date(sign.date)) or blank}</td></tr>",
        "</table>",
    ]


def checklist_html(paper: ChecklistPaper) -> str:
    """One report's checklist: facts, conclusion and opinion, the lines, corrections, sign-off."""
    ident = "" if paper.report_id is None else f"第 {paper.report_id} 号"
    if paper.revision and paper.revision > 1:
        ident += f"（第 {paper.revision} 版）"
    parts = [
        f"<html><head><meta charset='utf-8'><style>{_STYLE}</style></head><body>",
        f"<h1>{CHECKLIST_TITLE}</h1>",
        '<p align="center" style="font-size: 8.5pt; color: #444444; margin-top: 2px;">'
        "依据《中华人民共和国政府信息公开条例》和政府信息公开工作年度报告格式逐项核对</p>",
        *_facts_html(paper.report, ident),
        f'<p style="margin-top: 5px; margin-bottom: 3px;">{counts_sentence(paper.counts)}'
        + (f"审查状态：{_e(paper.status)}。" if paper.status else "") + "</p>",
        *_conclusion_html(paper),
        "<h2>逐项检查</h2>",
        _TABLE,
        '<thead><tr><th width="5%">序号</th><th width="32%">检查项目</th>'
        '<th width="22%">依据</th><th width="9%">结果</th><th width="32%">发现的问题及涉及单元格'
        "</th></tr></thead>",
    ]
    current = None
    for n, line in enumerate(paper.lines, 1):
        if line.check.group != current:
            current = line.check.group
            parts.append(f'<tr><td colspan="5" bgcolor="#dfe6ee"><b>{_e(current)}</b></td></tr>')
        parts.append(_line_row(n, line))
    parts.append("</table>")
    parts += _corrections_html(paper.report, paper.corrections)
    parts += sign_off_html(paper.sign)
    parts.append("</body></html>")
    return "\n".join(parts)


def _corrections_html(report: Report, rows: Sequence[Mapping[str, Any]]) -> list[str]:
    out = ["<h2>人工更正记录</h2>"]
    if not rows:
        out.append("<p>无。检查所用数据均为从报告原文读取的数值。</p>")
        return out
    out += [_TABLE,
            '<thead><tr><th width="5%">序号</th><th width="33%">单元格</th>'
            '<th width="10%">原值</th><th width="10%">更正为</th><th width="12%">更正人</th>'
            '<th width="14%">时间</th><th width="16%">理由</th></tr></thead>']
    for i, h in enumerate(rows, 1):
        key = str(h.get("key", ""))
        out.append(
            f'<tr><td align="center">{i}</td><td>{_e(cell_label(key, report.format))}</td>'
            f'<td align="center">{_e(_value(h.get("before")))}</td>'
            f'<td align="center"><b>{_e(_value(h.get("after")))}</b></td>'
            f'<td>{_e(h.get("reviewer") or "")}</td><td>{_e(_at(h.get("at")))}</td>'
            f'<td>{_e(h.get("reason") or "")}</td></tr>')
    out.append("</table>")
    return out


# --- the batch summary -----------------------------------------------------------------------


def summary_html(paper: SummaryPaper) -> str:
    """The batch summary: one row per report, one column per check (✓ × ! ? —), the
    conclusion of each report, the count of each column, the legend, the charts and the
    sign-off. Nothing forces a page break: the legend and the charts follow the table, and
    a chart row that does not fit starts the next page."""
    checks = list(CHECKS)
    rows = paper.rows
    n = len(rows)
    legend = " ".join(f"{LINE_RESULT_SYMBOLS[s]} {s}" for s in LINE_RESULTS)
    parts = [
        f"<html><head><meta charset='utf-8'><style>{_STYLE}"
        "td, th { font-size: 7.5pt; } </style></head><body>",
        f"<h1>{_e(paper.title)}</h1>",
        f'<p align="center" style="font-size: 9pt; color: #444444;">共 {n} 份报告 · '
        f"{_e(zh_date(paper.sign.date))} · {legend}</p>",
        '<table border="1" cellspacing="0" cellpadding="2" width="100%" '
        'style="border-collapse: collapse; border-color: #444444;">',
        '<thead><tr><th width="3%" rowspan="2">序号</th>'
        '<th width="15%" rowspan="2">报告机关</th><th width="3.5%" rowspan="2">年度</th>',
    ]
    width = 60 / len(checks)
    for g in GROUPS:
        span = sum(1 for c in checks if c.group == g)
        parts.append(f'<th colspan="{span}">{_e(GROUP_SHORT[g])}</th>')
    heads = "".join(f'<th width="2.6%" rowspan="2">{LINE_RESULT_SYMBOLS[s]}</th>'
                    for s in (FAIL, PENDING, UNKNOWN))
    parts.append(f'{heads}<th width="5.7%" rowspan="2">结论</th></tr><tr>')
    parts += [f'<th width="{width:.2f}%">{k}</th>' for k in range(1, len(checks) + 1)]
    parts.append("</tr></thead>")
    col_counts = [dict.fromkeys(LINE_RESULTS, 0) for _ in checks]
    for i, row in enumerate(rows, 1):
        parts.append(_summary_row(i, row, checks, col_counts))
    for status in (PASS, FAIL, PENDING, UNKNOWN):
        foot = "".join(f'<td align="center">{cc[status] or ""}</td>' for cc in col_counts)
        total = sum(cc[status] for cc in col_counts)
        parts.append(f'<tr bgcolor="#eeeeee"><td colspan="3" align="right"><b>'
                     f"{LINE_RESULT_SYMBOLS[status]} {status}（份）</b></td>{foot}"
                     f'<td colspan="4" align="center">{total}</td></tr>')
    parts.append("</table>")
    parts.append(f'<p style="margin-top: 4px;">{summary_sentence(rows)}</p>')
    parts += _legend(checks)
    parts += _charts(paper.charts)
    parts += sign_off_html(paper.sign)
    parts.append("</body></html>")
    return "\n".join(parts)


def _summary_row(i: int, row: SummaryRow, checks: Sequence[Check],
                 col_counts: list[dict[str, int]]) -> str:
    by_id = {ln.id: ln for ln in row.lines}
    cells = []
    for j, c in enumerate(checks):
        ln = by_id.get(c.id)
        status = ln.status if ln else UNKNOWN
        col_counts[j][status] += 1
        cells.append(f'<td align="center" bgcolor="{LINE_RESULT_BACKGROUNDS[status]}">'
                     f'<span style="color: {LINE_RESULT_COLOURS[status]};">'
                     f"{LINE_RESULT_SYMBOLS[status]}</span></td>")
    rc = counts(row.lines)
    tail = "".join(
        f'<td align="center"><span style="color: {LINE_RESULT_COLOURS[s]};">{rc[s]}</span></td>'
        for s in (FAIL, PENDING, UNKNOWN))
    colour = CONCLUSION_COLOURS.get(row.conclusion, "#000000")
    return (f'<tr><td align="center">{i}</td><td>{_e(row.agency or row.file)}</td>'
            f'<td align="center">{_e(row.year or "?")}</td>{"".join(cells)}{tail}'
            f'<td align="center"><span style="color: {colour};"><b>{_e(row.conclusion)}</b>'
            "</span></td></tr>")


def summary_sentence(rows: Sequence[SummaryRow]) -> str:
    """有不通过项的报告 N 份；无不通过项、有待核实项的 N 份；… (by the line rule)."""
    failing = sum(1 for r in rows if any(ln.status == FAIL for ln in r.lines))
    pending = sum(1 for r in rows if not any(ln.status == FAIL for ln in r.lines)
                  and any(ln.status == PENDING for ln in r.lines))
    unknown = sum(1 for r in rows if not any(ln.status in (FAIL, PENDING) for ln in r.lines)
                  and any(ln.status == UNKNOWN for ln in r.lines))
    clean = len(rows) - failing - pending - unknown
    return (f"有不通过项的报告 <b>{failing}</b> 份；无不通过项、但有待核实项的报告 {pending} 份；"
            f"仅有无法判断项的报告 {unknown} 份；"
            f"全部检查项通过（或不适用）的报告 <b>{clean}</b> 份。")


def _legend(checks: Sequence[Check]) -> list[str]:
    out = ["<h2>检查项目</h2>",
           '<table border="1" cellspacing="0" cellpadding="1" width="100%" '
           'style="border-collapse: collapse; border-color: #888888;">']
    third = (len(checks) + 2) // 3
    for i in range(third):
        cells = []
        for k in (i, i + third, i + 2 * third):
            if k >= len(checks):
                cells.append('<td width="3%"></td><td width="30%"></td>')
            else:
                c = checks[k]
                cells.append(f'<td width="3%" align="center">{k + 1}</td>'
                             f'<td width="30%">{_e(c.label)}</td>')
        out.append(f"<tr>{''.join(cells)}</tr>")
    out.append("</table>")
    return out


def _charts(charts: Iterable[tuple[str, str]]) -> list[str]:
    charts = list(charts)
    if not charts:
        return []
    out = ["<h2>统计图表</h2>", '<table width="100%" cellspacing="0" cellpadding="4">']
    for k in range(0, len(charts), 2):
        cells = [f'<td width="50%" align="center"><b>{_e(caption)}</b><br/>'
                 f'<img src="{_e(src)}" width="{CHART_WIDTH}"/></td>'
                 for caption, src in charts[k:k + 2]]
        out.append(f"<tr>{''.join(cells)}</tr>")
    out.append("</table>")
    return out
