"""Plain-text reports, in any common encoding, in the three layouts of real dumps.

A line with tab characters is a table row (one cell per tab-separated field, x = the
field's index). A dump whose tables are aligned with spaces (``pdftotext -layout``,
text copied out of a PDF) is read as the monospaced page it is: each line a row of words
placed by their display column (a CJK character takes two), so the extractor reads it
as it reads a PDF page, wrapped labels included. Any other line is one token: the
one-cell-per-line layout needs no special reading here, the extractor folds a label
followed by lines of numbers into one table row.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from charset_normalizer import from_bytes

from core.document import Document, Location, Row, Token
from core.errors import CorruptFile
from core.textwidth import display_width

_CHINESE_CODECS = ("utf-8", "gb18030", "big5")
# The statutory tables have about a dozen columns: a line with more tab-separated fields
# is not a table row and is read as text (a hostile line of 2.5 million fields took the
# extractor minutes).
MAX_FIELDS = 100
# A longer line is cut into pieces of this length: reports print nothing like it (a
# paragraph runs to a few thousand characters), and a hostile 5 MB line kept the
# extractor and the checker busy for a minute.
MAX_LINE = 20_000


def decode_text(data: bytes) -> str:
    """Decode text bytes: BOM first, then strict UTF-8 and GB18030, then detection.

    GB18030 is tried before detection because it is a superset of GBK/GB2312, the
    encodings of most older government pages, and detectors often take short GBK
    text for another legacy codec.
    """
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    if _looks_utf16(data):
        for codec in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if _cjk_share(text) > 0.1:
                return text
    for codec in _CHINESE_CODECS:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is not None:
        return str(best)
    return data.decode("utf-8", errors="replace")


def _looks_utf16(data: bytes) -> bool:
    sample = data[:2000]
    return len(sample) >= 4 and sample.count(b"\x00") > len(sample) // 5


def _cjk_share(text: str) -> float:
    if not text:
        return 0.0
    return sum("\u4e00" <= ch <= "\u9fff" for ch in text) / len(text)


# A space-aligned dump is drawn as a page in points, so that the extractor's tolerances
# for PDF pages hold: one display column is half a 10.5 pt CJK character, lines 1.5 apart.
COLUMN_PT = 5.25
LINE_PT = 15.75
# Fields of an aligned line are cut at two or more spaces, and at one space before a
# number (tight columns of figures: "0 0 12"); "17.27 万元" and "2024 年" stay whole.
_FIELD_GAP = re.compile(r" {2,}| (?=[-−+]?\d)")
_WIDE_GAP = re.compile(r" {2,}")
_VALUE = re.compile(r"^[-−+]?[\d０-９][\d０-９,，.．]*(?:万元|元|件|个|%)?$|^[/／—\-－–]+$")
# This many lines of a label and figures in aligned columns make a dump a laid-out page.
MIN_ALIGNED_ROWS = 3


def read(path: Path, data: bytes) -> Document:
    text = decode_text(data)
    if "\x00" in text:
        raise CorruptFile(f"{path.name}: binary data, not text", "文件内容不是文本")
    lines = [raw.replace("\u3000", " ").replace("\xa0", " ").rstrip()
             for raw in text.splitlines()]
    aligned = _is_aligned(lines)
    rows: list[Row] = []
    table = 0
    in_table = False
    for n, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE:
            in_table = False
            for start in range(0, len(line), MAX_LINE):
                piece = line[start:start + MAX_LINE]
                if piece.strip():
                    lead = start + len(piece) - len(piece.lstrip())
                    loc = Location(line=n, span=(lead, lead + len(piece.strip())))
                    rows.append(Row([Token(piece.strip(), 0, 1, loc)]))
            continue
        if "\t" in line and line.count("\t") < MAX_FIELDS:
            if not in_table:
                in_table = True
                table += 1
            tokens = []
            pos = 0
            for i, field in enumerate(line.split("\t")):
                stripped = field.strip()
                start = pos + (len(field) - len(field.lstrip()))
                tokens.append(Token(stripped, i, i + 1,
                                    Location(line=n, span=(start, start + len(stripped)), col=i)))
                pos += len(field) + 1
            rows.append(Row(tokens, grid=True, table=table - 1))
            continue
        stripped = line.strip()
        if not stripped:
            continue
        in_table = False
        if aligned:
            rows.append(_aligned_row(line, n))
            continue
        start = len(line) - len(line.lstrip())
        loc = Location(line=n, span=(start, start + len(stripped)))
        rows.append(Row([Token(stripped, 0, 1, loc)]))
    if not rows:
        raise CorruptFile(f"{path.name}: the file holds no text", "文件中没有文字")
    return Document(kind="txt", rows=rows)


def _fields(line: str) -> list[tuple[int, str]]:
    """The space-separated fields of a line with their character offsets."""
    out: list[tuple[int, str]] = []
    pos = len(line) - len(line.lstrip())
    body = line[pos:]
    last = 0
    for m in _FIELD_GAP.finditer(body):
        if m.start() > last:
            out.append((pos + last, body[last:m.start()]))
        last = m.end()
    if last < len(body):
        out.append((pos + last, body[last:]))
    return out


def _is_aligned(lines: list[str]) -> bool:
    """Whether tables are laid out with spaces: lines holding a label, then a gap of two
    or more spaces, then figures (a tab-separated or one-cell-per-line dump has none;
    prose puts one space at most before a figure)."""
    count = 0
    for line in lines:
        if "\t" in line or len(line) > 2000:
            continue
        fields = _WIDE_GAP.split(line.strip())
        if len(fields) >= 2 and not _VALUE.match(fields[0]) \
                and all(_VALUE.match(f) for f in _FIELD_GAP.split(fields[-1])):
            count += 1
            if count >= MIN_ALIGNED_ROWS:
                return True
    return False


def _aligned_row(line: str, n: int) -> Row:
    """One line of a laid-out dump as positioned words (x in display columns × COLUMN_PT);
    a line of more fields than a table has is one word, as in the other layouts."""
    fields = _fields(line)
    if len(fields) > MAX_FIELDS:
        fields = [(len(line) - len(line.lstrip()), line.strip())]
    tokens = []
    col = done = 0
    for start, field in fields:
        col += display_width(line[done:start])
        width = display_width(field)
        tokens.append(Token(field, col * COLUMN_PT, (col + width) * COLUMN_PT,
                            Location(line=n, span=(start, start + len(field)))))
        col += width
        done = start + len(field)
    y0 = (n - 1) * LINE_PT
    return Row(tokens, y0=y0, y1=y0 + 2 * COLUMN_PT)
