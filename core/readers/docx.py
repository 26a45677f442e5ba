"""DOCX reader: body paragraphs and tables, in document order, with an exact cell grid.

python-docx's ``row.cells`` repeats a merged cell once per grid column it covers, which
would make a label spanning three columns look like three labels. So the table walk
works on the XML: every ``w:tc`` is one origin cell whose grid columns come from the
running sum of ``w:gridSpan`` (after ``w:gridBefore``), and a ``w:vMerge`` continuation
is the lower part of a cell that starts higher up, so it yields no token.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from core.document import Document, Location, Row, Token
from core.errors import CorruptFile

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W = f"{{{W}}}"
_MC = f"{{{MC}}}"

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200
# A ratio only matters for members big enough to hurt: tiny XML parts and flat images
# legitimately compress far better than 200:1.
RATIO_MIN_SIZE = 1024 * 1024

_SPACES: dict[str, str | None] = {
    c: " " for c in "\u00a0\u3000\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u202f\u205f"}
_SPACES.update({c: None for c in "\u200b\u200c\u200d\ufeff\u00ad"})
_SPACE_TABLE = str.maketrans(_SPACES)

# Containers that only wrap content (content controls, custom XML, tracked insertions):
# their children are read as if they stood in the parent.
_WRAPPERS = {_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "ins", _W + "moveTo",
             _W + "smartTag"}
# Deleted text and things that are never shown as text.
_SKIP = {_W + "del", _W + "moveFrom", _W + "rPr", _W + "pPr", _W + "sdtPr", _W + "instrText",
         _W + "delText", _W + "txbxContent", _W + "fldChar", _W + "footnoteReference",
         _W + "endnoteReference", _W + "commentReference", _MC + "Fallback"}


def clean(text: str) -> str:
    """Map odd spaces to plain spaces, drop zero-width characters, strip the ends."""
    return text.translate(_SPACE_TABLE).strip()


def read(path: str | Path, data: bytes) -> Document:
    """Read a DOCX file's bytes into a :class:`Document` (kind ``docx``)."""
    name = Path(path).name
    check_zip(data, name)
    body, title = _open(data, name)
    doc = Document(kind="docx", rows=[], pages=None)
    if title:
        doc.meta["title"] = title
    _Walker(doc).blocks(body)
    return doc


def check_zip(data: bytes, name: str) -> None:
    """Refuse damaged zips and zip bombs before any XML parser sees the content."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as e:
        raise CorruptFile(f"{name}: damaged DOCX file (not a readable zip archive: {e})",
                          "DOCX 文件已损坏（无法作为 zip 压缩包打开）") from e
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise CorruptFile(f"{name}: suspicious compression: the DOCX would unpack to "
                          f"{total // 2**20} MiB", "DOCX 文件解压后过大，疑似恶意压缩文件")
    for i in infos:
        if i.file_size > RATIO_MIN_SIZE and (
                i.compress_size == 0 or i.file_size / i.compress_size > MAX_RATIO):
            raise CorruptFile(f"{name}: suspicious compression in member {i.filename!r} "
                              f"({i.file_size} bytes from {i.compress_size})",
                              "DOCX 文件压缩比异常，疑似恶意压缩文件")
    if not any(i.filename == "word/document.xml" for i in infos):
        raise CorruptFile(f"{name}: damaged DOCX file (word/document.xml is missing)",
                          "DOCX 文件已损坏（缺少正文 word/document.xml）")


def _open(data: bytes, name: str) -> tuple[etree._Element, str]:
    """The ``w:body`` element and the core-properties title."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        if body is None:
            raise CorruptFile(f"{name}: damaged DOCX file (no document body)",
                              "DOCX 文件已损坏（没有正文）")
        try:
            title = clean(document.core_properties.title or "")
        except Exception:  # a broken docProps/core.xml only costs the title
            title = ""
        return body, title
    except CorruptFile:
        raise
    except KeyError:
        # A relationship points at a part missing from the zip (an image, a header):
        # python-docx loads every part up front and gives up; the body is still there.
        pass
    except ValueError as e:
        # python-docx refuses .docm/.dotx/.dotm by content type although the body is
        # the same WordprocessingML; read that body directly.
        if "content type" not in str(e):
            raise CorruptFile(f"{name}: damaged DOCX file ({e})", "DOCX 文件已损坏") from e
    except Exception as e:  # any parse failure means a damaged file
        raise CorruptFile(f"{name}: damaged DOCX file ({type(e).__name__}: {e})",
                          "DOCX 文件已损坏") from e
    return _open_raw(data, name), ""


def _open_raw(data: bytes, name: str) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            root = etree.fromstring(z.read("word/document.xml"), parser)
    except (KeyError, etree.XMLSyntaxError, zipfile.BadZipFile, OSError, ValueError) as e:
        raise CorruptFile(f"{name}: damaged DOCX file ({type(e).__name__}: {e})",
                          "DOCX 文件已损坏") from e
    body = root.find(_W + "body")
    if body is None:
        raise CorruptFile(f"{name}: damaged DOCX file (no document body)", "DOCX 文件已损坏")
    return body


def _int(value: str | None, default: int) -> int:
    try:
        return max(0, int(value)) if value is not None else default
    except ValueError:
        return default


def _wval(el: etree._Element | None, tag: str) -> str | None:
    """The ``w:val`` of child ``tag`` of ``el``; "" when present without a value."""
    if el is None:
        return None
    child = el.find(_W + tag)
    if child is None:
        return None
    return child.get(_W + "val", "")


def _children(el: etree._Element) -> Iterator[etree._Element]:
    """Child elements, looking through content-control and similar wrappers."""
    for child in el:
        if child.tag in _WRAPPERS:
            if child.tag == _W + "sdt":
                content = child.find(_W + "sdtContent")
                if content is not None:
                    yield from _children(content)
            else:
                yield from _children(child)
        elif child.tag == _MC + "AlternateContent":
            choice = next(iter(child), None)
            if choice is not None:
                yield from _children(choice)
        elif isinstance(child.tag, str):
            yield child


def _hidden(run: etree._Element) -> bool:
    val = _wval(run.find(_W + "rPr"), "vanish")
    return val is not None and val not in ("0", "false", "off")


def paragraph_text(p: etree._Element) -> str:
    """The visible text of a ``w:p``: tabs as "\\t", line breaks as "\\n"."""
    out: list[str] = []
    _collect(p, out)
    return "".join(out)


def _collect(el: etree._Element, out: list[str]) -> None:
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == _W + "t":
            out.append(child.text or "")
        elif tag == _W + "tab" or tag == _W + "ptab":
            out.append("\t")
        elif tag == _W + "br" or tag == _W + "cr":
            out.append("\n")
        elif tag == _W + "noBreakHyphen":
            out.append("-")
        elif tag == _W + "r" and _hidden(child):
            continue
        elif tag == _MC + "AlternateContent":
            choice = next(iter(child), None)
            if choice is not None:
                _collect(choice, out)
        else:
            _collect(child, out)


def _textboxes(el: etree._Element) -> Iterator[etree._Element]:
    """Text boxes anchored in a paragraph, each once (not their VML fallback copy)."""
    for child in el:
        if not isinstance(child.tag, str) or child.tag == _MC + "Fallback":
            continue
        if child.tag == _W + "txbxContent":
            yield child
        else:
            yield from _textboxes(child)


class _Walker:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.paragraphs = 0
        self.tables = 0

    def blocks(self, container: etree._Element) -> None:
        for el in _children(container):
            if el.tag == _W + "p":
                self.paragraph(el)
            elif el.tag == _W + "tbl":
                self.table(el)

    def paragraph(self, p: etree._Element) -> None:
        text = clean(paragraph_text(p))
        if text:
            self.paragraphs += 1
            self.doc.rows.append(Row([Token(text, 0, 1, Location(line=self.paragraphs))]))
        for box in _textboxes(p):
            self.blocks(box)

    def table(self, tbl: etree._Element) -> None:
        t = self.tables
        self.tables += 1
        # Origin x0 -> x1 of vertical merges still open, so that a stray "continue"
        # without a "restart" above it is still read as a real cell.
        open_v: dict[int, int] = {}
        r = -1
        for tr in _children(tbl):
            if tr.tag != _W + "tr":
                continue
            r += 1
            col = _int(_wval(tr.find(_W + "trPr"), "gridBefore"), 0)
            tokens: list[Token] = []
            nested: list[etree._Element] = []
            for tc in _children(tr):
                if tc.tag != _W + "tc":
                    continue
                tcpr = tc.find(_W + "tcPr")
                span = max(1, _int(_wval(tcpr, "gridSpan"), 1))
                x0, x1 = col, col + span
                col = x1
                vmerge = _wval(tcpr, "vMerge")
                if _wval(tcpr, "hMerge") not in (None, "restart") and tokens:
                    # Legacy horizontal merge: this cell widens the one on its left.
                    tokens[-1].x1 = x1
                    continue
                if vmerge is not None and vmerge != "restart" and x0 in open_v:
                    continue
                if vmerge == "restart":
                    open_v[x0] = x1
                else:
                    for k in [k for k in open_v if x0 <= k < x1]:
                        del open_v[k]
                tokens.append(Token(self.cell_text(tc, nested), x0, x1,
                                    Location(table=t, row=r, col=x0)))
            if tokens:
                self.doc.rows.append(Row(tokens, grid=True, table=t))
            for inner in nested:
                self.table(inner)

    def cell_text(self, tc: etree._Element, nested: list[etree._Element]) -> str:
        lines: list[str] = []
        for el in _children(tc):
            if el.tag == _W + "p":
                text = clean(paragraph_text(el))
                if text:
                    lines.append(text)
            elif el.tag == _W + "tbl":
                nested.append(el)
        return "\n".join(lines)

