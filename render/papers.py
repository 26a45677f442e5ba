"""The papers from the database as printable documents, and as one PDF.

The one way the checklists and the batch summary are printed: ``main.py checklist
--pdf`` and the window's export and print-preview actions all come here. The data and
the HTML are core's (:mod:`core.checklist_paper`, :mod:`core.checklist_html`); this
module adds the charts and hands the pages to :mod:`render.pdf`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from core.checklist_html import CHECKLIST_TITLE, SUMMARY_TITLE, checklist_html, summary_html
from core.checklist_paper import checklist_paper, summary_paper
from render.pdf import Document, write_pdf


def _store(store_or_backend: Any) -> Any:
    """A core ReportStore from itself or from the window's StoreBackend (``.store``)."""
    return getattr(store_or_backend, "store", store_or_backend)


def checklist_documents(store: Any, report_ids: Iterable[int], *, profile: str | None = None,
                        office: str | None = None, reviewer: str | None = None,
                        checker: str | None = None,
                        review_date: date | str | None = None) -> list[Document]:
    """One :class:`Document` per report: its checklist, footed with agency and year."""
    store = _store(store)
    docs = []
    for rid in report_ids:
        paper = checklist_paper(store, rid, profile=profile, office=office, reviewer=reviewer,
                                checker=checker, review_date=review_date)
        r = paper.report
        foot = f"{r.agency or r.file} {r.year or ''}年度 审查表（第 {rid} 号）"
        docs.append(Document(checklist_html(paper), False, foot))
    return docs


def summary_document(store: Any, report_ids: Sequence[int], *, charts: bool = True,
                     office: str | None = None, reviewer: str | None = None,
                     checker: str | None = None,
                     review_date: date | str | None = None) -> Document:
    """The batch summary of the reports, its charts embedded as PNG data URIs."""
    store = _store(store)
    images: list[tuple[str, str]] = []
    if charts and report_ids:
        from render.charts import summary_charts

        images = summary_charts(store, list(report_ids))
    paper = summary_paper(store, report_ids, office=office, reviewer=reviewer, checker=checker,
                          review_date=review_date, charts=images)
    return Document(summary_html(paper), True, f"审查汇总表 · {len(paper.rows)} 份报告")


def export_papers(store: Any, report_ids: Sequence[int], out_pdf: str | os.PathLike[str],
                  summary: bool = False, *, profile: str | None = None,
                  office: str | None = None, reviewer: str | None = None,
                  checker: str | None = None, review_date: date | str | None = None,
                  charts: bool = True) -> int:
    """Write the reports' checklists (or, with ``summary``, the batch summary) into one PDF;
    return the number of pages written."""
    ids = list(report_ids)
    if not ids:
        raise ValueError("没有要输出的报告")
    if summary:
        docs = [summary_document(store, ids, charts=charts, office=office, reviewer=reviewer,
                                 checker=checker, review_date=review_date)]
        title = SUMMARY_TITLE
    else:
        docs = checklist_documents(store, ids, profile=profile, office=office,
                                   reviewer=reviewer, checker=checker, review_date=review_date)
        title = CHECKLIST_TITLE
    return write_pdf(docs, out_pdf, title=title)
