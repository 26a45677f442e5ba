"""Images of one report's pages (报告_1.png, 报告_2.png …) are read as one scanned report,
in page order; unrelated images stay separate files. Real image files, real OCR, a real
SQLite file, through ``cli.main`` like the other CLI tests."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from cli import main
from core.pipeline import PageImages, expand_paths
from core.store import open_store

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
# Page n is drawn 200 + 20·n pixels tall: the joined PDF's page heights show the order.
LINES = {1: "某某县人民政府2024年政府信息公开工作年度报告",
         2: "一、总体情况",
         10: "二、主动公开政府信息情况"}


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _page(text: str, height: int):
    from PIL import Image, ImageDraw, ImageFont

    if not FONT.exists():
        pytest.skip("fonts-noto-cjk is not installed")
    img = Image.new("L", (900, height), 255)
    font = ImageFont.truetype(str(FONT), 24, index=2)  # index 2: Noto Sans CJK SC
    ImageDraw.Draw(img).text((40, 60), text, font=font, fill=0)
    return img


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """报告_1.png, 报告_2.jpg, 报告-p10.png: natural order 1, 2, 10 (not string order)."""
    d = tmp_path_factory.mktemp("pages")
    names = {1: "报告_1.png", 2: "报告_2.jpg", 10: "报告-p10.png"}
    for n, text in LINES.items():
        _page(text, 200 + 20 * n).save(d / names[n], dpi=(150, 150))
    # Given in string order, which is not page order.
    return sorted(d.iterdir(), key=lambda p: p.name)


def _page_heights(pdf: bytes) -> list[int]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return [round(doc[k].get_height() * 150 / 72) for k in range(len(doc))]
    finally:
        doc.close()


def test_page_images_given_together_are_one_unit_in_page_order(pages: list[Path]) -> None:
    files = expand_paths(pages)
    assert len(files) == 1 and isinstance(files[0], PageImages)
    assert [p.name for p in files[0].pages] == ["报告_1.png", "报告_2.jpg", "报告-p10.png"]
    assert files[0].name == "报告（3 页图片）.pdf"
    # The same images found by walking their folder (nothing else in it).
    walked = expand_paths([pages[0].parent])
    assert len(walked) == 1 and walked[0].name == "报告（3 页图片）.pdf"


def test_import_of_three_page_images_stores_one_scanned_report(pages: list[Path],
                                                               tmp_path: Path) -> None:
    db = tmp_path / "review.sqlite"
    code, out, err = run("import", *map(str, pages), "--db", str(db))
    assert code == 0, err
    with open_store(db) as store:
        rows = store.list_reports()
        assert len(rows) == 1
        report = store.get_report(rows[0]["id"])
        assert report["kind"] == "scanned-pdf"
        assert report["file_name"] == "报告（3 页图片）.pdf"
        stored = store.file_content(rows[0]["id"])
    assert _page_heights(stored) == [220, 240, 400]  # pages 1, 2, 10 in that order
    # The same three files again: the joined bytes hash the same, nothing new is stored.
    code, out, err = run("import", *map(str, pages), "--db", str(db))
    assert code == 0, err
    with open_store(db) as store:
        assert len(store.list_reports()) == 1


def test_extract_of_three_page_images_prints_one_document(pages: list[Path]) -> None:
    code, out, err = run("extract", *map(str, pages), "--format", "json")
    assert "错误" not in err, err
    doc = json.loads(out)  # one document (several would be one JSON object a line)
    assert doc["source"]["file"] == "报告（3 页图片）.pdf"
    assert doc["source"]["kind"] == "scanned-pdf"


def test_unrelated_images_stay_separate(tmp_path: Path) -> None:
    for name in ("封面.png", "印章_1.png", "年报2023.png", "年报2024.png"):
        _page("政府信息公开", 200).save(tmp_path / name)
    files = expand_paths(sorted(tmp_path.iterdir()))
    assert not any(isinstance(f, PageImages) for f in files)
    assert sorted(f.name for f in files) == ["印章_1.png", "封面.png", "年报2023.png",
                                             "年报2024.png"]
    # A folder of reports keeps its reports and drops loose images (logos, seals).
    (tmp_path / "报告.txt").write_text("某某县政府信息公开工作年度报告", encoding="utf-8")
    assert [f.name for f in expand_paths([tmp_path])] == ["报告.txt"]


def test_a_page_over_the_pixel_budget_is_refused_with_the_reason(tmp_path: Path) -> None:
    from PIL import Image

    from core.pipeline import FAILED, read_files

    _page("第一页", 200).save(tmp_path / "扫描_1.png")
    # 8000 × 8000 = 64 million pixels, over the 50 million budget; a blank PNG stays small.
    Image.new("1", (8000, 8000), 1).save(tmp_path / "扫描_2.png")
    files = expand_paths(sorted(tmp_path.iterdir()))
    assert len(files) == 1
    events = [ev for ev in read_files(files) if ev.kind == FAILED]
    assert len(events) == 1
    assert events[0].reason_zh.startswith("第 2 张图片（扫描_2.png）：图像尺寸 8000×8000 像素")
    assert "超过上限" in events[0].reason_zh
