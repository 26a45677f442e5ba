"""Image files that are the pages of one report, joined into one scanned PDF in memory.

A report scanned or photographed page by page arrives as 报告_1.png, 报告_2.png … The
pipeline (core.pipeline) groups such files; here they become one multi-page PDF without a
text layer, which the OCR reader then reads as any scanned PDF, and which the store keeps
as the report's source. The budgets of core.readers.budgets hold for the whole set: each
file's size, each page's pixels (from the headers, before decoding) and the number of
pages. Pages are decoded one at a time, so memory stays at about one page.
"""

from __future__ import annotations

import io
import time
from collections.abc import Sequence
from pathlib import Path

from core.errors import CorruptFile, LimitExceeded, ReportError
from core.readers import budgets

# The resolution written into the PDF: the OCR reader renders scanned pages at 150 dpi
# (core.readers.ocr.DPI), so each image pixel comes back as one pixel.
PAGE_DPI = 150
# Pillow stores greyscale and colour pages as JPEG (default quality 75): a little higher
# keeps thin strokes of small digits clean for OCR, at about 1.4× the bytes.
JPEG_QUALITY = 90
# Fixed dates (Pillow writes the time of saving otherwise): the same images give the same
# bytes, so a set imported twice is recognised by its hash.
_NO_DATES = {"creationDate": time.gmtime(0), "modDate": time.gmtime(0)}


def join_page_images(pages: Sequence[Path], name: str) -> bytes:
    """The images ``pages`` (in page order) as one PDF's bytes; ``name`` is the set's
    display name for messages. Raises :class:`core.errors.ReportError` subclasses with
    the reason (in Chinese as well) when a page cannot be read or a budget is exceeded."""
    buf = io.BytesIO()
    total = 0
    for number, page_path in enumerate(pages, 1):
        try:
            total = _append_pages(buf, page_path, total, name)
        except ReportError as e:
            # Say which of the images it is: the set is one "file" to the inspector.
            e.message_zh = f"第 {number} 张图片（{page_path.name}）：{e.message_zh}"
            raise
    return buf.getvalue()


def _append_pages(buf: io.BytesIO, page_path: Path, total: int, name: str) -> int:
    """Append every frame of the image file ``page_path`` to the PDF in ``buf`` (which
    holds ``total`` pages); the new total."""
    from PIL import Image

    from core.readers import read_file_bytes

    data = read_file_bytes(page_path)  # refuses a file too large to be a report
    budgets.check_image(page_path.name, data)  # frames and pixels from the headers
    try:
        with Image.open(io.BytesIO(data)) as im:
            for k in range(budgets.MAX_OCR_PAGES + 1):
                try:
                    im.seek(k)
                except EOFError:
                    break
                total += 1
                if total > budgets.MAX_OCR_PAGES:
                    raise budgets.too_many_ocr_pages(name, total)
                # Each page is appended to the PDF as an incremental update, decoded one
                # at a time; appending writes no date (the first page's are fixed).
                buf.seek(0)
                _page_mode(im).save(buf, "PDF", resolution=PAGE_DPI, append=total > 1,
                                    quality=JPEG_QUALITY, **_NO_DATES)
    except LimitExceeded:
        raise
    except Exception as e:  # noqa: BLE001 - PIL raises anything on a damaged image
        raise CorruptFile(f"{page_path.name}: damaged image ({type(e).__name__}: {e})",
                          "图片文件已损坏，无法作为报告页面读取") from e
    return total


def _page_mode(im):
    """A mode the PDF writer takes (RGBA, P with transparency … become RGB or L)."""
    if im.mode in ("1", "L", "RGB", "CMYK"):
        return im
    return im.convert("L" if im.mode in ("LA", "I", "I;16", "F") else "RGB")
