"""HTML → A4 PDF pages with Qt: QTextDocument laid out once, cut between table rows.

Each document is laid out on A4 in the CJK font (:func:`render.qt.print_font`), so the PDF
embeds a subset of it with a ToUnicode map: the text can be read back and searched.
Several documents (one checklist per report, or the summary) go into one PDF, each
starting on a new page with its own "第 i 页 共 n 页" footer; the summary is landscape.
Every PDF written here carries :data:`PRODUCER_MARK` as its Creator, so that the import
can recognise the program's own papers and refuse them as reports.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QRawFont,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextTable,
)

from core.not_a_report import PRODUCER_MARK
from render.qt import cjk_family, ensure_app, print_font

MARGINS_MM = QMarginsF(16, 12, 16, 10)  # left, top, right, bottom
FOOTER_PT = 16.0  # room kept at the foot of each page for the page number


@dataclass
class Document:
    """One HTML document to print, starting on a new page."""

    html: str
    landscape: bool = False
    footer: str = ""  # printed left of the page number on each page


def page_layout(landscape: bool = False) -> QPageLayout:
    orientation = (QPageLayout.Orientation.Landscape if landscape
                   else QPageLayout.Orientation.Portrait)
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation, MARGINS_MM,
                       QPageLayout.Unit.Millimeter)


_IMG = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)["']""", re.I)


def make_document(html: str, device: QPagedPaintDevice | None = None) -> QTextDocument:
    """A QTextDocument of ``html`` in the CJK font, with its images loaded (paths, data URIs)."""
    ensure_app()
    doc = QTextDocument()
    font = print_font()
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    for src in set(_IMG.findall(html)):
        image = _load_image(src)
        if image is not None and not image.isNull():
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(src), image)
    if device is not None:
        doc.documentLayout().setPaintDevice(device)
    doc.setHtml(html)
    return doc


def _load_image(src: str) -> QImage | None:
    if src.startswith("data:"):
        try:
            head, data = src.split(",", 1)
            raw = base64.b64decode(data) if ";base64" in head else data.encode("latin-1")
        except (ValueError, base64.binascii.Error):  # type: ignore[attr-defined]
            return None
        return QImage.fromData(raw)
    path = QUrl(src).toLocalFile() if src.startswith("file:") else src
    return QImage(path) if Path(path).is_file() else None


def paint_documents(device: QPagedPaintDevice, documents: Sequence[Document]) -> int:
    """Lay out and paint the documents on a PDF writer or printer; return the page count."""
    ensure_app()
    if not documents:
        raise ValueError("nothing to print")
    device.setPageLayout(page_layout(documents[0].landscape))
    painter = QPainter()
    if not painter.begin(device):
        raise OSError("cannot start painting (is the output file writable?)")
    pages = 0
    try:
        for i, d in enumerate(documents):
            if i:
                device.setPageLayout(page_layout(d.landscape))
                device.newPage()
            pages += _paint_one(painter, device, d)
    finally:
        painter.end()
    return pages


_BREAK_BEFORE = QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore


@dataclass
class _Cut:
    """Where one page may end and the next begin: the gap between two bands of content
    (``lo`` the bottom of the one above, ``hi`` the top of the one below)."""

    lo: float
    hi: float
    forced: bool = False  # page-break-before: always
    header: tuple[float, float] | None = None  # a table header to repeat after this cut


def _cuts(doc: QTextDocument) -> tuple[list[_Cut], float]:
    """Every place a page may be cut without splitting a line, a paragraph or a table row,
    nor parting a heading (h1-h6) from what follows it.

    Qt's own pagination splits table rows across pages (half a check on each page) and
    ignores no-break wishes, so the document is laid out as one long page and cut here,
    between rows. Cells spanning rows keep those rows together.
    """
    lay = doc.documentLayout()
    bands: list[list[float]] = []
    forced_tops: list[float] = []
    heading_bottoms: list[float] = []  # no cut right below a heading: it goes with its text
    tables: dict[int, QTextTable] = {}
    block = doc.begin()
    while block.isValid():
        rect = lay.blockBoundingRect(block)
        table = QTextCursor(block).currentTable()
        if table is None:
            bands.append([rect.top(), rect.bottom()])
            if block.blockFormat().pageBreakPolicy() & _BREAK_BEFORE:
                forced_tops.append(rect.top())
            if block.blockFormat().headingLevel() > 0:
                heading_bottoms.append(rect.bottom())
        else:
            tables.setdefault(id(table), table)
        block = block.next()
    headers: list[tuple[float, float, float]] = []  # (header band top, bottom, table end)
    for table in tables.values():
        rows: dict[int, list[float]] = {}
        for r in range(table.rows()):
            for c in range(table.columns()):
                cell = table.cellAt(r, c)
                if cell.row() != r or cell.column() != c:
                    continue  # covered by a span: counted with its origin cell
                top = lay.blockBoundingRect(cell.firstCursorPosition().block()).top()
                bottom = lay.blockBoundingRect(cell.lastCursorPosition().block()).bottom()
                last = r + cell.rowSpan() - 1
                ext = rows.setdefault(r, [top, bottom])
                ext[0] = min(ext[0], top)
                ext[1] = max(ext[1], bottom)
                if last != r:  # a spanning cell: the rows it covers form one band
                    bands.append([top, bottom])
        bands += list(rows.values())
        n_head = table.format().headerRowCount()
        if 0 < n_head < table.rows() and n_head - 1 in rows and n_head in rows:
            head_top = min(rows[r][0] for r in range(n_head))
            gap = rows[n_head][0] - rows[n_head - 1][1]
            end = max(v[1] for v in rows.values())
            # (the header's top rule, the rule under it): rules sit mid-gap between rows
            headers.append((head_top - gap / 2, rows[n_head - 1][1] + gap / 2, end))
    bands.sort()
    merged: list[list[float]] = []
    for top, bottom in bands:
        if merged and top < merged[-1][1] - 0.01:
            merged[-1][1] = max(merged[-1][1], bottom)
        else:
            merged.append([top, bottom])
    cuts = []
    for (_, lo), (hi, _) in zip(merged, merged[1:], strict=False):
        if hi < lo or any(abs(lo - b) < 0.5 for b in heading_bottoms):
            continue
        header = next(((t, b) for t, b, end in headers if lo >= b and hi <= end), None)
        forced = any(abs(hi - f) < 0.5 for f in forced_tops)
        cuts.append(_Cut(lo, hi, forced, header))
    total = doc.size().height()
    return cuts, total


def _paginate(doc: QTextDocument, height: float, rule: float = 1.0
              ) -> list[tuple[float, float, Any]]:
    """Pages as (start, end, table header to draw first or None), in document units.

    A page ends just below the rule drawn in the middle of the gap it is cut in (``rule``:
    half a rule's width and a little more, in document units), so no vertical rule pokes
    out below the last row; the next page starts with that rule again, or, under a
    repeated table header, just below it (the header's own bottom rule closes the row).
    """
    cuts, total = _cuts(doc)
    pages: list[tuple[float, float, Any]] = []
    start, header = 0.0, None

    def band(h: tuple[float, float]) -> tuple[float, float]:
        top, mid = h
        return top - rule, mid + rule

    while start < total - 0.5:
        avail = height - (band(header)[1] - band(header)[0] if header else 0)
        limit = start + avail
        forced = next((c for c in cuts if c.forced and c.lo > start
                       and (c.lo + c.hi) / 2 + rule <= limit), None)
        if forced is None and limit >= total:
            pages.append((start, total, header and band(header)))
            break
        fits = [c for c in cuts if (c.lo + c.hi) / 2 + rule <= limit and c.lo > start]
        cut = forced or (max(fits, key=lambda c: c.hi) if fits else None)
        if cut is None:  # one band taller than a page: cut it where the page ends
            pages.append((start, limit, header and band(header)))
            start, header = limit, None
            continue
        mid = (cut.lo + cut.hi) / 2
        pages.append((start, mid + rule, header and band(header)))
        header = None if cut.forced else cut.header
        # A forced break starts the next page below the gap: nothing of this page again.
        start = cut.hi - 0.5 if cut.forced else mid + rule if header else mid - rule
    return pages or [(0.0, total, None)]


def _draw_band(painter: QPainter, doc: QTextDocument, top: float, bottom: float, at: float,
               width: float, rule: float) -> None:
    """Paint the document's band [top, bottom] at ``at`` on the page.

    The painter is clipped to the band; the layout is asked to draw only what lies
    inside it less the rules at its edges, so rows above and below are not drawn at all
    (clipped-away drawing would still be in the PDF, read back as text and rules).
    """
    painter.save()
    painter.translate(0, at - top)
    painter.setClipRect(QRectF(0, top, width, bottom - top))
    ctx = QAbstractTextDocumentLayout.PaintContext()
    inner_top = top + 2 * rule + 0.5 if top > 0 else top
    ctx.clip = QRectF(0, inner_top, width, max(1.0, bottom - 2 * rule - 0.5 - inner_top))
    doc.documentLayout().draw(painter, ctx)
    painter.restore()


def _paint_one(painter: QPainter, device: QPagedPaintDevice, d: Document) -> int:
    res = device.logicalDpiY()
    rect = device.pageLayout().paintRectPixels(device.logicalDpiX())
    footer_h = FOOTER_PT * res / 72.0
    body = QSizeF(rect.width(), rect.height() - footer_h)
    doc = make_document(d.html, device)
    doc.setTextWidth(body.width())  # one long page, cut between rows by _paginate
    rule = 0.8 * res / 96.0 + 0.5  # a little more than half a 1 px rule, in layout units
    pages = _paginate(doc, body.height(), rule)
    n = len(pages)
    footer_font = QFont(doc.defaultFont())
    footer_font.setPointSizeF(8)
    for page, (start, end, header) in enumerate(pages):
        if page:
            device.newPage()
        y = 0.0
        if header:
            _draw_band(painter, doc, header[0], header[1], 0.0, body.width(), rule)
            y = header[1] - header[0]
        _draw_band(painter, doc, start, end, y, body.width(), rule)
        painter.save()
        painter.setFont(footer_font)
        painter.setPen(Qt.GlobalColor.darkGray)
        foot = QRectF(0, body.height(), body.width(), footer_h)
        painter.drawText(foot, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
                         d.footer)
        painter.drawText(foot, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                         f"第 {page + 1} 页 共 {n} 页")
        painter.restore()
    return n


def write_pdf(documents: Sequence[Document], out_path: str | os.PathLike[str], *,
              title: str = "") -> int:
    """Write the documents into one PDF; return the number of pages."""
    ensure_app()
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(out))
    writer.setResolution(300)
    writer.setCreator(PRODUCER_MARK)
    writer.setTitle(title or "政府信息公开工作年度报告审查表")
    pages = paint_documents(writer, documents)
    del writer  # flushes and closes the file
    fix_text_map(out)
    return pages


# --- the PDF's text map --------------------------------------------------------------------

_TOUNICODE = re.compile(rb"/ToUnicode\s+(\d+)\s+0\s+R")
_CODE = re.compile(rb"<([0-9A-Fa-f]{4})>")
_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000))  # CJK Unified Ideographs (and Ext. A)
_LOOKALIKES = (0x2E80, 0x3400)  # radicals, Kangxi radicals, strokes … sharing their glyphs
_fixes: dict[str, dict[int, int]] = {}


def _ideograph_map(family: str | None) -> dict[int, int]:
    """Radical/stroke code points → the ideograph drawn with the same glyph in ``family``.

    Noto Sans CJK draws 工 (U+5DE5) and ⼯ (KANGXI RADICAL WORK, U+2F2F) with one glyph, and
    Qt's PDF writer maps each glyph back to the lowest code point using it: copied or
    extracted text would read "⼯作", "⼈⺠政府", "第 1 ⻚". This finds the ideograph instead.
    """
    key = family or ""
    if key in _fixes:
        return _fixes[key]
    out: dict[int, int] = {}
    raw = QRawFont.fromFont(QFont(family) if family else QFont())
    if raw.isValid():
        lo, hi = _LOOKALIKES
        look = "".join(chr(c) for c in range(lo, hi))
        first: dict[int, int] = {}
        for a, b in _RANGES:
            text = "".join(chr(c) for c in range(a, b))
            for c, g in zip(range(a, b), raw.glyphIndexesForString(text), strict=True):
                if g:
                    first.setdefault(g, c)
        for c, g in zip(range(lo, hi), raw.glyphIndexesForString(look), strict=True):
            if g and g in first:
                out[c] = first[g]
    _fixes[key] = out
    return out


def fix_text_map(path: str | os.PathLike[str]) -> int:
    """Make the PDF's ToUnicode maps give ideographs, not radicals; return codes changed.

    Qt writes the maps uncompressed as ``<XXXX>`` codes, so each code is replaced in
    place by one of the same length: no offset in the file moves.
    """
    p = Path(path)
    data = bytearray(p.read_bytes())
    table = _ideograph_map(cjk_family())
    if not table:
        return 0
    changed = 0
    for num in set(_TOUNICODE.findall(data)):
        m = re.search(rb"\n" + num + rb" 0 obj\s*<<(.*?)>>\s*stream\r?\n", data, re.S)
        if not m or b"/Filter" in m.group(1):
            continue
        start = m.end()
        end = data.find(b"endstream", start)
        body = bytes(data[start:end])

        def swap(mm: re.Match[bytes]) -> bytes:
            nonlocal changed
            code = int(mm.group(1), 16)
            if code in table:
                changed += 1
                return b"<%04X>" % table[code]
            return mm.group(0)

        # Only destination codes change: those inside [ … ] arrays of a bfrange, and the
        # second code of each bfchar line. Source codes (glyph ids) stay as they are.
        fixed = re.sub(rb"\[[^\]]*\]", lambda a: _CODE.sub(swap, a.group(0)), body)
        fixed = re.sub(rb"(?m)^(<[0-9A-Fa-f]+>\s*)(<[0-9A-Fa-f]{4}>)\s*$",
                       lambda b: b.group(1) + _CODE.sub(swap, b.group(2)), fixed)
        if len(fixed) == len(body):
            data[start:end] = fixed
    if changed:
        p.write_bytes(bytes(data))
    return changed


def html_to_pdf(html: str, out_path: str | os.PathLike[str], *, landscape: bool = False,
                footer: str = "", title: str = "") -> int:
    """One HTML document → an A4 PDF with the CJK font embedded; returns the page count."""
    return write_pdf([Document(html, landscape, footer)], out_path, title=title)


