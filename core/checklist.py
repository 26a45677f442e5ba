"""The compliance checklist (审查表): one line per check, as HTML to print or save as PDF.

:data:`CHECKS` lists the checklist's lines, one per check C01–C30 of
``shared/spec/rules.md``, each with its label, its basis (the 《条例》 article or the
format's rule) and the checker rules that decide it. :func:`evaluate` turns a report's
findings and the inspector's verdicts into one :class:`CheckLine` per check:

- 不通过: a finding of the line failed (an error, or a warning the checker raised) and
  was not dismissed by the inspector; a confirmed finding always fails its line;
- 无法判断: the line's findings are only uncertain (a blank operand, a missing date), or
  the data it needs is not there (no table 三, no prose, no previous year's report);
- 不适用: the check does not apply to this report (a 2021-format rule on a 2019-format
  report, a people's-government rule on a department's report);
- 通过: nothing of the line was found, or only findings the inspector dismissed (they
  are still printed, marked 已排除 with the reason).

:func:`render_report_html` prints one report's checklist on A4 and
:func:`render_summary_html` a batch summary (one row per report, one column per check).
The HTML keeps to what Qt's rich text (QTextDocument) lays out: tables with
``border``/``cellpadding``/``bgcolor``, font sizes and colours; ``gui.printing`` prints it.
Pure Python: no Qt here.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from core.checker import cause_note, group_by_cause
from core.checks.common import cell_label, fmt_num, is_government
from core.model import Finding, Report

PASS, FAIL, UNKNOWN, NOT_APPLICABLE = "通过", "不通过", "无法判断", "不适用"
STATUSES = (PASS, FAIL, UNKNOWN, NOT_APPLICABLE)
# One character per status for the batch summary (all in Noto Sans CJK, so they print).
SYMBOLS = {PASS: "✓", FAIL: "×", UNKNOWN: "?", NOT_APPLICABLE: "—"}
COLOURS = {PASS: "#1b5e20", FAIL: "#b71c1c", UNKNOWN: "#8a5a00", NOT_APPLICABLE: "#666666"}
BACKGROUNDS = {PASS: "#ffffff", FAIL: "#fde7e7", UNKNOWN: "#fff4d6", NOT_APPLICABLE: "#f2f2f2"}

REG = "《条例》"
F60 = "国办公开办函〔2019〕60号"
F30 = "国办公开办函〔2021〕30号"
FMT = "年度报告格式(60号/30号)"
FEE = "国办函〔2020〕109号"
FORMAT_NAMES = {"2019": f"2019年版({F60})", "2021": f"2021年版({F30})"}
KIND_NAMES = {"pdf": "PDF", "scanned-pdf": "扫描 PDF", "docx": "DOCX", "doc": "DOC",
              "html": "HTML", "txt": "TXT"}
MAX_CELLS = 6  # cells named per finding; the rest are counted
CHART_WIDTH = 470  # px (1/96 inch) of a chart in the summary: two side by side


@dataclass(frozen=True)
class Check:
    """One line of the checklist."""

    id: str  # the C-id of rules.md, also the summary's column head
    group: str
    label: str
    basis: str
    rules: tuple[str, ...]  # the checker rules that decide it
    # Findings of these rules mean "cannot tell" rather than "fails" (a missing date).
    unknown_rules: tuple[str, ...] = ()


G1, G2, G3, G4, G5, G6 = ("一、报告要素与发布", "二、法定统计表", "三、统计表勾稽关系",
                          "四、正文与统计表一致", "五、报告内容",
                          "六、跨年度核对（数据库中有上一年度报告时）")
GROUPS = (G1, G2, G3, G4, G5, G6)
GROUP_SHORT = {G1: "要素与发布", G2: "法定统计表", G3: "勾稽关系", G4: "文表一致", G5: "报告内容",
               G6: "跨年度"}

_FULL_WIDTH = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "：", ";": "；"})


def _zh(text: str) -> str:
    """Full-width punctuation, as a printed official form has it."""
    return text.translate(_FULL_WIDTH)


def _check(id_: str, group: str, label: str, basis: str, rules: tuple[str, ...],
           unknown_rules: tuple[str, ...] = ()) -> Check:
    return Check(id_, group, _zh(label), _zh(basis), rules, unknown_rules)


CHECKS: tuple[Check, ...] = (
    _check("C01", G1, "能够确定报告所属年度(标题或统计期限)",
           f"{REG}第四十九条;统计期限为上一年度1月1日至12月31日", ("year.missing",)),
    _check("C02", G1, "使用与年度相符的现行格式(2019、2020年度用60号格式,2021年度起用30号格式)",
           f"{REG}第五十条;{F60};{F30}", ("format.outdated",)),
    _check("C03", G1, "六个部分(总体情况至其他需要报告的事项)齐全且顺序正确",
           f"{REG}第五十条;{FMT}", ("section.missing", "section.order")),
    _check("C04", G1, "各部分标题与格式规定一致", FMT, ("label.deviates",)),
    _check("C20", G1, "标题、统计期限与报告年度一致",
           "统计期限为上一年度1月1日至12月31日(DB51/T 2660—2019 §2.1)", ("year.inconsistent",)),
    _check("C21", G1, "按时发布(政府部门次年1月31日前,人民政府本级报告次年3月31日前)",
           f"{REG}第四十九条(本地规定的时限从其规定)",
           ("publication.late", "publication.date_missing", "publication.date_implausible"),
           unknown_rules=("publication.date_missing", "publication.date_implausible")),
    _check("C28", G1, "开头说明编制依据和统计期限", f"{F30}报告内容说明", ("preamble.incomplete",)),
    _check("C05", G2, "表二「主动公开政府信息情况」齐全(第二十条各项)",
           f"{REG}第五十条第(一)项;{FMT}表二", ("table.missing", "table.incomplete")),
    _check("C06", G2, "表二栏目名称与格式一致", f"{FMT}表二", ("label.deviates",)),
    _check("C07", G2, "表三「收到和处理政府信息公开申请情况」齐全(7个申请人栏目、全部办理结果行)",
           f"{REG}第五十条第(二)项;{FMT}表三",
           ("table.missing", "table.incomplete", "label.deviates")),
    _check("C08", G2, "表三「(六)其他处理」分为三行(2021年版)", f"{F30}表三",
           ("t3.other_row_merged",)),
    _check("C09", G2, "表四「行政复议、行政诉讼情况」齐全(复议、直接起诉、复议后起诉各5栏)",
           f"{REG}第五十条第(三)项;{FMT}表四", ("table.missing", "table.incomplete")),
    _check("C14", G2, "统计数字为非负整数,收费金额为非负数", f"{FMT}各表栏目", ("cell.invalid",)),
    _check("C15", G2, "统计单元格均已填写(未发生的填0,不留空、不填「/」)", f"{FMT}各表栏目",
           ("cell.blank",)),
    _check("C16", G2, "表二收费金额以万元填报、数额合理(2021年版)",
           f"{F30}表二「本年收费金额(单位:万元)」", ("t2.fee_implausible",)),
    _check("C10", G3, "表三每列:一、本年新收 + 二、上年结转 = 三(七)总计 + 四、结转下年度",
           "表三表头注:第一项加第二项之和,等于第三项加第四项之和", ("t3.balance",)),
    _check("C11", G3, "表三每行:总计 = 自然人 + 法人或其他组织五列", f"{FMT}表三栏目结构",
           ("t3.row_sum",)),
    _check("C12", G3, "表三每列:三(七)总计 = (一)至(六)各项办理结果之和", f"{FMT}表三栏目结构",
           ("t3.outcome_sum",)),
    _check("C13", G3, "表四各类:总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
           f"{FMT}表四栏目结构", ("t4.row_sum",)),
    _check("C19", G4, "正文所述数字(申请、复议、诉讼、文件件数)与统计表一致",
           f"{REG}第五十条;前后数据不一致属「数据失准」(粤办函〔2010〕249号)",
           ("text.contradicts_table",)),
    _check("C30", G4, "正文所述有无申请与表三是否全为0相符",
           f"{REG}第五十条;「数据失准」(粤办函〔2010〕249号)", ("text.contradicts_table",)),
    _check("C25", G5, "总体情况涵盖主动公开、依申请公开、政府信息管理、平台建设、监督保障",
           f"{F30}报告内容说明", ("section1.content",)),
    _check("C24", G5, "人民政府报告工作考核、社会评议和责任追究结果", f"{REG}第五十条第(四)项",
           ("content.assessment_missing",)),
    _check("C23", G5, "第五部分写明存在的主要问题和改进措施(人民政府含上年问题整改情况)",
           f"{REG}第五十条第(四)项;{F30}", ("section5.content",)),
    _check("C22", G5, "第六部分说明信息处理费收取情况(2021年版)", f"{F30};{FEE}",
           ("section6.fee_statement",)),
    _check("C27", G5, "第六部分不为空、不只写「无」(2021年版)", f"{F30}报告内容说明",
           ("section6.empty",)),
    _check("C29", G5, "表三「逾期未缴纳费用」与正文收费表述一致(2021年版)", FEE,
           ("fee.notice_inconsistent",)),
    _check("C17", G6, "表三「二、上年结转」= 上一年度报告「四、结转下年度继续办理」",
           "上年结转数应等于上一年度报告的结转下年度继续办理数", ("crossyear.carry_over",)),
    _check("C18", G6, "表二现行有效件数 = 上年现行有效 + 本年制发 − 本年废止(2021年版)",
           "现行有效件数的年度衔接", ("crossyear.in_force",)),
    _check("C26", G6, "内容和数据未照搬上一年度报告",
           f"{F30}「明确责任」:内容雷同的依{REG}第四十七条追究责任",
           ("crossyear.copied_text", "crossyear.identical_tables")),
)
CHECK_BY_ID = {c.id: c for c in CHECKS}
OTHER = Check("其他", "七、其他发现", "其他发现", "", ())


# --- evaluating --------------------------------------------------------------------------


@dataclass
class LineItem:
    """One finding as the checklist prints it."""

    message: str
    rule: str
    severity: str
    status: str  # the finding's: fail | uncertain
    cells: list[tuple[str, str]] = field(default_factory=list)  # (key, label)
    verdict: str | None = None  # confirmed | dismissed
    reason: str | None = None
    fingerprint: str = ""
    note: str | None = None  # "一处更正可同时修复以下 N 项" for a shared cause


@dataclass
class CheckLine:
    """One check's result on one report."""

    check: Check
    status: str  # 通过 | 不通过 | 无法判断 | 不适用
    items: list[LineItem] = field(default_factory=list)
    note: str = ""  # why it cannot be judged or does not apply

    @property
    def id(self) -> str:
        return self.check.id

    @property
    def label(self) -> str:
        return self.check.label

    @property
    def basis(self) -> str:
        return self.check.basis

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.status]


def _verdict(v: Any) -> tuple[str | None, str | None]:
    """(verdict, reason) from a string, a (verdict, reason) pair, a dict or an object with
    ``verdict``/``reason`` attributes (core.store.StoredFinding, gui.backend.Verdict)."""
    if v is None:
        return None, None
    if isinstance(v, str):
        return v, None
    if isinstance(v, tuple | list):
        return (v[0] if v else None), (v[1] if len(v) > 1 else None)
    if isinstance(v, Mapping):
        return v.get("verdict"), v.get("reason")
    return getattr(v, "verdict", None), getattr(v, "reason", None)


def _line_of(f: Finding) -> str:
    if f.check in CHECK_BY_ID:
        return f.check
    for c in CHECKS:
        if f.rule in c.rules:
            return c.id
    return OTHER.id


def _cells(f: Finding, fmt: str | None) -> list[tuple[str, str]]:
    return [(k, cell_label(k, fmt)) for k in f.cells]


def evaluate(report: Report, findings: Iterable[Finding] | None = None,
             verdicts: Mapping[str, Any] | None = None, *,
             previous: Report | None = None) -> list[CheckLine]:
    """One :class:`CheckLine` per entry of :data:`CHECKS` (plus one for findings of no check).

    ``findings`` default to ``report.findings``. ``verdicts`` maps a finding's
    fingerprint to the inspector's verdict ("confirmed"/"dismissed", a (verdict, reason)
    pair, or an object with ``verdict`` and ``reason``). ``previous`` is the agency's
    previous report, if the database has one: without it the cross-year lines cannot be
    judged (unless the findings show they were).
    """
    found = list(report.findings if findings is None else findings)
    verdicts = verdicts or {}
    by_line: dict[str, list[Finding]] = {}
    for f in found:
        by_line.setdefault(_line_of(f), []).append(f)
    crossyear = any(f.rule.startswith("crossyear.") for f in found)
    out: list[CheckLine] = []
    for check in (*CHECKS, OTHER):
        fs = by_line.get(check.id, [])
        if check is OTHER and not fs:
            continue
        items = _items(fs, verdicts, report.format)
        active = [i for i in items if i.verdict != "dismissed"]
        failing = [i for i in active if i.verdict == "confirmed"
                   or (i.status == "fail" and i.rule not in check.unknown_rules)]
        if failing:
            status, note = FAIL, ""
        elif active:
            status, note = UNKNOWN, ""
        else:
            status, note = _without_findings(check, report, previous, crossyear)
        out.append(CheckLine(check, status, items, note))
    return out


def _items(fs: list[Finding], verdicts: Mapping[str, Any], fmt: str | None) -> list[LineItem]:
    items = []
    for group in group_by_cause(fs):
        note = cause_note(group, cell_label(group[0].cause, fmt) if group[0].cause else None)
        for i, f in enumerate(group):
            verdict, reason = _verdict(verdicts.get(f.fingerprint))
            items.append(LineItem(f.message, f.rule, f.severity, f.status, _cells(f, fmt),
                                  verdict, reason, f.fingerprint, note if i == 0 else None))
    return items


def _has_text(report: Report, section: str | None = None) -> bool:
    if section is None:
        return len("".join((report.text or "").split())) >= 200
    return bool((report.section_text or {}).get(section, "").strip())


def _table(report: Report, t: str) -> bool:
    found = report.tables_found or {}
    if t in found:
        return bool(found[t])
    return any(k.startswith(t + ".") and c.kind != "missing" for k, c in report.cells.items())


def _without_findings(check: Check, r: Report, previous: Report | None,
                      crossyear: bool) -> tuple[str, str]:
    """Status of a line that has no open finding: passed, or why it cannot be judged."""
    new_format = r.format == "2021" or (r.year or 0) >= 2021
    c = check.id
    if c in ("C02", "C20", "C21") and r.year is None:
        return UNKNOWN, "未能确定报告年度"
    if c == "C02" and r.format is None:
        return UNKNOWN, "未识别出统计表格式"
    if c == "C03" and not r.sections:
        return UNKNOWN, "未能识别报告的各部分"
    if c in ("C04", "C28") and not _has_text(r):
        return UNKNOWN, "未读取到报告正文"
    if c in ("C05", "C07", "C09", "C14", "C15") and r.format is None:
        return UNKNOWN, "未识别出统计表格式"
    if c == "C06":
        if r.format is None or not _table(r, "t2"):
            return UNKNOWN, "未读取到表二"
        if not _has_text(r):
            return UNKNOWN, "未读取到报告正文"
    if c in ("C08", "C16", "C29") and r.format != "2021":
        return NOT_APPLICABLE, "仅适用于2021年版格式"
    if c == "C16" and not _table(r, "t2"):
        return UNKNOWN, "未读取到表二"
    if c in ("C10", "C11", "C12") and (r.format is None or not _table(r, "t3")):
        return UNKNOWN, "未读取到表三,无法核对"
    if c == "C13" and (r.format is None or not _table(r, "t4")):
        return UNKNOWN, "未读取到表四,无法核对"
    if c in ("C19", "C30"):
        if not _has_text(r):
            return UNKNOWN, "未读取到报告正文"
        if r.format is None or not _table(r, "t3"):
            return UNKNOWN, "未读取到表三,无法核对"
    if c == "C24":
        if not is_government(r):
            return NOT_APPLICABLE, "仅适用于人民政府的年度报告"
        if not (_has_text(r, "s1") or _has_text(r, "s5")):
            return UNKNOWN, "未读取到第一、五部分正文"
    if c == "C25":
        if not new_format:
            return NOT_APPLICABLE, "仅适用于2021年版格式"
        if not _has_text(r, "s1"):
            return UNKNOWN, "未读取到第一部分正文"
    if c == "C23" and not _has_text(r, "s5"):
        return UNKNOWN, "未读取到第五部分正文"
    if c in ("C22", "C27"):
        if not new_format:
            return NOT_APPLICABLE, "仅适用于2021年版格式"
        if "s6" not in (r.section_text or {}):
            return UNKNOWN, "未读取到第六部分正文"
    if c in ("C17", "C18", "C26"):
        return _cross_year(c, r, previous, crossyear)
    return PASS, ""


def _cross_year(c: str, r: Report, previous: Report | None, crossyear: bool) -> tuple[str, str]:
    if c == "C18" and r.format != "2021":
        return NOT_APPLICABLE, "仅适用于2021年版格式"
    if previous is None:
        if crossyear:  # the checker had a previous report: its silence here is a pass
            return PASS, ""
        return UNKNOWN, "数据库中没有该机关上一年度的报告"
    if c in ("C17", "C18") and (r.year is None or previous.year != r.year - 1):
        return UNKNOWN, f"数据库中该机关最近的报告为{previous.year or '?'}年度,不是上一年度"
    if c == "C18" and previous.format != "2021":
        return UNKNOWN, "上一年度报告不是2021年版格式"
    return PASS, f"已与{previous.year or '?'}年度报告核对"


def counts(lines: Iterable[CheckLine]) -> dict[str, int]:
    """How many lines have each status (every status present, zeros included)."""
    out = dict.fromkeys(STATUSES, 0)
    for line in lines:
        out[line.status] += 1
    return out


# --- the database side -------------------------------------------------------------------


def previous_report(store: Any, report: Report, report_id: int | None = None) -> Report | None:
    """The same agency's latest report before this one's year (latest revision), if any."""
    if not report.agency or report.year is None:
        return None
    rows = [r for r in store.list_reports(agency=report.agency)
            if r["agency"] == report.agency and r["year"] is not None
            and r["year"] < report.year and r["id"] != report_id]
    if not rows:
        return None
    best = max(rows, key=lambda r: (r["year"], r["revision"]))
    return store.effective_report(best["id"], with_findings=False)


def lines_for(store: Any, report_id: int) -> tuple[Report, list[CheckLine]]:
    """The effective report and its checklist lines, verdicts and previous year included."""
    report = store.effective_report(report_id, with_findings=False)
    stored = store.findings(report_id)
    report.findings = [sf.finding for sf in stored]
    verdicts = {sf.finding.fingerprint: sf for sf in stored if sf.verdict}
    return report, evaluate(report, report.findings, verdicts,
                            previous=previous_report(store, report, report_id))


def checklist_html(store: Any, report_id: int, *, reviewer: str | None = None,
                   review_date: date | str | None = None) -> str:
    """A stored report's checklist as HTML (reviewer defaults to the one recorded)."""
    row = store.get_report(report_id)
    report, lines = lines_for(store, report_id)
    return render_report_html(
        report, lines, store.history(report_id), reviewer or row.get("reviewer") or "",
        review_date, report_id=report_id, revision=row.get("revision"),
        review_status=row.get("status"))


@dataclass
class SummaryRow:
    """One report in the batch summary."""

    agency: str | None
    year: int | None
    file: str
    lines: list[CheckLine]
    report_id: int | None = None
    published: str | None = None


def summary_rows(store: Any, report_ids: Iterable[int]) -> list[SummaryRow]:
    out = []
    for rid in report_ids:
        report, lines = lines_for(store, rid)
        out.append(SummaryRow(report.agency, report.year, report.file, lines, rid,
                              report.published))
    return out


def effective_corrections(history: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The corrections that still stand: undone ones and the undo rows themselves left out."""
    rows = list(history)
    undone = {h.get("undoes") for h in rows if h.get("undoes") is not None}
    return [h for h in rows if h.get("undoes") is None and not h.get("undone_by")
            and h.get("id") not in undone]


# --- HTML --------------------------------------------------------------------------------


def _e(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _zh_date(d: date | datetime | str | None) -> str:
    if d is None or d == "":
        return ""
    if isinstance(d, str):
        try:
            d = date.fromisoformat(d[:10])
        except ValueError:
            return d
    return f"{d.year}年{d.month}月{d.day}日"


def _value(v: Any) -> str:
    return "空白" if v is None or v == "" else fmt_num(v)


_STYLE = ("body { font-size: 9pt; } "
          "h1 { font-size: 16pt; font-weight: bold; text-align: center; margin: 0; } "
          "h2 { font-size: 10.5pt; font-weight: bold; margin-top: 6px; margin-bottom: 2px; } "
          "td, th { vertical-align: top; } "
          "th { font-weight: bold; background-color: #e8e8e8; } ")
_TABLE = ('<table border="1" cellspacing="0" cellpadding="2" width="100%" '
          'style="border-collapse: collapse; border-color: #555555;">')
_GREY = "#f0f0f0"


def _small(text: str, size: str = "7.5pt", colour: str = "#555555") -> str:
    return f'<span style="font-size: {size}; color: {colour};">{text}</span>'


def _status_cell(status: str) -> str:
    weight = "bold" if status in (FAIL, UNKNOWN) else "normal"
    return (f'<td align="center" nowrap="nowrap" bgcolor="{BACKGROUNDS[status]}">'
            f'<span style="color: {COLOURS[status]}; font-weight: {weight};">'
            f"{_e(status)}</span></td>")


def _item_html(item: LineItem) -> str:
    tag = ""
    if item.verdict == "dismissed":
        tag = f'<span style="color: #555555;">〔已排除：{_e(item.reason or "未说明理由")}〕</span>'
    elif item.verdict == "confirmed":
        tag = '<span style="color: #b71c1c;">〔已确认〕</span>'
    elif item.status == "uncertain":
        tag = '<span style="color: #8a5a00;">〔待核实〕</span>'
    elif item.severity != "error":
        tag = '<span style="color: #8a5a00;">〔提示〕</span>'
    text = _small(_e(item.message), "8pt", "#777777" if item.verdict == "dismissed" else "#000000")
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
        f'<tr><td bgcolor="{_GREY}">报告格式</td><td>{_e(_zh(fmt))}</td>'
        f'<td bgcolor="{_GREY}">发布日期</td>'
        f"<td>{_e(_zh_date(report.published) or '未找到')}</td></tr>",
        f'<tr><td bgcolor="{_GREY}">报告标题</td><td>{_e(report.title or "")}</td>'
        f'<td bgcolor="{_GREY}">数据库编号</td><td>{_e(ident or "—")}</td></tr>',
        f'<tr><td bgcolor="{_GREY}">文件名</td><td colspan="3">{_e(report.file)} '
        + _small(f"（{_e(kind)}{pages}）", "8pt") + "</td></tr>",
        f'<tr><td bgcolor="{_GREY}">SHA-256</td><td colspan="3">'
        f'<span style="font-size: 8pt; font-family: monospace;">{_e(report.sha256)}</span>'
        "</td></tr>",
        "</table>",
    ]


def render_report_html(report: Report, lines: Sequence[CheckLine],
                       corrections: Iterable[Mapping[str, Any]] | None = None,
                       reviewer: str | None = None,
                       review_date: date | datetime | str | None = None, *,
                       report_id: int | None = None, revision: int | None = None,
                       review_status: str | None = None) -> str:
    """One report's checklist (A4 portrait): facts, one line per check, corrections, signature.

    ``corrections`` are rows of :meth:`core.store.ReportStore.history` (key, before,
    after, reviewer, reason, at; undone ones are left out). ``review_date`` defaults to
    today.
    """
    review_date = review_date or date.today()
    c = counts(lines)
    ident = "" if report_id is None else f"第 {report_id} 号"
    if revision and revision > 1:
        ident += f"（第 {revision} 版）"
    parts = [
        f"<html><head><meta charset='utf-8'><style>{_STYLE}</style></head><body>",
        "<h1>政府信息公开工作年度报告审查表</h1>",
        '<p align="center" style="font-size: 8.5pt; color: #444444; margin-top: 2px;">'
        "依据《中华人民共和国政府信息公开条例》和政府信息公开工作年度报告格式逐项核对</p>",
        *_facts_html(report, ident),
        f'<p style="margin-top: 5px; margin-bottom: 3px;">检查结果：通过 <b>{c[PASS]}</b> 项，'
        f'<span style="color: {COLOURS[FAIL]};">不通过 <b>{c[FAIL]}</b> 项</span>，'
        f'<span style="color: {COLOURS[UNKNOWN]};">无法判断 <b>{c[UNKNOWN]}</b> 项</span>，'
        f"不适用 {c[NOT_APPLICABLE]} 项。"
        + (f"审查状态：{_e(review_status)}。" if review_status else "") + "</p>",
        _TABLE,
        '<thead><tr><th width="5%">序号</th><th width="34%">检查项目</th>'
        '<th width="21%">依据</th><th width="10%">结果</th><th width="30%">发现的问题及涉及单元格'
        "</th></tr></thead>",
    ]
    current = None
    for n, line in enumerate(lines, 1):
        if line.check.group != current:
            current = line.check.group
            parts.append(f'<tr><td colspan="5" bgcolor="#dfe6ee"><b>{_e(current)}</b></td></tr>')
        parts.append(_line_row(n, line))
    parts.append("</table>")
    parts += _corrections_html(report, corrections)
    parts += [
        "<h2>审查意见</h2>",
        f"{_TABLE}<tr><td><br/><br/><br/></td></tr></table>",
        '<table width="100%" cellpadding="2" style="margin-top: 6px;"><tr>'
        f'<td width="50%">审查人：{_e(reviewer or "")}</td>'
        f'<td width="50%">审查日期：{_e(_zh_date(review_date))}</td></tr>'
        '<tr><td><br/>审查人签字：________________</td>'
        "<td><br/>日期：________________</td></tr></table>",
        "</body></html>",
    ]
    return "\n".join(parts)


def _corrections_html(report: Report, corrections: Iterable[Mapping[str, Any]] | None
                      ) -> list[str]:
    rows = effective_corrections(corrections or [])
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
        at = str(h.get("at") or "")[:16].replace("T", " ")
        out.append(
            f'<tr><td align="center">{i}</td><td>{_e(cell_label(key, report.format))}'
            '</td>'
            f'<td align="center">{_e(_value(h.get("before")))}</td>'
            f'<td align="center"><b>{_e(_value(h.get("after")))}</b></td>'
            f'<td>{_e(h.get("reviewer") or "")}</td><td>{_e(at)}</td>'
            f'<td>{_e(h.get("reason") or "")}</td></tr>')
    out.append("</table>")
    return out


def render_summary_html(rows: Sequence[SummaryRow], *,
                        charts: Iterable[tuple[str, str]] | None = None,
                        title: str = "政府信息公开工作年度报告审查汇总表",
                        generated: date | datetime | str | None = None,
                        reviewer: str | None = None) -> str:
    """The batch summary (A4 landscape): one row per report, one column per check.

    ✓ 通过, × 不通过, ? 无法判断, — 不适用; the foot counts each column. ``charts``
    are (caption, image) pairs, the image a file path or a ``data:`` URI.
    """
    checks = list(CHECKS)
    generated = generated or date.today()
    n = len(rows)
    parts = [
        f"<html><head><meta charset='utf-8'><style>{_STYLE}"
        "td, th { font-size: 7.5pt; } </style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f'<p align="center" style="font-size: 9pt; color: #444444;">共 {n} 份报告 · '
        f"生成日期 {_e(_zh_date(generated))}"
        + (f" · 审查人 {_e(reviewer)}" if reviewer else "")
        + " · ✓ 通过 × 不通过 ? 无法判断 — 不适用</p>",
        '<table border="1" cellspacing="0" cellpadding="2" width="100%" '
        'style="border-collapse: collapse; border-color: #444444;">',
        '<thead><tr><th width="3%" rowspan="2">序号</th>'
        '<th width="17%" rowspan="2">报告机关</th><th width="4%" rowspan="2">年度</th>',
    ]
    width = 66 / len(checks)
    for g in GROUPS:
        span = sum(1 for c in checks if c.group == g)
        parts.append(f'<th colspan="{span}">{_e(GROUP_SHORT[g])}</th>')
    parts.append('<th width="3.3%" rowspan="2">✓</th><th width="3.3%" rowspan="2">×</th>'
                 '<th width="3.3%" rowspan="2">?</th></tr><tr>')
    parts += [f'<th width="{width:.2f}%">{k}</th>' for k in range(1, len(checks) + 1)]
    parts.append("</tr></thead>")
    col_counts = [dict.fromkeys(STATUSES, 0) for _ in checks]
    for i, row in enumerate(rows, 1):
        by_id = {ln.id: ln for ln in row.lines}
        cells = []
        for j, c in enumerate(checks):
            ln = by_id.get(c.id)
            status = ln.status if ln else UNKNOWN
            col_counts[j][status] += 1
            cells.append(f'<td align="center" bgcolor="{BACKGROUNDS[status]}">'
                         f'<span style="color: {COLOURS[status]};">{SYMBOLS[status]}</span></td>')
        rc = counts(row.lines)
        name = row.agency or row.file
        parts.append(
            f'<tr><td align="center">{i}</td><td>{_e(name)}</td>'
            f'<td align="center">{_e(row.year or "?")}</td>{"".join(cells)}'
            f'<td align="center">{rc[PASS]}</td>'
            f'<td align="center"><span style="color: {COLOURS[FAIL]};">{rc[FAIL]}</span></td>'
            f'<td align="center">{rc[UNKNOWN]}</td></tr>')
    for status in (PASS, FAIL, UNKNOWN):
        foot = "".join(f'<td align="center">{cc[status] or ""}</td>' for cc in col_counts)
        total = sum(cc[status] for cc in col_counts)
        parts.append(f'<tr bgcolor="#eeeeee"><td colspan="3" align="right"><b>'
                     f"{SYMBOLS[status]} {status}（份）</b></td>{foot}"
                     f'<td colspan="3" align="center">{total}</td></tr>')
    parts.append("</table>")
    failing = sum(1 for r in rows if any(ln.status == FAIL for ln in r.lines))
    unknown = _unknown_only(rows)
    parts.append(f'<p style="margin-top: 4px;">有不通过项的报告 <b>{failing}</b> 份；'
                 f"无不通过项、但有无法判断项目的报告 {unknown} 份；"
                 f"全部检查项通过（或不适用）的报告 <b>{n - failing - unknown}</b> 份。</p>")
    parts += _legend(checks)
    charts = list(charts or [])
    if charts:
        # Two charts a row, on their own page: 2 × 2 fit one landscape A4 page.
        parts.append('<h2 style="page-break-before: always;">统计图表</h2>'
                     '<table width="100%" cellspacing="0" cellpadding="4">')
        for k in range(0, len(charts), 2):
            cells = []
            for caption, src in charts[k:k + 2]:
                cells.append(f'<td width="50%" align="center"><b>{_e(caption)}</b><br/>'
                             f'<img src="{_e(src)}" width="{CHART_WIDTH}"/></td>')
            parts.append(f"<tr>{''.join(cells)}</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _unknown_only(rows: Sequence[SummaryRow]) -> int:
    return sum(1 for r in rows if not any(ln.status == FAIL for ln in r.lines)
               and any(ln.status == UNKNOWN for ln in r.lines))


def _legend(checks: Sequence[Check]) -> list[str]:
    out = ["<h2>检查项目</h2>",
           '<table border="1" cellspacing="0" cellpadding="2" width="100%" '
           'style="border-collapse: collapse; border-color: #888888;">']
    half = (len(checks) + 1) // 2
    for i in range(half):
        cells = []
        for k in (i, i + half):
            if k >= len(checks):
                cells.append('<td width="4%"></td><td width="46%"></td>')
            else:
                c = checks[k]
                cells.append(f'<td width="4%" align="center">{k + 1}</td>'
                             f'<td width="46%">{_e(c.label)} '
                             f'<span style="color: #666666;">（{_e(c.id)}）</span></td>')
        out.append(f"<tr>{''.join(cells)}</tr>")
    out.append("</table>")
    return out
