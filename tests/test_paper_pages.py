"""How the papers are cut into pages (render.pdf): a heading is never the last thing on a
page, apart from what it heads."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

from render.pdf import html_to_pdf

ROWS = "".join(f"<tr><td>第{i}行</td><td>{i}</td></tr>" for i in range(1, 6))


def _pages_text(pdf: Path) -> list[str]:
    doc = pdfium.PdfDocument(str(pdf))
    try:
        return ["".join(page.get_textpage().get_text_range().split()) for page in doc]
    finally:
        doc.close()


def test_a_heading_stays_with_what_follows_it(tmp_path: Path) -> None:
    # Filler of every length from half a page to well past one: for some of them the
    # heading falls at the foot of page 1, where it must move to the page of its table.
    moved = 0
    for filler in range(18, 48):
        paras = "".join(f"<p>第{k}段：政府信息公开工作年度报告审查说明文字。</p>"
                        for k in range(filler))
        html = (f"<html><body>{paras}<h2>统计图表</h2>"
                f'<table border="1" cellspacing="0">{ROWS}</table></body></html>')
        out = tmp_path / f"paper-{filler}.pdf"
        html_to_pdf(html, out)
        pages = _pages_text(out)
        heading = next(i for i, text in enumerate(pages) if "统计图表" in text)
        first_row = next(i for i, text in enumerate(pages) if "第1行" in text)
        assert heading == first_row, (filler, pages[heading][-40:])
        moved += heading > 0 and f"第{filler - 1}段" in pages[heading - 1]
    assert moved  # some lengths did put the heading on the second page
