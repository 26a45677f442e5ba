"""The circular (通报) on a year's reports: a DOCX draft the office edits and sends.

Counts (reports received and reviewed, 合格 / 需整改 / 不合格, on time / late / date
unknown, agencies of the register that have not published), the agencies under each
checklist line that failed, the indicators across agencies (core.indicators) and a
table per agency. The conclusion of a report is the inspector's (issue 11's
``conclusion``), else the one its lines propose, marked as such. Wording in
``resources/templates/circular.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from core.catalogue import line_of
from core.errors import ReportError
from core.indicators import INDICATORS, MIN_BASE, Indicators, compute
from core.line_results import open_line_results
from core.notice import problems_of
from core.office_docx import OfficialDocument, chinese_date
from core.overview import DATE_UNKNOWN, overview_from_store, report_facts
from core.series import ReportFilter, agency_names, select_reports
from core.vocabulary import (
    CONCLUSIONS,
    FAIL,
    NEEDS_RECTIFICATION,
    QUALIFIED,
    REVIEWED,
    UNQUALIFIED,
)
from core.wording import fill, load_wording

ON_TIME, LATE = "按时发布", "逾期发布"  # and the overview's DATE_UNKNOWN (发布日期不明)
PROPOSED_MARK = "*"


class CircularError(ReportError):
    message_zh = "无法生成通报"


@dataclass
class AgencyLine:
    """One agency's report in the circular."""

    agency: str
    report_id: int
    conclusion: str
    proposed: bool  # the conclusion is the one proposed, the inspector has not set one
    published: str | None
    timeliness: str  # 按时发布 | 逾期发布 | 发布日期不明
    late_days: int | None
    errors: int
    warnings: int
    status: str
    failed_lines: list[str] = field(default_factory=list)  # check ids 不通过


@dataclass
class Circular:
    year: int
    scope: str
    lines: list[AgencyLine]
    expected: int
    missing: list[str]
    problems: dict[str, tuple[str, list[str]]]  # check id → (label, agencies)
    indicators: Indicators

    @property
    def received(self) -> int:
        return len(self.lines)

    @property
    def reviewed(self) -> int:
        return sum(1 for x in self.lines if x.status == REVIEWED)

    def count(self, conclusion: str) -> int:
        return sum(1 for x in self.lines if x.conclusion == conclusion)

    def timely(self, kind: str) -> int:
        return sum(1 for x in self.lines if x.timeliness == kind)

    def counts(self) -> dict[str, int]:
        """Every count the circular prints, by its template field name."""
        return {"expected": self.expected, "received": self.received,
                "reviewed": self.reviewed, "qualified": self.count(QUALIFIED),
                "rectify": self.count(NEEDS_RECTIFICATION),
                "unqualified": self.count(UNQUALIFIED), "on_time": self.timely(ON_TIME),
                "late": self.timely(LATE), "unknown": self.timely(DATE_UNKNOWN),
                "missing": len(self.missing)}


def gather(store: Any, year: int, flt: ReportFilter | None = None,
           scope: str | None = None) -> Circular:
    """The circular's facts for ``year`` (the latest revision of each agency's report)."""
    base = flt or ReportFilter()
    flt = ReportFilter(agency=base.agency, year=year, status=base.status,
                       has_errors=base.has_errors, unreviewed=base.unreviewed, ids=base.ids)
    rows = select_reports(store, flt)
    if not rows:
        raise CircularError(f"no report for {year}", f"数据库中没有符合条件的{year}年度报告")
    names = agency_names(store)
    facts = {f.report_id: f for f in report_facts(store, [year])}
    lines = []
    problems: dict[str, tuple[str, list[str]]] = {}
    for r in rows:
        agency = names.get(r["agency"] or "", r["agency"] or r["file_name"])
        stored = store.findings(r["id"])
        verdicts = {sf.finding.fingerprint: sf.verdict for sf in stored if sf.verdict}
        results = open_line_results([sf.finding for sf in stored], verdicts)
        failed = sorted(k for k, v in results.items() if v == FAIL)
        chosen = r.get("conclusion")
        conclusion = chosen if chosen in CONCLUSIONS else store.proposed_conclusion(r["id"])
        f = facts.get(r["id"])
        timeliness = (LATE if f is not None and f.late_days else
                      DATE_UNKNOWN if f is None or f.date_unknown or not r["published"]
                      else ON_TIME)
        lines.append(AgencyLine(agency, r["id"], conclusion, chosen not in CONCLUSIONS,
                                r["published"], timeliness, f.late_days if f else None,
                                int(r["n_errors"]), int(r["n_warnings"]), r["status"], failed))
        for sf in stored:
            check = line_of(sf.finding)
            if check.id in failed:
                label = f"{check.label}（{check.id}）"
                who = problems.setdefault(check.id, (label, []))[1]
                if agency not in who:
                    who.append(agency)
    lines.sort(key=lambda x: (CONCLUSIONS.index(x.conclusion) * -1, x.agency))
    ov = overview_from_store(store, years=[year])
    return Circular(year, scope or "", lines, len(ov.units),
                    [u.name for u in ov.missing(year)],
                    dict(sorted(problems.items())),
                    compute(store, year, [x.report_id for x in lines]))


def write_circular(store: Any, year: int, path: str | Path, *,
                   flt: ReportFilter | None = None, scope: str | None = None,
                   office: str | None = None, when: date | None = None) -> Circular:
    """The circular's DOCX draft at ``path``; returns its facts."""
    wording = load_wording("circular")
    words: dict[str, Any] = wording["circular"]
    when = when or date.today()
    office = office or store.settings().get("office") or words.get("office", "")
    c = gather(store, year, flt, scope if scope is not None else _scope(store, flt))
    fields = {"year": year, "scope": c.scope, "office": office, "date": chinese_date(when),
              "min_base": MIN_BASE, **c.counts()}
    doc = OfficialDocument(wording.get("fonts"))
    doc.title(fill(words["title"], **fields))
    if words.get("doc_number"):
        doc.doc_number(fill(words["doc_number"], **fields))
    doc.addressee(fill(words["greeting"], **fields))
    doc.paragraph(fill(words["opening"], **fields))
    doc.heading(words["section_overview"])
    doc.paragraph(fill(words["overview"], **fields))
    doc.paragraph(fill(words["missing"], names="、".join(c.missing)) if c.missing
                  else fill(words["no_missing"], **fields))
    doc.heading(words["section_problems"])
    if not c.problems:
        doc.paragraph(fill(words["no_problems"], **fields))
    for n, (label, agencies) in enumerate(c.problems.values(), 1):
        doc.paragraph(fill(words["problem"], n=n, label=label, count=len(agencies),
                           names="、".join(agencies)))
    _indicators(doc, c.indicators, words, fields)
    doc.heading(words["section_agencies"])
    doc.paragraph(fill(words["agencies_intro"], **fields))
    rows = [[str(i), x.agency, x.conclusion + (PROPOSED_MARK if x.proposed else ""),
             x.published or "未找到", x.timeliness + (f"{x.late_days}天" if x.late_days else ""),
             str(x.errors), str(x.warnings)] for i, x in enumerate(c.lines, 1)]
    doc.table(list(words["agency_table_headers"]), rows,
              widths_mm=[10, 46, 20, 24, 24, 14, 14])
    if any(x.proposed for x in c.lines):
        doc.paragraph(fill(words["proposed_note"], **fields), indent=False)
    for x in c.lines:
        if x.conclusion == QUALIFIED:
            continue
        problems = problems_of(store, x.report_id)
        if not problems:
            continue
        doc.paragraph("", indent=False)
        doc.table(list(words["agency_problems_headers"]),
                  [[str(i), p.text, p.place, p.figures or "—"]
                   for i, p in enumerate(problems, 1)],
                  caption=f"{x.agency}（{x.conclusion}）", widths_mm=[10, 70, 40, 36])
    doc.heading(words["section_requirements"])
    doc.paragraph(fill(words["requirements"], **fields))
    doc.signature(office, when)
    doc.save(path)
    return c


def _indicators(doc: OfficialDocument, ind: Indicators, words: dict[str, Any],
                fields: dict[str, Any]) -> None:
    doc.heading(words["section_indicators"])
    doc.paragraph(fill(words["indicators_intro"], **fields))
    for i in INDICATORS:
        doc.paragraph(fill(words["indicator"], name=i.name, explain=i.explain,
                           area=ind.area[i.key].text()))
    header = ["单位", *[i.name for i in INDICATORS], "公开率同比"]
    rows = []
    for r in sorted(ind.rows, key=lambda r: r.rank.get("open_rate", 10**6)):
        cells = [r.agency]
        for i in INDICATORS:
            cells.append(r.values[i.key].cell(r.rank.get(i.key)))
        cells.append(r.change_text("open_rate"))
        rows.append(cells)
    rows.append(["全地区", *[ind.area[i.key].cell() for i in INDICATORS], "—"])
    doc.table(header, rows, widths_mm=[36, 32, 32, 32, 24])


def _scope(store: Any, flt: ReportFilter | None) -> str:
    """The area the register gives (when all the agencies share one), else nothing."""
    from core.register import Register

    areas = {a.area for a in Register(store).agencies() if a.area}
    scope = areas.pop() if len(areas) == 1 else ""
    if flt is not None and flt.agency:
        scope += f"（机关名称含「{flt.agency}」）"
    return scope
