"""Budgets by size, checked before the work: a small file must not hold a worker for minutes.

An annual report is a few dozen pages, 10,000-100,000 characters, a page image of a few
million pixels. A file that asks for far more — a 2,000-frame TIFF of 216 KB, a
300-page blank scan, a PNG that inflates to 400 million pixels, 50 MB of table cells —
is refused here with :class:`LimitExceeded`, whose message names the limit, instead of
running into the sandbox's time or memory limit (or an "internal error") minutes later.
Each check reads headers or counts bytes only.
"""

from __future__ import annotations

import io
import os
import re
import stat
import warnings
from pathlib import Path

from core.errors import CorruptFile, LimitExceeded, UnsupportedFile

# Pages (PDF pages without a text layer, or frames of an image file) read by OCR in one
# file: reports run 3-40 pages.
MAX_OCR_PAGES = 60
# Pixels of one page image. A4 at 600 dpi is 35 million; PIL's own bomb warning is at 89.
MAX_IMAGE_PIXELS = 50_000_000
# An image this narrow (pixels) or this elongated holds no readable page.
MIN_IMAGE_SIDE = 32
MAX_IMAGE_ASPECT = 50
# Bytes of an HTML page (reports with inline styles run to 1-2 MB) and its tags: the
# parser and the table walker take about 70 µs per element.
MAX_HTML_BYTES = 20 * 2**20
MAX_HTML_TAGS = 250_000
# Words and numbers (whitespace-separated) in a whole document: a report has a few
# thousand to some tens of thousands; the page of 15,000 cells in tests/fixtures/hostile
# reads in a second. The extractor parses every piece of a table's lines as a value:
# 500,000 "0"s on one line of a 1 MB text took 8 s of CPU (over 60 s on a loaded machine).
MAX_WORDS = 250_000
# Bytes of a text file: more than 4 bytes per character of the text limit
# (core.readers.MAX_TEXT_CHARS, 2 million characters) cannot be a report.
MAX_TEXT_BYTES = 8 * 2**20


def _mib(n: int) -> str:
    return f"{n / 2**20:,.1f} MB".replace(".0 MB", " MB")


def check_regular_file(path: Path) -> os.stat_result:
    """The file's stat when it is a regular file; a pipe, a device (a link to /dev/zero)
    or a folder is refused: reading one would block or never end."""
    try:
        st = os.stat(path)
    except FileNotFoundError as e:
        raise CorruptFile(f"{path}: no such file", "找不到该文件") from e
    except OSError as e:
        raise CorruptFile(f"{path}: cannot open ({e.strerror})", "无法打开文件") from e
    if not stat.S_ISREG(st.st_mode):
        what, zh = _special(st.st_mode)
        raise UnsupportedFile(f"{path.name}: {what}, not a file that can be read",
                              f"这不是普通文件（{zh}），无法读取")
    return st


def _special(mode: int) -> tuple[str, str]:
    if stat.S_ISDIR(mode):
        return "a folder", "是文件夹"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)", "是命名管道"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device", "是设备文件"
    if stat.S_ISSOCK(mode):
        return "a socket", "是套接字"
    return "a special file", "是特殊文件"


def check_markup(name: str, data: bytes, kind: str) -> None:
    """HTML and text: refuse by bytes (and, for HTML, by tags) before decoding or parsing."""
    if kind == "html":
        if len(data) > MAX_HTML_BYTES:
            raise LimitExceeded(
                f"{name}: a {_mib(len(data))} web page, over the limit of "
                f"{_mib(MAX_HTML_BYTES)} for a report",
                f"网页文件大小 {_mib(len(data))}，超过上限 {_mib(MAX_HTML_BYTES)}，"
                "不是一份正常的年度报告")
        tags = data.count(b"<")
        if tags > MAX_HTML_TAGS:
            raise LimitExceeded(
                f"{name}: {tags:,} tags, over the limit of {MAX_HTML_TAGS:,} for a report",
                f"网页含 {tags:,} 个标签，超过上限 {MAX_HTML_TAGS:,} 个，不是一份正常的年度报告")
    elif kind == "txt" and len(data) > MAX_TEXT_BYTES:
        raise LimitExceeded(
            f"{name}: {_mib(len(data))} of text, over the limit of {_mib(MAX_TEXT_BYTES)}",
            f"文本文件大小 {_mib(len(data))}，超过上限 {_mib(MAX_TEXT_BYTES)}，"
            "远多于一份年度报告的篇幅")


def too_many_ocr_pages(name: str, pages: int, total: int | None = None) -> LimitExceeded:
    of = f" of {total}" if total else ""
    return LimitExceeded(
        f"{name}: {pages}{of} pages need OCR, over the limit of {MAX_OCR_PAGES} pages",
        f"需要文字识别的页面有 {pages} 页，超过上限 {MAX_OCR_PAGES} 页"
        "（一份年度报告通常不超过几十页）")


def check_page_pixels(name: str, width: int, height: int, what: str = "page image"
                      ) -> None:
    """One page image of ``width`` × ``height`` pixels: refuse a bomb or a sliver."""
    pixels = width * height
    if pixels > MAX_IMAGE_PIXELS:
        raise LimitExceeded(
            f"{name}: a {what} of {width} × {height} pixels ({pixels / 1e6:,.0f} million), "
            f"over the limit of {MAX_IMAGE_PIXELS / 1e6:g} million",
            f"图像尺寸 {width}×{height} 像素（约 {pixels / 1e6:,.0f} 百万像素），"
            f"超过上限 {MAX_IMAGE_PIXELS / 1e6:g} 百万像素（可能是恶意构造的“解压炸弹”）")
    short, long = sorted((width, height))
    if short < MIN_IMAGE_SIDE or long > MAX_IMAGE_ASPECT * short:
        raise LimitExceeded(
            f"{name}: a {what} of {width} × {height} pixels cannot hold a readable page "
            f"(at least {MIN_IMAGE_SIDE} pixels a side, at most {MAX_IMAGE_ASPECT}:1)",
            f"图像尺寸 {width}×{height} 像素，过窄或长宽比过大"
            f"（每边至少 {MIN_IMAGE_SIDE} 像素，长宽比不超过 {MAX_IMAGE_ASPECT} 比 1），"
            "不可能是报告页面")


def check_image(name: str, data: bytes) -> None:
    """An image file's frames and their sizes, from the headers only (nothing decoded)."""
    from PIL import Image, UnidentifiedImageError

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            im = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
            # PIL refuses (or warns) from the header alone: the pixels were never decoded.
            found = re.search(r"\((\d+) pixels\)", str(e))
            pixels = int(found.group(1)) if found else 0
            raise LimitExceeded(
                f"{name}: an image of {pixels / 1e6:,.0f} million pixels, over the limit of "
                f"{MAX_IMAGE_PIXELS / 1e6:g} million (a decompression bomb)",
                f"图像约 {pixels / 1e6:,.0f} 百万像素，超过上限 {MAX_IMAGE_PIXELS / 1e6:g} "
                "百万像素（可能是恶意构造的“解压炸弹”）") from e
        except (UnidentifiedImageError, OSError, SyntaxError):
            return  # the reader says what is wrong with it
        except Exception as e:  # noqa: BLE001 - PIL's parsers raise anything on bad headers
            raise _damaged(name, e) from e
    try:
        frames = _frames(im, MAX_OCR_PAGES + 1, name)
        if frames > MAX_OCR_PAGES:
            raise LimitExceeded(
                f"{name}: an image file of more than {MAX_OCR_PAGES} pages (frames)",
                f"图像文件超过 {MAX_OCR_PAGES} 页（帧），超过文字识别的上限 {MAX_OCR_PAGES} 页")
        for k in range(frames):
            try:
                im.seek(k)
            except EOFError:
                break
            except Exception as e:  # noqa: BLE001 - a damaged frame header
                raise _damaged(name, e) from e
            check_page_pixels(name, *im.size, what=f"frame {k + 1}" if frames > 1 else "page image")
    finally:
        im.close()


def _frames(im, stop: int, name: str) -> int:
    """How many frames the image has, counting no further than ``stop`` (PIL's n_frames
    would walk every frame of a TIFF, however many)."""
    count = 0
    try:
        while count < stop:
            im.seek(count)
            count += 1
    except EOFError:
        pass
    except Exception as e:  # noqa: BLE001 - a damaged frame header (TypeError, KeyError …)
        raise _damaged(name, e) from e
    return count


def _damaged(name: str, e: Exception) -> CorruptFile:
    return CorruptFile(f"{name}: damaged image ({type(e).__name__}: {e})",
                       "图片文件已损坏，无法打开")


def check_words(name: str, doc) -> None:
    """Refuse a document of more than MAX_WORDS whitespace-separated words and numbers
    (after reading, before the extractor)."""
    words = 0
    for row in doc.rows:
        for token in row.tokens:
            words += len(token.text.split())
    if words > MAX_WORDS:
        raise LimitExceeded(
            f"{name}: {words:,} words and numbers, over the limit of {MAX_WORDS:,}",
            f"文件含 {words:,} 个以空白分隔的词或数字，超过上限 {MAX_WORDS:,} 个，"
            "不是一份正常的年度报告")
