"""The document model every reader produces: positioned text in reading order.

A reader turns a file into a :class:`Document`: a list of :class:`Row` in reading
order. A row is one visual line of a PDF page, one row of a DOCX/HTML table, one
line of a text file or one paragraph. Each row holds :class:`Token` pieces with a
horizontal extent, so that the extractor can anchor rows on their labels and
columns on positions, whatever the file kind. Every token keeps its
:class:`Location` so an extracted cell can point back at its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Location:
    """Where a piece of text sits in its source file.

    PDF: ``page`` (1-based) and ``bbox`` (x0, top, x1, bottom in PDF points, y from the
    top as pdfplumber gives it). Text kinds: ``line`` (1-based) and ``span`` (character
    offsets within that line). Tables of DOCX/HTML/TXT: ``table``, ``row``, ``col``
    (0-based grid position, after spans are expanded).
    """

    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    line: int | None = None
    span: tuple[int, int] | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None

    def to_json(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class Token:
    """A piece of text on a row with its horizontal extent.

    ``x0``/``x1`` are in the row's coordinate system: PDF points for PDF words, grid
    columns for table cells (a cell spanning columns 2..3 has x0=2, x1=4), and the
    cell's order for text whose columns are unknown. ``confidence`` is 1.0 for a text
    layer and the recogniser's score for OCR.
    """

    text: str
    x0: float
    x1: float
    loc: Location = field(default_factory=Location)
    confidence: float = 1.0

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Row:
    """One row of positioned text.

    ``grid`` is True when the tokens come from a real table grid (DOCX/HTML table,
    tab-separated line), where x is a column index and empty cells are present as
    tokens with empty text. ``y0``/``y1`` are the vertical extent on the page for PDFs.
    ``table`` numbers the grid table the row belongs to (None outside tables).
    """

    tokens: list[Token]
    page: int | None = None
    y0: float | None = None
    y1: float | None = None
    grid: bool = False
    table: int | None = None

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens if t.text)


@dataclass
class Document:
    """A file read into rows of positioned text, ready for the extractor."""

    kind: str  # pdf | scanned-pdf | docx | doc | html | txt
    rows: list[Row]
    pages: int | None = None
    # Facts the reader found outside the body text, e.g. the publication date in an
    # HTML page's info line or <meta> tags: {"published": "2024-01-29", "title": "…"}.
    meta: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The whole document as plain text, one row per line."""
        return "\n".join(r.text for r in self.rows)
