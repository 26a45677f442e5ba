"""New layouts of the dev-corpus reports, to find what the extractor cannot read yet.

Each :class:`Variant` takes a report's truth (``tests/data/corpus/dev/ID.truth.json``),
lays its cells out in a way the corpus does not have (:mod:`variants.layout`) and
writes it as a file of one kind (:mod:`variants.render`): a saved web page, a Word
file, a text dump, or a PDF printed from the page by Qt or from the Word file by
LibreOffice. :func:`build` returns the file and the cell values a perfect reader finds
in it; :func:`wrong_cells` compares them with what the extractor reads.

``python -m variants [ID ...] [--only NAME] [--out DIR]`` (from ``tests/``) runs every
variant over the given reports (all of the dev corpus by default) and lists the cells
each gets wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from variants.layout import Labels, Style, Tables, Values, load_report, outline
from variants.render import (
    Docx,
    Html,
    Txt,
    html_to_pdf,
    libreoffice_to_pdf,
    to_docx,
    to_html,
    to_txt,
)


@dataclass(frozen=True)
class Variant:
    name: str
    # html | docx | txt, or a PDF: pdf-qt (a page printed by Qt), pdf-lo (a Word file
    # exported by LibreOffice), pdf-web (a page printed by LibreOffice as a browser does)
    kind: str
    why: str  # the real-world source this layout imitates
    style: Style = field(default_factory=Style)
    html: Html = field(default_factory=Html)
    docx: Docx = field(default_factory=Docx)
    txt: Txt = field(default_factory=Txt)
    point_size: float = 10.5
    landscape: bool = False


def _s(labels: Labels | None = None, values: Values | None = None,
       tables: Tables | None = None) -> Style:
    return Style(labels or Labels(), values or Values(), tables or Tables())


VARIANTS: list[Variant] = [
    # ---- saved web pages
    Variant("html-th-thead", "html", "CMS table with <th> heads in <thead>, text in <span>",
            _s(tables=Tables(t3_head="total_top")), html=Html(head_tag="th", thead=True,
                                                               wrap="span")),
    Variant("html-split-heads", "html", "merges lost: each head in its first <td>, "
            "group labels printed once, zeros as —",
            _s(values=Values(zero="—"), tables=Tables(t3_labels="once", t3_head="split")),
            html=Html(wrap="p")),
    Variant("html-gbk-rows", "html", "GBK page without a charset; one label column with "
            "group rows; table 四 one row per kind; no serial numbers",
            _s(Labels(full_brackets=False, serials=False),
               tables=Tables(t3_labels="rows", t4="transposed")),
            html=Html(encoding="gbk", meta_charset=False)),
    Variant("html-fullwidth", "html", "full-width digits, thousands separators, / for 0, "
            "vertical heads and wrapped labels with <br>, 法规",
            _s(Labels(vertical_heads=True, wrap=10, spaced=True, law_short=True),
               Values(zero="/", fullwidth=True, thousands=True))),
    Variant("html-excel", "html", "Excel 'save as web page' inside a layout table; merges "
            "filled by repeating labels; table 三 in two tables",
            _s(values=Values(blank="/"), tables=Tables(t3_labels="repeated", t3_head="two_rows",
                                                      split_t3_before="r3_4_1")),
            html=Html(excel=True, nested=True)),
    Variant("html-one-row-head", "html", "table 三 with a one-row head; 1、 numbering; "
            "table 二 one table per group; amounts in 万元",
            _s(Labels(enum_sep="、"), Values(amount="wan"),
               Tables(t3_head="one_row", t2="per_group")), html=Html(wrap="font")),
    Variant("html-word-page", "html", "Word 'save as web page': a head colspan wider than "
            "the table, row labels in <th>, table 二 value cells not merged",
            _s(tables=Tables(t2_merged=False)), html=Html(wrap="p", sloppy_spans=True,
                                                           label_th=True)),
    # ---- Word files
    Variant("docx-split-page", "docx", "table 三 split by a page break, header repeated, "
            "labels broken into lines",
            _s(Labels(wrap=12), tables=Tables(split_t3_before="r3_4_1"))),
    Variant("docx-no-merge", "docx", "no merged cells: labels in the first cell, serial "
            "numbers left out, 1、",
            _s(Labels(serials=False, enum_sep="、"),
               tables=Tables(t3_labels="once", t3_head="split")), docx=Docx(merge="none")),
    Variant("docx-hmerge", "docx", "legacy hMerge merges, vertical heads, table 四 one row "
            "per kind, table 二 one table per group",
            _s(Labels(vertical_heads=True), tables=Tables(t4="transposed", t2="per_group")),
            docx=Docx(merge="hmerge")),
    Variant("docx-dashes", "docx", "zeros as -, thousands separators, group rows, two-row "
            "head",
            _s(values=Values(zero="-", thousands=True, amount="yuan"),
               tables=Tables(t3_labels="rows", t3_head="two_rows"))),
    # ---- text dumps
    Variant("txt-spaces", "txt", "pdftotext -layout: columns aligned with spaces",
            txt=Txt(layout="spaces")),
    Variant("txt-spaces-wrapped", "txt", "pdftotext -layout of narrow label columns: "
            "labels wrapped, numbers on the middle line",
            _s(Labels(wrap=10), tables=Tables(t3_labels="once")),
            txt=Txt(layout="spaces", value_line="middle")),
    Variant("txt-lines-vertical", "txt", "one cell per line, vertical heads one character "
            "per line, wrapped labels",
            _s(Labels(vertical_heads=True, wrap=12)), txt=Txt(layout="lines", blank_lines=True)),
    Variant("txt-tabs-rows", "txt", "GBK tab-separated copy, group rows, no serials, table "
            "四 one row per kind",
            _s(Labels(serials=False), tables=Tables(t3_labels="rows", t4="transposed")),
            txt=Txt(layout="tabs", encoding="gbk")),
    Variant("txt-copy", "txt", "copied from a PDF viewer: a row per line, cells one space "
            "apart", txt=Txt(layout="copy")),
    # ---- PDFs printed by Qt from web pages
    Variant("pdf-qt-narrow", "pdf-qt", "narrow label columns: labels wrap over lines; "
            "header repeated after page breaks",
            _s(tables=Tables(t3_head="total_top")),
            html=Html(head_tag="th", thead=True, label_width="6%")),
    Variant("pdf-qt-landscape", "pdf-qt", "landscape page, one-row head, zeros as —",
            _s(values=Values(zero="—"), tables=Tables(t3_head="one_row", t4="transposed")),
            landscape=True),
    Variant("pdf-qt-split", "pdf-qt", "table 三 in two tables, vertical heads, table 二 per "
            "group, large type",
            _s(Labels(vertical_heads=True), tables=Tables(split_t3_before="r3_3_5",
                                                          t2="per_group")),
            html=Html(thead=True), point_size=12),
    # ---- PDFs exported by LibreOffice from Word files
    Variant("pdf-lo-split", "pdf-lo", "Word table split by a page break, header repeated",
            _s(Labels(wrap=12), tables=Tables(split_t3_before="r3_4_1"))),
    Variant("pdf-lo-landscape", "pdf-lo", "landscape Word file without merged cells",
            _s(Labels(serials=False), tables=Tables(t3_labels="once", t3_head="split")),
            docx=Docx(merge="none", landscape=True)),
    Variant("pdf-lo-footer", "pdf-lo", "page numbers '- 2 -' in the footer and the title "
            "in the page header of every page",
            _s(Labels(wrap=14)), docx=Docx(page_numbers=True, running_head=True)),
    Variant("pdf-lo-vertical", "pdf-lo", "Word's vertical text direction for the tall label "
            "cell and the narrow heads; figures right-aligned",
            docx=Docx(text_direction="tbRlV", value_align="right")),
    Variant("pdf-lo-turned", "pdf-lo", "heads and the tall label cell turned 90° (文字方向 "
            "btLr), labels with spaces",
            _s(Labels(spaced=True, full_brackets=False)), docx=Docx(text_direction="btLr")),
    Variant("pdf-lo-one-row-head", "pdf-lo", "one-row head whose corner note wraps "
            "mid-word in a narrow label column, group rows, no serial numbers",
            _s(Labels(serials=False, enum_sep="、", full_brackets=False, spaced=True),
               tables=Tables(t3_labels="rows", t3_head="one_row"))),
    Variant("pdf-lo-rows", "pdf-lo", "group rows, dashes for zeros, transposed table 四",
            _s(values=Values(zero="-"), tables=Tables(t3_labels="rows", t4="transposed")),
            docx=Docx(point_size=9)),
    # ---- web pages printed to PDF as a browser does (LibreOffice Writer/Web)
    Variant("pdf-web-once", "pdf-web", "page without merged label cells, zeros as —, "
            "printed from the browser",
            _s(values=Values(zero="—"), tables=Tables(t3_labels="once"))),
    Variant("pdf-web-narrow", "pdf-web", "heads split into empty cells, labels printed "
            "once: narrow label columns, tall labels centred on their figures",
            _s(tables=Tables(t3_labels="once", t3_head="split"))),
    Variant("pdf-web-vertical", "pdf-web", "page with vertical heads, wrapped labels, "
            "thousands separators, table 四 transposed, printed from the browser",
            _s(Labels(vertical_heads=True, wrap=10, law_short=True),
               Values(thousands=True, amount="wan"), Tables(t4="transposed", t2="per_group")),
            html=Html(head_tag="th")),
]

BY_NAME = {v.name: v for v in VARIANTS}
SUFFIX = {"html": ".html", "docx": ".docx", "txt": ".txt", "pdf-qt": ".pdf", "pdf-lo": ".docx",
          "pdf-web": ".html"}
_LIBREOFFICE = ("pdf-lo", "pdf-web")


def build(variant: Variant, doc_id: str, out_dir: Path) -> tuple[Path, dict[str, object]]:
    """Write one report in one variant; for pdf-lo and pdf-web the file LibreOffice still
    has to print (see :func:`build_many`)."""
    doc = outline(load_report(doc_id), variant.style)
    path = out_dir / f"{doc_id}.{variant.name}{SUFFIX[variant.kind]}"
    if variant.kind in ("html", "pdf-qt", "pdf-web"):
        page = to_html(doc, variant.html)
        if variant.kind == "pdf-qt":
            return html_to_pdf(page, path, point_size=variant.point_size,
                               landscape=variant.landscape), doc.expected
        path.write_bytes(page)
    elif variant.kind in ("docx", "pdf-lo"):
        path.write_bytes(to_docx(doc, variant.docx))
    else:
        path.write_bytes(to_txt(doc, variant.txt))
    return path, doc.expected


def build_many(cases: list[tuple[Variant, str]], out_dir: Path
               ) -> list[tuple[Variant, str, Path, dict[str, object]]]:
    """Write many (variant, report) cases; LibreOffice prints the files of its cases
    in one run per kind."""
    built = [(v, i, *build(v, i, out_dir)) for v, i in cases]
    todo = [p for v, _, p, _ in built if v.kind in _LIBREOFFICE]
    if todo:
        pdfs = dict(zip(todo, libreoffice_to_pdf(todo, out_dir), strict=True))
        built = [(v, i, pdfs.get(p, p), e) for v, i, p, e in built]
    return built


def _same(want: object, got: object) -> bool:
    # As the corpus scorer: numbers within 0.01, anything else (None, text) exactly.
    if want is None or isinstance(want, str):
        return got == want
    return isinstance(got, int | float) and abs(float(got) - float(want)) <= 0.01  # type: ignore[arg-type]


def wrong_cells(path: Path, expected: dict[str, object]) -> dict[str, tuple[object, object]]:
    """The cells the extractor reads differently from ``expected``: key → (want, got)."""
    from core.extract import extract_file

    got = extract_file(path).values()
    return {k: (v, got.get(k)) for k, v in expected.items() if not _same(v, got.get(k))}
