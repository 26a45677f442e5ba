"""The extracted report: cells with their source, report facts, sections, findings.

This is the one data model that flows from the extractor to the checker, the store,
the GUI and the JSON contract (``shared/spec/report-json.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.document import Location

# What a cell holds, kept apart from the start: a blank is never a zero.
NUMBER = "number"
ZERO = "zero"
BLANK = "blank"  # nothing printed
NA = "na"  # "/", "—", "-", "无": printed, but not a number
TEXT = "text"  # something else, e.g. "若干"
MISSING = "missing"  # the row or table could not be found in the document

Value = int | float | str | None


@dataclass
class Cell:
    """One statutory cell, keyed TABLE.ROW.COLUMN as in ``spec/templates.json``."""

    key: str
    value: Value = None
    raw: str = ""
    kind: str = MISSING
    loc: Location | None = None
    confidence: float = 1.0

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "raw": self.raw, "kind": self.kind,
                               "confidence": round(self.confidence, 3)}
        if self.loc is not None:
            out["loc"] = self.loc.to_json()
        return out


@dataclass
class Finding:
    """One problem found in a report.

    ``rule`` and ``severity`` follow the contract. ``status`` is "fail", or
    "uncertain" where an operand is blank or unreadable. ``left``/``right`` hold the
    cells on each side of an equation ({key: value}), ``difference`` left minus right.
    ``fingerprint`` is stable across re-checks so an inspector's verdict survives.
    Document-level findings carry ``section``, ``table`` or ``field``.
    """

    rule: str
    severity: str
    message: str
    cells: list[str] = field(default_factory=list)
    status: str = "fail"
    left: dict[str, Value] = field(default_factory=dict)
    right: dict[str, Value] = field(default_factory=dict)
    difference: float | None = None
    basis: str = ""
    check: str = ""  # checklist id, C01..C30
    section: str | None = None
    table: str | None = None
    field: str | None = None
    quote: str | None = None  # the sentence of the prose a text check read
    fingerprint: str = ""
    # Findings that one correction would fix together share ``cause``: the cell that,
    # set to ``cause_value``, makes every one of them hold (None when no single cell does).
    cause: str | None = None
    cause_value: Value = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule, "severity": self.severity, "status": self.status,
            "cells": list(self.cells), "message": self.message,
        }
        for name in ("section", "table", "field", "quote", "difference"):
            v = getattr(self, name)
            if v is not None:
                out[name] = v
        if self.left or self.right:
            out["left"] = dict(self.left)
            out["right"] = dict(self.right)
        if self.basis:
            out["basis"] = self.basis
        if self.check:
            out["check"] = self.check
        out["fingerprint"] = self.fingerprint
        if self.cause is not None:
            out["cause"] = self.cause
            out["cause_value"] = self.cause_value
        return out


@dataclass
class Report:
    """Everything the extractor read from one file."""

    file: str
    sha256: str
    kind: str  # pdf | scanned-pdf | docx | doc | html | txt
    pages: int | None
    format: str | None  # "2019" | "2021" | None when no table was recognised
    year: int | None  # the year covered (统计期限), not the year published
    published: str | None  # ISO date
    title: str | None
    agency: str | None
    sections: dict[str, bool]  # s1..s6
    cells: dict[str, Cell]  # every cell of the format, in template order
    text: str = ""  # the prose, for the text checks and full-text search
    section_text: dict[str, str] = field(default_factory=dict)  # s1..s6 → body text
    tables_found: dict[str, bool] = field(default_factory=dict)  # t2, t3, t4
    # Rows the extractor expected but could not find, and other reading notes.
    notes: list[str] = field(default_factory=list)
    # The agency is a 人民政府 / 办公厅(室) publishing the government's own report.
    is_government: bool = False
    # 部门 / 政府本级 when known for sure (the inspector's, in the register of agencies);
    # "" leaves it to is_government and the name.
    level: str = ""
    # 2021 reports that print (六)其他处理 as one row: values sit under t3.r3_6.*.
    merged_other_row: bool = False
    findings: list[Finding] = field(default_factory=list)

    def values(self) -> dict[str, Value]:
        """The cell values as the contract prints them: key → number, string or None."""
        return {k: c.value for k, c in self.cells.items()}
