"""PDF reader: every visual text line of every page as a :class:`Row` of word tokens.

Engine: PDFium only, for every page (the library pypdfium2 ships, called through
:mod:`core.readers.pdfium_lib`). benchmarks/read_pdf.py measured on the 15 text PDFs of
the corpus: 7.5 ms per page (median file 0.022 s, slowest 0.054 s for 6
pages, peak RSS 29 MiB) against 0.10 s per page for pdfplumber (median file 0.30 s,
slowest 0.66 s, 80 MiB). The rows are as good: the same characters as pdfplumber after
``dedupe_chars()``, and every number of every table row in the same place. PDFium is
not thread-safe (not even across documents): every PDFium call runs under
:data:`PDFIUM_LOCK`; grouping chars into rows and tokens is plain Python outside it.

How rows and tokens are built:

* chars: the text page's characters with their "loose" boxes (font ascent/descent and
  advance width, like pdfminer's), in top-based display coordinates of the crop box
  (rotation applied): the convention of pdfplumber and of the page image the GUI draws.
  Spaces are not chars of their own; a real space (not one PDFium guessed) is kept
  inside a token's text. Glyphs without a Unicode value are dropped and counted;
* fake bold (the same glyph drawn twice a fraction of a point apart) is dropped;
  invisible text (render mode 3/7) is dropped on pages that also have visible text, and
  kept on pages that have only invisible text (an OCR layer under a page scan); text
  drawn at a slant (diagonal watermarks) is dropped;
* lines: chars are grouped by vertical overlap: a char joins a line when its vertical
  centre lies in the line's band and the line's centre lies in the char's band, so
  mixed fonts on one baseline stay together, numbers printed 2 pt above their label
  join it, and text stacked one char per line (narrow vertical table headers) becomes
  one short row per char;
* tokens: a line is cut where the gap between two chars exceeds 0.7 em, at every
  vertical ruling line (path segment or rectangle edge) crossing it between two chars,
  and where a number starts after a space or a gap over 0.15 em. In the corpus, gaps
  inside words are 0 (CJK), 0.2-0.25 em (Latin/CJK auto-spacing: "2024 年") or up to
  0.55 em (letter-spaced headings), and gaps between unruled cells 1.3 em or more.

Pages that are images without text (or text without a Unicode map) are rendered and
read by OCR (:mod:`core.readers.ocr`), page by page: a mixed document keeps the text
layer of its other pages, and a document with any OCR'd page is of kind "scanned-pdf"
(``Document.meta["ocr_pages"]`` lists them). Without the OCR engine installed, a file
whose pages mostly need OCR raises :class:`ScannedDocument` naming what to install, and
single such pages are listed in ``Document.warnings``. An encrypted, truncated, damaged
or page-less file raises :class:`CorruptFile`. Glyphs that were lost and large images
on text pages are listed in ``Document.warnings``.
"""

from __future__ import annotations

import _thread  # threading's RLock is this one; threading itself costs ~1 ms to import
import ctypes
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.document import Document, Location, Row, Token
from core.errors import CorruptFile, ScannedDocument
from core.readers import pdfium_lib as pdfium_c
from core.textnorm import unify_radical

# PDFium keeps global state and is not thread-safe, even for different documents. Any code
# in this process that calls PDFium (page rendering too) must hold this lock; it is
# re-entrant so a caller already holding it can call read().
PDFIUM_LOCK = _thread.RLock()

# Gap (in points) above which two neighbouring chars on a line start a new token:
# max(X_TOLERANCE, X_TOLERANCE_EM * font size). Chinese has no spaces, so words are cut
# on gaps alone: inside words they stay under 0.55 em, between unruled table cells they
# are 1.3 em or more (see the module docstring). Numbers are cut more eagerly below, so
# a wide tolerance cannot glue a number to its label or to the next number.
X_TOLERANCE = 1.5
X_TOLERANCE_EM = 0.7
# A number starting after a gap this wide (em), or after a space char, is a new word.
NUMBER_GAP_EM = 0.15
# Chars of the same glyph closer than this (points) are one char drawn twice (fake bold).
DEDUPE_TOLERANCE = 1.0
# A page "has text" with at least this many real (mapped, printable) chars.
MIN_PAGE_CHARS = 10
# Chars whose baseline is turned away from the page axes by more than about 6 degrees
# (|sin 2θ| / 2 > SLANT) are skipped: diagonal watermarks ("内部资料") would otherwise
# be spread over many lines.
SLANT = 0.1
# A page without text but with this many visible paths has its text drawn as outlines.
OUTLINE_PATHS = 200
# A page with an image covering this share of it and fewer chars than SCAN_MAX_CHARS is
# a scan (scanners and stamping tools add a little text: page numbers, stamps).
SCAN_IMAGE = 0.5
SCAN_MAX_CHARS = 100
# An image covering this share of a text page may be a table pasted as a picture.
LARGE_IMAGE = 0.2
# A vertical path segment must be this long (points) to count as a ruling line.
MIN_RULE_LENGTH = 3.0

_Transform = Callable[[float, float], tuple[float, float]]
_SPACES = frozenset((0x09, 0x20, 0xA0, 0x3000))
_LINE_BREAKS = frozenset((0x0A, 0x0D))  # PDFium generates them between lines
_INVISIBLE_MODES = (pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE, pdfium_c.FPDF_TEXTRENDERMODE_CLIP)


@dataclass(slots=True)
class _Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # font size in points, as drawn (text matrix and CTM applied)
    space_after: bool = False  # the PDF has a real space char right after this one


@dataclass(slots=True)
class _Rule:
    """A vertical ruling line in display coordinates."""

    x: float
    top: float
    bottom: float


@dataclass(slots=True)
class _Page:
    chars: list[_Char]
    rules: list[_Rule]
    garbage: int  # chars without a usable Unicode value (unmapped CID, private use)
    has_images: bool
    paths: int  # visible path objects (many and no text: text drawn as outlines)
    image_share: float  # the largest image's share of the page area


def read(path: Path, data: bytes,
         progress: Callable[[int, int], None] | None = None) -> Document:
    """Read a PDF into rows of positioned words, one row per visual line.

    Pages without a usable text layer (scans, fonts without a Unicode map) are read by
    OCR (:mod:`core.readers.ocr`); ``progress(done, total)`` is called per OCR'd page.
    Raises :class:`CorruptFile` for encrypted, truncated or damaged files and
    :class:`ScannedDocument` when the pages carry no usable text layer and the OCR
    engine is not installed.
    """
    name = Path(path).name
    with PDFIUM_LOCK:
        try:
            pages = _extract(name, data)
        except CorruptFile as e:
            if _looks_truncated(data):
                # PDFium's own word for a cut-off file is only "data format error".
                raise CorruptFile(f"{name}: the PDF is truncated (its end is missing); "
                                  "copy or download it again",
                                  "文件已损坏：PDF 文件不完整（文件末尾缺失），"
                                  "请重新下载或复制") from e
            raise

    kinds = [_page_kind(p) for p in pages]
    n = len(pages)
    text = kinds.count("text")
    needs_ocr = kinds.count("image") + kinds.count("garbled")
    if text == 0 and needs_ocr == 0:
        raise CorruptFile(f"{name}: none of the {n} pages holds text or images "
                          "(blank or damaged PDF)",
                          "文件已损坏或为空白：PDF 页面没有任何文字或图像")
    ocr_pages: dict[int, list[Row]] = {}
    doc = Document(kind="pdf", rows=[], pages=len(pages))
    if needs_ocr:
        from core.readers import ocr

        if ocr.available():
            wanted = [i for i, k in enumerate(kinds) if k in ("image", "garbled")]
            _check_ocr_budget(name, data, wanted, n)
            for result in ocr.ocr_pdf_pages(data, wanted, progress):
                ocr_pages[result.page] = result.rows
                if not result.rows:
                    doc.warnings.append(f"page {result.page}: OCR found no text")
            doc.kind = "scanned-pdf"
            doc.meta["ocr_pages"] = ",".join(str(p) for p in sorted(ocr_pages))
        elif needs_ocr > text:
            pages_txt = f"{n} page{'s' if n != 1 else ''}"
            if kinds.count("garbled") > kinds.count("image"):
                why = "its text layer is unreadable: fonts without a Unicode map"
            elif text == 0:
                why = "no text layer"
            else:
                why = f"only {text} with a text layer"
            raise ScannedDocument(
                f"{name}: scanned PDF ({pages_txt}, {why}): OCR is needed, but the OCR "
                "engine is not installed (pip install 'rapidocr>=3.10,<4' "
                "'onnxruntime>=1.20,<2' opencv-python-headless)",
                "这是扫描版 PDF（没有文字层），需要文字识别（OCR），但未安装 OCR 组件"
                "(rapidocr、onnxruntime)")

    for number, (page, kind) in enumerate(zip(pages, kinds, strict=True), start=1):
        if number in ocr_pages:
            doc.rows.extend(ocr_pages[number])
        elif kind == "image":
            doc.warnings.append(f"page {number} is an image without text: it needs OCR")
        elif kind == "garbled":
            doc.warnings.append(f"page {number} has unreadable text (fonts without a Unicode map)")
        else:
            if page.garbage >= max(3, len(page.chars) // 100):
                # Text readers silently drop such glyphs: often the digits of one font.
                doc.warnings.append(f"page {number}: {page.garbage} characters have no Unicode "
                                    "value and are missing from the text (numbers may be lost)")
            if page.image_share >= LARGE_IMAGE:
                # Tables are sometimes pasted into the report as pictures.
                doc.warnings.append(f"page {number} holds a large image whose text (if any) "
                                    "is not read")
            doc.rows.extend(_rows(page, number))
    return doc


def _check_ocr_budget(name: str, data: bytes, wanted: list[int], total: int) -> None:
    """Refuse before rendering: too many pages to OCR, or a page that would render to a
    bomb of pixels (a page of 5 × 5 m)."""
    from core.readers import budgets
    from core.readers.ocr import DPI

    if len(wanted) > budgets.MAX_OCR_PAGES:
        raise budgets.too_many_ocr_pages(name, len(wanted), total)
    size = pdfium_c.FS_SIZEF()
    with PDFIUM_LOCK:
        pdf = pdfium_c.open_document(data)
        try:
            for i in wanted:
                if not pdfium_c.FPDF_GetPageSizeByIndexF(pdf, i, ctypes.byref(size)):
                    continue  # the renderer says what is wrong with the page
                budgets.check_page_pixels(name, round(size.width * DPI / 72),
                                          round(size.height * DPI / 72), what=f"page {i + 1}")
        finally:
            pdfium_c.FPDF_CloseDocument(pdf)


# ---------------------------------------------------------------------------
# PDFium side (call only with PDFIUM_LOCK held)
# ---------------------------------------------------------------------------

def _extract(name: str, data: bytes) -> list[_Page]:
    try:
        pdf = pdfium_c.open_document(data)  # ``data`` outlives the handle: closed below
    except pdfium_c.PdfiumError as e:
        if e.code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise CorruptFile(f"{name}: the PDF is encrypted (password protected) and cannot "
                              "be read", "PDF 已加密，无法读取") from e
        raise CorruptFile(f"{name}: damaged PDF, cannot be opened ({e})",
                          "PDF 文件已损坏，无法打开") from e
    try:
        count = pdfium_c.FPDF_GetPageCount(pdf)
        if count <= 0:
            raise CorruptFile(f"{name}: the PDF has no pages", "PDF 文件没有页面")
        pages = []
        for index in range(count):
            page = pdfium_c.FPDF_LoadPage(pdf, index)
            if not page:
                raise CorruptFile(f"{name}: page {index + 1} of {count} is damaged "
                                  "(PDFium cannot load it)",
                                  "PDF 文件已损坏，页面无法读取")
            try:
                pages.append(_read_page(page))
            finally:
                pdfium_c.FPDF_ClosePage(page)
        return pages
    finally:
        pdfium_c.FPDF_CloseDocument(pdf)


def _crop_box(page: int) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of the page's CropBox, else its MediaBox, else US
    Letter: what pypdfium2's ``get_cropbox()`` gives (PDFium does not inherit either box
    from the page tree here)."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for getter in (pdfium_c.FPDFPage_GetCropBox, pdfium_c.FPDFPage_GetMediaBox):
        if getter(page, left, bottom, right, top):
            return left.value, bottom.value, right.value, top.value
    return 0.0, 0.0, 612.0, 792.0


def _display_transform(page: int) -> tuple[_Transform, tuple[float, float] | None]:
    """(x, y) in PDF user space -> (x, y-from-top) on the crop box as displayed, and for an
    unrotated page the (left, top) offset that the per-char loop applies inline."""
    left, bottom, right, top = _crop_box(page)
    rotation = max(0, pdfium_c.FPDFPage_GetRotation(page)) * 90  # 0-3 quarter turns, -1 on error
    if rotation == 90:
        return (lambda x, y: (y - bottom, x - left)), None
    if rotation == 180:
        return (lambda x, y: (right - x, y - bottom)), None
    if rotation == 270:
        return (lambda x, y: (top - y, right - x)), None
    return (lambda x, y: (x - left, top - y)), (left, top)


def _read_page(page: int) -> _Page:
    to_display, upright = _display_transform(page)
    objects = _page_objects(page, to_display)
    textpage = pdfium_c.FPDFText_LoadPage(page)
    if textpage:
        try:
            chars, garbage = _page_chars(textpage, to_display, upright, objects.hidden_text)
        finally:
            pdfium_c.FPDFText_ClosePage(textpage)
    else:  # PDFium could not build the page's text: it is read as a page without text
        chars, garbage = [], 0
    width, height = pdfium_c.FPDF_GetPageWidthF(page), pdfium_c.FPDF_GetPageHeightF(page)
    return _Page(chars, objects.rules, garbage, objects.images > 0, objects.paths,
                 objects.image_area / (width * height) if width * height > 0 else 0.0)


def _page_chars(raw: int, to_display: _Transform,
                upright: tuple[float, float] | None,
                hidden_text: set[int]) -> tuple[list[_Char], int]:
    """The page's printable chars and the number of unmapped ones.

    ``hidden_text`` holds the addresses of text objects drawn invisibly (render mode 3/7).
    """
    count = pdfium_c.FPDFText_CountChars(raw)
    codes = _all_codes(raw, count)
    box = pdfium_c.FS_RECTF()
    box_ref = ctypes.byref(box)
    get_unicode = pdfium_c.FPDFText_GetUnicode
    loose_box = pdfium_c.FPDFText_GetLooseCharBox
    map_error = pdfium_c.FPDFText_HasUnicodeMapError
    text_object = pdfium_c.FPDFText_GetTextObject
    is_generated = pdfium_c.FPDFText_IsGenerated
    matrix = pdfium_c.FS_MATRIX()
    matrix_ref = ctypes.byref(matrix)
    # A char's font size and matrix are those of its text object: asked once per object.
    drawn_size: dict[int | None, float | None] = {}

    visible: list[_Char] = []
    invisible: list[_Char] = []
    last: _Char | None = None
    garbage = 0
    for i in range(count):
        code = codes[i] if codes is not None else get_unicode(raw, i)
        if code in _LINE_BREAKS:
            continue
        if code in _SPACES:
            # Spaces have no token of their own: gaps decide the cuts. A real one (not
            # one PDFium guessed from a gap) is kept as a space inside a token's text.
            if last is not None and not is_generated(raw, i):
                last.space_after = True
            continue
        if code < 0x20 or 0xE000 <= code <= 0xF8FF or code == 0xFFFD or map_error(raw, i) == 1:
            garbage += 1  # a glyph without a Unicode value: it would only give junk text
            continue
        if not loose_box(raw, i, box_ref):
            continue
        obj = text_object(raw, i)
        if obj in drawn_size:  # a char without an object (None) is never stored
            size = drawn_size[obj]
        else:
            size = _drawn_size(raw, i, matrix, matrix_ref)
            if obj:
                drawn_size[obj] = size
        if size is None:
            continue  # text drawn at a slant: a diagonal watermark, not report content
        height = box.top - box.bottom
        if size > 0 and not 0.5 * size <= height <= 1.6 * size:
            _fix_box(raw, i, box, size)
        text = chr(code)
        if 0x2E80 <= code < 0x2FE0:
            # Some writers (Qt, some Word fonts) map the glyphs of 一/人/民/页 to the
            # look-alike radicals ⼀/⼈/⺠/⻚.
            text = unify_radical(text)
        if upright is not None:  # inlined: this loop runs for every char
            x0, y0 = box.left - upright[0], upright[1] - box.top
            x1, y1 = box.right - upright[0], upright[1] - box.bottom
        else:
            x0, y0 = to_display(box.left, box.top)
            x1, y1 = to_display(box.right, box.bottom)
        if x1 < x0:
            x0, x1 = x1, x0
        if y1 < y0:
            y0, y1 = y1, y0
        char = last = _Char(text, x0, y0, x1, y1, size if size > 0 else y1 - y0)
        if hidden_text and obj in hidden_text:
            invisible.append(char)
        else:
            visible.append(char)
    # Invisible text over visible text is a duplicate layer (or hidden junk); a page
    # holding only invisible text is a scan with an OCR layer: that layer is the text.
    if len(visible) < MIN_PAGE_CHARS and invisible:
        return invisible, garbage
    return visible, garbage


def _drawn_size(raw: int, index: int, matrix: pdfium_c.FS_MATRIX, matrix_ref) -> float | None:
    """The font size of char ``index`` as drawn, or None when its baseline is slanted.

    PDFium's font size is in text space (240 for a 12 pt glyph drawn at a scale of 0.05);
    the char's matrix gives the size as drawn."""
    size = pdfium_c.FPDFText_GetFontSize(raw, index)
    if pdfium_c.FPDFText_GetMatrix(raw, index, matrix_ref):
        ma, mb = matrix.a, matrix.b
        if abs(ma * mb) > SLANT * (ma * ma + mb * mb):
            return None
        size *= abs(ma * matrix.d - mb * matrix.c) ** 0.5
    return size


def _all_codes(raw, count: int) -> list[int] | None:
    """The Unicode values of all chars in one call, or None when the page has chars outside
    the BMP (their UTF-16 surrogate pairs would shift the indexes)."""
    if count <= 0:
        return None
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(raw, 0, count, buffer)
    if written != count + 1:
        return None
    codes = list(buffer[:count])
    if any(0xD800 <= c <= 0xDFFF for c in codes):
        return None
    return codes


def _fix_box(raw, index: int, box, size: float) -> None:
    """Replace a wrong loose box of char ``index`` by a square of the font's size.

    PDFium sizes the loose box of some glyphs (seen with vertical-writing CJK fonts drawn
    at a scale of 0.05) by the unscaled font size: a 10 pt char gets a 199 pt box, which
    would swallow the lines around it. The glyph's ink box stays right, so the square is
    centred on it.
    """
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    if not pdfium_c.FPDFText_GetCharBox(raw, index, left, right, bottom, top):
        return
    cx = (left.value + right.value) / 2
    cy = (bottom.value + top.value) / 2
    half = size / 2
    box.left = min(cx - half, left.value)
    box.right = max(cx + half, right.value)
    box.bottom = min(cy - half, bottom.value)
    box.top = max(cy + half, top.value)


@dataclass(slots=True)
class _Objects:
    """What a walk over a page's objects found."""

    rules: list[_Rule]
    hidden_text: set[int]  # addresses of text objects drawn invisibly (render mode 3/7)
    images: int = 0
    image_area: float = 0.0  # of the largest image, in square points
    paths: int = 0  # visible path objects


def _page_objects(page: int, to_display: _Transform) -> _Objects:
    """Walk the page's objects, into form XObjects: vertical ruling lines (from path
    segments and rectangle edges), images, visible paths and invisible text objects."""
    found = _Objects([], set())
    rules, hidden_text = found.rules, found.hidden_text
    x = ctypes.c_float()
    y = ctypes.c_float()
    fill_mode = ctypes.c_int()
    stroke = ctypes.c_int()
    matrix = pdfium_c.FS_MATRIX()
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    x0, y0, x1, y1 = (ctypes.c_float() for _ in range(4))

    def visible_color(getter, obj) -> bool:
        if not getter(obj, r, g, b, a):
            return True
        return a.value > 0 and (r.value, g.value, b.value) != (255, 255, 255)

    def walk(objects, parent: tuple[float, ...]) -> None:
        for obj in objects:
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                if pdfium_c.FPDFTextObj_GetTextRenderMode(obj) in _INVISIBLE_MODES:
                    hidden_text.add(obj)
                continue
            if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                found.images += 1
                if pdfium_c.FPDFPageObj_GetBounds(obj, x0, y0, x1, y1):
                    corners = [_apply(parent, px, py) for px in (x0.value, x1.value)
                               for py in (y0.value, y1.value)]
                    xs = [p[0] for p in corners]
                    ys = [p[1] for p in corners]
                    area = (max(xs) - min(xs)) * (max(ys) - min(ys))
                    found.image_area = max(found.image_area, area)
                continue
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
                pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
                m = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), parent)
                n = pdfium_c.FPDFFormObj_CountObjects(obj)
                walk([pdfium_c.FPDFFormObj_GetObject(obj, k) for k in range(n)], m)
                continue
            if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
                continue
            if not pdfium_c.FPDFPath_GetDrawMode(obj, fill_mode, stroke):
                continue
            filled = fill_mode.value != pdfium_c.FPDF_FILLMODE_NONE
            stroked = bool(stroke.value)
            if not ((filled and visible_color(pdfium_c.FPDFPageObj_GetFillColor, obj))
                    or (stroked and visible_color(pdfium_c.FPDFPageObj_GetStrokeColor, obj))):
                continue  # clip-only or white/transparent: nothing visible is drawn
            found.paths += 1
            pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)
            m = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), parent)
            _path_rules(obj, m, to_display, rules, x, y)

    count = pdfium_c.FPDFPage_CountObjects(page)
    walk([pdfium_c.FPDFPage_GetObject(page, k) for k in range(count)], (1, 0, 0, 1, 0, 0))
    return found


def _path_rules(obj, m: tuple[float, ...], to_display: _Transform, rules: list[_Rule],
                x: ctypes.c_float, y: ctypes.c_float) -> None:
    """Add the vertical segments of path ``obj`` (drawn with matrix ``m``) to ``rules``."""
    a, b, c, d, e, f = m
    n = pdfium_c.FPDFPath_CountSegments(obj)
    if n <= 0 or n > 5000:
        return  # huge paths are drawings or glyph outlines, not table rules
    start = current = None
    for k in range(n):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
        if not pdfium_c.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        px, py = x.value, y.value
        point = to_display(a * px + c * py + e, b * px + d * py + f)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = current = point
        else:
            if current is not None and kind == pdfium_c.FPDF_SEGMENT_LINETO:
                _add_rule(current, point, rules)
            current = point
            if start is None:
                start = point
        if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None and current is not None:
            _add_rule(current, start, rules)  # the closing edge, e.g. a rectangle's 4th side
            current = start


def _add_rule(p: tuple[float, float], q: tuple[float, float], rules: list[_Rule]) -> None:
    if abs(p[0] - q[0]) < 1.0 and abs(p[1] - q[1]) >= MIN_RULE_LENGTH:
        rules.append(_Rule((p[0] + q[0]) / 2, min(p[1], q[1]), max(p[1], q[1])))


def _apply(m: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _compose(m: tuple[float, ...], parent: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix of an object inside a form: first ``m``, then the form's ``parent``."""
    a, b, c, d, e, f = m
    pa, pb, pc, pd, pe, pf = parent
    return (a * pa + b * pc, a * pb + b * pd, c * pa + d * pc, c * pb + d * pd,
            e * pa + f * pc + pe, e * pb + f * pd + pf)


# ---------------------------------------------------------------------------
# Geometry (plain Python, no PDFium)
# ---------------------------------------------------------------------------

def _looks_truncated(data: bytes) -> bool:
    """True when the file's end (the %%EOF marker after the cross-reference table) is
    missing: a download or copy that stopped part-way. Trailing whitespace and NUL
    padding after %%EOF are common and allowed."""
    tail = data[-4096:].rstrip(b" \t\r\n\x00")
    return b"%%EOF" not in tail


def _page_kind(page: _Page) -> str:
    """text | garbled (mostly unmapped glyphs) | image (a scan, or text drawn as outlines:
    needs OCR) | blank."""
    real = len(page.chars)
    if page.garbage > real and page.garbage >= MIN_PAGE_CHARS:
        return "garbled"
    if page.image_share >= SCAN_IMAGE and real < SCAN_MAX_CHARS:
        return "image"  # a page scan, perhaps with a stamp or page number as text
    if real >= MIN_PAGE_CHARS:
        return "text"
    if page.has_images or page.paths >= OUTLINE_PATHS:
        return "image"
    return "text" if real else "blank"


def _lines(chars: list[_Char]) -> list[list[_Char]]:
    """Group chars into visual lines by vertical overlap, top to bottom; each line's chars
    left to right, without fake-bold duplicates."""
    lines: list[list[_Char]] = []
    top = bottom = centre = 0.0
    for ch in sorted(chars, key=lambda c: c.top + c.bottom):
        yc = (ch.top + ch.bottom) / 2
        if lines and top <= yc <= bottom and ch.top <= centre <= ch.bottom:
            line = lines[-1]
            line.append(ch)
            if ch.top < top:
                top = ch.top
            if ch.bottom > bottom:
                bottom = ch.bottom
            centre += (yc - centre) / len(line)
        else:
            lines.append([ch])
            top, bottom, centre = ch.top, ch.bottom, yc
    return [_dedupe(sorted(line, key=lambda c: c.x0)) for line in lines]


def _dedupe(line: list[_Char]) -> list[_Char]:
    """Drop a char when the same glyph is already on the line within DEDUPE_TOLERANCE:
    fake bold draws each glyph twice a fraction of a point apart. ``line`` is sorted by
    x0, so a duplicate's twin is among the few chars just before it."""
    kept: list[_Char] = []
    for ch in line:
        duplicate = False
        for other in reversed(kept):
            if ch.x0 - other.x0 >= DEDUPE_TOLERANCE:
                break
            if other.text == ch.text and abs(other.top - ch.top) < DEDUPE_TOLERANCE:
                duplicate = True
                break
        if not duplicate:
            kept.append(ch)
    return kept


def _split(line: list[_Char], rules: list[_Rule]) -> list[list[_Char]]:
    """Cut a line into words: at gaps wider than the tolerance, at vertical rules, and
    where a number starts after a visible gap or a space (so "申请数 12" and the "0 0 12"
    of a table printed with spaces give separate numbers, while "17.27 万元" stays one)."""
    mid = (min(c.top for c in line) + max(c.bottom for c in line)) / 2
    # Rules crossing the middle of this line (a rule ending at the line's edge does not).
    xs = [r.x for r in rules if r.top <= mid <= r.bottom]
    words: list[list[_Char]] = [[line[0]]]
    prev = line[0]
    prev_size = prev.size
    for i in range(1, len(line)):
        ch = line[i]
        size = ch.size
        em = size if size > prev_size else prev_size
        gap = ch.x0 - prev.x1
        tol = X_TOLERANCE_EM * em
        cut = gap > (tol if tol > X_TOLERANCE else X_TOLERANCE)
        if not cut and (prev.space_after or gap > NUMBER_GAP_EM * em):
            cut = _starts_number(line, i)
        if not cut and xs:
            lo, hi = (prev.x0 + prev.x1) / 2, (ch.x0 + ch.x1) / 2
            cut = any(lo < x < hi for x in xs)
        if cut:
            words.append([ch])
        else:
            words[-1].append(ch)
        prev, prev_size = ch, size
    return words


def _starts_number(line: list[_Char], i: int) -> bool:
    text = line[i].text
    if text.isdigit():
        return True
    return text in "-−+" and i + 1 < len(line) and line[i + 1].text.isdigit()


def _word_text(word: list[_Char]) -> str:
    if len(word) == 1:
        return word[0].text
    parts = []
    for ch in word[:-1]:
        parts.append(ch.text)
        if ch.space_after:
            parts.append(" ")
    parts.append(word[-1].text)
    return "".join(parts)


def _rows(page: _Page, number: int) -> list[Row]:
    rows: list[Row] = []
    for line in _lines(page.chars):
        tokens = []
        row_top = row_bottom = None
        for word in _split(line, page.rules):
            # One pass over the word's chars (this runs for every char of the report).
            first = word[0]
            right, top, bottom = first.x1, first.top, first.bottom
            for ch in word:
                if ch.x1 > right:
                    right = ch.x1
                if ch.top < top:
                    top = ch.top
                if ch.bottom > bottom:
                    bottom = ch.bottom
            x0, x1 = round(first.x0, 2), round(right, 2)
            top, bottom = round(top, 2), round(bottom, 2)
            tokens.append(Token(_word_text(word), x0, x1,
                                Location(page=number, bbox=(x0, top, x1, bottom))))
            if row_top is None or top < row_top:
                row_top = top
            if row_bottom is None or bottom > row_bottom:
                row_bottom = bottom
        rows.append(Row(tokens=tokens, page=number, y0=row_top, y1=row_bottom, grid=False))
    return rows
