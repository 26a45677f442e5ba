"""Readers: one per file kind, each turning a file into a :class:`core.document.Document`.

The kind is decided by the file's content, never by its extension alone: a file named
``.pdf`` that is really a JPEG is read as the image it is (by OCR), and a ``.docx``
that is really a zip archive of other files is refused as what it is. UTF-16 text without
a byte-order mark is recognised and read. A long PDF whose first pages never mention
信息公开 or 年度报告, and a document of millions of characters, are refused as
:class:`NotAReport` before the extractor spends minutes on them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from core.errors import CorruptFile, NotAReport, UnsupportedFile
from core.readers import budgets

TYPE_CHECKING = False
if TYPE_CHECKING:  # a one-file command reads the file's bytes before it needs the model
    from core.document import Document

MAX_FILE_BYTES = 200 * 1024 * 1024
_HTML_TAGS = (b"<html", b"<!doctype html", b"<body", b"<table", b"<meta")
# A PDF of this many pages is far longer than an annual report (they run 3-40 pages):
# unless its first PROBE_PAGES pages mention 信息公开 or 年度报告, it is refused before
# the reader spends 20 ms a page on it (a 400-page book took 9 s to read and refuse).
LONG_PDF_PAGES = 60
PROBE_PAGES = 10
_REPORT_WORDS = ("信息公开", "年度报告", "年报", "政务公开")
# Annual reports run to 10,000-100,000 characters. Far more text is something else, and
# the extractor and checker take about 5 s per million characters: refuse it.
MAX_TEXT_CHARS = 2_000_000
# Image files of report pages (scans, photos), read by OCR: PNG, JPEG, TIFF, GIF, WebP.
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*",
                b"GIF87a", b"GIF89a")


def sniff(data: bytes, name: str = "") -> str:
    """The file kind by content: pdf, docx, doc, html, image or txt.

    Raises :class:`UnsupportedFile` for anything else (archives, executables, binary data).
    """
    head = data[:4096]
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image"
    if not data.strip():
        raise CorruptFile(f"{name or 'file'} is empty", "文件是空的")
    if head.startswith(b"PK\x03\x04"):
        # Before the PDF test: a zip that stores a PDF uncompressed holds "%PDF-" too.
        import zipfile  # here: reading a PDF, HTML or text file never needs it (~4 ms)

        try:
            with zipfile.ZipFile(_BytesIO(data)) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError,
                EOFError, OSError) as e:  # NotImplementedError: "zip file version 23.0"
            raise CorruptFile(f"{name}: damaged zip/DOCX file ({e})", "DOCX 文件已损坏") from e
        if "word/document.xml" in names:
            return "docx"
        raise _not_word(names, name)
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if head.startswith(_IMAGE_MAGIC):
        return "image"  # a scan or photo of report pages: read by OCR
    for magic, what in ((b"Rar!", "a RAR archive"),
                        (b"\x1f\x8b", "a gzip archive"), (b"7z\xbc\xaf", "a 7z archive"),
                        (b"MZ", "a Windows program"), (b"\x7fELF", "a program")):
        if head.startswith(magic):
            raise UnsupportedFile(f"{name}: this is {what}, not a report document",
                                  "文件内容不是可读取的报告文档（是压缩包或程序）")
    lowered = head.lower()
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a byte-order mark
        lowered = data[:8192].decode("utf-16", "ignore").lower().encode("utf-8", "ignore")
    elif b"\x00" in head:
        raise UnsupportedFile(f"{name}: binary data, not a report document",
                              "文件内容不是可读取的报告文档")
    if any(tag in lowered for tag in _HTML_TAGS):
        return "html"
    return "txt"


def read_document(path: str | Path,
                  progress: Callable[[int, int], None] | None = None, *,
                  data: bytes | None = None) -> Document:
    """Read any supported report file into a :class:`Document`.

    Scanned pages and image files are read by OCR; ``progress(done, total)`` is called
    as their pages are done (other kinds never call it). ``data``: the file's bytes,
    already read (the import pipeline reads each file once); ``path`` then only names it.
    """
    p = Path(path)
    if data is None:
        data = read_file_bytes(p)
    else:
        check_file_size(len(data), p.name)
    data = _utf8_from_bomless_utf16(data)
    kind = sniff(data, p.name)
    budgets.check_markup(p.name, data, kind)
    if kind == "pdf":
        _screen_pdf(data, p.name)
        from core.readers import pdf

        doc = pdf.read(p, data, progress)
    elif kind == "image":
        from core.readers import ocr

        budgets.check_image(p.name, data)
        doc = ocr.read_image(p, data, progress)
    elif kind == "docx":
        from core.not_a_report import docx_creator, refuse_own_paper
        from core.readers import docx

        refuse_own_paper(docx_creator(data), p.name)  # a notice this program drafted
        doc = docx.read(p, data)
    elif kind == "doc":
        from core.readers import doc as doc_reader

        doc = doc_reader.read(p, data)
    elif kind == "html":
        from core.readers import html

        doc = html.read(p, data)
    else:
        from core.readers import txt

        doc = txt.read(p, data)
    _refuse_too_much_text(doc, p.name)
    budgets.check_words(p.name, doc)
    return doc


def read_file_bytes(path: Path) -> bytes:
    """The file's bytes, refused before reading when it is too large to be a report."""
    try:
        # A named pipe would block and /dev/zero never end: only regular files are read.
        check_file_size(budgets.check_regular_file(path).st_size, path.name)
        return path.read_bytes()
    except OSError as e:
        raise CorruptFile(f"{path}: cannot open ({e.strerror})", "无法打开文件") from e


def check_file_size(size: int, name: str) -> None:
    """Refuse a file too large to be an annual report, before its bytes are read."""
    if size > MAX_FILE_BYTES:
        raise UnsupportedFile(f"{name}: file is too large ({size // 2**20} MiB)",
                              "文件过大，不是一份年度报告")


def _BytesIO(data: bytes):  # noqa: N802 - tiny alias keeps the import local
    import io

    return io.BytesIO(data)


def _not_word(names: set[str], name: str) -> UnsupportedFile:
    """What a zip that is not a Word document is, as far as its member names tell."""
    if "xl/workbook.xml" in names:
        what, zh = "an Excel workbook", "这是 Excel 表格，不是 Word 文档"
    elif "ppt/presentation.xml" in names:
        what, zh = "a PowerPoint presentation", "这是 PowerPoint 演示文稿，不是 Word 文档"
    elif "content.xml" in names and "mimetype" in names:
        what, zh = ("an OpenDocument file (save it as .docx)",
                    "这是 OpenDocument 文件，请另存为 .docx 后再导入")
    else:
        what, zh = "a zip archive", "这是压缩包，不是 Word 文档"
    return UnsupportedFile(f"{name}: {what}, not a Word document", zh)


def _utf8_from_bomless_utf16(data: bytes) -> bytes:
    """UTF-16 text without a byte-order mark (Notepad's "Unicode" without BOM, some
    exports), re-encoded as UTF-8 with a BOM; any other bytes unchanged.

    Recognised by its NUL bytes: ASCII characters (digits, newlines, tags) put a NUL
    in every other byte, nearly all on the odd (little-endian) or the even (big-endian)
    side (a few CJK characters such as 一 U+4E00 put one on the other side); and the
    text it decodes to is made of printable ASCII, CJK and punctuation.
    """
    sample = data[:4096]
    sample = sample[:len(sample) - len(sample) % 2]
    pairs = len(sample) // 2
    if pairs < 8 or b"\x00" not in sample or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    for codec, nuls, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if nuls < pairs // 20 or other > nuls // 10:
            continue
        text = sample.decode(codec, "ignore")
        plain = sum(" " <= ch <= "~" or ch in "\t\r\n\f" or "\u3000" <= ch <= "\u9fff"
                    or "\uff00" <= ch <= "\uffef" for ch in text)
        if plain >= 0.9 * len(text):
            return b"\xef\xbb\xbf" + data[:len(data) - len(data) % 2].decode(
                codec, "replace").encode("utf-8")
    return data


def _screen_pdf(data: bytes, name: str) -> None:
    """Before the PDF reader: NotAReport for a checklist, summary or notice this program
    wrote (its Creator), and for a long PDF whose first pages say nothing of 信息公开 or a
    年度报告 (a book, a catalogue). The PDF is opened once for both. Short PDFs, damaged
    ones and pages without a text layer (scans: OCR decides) are left to the reader."""
    from core.not_a_report import refuse_own_paper
    from core.readers import pdfium_lib as pdfium
    from core.readers.pdf import PDFIUM_LOCK

    texts: list[str] = []
    creator, pages = None, 0
    with PDFIUM_LOCK:
        try:
            pdf = pdfium.open_document(data)  # ``data`` outlives the handle: closed below
        except pdfium.PdfiumError:
            return  # the reader says what is wrong with it
        try:
            creator = pdfium.metadata(pdf, "Creator") or None
            pages = max(0, pdfium.FPDF_GetPageCount(pdf))
            if pages >= LONG_PDF_PAGES:
                for i in range(PROBE_PAGES):
                    page = pdfium.FPDF_LoadPage(pdf, i)
                    if not page:
                        texts = []
                        break
                    try:
                        textpage = pdfium.FPDFText_LoadPage(page)
                        if textpage:
                            texts.append(pdfium.page_text(textpage))
                            pdfium.FPDFText_ClosePage(textpage)
                    finally:
                        pdfium.FPDF_ClosePage(page)
        finally:
            pdfium.FPDF_CloseDocument(pdf)
    refuse_own_paper(creator, name)
    if pages < LONG_PDF_PAGES:
        return
    text = "".join("".join(texts).split())
    if sum("\u4e00" <= ch <= "\u9fff" for ch in text) < 200:
        return  # little Chinese text (scans, fonts without a Unicode map): the reader decides
    if not any(word in text for word in _REPORT_WORDS):
        raise NotAReport(
            f"{name}: a {pages}-page PDF whose first {PROBE_PAGES} pages never mention "
            "信息公开 or 年度报告: not an annual report",
            f"这是一份 {pages} 页的 PDF，前 {PROBE_PAGES} 页没有出现“信息公开”或“年度报告”，"
            "不是政府信息公开工作年度报告")


def _refuse_too_much_text(doc: Document, name: str) -> None:
    chars = sum(len(t.text) for row in doc.rows for t in row.tokens)
    if chars > MAX_TEXT_CHARS:
        raise NotAReport(
            f"{name}: {chars:,} characters of text, far more than an annual report holds",
            f"文件含 {chars:,} 个字符，远多于一份年度报告的篇幅，不是政府信息公开工作年度报告")
