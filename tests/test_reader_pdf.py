"""The PDF reader: rows per visual line, words split at column gaps and ruling lines.

Real files come from tests/data/corpus (dev: fictional reports with truth files; real:
published reports); the rest are made here, by Qt from HTML (tests/pdfgen.py) or by hand
from a content stream, so each test controls the layout it checks.
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import pdfplumber
import pytest
from datapaths import DEV_CORPUS, REAL_DIR

from core.document import Document
from core.errors import CorruptFile, ScannedDocument
from core.readers import pdf, read_document
from tests.pdfgen import make_encrypted_pdf, make_pdf, make_raw_pdf

DEV = DEV_CORPUS
REAL = REAL_DIR
SCANNED = ["000_882c3d0f", "023_2b16b40c", "025_19c57c45", "032_3994feac", "034_a45d349a",
           "035_9deb3a08"]
NUMBER = re.compile(r"^-?\d[\d,]*(\.\d+)?$")


def _read(path: Path) -> Document:
    return pdf.read(path, path.read_bytes())


def _text_pdfs() -> list[tuple[Path, dict]]:
    cases = []
    for truth_path in sorted(DEV.glob("*.truth.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        if truth["source"].get("render") in ("pdf-word", "pdf-direct"):
            cases.append((DEV / truth["source"]["file"], truth))
    return cases


def _needs_corpus() -> None:
    if not DEV.is_dir():
        pytest.fail(f"the dev corpus is missing: {DEV}")


def _row_with(doc: Document, text: str):
    rows = [r for r in doc.rows if text in r.text]
    assert rows, f"no row holds {text!r}"
    return rows[0]


# --- real files -------------------------------------------------------------------------

def test_corpus_is_there() -> None:
    _needs_corpus()
    assert len(_text_pdfs()) == 12
    assert len(list(REAL.glob("*.pdf"))) >= 3


@pytest.mark.parametrize(("path", "truth"), _text_pdfs(), ids=lambda v: getattr(v, "stem", ""))
def test_dev_pdf_new_requests_row(path: Path, truth: dict) -> None:
    """The 本年新收 row: its label is one token and each number its own, with the truth's
    values, left to right, on the page the truth says the file has."""
    doc = _read(path)
    assert doc.kind == "pdf" and doc.pages == truth["source"]["pages"]
    row = _row_with(doc, "本年新收")
    label, *numbers = row.tokens
    assert label.text == "一、本年新收政府信息公开申请数量"
    cols = ("natural", "commercial", "research", "social", "legal", "other", "total")
    assert [int(t.text) for t in numbers] == [truth["cells"][f"t3.new.{c}"] for c in cols]
    xs = [t.x0 for t in row.tokens]
    assert xs == sorted(xs) and all(t.x1 > t.x0 for t in row.tokens)


@pytest.mark.parametrize(("path", "truth"), _text_pdfs(), ids=lambda v: getattr(v, "stem", ""))
def test_dev_pdf_rows_are_in_reading_order(path: Path, truth: dict) -> None:
    doc = _read(path)
    keys = [(r.page, r.y0) for r in doc.rows]
    assert keys == sorted(keys)
    assert {r.page for r in doc.rows} == set(range(1, doc.pages + 1))
    for row in doc.rows:
        assert not row.grid and row.y0 < row.y1
        assert [t.x0 for t in row.tokens] == sorted(t.x0 for t in row.tokens)
        for t in row.tokens:
            x0, top, x1, bottom = t.loc.bbox
            assert t.loc.page == row.page and (x0, x1) == (t.x0, t.x1)
            assert 0 <= x0 < x1 <= 596 and 0 <= top < bottom <= 842
            assert row.y0 <= top and bottom <= row.y1


def test_dev_pdf_matches_pdfplumber_chars_and_numbers() -> None:
    """Same characters as pdfplumber (after its dedupe_chars), and every number pdfplumber
    finds in a table row (a line with three or more numbers) is one of our tokens, at the
    same place."""
    path = DEV / "002_2a29e4d1.pdf"
    doc = _read(path)
    ours = sorted(ch for r in doc.rows for t in r.tokens for ch in t.text if not ch.isspace())
    theirs: list[str] = []
    table_numbers = set()
    with pdfplumber.open(path) as plumber:
        for number, page in enumerate(plumber.pages, start=1):
            clean = page.dedupe_chars()
            theirs += [c["text"] for c in clean.chars if not c["text"].isspace()]
            lines: dict[int, list[dict]] = {}
            for w in clean.extract_words(x_tolerance=1.5):
                lines.setdefault(round(w["top"]), []).append(w)
            for words in lines.values():
                nums = [w for w in words if NUMBER.match(w["text"])]
                if len(nums) >= 3 and number <= 2:  # page 3 has only prose and a date
                    table_numbers |= {(number, w["text"], round(w["x0"])) for w in nums}
            page.close()
    assert ours == sorted(theirs)
    tokens = {(r.page, t.text, round(t.x0)) for r in doc.rows for t in r.tokens}
    assert len(table_numbers) > 40
    assert table_numbers <= tokens


@pytest.mark.parametrize(("name", "page", "numbers"), [
    ("huaian-city-gov-2024.pdf", 4, ["3001", "53", "0", "0", "61", "4", "3119"]),
    ("huaian-hongze-district-gov-2023.pdf", 3, ["21", "0", "0", "0", "0", "0", "21"]),
    ("huaian-hongze-district-gov-2024.pdf", 3, ["95", "0", "0", "0", "0", "0", "95"]),
])
def test_real_report_table_row(name: str, page: int, numbers: list[str]) -> None:
    """Published WPS exports: numbers sit 2 pt above their label and the vertical
    "三、本年度办理结果" header uses glyphs whose PDFium loose box is 199 pt tall; both
    must still give one clean row."""
    _needs_corpus()
    doc = _read(REAL / name)
    row = _row_with(doc, "本年新收")
    assert row.page == page
    assert [t.text for t in row.tokens] == ["一、本年新收政府信息公开申请数量", *numbers]
    assert all(r.y1 - r.y0 < 30 for r in doc.rows), "a char box swallowed its neighbours"


def test_real_report_vertical_header_is_one_char_per_row() -> None:
    doc = _read(REAL / "huaian-hongze-district-gov-2024.pdf")
    singles = [r.tokens[0].text for r in doc.rows
               if r.page == 3 and r.tokens and r.tokens[0].x1 < 100 and r.y0 > 600]
    assert "".join(singles).startswith("三、本年度办理结果")


@pytest.mark.parametrize("stem", SCANNED)
def test_scanned_pdf_without_ocr_engine_raises_scanned_document(stem: str, monkeypatch) -> None:
    """Scans are read by OCR (tests/test_ocr.py); without the engine installed they are
    refused with a message naming what to install."""
    from core.readers import ocr

    _needs_corpus()
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(ScannedDocument) as err:
        _read(DEV / f"{stem}.pdf")
    assert "3 pages" in str(err.value) and "OCR" in str(err.value)
    assert "rapidocr" in str(err.value)


def test_read_document_dispatches_pdf() -> None:
    doc = read_document(DEV / "003_b1886bff.pdf")
    assert doc.kind == "pdf" and doc.pages == 3 and len(doc.rows) > 50


def test_threads_share_pdfium_safely() -> None:
    paths = [DEV / "002_2a29e4d1.pdf", DEV / "005_0b0fcac7.pdf", REAL / "huaian-city-gov-2024.pdf"]
    expected = {p: _read(p).text() for p in paths}
    got: dict[tuple[Path, int], str] = {}
    errors: list[BaseException] = []

    def work(p: Path, k: int) -> None:
        try:
            got[(p, k)] = _read(p).text()
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(p, k)) for k in range(3) for p in paths]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(text == expected[p] for (p, _), text in got.items()) and len(got) == 9


# --- damaged and protected files ----------------------------------------------------------

def test_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    path = make_encrypted_pdf(tmp_path / "locked.pdf", user_password="secret")
    with pytest.raises(CorruptFile) as err:
        _read(path)
    assert "encrypted" in str(err.value)
    assert err.value.message_zh == "PDF 已加密，无法读取"


def test_encrypted_pdf_without_user_password_is_read(tmp_path: Path) -> None:
    """Only the permissions are protected: every reader opens such a file."""
    doc = _read(make_encrypted_pdf(tmp_path / "perms.pdf", user_password=""))
    assert doc.text() == "Secret report"


def test_truncated_pdf_is_corrupt(tmp_path: Path) -> None:
    data = (DEV / "002_2a29e4d1.pdf").read_bytes()
    for share in (0.3, 0.9):
        with pytest.raises(CorruptFile) as err:
            pdf.read(tmp_path / "cut.pdf", data[: int(len(data) * share)])
        assert "truncated" in str(err.value)
        assert "Traceback" not in str(err.value)


def test_garbage_pdf_is_corrupt(tmp_path: Path) -> None:
    with pytest.raises(CorruptFile) as err:
        pdf.read(tmp_path / "junk.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n")
    assert "damaged" in str(err.value)


def test_pdf_without_pages_is_corrupt(tmp_path: Path) -> None:
    body = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n")
    xref = len(body)
    body += (b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n"
             b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n" + str(xref).encode()
             + b"\n%%EOF\n")
    with pytest.raises(CorruptFile):
        pdf.read(tmp_path / "empty.pdf", body)


def test_blank_pdf_is_corrupt_not_scanned(tmp_path: Path) -> None:
    path = make_raw_pdf("", tmp_path / "blank.pdf")
    with pytest.raises(CorruptFile) as err:
        _read(path)
    assert "blank" in str(err.value)


# --- layouts made by Qt -------------------------------------------------------------------

def _table_html(rows: int) -> str:
    body = "".join(f"<tr><td>第{i}行 政府信息公开申请</td><td align='right'>{i}</td>"
                   f"<td align='right'>{i * 10}</td><td align='right'>1,234</td></tr>"
                   for i in range(1, rows + 1))
    return ("<h3>三、收到和处理政府信息公开申请情况</h3>"
            "<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
            "<thead><tr><th>项目</th><th>自然人</th><th>法人</th><th>总计</th></tr></thead>"
            f"{body}</table><p>四、政府信息公开行政复议、行政诉讼情况</p>")


def test_table_split_across_pages(tmp_path: Path) -> None:
    doc = _read(make_pdf(_table_html(60), tmp_path / "split.pdf"))
    assert doc.pages >= 2
    data = []
    for row in doc.rows:
        m = re.fullmatch(r"第(\d+)行政府信息公开申请", row.tokens[0].text)
        if m:
            data.append((int(m.group(1)), row))
    assert [n for n, _ in data] == list(range(1, 61)), "rows lost, repeated or out of order"
    pages = [row.page for _, row in data]
    assert pages == sorted(pages) and pages[0] == 1 and pages[-1] >= 2
    columns: list[list[float]] = [[], [], []]
    for n, row in data:
        assert [t.text for t in row.tokens[1:]] == [str(n), str(n * 10), "1,234"]
        for k, token in enumerate(row.tokens[1:]):
            columns[k].append(token.x1)  # right-aligned: the right edges line up
    for xs in columns:
        assert max(xs) - min(xs) < 1.0
    headers = [r for r in doc.rows if r.text.replace(" ", "") == "项目自然人法人总计"]
    assert {r.page for r in headers} == set(range(1, doc.pages + 1)), "header not repeated"
    assert doc.rows[-1].text == "四、政府信息公开行政复议、行政诉讼情况"


def test_fake_bold_has_no_duplicate_chars(tmp_path: Path) -> None:
    html = ("<p><b>申请人情况</b></p><table border='1' cellspacing='0' cellpadding='4'>"
            "<tr><th>法人或其他组织</th><th>总计</th></tr><tr><td>商业企业</td><td>12</td></tr>"
            "</table>")
    path = make_pdf(html, tmp_path / "bold.pdf", fake_bold=True)
    with pdfplumber.open(path) as plumber:
        page = plumber.pages[0]
        raw, deduped = len(page.chars), len(page.dedupe_chars().chars)
    assert raw >= deduped + 10, "the test file should draw every bold glyph twice"
    doc = _read(path)
    assert [r.text for r in doc.rows] == ["申请人情况", "法人或其他组织 总计", "商业企业 12"]


def test_numbers_and_amounts_are_single_tokens(tmp_path: Path) -> None:
    html = ("<p>一、本年新收政府信息公开申请数量 0 0 0 12 0 0 12</p>"
            "<p>17.27万元 589484.00 元 1,234 -8</p>")
    doc = _read(make_pdf(html, tmp_path / "numbers.pdf"))
    first, second = doc.rows
    assert [t.text for t in first.tokens] == ["一、本年新收政府信息公开申请数量",
                                              "0", "0", "0", "12", "0", "0", "12"]
    texts = [t.text for t in second.tokens]
    assert texts[0] == "17.27万元" and texts[1] in ("589484.00 元", "589484.00元")
    assert texts[2:] == ["1,234", "-8"]


def test_kangxi_radicals_become_ideographs(tmp_path: Path) -> None:
    """Qt maps the glyph of 一 to U+2F00 (⼀) in its ToUnicode table; so do some fonts."""
    path = make_pdf("<p>一、人工智能</p>", tmp_path / "kangxi.pdf")
    with pdfplumber.open(path) as plumber:
        assert "\u2f00" in plumber.pages[0].extract_text()
    assert _read(path).text() == "一、人工智能"


# --- hand-made content streams ------------------------------------------------------------

def _words(content: str, tmp_path: Path, **kw) -> list[list[str]]:
    doc = _read(make_raw_pdf(content, tmp_path / "raw.pdf", **kw))
    return [[t.text for t in r.tokens] for r in doc.rows]


# "AB" in 12 pt Helvetica is 16 pt wide: "CD" drawn 16 pt further starts right at its end.
_ABCD = "BT /F1 12 Tf 72 700 Td (AB) Tj 16 0 Td (CD) Tj ET "


def test_ruling_line_splits_touching_words(tmp_path: Path) -> None:
    assert _words(_ABCD, tmp_path) == [["ABCD"]]
    assert _words(_ABCD + "0.5 w 88 690 m 88 715 l S", tmp_path) == [["AB", "CD"]]
    # A rectangle's left edge (a cell border drawn with `re`) counts as a rule too.
    assert _words(_ABCD + "0.5 w 88 690 40 25 re S", tmp_path) == [["AB", "CD"]]
    # Rules that do not cross the line, or are invisible, do not split.
    assert _words(_ABCD + "0.5 w 88 720 m 88 760 l S", tmp_path) == [["ABCD"]]
    assert _words(_ABCD + "1 1 1 RG 0.5 w 88 690 m 88 715 l S", tmp_path) == [["ABCD"]]


def test_spaces_and_gaps(tmp_path: Path) -> None:
    content = ("BT /F1 12 Tf 72 700 Td (Total 0 0 12) Tj ET "
               "BT /F1 12 Tf 72 650 Td (left) Tj 200 0 Td (right) Tj ET")
    assert _words(content, tmp_path) == [["Total", "0", "0", "12"], ["left", "right"]]


def test_invisible_text_is_dropped_unless_it_is_all_there_is(tmp_path: Path) -> None:
    visible = "BT /F1 12 Tf 72 700 Td (Visible words) Tj ET "
    hidden = "BT 3 Tr /F1 12 Tf 72 650 Td (Hidden words) Tj ET "
    assert _words(visible + hidden, tmp_path) == [["Visible words"]]
    # A scan with an OCR layer: the invisible text is the only text there is.
    assert _words(hidden, tmp_path) == [["Hidden words"]]


def test_diagonal_watermark_is_skipped(tmp_path: Path) -> None:
    content = ("BT /F1 12 Tf 72 700 Td (Report text) Tj ET "
               "BT /F1 40 Tf 0.7071 0.7071 -0.7071 0.7071 150 300 Tm (WATERMARK) Tj ET")
    assert _words(content, tmp_path) == [["Report text"]]


def test_rotated_page_uses_display_coordinates(tmp_path: Path) -> None:
    """On a /Rotate 90 page drawn to read upright, rows run along the displayed page and
    boxes match pdfplumber's (which applies the rotation too)."""
    content = "BT /F1 12 Tf 0 1 -1 0 300 100 Tm (Hello world) Tj ET"
    path = make_raw_pdf(content, tmp_path / "rot.pdf", rotate=90)
    doc = _read(path)
    assert [r.text for r in doc.rows] == ["Hello world"]
    token = doc.rows[0].tokens[0]
    with pdfplumber.open(path) as plumber:
        chars = plumber.pages[0].chars
        want = (min(c["x0"] for c in chars), min(c["top"] for c in chars),
                max(c["x1"] for c in chars), max(c["bottom"] for c in chars))
    assert all(abs(a - b) < 3 for a, b in zip(token.loc.bbox, want, strict=True)), (
        token.loc.bbox, want)


def test_lines_group_by_vertical_overlap() -> None:
    """Mixed fonts on one baseline stay one line; a char dropped by half a line does not."""
    c = pdf._Char
    chars = [c("A", 10, 100, 20, 110, 10), c("1", 21, 101.5, 27, 110.5, 10),
             c("B", 40, 106, 50, 116, 10), c("C", 10, 115, 20, 125, 10)]
    assert [[ch.text for ch in line] for line in pdf._lines(chars)] == [["A", "1"], ["B"], ["C"]]


def test_dedupe_keeps_real_repeats() -> None:
    c = pdf._Char
    line = [c("0", 10, 100, 16, 110, 10), c("0", 10.4, 100.2, 16.4, 110.2, 10),
            c("0", 16, 100, 22, 110, 10)]
    assert [ch.x0 for ch in pdf._dedupe(line)] == [10, 16]
