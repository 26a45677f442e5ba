"""Figures across reports for the charts: store queries turned into plain lists.

Every function takes a :class:`core.store.ReportStore` and a :class:`ReportFilter` (the
report list's filter: part of the agency name, year, review status, has errors, the
search's ids) and returns plain data the GUI draws (``gui/widgets/charts.py``) or a
test reads. Values are the *effective* ones (inspector corrections applied). A blank
or non-numeric cell counts as 0 in a chart bar, and the bar is marked ``blank`` so the
chart can say so. Pure Python: no Qt here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from core.model import Value
from core.vocabulary import REVIEWED

APPLICANTS = (("natural", "自然人"), ("commercial", "商业企业"), ("research", "科研机构"),
              ("social", "社会公益组织"), ("legal", "法律服务机构"), ("other", "其他"))
# The six outcome groups of table 三 (总计 column): the rows each one sums.
OUTCOMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("予以公开", ("r3_1",)),
    ("部分公开", ("r3_2",)),
    ("不予公开", tuple(f"r3_3_{i}" for i in range(1, 9))),
    ("无法提供", ("r3_4_1", "r3_4_2", "r3_4_3")),
    ("不予处理", tuple(f"r3_5_{i}" for i in range(1, 6))),
    ("其他", ("r3_6", "r3_6_1", "r3_6_2", "r3_6_3")),
)
# One agency across years: (name, cells summed).
YEAR_FIGURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("新收申请", ("t3.new.total",)),
    ("予以公开", ("t3.r3_1.total",)),
    ("不予公开", tuple(f"t3.r3_3_{i}.total" for i in range(1, 9))),
    ("行政复议", ("t4.review.total",)),
    ("行政诉讼", ("t4.direct.total", "t4.after_review.total")),
)


@dataclass(frozen=True)
class ReportFilter:
    """Which reports a chart shows; None/False means "any"."""

    agency: str | None = None  # part of the agency's name
    year: int | None = None
    status: str | None = None  # 未审 | 审查中 | 已审
    has_errors: bool | None = None
    unreviewed: bool = False  # not yet 已审 (the report list's 未审查 box)
    ids: frozenset[int] | None = None  # only these reports (the list's search)

    @classmethod
    def of(cls, **kwargs: Any) -> ReportFilter:
        ids = kwargs.get("ids")
        if ids is not None:
            kwargs["ids"] = frozenset(int(i) for i in ids)
        return cls(**kwargs)

    def matches(self, row: dict[str, Any]) -> bool:
        if self.ids is not None and row["id"] not in self.ids:
            return False
        if self.agency and self.agency not in (row.get("agency") or ""):
            return False
        if self.year is not None and row.get("year") != self.year:
            return False
        if self.status and row.get("status") != self.status:
            return False
        if self.has_errors is True and not row.get("n_failed"):
            return False
        if self.has_errors is False and row.get("n_failed"):
            return False
        return not (self.unreviewed and row.get("status") == REVIEWED)

    def describe(self) -> str:
        """The filter in words, for a chart's subtitle: "2023年度 · 有不通过项"."""
        parts = []
        if self.agency:
            parts.append(f"机关含「{self.agency}」")
        if self.year is not None:
            parts.append(f"{self.year}年度")
        if self.status:
            parts.append(self.status)
        if self.unreviewed:
            parts.append("未审查")
        if self.has_errors is True:
            parts.append("有不通过项")
        elif self.has_errors is False:
            parts.append("无不通过项")
        if self.ids is not None:
            parts.append(f"选定 {len(self.ids)} 份")
        return " · ".join(parts) or "全部报告"


def select_reports(store: Any, flt: ReportFilter | None = None, *,
                   latest_only: bool = True) -> list[dict[str, Any]]:
    """The report rows the filter keeps, by agency then year.

    ``latest_only``: of several revisions of one agency's report for one year, only the
    latest (unless the filter names the reports by id).
    """
    flt = flt or ReportFilter()
    rows = [r for r in store.list_reports(year=flt.year) if flt.matches(r)]
    if latest_only and flt.ids is None:
        register = agency_names(store)
        best: dict[tuple[Any, Any], dict[str, Any]] = {}
        for r in rows:
            if not r.get("agency") or r.get("year") is None:
                best[("#", r["id"])] = r
                continue
            k = (register.get(r["agency"], r["agency"]), r["year"])
            if k not in best or r["revision"] > best[k]["revision"]:
                best[k] = r
        rows = list(best.values())
    rows.sort(key=lambda r: (r.get("agency") or r["file_name"], r.get("year") or 0, r["id"]))
    return rows


def _number(v: Value) -> float | None:
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    return float(v)


def _values(store: Any, ids: Iterable[int]) -> dict[int, dict[str, Value]]:
    return {rid: store.effective_values(rid) for rid in ids}


def _label(row: dict[str, Any], with_year: bool) -> str:
    name = row.get("agency") or row["file_name"]
    return f"{name} {row['year']}" if with_year and row.get("year") else name


@dataclass
class Bars:
    """Stacked bars: one bar per report (category), one segment per series."""

    title: str
    unit: str
    labels: list[str] = field(default_factory=list)  # per bar: agency (and year)
    report_ids: list[int] = field(default_factory=list)
    series: list[tuple[str, list[float]]] = field(default_factory=list)
    blank: list[bool] = field(default_factory=list)  # per bar: some operand not a number

    def totals(self) -> list[float]:
        return [sum(vals[i] for _, vals in self.series) for i in range(len(self.labels))]


@dataclass
class Lines:
    """Figures across years: one line per series."""

    title: str
    unit: str
    agency: str
    years: list[int] = field(default_factory=list)
    report_ids: list[int] = field(default_factory=list)
    series: list[tuple[str, list[float | None]]] = field(default_factory=list)


def _several_years(rows: list[dict[str, Any]]) -> bool:
    return len({r.get("year") for r in rows}) > 1


def applicants_by_agency(store: Any, flt: ReportFilter | None = None) -> Bars:
    """一、本年新收政府信息公开申请数量 by applicant type, one stacked bar per report,
    most applications first."""
    rows = select_reports(store, flt)
    values = _values(store, (r["id"] for r in rows))
    with_year = _several_years(rows)
    out = Bars("各机关本年新收申请（按申请人类型）", "件",
               [_label(r, with_year) for r in rows], [r["id"] for r in rows])
    blank = [False] * len(rows)
    for col, name in APPLICANTS:
        vals = []
        for i, r in enumerate(rows):
            v = _number(values[r["id"]].get(f"t3.new.{col}"))
            blank[i] |= v is None
            vals.append(v or 0.0)
        out.series.append((name, vals))
    out.blank = blank
    return _by_total(out)


def _by_total(bars: Bars) -> Bars:
    """The bars largest total first (ties: by name), so the chart ranks the agencies."""
    order = sorted(range(len(bars.labels)), key=lambda i: (-bars.totals()[i], bars.labels[i]))
    return Bars(bars.title, bars.unit, [bars.labels[i] for i in order],
                [bars.report_ids[i] for i in order],
                [(name, [vals[i] for i in order]) for name, vals in bars.series],
                [bars.blank[i] for i in order] if bars.blank else [])


def outcomes_by_agency(store: Any, flt: ReportFilter | None = None) -> Bars:
    """Table 三's outcomes (总计 column) in the six groups, one stacked bar per report."""
    rows = select_reports(store, flt)
    values = _values(store, (r["id"] for r in rows))
    with_year = _several_years(rows)
    out = Bars("各机关办理结果", "件", [_label(r, with_year) for r in rows],
               [r["id"] for r in rows])
    blank = [False] * len(rows)
    for name, keys in OUTCOMES:
        vals = []
        for i, r in enumerate(rows):
            v = values[r["id"]]
            present = [f"t3.{k}.total" for k in keys if f"t3.{k}.total" in v]
            nums = [_number(v[k]) for k in present]
            blank[i] |= any(n is None for n in nums)
            vals.append(sum(n for n in nums if n is not None))
        out.series.append((name, vals))
    out.blank = blank
    return _by_total(out)


def outcome_breakdown(store: Any, flt: ReportFilter | None = None) -> list[tuple[str, float]]:
    """The six outcome groups summed over the filtered reports: [(名称, 件数), …]."""
    per = outcomes_by_agency(store, flt)
    return [(name, sum(vals)) for name, vals in per.series]


def findings_by_agency(store: Any, flt: ReportFilter | None = None) -> Bars:
    """Checklist lines 不通过 and 待核实 per report, by the line rule of the checklist
    (:mod:`core.line_results`), most 不通过 first."""
    rows = select_reports(store, flt)
    rows.sort(key=lambda r: (-r["n_failed"], -r["n_pending"]))  # stable: then by name
    with_year = _several_years(rows)
    return Bars("各机关检查结果", "项", [_label(r, with_year) for r in rows],
                [r["id"] for r in rows],
                [("不通过", [float(r["n_failed"]) for r in rows]),
                 ("待核实", [float(r["n_pending"]) for r in rows])],
                [False] * len(rows))


def agency_names(store: Any) -> dict[str, str]:
    """Each printed agency name → the agency's name in the register of agencies, so that
    one agency's reports under several names (淮安市洪泽区人民政府 / 洪泽区人民政府) are
    one agency in the charts."""
    from core.register import Register

    return Register(store).display_names()


def agencies(store: Any, flt: ReportFilter | None = None) -> list[tuple[str, int]]:
    """Agencies (as the register names them) of the filtered reports with how many years
    each has in the database (all years, whatever the filter's year), most years first."""
    flt = flt or ReportFilter()
    register = agency_names(store)
    names = {register.get(r["agency"], r["agency"]) for r in select_reports(store, flt)
             if r.get("agency")}
    years: dict[str, set[int]] = {n: set() for n in names}
    for r in store.list_reports():
        name = register.get(r.get("agency") or "", r.get("agency"))
        if name in years and r.get("year") is not None:
            years[name].add(r["year"])
    return sorted(((n, len(y)) for n, y in years.items()), key=lambda t: (-t[1], t[0]))


def agency_across_years(store: Any, agency: str, flt: ReportFilter | None = None) -> Lines:
    """One agency's figures in each year it reported (latest revision of each year).

    The filter's year is ignored (the chart is about years); its other conditions apply.
    """
    base = flt or ReportFilter()
    flt = ReportFilter(status=base.status, has_errors=base.has_errors,
                       unreviewed=base.unreviewed, ids=base.ids)
    register = agency_names(store)
    rows = [r for r in select_reports(store, flt) if r.get("year") is not None
            and register.get(r.get("agency") or "", r.get("agency")) == agency]
    values = _values(store, (r["id"] for r in rows))
    out = Lines(f"{agency}历年数据", "件", agency, [r["year"] for r in rows],
                [r["id"] for r in rows])
    for name, keys in YEAR_FIGURES:
        vals: list[float | None] = []
        for r in rows:
            v = values[r["id"]]
            nums = [_number(v.get(k)) for k in keys if k in v]
            known = [n for n in nums if n is not None]
            vals.append(sum(known) if nums and len(known) == len(nums) else None)
        out.series.append((name, vals))
    return out
