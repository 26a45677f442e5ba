"""Writing an :class:`~variants.layout.Outline` as a saved web page, a Word file, a text
dump, or a PDF printed from either (Qt's QTextDocument, LibreOffice)."""

from __future__ import annotations

import html as htmllib
import io
import itertools
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from variants.layout import Cell, Grid, Outline

# ---------------------------------------------------------------- HTML


@dataclass(frozen=True)
class Html:
    head_tag: str = "td"  # th | td for header cells
    thead: bool = False  # header rows in <thead> (Qt repeats them after a page break)
    wrap: str = ""  # "" | span | p | font: what a CMS wraps cell text in
    encoding: str = "utf-8"  # utf-8 | gbk
    meta_charset: bool = True
    nested: bool = False  # the article sits in a page-layout table
    label_width: str = ""  # width of the label columns, e.g. "7%": labels wrap in print
    excel: bool = False  # Excel "save as web page": class/x:num attributes, no borders
    # Word-made pages: a head cell's colspan larger than the table (browsers just add an
    # empty column) and row labels in <th>.
    sloppy_spans: bool = False
    label_th: bool = False
    # Word's blank value cells: a bare <td>&nbsp;</td> or <td></td>, no inner element,
    # while the head text is split by <br/> inside padded <p>s.
    bare_blanks: bool = False


_BLANKS = itertools.count()


def _cell_html(cell: Cell, tag: str, st: Html, width: str = "") -> str:
    if st.bare_blanks and cell.value and not cell.text:
        # Both forms Word writes, in turn.
        return f"<{tag}>&nbsp;</{tag}>" if next(_BLANKS) % 2 else f"<{tag}></{tag}>"
    if st.bare_blanks and cell.head:
        lines = "<br/>".join(htmllib.escape(line) for line in cell.text.split("\n"))
        attrs = (f' rowspan="{cell.rs}"' if cell.rs > 1 else "") + \
            (f' colspan="{cell.cs}"' if cell.cs > 1 else "")
        return (f'<{tag}{attrs}><p class="MsoNormal">&nbsp;</p><p class="MsoNormal" '
                f'align="center"><span>{lines}</span></p><p>&nbsp;</p></{tag}>')
    text = "<br>".join(htmllib.escape(line) for line in cell.text.split("\n"))
    if st.wrap == "span" and text:
        text = f'<span style="font-family:宋体;font-size:10.5pt">{text}</span>'
    elif st.wrap == "p":
        text = ('<p class="MsoNormal" align="center">'
                f'<span lang="EN-US">{text or "&nbsp;"}</span></p>')
    elif st.wrap == "font" and text:
        text = f'<font face="仿宋_GB2312" size="2">{text}</font>'
    if not text:
        text = "&nbsp;" if st.excel else ""
    attrs = ""
    if cell.rs > 1:
        attrs += f' rowspan="{cell.rs}"'
    if cell.cs > 1:
        attrs += f' colspan="{cell.cs}"'
    if st.excel:
        attrs += ' class="xl66"' if cell.value else ' class="xl65"'
        if cell.value and cell.text.strip().lstrip("-").isdigit():
            attrs += f' x:num="{cell.text.strip()}"'
    if cell.value:
        attrs += ' align="center"'
    if width:
        attrs += f' width="{width}"'
    return f"<{tag}{attrs}>{text}</{tag}>"


def _table_html(grid: Grid, st: Html) -> str:
    out = ['<table border="0" cellspacing="0" cellpadding="0" style="border-collapse:collapse">'
           if st.excel else '<table border="1" cellspacing="0" cellpadding="2" width="100%">']
    for r, row in enumerate(grid.rows):
        if st.thead and r == 0 and grid.head_rows:
            out.append("<thead>")
        head = r < grid.head_rows
        cells = []
        for i, cell in enumerate(row):
            tag = st.head_tag if head else ("th" if st.label_th and not cell.value else "td")
            if st.sloppy_spans and r == 0 and i == len(row) - 1 and grid.name == "t3":
                cell = Cell(cell.text, cell.rs, cell.cs + 1, cell.head, cell.value)
            width = st.label_width if (st.label_width and grid.name == "t3" and not head
                                       and not cell.value and cell.cs == 1) else ""
            cells.append(_cell_html(cell, tag, st, width))
        out.append("<tr>" + "".join(cells) + "</tr>")
        if st.thead and r == grid.head_rows - 1:
            out.append("</thead><tbody>")
    if st.thead and grid.head_rows:
        out.append("</tbody>")
    out.append("</table>")
    return "\n".join(out)


def to_html(doc: Outline, st: Html = Html()) -> bytes:
    rep = doc.report
    body: list[str] = []
    for kind, content in doc.blocks:
        text = htmllib.escape(str(content))
        if kind == "title":
            body.append(f'<h1 class="title">{text}</h1>')
        elif kind == "info":
            body.append(f'<div class="info">发布日期：{text}　来源：{htmllib.escape(rep.agency)}'
                        "　浏览次数：512</div>")
        elif kind == "heading":
            body.append(f'<p style="text-indent:2em"><strong>{text}</strong></p>')
        elif kind == "p":
            body.append(f'<p style="text-indent:2em">{text}</p>')
        elif kind == "table":
            body.append(_table_html(content, st))  # type: ignore[arg-type]
        elif kind == "sign":
            body.append(f'<p style="text-align:right">{text}</p>')
        elif kind == "date":
            y, m, d = str(content).split("-")
            body.append(f'<p style="text-align:right">{y}年{int(m)}月{int(d)}日</p>')
    article = "\n".join(body)
    if st.nested:
        article = ('<table width="1000" align="center"><tr><td width="200" valign="top">'
                   '<a href="#">政府信息公开指南</a><br><a href="#">政府信息公开制度</a><br>'
                   '<a href="#">法定主动公开内容</a></td>\n<td valign="top">'
                   f"{article}</td></tr></table>")
    charset = f'<meta http-equiv="Content-Type" content="text/html; charset={st.encoding}">' \
        if st.meta_charset else ""
    page = (f"<!DOCTYPE html>\n<html>\n<head>\n{charset}\n<title>{htmllib.escape(rep.title)}"
            f"</title>\n</head>\n<body>\n"
            '<div class="top"><a href="#">首页</a> | <a href="#">政务公开</a> | '
            '<a href="#">政务服务</a> | <a href="#">互动交流</a></div>\n'
            '<div class="crumb">您当前的位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</div>\n'
            f'<div class="article">\n{article}\n</div>\n'
            '<div class="footer"><span>扫一扫在手机打开当前页</span> '
            '<a href="#">打印本页</a> <a href="#">关闭窗口</a></div>\n</body>\n</html>\n')
    return page.encode("gb18030" if st.encoding == "gbk" else st.encoding)


# ---------------------------------------------------------------- DOCX


@dataclass(frozen=True)
class Docx:
    merge: str = "vmerge"  # vmerge (gridSpan + vMerge) | hmerge (legacy hMerge) | none
    repeat_header: bool = True  # header rows marked to repeat on every page
    landscape: bool = False
    point_size: float = 10.5
    page_numbers: bool = False  # "- 2 -" centred in the footer, as most official PDFs have
    running_head: bool = False  # the report's title in the page header
    value_align: str = "center"  # center | right | left: figures in their cells
    # Word's 文字方向 for the tall label cell and the narrow heads: "" (horizontal),
    # "tbRlV" (characters upright, stacked top to bottom) or "btLr" (turned 90°).
    text_direction: str = ""


def to_docx(doc: Outline, st: Docx = Docx()) -> bytes:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    d = docx.Document()
    normal = d.styles["Normal"]
    normal.font.size = Pt(st.point_size)
    normal.font.name = "宋体"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    sec = d.sections[0]
    if st.landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = sec.page_height, sec.page_width
    if st.page_numbers:
        _page_number_footer(sec.footer.paragraphs[0])
    if st.running_head:
        head = sec.header.paragraphs[0]
        head.text = doc.report.title
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, content in doc.blocks:
        if kind == "table":
            _docx_table(d, content, st)  # type: ignore[arg-type]
        elif kind == "break":
            d.add_page_break()
        elif kind == "info":
            continue  # a Word file carries its date under the signature
        elif kind == "date":
            y, m, dd = str(content).split("-")
            d.add_paragraph(f"{y}年{int(m)}月{int(dd)}日").alignment = WD_ALIGN_PARAGRAPH.RIGHT
        else:
            p = d.add_paragraph(str(content))
            if kind == "title":
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif kind == "sign":
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _page_number_footer(p) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("- ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    p._p.append(field)
    p._p.append(p.add_run(" -")._r)


def _docx_table(d, grid: Grid, st: Docx) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    matrix = grid.matrix()
    table = d.add_table(rows=len(matrix), cols=grid.width)
    table.style = "Table Grid"
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    align = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
             "left": WD_ALIGN_PARAGRAPH.LEFT}[st.value_align]
    origins: list[tuple[int, int, Cell]] = []
    for r, row in enumerate(matrix):
        for c, cell in enumerate(row):
            if cell is not None:
                tc = table.cell(r, c)
                tc.text = cell.text
                if cell.value:
                    tc.paragraphs[0].alignment = align
                if st.text_direction and grid.name == "t3" and (
                        cell.rs > 3 or (cell.head and len(cell.text) <= 6)):
                    direction = OxmlElement("w:textDirection")
                    direction.set(qn("w:val"), st.text_direction)
                    tc._tc.get_or_add_tcPr().append(direction)
                origins.append((r, c, cell))
    if st.repeat_header:
        for r in range(grid.head_rows):
            tr_pr = table.rows[r]._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:tblHeader"))
    for r, c, cell in origins:
        if cell.rs == 1 and cell.cs == 1:
            continue
        if st.merge == "vmerge":
            table.cell(r, c).merge(table.cell(r + cell.rs - 1, c + cell.cs - 1))
        elif st.merge == "hmerge":
            for dr in range(cell.rs):
                for dc in range(cell.cs):
                    tc_pr = table.cell(r + dr, c + dc)._tc.get_or_add_tcPr()
                    if cell.cs > 1:
                        h = OxmlElement("w:hMerge")
                        if dc == 0:
                            h.set(qn("w:val"), "restart")
                        tc_pr.append(h)
                    if cell.rs > 1:
                        v = OxmlElement("w:vMerge")
                        if dr == 0:
                            v.set(qn("w:val"), "restart")
                        tc_pr.append(v)


# ---------------------------------------------------------------- text dumps


@dataclass(frozen=True)
class Txt:
    # tabs | spaces (pdftotext -layout) | lines (one cell per line) | copy (a row per line,
    # cells apart by one space: text copied from a PDF viewer)
    layout: str = "tabs"
    blank_lines: bool = False  # an empty line after every line (browser copies do this)
    encoding: str = "utf-8"
    value_line: str = "first"  # spaces: with wrapped labels, the numbers on the first|middle line


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def _tabs(grid: Grid) -> list[str]:
    lines = []
    for row in grid.matrix():
        fields = [(c.text.replace("\n", "") if c is not None else "") for c in row]
        if any(fields):
            lines.append("\t".join(fields))
    return lines


def _row_per_line(grid: Grid) -> list[str]:
    lines = []
    for row in grid.rows:
        texts = [c.text.replace("\n", "") for c in row if c.text.strip()]
        if texts:
            lines.append(" ".join(texts))
    return lines


def _cells_per_line(grid: Grid) -> list[str]:
    lines = []
    for row in grid.rows:
        for cell in row:
            lines.extend(t for t in cell.text.split("\n") if t.strip())
    return lines


def _spaced(grid: Grid, value_line: str) -> list[str]:
    """The grid as ``pdftotext -layout`` prints a ruled table: columns padded with
    spaces, numbers right-aligned, wrapped cell text on the lines below, the text of a
    cell spanning rows running down through them."""
    matrix = grid.matrix()
    gap = 3
    widths = [0] * grid.width
    for row in matrix:
        for c, cell in enumerate(row):
            if cell is not None and cell.cs == 1:
                widths[c] = max(widths[c], max(_width(t) for t in cell.text.split("\n")))
    for row in matrix:
        for c, cell in enumerate(row):
            if cell is not None and cell.cs > 1:
                need = max(_width(t) for t in cell.text.split("\n"))
                have = sum(widths[c:c + cell.cs]) + gap * (cell.cs - 1)
                widths[c + cell.cs - 1] += max(0, need - have)
    starts = [sum(widths[:c]) + gap * c for c in range(grid.width)]
    running: dict[int, tuple[list[str], int, int]] = {}  # col -> (lines left, cs, rows left)
    out: list[str] = []
    for row in matrix:
        texts: dict[int, tuple[list[str], int, bool]] = {}
        for c, cell in enumerate(row):
            if cell is None:
                continue
            lines = [t for t in cell.text.split("\n") if t] or [""]
            if cell.rs > 1:
                running[c] = (lines, cell.cs, cell.rs)
            else:
                texts[c] = (lines, cell.cs, cell.value)
        height = max([len(t[0]) for t in texts.values()] + [1])
        if value_line == "middle" and height > 1:
            lift = (height - 1) // 2
            texts = {c: (([""] * lift + t[0]) if t[2] else t[0], t[1], t[2])
                     for c, t in texts.items()}
            height = max(len(t[0]) for t in texts.values())
        for i in range(height):
            line = ""
            pieces: list[tuple[int, str, bool, int]] = []
            for c, (lines, cs, is_value) in texts.items():
                if i < len(lines) and lines[i]:
                    pieces.append((c, lines[i], is_value, cs))
            for c, (lines, cs, _left) in list(running.items()):
                if lines:
                    pieces.append((c, lines.pop(0), False, cs))
            for c, text, is_value, cs in sorted(pieces):
                width = sum(widths[c:c + cs]) + gap * (cs - 1)
                start = starts[c]
                line = _pad(line, start, False) if _width(line) <= start else line + " " * gap
                line += _pad(text, width, is_value).rstrip() if is_value else text
            if line.strip():
                out.append(line.rstrip())
        for c in list(running):
            lines, cs, left = running[c]
            if left <= 1:
                del running[c]
            else:
                running[c] = (lines, cs, left - 1)
    return out


def to_txt(doc: Outline, st: Txt = Txt()) -> bytes:
    rep = doc.report
    lines = ["首页 | 政务公开 | 政务服务 | 互动交流",
             "您当前的位置: 首页>政务公开>政府信息公开年报"]
    for kind, content in doc.blocks:
        if kind == "table":
            grid: Grid = content  # type: ignore[assignment]
            if st.layout == "tabs":
                lines += _tabs(grid)
            elif st.layout == "spaces":
                lines += _spaced(grid, st.value_line)
            elif st.layout == "copy":
                lines += _row_per_line(grid)
            else:
                lines += _cells_per_line(grid)
        elif kind == "info":
            lines.append(f"{content} 09:00 来源:{rep.agency}")
        elif kind == "date":
            y, m, d = str(content).split("-")
            lines.append(f"{y}年{int(m)}月{int(d)}日")
        elif kind == "heading":
            lines.append("    " + str(content))
        elif kind != "break":
            lines.append(str(content))
    lines.append("扫一扫在手机打开当前页")
    sep = "\n\n" if st.blank_lines else "\n"
    return (sep.join(lines) + "\n").encode("gb18030" if st.encoding == "gbk" else "utf-8")


# ---------------------------------------------------------------- PDF


def html_to_pdf(page: bytes, out: Path, *, point_size: float = 10.5,
                landscape: bool = False) -> Path:
    """Print a saved page as a browser-less CMS does: Qt's QTextDocument on A4."""
    from pdfgen import make_pdf

    from core.readers.html import decode

    return make_pdf(decode(page)[0], out, point_size=point_size, landscape=landscape)


def libreoffice_to_pdf(files: list[Path], outdir: Path) -> list[Path]:
    """Export Word files, or print web pages as a browser does, to PDF with LibreOffice:
    one run per kind (it starts slowly)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice is installed by scripts/setup.sh")
    pdfs = [outdir / (f.stem + ".pdf") for f in files]
    # A long batch now and then skips a file without a word: the missing ones go again.
    for _attempt in range(3):
        for suffix, target in ((".docx", "pdf"), (".html", "pdf:writer_web_pdf_Export")):
            batch = [str(f) for f, pdf in zip(files, pdfs, strict=True)
                     if f.suffix == suffix and not pdf.exists()]
            if batch:
                subprocess.run([soffice, "--headless",
                                f"-env:UserInstallation=file://{outdir}/lo", "--convert-to",
                                target, "--outdir", str(outdir), *batch],
                               check=True, capture_output=True, timeout=300)
    missing = [pdf.name for pdf in pdfs if not pdf.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice made no PDF of {missing}")
    return pdfs
