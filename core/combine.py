"""Combined tables: tables 二, 三 and 四 summed over the selected reports of one year.

What the government's own report and the office's statistics need. Reports of one
format only (the one most of the selected reports use, unless named); reports with
unresolved errors are listed and included or left out as the user chooses. Every sum
is the plain total of the agencies' effective values (corrections applied), so the
per-agency sheet traces it; a cell that is not a number (blank, "/", text) counts as 0
and is named. The same identities the checker applies to one report are then checked
on the sums. Pure Python; the papers are made by :mod:`core.combine_paper`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from core.errors import ReportError
from core.model import NUMBER, ZERO, Cell, Finding, Report, Value
from core.template import all_keys

AMOUNT_SUFFIX = ".amount"  # yuan in the store; 万元 in the official table
YUAN_PER_WAN = 10000
# A 2021 report printing (六)其他处理 on one line: its figures are under these keys.
MERGED_OTHER = "t3.r3_6."
OTHER_ROWS = ("t3.r3_6_1.", "t3.r3_6_2.", "t3.r3_6_3.")


class CombineError(ReportError):
    message_zh = "无法生成汇总表"


@dataclass
class Source:
    """One report in the combined tables."""

    report_id: int
    agency: str
    year: int
    format: str | None
    n_errors: int
    values: dict[str, Value]
    merged_other_row: bool = False

    @property
    def label(self) -> str:
        return f"{self.agency}（#{self.report_id}）"


@dataclass
class Combined:
    year: int
    format: str
    keys: list[str]
    included: list[Source]
    left_out: list[tuple[Source, str]]  # (report, why)
    sums: dict[str, float]
    not_numbers: dict[str, list[str]] = field(default_factory=dict)  # key → agencies
    notes: list[str] = field(default_factory=list)
    identity_findings: list[Finding] = field(default_factory=list)

    @property
    def with_errors(self) -> list[Source]:
        """Reports with unresolved errors, included or not."""
        return [s for s in self.included if s.n_errors] + [s for s, _ in self.left_out
                                                           if s.n_errors]

    def figure(self, source: Source | None, key: str) -> Value:
        """What the official table shows for one agency (None: the sum): 万元 for amounts."""
        v = self.sums.get(key) if source is None else contribution(source, key)
        if isinstance(v, int | float) and key.endswith(AMOUNT_SUFFIX):
            return round(v / YUAN_PER_WAN, 4)
        return v


def _number(v: Value) -> float | None:
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    return v


def contribution(source: Source, key: str) -> float:
    """What one report adds to the sum of ``key`` (0 for a cell that is not a number).

    A report that printed (六)其他处理 on one line adds that line to 3.其他: its figures
    belong to (六) and the combined table has no other place for them."""
    if source.merged_other_row and source.format == "2021" and key.startswith("t3.r3_6_3."):
        col = key.rsplit(".", 1)[1]
        return _number(source.values.get(MERGED_OTHER + col)) or 0
    return _number(source.values.get(key)) or 0


def gather(store: Any, year: int, report_ids: Sequence[int] | None = None, *,
           fmt: str | None = None, include_errors: bool = True) -> Combined:
    """The combined tables of ``year``: the latest report of each agency, or those named."""
    from core.series import ReportFilter, agency_names, select_reports

    names = agency_names(store)
    flt = ReportFilter(year=None if report_ids else year,
                       ids=frozenset(report_ids) if report_ids else None)
    rows = select_reports(store, flt)
    wrong_year = [r["id"] for r in rows if r["year"] != year]
    if wrong_year:
        raise CombineError(f"reports {wrong_year} are not of {year}",
                           f"报告 {'、'.join(map(str, wrong_year))} 不是{year}年度的报告")
    if not rows:
        raise CombineError(f"no report of {year}", f"数据库中没有{year}年度的报告")
    sources = [Source(r["id"], names.get(r["agency"] or "", r["agency"] or r["file_name"]),
                      year, r["format"], int(r["n_errors"]), store.effective_values(r["id"]),
                      bool(store.get_report(r["id"])["merged_other_row"])) for r in rows]
    formats = Counter(s.format for s in sources if s.format)
    if fmt is None:
        if not formats:
            raise CombineError("no report with recognised tables", "所选报告都没有识别出统计表")
        fmt = formats.most_common(1)[0][0]
    included: list[Source] = []
    left_out: list[tuple[Source, str]] = []
    for s in sources:
        if s.format != fmt:
            left_out.append((s, f"格式为{s.format or '未识别'}，不是{fmt}年版"))
        elif s.n_errors and not include_errors:
            left_out.append((s, f"有 {s.n_errors} 项未解决的错误，按选择未计入"))
        else:
            included.append(s)
    if not included:
        raise CombineError("nothing left to sum", "没有可汇总的报告（都已按格式或错误排除）")
    # In the 2021 format t3.r3_6.* only holds a one-line (六) (added to 3.其他 below); in
    # the 2019 format it is the row (六)其他处理 itself.
    keys = [k for k in all_keys(fmt) if fmt != "2021" or not k.startswith(MERGED_OTHER)]
    c = Combined(year, fmt, keys, included, left_out, {})
    for key in keys:
        c.sums[key] = sum(contribution(s, key) for s in included)
        odd = [s.agency for s in included
               if _number(s.values.get(key)) is None and not _merged(s, key)]
        if odd:
            c.not_numbers[key] = odd
    merged = [s.agency for s in included if s.merged_other_row
              and any(_number(s.values.get(MERGED_OTHER + col)) for col in _t3_columns())]
    if merged:
        c.notes.append(f"{'、'.join(merged)}的（六）其他处理合并填报为一行，已计入「3.其他」。")
    c.identity_findings = check_identities(c)
    return c


def _t3_columns() -> tuple[str, ...]:
    from core.template import T3_COLUMNS

    return T3_COLUMNS


def _merged(s: Source, key: str) -> bool:
    return s.merged_other_row and s.format == "2021" and key.startswith(OTHER_ROWS)


def check_identities(c: Combined) -> list[Finding]:
    """The checker's arithmetic (勾稽关系, table structure) run on the sums."""
    from core.catalogue import G3, line_of
    from core.checker import check

    cells = {k: Cell(k, _as_value(v), str(v), ZERO if v == 0 else NUMBER, None, 1.0)
             for k, v in c.sums.items()}
    report = Report(file="汇总", sha256="", kind="txt", pages=None, format=c.format,
                    year=c.year, published=None, title="汇总表", agency="汇总", sections={},
                    cells=cells, tables_found={"t2": True, "t3": True, "t4": True})
    return [f for f in check(report) if f.table in ("t2", "t3", "t4")
            and line_of(f).group == G3]


def _as_value(v: float) -> Value:
    return int(v) if float(v).is_integer() else v
