"""Against the same agency's previous report (C17, C18, C26). All warnings.

- ``crossyear.carry_over`` (C17): 二、上年结转 of this year = 四、结转下年度继续办理 of last
  year, per column of table 三 (only when the previous report covers the year before).
- ``crossyear.in_force`` (C18, 2021 format both years): 现行有效件数 = last year's + 本年制发
  − 本年废止, for 规章 and 行政规范性文件 (revisions and 机构改革 can break it: a warning).
- ``crossyear.copied_text`` (C26): sections 一, 五, 六 nearly identical to last year's
  (difflib ratio > 0.9 after masking the digits, so a copy with the years changed counts).
- ``crossyear.identical_tables`` (C26): a table with figures identical to last year's in
  every cell (tables with fewer than three non-zero figures are left alone: many small
  agencies have no applications, or the same single case, year after year).
"""

from __future__ import annotations

import re

from core.checks.common import (
    WARNING,
    Context,
    finding,
    fmt_num,
    is_number,
    kind_of,
)
from core.model import Finding, Report
from core.template import T3_LABELS

SIMILAR = 0.9
MIN_CHARS = 100  # shorter texts ("无", one standard fee sentence) are not judged as copies
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
SECTIONS = {"s1": "一、总体情况", "s5": "五、存在的主要问题及改进情况",
            "s6": "六、其他需要报告的事项"}


def run(ctx: Context) -> list[Finding]:
    prev = ctx.previous
    if prev is None:
        return []
    out: list[Finding] = []
    consecutive = ctx.report.year is not None and prev.year == ctx.report.year - 1
    if consecutive:
        out += _carry_over(ctx, prev)
        out += _in_force(ctx, prev)
    out += _copied(ctx, prev)
    out += _identical(ctx, prev)
    return out


def _num(report: Report, key: str):
    c = report.cells.get(key)
    return c.value if c is not None and is_number(kind_of(c)) else None


def _carry_over(ctx: Context, prev: Report) -> list[Finding]:
    out = []
    for col, name in T3_LABELS.items():
        key, pkey = f"t3.carried_in.{col}", f"t3.carried_out.{col}"
        now, then = ctx.num(key), _num(prev, pkey)
        if now is None or then is None or now == then:
            continue
        out.append(finding(
            "crossyear.carry_over", WARNING,
            f"表三「{name}」列：本年「二、上年结转」为 {fmt_num(now)}，但{prev.year}年度报告"
            f"「四、结转下年度继续办理」为 {fmt_num(then)}，相差 {fmt_num(abs(now - then))}。",
            check="C17",
            cells=[key], left={key: now}, right={f"{prev.year}:{pkey}": then},
            difference=now - then, table="t3"))
    return out


def _in_force(ctx: Context, prev: Report) -> list[Finding]:
    if ctx.report.format != "2021" or prev.format != "2021":
        return []
    out = []
    for row, name in (("rules", "规章"), ("normative", "行政规范性文件")):
        keys = [f"t2.{row}.in_force", f"t2.{row}.issued", f"t2.{row}.repealed"]
        now, issued, repealed = (ctx.num(k) for k in keys)
        before = _num(prev, f"t2.{row}.in_force")
        if None in (now, issued, repealed, before):
            continue
        expected = before + issued - repealed
        if now == expected:
            continue
        extra = ""
        if repealed > before + issued:
            extra = f"本年废止 {fmt_num(repealed)} 件已超过上年现行有效与本年制发之和。"
        out.append(finding(
            "crossyear.in_force", WARNING,
            f"表二「{name}·现行有效件数」为 {fmt_num(now)}，按{prev.year}年度报告的"
            f"现行有效件数 {fmt_num(before)} + 本年制发 {fmt_num(issued)} − 本年废止 "
            f"{fmt_num(repealed)} 推算应为 {fmt_num(expected)}，相差 "
            f"{fmt_num(abs(now - expected))}。{extra}"
            "如因修订、机构改革等原因调整，宜在报告中说明。",
            check="C18",
            cells=keys, left={keys[0]: now},
            right={f"{prev.year}:t2.{row}.in_force": before, keys[1]: issued, keys[2]: repealed},
            difference=now - expected, table="t2"))
    return out


def _norm(text: str) -> str:
    return _DIGITS.sub("#", _SPACE.sub("", text or ""))


def similarity(a: str, b: str) -> float:
    """difflib ratio of two texts, digits masked; fast bounds first."""
    a, b = _norm(a), _norm(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    import difflib  # only for two reports of one agency: not at every start-up

    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() <= SIMILAR or m.quick_ratio() <= SIMILAR:
        return m.quick_ratio()
    return m.ratio()


def _copied(ctx: Context, prev: Report) -> list[Finding]:
    out = []
    for s, name in SECTIONS.items():
        now = ctx.report.section_text.get(s) or ""
        then = prev.section_text.get(s) or ""
        if len(_norm(now)) < MIN_CHARS or len(_norm(then)) < MIN_CHARS:
            continue
        ratio = similarity(now, then)
        if ratio > SIMILAR:
            out.append(finding(
                "crossyear.copied_text", WARNING,
                f"第{name.split('、')[0]}部分「{name.split('、')[1]}」与"
                f"{prev.year or '上一'}年度报告的相应部分相似度达 {ratio:.0%}（数字除外），"
                "疑似照搬上年内容。",
                check="C26", section=s, difference=round(ratio, 3)))
    return out


def _identical(ctx: Context, prev: Report) -> list[Finding]:
    if prev.format != ctx.report.format or ctx.fmt is None:
        return []
    out = []
    for t, name in (("t2", "表二"), ("t3", "表三"), ("t4", "表四")):
        keys = ctx.table_keys(t)
        if not keys or not ctx.table_present(t):
            continue
        now = [ctx.num(k) for k in keys]
        if None in now:
            continue
        then = [_num(prev, k) for k in keys]
        if now != then:
            continue
        # Tables of (almost) only zeros repeat legitimately: judge only real figures.
        if sum(1 for k, v in zip(keys, now, strict=True) if v and not k.endswith(".total")) < 3:
            continue
        out.append(finding(
            "crossyear.identical_tables", WARNING,
            f"{name}的全部数据与{prev.year or '上一'}年度报告完全相同，疑似照搬上年数据，请核实。",
            check="C26", table=t, subject="identical"))
    return out
