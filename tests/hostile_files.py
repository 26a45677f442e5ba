"""Hostile files of issue 12, made on the fly (the big ones are never committed).

Each function writes one file and returns its path. Sizes are parameters: the tests use
files just past each limit, benchmarks/hostile_budgets.py the full-size ones of the issue
(a 2,000-frame TIFF, a 300-page blank scan, a 3M-row units list, a 50 MB wide HTML …).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(
        ">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png(path: Path, width: int, height: int) -> Path:
    """A real, all-white 1-bit greyscale PNG: a 20,000 × 20,000 one is a decompression
    bomb of ~60 KB that decodes to 400 million pixels."""
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    comp = zlib.compressobj(9)
    parts = []
    block = row * max(1, min(height, (1 << 20) // len(row)))
    rows_per_block = len(block) // len(row)
    left = height
    while left > 0:
        n = min(left, rows_per_block)
        parts.append(comp.compress(block[: n * len(row)]))
        left -= n
    parts.append(comp.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr)
                     + _chunk(b"IDAT", b"".join(parts)) + _chunk(b"IEND", b""))
    return path


def tiff_bomb(path: Path, width: int = 60000, height: int = 60000) -> Path:
    """A TIFF whose header declares ``width`` × ``height`` 1-bit pixels in one deflated
    strip of white (PIL reads the size from the header: the bomb is in the promise)."""
    row = b"\x00" * ((width + 7) // 8)  # 0 = white with WhiteIsZero
    comp = zlib.compressobj(9)
    parts = [comp.compress(row * min(height, 64))]
    parts.append(comp.flush())
    strip = b"".join(parts)
    entries = [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 1), (259, 3, 1, 8),
               (262, 3, 1, 0), (273, 4, 1, 0), (277, 3, 1, 1), (278, 4, 1, height),
               (279, 4, 1, len(strip))]
    ifd_offset = 8
    data_offset = ifd_offset + 2 + 12 * len(entries) + 4
    out = bytearray(b"II*\x00" + struct.pack("<I", ifd_offset))
    out += struct.pack("<H", len(entries))
    for tag, typ, count, value in entries:
        if tag == 273:
            value = data_offset
        fmt = "<HHIHH" if typ == 3 else "<HHII"
        out += struct.pack(fmt, tag, typ, count, value, 0) if typ == 3 else struct.pack(
            fmt, tag, typ, count, value)
    out += struct.pack("<I", 0)
    out += strip
    path.write_bytes(bytes(out))
    return path


def tiff_frames(path: Path, frames: int = 2000, side: int = 64) -> Path:
    """A multi-page TIFF of ``frames`` small blank pages (2,000 make ~200 KB)."""
    from PIL import Image

    page = Image.new("1", (side, side), 1)
    page.save(path, format="TIFF", save_all=True, append_images=[page] * (frames - 1),
              compression="group4")
    return path


def blank_scan_pdf(path: Path, pages: int = 300) -> Path:
    """A PDF of ``pages`` A4 pages, each one full-page image of white: a scan with
    nothing on it. One small image object is shared by every page (the file stays tiny;
    rendering and OCR still have to look at every page)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    side = 8
    image = add(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace "
                b"/DeviceGray /BitsPerComponent 8 /Length %d >>\nstream\n" % (side, side,
                                                                             side * side)
                + b"\xff" * (side * side) + b"\nendstream")
    content = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
    stream = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    pages_id = len(objects) + pages + 1
    kids = []
    for _ in range(pages):
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources "
                        b"<< /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>"
                        % (pages_id, image, stream)))
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), pages)) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, catalog, xref))
    path.write_bytes(out.getvalue())
    return path


def units_xlsx(path: Path, rows: int = 3_000_000) -> Path:
    """A units list workbook of ``rows`` rows (3M rows zip to about 2 MB)."""
    sheet_head = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                  b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openx'
                   'mlformats.org/package/2006/content-types"><Default Extension="rels" '
                   'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/><Override '
                   'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
                   'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas'
                   '.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                   'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                   'officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
                   'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
                   'name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas'
                   '.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
                   'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                   'worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(sheet_head)
            f.write('<row><c t="inlineStr"><is><t>单位名称</t></is></c></row>'.encode())
            cell = '<row><c t="inlineStr"><is><t>某某单位</t></is></c></row>'.encode()
            block = cell * 10000
            left = rows
            while left > 0:
                n = min(left, 10000)
                f.write(block if n == 10000 else cell * n)
                left -= n
            f.write(b"</sheetData></worksheet>")
    return path


def wide_html(path: Path, cells: int = 5_000_000) -> Path:
    """One table row of ``cells`` cells: 5M make a 50 MB page."""
    with path.open("wb") as f:
        f.write("<html><head><meta charset='utf-8'><title>年度报告</title></head><body>"
                "<table><tr>".encode())
        block = b"<td>1</td>" * 100000
        left = cells
        while left > 0:
            n = min(left, 100000)
            f.write(block if n == 100000 else b"<td>1</td>" * n)
            left -= n
        f.write(b"</tr></table></body></html>")
    return path


def empty_tags_html(path: Path, size: int = 150 * 2**20) -> Path:
    """``size`` bytes of empty tags (<b></b>…): nothing to read, much to parse."""
    with path.open("wb") as f:
        f.write(b"<html><body>")
        block = b"<b></b>" * 100000
        written = 0
        while written < size:
            f.write(block)
            written += len(block)
        f.write(b"</body></html>")
    return path


def deep_html(path: Path, depth: int = 3000, text: str = "") -> Path:
    """A page nested ``depth`` elements deep, with ``text`` at the bottom."""
    path.write_text("<html><body>" + "<div>" * depth + text + "</div>" * depth
                    + "</body></html>", encoding="utf-8")
    return path


def docx_dangling_relationship(path: Path, source: Path) -> Path:
    """A copy of the DOCX ``source`` whose document points at an image relationship that
    is not there (a damaged or hand-edited file)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename == "word/document.xml":
                pic = (b'<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats'
                       b'.org/drawingml/2006/wordprocessingDrawing"><a:graphic xmlns:a="http://'
                       b'schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData><pic:pic '
                       b'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
                       b'<pic:blipFill><a:blip xmlns:r="http://schemas.openxmlformats.org/'
                       b'officeDocument/2006/relationships" r:embed="rIdMissing99"/>'
                       b'</pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline>'
                       b'</w:drawing></w:r></w:p>')
                body = body.replace(b"<w:body>", b"<w:body>" + pic, 1)
                body = body.replace(b"</w:body>", b'<w:p><w:hyperlink r:id="rIdGone7">'
                                    b"<w:r><w:t>link</w:t></w:r></w:hyperlink></w:p></w:body>", 1)
            if item.filename == "word/_rels/document.xml.rels":
                body = body.replace(b"</Relationships>", (
                    b'<Relationship Id="rIdMissing99" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/image" Target="media/missing.png"/>'
                    b"</Relationships>"), 1)
            z.writestr(item, body)
    return path
