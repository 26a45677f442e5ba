"""A checklist line's result, and the report's proposed conclusion: the one rule that the
checklist, the batch summary, the report list, the charts and the overview all use.

A line's result comes from its findings and the inspector's verdicts on them:

- a confirmed finding → 不通过;
- an error nobody has looked at → 不通过;
- a warning nobody has looked at → 待核实 (the inspector decides);
- a finding that only says "cannot tell" (a blank operand of a sum, a missing date) →
  无法判断; a doubt about the prose (uncertain) → 待核实;
- a dismissed finding → 通过, the reason printed under the line;
- nothing found → 通过, unless the line cannot be evaluated (无法判断) or does not apply
  to the report (不适用): :data:`core.catalogue.CONDITIONS`.

The conclusion proposed from the lines: any 不通过 → 需整改, a 不通过 on one of the
office's 不合格 lines (:data:`core.catalogue.DEFAULT_UNQUALIFYING`) → 不合格, else 合格.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from core.catalogue import (
    CHECKS,
    DEFAULT_UNQUALIFYING,
    OTHER,
    Check,
    Facts,
    first_unmet,
    line_of,
)
from core.checks.common import cell_label
from core.model import Finding, Report
from core.vocabulary import (
    CONFIRMED,
    DISMISSED,
    ERROR,
    FAIL,
    LINE_RESULT_SYMBOLS,
    LINE_RESULTS,
    NEEDS_RECTIFICATION,
    PASS,
    PENDING,
    QUALIFIED,
    UNCERTAIN,
    UNKNOWN,
    UNQUALIFIED,
)


@dataclass
class LineItem:
    """One finding as a line shows it."""

    message: str
    rule: str
    severity: str  # error | warning
    status: str  # the finding's: fail | uncertain
    cells: list[tuple[str, str]] = field(default_factory=list)  # (key, label)
    verdict: str | None = None  # confirmed | dismissed
    reason: str | None = None
    fingerprint: str = ""
    note: str | None = None  # "一处更正可同时修复以下 N 项" for a shared cause
    result: str = PASS  # what this finding alone makes of its line


@dataclass
class CheckLine:
    """One check's result on one report."""

    check: Check
    status: str  # one of vocabulary.LINE_RESULTS
    items: list[LineItem] = field(default_factory=list)
    note: str = ""  # why it cannot be judged or does not apply, or what it was compared with
    basis: str = ""  # as printed under the chosen profile

    @property
    def id(self) -> str:
        return self.check.id

    @property
    def label(self) -> str:
        return self.check.label

    @property
    def symbol(self) -> str:
        return LINE_RESULT_SYMBOLS[self.status]


def verdict_of(v: Any) -> tuple[str | None, str | None]:
    """(verdict, reason) from a string, a (verdict, reason) pair, a mapping or an object with
    ``verdict``/``reason`` attributes (core.store.StoredFinding)."""
    if v is None:
        return None, None
    if isinstance(v, str):
        return v, None
    if isinstance(v, tuple | list):
        return (v[0] if v else None), (v[1] if len(v) > 1 else None)
    if isinstance(v, Mapping):
        return v.get("verdict"), v.get("reason")
    return getattr(v, "verdict", None), getattr(v, "reason", None)


def finding_result(finding: Finding, verdict: str | None, check: Check | None = None) -> str:
    """What one finding makes of its line, given the inspector's verdict on it."""
    if verdict == CONFIRMED:
        return FAIL
    if verdict == DISMISSED:
        return PASS
    check = check or line_of(finding)
    if finding.rule in check.unknown_rules or (finding.status == UNCERTAIN
                                               and check.uncertain_is_unknown):
        return UNKNOWN
    if finding.status == UNCERTAIN:
        return PENDING  # a doubt (the prose's wording, say): the inspector decides
    return FAIL if finding.severity == ERROR else PENDING


# The worst result wins a line: one 不通过 among its findings fails it.
_RANK = {FAIL: 3, PENDING: 2, UNKNOWN: 1, PASS: 0}


def worst(results: Iterable[str]) -> str | None:
    """The result a line's findings give it (None when it has none)."""
    out = None
    for r in results:
        if out is None or _RANK[r] > _RANK[out]:
            out = r
    return out


def open_line_results(findings: Iterable[Finding], verdicts: Mapping[str, Any]
                      ) -> dict[str, str]:
    """Each line that has findings → the result they give it (check id → result)."""
    by_line: dict[str, list[str]] = {}
    for f in findings:
        check = line_of(f)
        by_line.setdefault(check.id, []).append(
            finding_result(f, verdict_of(verdicts.get(f.fingerprint))[0], check))
    return {line: worst(results) or PASS for line, results in by_line.items()}


def open_line_counts(findings: Iterable[Finding], verdicts: Mapping[str, Any]) -> dict[str, int]:
    """How many lines the findings make 不通过 and 待核实 (the store keeps these on the
    report row for the report list, the charts and the overview)."""
    results = list(open_line_results(findings, verdicts).values())
    return {FAIL: results.count(FAIL), PENDING: results.count(PENDING)}


def failed_line_ids(findings: Iterable[Finding], verdicts: Mapping[str, Any]) -> set[str]:
    """The lines the findings make 不通过 (a line without findings never fails)."""
    return {k for k, v in open_line_results(findings, verdicts).items() if v == FAIL}


def _items(check: Check, fs: list[Finding], verdicts: Mapping[str, Any],
           fmt: str | None) -> list[LineItem]:
    # Only the checklist's items need the checker (and with it every check module): a
    # line's result and the proposed conclusion (``show``, the report list) do not.
    from core.checker import cause_note, group_by_cause

    items = []
    for group in group_by_cause(fs):
        note = cause_note(group, cell_label(group[0].cause, fmt) if group[0].cause else None)
        for i, f in enumerate(group):
            verdict, reason = verdict_of(verdicts.get(f.fingerprint))
            items.append(LineItem(f.message, f.rule, f.severity, f.status,
                                  [(k, cell_label(k, fmt)) for k in f.cells], verdict, reason,
                                  f.fingerprint, note if i == 0 else None,
                                  finding_result(f, verdict, check)))
    return items


def evaluate(report: Report, findings: Iterable[Finding] | None = None,
             verdicts: Mapping[str, Any] | None = None, *, previous: Report | None = None,
             profile: str | None = None) -> list[CheckLine]:
    """One :class:`CheckLine` per check of the catalogue (plus one for findings of no check).

    ``findings`` default to ``report.findings``; ``verdicts`` map a fingerprint to the
    inspector's verdict; ``previous`` is the agency's previous report, if the database has
    one; ``profile`` chooses the basis printed (:mod:`core.basis`, national by default).
    """
    found = list(report.findings if findings is None else findings)
    verdicts = verdicts or {}
    by_line: dict[str, list[Finding]] = {}
    for f in found:
        by_line.setdefault(line_of(f).id, []).append(f)
    facts = Facts(report, previous, any(f.rule.startswith("crossyear.") for f in found))
    out: list[CheckLine] = []
    for check in (*CHECKS, OTHER):
        fs = by_line.get(check.id, [])
        if check is OTHER and not fs:
            continue
        items = _items(check, fs, verdicts, report.format)
        status = worst(i.result for i in items)
        note = ""
        if status is None:
            status, note = _without_findings(check, facts)
        out.append(CheckLine(check, status, items, note, check.basis(profile, report.format)))
    return out


def _without_findings(check: Check, facts: Facts) -> tuple[str, str]:
    unmet = first_unmet(check, facts)
    if unmet is not None:
        return unmet.result, unmet.note_for(facts)
    if check.cross_year and facts.previous is not None:
        return PASS, f"已与{facts.previous.year or '?'}年度报告核对"
    return PASS, ""


def counts(lines: Iterable[CheckLine]) -> dict[str, int]:
    """How many lines have each result (every result present, zeros included)."""
    out = dict.fromkeys(LINE_RESULTS, 0)
    for line in lines:
        out[line.status] += 1
    return out


def has_failure(lines: Iterable[CheckLine]) -> bool:
    return any(ln.status == FAIL for ln in lines)


def proposed_from_failed(failed: Iterable[str], unqualifying: Iterable[str] | None = None
                         ) -> str:
    """合格 / 需整改 / 不合格 from the ids of the lines that are 不通过: one of
    ``unqualifying`` (default :data:`core.catalogue.DEFAULT_UNQUALIFYING`) → 不合格, any
    other → 需整改, none → 合格."""
    failed = set(failed)
    serious = set(DEFAULT_UNQUALIFYING if unqualifying is None else unqualifying)
    if failed & serious:
        return UNQUALIFIED
    return NEEDS_RECTIFICATION if failed else QUALIFIED


def proposed_conclusion(lines: Sequence[CheckLine],
                        unqualifying: Iterable[str] | None = None) -> str:
    """The conclusion the lines propose (:func:`proposed_from_failed`)."""
    return proposed_from_failed((ln.id for ln in lines if ln.status == FAIL), unqualifying)
