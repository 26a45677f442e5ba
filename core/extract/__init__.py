"""The extractor: from a :class:`Document` to a :class:`Report` with every cell of its format.

Tables are recognised from their own labels (which format, which row), values are
placed by their column, and each cell keeps its source location, raw text, kind and
confidence. Rows of the format that cannot be found are listed in ``Report.notes``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from core.document import Document
from core.errors import LimitExceeded, NotAReport
from core.extract import meta
from core.extract.doubts import doubtful_tables
from core.extract.tables import detect_format, extract_t2, extract_t3, extract_t4, find_blocks
from core.model import Cell, Report
from core.not_a_report import refuse_blank_template
from core.template import get_format


def extract(doc: Document, file_name: str, sha256: str) -> Report:
    blocks = find_blocks(doc)
    fmt_name = detect_format(doc, blocks)
    title = meta.find_title(doc)
    year = meta.find_year(doc, title)
    sections, section_text = meta.find_sections(doc, blocks)
    if fmt_name is None:
        if not any(sections.values()) and blocks.t3 is None:
            depth = doc.meta.get("truncated_at_depth")
            if depth:  # the report may be past what the parser could read
                raise LimitExceeded(
                    f"{file_name}: the page nests elements deeper than {depth} levels; "
                    "what lies deeper cannot be read, and no report was found before it",
                    f"网页元素嵌套超过 {depth} 层，更深处的内容无法读取，"
                    "在此之前未找到年度报告的表格或章节")
            raise NotAReport(
                f"{file_name}: no annual-report tables or sections found",
                "未找到政府信息公开工作年度报告的表格或章节，该文件可能不是年度报告")
        fmt_name = "2021" if (year or 2021) >= 2021 else "2019"
    fmt = get_format(fmt_name)
    cells: dict[str, Cell] = {k: Cell(k) for k in fmt.cell_keys()}
    notes: list[str] = []
    tables_found = {"t2": False, "t3": False, "t4": False}
    merged_other = False
    if blocks.t2:
        r2 = extract_t2(doc, doc.rows[blocks.t2[0]:blocks.t2[1]], fmt)
        cells.update(r2.cells)
        tables_found["t2"] = r2.found
        notes += [f"row not found: {k}" for k in r2.missing_rows] if r2.found else []
    if blocks.t3:
        r3 = extract_t3(doc, doc.rows[blocks.t3[0]:blocks.t3[1]], fmt)
        if r3.found:
            cells.update(r3.cells)
            tables_found["t3"] = True
            merged_other = r3.merged_other_row
            notes += [f"row not found: {k}" for k in r3.missing_rows]
    if blocks.t4:
        r4 = extract_t4(doc, doc.rows[blocks.t4[0]:blocks.t4[1]])
        if r4.found:
            cells.update(r4.cells)
            tables_found["t4"] = True
            notes += [f"row not found: {k}" for k in r4.missing_rows]
    agency = meta.find_agency(title)
    text = doc.text()
    published, published_source = meta.find_publication(doc)
    level, level_basis = meta.find_level(agency, text)
    report = Report(
        file=file_name, sha256=sha256, kind=doc.kind, pages=doc.pages, format=fmt_name,
        year=year, published=published, title=title, agency=agency,
        sections=sections, cells=cells, text=text, section_text=section_text,
        tables_found=tables_found, notes=notes + doc.warnings,
        is_government=level == meta.GOVERNMENT, merged_other_row=merged_other,
        level=level, level_basis=level_basis, published_source=published_source,
    )
    refuse_blank_template(report)  # NotAReport: the format itself, never filled in
    return report


def extract_file(path: str | Path,
                 progress: Callable[[int, int], None] | None = None, *,
                 data: bytes | None = None, sha256: str | None = None) -> Report:
    """Read and extract one file (the checker is run separately). ``progress(done,
    total)`` is called as pages are read by OCR (see :func:`core.readers.read_document`).
    ``data`` and ``sha256``: the file's bytes and their hash, when the caller has them
    (the import pipeline reads and hashes each file once)."""
    from core.readers import read_document, read_file_bytes

    p = Path(path)
    if data is None:
        data = read_file_bytes(p)
    doc = read_document(p, progress, data=data)
    return extract_document(doc, p, data, sha256)


def extract_document(doc: Document, path: str | Path, data: bytes,
                     sha256: str | None = None) -> Report:
    """:func:`extract_file` of a document already read from ``path``, whose bytes are
    ``data`` (and their hash ``sha256``, when known)."""
    from core.filenames import display_name

    report = extract(doc, display_name(Path(path).name),
                     sha256 or hashlib.sha256(data).hexdigest())
    # A text PDF's table that leaves a doubt is read again by pdfplumber (its module is
    # imported then only: a clean report never needs it).
    todo, blocks = doubtful_tables(doc, report)
    if todo:
        from core.extract import second_reader

        second_reader.consult(data, doc, report, blocks)
    return report
