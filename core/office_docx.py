"""Official-document layout (GB/T 9704) for the DOCX papers the office sends.

A4, margins 37/35/28/26 mm, title in 小标宋 二号 centred, body in 仿宋 三号 with a
two-character first-line indent and 28 pt lines, 落款 on the right. Fonts come from the
paper's wording template (an office without 方正 fonts names its own); Word and WPS
substitute a missing font as they do for any document.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

DEFAULT_FONTS = {"title": "方正小标宋简体", "body": "仿宋_GB2312", "heading": "黑体",
                 "title_size": 22, "body_size": 16, "table_size": 10.5}


def chinese_date(d: date) -> str:
    """2025年3月5日 (no leading zeros, as a 成文日期 is written)."""
    return f"{d.year}年{d.month}月{d.day}日"


class OfficialDocument:
    """A python-docx document with the official layout and a few paragraph kinds."""

    def __init__(self, fonts: dict[str, Any] | None = None, *, landscape: bool = False) -> None:
        self.fonts = {**DEFAULT_FONTS, **(fonts or {})}
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        if landscape:
            section.top_margin, section.bottom_margin = Mm(25), Mm(25)
        # Written by this program (the PDF made from it says so in its Creator too).
        from core.not_a_report import PRODUCER_MARK

        self.doc.core_properties.author = PRODUCER_MARK
        self.doc.core_properties.comments = f"由{PRODUCER_MARK}生成的草稿，可在 WPS 或 Word 中修改"
        self._page_numbers(section)
        normal = self.doc.styles["Normal"]
        self._font(normal.font, self.fonts["body"], self.fonts["body_size"])
        normal.element.get_or_add_rPr()

    def _page_numbers(self, section: Any) -> None:
        """"— 1 —" centred at the foot of each page, a PAGE field Word and WPS update."""
        from docx.oxml import OxmlElement

        p = section.footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._run(p, "— ", size=14)
        for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"),
                           ("end", None)):
            run = self._run(p, "", size=14)
            if kind is not None:
                fld = OxmlElement("w:fldChar")
                fld.set(qn("w:fldCharType"), kind)
                run._r.append(fld)
            elif text == "PAGE":
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = " PAGE "
                run._r.append(instr)
            else:
                run.text = text
        self._run(p, " —", size=14)

    # --- text ----------------------------------------------------------------------------
    @staticmethod
    def _font(font: Any, name: str, size: float, bold: bool = False) -> None:
        font.name = name
        font.size = Pt(size)
        font.bold = bold
        rpr = font.element.get_or_add_rPr() if hasattr(font, "element") else None
        if rpr is not None:
            rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)

    def _run(self, paragraph: Any, text: str, kind: str = "body", bold: bool = False,
             size: float | None = None) -> Any:
        run = paragraph.add_run(text)
        name = self.fonts[kind]
        run.font.name = name
        run.font.size = Pt(size or self.fonts["title_size" if kind == "title" else "body_size"])
        run.font.bold = bold
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
        return run

    def _spacing(self, paragraph: Any, indent: bool = True, line: float = 28) -> None:
        fmt = paragraph.paragraph_format
        fmt.line_spacing = Pt(line)
        fmt.space_before = fmt.space_after = Pt(0)
        if indent:
            fmt.first_line_indent = Pt(2 * self.fonts["body_size"])

    def title(self, text: str) -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._spacing(p, indent=False, line=36)
        p.paragraph_format.space_after = Pt(16)
        self._run(p, text, "title")

    def doc_number(self, text: str) -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._spacing(p, indent=False)
        self._run(p, text)

    def addressee(self, text: str) -> None:
        p = self.doc.add_paragraph()
        self._spacing(p, indent=False)
        self._run(p, text)

    def paragraph(self, text: str, *, indent: bool = True, bold_lead: str = "") -> Any:
        p = self.doc.add_paragraph()
        self._spacing(p, indent=indent)
        if bold_lead:
            self._run(p, bold_lead, "heading")
        self._run(p, text)
        return p

    def heading(self, text: str) -> None:
        p = self.doc.add_paragraph()
        self._spacing(p)
        self._run(p, text, "heading")

    def signature(self, office: str, when: date) -> None:
        """落款: the office and the date, right-aligned, after a blank line."""
        self.doc.add_paragraph()
        for text in (office, chinese_date(when)):
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            self._spacing(p, indent=False)
            p.paragraph_format.right_indent = Pt(2 * self.fonts["body_size"])
            self._run(p, text)

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # --- tables --------------------------------------------------------------------------
    def table(self, header: list[str], rows: list[list[str]], *,
              widths_mm: list[float] | None = None, caption: str | None = None,
              header_rows: list[list[str]] | None = None) -> Any:
        """A bordered table in a smaller size; ``header_rows`` come before ``header``."""
        if caption:
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            self._spacing(p, indent=False)
            self._run(p, caption, "heading")
        else:  # a little air between the paragraph above and the table's rule
            p = self.doc.add_paragraph()
            self._spacing(p, indent=False, line=8)
        heads = [*(header_rows or []), header]
        t = self.doc.add_table(rows=len(heads) + len(rows), cols=len(header))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        size = self.fonts["table_size"]
        for r, values in enumerate([*heads, *rows]):
            for c, value in enumerate(values):
                cell = t.cell(r, c)
                cell.text = ""
                p = cell.paragraphs[0]
                p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(0)
                if r < len(heads):
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                self._run(p, str(value), "heading" if r < len(heads) else "body", size=size)
        if widths_mm:
            # Word reads the cells' widths, LibreOffice and WPS the grid's: set both.
            t.autofit = False
            for c, w in enumerate(widths_mm):
                t.columns[c].width = Mm(w)
            for row in t.rows:
                for c, w in enumerate(widths_mm):
                    row.cells[c].width = Mm(w)
        return t

    def save(self, path: Any) -> None:
        self.doc.save(str(path))
