"""The report JSON contract (``shared/spec/report-json.md``): writing it, and reading it back.

The contract's fields are fixed; this module only adds fields next to them
(``cell_details``, ``notes``, ``tables``), never renames.
"""

from __future__ import annotations

from typing import Any

from core.model import Report

SCHEMA = "gov-report/1"


def to_contract(report: Report, *, details: bool = True) -> dict[str, Any]:
    cells = report.values()
    doc: dict[str, Any] = {
        "schema": SCHEMA,
        "source": {"file": report.file, "sha256": report.sha256, "kind": report.kind,
                   "pages": report.pages},
        "report": {"title": report.title, "agency": report.agency, "year": report.year,
                   "format": report.format, "published": report.published},
        "sections": dict(report.sections),
        "cells": cells,
        "findings": [f.to_json() for f in report.findings],
        "tables": dict(report.tables_found),
    }
    if report.merged_other_row:
        doc["report"]["merged_other_row"] = True
    if details:
        doc["cell_details"] = {k: c.to_json() for k, c in report.cells.items()}
    if report.notes:
        doc["notes"] = list(report.notes)
    return doc


# --- reading a contract document back into a Report (tests, batch re-checks) -------------

def _kind(value: Any, table_found: bool) -> str:
    from core.model import BLANK, MISSING
    from core.values import kind_of_value

    if value is None:
        return BLANK if table_found else MISSING
    return kind_of_value(value)


def report_from_contract(doc: dict[str, Any]) -> Report:
    """A :class:`Report` from a contract document (e.g. a truth file), for checking.

    Cell kinds are inferred from the values: None → blank, 0 → zero, a number →
    number, "/", "—", "-", "无" → na, other strings → text. A table whose cells are
    all null counts as absent (its cells are "missing"), unless the document's
    ``tables`` says otherwise. Prose is not part of the contract: fill ``text`` and
    ``section_text`` yourself when you have them.
    """
    from core.model import Cell

    rep = doc.get("report") or {}
    src = doc.get("source") or {}
    values: dict[str, Any] = dict(doc.get("cells") or {})
    tables = dict(doc.get("tables") or {})
    for t in ("t2", "t3", "t4"):
        if t not in tables:
            vals = [v for k, v in values.items() if k.startswith(t + ".")]
            tables[t] = any(v is not None for v in vals)
    cells = {}
    for key, value in values.items():
        found = tables.get(key.split(".", 1)[0], True)
        raw = "" if value is None else str(value)
        cells[key] = Cell(key=key, value=value, raw=raw, kind=_kind(value, found))
    fmt = rep.get("format")
    year = rep.get("year")
    merged = bool(rep.get("merged_other_row")) or (
        str(fmt) == "2021" and any(k.startswith("t3.r3_6.") and v is not None
                                   for k, v in values.items()))
    return Report(
        file=src.get("file") or "", sha256=src.get("sha256") or "", kind=src.get("kind") or "",
        pages=src.get("pages"), format=None if fmt is None else str(fmt),
        year=None if year is None else int(year), published=rep.get("published"),
        title=rep.get("title"), agency=rep.get("agency"),
        sections=dict(doc.get("sections") or {}), cells=cells, tables_found=tables,
        is_government=bool(rep.get("is_government", False)), merged_other_row=merged,
    )
