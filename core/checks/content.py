"""What sections 一, 五 and 六 must say (C22–C25, C27, C29). All warnings.

- ``section1.content`` (C25, 2021 format): 总体情况 covers 主动公开, 依申请公开, 政府信息管理,
  平台建设 and 监督保障.
- ``content.assessment_missing`` (C24, people's governments): 一 or 五 reports
  工作考核、社会评议和责任追究结果.
- ``section5.content`` (C23): 五 names problems and improvement measures; a government's
  report also states how last year's problems were rectified.
- ``section6.empty`` (C27, 2021+): 六 is empty or only "无".
- ``section6.fee_statement`` (C22, 2021+): 六 states the 信息处理费 collected (an amount or
  none). This is the fee of 国办函〔2020〕109号, not table 二's 行政事业性收费: the two
  are never compared.
- ``fee.notice_inconsistent`` (C29): table 三 (六)2 counts applications dropped for an
  unpaid fee notice while the prose says no fee notice was sent or no fee collected.

Sections whose text the extractor did not give are not judged.
"""

from __future__ import annotations

import re

from core.checks.common import WARNING, Context, finding, fmt_num, is_government
from core.model import Finding

_NOT_CJK = re.compile(r"[^\u4e00-\u9fff]+")

# Words any of which shows that a text speaks of something: plain substrings (a regex
# alternation of Chinese words costs 0.2-1 ms to compile, every run, for the same answer).
AREAS = (
    ("主动公开", ("主动公开",)),
    ("依申请公开", ("依申请", "公开申请", "申请公开")),
    ("政府信息管理", ("信息管理", "审查", "保密", "审核", "三审三校", "公开属性", "目录")),
    ("平台建设", ("平台", "网站", "新媒体", "公开栏", "专栏", "公报", "政务公开区", "查阅点")),
    ("监督保障", ("监督", "保障", "考核", "评议", "培训", "责任", "领导小组", "组织领导")),
)
_PROBLEM = ("问题", "不足", "差距", "短板", "薄弱", "有待", "不够", "欠缺", "不到位", "不及时",
            "不高", "不强")
_MEASURE = ("改进", "措施", "下一步", "加强", "推进", "提升", "完善", "健全", "强化", "优化",
            "着力", "计划", "将")
_RECTIFY = re.compile(
    r"整改|(?:上一?年度?|去年|以往)[^。]{0,30}(?:问题|不足)[^。]{0,30}(?:改进|解决|落实)")
_ASSESS = ("考核", "评议", "责任追究", "追责", "问责")
_FEE = re.compile(r"信息处理费|收取[^。]{0,12}费|收费|免收|未收取|不收取")
_NO_FEE = re.compile(
    r"(?:未|没有|无)(?:发出|开具|发送|下发)?[^。,，]{0,6}收费通知|未(?:向[^。,，]{0,6})?收取(?:任何)?"
    r"(?:信息处理)?费|未发生收取[^。]{0,6}费|未收费|不收取")
_EMPTY = {"", "无", "暂无", "本年度无", "本机关无", "无其他需要报告的事项", "没有",
          "本年度无其他需要报告的事项", "无需要报告的事项"}


def _mentions(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)


def _cjk(text: str) -> str:
    return _NOT_CJK.sub("", text)


def run(ctx: Context) -> list[Finding]:
    st = ctx.report.section_text or {}
    if not any((t or "").strip() for t in st.values()):
        return []
    secs = ctx.report.sections or {}
    year = ctx.report.year or 0
    new_format = ctx.report.format == "2021" or year >= 2021
    gov = is_government(ctx.report)
    out: list[Finding] = []
    s1, s5, s6 = (st.get(s) or "" for s in ("s1", "s5", "s6"))
    if secs.get("s1", True) and s1.strip() and new_format:
        missing = [name for name, words in AREAS if not _mentions(s1, words)]
        if missing:
            out.append(finding(
                "section1.content", WARNING,
                f"第一部分「总体情况」未见{'、'.join(missing)}方面的内容。按格式说明，总体情况应概述"
                "主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障等方面的情况。",
                check="C25", section="s1"))
    if gov and (s1.strip() or s5.strip()) and not _mentions(s1 + s5, _ASSESS):
        out.append(finding(
            "content.assessment_missing", WARNING,
            "人民政府的年度报告未报告政府信息公开工作考核、社会评议和责任追究结果情况。",
            check="C24", section="s1"))
    if secs.get("s5", True):
        out += _section5(s5, gov, st)
    if secs.get("s6", True) and "s6" in st and new_format:
        out += _section6(s6)
    out += _fee_notice(ctx, s6 or ctx.report.text or "")
    return out


def _section5(s5: str, gov: bool, st: dict) -> list[Finding]:
    if "s5" not in st:
        return []
    body = _cjk(s5)
    missing = []
    if len(body) < 15 or body in _EMPTY:
        missing = ["存在的主要问题", "改进措施"]
    else:
        if not _mentions(s5, _PROBLEM):
            missing.append("存在的主要问题")
        if not _mentions(s5, _MEASURE):
            missing.append("改进措施")
    if gov and not _RECTIFY.search(s5):
        missing.append("上一年度问题的整改情况")
    if not missing:
        return []
    return [finding(
        "section5.content", WARNING,
        f"第五部分「存在的主要问题及改进情况」未写明{'、'.join(missing)}。应具体列出存在的问题和"
        "改进措施" + ("，人民政府还应报告上一年度问题的整改情况。" if gov else "。"),
        check="C23", section="s5")]


def _section6(s6: str) -> list[Finding]:
    body = _cjk(s6)
    if body in _EMPTY or len(body) <= 4:
        return [finding(
            "section6.empty", WARNING,
            f"第六部分「其他需要报告的事项」{'为空' if not body else '只写了「' + body + '」'}。"
            "2021年版格式要求在此报告信息处理费的收取情况等事项，不宜只写「无」。",
            check="C27", section="s6", quote=s6.strip() or None)]
    if not _FEE.search(s6):
        return [finding(
            "section6.fee_statement", WARNING,
            "第六部分未说明本年度政府信息公开信息处理费的收取情况（收取金额，或未收取）。"
            "注意：信息处理费不是表二的「行政事业性收费」。",
            check="C22", section="s6")]
    return []


def _fee_notice(ctx: Context, text: str) -> list[Finding]:
    if ctx.report.format != "2021" or ctx.merged_other:
        return []
    key = "t3.r3_6_2.total"
    n = ctx.num(key)
    if not n or n <= 0:
        return []
    m = _NO_FEE.search("".join(text.split()))
    if not m:
        return []
    return [finding(
        "fee.notice_inconsistent", WARNING,
        f"表三「（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用」为 {fmt_num(n)} 件，"
        f"说明本年发出过收费通知；但正文称「{m.group(0)}」。收费通知可能未获缴费，"
        "请核实表述是否准确。",
        check="C29", cells=[key], section="s6", quote=m.group(0),
        right={key: n})]
