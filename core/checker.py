"""The checker: every rule of the format and the law, as findings on the cells that break them.

``check(report, previous=None, deadlines=None)`` runs the rule groups of
:mod:`core.checks` on the report's effective cell values and returns the findings.
Pure Python and fast (well under 5 ms a report): a corrected cell re-checks at once.

One cause, one correction: every broken rule gets its own finding (the scorer and the
inspector both want to see each broken identity), but findings that a single corrected
cell would fix together share ``Finding.cause`` (that cell) and ``cause_value`` (the value
that makes all of them hold). The GUI and the checklist group them by cause with
:func:`group_by_cause` and say "一处更正可同时修复以下 N 项" (:func:`cause_note`).
"""

from __future__ import annotations

from core.catalogue import CHECK_BY_ID, national_basis
from core.checks import (
    arithmetic,
    content,
    crossyear,
    dates,
    labels,
    ocr,
    prose,
    structure,
    values,
)
from core.checks.common import FAIL, Context, Equation, cell_label, fmt_num
from core.checks.dates import Deadlines, LocalDeadline
from core.model import Finding, Report

__all__ = ["check", "Deadlines", "LocalDeadline", "group_by_cause", "cause_note"]

GROUPS = (structure, dates, values, arithmetic, prose, content, labels, crossyear, ocr)


def check(report: Report, previous: Report | None = None,
          deadlines: Deadlines | None = None) -> list[Finding]:
    """All findings of one report (and against the same agency's previous report)."""
    ctx = Context(report, previous, deadlines or Deadlines())
    findings: list[Finding] = []
    for group in GROUPS:
        findings += group.run(ctx)
    assign_causes(ctx, ctx.equations)
    _unique_fingerprints(findings)
    # A finding cites its checklist line's national basis: one wording, in the catalogue.
    for f in findings:
        if f.check in CHECK_BY_ID:
            f.basis = national_basis(f.check, report.format)
    return findings


def assign_causes(ctx: Context, equations: list[Equation]) -> None:
    """Mark failed sums that one corrected cell would all fix with that cell.

    A cell explains a set of failures when every sum it takes part in (passing ones
    included) fails, and all of them need the same change of that cell. Only cells
    explaining two or more failures are named, and only when no other cell explains
    exactly the same failures (then the cause is ambiguous).
    """
    suspects = {k for eq in equations if eq.status == FAIL for k in eq.left + eq.right}
    if not suspects:
        return
    by_cell: dict[str, list[Equation]] = {}
    for eq in equations:
        if eq.status == "uncertain":
            continue
        for k in eq.left + eq.right:
            if k in suspects:
                by_cell.setdefault(k, []).append(eq)
    by_set: dict[frozenset[int], list[tuple[str, float, list[Equation]]]] = {}
    for key, eqs in by_cell.items():
        if len(eqs) < 2 or any(e.status != FAIL for e in eqs):
            continue
        deltas = {round(-e.difference if key in e.left else e.difference, 6) for e in eqs}
        if len(deltas) != 1:
            continue
        delta = deltas.pop()
        value = ctx.num(key)
        if value is None or value + delta < 0:
            continue
        by_set.setdefault(frozenset(id(e) for e in eqs), []).append((key, delta, eqs))
    done: set[int] = set()
    for ids, cands in sorted(by_set.items(), key=lambda kv: -len(kv[0])):
        if len(cands) != 1 or ids & done:
            continue
        key, delta, eqs = cands[0]
        new = ctx.num(key) + delta  # type: ignore[operator]
        if isinstance(new, float) and new.is_integer():
            new = int(new)
        for e in eqs:
            if e.finding is not None:
                e.finding.cause = key
                e.finding.cause_value = new
        done |= ids


def group_by_cause(findings: list[Finding]) -> list[list[Finding]]:
    """Findings in groups: those sharing a cause together, every other finding alone."""
    groups: dict[str, list[Finding]] = {}
    out: list[list[Finding]] = []
    for f in findings:
        if f.cause is None:
            out.append([f])
        elif f.cause in groups:
            groups[f.cause].append(f)
        else:
            groups[f.cause] = [f]
            out.append(groups[f.cause])
    return out


def cause_note(group: list[Finding], label: str | None = None) -> str | None:
    """"若将「…」改为 N,一处更正可同时修复以下 3 项" for a group sharing a cause."""
    if len(group) < 2 or group[0].cause is None:
        return None
    where = label or cell_label(group[0].cause)
    return (f"若将{where}更正为 {fmt_num(group[0].cause_value)},"
            f"一处更正可同时修复以下 {len(group)} 项。")


def _unique_fingerprints(findings: list[Finding]) -> None:
    seen: dict[str, int] = {}
    for f in findings:
        n = seen.get(f.fingerprint, 0)
        seen[f.fingerprint] = n + 1
        if n:
            f.fingerprint = f"{f.fingerprint}-{n + 1}"
