"""Indicators across agencies: 公开率, 复议纠错率, 诉讼与复议发生率.

- 公开率 = (予以公开 + 部分公开) / 办结 (表三 (一)+(二) over (七)总计, 总计 column);
- 复议纠错率 = 结果纠正 / 审结 (表四 行政复议: 结果纠正 over 维持 + 纠正 + 其他结果);
- 诉讼与复议发生率 = (行政复议 + 行政诉讼) / 新收申请 (表四 three 总计 over 表三 一、总计).

Per agency (its latest report of the year, from the effective values) and for the area
(numerators and denominators summed, not an average of rates). A base under
:data:`MIN_BASE` is shown as too small and not ranked: one case out of two is not a
rate. Year over year compares with the same agency's report of the year before (the
register of agencies says who is the same agency). Pure Python.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from core.model import Value

MIN_BASE = 10
TOO_SMALL = "基数过小"
MISSING = "数据不全"


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    explain: str
    higher_is_better: bool


INDICATORS: tuple[Indicator, ...] = (
    Indicator("open_rate", "公开率", ("t3.r3_1.total", "t3.r3_2.total"), ("t3.r3_7.total",),
              "（予以公开＋部分公开）÷办结总计", True),
    Indicator("correction_rate", "复议纠错率", ("t4.review.corrected",),
              ("t4.review.upheld", "t4.review.corrected", "t4.review.other"),
              "行政复议结果纠正÷审结（结果维持＋结果纠正＋其他结果）", False),
    Indicator("dispute_rate", "诉讼与复议发生率",
              ("t4.review.total", "t4.direct.total", "t4.after_review.total"),
              ("t3.new.total",), "（行政复议＋行政诉讼）总计÷本年新收申请", False),
)
BY_KEY = {i.key: i for i in INDICATORS}


@dataclass
class Rate:
    """One indicator of one agency (or the area)."""

    numerator: float | None
    denominator: float | None

    @property
    def rate(self) -> float | None:
        if self.numerator is None or not self.denominator:
            return None
        return self.numerator / self.denominator

    @property
    def too_small(self) -> bool:
        return self.denominator is not None and self.denominator < MIN_BASE

    @property
    def rankable(self) -> bool:
        return self.rate is not None and not self.too_small

    def cell(self, rank: int | None = None) -> str:
        """For a table cell, on short lines: "62.1%", "59/95", "第1名"."""
        if self.numerator is None or self.denominator is None:
            return MISSING
        fraction = f"{_n(self.numerator)}/{_n(self.denominator)}"
        if self.too_small or not self.denominator:
            return f"{TOO_SMALL}\n{fraction}"
        lines = [f"{self.rate * 100:.1f}%", fraction]  # type: ignore[operator]
        return "\n".join([*lines, f"第{rank}名"] if rank else lines)

    def text(self) -> str:
        """"62.1%（59/95）", "基数过小（3/4）", "数据不全"."""
        if self.numerator is None or self.denominator is None:
            return MISSING
        fraction = f"{_n(self.numerator)}/{_n(self.denominator)}"
        if self.too_small or not self.denominator:
            return f"{TOO_SMALL}（{fraction}）"
        return f"{self.rate * 100:.1f}%（{fraction}）"  # type: ignore[operator]


@dataclass
class AgencyRow:
    agency: str
    report_id: int
    values: dict[str, Rate] = field(default_factory=dict)
    previous: dict[str, Rate] = field(default_factory=dict)  # the year before, if any
    rank: dict[str, int] = field(default_factory=dict)

    def change(self, key: str) -> float | None:
        """Percentage points since the year before (None when either is not a rate)."""
        now, before = self.values.get(key), self.previous.get(key)
        if now is None or before is None or not now.rankable or not before.rankable:
            return None
        return (now.rate - before.rate) * 100  # type: ignore[operator]

    def change_text(self, key: str) -> str:
        c = self.change(key)
        if c is None:
            return "—"
        return f"{'+' if c > 0 else ''}{c:.1f}个百分点"


@dataclass
class Indicators:
    year: int
    rows: list[AgencyRow]
    area: dict[str, Rate]

    def ranked(self, key: str) -> list[AgencyRow]:
        """The agencies with a rate to rank, by rank (1 = the highest rate)."""
        return sorted((r for r in self.rows if key in r.rank), key=lambda r: r.rank[key])

    def unranked(self, key: str) -> list[AgencyRow]:
        return [r for r in self.rows if key not in r.rank]


def _n(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _sum(values: dict[str, Value], keys: Sequence[str]) -> float | None:
    total = 0.0
    for k in keys:
        v = values.get(k)
        if isinstance(v, bool) or not isinstance(v, int | float):
            return None
        total += v
    return total


def indicator_values(values: dict[str, Value]) -> dict[str, Rate]:
    """Each indicator of one report's (effective) values."""
    return {i.key: Rate(_sum(values, i.numerator), _sum(values, i.denominator))
            for i in INDICATORS}


def compute(store: Any, year: int, report_ids: Sequence[int] | None = None) -> Indicators:
    """The indicators of ``year``: the latest report of each agency (or ``report_ids``)."""
    from core.series import ReportFilter, agency_names, select_reports

    names = agency_names(store)
    flt = ReportFilter(year=year, ids=None if report_ids is None else frozenset(report_ids))
    rows = [r for r in select_reports(store, flt) if r["year"] == year]
    earlier = {names.get(r["agency"] or "", r["agency"]): r
               for r in select_reports(store, ReportFilter(year=year - 1))}
    out: list[AgencyRow] = []
    for r in rows:
        agency = names.get(r["agency"] or "", r["agency"] or r["file_name"])
        row = AgencyRow(agency, r["id"], indicator_values(store.effective_values(r["id"])))
        before = earlier.get(agency)
        if before is not None:
            row.previous = indicator_values(store.effective_values(before["id"]))
        out.append(row)
    area: dict[str, Rate] = {}
    for ind in INDICATORS:
        vals = [r.values[ind.key] for r in out]
        known = [v for v in vals if v.numerator is not None and v.denominator is not None]
        area[ind.key] = Rate(sum(v.numerator for v in known) if known else None,  # type: ignore[misc]
                               sum(v.denominator for v in known) if known else None)  # type: ignore[misc]
        ranked = sorted((a for a in out if a.values[ind.key].rankable),
                        key=_highest_rate_first(ind.key))
        for i, a in enumerate(ranked, 1):
            a.rank[ind.key] = i
    return Indicators(year, out, area)


def _highest_rate_first(key: str) -> Callable[[AgencyRow], tuple[float, str]]:
    # Rankable rates are never None (the "or" only tells the type checker so).
    return lambda a: (-(a.values[key].rate or 0.0), a.agency)
