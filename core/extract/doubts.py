"""Whether a text PDF's first reading leaves a doubt: the question that decides whether
the second reader (:mod:`core.extract.second_reader`, pdfplumber) is consulted.

Kept apart from the second reader so that a clean report, the usual case, never
imports it.
"""

from __future__ import annotations

from core.document import Document
from core.extract.tables import Blocks, find_blocks
from core.model import BLANK, MISSING, NA, NUMBER, TEXT, ZERO, Cell, Report
from core.template import table_identities

# Cells read with less confidence than this raise a doubt (grid disagreements: 0.9).
DOUBT_CONFIDENCE = 0.95


def _num(cell: Cell | None) -> float | None:
    """A cell's value in a sum: its number, 0 for a blank or a mark (A5), else None."""
    if cell is None:
        return None
    if cell.kind in (NUMBER, ZERO) and isinstance(cell.value, int | float):
        return float(cell.value)
    if cell.kind in (BLANK, NA):
        return 0.0
    return None


def failing_identities(cells: dict[str, Cell], fmt_name: str, merged_other: bool,
                       table: str) -> int:
    """How many of the format's sums over ``table`` do not hold (or cannot be summed)."""
    bad = 0
    for _rule, left, right in table_identities(fmt_name, merged_other):
        if not left[0].startswith(table + "."):
            continue
        lv = [_num(cells.get(k)) for k in left]
        rv = [_num(cells.get(k)) for k in right]
        if None in lv or None in rv or abs(sum(lv) - sum(rv)) > 1e-6:  # type: ignore[arg-type]
            bad += 1
    return bad


def doubts(report: Report, blocks: Blocks | None = None) -> dict[str, list[str]]:
    """Each table whose first reading leaves a doubt, with the reasons. With the
    document's ``blocks``, a table whose place was found but not its rows is one."""
    out: dict[str, list[str]] = {}
    if report.format not in ("2019", "2021"):
        return out
    for t in ("t2", "t3", "t4"):
        if not report.tables_found.get(t):
            # Its section printed a table the first reading did not recognise.
            if blocks is not None and getattr(blocks, t) is not None:
                out[t] = ["table not read"]
            continue
        cells = {k: c for k, c in report.cells.items() if k.startswith(t + ".")}
        if report.merged_other_row:
            cells = {k: c for k, c in cells.items() if not k.startswith("t3.r3_6_")}
        reasons = []
        if failing_identities(report.cells, report.format, report.merged_other_row, t):
            reasons.append("sum fails")
        if any(c.kind == MISSING for c in cells.values()):
            reasons.append("row missing")
        if any(c.kind == TEXT for c in cells.values()):
            reasons.append("text in a cell")
        if any(c.confidence < DOUBT_CONFIDENCE and c.kind != MISSING for c in cells.values()):
            reasons.append("low confidence")
        if any(c.note for c in cells.values()):
            reasons.append("irregular grid")
        if reasons:
            out[t] = reasons
    return out


def doubtful_tables(doc: Document, report: Report, blocks: Blocks | None = None
                    ) -> tuple[dict[str, list[str]], Blocks | None]:
    """:func:`doubts` of a text PDF (none for other kinds), with the document's blocks
    when they were needed to tell (a table the first reading missed)."""
    if doc.kind != "pdf":
        return {}, blocks
    if blocks is None and not all(report.tables_found.get(t) for t in ("t2", "t3", "t4")):
        blocks = find_blocks(doc)  # where a table the first reading missed would be
    return doubts(report, blocks), blocks
