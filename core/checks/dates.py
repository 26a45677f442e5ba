"""Year, format and publication date (C01, C02, C20, C21, C28).

- ``year.missing`` (error, C01): the year the report covers cannot be identified.
- ``format.outdated`` (error, C02): the tables follow the wrong official format for the year.
- ``year.inconsistent`` (warning, C20): the title or the statistics period names another year.
- ``publication.date_missing`` (warning, C21): no publication date in the document or page.
- ``publication.late`` (error, C21): published after the deadline (:class:`Deadlines`).
- ``publication.date_implausible`` (warning): published before the covered year ended.
- ``preamble.incomplete`` (warning, C28): the statistics period or the 条例 basis is not stated.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from core.checks.common import (
    ERROR,
    WARNING,
    Context,
    finding,
    is_government,
)
from core.model import Finding


@dataclass(frozen=True)
class LocalDeadline:
    """A local rule: agencies whose name contains ``match`` publish by other dates ("MM-DD")."""

    match: str
    department: str | None = None
    government: str | None = None
    year: int | None = None  # the report year it applies to; None: every year


@dataclass(frozen=True)
class Deadlines:
    """When a report on year Y must be published, as "MM-DD" of year Y+1.

    Defaults are the statutory ones (《条例》第四十九条): a department by 1月31日, a people's
    government's own report by 3月31日. ``local`` rules (first match wins) let a
    province or city set earlier dates. Load them with :meth:`load` from JSON or TOML::

        department = "01-31"
        government = "03-31"
        [[local]]
        match = "怀化"
        department = "01-28"
    """

    department: str = "01-31"
    government: str = "03-31"
    local: tuple[LocalDeadline, ...] = field(default_factory=tuple)

    def due(self, year: int, government: bool, agency: str = "") -> date:
        md = self.government if government else self.department
        for rule in self.local:
            if rule.match and rule.match in agency and rule.year in (None, year):
                md = (rule.government if government else rule.department) or md
                break
        month, day = (int(x) for x in md.split("-"))
        return date(year + 1, month, day)

    def is_statutory(self) -> bool:
        return self.department == "01-31" and self.government == "03-31" and not self.local

    @classmethod
    def from_dict(cls, d: dict) -> Deadlines:
        local = tuple(LocalDeadline(**x) for x in d.get("local", ()))
        return cls(d.get("department", "01-31"), d.get("government", "03-31"), local)

    @classmethod
    def load(cls, path: str | Path) -> Deadlines:
        p = Path(path)
        if p.suffix.lower() == ".toml":
            import tomllib  # a deadlines file is rare: not at every start-up

            data = tomllib.loads(p.read_text(encoding="utf-8"))
        else:
            data = json.loads(p.read_text(encoding="utf-8"))
        return cls.from_dict(data)


_DATE = re.compile(r"(\d{4})\D{1,3}(\d{1,2})\D{1,3}(\d{1,2})")
_PERIOD = re.compile(
    r"(\d{4})年0?1月0?1日起?(?:至|到|—|－|-|~|～)(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日")
_PERIOD_WORD = re.compile(r"统计(?:期限|时限|区间|时段|时间|周期|范围)")
_YEAR = re.compile(r"(20\d\d)\s*年")


def parse_date(text: str | None) -> date | None:
    if not text:
        return None
    m = _DATE.search(text)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def zh_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def run(ctx: Context) -> list[Finding]:
    r = ctx.report
    out: list[Finding] = []
    if r.year is None:
        out.append(finding(
            "year.missing", ERROR,
            "无法从标题或统计期限确定报告所属年度。标题应写明机关名称和年度，正文应写明统计期限"
            "（某年1月1日至12月31日）。", check="C01", field="year"))
    else:
        out += _format(ctx)
        out += _years(ctx)
        out += _published(ctx)
    out += _preamble(ctx)
    return out


def _format(ctx: Context) -> list[Finding]:
    r = ctx.report
    if r.format == "2019" and r.year >= 2021:  # type: ignore[operator]
        msg = (f"报告为{r.year}年度，但表格使用的是2019年版格式（如「本年新制作数量」"
               "「上一年项目数量」「政府集中采购」），应使用国办公开办函〔2021〕30号规定的新格式。")
    elif r.format == "2021" and r.year <= 2020:  # type: ignore[operator]
        msg = (f"报告为{r.year}年度，但表格使用的是2021年版格式；{r.year}年度报告应使用"
               "国办公开办函〔2019〕60号规定的格式。")
    else:
        return []
    return [finding("format.outdated", ERROR, msg, check="C02",
                    field="format")]


def _years(ctx: Context) -> list[Finding]:
    r = ctx.report
    y = r.year
    problems = []
    title = "".join((r.title or "").split())
    m = _YEAR.search(title)
    if m and int(m.group(1)) != y:
        problems.append(f"标题写的是{m.group(1)}年")
    text = "".join((r.text or "").split())
    p = _PERIOD.search(text)
    if p:
        start = int(p.group(1))
        end = int(p.group(2) or start)
        if start != y or end != y or (int(p.group(3)), int(p.group(4))) != (12, 31):
            problems.append(f"统计期限写的是「{p.group(0)}」")
    if not problems:
        return []
    return [finding(
        "year.inconsistent", WARNING,
        f"报告年度为{y}年，但{';'.join(problems)}。标题、统计期限和正文应为同一年度"
        f"（{y}年1月1日至{y}年12月31日）。",
        check="C20",
        field="year")]


def _published(ctx: Context) -> list[Finding]:
    r = ctx.report
    y = r.year
    pub = parse_date(r.published)
    if pub is None:
        return [finding(
            "publication.date_missing", WARNING,
            "报告中未找到发布日期，无法核对是否按时公布。请在网页或报告落款处核实发布日期。",
            check="C21", field="published")]
    gov = is_government(r)
    deadlines = ctx.deadlines if isinstance(ctx.deadlines, Deadlines) else Deadlines()
    due = deadlines.due(y, gov, r.agency or r.title or "")  # type: ignore[arg-type]
    if pub > due:
        who = "政府本级年度报告" if gov else "政府部门的年度报告"
        rule = f"{due.month}月{due.day}日"
        local = "" if deadlines.is_statutory() else "（含本地规定的时限）"
        source = f"（取自{r.published_source}）" if r.published_source else ""
        level = f"按{who}核对：{r.level_basis}。" if r.level_basis else ""
        return [finding(
            "publication.late", ERROR,
            f"报告发布日期为{zh_date(pub)}{source}，晚于{who}应于次年{rule}前公布的时限{local}"
            f"（{zh_date(due)}），逾期 {(pub - due).days} 天。{level}",
            check="C21", field="published",
            left={"published": pub.isoformat()}, right={"deadline": due.isoformat()},
            difference=(pub - due).days)]
    if pub <= date(y, 12, 31):  # type: ignore[arg-type]
        return [finding(
            "publication.date_implausible", WARNING,
            f"报告发布日期为{zh_date(pub)}，早于统计年度{y}年结束，发布日期或年度可能有误。",
            check="C21", field="published")]
    return []


def _preamble(ctx: Context) -> list[Finding]:
    text = "".join((ctx.report.text or "").split())
    if len(text) < 200:
        return []  # no prose to read: nothing to judge
    missing = []
    if not _PERIOD.search(text) and not _PERIOD_WORD.search(text):
        missing.append("统计期限")
    if "条例" not in text:
        missing.append("编制依据（《条例》）")
    if not missing:
        return []
    return [finding(
        "preamble.incomplete", WARNING,
        f"报告开头未说明{'和'.join(missing)}。年度报告开头一般应写明依据《中华人民共和国政府信息公开条例》"
        "编制、所列数据的统计期限（某年1月1日至12月31日），以及联系方式。",
        check="C28", field="preamble")]
