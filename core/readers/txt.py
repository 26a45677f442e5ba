"""Plain-text reports, in any common encoding, in both layouts seen in real dumps.

A line with tab characters is a table row (one cell per tab-separated field, x = the
field's index); any other line is one token. The one-cell-per-line layout needs no
special reading here: the extractor folds a label followed by lines of numbers into
one table row.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from charset_normalizer import from_bytes

from core.document import Document, Location, Row, Token
from core.errors import CorruptFile

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


def read(path: Path, data: bytes) -> Document:
    text = decode_text(data)
    if "\x00" in text:
        raise CorruptFile(f"{path.name}: binary data, not text", "文件内容不是文本")
    rows: list[Row] = []
    table = 0
    in_table = False
    for n, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.replace("\u3000", " ").replace("\xa0", " ").rstrip()
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
        start = len(line) - len(line.lstrip())
        loc = Location(line=n, span=(start, start + len(stripped)))
        rows.append(Row([Token(stripped, 0, 1, loc)]))
    if not rows:
        raise CorruptFile(f"{path.name}: the file holds no text", "文件中没有文字")
    return Document(kind="txt", rows=rows)
