"""The checklist and summary PDFs, made through the command line from real imported reports
and read back with pdfplumber (text) and pypdfium2 (a page rendered to PNG)."""

from __future__ import annotations

import re
from pathlib import Path

import checklist_db as C
import pdfplumber
import pypdfium2 as pdfium
import pytest
from pdfminer.pdftypes import resolve1

from core.catalogue import CHECK_BY_ID, CHECKS
from core.paths import ENV_DATA_DIR
from core.store import open_store
from core.vocabulary import FAIL

A4 = (595, 842)  # points, portrait


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return C.build(tmp_path_factory.mktemp("pdf"))


@pytest.fixture(scope="module")
def checklist_pdf(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    ids = C.ids(built)
    out = tmp_path_factory.mktemp("out") / "审查表.pdf"
    code, stdout, err = C.run("checklist", str(ids["005_0b0fcac7.pdf"]),
                              str(ids["027_c19402df.docx"]), "--pdf", str(out), "--db", str(built),
                              "--reviewer", "王审查", "--date", "2025-02-10")
    assert code == 0, err
    assert "审查表：2 份报告" in stdout
    return out


def _squash(s: str | None) -> str:
    return re.sub(r"\s+", "", s or "")


def _rows(page: pdfplumber.page.Page) -> list[list[str]]:
    """Table rows of a page, each cell's lines joined (a label may wrap in its cell)."""
    out = []
    for table in page.extract_tables():
        for row in table:
            out.append([_squash(c) for c in row if c])
    return out


def _reports(pdf_path: Path) -> list[dict]:
    """Per report in the PDF: its pages' text and table rows (a report starts at page 1)."""
    reports: list[dict] = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            text = page.extract_text() or ""
            if re.search(r"第 1 页 共 \d+ 页", text):
                reports.append({"text": "", "rows": []})
            reports[-1]["text"] += text + "\n"
            reports[-1]["rows"] += _rows(page)
    return reports


def _status_of(rows: list[list[str]], check_id: str) -> str:
    label = _squash(CHECK_BY_ID[check_id].label)
    row = next(r for r in rows if label in r)
    return next(c for c in row if c in ("通过", "不通过", "无法判断", "不适用"))


def test_checklist_pdf_reads_back(built: Path, checklist_pdf: Path) -> None:
    reports = _reports(checklist_pdf)
    assert len(reports) == 2
    with open_store(built) as s:
        agencies = [s.effective_report(C.ids(built)[f]).agency
                    for f in ("005_0b0fcac7.pdf", "027_c19402df.docx")]
    for rep, agency in zip(reports, agencies, strict=True):
        text = rep["text"]
        assert agency in text
        assert "政府信息公开工作年度报告审查表" in text
        assert "审查人：王审查" in text and "2025年2月10日" in text and "复核人" in text
        cells = {c for r in rep["rows"] for c in r}
        for c in CHECKS:  # every check's label, whole in its table cell (no row split)
            assert _squash(c.label) in cells, c.id
            assert c.id in _squash(text), c.id
    assert _status_of(reports[0]["rows"], "C13") == FAIL  # 005: table 四 row sum
    assert _status_of(reports[0]["rows"], "C10") == "通过"
    assert _status_of(reports[1]["rows"], "C10") == FAIL  # 027: table 三 balance
    assert any("表四「行政诉讼·未经复议直接起诉」" in cell
               for row in reports[0]["rows"] for cell in row)
    # Digits next to Latin letters and radical look-alikes read back as written.
    assert "SHA-256" in reports[0]["text"] and "⼈" not in reports[0]["text"]


def test_checklist_pdf_embeds_a_cjk_font_subset(checklist_pdf: Path) -> None:
    with pdfplumber.open(checklist_pdf) as pdf:
        page = pdf.pages[0]
        fonts = resolve1(page.page_obj.resources["Font"])
        embedded = []
        for ref in fonts.values():
            font = resolve1(ref)
            desc = font
            if "DescendantFonts" in font:
                desc = resolve1(resolve1(font["DescendantFonts"])[0])
            descriptor = resolve1(desc["FontDescriptor"])
            name = resolve1(descriptor["FontName"]).name
            files = [k for k in ("FontFile", "FontFile2", "FontFile3") if k in descriptor]
            embedded.append((name, bool(files), "ToUnicode" in font))
        assert page.width == pytest.approx(A4[0], abs=1)
        assert page.height == pytest.approx(A4[1], abs=1)
    cjk = [(n, f, u) for n, f, u in embedded if "CJK" in n]
    assert cjk, embedded
    for name, has_file, has_map in cjk:
        assert re.fullmatch(r"[A-Z]{6}\+\S+", name), name  # a subset
        assert has_file and has_map, name


def test_checklist_page_renders_to_png(checklist_pdf: Path, tmp_path: Path) -> None:
    pdf = pdfium.PdfDocument(str(checklist_pdf))
    try:
        assert len(pdf) >= 2
        image = pdf[0].render(scale=150 / 72).to_pil()
    finally:
        pdf.close()
    png = tmp_path / "page1.png"
    image.save(png)
    w, h = image.size
    assert abs(w - A4[0] * 150 / 72) <= 1 and abs(h - A4[1] * 150 / 72) <= 1
    dark = sum(image.convert("L").histogram()[:100])
    assert dark > 20000  # text and rules, not a blank page
    assert png.stat().st_size > 50_000


def test_summary_pdf_with_charts(built: Path, tmp_path: Path) -> None:
    ids = C.ids(built)
    out = tmp_path / "汇总.pdf"
    code, stdout, err = C.run("checklist", *map(str, sorted(ids.values())), "--summary",
                              "--pdf", str(out), "--db", str(built))
    assert code == 0, err
    assert f"审查汇总表：{len(ids)} 份报告" in stdout
    with pdfplumber.open(out) as pdf:
        first = pdf.pages[0]
        assert first.width > first.height  # landscape
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
        rows = [r for p in pdf.pages for r in _rows(p)]
        images = sum(len(p.images) for p in pdf.pages)
    assert "政府信息公开工作年度报告审查汇总表" in text
    cells = {c for r in rows for c in r}
    with open_store(built) as s:
        for rid in ids.values():
            assert _squash(s.get_report(rid)["agency"]) in cells
    for c in CHECKS:  # the legend names every column's check
        assert _squash(c.label) in cells, c.id
    foot = next(r for r in rows if r and r[0].startswith("×不通过"))
    assert int(foot[-1]) >= 2  # 005's C13 and 027's C10 at least
    assert images == 4  # applicants, outcomes, findings, and one agency across 3 years
    assert "各机关本年新收申请" in text and "历年数据" in text


def test_files_go_into_a_temporary_database(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "data"))
    out = tmp_path / "one.pdf"
    code, stdout, err = C.run("checklist", str(C.DEV / "005_0b0fcac7.pdf"), "--pdf", str(out))
    assert code == 0, err
    assert out.stat().st_size > 10_000
    assert not (tmp_path / "data").exists()  # the user's database was not touched
    with pdfplumber.open(out) as pdf:
        assert "芜湖市教育局" in pdf.pages[0].extract_text()


def test_checklist_command_errors(built: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "x.pdf")
    code, _, err = C.run("checklist", "9999", "--pdf", out, "--db", str(built))
    assert code == 2 and "9999" in err
    code, _, err = C.run("checklist", "1", str(C.DEV / "005_0b0fcac7.pdf"), "--pdf", out)
    assert code == 2 and "--db" in err
    code, _, err = C.run("checklist", "no-such.pdf", "--pdf", out, "--db", str(built))
    assert code == 2 and "no-such.pdf" in err
    code, _, err = C.run("checklist", "1", "--pdf", out, "--db", str(built), "--date", "tomorrow")
    assert code == 2
    assert not Path(out).exists()
