"""The check catalogue: the checklist's lines C01–C30 as data.

Each :class:`Check` carries its id (the C-id of ``docs/spec/rules.md``), its group and
label, its national basis (:mod:`core.basis` adds a province's source under its profile),
the checker rules that decide it, and when it applies: ``needs`` names, in order, the
:data:`CONDITIONS` a report must meet before the line can be judged. A condition that
fails makes the line 无法判断 (the data is not there) or 不适用 (the rule is not for this
report), with the condition's note. Pure data and lookups; the results are computed in
:mod:`core.line_results`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.basis import DEFAULT_PROFILE, F30, FEE, REG_SHORT, compose
from core.checks.common import is_government
from core.model import Finding, Report
from core.vocabulary import NOT_APPLICABLE, UNKNOWN


@dataclass(frozen=True)
class Facts:
    """What applicability looks at: the report, the agency's previous report in the
    database, and whether the checker compared the two (cross-year findings exist)."""

    report: Report
    previous: Report | None = None
    compared: bool = False

    @property
    def new_format(self) -> bool:
        return self.report.format == "2021" or (self.report.year or 0) >= 2021


@dataclass(frozen=True)
class Condition:
    """A precondition of a line: when ``holds`` is false the line is ``result`` (无法判断
    or 不适用) with ``note`` (a string, or a function of the facts for a note that
    names something)."""

    holds: Callable[[Facts], bool]
    result: str
    note: str | Callable[[Facts], str]

    def note_for(self, facts: Facts) -> str:
        return self.note(facts) if callable(self.note) else self.note


def _has_text(r: Report, section: str | None = None) -> bool:
    if section is None:
        return len("".join((r.text or "").split())) >= 200
    return bool((r.section_text or {}).get(section, "").strip())


def _table(r: Report, t: str) -> bool:
    found = r.tables_found or {}
    if t in found:
        return bool(found[t])
    return any(k.startswith(t + ".") and c.kind != "missing" for k, c in r.cells.items())


def _previous_year_note(f: Facts) -> str:
    year = f.previous.year if f.previous else None
    return f"数据库中该机关最近的报告为{year or '?'}年度，不是上一年度"


CONDITIONS: dict[str, Condition] = {
    "year": Condition(lambda f: f.report.year is not None, UNKNOWN, "未能确定报告年度"),
    "format": Condition(lambda f: f.report.format is not None, UNKNOWN, "未识别出统计表格式"),
    "sections": Condition(lambda f: bool(f.report.sections), UNKNOWN, "未能识别报告的各部分"),
    "text": Condition(lambda f: _has_text(f.report), UNKNOWN, "未读取到报告正文"),
    "t2": Condition(lambda f: f.report.format is not None and _table(f.report, "t2"),
                    UNKNOWN, "未读取到表二"),
    "t3": Condition(lambda f: f.report.format is not None and _table(f.report, "t3"),
                    UNKNOWN, "未读取到表三，无法核对"),
    "t4": Condition(lambda f: f.report.format is not None and _table(f.report, "t4"),
                    UNKNOWN, "未读取到表四，无法核对"),
    "format2021": Condition(lambda f: f.report.format == "2021", NOT_APPLICABLE,
                            "仅适用于2021年版格式"),
    "year2021": Condition(lambda f: f.new_format, NOT_APPLICABLE, "仅适用于2021年版格式"),
    "government": Condition(lambda f: is_government(f.report), NOT_APPLICABLE,
                            "仅适用于人民政府的年度报告"),
    "s1": Condition(lambda f: _has_text(f.report, "s1"), UNKNOWN, "未读取到第一部分正文"),
    "s5": Condition(lambda f: _has_text(f.report, "s5"), UNKNOWN, "未读取到第五部分正文"),
    "s1_or_s5": Condition(lambda f: _has_text(f.report, "s1") or _has_text(f.report, "s5"),
                          UNKNOWN, "未读取到第一、五部分正文"),
    "s6": Condition(lambda f: "s6" in (f.report.section_text or {}), UNKNOWN,
                    "未读取到第六部分正文"),
    # The checker had a previous report when it raised cross-year findings, even if the
    # database no longer holds it: its silence on a line is then a pass.
    "previous": Condition(lambda f: f.previous is not None or f.compared, UNKNOWN,
                          "数据库中没有该机关上一年度的报告"),
    "previous_is_last_year": Condition(
        lambda f: f.previous is None or (f.report.year is not None
                                         and f.previous.year == f.report.year - 1),
        UNKNOWN, _previous_year_note),
    "previous_2021": Condition(lambda f: f.previous is None or f.previous.format == "2021",
                               UNKNOWN, "上一年度报告不是2021年版格式"),
}


@dataclass(frozen=True)
class Check:
    """One line of the checklist."""

    id: str  # the C-id of rules.md, also the summary's column head
    group: str
    label: str
    national_basis: str  # "" when no national document requires it (工作惯例)
    rules: tuple[str, ...]  # the checker rules that decide it
    needs: tuple[str, ...] = ()  # keys of CONDITIONS, checked in order
    # Findings of these rules mean "cannot tell" rather than "fails" (a missing date).
    unknown_rules: tuple[str, ...] = ()
    cross_year: bool = False  # compared with the agency's previous report
    # An "uncertain" finding here means an operand was blank or no number: the line
    # cannot be judged (无法判断). Elsewhere (the prose) it is a doubt for the inspector (待核实).
    uncertain_is_unknown: bool = False

    def basis(self, profile: str | None = None, fmt: str | None = None) -> str:
        """The basis printed for this line under ``profile`` for a report of ``fmt``."""
        return compose(self.national_basis, self.id, profile or DEFAULT_PROFILE, fmt=fmt)


G1, G2, G3, G4, G5, G6 = ("一、报告要素与发布", "二、法定统计表", "三、统计表勾稽关系",
                          "四、正文与统计表一致", "五、报告内容",
                          "六、跨年度核对（数据库中有上一年度报告时）")
GROUPS = (G1, G2, G3, G4, G5, G6)
GROUP_SHORT = {G1: "要素与发布", G2: "法定统计表", G3: "勾稽关系", G4: "文表一致", G5: "报告内容",
               G6: "跨年度"}

_ACCURACY = (f"{REG_SHORT}第五十条；{F30}「明确责任」（发布内容不准确的，"
             f"依{REG_SHORT}第四十七条追究责任）")

CHECKS: tuple[Check, ...] = (
    Check("C01", G1, "能够确定报告所属年度（标题或统计期限）",
          f"{REG_SHORT}第四十九条（公布上一年度的年度报告）", ("year.missing",)),
    Check("C02", G1, "使用与年度相符的现行格式（2019、2020年度用60号格式，2021年度起用30号格式）",
          f"{REG_SHORT}第五十条；年度报告格式（国办公开办函〔2019〕60号、{F30}）",
          ("format.outdated",), needs=("year", "format")),
    Check("C03", G1, "六个部分（总体情况至其他需要报告的事项）齐全且顺序正确",
          f"{REG_SHORT}第五十条；{{格式}}", ("section.missing", "section.order"),
          needs=("sections",)),
    Check("C04", G1, "各部分标题与格式规定一致", "{格式}", ("label.deviates",), needs=("text",)),
    Check("C20", G1, "标题、统计期限与报告年度一致",
          f"{REG_SHORT}第四十九条（上一年度即1月1日至12月31日）", ("year.inconsistent",),
          needs=("year",)),
    Check("C21", G1, "按时发布（政府部门次年1月31日前，人民政府本级报告次年3月31日前）",
          f"{REG_SHORT}第四十九条",
          ("publication.late", "publication.date_missing", "publication.date_implausible"),
          needs=("year",),
          unknown_rules=("publication.date_missing", "publication.date_implausible")),
    Check("C28", G1, "开头说明编制依据和统计期限", "", ("preamble.incomplete",), needs=("text",)),
    Check("C05", G2, "表二「主动公开政府信息情况」齐全（第二十条各项）",
          f"{REG_SHORT}第五十条第（一）项；{{格式}}表二", ("table.missing", "table.incomplete"),
          needs=("format",)),
    Check("C06", G2, "表二栏目名称与格式一致", "{格式}表二", ("label.deviates",),
          needs=("t2", "text")),
    Check("C07", G2, "表三「收到和处理政府信息公开申请情况」齐全（7个申请人栏目、全部办理结果行）",
          f"{REG_SHORT}第五十条第（二）项；{{格式}}表三",
          ("table.missing", "table.incomplete", "label.deviates"), needs=("format",)),
    Check("C08", G2, "表三「（六）其他处理」分为三行（2021年版）", f"年度报告格式（{F30}）表三",
          ("t3.other_row_merged",), needs=("format2021",)),
    Check("C09", G2, "表四「行政复议、行政诉讼情况」齐全（复议、直接起诉、复议后起诉各5栏）",
          f"{REG_SHORT}第五十条第（三）项；{{格式}}表四", ("table.missing", "table.incomplete"),
          needs=("format",)),
    Check("C14", G2, "统计数字为非负整数，收费金额为非负数", "{格式}各表栏目", ("cell.invalid",),
          needs=("format",)),
    Check("C15", G2, "统计单元格均已填写（未发生的填0，不留空、不填「/」）", "", ("cell.blank",),
          needs=("format",)),
    Check("C16", G2, "表二收费金额以万元填报、数额合理（2021年版）",
          f"年度报告格式（{F30}）表二「本年收费金额（单位：万元）」", ("t2.fee_implausible",),
          needs=("format2021", "t2")),
    Check("C10", G3, "表三每列：一、本年新收 + 二、上年结转 = 三（七）总计 + 四、结转下年度",
          "{格式}表三表头注（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
          ("t3.balance",), needs=("t3",), uncertain_is_unknown=True),
    Check("C11", G3, "表三每行：总计 = 自然人 + 法人或其他组织五列", "{格式}表三栏目结构",
          ("t3.row_sum",), needs=("t3",), uncertain_is_unknown=True),
    Check("C12", G3, "表三每列：三（七）总计 = （一）至（六）各项办理结果之和",
          "{格式}表三栏目结构", ("t3.outcome_sum",), needs=("t3",), uncertain_is_unknown=True),
    Check("C13", G3, "表四各类：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
          "{格式}表四栏目结构", ("t4.row_sum",), needs=("t4",), uncertain_is_unknown=True),
    Check("C19", G4, "正文所述数字（申请、复议、诉讼、文件件数）与统计表一致", _ACCURACY,
          ("text.contradicts_table",), needs=("text", "t3")),
    Check("C30", G4, "正文所述有无申请与表三是否全为0相符", _ACCURACY,
          ("text.contradicts_table",), needs=("text", "t3")),
    Check("C25", G5, "总体情况涵盖主动公开、依申请公开、政府信息管理、平台建设、监督保障",
          f"{F30}报告内容说明", ("section1.content",), needs=("year2021", "s1")),
    Check("C24", G5, "人民政府报告工作考核、社会评议和责任追究结果",
          f"{REG_SHORT}第五十条第（四）项", ("content.assessment_missing",),
          needs=("government", "s1_or_s5")),
    Check("C23", G5, "第五部分写明存在的主要问题和改进措施（人民政府含上年问题整改情况）",
          f"{REG_SHORT}第五十条第（四）项；{F30}报告内容说明", ("section5.content",),
          needs=("s5",)),
    Check("C22", G5, "第六部分说明信息处理费收取情况（2021年版）", f"{F30}报告内容说明；{FEE}",
          ("section6.fee_statement",), needs=("year2021", "s6")),
    Check("C27", G5, "第六部分不为空、不只写「无」（2021年版）", f"{F30}报告内容说明",
          ("section6.empty",), needs=("year2021", "s6")),
    Check("C29", G5, "表三「逾期未缴纳费用」与正文收费表述一致（2021年版）", FEE,
          ("fee.notice_inconsistent",), needs=("format2021",)),
    Check("C17", G6, "表三「二、上年结转」= 上一年度报告「四、结转下年度继续办理」", "",
          ("crossyear.carry_over",), needs=("previous", "previous_is_last_year"),
          cross_year=True),
    Check("C18", G6, "表二现行有效件数 = 上年现行有效 + 本年制发 − 本年废止（2021年版）", "",
          ("crossyear.in_force",),
          needs=("format2021", "previous", "previous_is_last_year", "previous_2021"),
          cross_year=True),
    Check("C26", G6, "内容和数据未照搬上一年度报告",
          f"{F30}「明确责任」（内容雷同的，依{REG_SHORT}第四十七条追究责任）",
          ("crossyear.copied_text", "crossyear.identical_tables"), needs=("previous",),
          cross_year=True),
)
CHECK_BY_ID: dict[str, Check] = {c.id: c for c in CHECKS}
OTHER = Check("其他", "七、其他发现", "其他发现", "", ())

# Lines whose failure makes a report 不合格 unless the office sets others: the statutory
# tables missing, or the report published late.
DEFAULT_UNQUALIFYING = ("C05", "C07", "C09", "C21")


def line_of(finding: Finding) -> Check:
    """The check a finding belongs to (its ``check`` id, else the check naming its rule)."""
    if finding.check in CHECK_BY_ID:
        return CHECK_BY_ID[finding.check]
    for c in CHECKS:
        if finding.rule in c.rules:
            return c
    return OTHER


def first_unmet(check: Check, facts: Facts) -> Condition | None:
    """The first of the check's conditions the report does not meet, or None."""
    for name in check.needs:
        cond = CONDITIONS[name]
        if not cond.holds(facts):
            return cond
    return None


def national_basis(check_id: str, fmt: str | None = None) -> str:
    """The national basis of a check by id (the findings' ``basis``); "" for no check."""
    check = CHECK_BY_ID.get(check_id)
    return check.basis(None, fmt) if check else ""
