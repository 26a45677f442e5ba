"""HTML reader: a saved government web page as paragraphs and exact table grids.

The page is decoded first (many older sites are GB2312/GBK), parsed with lxml.html and
walked in document order. Block elements and ``<br>`` end a paragraph row. Data tables
(innermost tables that hold a grid, not prose) become grid rows with ``rowspan`` and
``colspan`` expanded against a map of occupied slots, so every origin cell gets its true
first column. Tables used for page layout are read like ``<div>``s. Site chrome (navigation,
the info line with the publication date, the footer) is kept: the extractor needs it.
Nothing is ever fetched.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from pathlib import Path

import lxml.html
from lxml import etree

from core.document import Document, Location, Row, Token
from core.errors import CorruptFile

_SPACES: dict[str, str | None] = {
    c: " " for c in "\u00a0\u3000\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u202f\u205f"}
_SPACES.update({c: None for c in "\u200b\u200c\u200d\ufeff\u00ad"})
_SPACE_TABLE = str.maketrans(_SPACES)
_HTML_WS = re.compile(r"[ \t\n\r\f]+")

# Not "embed": it is a void element, but libxml2's HTML parser does not know it and nests
# the rest of the page inside it, so dropping it dropped the whole report after it.
_DROP = {"script", "style", "noscript", "template", "iframe", "object", "head",
         "svg", "canvas", "select", "audio", "video", "map", "xml"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
          "section", "article", "header", "footer", "nav", "aside", "main", "blockquote",
          "pre", "address", "figure", "figcaption", "form", "fieldset", "legend", "hr",
          "center", "table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "body",
          "html", "details", "summary", "textarea", "title"}
_PRE = {"pre", "textarea", "listing", "plaintext", "xmp"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

# A cell holding this much text in several blocks is page prose, not a table value:
# the longest label of the official tables is about 40 characters.
PROSE_CHARS = 200

_PUBLISHED_META = ("pubdate", "publishdate", "articlepubdate", "firstpublishedtime",
                   "article:published_time")
_META_KEYS = {"articletitle": "title", "sitename": "site_name", "columnname": "column_name"}

# Elements libxml2's HTML parser nests at most (XML_PARSE_HUGE included).
MAX_PARSE_DEPTH = 2048

_CHARSET_RE = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)


def read(path: str | Path, data: bytes) -> Document:
    """Read an HTML page's bytes into a :class:`Document` (kind ``html``)."""
    name = Path(path).name
    text, encoding = decode(data)
    try:
        # huge_tree lifts libxml2's depth limit of 256, past which it silently drops
        # the rest of the page (hundreds of unclosed <font> tags get there).
        parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True,
                                      remove_pis=True, no_network=True, huge_tree=True)
        root = lxml.html.document_fromstring(text.encode("utf-8", "replace"),
                                             parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise CorruptFile(f"{name}: cannot parse the HTML page ({e})",
                          "无法解析该网页文件") from e
    doc = Document(kind="html", rows=[], pages=None)
    if any("depth" in str(e.message).lower() for e in parser.error_log):
        doc.warnings.append("the page nests elements too deeply; text past the limit is lost")
        # libxml2 stops at this depth even with huge_tree: the extractor names it when
        # no report is found in what came before (core.extract).
        doc.meta["truncated_at_depth"] = str(MAX_PARSE_DEPTH)
    doc.meta.update(_meta(root))
    if encoding:
        doc.meta["encoding"] = encoding
    _Walker(doc).run(root)
    return doc


# ---------------------------------------------------------------- decoding


def decode(data: bytes) -> tuple[str, str]:
    """The page's text and the encoding used to decode it.

    Order: byte-order mark, then the ``<meta>`` charset, then detection. GB2312/GBK
    are decoded as GB18030, their superset, because pages labelled GB2312 routinely
    use characters outside it.
    """
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"),
                     (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc, "replace"), enc
    utf8 = _strict(data, "utf-8")
    declared = _declared(data)
    if declared:
        # Valid UTF-8 with non-ASCII bytes is UTF-8 whatever the label says: legacy
        # text almost never forms valid UTF-8 by chance, while stale labels are common.
        if utf8 is not None and declared != "utf-8" and not data.isascii():
            return utf8, "utf-8"
        text = _strict(data, declared)
        if text is not None:
            return text, declared
    if utf8 is not None:
        return utf8, "utf-8"
    detected = _detect(data)
    if detected:
        return detected
    # Damaged bytes: keep what decodes, with replacement characters for the rest.
    fallback = declared
    if fallback is None or fallback == "utf-8":
        gb = data.decode("gb18030", "replace")
        if _plausible(gb):
            return gb, "gb18030"
        fallback = "utf-8"
    return data.decode(fallback, "replace"), fallback


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _canonical(label: str) -> str | None:
    label = label.strip().lower()
    if label in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "gb18030", "euc-cn",
                 "csgb2312", "chinese", "x-gb2312"):
        return "gb18030"
    if label in ("utf-16", "utf-16le", "utf-16be", "utf-32"):
        # An ASCII-compatible file cannot really be UTF-16 (HTML spec: use UTF-8).
        return "utf-8"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _declared(data: bytes) -> str | None:
    m = _CHARSET_RE.search(data[:8192])
    return _canonical(m.group(1).decode("ascii", "ignore")) if m else None


def _plausible(text: str) -> bool:
    """Whether decoded text looks like Chinese (or plain ASCII) rather than mojibake."""
    odd = total = 0
    for ch in text:
        o = ord(ch)
        if o < 0x80:
            continue
        total += 1
        if not (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x3000 <= o <= 0x303F
                or 0xFF00 <= o <= 0xFFEF or 0x2000 <= o <= 0x206F
                or o in (0xA0, 0xB7, 0xD7, 0xF7)):
            odd += 1
    return total == 0 or odd <= total * 0.05


def _detect(data: bytes) -> tuple[str, str] | None:
    # These are Chinese government pages: a strict GB18030 reading that looks like
    # Chinese comes first. The statistical detector is unreliable on short texts
    # (measured on corpus snippets: a few GBK words come out as cp949, Big5-HKSCS,
    # Shift-JIS or even UTF-16), and Big5 decodes GBK bytes into plausible-looking
    # hanzi, so it cannot be trusted to overrule GB18030.
    text = _strict(data, "gb18030")
    if text is not None and _plausible(text):
        return text, "gb18030"
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        guess = best.encoding if best is not None else None
    except Exception:  # detection is a best effort
        guess = None
    if guess:
        text = _strict(data, guess)
        if text is not None:
            return text, guess
    return None


# ---------------------------------------------------------------- meta


def _meta(root: etree._Element) -> dict[str, str]:
    meta: dict[str, str] = {}
    for el in root.iter("meta"):
        key = (el.get("name") or el.get("property") or "").strip().lower()
        content = _clean(el.get("content") or "")
        if not key or not content:
            continue
        if key in _PUBLISHED_META:
            meta.setdefault("published_raw", content)
        elif key in _META_KEYS:
            meta.setdefault(_META_KEYS[key], content)
    if "title" not in meta:
        title = root.find(".//title")
        if title is not None:
            text = _clean(_HTML_WS.sub(" ", title.text_content()))
            if text:
                meta["title"] = text
    return meta


# ---------------------------------------------------------------- text walk


def _clean(text: str) -> str:
    return text.translate(_SPACE_TABLE).strip()


def _tag(el: etree._Element) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _hidden(el: etree._Element) -> bool:
    return el.get("hidden") is not None or bool(_HIDDEN_STYLE.search(el.get("style") or ""))


class _Lines:
    """Accumulates inline text and cuts it into lines at block boundaries."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.buf: list[str] = []

    def add(self, text: str | None, pre: bool = False) -> None:
        if not text:
            return
        if pre:
            parts = text.split("\n")
            for i, part in enumerate(parts):
                if i:
                    self.flush()
                self.buf.append(part.replace("\t", "    "))
        else:
            self.buf.append(_HTML_WS.sub(" ", text))

    def flush(self) -> None:
        text = _clean(_HTML_WS.sub(" ", "".join(self.buf)))
        self.buf.clear()
        if text:
            self.lines.append(text)


def _flow(root: etree._Element, out: _Lines,
          on_table: Callable[[etree._Element], bool] | None = None) -> None:
    """The text of ``root`` and its content into ``out``, in document order.

    Iterative, not recursive: sloppy pages with hundreds of unclosed ``<font>`` tags nest
    deeper than Python's recursion limit. ``on_table`` may take a table over (return
    True) so that its content is not read as text here.
    """
    walker = etree.iterwalk(root, events=("start", "end"))
    skipped: set[etree._Element] = set()
    pre = 0
    for event, el in walker:
        tag = _tag(el)
        if event == "start":
            if not tag:
                continue
            if tag == "br":
                out.flush()
            if (tag == "br" or tag in _DROP or _hidden(el)
                    or (tag == "table" and on_table is not None and on_table(el))):
                walker.skip_subtree()
                skipped.add(el)
                continue
            if tag in _PRE:
                pre += 1
            if tag in _BLOCK:
                out.flush()
            out.add(el.text, pre > 0)
            continue
        if el in skipped:
            skipped.discard(el)
        elif tag:
            if tag in _PRE:
                pre -= 1
            if tag in _BLOCK:
                out.flush()
        if el is not root:
            out.add(el.tail, pre > 0)
    out.flush()


def _rows(table: etree._Element) -> list[etree._Element]:
    return table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")


def _cells(tr: etree._Element) -> list[etree._Element]:
    return [c for c in tr if _tag(c) in ("td", "th")]


def _span(el: etree._Element, attr: str, limit: int) -> int:
    m = re.match(r"\s*(\d+)", el.get(attr) or "")
    if m and len(m.group(1)) > 9:  # thousands of digits: int() refuses them, and over any limit
        return limit
    value = int(m.group(1)) if m else 1
    return min(max(value, 1), limit)


def _is_data_table(table: etree._Element) -> bool:
    """Innermost tables with at least two columns and no prose cells hold data."""
    if table.xpath(".//table"):
        return False
    width = 0
    for tr in _rows(table):
        cells = _cells(tr)
        width = max(width, sum(_span(c, "colspan", 1000) for c in cells))
        for cell in cells:
            blocks = cell.xpath(".//p | .//div | .//li | .//h1 | .//h2 | .//h3 | .//h4 | .//br")
            if len(blocks) >= 2 and len(cell.text_content().strip()) > PROSE_CHARS:
                return False
    return width >= 2


class _Walker:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.lines = _Lines()
        self.paragraphs = 0
        self.tables = 0

    def run(self, root: etree._Element) -> None:
        body = root.find("body")
        _flow(body if body is not None else root, self.lines, self.data_table)
        self.flush()

    def flush(self) -> None:
        self.lines.flush()
        for text in self.lines.lines:
            self.paragraphs += 1
            self.doc.rows.append(Row([Token(text, 0, 1, Location(line=self.paragraphs))]))
        self.lines.lines.clear()

    def data_table(self, table: etree._Element) -> bool:
        if not _is_data_table(table):
            return False
        self.flush()
        self.table(table)
        return True

    def table(self, table: etree._Element) -> None:
        for caption in table.findall("caption"):
            _flow(caption, self.lines)
        self.flush()
        t = self.tables
        self.tables += 1
        trs = _rows(table)
        # Grid slots taken by cells from rows above: row -> [(x0, x1), ...].
        taken: dict[int, list[tuple[int, int]]] = {}
        for r, tr in enumerate(trs):
            tokens: list[Token] = []
            col = 0
            for cell in _cells(tr):
                col = _free(taken.get(r, ()), col)
                colspan = _span(cell, "colspan", 1000)
                rowspan = cell.get("rowspan", "").strip()
                # rowspan="0" means "to the end of the table".
                down = len(trs) - r if rowspan == "0" else _span(cell, "rowspan", len(trs) - r)
                for rr in range(r + 1, r + down):
                    taken.setdefault(rr, []).append((col, col + colspan))
                tokens.append(Token(self.cell_text(cell), col, col + colspan,
                                    Location(table=t, row=r, col=col)))
                col += colspan
            taken.pop(r, None)
            if tokens:
                self.doc.rows.append(Row(tokens, grid=True, table=t))

    @staticmethod
    def cell_text(cell: etree._Element) -> str:
        out = _Lines()
        _flow(cell, out)
        return "\n".join(out.lines)


def _free(taken: list[tuple[int, int]] | tuple, col: int) -> int:
    """The first column at or after ``col`` not covered by a rowspan from above."""
    moved = True
    while moved:
        moved = False
        for x0, x1 in taken:
            if x0 <= col < x1:
                col = x1
                moved = True
    return col
