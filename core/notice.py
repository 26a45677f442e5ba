"""The rectification notice (整改通知): one per agency, as DOCX (and PDF).

What goes in: the findings the inspector confirmed, and the errors nobody has reviewed
yet; never a finding the inspector dismissed, nor an unconfirmed 提示. Each problem is
told in the checker's words (which already use the labels printed in the official
format) with its place (table, rows, columns as printed, never internal keys), the
figures the report gives and the basis. The wording around it comes from
``resources/templates/notice.toml`` (:mod:`core.wording`), so an office adapts it
without code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from core.checks.common import T4_SHORT_ROWS, fmt_num, row_label
from core.errors import ReportError
from core.office_docx import OfficialDocument, chinese_date
from core.template import T3_LABELS, T4_LABELS, t2_names
from core.vocabulary import CONFIRMED, DISMISSED, ERROR, VERDICT_STATES, severity_name
from core.wording import fill, load_wording

TABLE_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四"}
UNREVIEWED_ERROR = "未审查的错误"
_SPACE = re.compile(r"\s+")
SEP = "\uff1b"  # the full-width semicolon between figures


class NoticeError(ReportError):
    message_zh = "无法生成整改通知"


@dataclass
class Problem:
    """One problem as the notice tells it."""

    report_id: int
    year: int | None
    text: str  # the checker's message: plain words, printed labels
    table: str  # 表四 ("" for a problem outside the tables)
    rows: list[str]  # as printed: 行政复议, 行政诉讼·复议后起诉, (一)予以公开 …
    columns: list[str]  # 结果维持, 总计 …
    figures: str  # 总计 0;结果维持 10 + 结果纠正 1 + … = 11
    basis: str
    state: str  # 已确认 | 未审查的错误
    severity: str  # 错误 | 提示
    kind: str = ""  # the checklist line it fails, e.g. 表四各类：总计 = …（C13）

    @property
    def place(self) -> str:
        if not self.table:
            return "报告正文"
        parts = [self.table]
        if self.rows:
            parts.append("、".join(f"「{r}」" for r in self.rows) + "行")
        if self.columns:
            parts.append("、".join(f"「{c}」" for c in self.columns) + "列")
        return "".join(parts)


@dataclass
class AgencyNotice:
    agency: str
    reports: list[dict[str, Any]]  # the store's rows
    problems: list[Problem] = field(default_factory=list)

    @property
    def years(self) -> str:
        ys = sorted({r["year"] for r in self.reports if r["year"] is not None})
        return "、".join(str(y) for y in ys)


@dataclass
class NoticeResult:
    notices: list[AgencyNotice]
    without_problems: list[str]  # agencies whose selected reports have nothing to correct
    path: Path

    @property
    def problems(self) -> int:
        return sum(len(n.problems) for n in self.notices)


# --- what goes in ----------------------------------------------------------------------------


def wanted(verdict: str | None, severity: str, status: str) -> bool:
    """A finding the notice lists: confirmed, or an error nobody has reviewed yet."""
    if verdict == DISMISSED:
        return False
    return verdict == CONFIRMED or (verdict is None and severity == ERROR and status == "fail")


def place_of(keys: Iterable[str]) -> tuple[str, list[str], list[str]]:
    """(表, rows, columns) of cell keys, as the official format prints them."""
    tables: list[str] = []
    rows: list[str] = []
    cols: list[str] = []
    for key in keys:
        parts = key.split(".")
        if len(parts) != 3:
            continue
        t, r, c = parts
        tables.append(TABLE_NAMES.get(t, t))
        if t == "t3":
            rows.append(row_label(r))
            cols.append(T3_LABELS.get(c, c))
        elif t == "t4":
            rows.append(T4_SHORT_ROWS.get(r, r))
            cols.append(T4_LABELS.get(c, c))
        else:
            row_col = t2_names(key)
            rows.append(row_col[0] if row_col else r)
            cols.append(row_col[1] if row_col else c)
    return ("、".join(dict.fromkeys(tables)), list(dict.fromkeys(rows)),
            list(dict.fromkeys(cols)))


def _label(key: str, one_row: bool) -> str:
    _, rows, cols = place_of([key])
    if not rows:
        return key
    return cols[0] if one_row else f"{rows[0]}·{cols[0]}"


def _figures(finding: Any, values: dict[str, Any]) -> str:
    left, right = finding.left or {}, finding.right or {}
    keys = [*left, *right] or list(finding.cells)
    one_row = len(place_of(keys)[1]) <= 1
    if left or right:
        def side(d: dict[str, Any]) -> str:
            if not all(isinstance(v, int | float) for v in d.values()):
                return SEP.join(f"{_label(k, one_row)} {fmt_num(v)}" for k, v in d.items())
            text = " + ".join(f"{_label(k, one_row)} {fmt_num(v)}" for k, v in d.items())
            return text + (f" = {fmt_num(sum(d.values()))}" if len(d) > 1 else "")

        return SEP.join(side(d) for d in (left, right) if d)
    shown = [f"{_label(k, one_row)} {fmt_num(values.get(k))}" for k in finding.cells
             if k in values]
    return SEP.join(shown)


def plain_words(finding: Any) -> str | None:
    """A sum that does not add up, told in plain words with the labels as printed:
    表四「行政复议」行：「总计」填报为 0，但「结果维持」「结果纠正」… 之和为 11（10+1+0+0），
    两者相差 11。None for any other finding (its own message is used)."""
    left, right = finding.left or {}, finding.right or {}
    numbers = [*left.values(), *right.values()]
    if not left or not right or not all(isinstance(v, int | float) and not isinstance(v, bool)
                                        for v in numbers):
        return None
    keys = [*left, *right]
    table, rows, _ = place_of(keys)
    one_row = len(rows) == 1
    where = f"{table}「{rows[0]}」行" if one_row else table

    def side(d: dict[str, Any]) -> tuple[str, str]:
        names = "".join(f"「{_label(k, one_row)}」" for k in d)
        total = sum(d.values())
        if len(d) == 1:
            return names, fmt_num(total)
        return f"{names}之和", f"{fmt_num(total)}（{'+'.join(fmt_num(v) for v in d.values())}）"

    (ln, lv), (rn, rv) = side(left), side(right)
    diff = abs(sum(left.values()) - sum(right.values()))
    filled = "填报为" if len(left) == 1 else "为"
    return f"{where}：{ln}{filled} {lv}，但{rn}为 {rv}，两者相差 {fmt_num(diff)}。"


def problems_of(store: Any, report_id: int) -> list[Problem]:
    """The problems of one stored report that a notice lists (see :func:`wanted`)."""
    row = store.get_report(report_id)
    values = store.effective_values(report_id)
    out = []
    for sf in store.findings(report_id):
        f = sf.finding
        if not wanted(sf.verdict, f.severity, f.status):
            continue
        table, rows, cols = place_of(f.cells)
        text = plain_words(f) or _SPACE.sub("", f.message)
        out.append(Problem(report_id, row["year"], text, table, rows,
                           cols, _figures(f, values), f.basis or "",
                           VERDICT_STATES[CONFIRMED] if sf.verdict == CONFIRMED
                           else UNREVIEWED_ERROR, severity_name(f.severity), _kind(f)))
    return out


def _kind(finding: Any) -> str:
    from core.catalogue import OTHER, line_of

    check = line_of(finding)
    return "" if check is OTHER else f"{check.label}（{check.id}）"


def gather(store: Any, report_ids: Iterable[int]) -> list[AgencyNotice]:
    """The selected reports grouped by agency (the register's), problems collected."""
    from core.register import Register

    names = Register(store).display_names()
    by_agency: dict[str, AgencyNotice] = {}
    for rid in dict.fromkeys(report_ids):
        row = store.get_report(rid)
        name = names.get(row["agency"] or "") or row["agency"] or row["file_name"]
        notice = by_agency.setdefault(name, AgencyNotice(name, []))
        notice.reports.append(row)
        notice.problems += problems_of(store, rid)
    for n in by_agency.values():
        n.reports.sort(key=lambda r: (r["year"] or 0, r["id"]))
        order = {r["id"]: i for i, r in enumerate(n.reports)}
        n.problems.sort(key=lambda p: order[p.report_id])
    return list(by_agency.values())


def report_title(row: dict[str, Any]) -> str:
    """《…》 for a stored report: its own title, else agency + year."""
    title = _SPACE.sub("", row.get("title") or "")
    if not title:
        title = f"{row.get('agency') or ''}{row.get('year') or ''}年政府信息公开工作年度报告"
    return f"《{title.strip('《》')}》"


# --- the document ----------------------------------------------------------------------------


def default_deadline(today: date, wording: dict[str, Any] | None = None) -> date:
    days = int((wording or load_wording("notice"))["notice"].get("deadline_days", 15))
    return today + timedelta(days=days)


def write_notices(store: Any, report_ids: Iterable[int], path: str | Path, *,
                  deadline: date | None = None, office: str | None = None,
                  when: date | None = None) -> NoticeResult:
    """One DOCX with a notice per agency (each on its own pages) at ``path``."""
    wording = load_wording("notice")
    words: dict[str, Any] = wording["notice"]
    when = when or date.today()
    deadline = deadline or default_deadline(when, wording)
    office = office or store.settings().get("office") or words.get("office", "")
    notices = gather(store, report_ids)
    if not notices:
        raise NoticeError("no report selected", "没有选择报告")
    with_problems = [n for n in notices if n.problems]
    if not with_problems:
        raise NoticeError("the selected reports have nothing to correct",
                          "所选报告没有已确认的问题，也没有未审查的错误，无需发整改通知")
    doc = OfficialDocument(wording.get("fonts"))
    for i, n in enumerate(with_problems):
        if i:
            doc.page_break()
        _one_notice(doc, n, words, deadline=deadline, office=office, when=when)
    target = Path(path)
    doc.save(target)
    return NoticeResult(with_problems, [n.agency for n in notices if not n.problems], target)


def _one_notice(doc: OfficialDocument, n: AgencyNotice, words: dict[str, Any], *,
                deadline: date, office: str, when: date) -> None:
    fields = {"agency": n.agency, "year": n.years, "office": office,
              "reports": "、".join(report_title(r) for r in n.reports),
              "deadline": chinese_date(deadline), "date": chinese_date(when),
              "count": len(n.problems)}
    doc.title(fill(words["title"], **fields))
    if words.get("doc_number"):
        doc.doc_number(fill(words["doc_number"], **fields))
    doc.addressee(fill(words["greeting"], **fields))
    doc.paragraph(fill(words["opening"], **fields))
    several_years = len({p.year for p in n.problems}) > 1
    for k, p in enumerate(n.problems, 1):
        text = p.text if not several_years else f"（{p.year}年度报告）{p.text}"
        parts = [fill(words["problem"], n=k, text=text, **fields)]
        # Each optional part is left out when the template leaves its wording empty.
        if p.table and words.get("problem_place"):
            parts.append(fill(words["problem_place"], place=p.place))
        if p.figures and words.get("problem_figures"):
            parts.append(fill(words["problem_figures"], figures=p.figures))
        if p.basis and words.get("problem_basis"):
            parts.append(fill(words["problem_basis"], basis=p.basis))
        doc.paragraph("".join(parts))
    doc.paragraph(fill(words["request"], **fields))
    doc.paragraph(fill(words["closing"], **fields))
    doc.signature(office, when)
    if words.get("contact"):
        doc.paragraph(fill(words["contact"], **fields), indent=False)
    rows = [[str(k), p.table or "—", "、".join(p.rows) or "—", "、".join(p.columns) or "—",
             p.figures or "—", p.kind or p.text] for k, p in enumerate(n.problems, 1)]
    doc.table(list(words["table_headers"]), rows, caption=words.get("table_caption"),
              widths_mm=[11, 13, 28, 30, 38, 36])
