"""OCR confidence: cells read by OCR that the inspector should look at.

- ``cell.low_confidence`` (warning), text PDFs: the cells the two PDF readers read
  differently where neither reading satisfies the table's sums (both readings quoted).
- ``cell.low_confidence`` (warning): in a report read by OCR (``Report.kind`` is
  "scanned-pdf"), the cells whose confidence is under :data:`THRESHOLD` (the
  recogniser's score of the printed text, lowered where letters were read as digits or
  where the value's column was uncertain), and the cells of rows OCR could not find in
  a table it found (their figures were not read at all). One finding per table listing every such
  cell, so the GUI colours them for review. Like every finding's, its fingerprint is
  made of the rule, the table and the cells (never the confidences): re-reading the same
  scan gives the same fingerprint, so the inspector's verdict survives a re-check.
"""

from __future__ import annotations

from core.checks.common import WARNING, Context, finding
from core.model import MISSING, Finding

# Cells read with less confidence than this are flagged. Measured on the six scanned
# reports of the dev corpus (benchmarks/ocr_speed.py, tests/test_ocr.py): every wrong
# cell scored under it, and few right ones did.
THRESHOLD = 0.9
OCR_KINDS = frozenset({"scanned-pdf", "image"})


def run(ctx: Context) -> list[Finding]:
    report = ctx.report
    if report.kind not in OCR_KINDS:
        return _disputed(ctx)
    out: list[Finding] = []
    for t in ("t2", "t3", "t4"):
        if not ctx.table_present(t):
            continue
        low = [k for k in ctx.table_keys(t) if _low(report.cells.get(k))]
        if not low:
            continue
        shown = "、".join(ctx.label(k) for k in low[:6])
        more = f"等 {len(low)} 个单元格" if len(low) > 6 else ""
        out.append(finding(
            "cell.low_confidence", WARNING,
            f"{shown}{more}由文字识别（OCR）读出，识别把握不足，"
            "请对照原件核对这些数字。",
            check="", basis="扫描件文字识别", cells=low, table=t))
    return out


def _low(cell) -> bool:
    """Read with little confidence, or not read at all (a row OCR could not find)."""
    if cell is None:
        return False
    return cell.kind == MISSING or cell.confidence < THRESHOLD


def _disputed(ctx: Context) -> list[Finding]:
    """Text PDFs: the cells the two PDF readers read differently, neither settling it
    (``Cell.readings``, see core/extract/second_reader.py). One warning per table."""
    out: list[Finding] = []
    for t in ("t2", "t3", "t4"):
        cells = [k for k in ctx.table_keys(t)
                 if (c := ctx.report.cells.get(k)) is not None and c.readings]
        if not cells:
            continue
        shown = "、".join(
            f"{ctx.label(k)}（「{ctx.report.cells[k].readings.get('first') or '空白'}」或"
            f"「{ctx.report.cells[k].readings.get('second') or '空白'}」）" for k in cells[:4])
        more = f"等 {len(cells)} 个单元格" if len(cells) > 4 else ""
        out.append(finding(
            "cell.low_confidence", WARNING,
            f"{shown}{more}两种读法不一致，表格合计也无法确定哪一种正确，"
            "请对照原件核对这些数字。",
            check="", basis="PDF 两种读法对照", cells=cells, table=t))
    return out
