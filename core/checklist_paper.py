"""The papers as data: one report's checklist (审查表) and the batch summary (审查汇总表).

:func:`checklist_paper` gathers what the checklist prints from the database: the report's
facts, its lines (:mod:`core.line_results`), the corrections that stand, the conclusion
(the inspector's, else the one proposed), the opinion, and the sign-off (office, 审查人,
复核人, date). :meth:`ChecklistPaper.to_json` is ``main.py checklist ID --format json``;
:mod:`core.checklist_html` lays the same data out as HTML, and ``render`` prints it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from core.basis import DEFAULT_PROFILE, profile_key
from core.checks.common import cell_label
from core.line_results import CheckLine, counts, evaluate, proposed_conclusion
from core.model import Report


@dataclass
class SignOff:
    """Who signs the paper: printed at its end."""

    office: str = ""  # the 政务公开办's name (settings)
    reviewer: str = ""  # 审查人
    checker: str = ""  # 复核人 (signs by hand when blank)
    date: date | datetime | str | None = None  # 日期 (default: today)


@dataclass
class ChecklistPaper:
    """Everything one report's checklist prints."""

    report: Report
    report_id: int | None
    lines: list[CheckLine]
    proposed: str  # the conclusion the lines propose
    conclusion: str  # the inspector's, else the proposed one
    conclusion_reason: str = ""  # why the inspector set another than the proposed
    conclusion_by: str = ""
    conclusion_at: str = ""
    note: str = ""  # 审查意见
    note_by: str = ""
    note_at: str = ""
    status: str = ""  # 未审 / 审查中 / 已审
    revision: int | None = None
    corrections: list[Mapping[str, Any]] = field(default_factory=list)
    sign: SignOff = field(default_factory=SignOff)
    profile: str = DEFAULT_PROFILE

    @property
    def counts(self) -> dict[str, int]:
        return counts(self.lines)

    @property
    def overridden(self) -> bool:
        return self.conclusion != self.proposed

    def to_json(self) -> dict[str, Any]:
        r = self.report
        return {
            "report": {"id": self.report_id, "agency": r.agency, "year": r.year,
                       "format": r.format, "published": r.published, "file": r.file,
                       "sha256": r.sha256, "revision": self.revision},
            "status": self.status,
            "conclusion": self.conclusion,
            "proposed_conclusion": self.proposed,
            "conclusion_reason": self.conclusion_reason or None,
            "conclusion_by": self.conclusion_by or None,
            "conclusion_at": self.conclusion_at or None,
            "note": self.note or None,
            "note_by": self.note_by or None,
            "note_at": self.note_at or None,
            "reviewer": self.sign.reviewer or None,
            "checker": self.sign.checker or None,
            "office": self.sign.office or None,
            "basis_profile": self.profile,
            "counts": self.counts,
            "lines": [line_json(ln) for ln in self.lines],
            "corrections": [
                {"key": h.get("key"), "label": cell_label(str(h.get("key", "")), r.format),
                 "before": h.get("before"), "after": h.get("after"),
                 "reviewer": h.get("reviewer"), "reason": h.get("reason"), "at": h.get("at")}
                for h in self.corrections],
        }


def line_json(line: CheckLine) -> dict[str, Any]:
    return {
        "id": line.id, "group": line.check.group, "label": line.label, "status": line.status,
        "basis": line.basis, "note": line.note or None,
        "findings": [{"fingerprint": i.fingerprint, "rule": i.rule, "severity": i.severity,
                      "status": i.status, "message": i.message, "verdict": i.verdict,
                      "reason": i.reason, "result": i.result,
                      "cells": [k for k, _ in i.cells]} for i in line.items],
    }


def effective_corrections(history: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The corrections that still stand: undone ones and the undo rows themselves left out."""
    rows = list(history)
    undone = {h.get("undoes") for h in rows if h.get("undoes") is not None}
    return [h for h in rows if h.get("undoes") is None and not h.get("undone_by")
            and h.get("id") not in undone]


# --- from the database ---------------------------------------------------------------------


def previous_report(store: Any, report: Report, report_id: int | None = None) -> Report | None:
    """The same agency's latest report before this one's year (latest revision), if any:
    the store's answer, under any of the agency's names in the register of agencies."""
    best = store.previous_of(report.agency, report.year)
    if best is None or best == report_id:
        return None
    return store.effective_report(best, with_findings=False)


def basis_profile(store: Any, profile: str | None = None) -> str:
    """The profile asked for, else the office's setting, else national."""
    return profile_key(profile if profile is not None
                       else store.settings().get("basis_profile"))


def lines_for(store: Any, report_id: int, *, profile: str | None = None
              ) -> tuple[Report, list[CheckLine]]:
    """The effective report and its checklist lines, verdicts and previous year included."""
    report = store.effective_report(report_id, with_findings=False)
    stored = store.findings(report_id)
    report.findings = [sf.finding for sf in stored]
    verdicts = {sf.finding.fingerprint: sf for sf in stored if sf.verdict}
    return report, evaluate(report, report.findings, verdicts,
                            previous=previous_report(store, report, report_id),
                            profile=basis_profile(store, profile))


def sign_off(store: Any, row: Mapping[str, Any] | None = None, *, office: str | None = None,
             reviewer: str | None = None, checker: str | None = None,
             review_date: date | datetime | str | None = None) -> SignOff:
    """The sign-off: what is given, else the office's settings and the report's reviewer."""
    row = row or {}
    return SignOff(office if office is not None else store.settings().get("office", ""),
                   reviewer or row.get("reviewer") or "", checker or "",
                   review_date or date.today())


def checklist_paper(store: Any, report_id: int, *, profile: str | None = None,
                    office: str | None = None, reviewer: str | None = None,
                    checker: str | None = None,
                    review_date: date | datetime | str | None = None) -> ChecklistPaper:
    """A stored report's checklist as data."""
    row = store.get_report(report_id)
    prof = basis_profile(store, profile)
    report, lines = lines_for(store, report_id, profile=prof)
    proposed = proposed_conclusion(lines, store.unqualifying_lines())
    return ChecklistPaper(
        report, report_id, lines, proposed, row.get("conclusion") or proposed,
        row.get("conclusion_reason") or "", row.get("conclusion_by") or "",
        row.get("conclusion_at") or "", row.get("note") or "", row.get("note_by") or "",
        row.get("note_at") or "", row.get("status") or "", row.get("revision"),
        effective_corrections(store.history(report_id)),
        sign_off(store, row, office=office, reviewer=reviewer, checker=checker,
                 review_date=review_date), prof)


@dataclass
class SummaryRow:
    """One report in the batch summary."""

    agency: str | None
    year: int | None
    file: str
    lines: list[CheckLine]
    report_id: int | None = None
    published: str | None = None
    conclusion: str = ""


@dataclass
class SummaryPaper:
    """The batch summary: one row per report, one column per check, then the sign-off."""

    rows: list[SummaryRow]
    sign: SignOff = field(default_factory=SignOff)
    charts: list[tuple[str, str]] = field(default_factory=list)  # (caption, image src)
    title: str = "政府信息公开工作年度报告审查汇总表"


def summary_rows(store: Any, report_ids: Iterable[int], *, profile: str | None = None
                 ) -> list[SummaryRow]:
    out = []
    unqualifying = store.unqualifying_lines()
    for rid in report_ids:
        row = store.get_report(rid)
        report, lines = lines_for(store, rid, profile=profile)
        conclusion = row.get("conclusion") or proposed_conclusion(lines, unqualifying)
        out.append(SummaryRow(report.agency, report.year, report.file, lines, rid,
                              report.published, conclusion))
    return out


def summary_paper(store: Any, report_ids: Iterable[int], *, office: str | None = None,
                  reviewer: str | None = None, checker: str | None = None,
                  review_date: date | datetime | str | None = None,
                  charts: Iterable[tuple[str, str]] = ()) -> SummaryPaper:
    return SummaryPaper(summary_rows(store, report_ids),
                        sign_off(store, None, office=office, reviewer=reviewer,
                                 checker=checker, review_date=review_date), list(charts))
