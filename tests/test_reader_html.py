"""HTML reader on pages built here (several encodings) and on the dev corpus (no mocks)."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from datapaths import DEV_CORPUS

from core.document import Document, Row
from core.errors import CorruptFile
from core.readers import html as html_reader
from core.readers import read_document


def _grid(row: Row) -> list[tuple[str, int, int]]:
    return [(t.text, int(t.x0), int(t.x1)) for t in row.tokens]


def _paragraphs(d: Document) -> list[str]:
    return [r.text for r in d.rows if not r.grid]


def _row_with(d: Document, label: str) -> Row:
    return next(r for r in d.rows if r.grid and any(label in t.text for t in r.tokens))


PAGE = """<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>测试局2023年政府信息公开工作年度报告-测试市人民政府</title>
<meta name="ArticleTitle" content="测试局2023年政府信息公开工作年度报告">
<meta name="PubDate" content="2024-01-29 10:00">
<meta name="SiteName" content="测试市人民政府">
<style>.x {{ color: red }}</style>
<script>var secret = "脚本内容不应出现";</script>
</head>
<body>
<div class="nav"><a href="#">首页</a> | <a href="#">政务公开</a></div>
<div class="crumb">您当前的位置：首页 &gt; 政务公开</div>
<h1>测试局2023年政府信息公开工作年度报告</h1>
<div class="info">2024-01-29 10:00&nbsp;&nbsp;来源：测试局</div>
<div id="zoom">
<p>　　一、总体情况</p>
<p>第一行<br>第二行</p>
<script>document.write("也不应出现")</script>
<noscript>请启用脚本</noscript>
<table border="1">
<tr><td rowspan="2" colspan="2">项目</td><td colspan="3">申请人情况</td></tr>
<tr><td>自<br>然<br>人</td><td>商业企业</td><td>总计</td></tr>
<tr><td rowspan="3">三、本年度<br>办理结果</td><td>（一）予以公开</td>
<td>1</td><td>2</td><td>3</td></tr>
<tr><td>（二）部分公开</td><td>4</td><td></td><td>&nbsp;</td></tr>
<tr><th>（三）不予公开</th><td><p>7</p></td><td>8</td><td>9</td></tr>
<tr><td colspan="2">四、结转下年度继续办理</td><td>10</td><td>11</td><td>12</td></tr>
</table>
<p>二、主动公开</p>
</div>
<div class="footer"><p>主办单位：测试市人民政府办公室</p></div>
</body></html>
"""


def _check_sample(d: Document) -> None:
    assert d.kind == "html" and d.pages is None
    assert d.meta["title"] == "测试局2023年政府信息公开工作年度报告"
    assert d.meta["published_raw"] == "2024-01-29 10:00"
    assert d.meta["site_name"] == "测试市人民政府"
    text = d.text()
    assert "脚本" not in text and "也不应出现" not in text and "color" not in text
    assert "请启用脚本" not in text
    assert _paragraphs(d)[:5] == ["首页 | 政务公开", "您当前的位置：首页 > 政务公开",
                                  "测试局2023年政府信息公开工作年度报告",
                                  "2024-01-29 10:00  来源：测试局", "一、总体情况"]
    assert _paragraphs(d)[5:] == ["第一行", "第二行", "二、主动公开",
                                  "主办单位：测试市人民政府办公室"]
    lines = [r.tokens[0].loc.line for r in d.rows if not r.grid]
    assert lines == list(range(1, len(lines) + 1))

    rows = [r for r in d.rows if r.grid]
    assert {r.table for r in rows} == {0}
    assert [_grid(r) for r in rows] == [
        [("项目", 0, 2), ("申请人情况", 2, 5)],
        [("自\n然\n人", 2, 3), ("商业企业", 3, 4), ("总计", 4, 5)],
        [("三、本年度\n办理结果", 0, 1), ("（一）予以公开", 1, 2), ("1", 2, 3), ("2", 3, 4),
         ("3", 4, 5)],
        [("（二）部分公开", 1, 2), ("4", 2, 3), ("", 3, 4), ("", 4, 5)],
        [("（三）不予公开", 1, 2), ("7", 2, 3), ("8", 3, 4), ("9", 4, 5)],
        [("四、结转下年度继续办理", 0, 2), ("10", 2, 3), ("11", 3, 4), ("12", 4, 5)],
    ]
    tok = rows[3].tokens[1]
    assert (tok.loc.table, tok.loc.row, tok.loc.col) == (0, 3, 2)
    # Reading order: the table sits between its surrounding paragraphs.
    kinds = ["grid" if r.grid else r.text for r in d.rows]
    assert kinds.index("第二行") < kinds.index("grid") < kinds.index("二、主动公开")


def test_gbk_page_with_meta_charset(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(PAGE.format(charset="gbk").encode("gbk"))
    d = read_document(path)
    assert d.meta["encoding"] == "gb18030"
    _check_sample(d)


def test_gb2312_label_reads_gbk_only_characters(tmp_path: Path) -> None:
    # 镕 and 喆 are outside GB2312 but in GBK; pages labelled gb2312 use them anyway.
    page = PAGE.format(charset="gb2312").replace("测试局2023", "朱镕喆局2023")
    d = html_reader.read("p.html", page.encode("gb18030"))
    assert d.meta["title"] == "朱镕喆局2023年政府信息公开工作年度报告"


def test_gbk_page_without_meta_is_detected(tmp_path: Path) -> None:
    page = PAGE.format(charset="x").replace(
        '<meta http-equiv="Content-Type" content="text/html; charset=x">', "")
    assert "charset" not in page
    path = tmp_path / "nometa.html"
    path.write_bytes(page.encode("gbk"))
    _check_sample(read_document(path))


def test_tiny_gbk_fragment_without_meta_is_detected() -> None:
    # A few words are too little for statistics (they look like Korean to a detector).
    data = "<table><tr><td>规章</td><td>本年新收</td></tr></table>".encode("gbk")
    d = html_reader.read("tiny.html", data)
    assert _grid(d.rows[0]) == [("规章", 0, 1), ("本年新收", 1, 2)]


@pytest.mark.parametrize("encoding, bom", [("utf-8", codecs.BOM_UTF8),
                                           ("utf-16-le", codecs.BOM_UTF16_LE),
                                           ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_byte_order_mark_wins(encoding: str, bom: bytes) -> None:
    # The meta says gbk, but a BOM is authoritative.
    data = bom + PAGE.format(charset="gbk").encode(encoding)
    _check_sample(html_reader.read("bom.html", data))


def test_utf8_content_under_stale_gbk_label() -> None:
    _check_sample(html_reader.read("stale.html", PAGE.format(charset="gbk").encode("utf-8")))


def test_gbk_bytes_under_wrong_utf8_label() -> None:
    _check_sample(html_reader.read("wrong.html", PAGE.format(charset="utf-8").encode("gbk")))


def test_damaged_gbk_bytes_keep_the_rest() -> None:
    data = PAGE.format(charset="gbk").encode("gbk").replace(b"</body>", b"\xff\xfe</body>")
    d = html_reader.read("damaged.html", data)
    assert d.meta["title"] == "测试局2023年政府信息公开工作年度报告"
    assert _row_with(d, "本年度").tokens[0].text == "三、本年度\n办理结果"


def test_deeply_nested_unclosed_tags() -> None:
    # Old pages leave <font> tags open by the hundred; libxml2 nests every one.
    page = "<meta charset='utf-8'><p>" + "<font>字" * 600 + "结尾</p><p>下一段</p>"
    d = html_reader.read("fonts.html", page.encode("utf-8"))
    assert _paragraphs(d) == ["字" * 600 + "结尾", "下一段"]
    assert not d.warnings
    too_deep = html_reader.read("deep.html", ("<div>" * 5000 + "x").encode("utf-8"))
    assert too_deep.warnings


def test_layout_tables_become_paragraphs() -> None:
    prose = "本机关认真贯彻落实政府信息公开条例，" * 15
    page = f"""<html><head><meta charset="utf-8"></head><body>
    <table width="980"><tr><td>网站首页</td><td>政务公开</td></tr>
    <tr><td colspan="2">
      <table><tr><td>发布日期：2024-01-29</td></tr></table>
      <table><tr><td><p>一、总体情况</p><p>{prose}</p></td><td>侧栏</td></tr></table>
      <table border="1">
        <tr><td>信息内容</td><td>本年制发件数</td></tr>
        <tr><td>规章</td><td>3</td></tr>
      </table>
    </td></tr></table>
    <div style="display:none">隐藏的内容</div>
    </body></html>"""
    d = html_reader.read("layout.html", page.encode("utf-8"))
    assert _paragraphs(d) == ["网站首页", "政务公开", "发布日期：2024-01-29", "一、总体情况",
                              prose.strip(), "侧栏"]
    grid = [r for r in d.rows if r.grid]
    assert [r.table for r in grid] == [0, 0]
    assert [_grid(r) for r in grid] == [[("信息内容", 0, 1), ("本年制发件数", 1, 2)],
                                        [("规章", 0, 1), ("3", 1, 2)]]
    assert "隐藏" not in d.text()


def test_thead_tbody_and_bad_spans() -> None:
    page = """<meta charset="utf-8"><table>
    <thead><tr><th colspan="abc">甲</th><th colspan="2">乙</th></tr></thead>
    <tbody><tr><td rowspan="0">丙</td><td>1</td><td>2</td></tr>
    <tr><td>3</td><td rowspan="99">4</td></tr></tbody></table>"""
    d = html_reader.read("spans.html", page.encode("utf-8"))
    assert [_grid(r) for r in d.rows] == [
        [("甲", 0, 1), ("乙", 1, 3)],
        [("丙", 0, 1), ("1", 1, 2), ("2", 2, 3)],
        [("3", 1, 2), ("4", 2, 3)],
    ]


def test_unparseable_page_is_corrupt_file() -> None:
    with pytest.raises(CorruptFile):
        html_reader.read("empty.html", b"   \n  ")


# ---------------------------------------------------------------- dev corpus

APPLICANTS = ["natural", "commercial", "research", "social", "legal", "other", "total"]
CORPUS_HTML = ["008_b936ac4b", "017_5028cec6", "018_73dcc78e", "022_35a7e8c0",
               "028_2de1cd7f", "030_34d97f78"]


def _truth(ident: str) -> dict:
    return json.loads((DEV_CORPUS / f"{ident}.truth.json").read_text("utf-8"))


@pytest.mark.parametrize("ident", CORPUS_HTML)
def test_corpus_html_matches_truth(ident: str) -> None:
    truth = _truth(ident)
    d = read_document(DEV_CORPUS / f"{ident}.html")
    title = truth["report"]["title"]
    assert d.meta["title"] == title
    assert title in _paragraphs(d)
    expected = "gb18030" if truth["source"]["variant"] == "gbk" else "utf-8"
    assert d.meta["encoding"] == expected
    assert d.meta["published_raw"].startswith(truth["report"]["published"])
    # The info line with the date stays in the text for the extractor.
    assert any(truth["report"]["published"] in p for p in _paragraphs(d))

    row = _row_with(d, "本年新收")
    assert _grid(row)[0][1:] == (0, 3)
    want = ["" if v is None else str(v)
            for v in (truth["cells"][f"t3.new.{k}"] for k in APPLICANTS)]
    assert [(t.text, int(t.x0), int(t.x1)) for t in row.tokens[1:]] == [
        (v, c, c + 1) for c, v in zip(range(3, 10), want, strict=True)]
    closed = _row_with(d, "（七）总计" if "（七）总计" in d.text() else "(七)总计")
    assert [int(t.x0) for t in closed.tokens] == [1] + list(range(3, 10))


def test_corpus_gbk_page_008() -> None:
    d = read_document(DEV_CORPUS / "008_b936ac4b.html")
    assert d.rows[3].text == "宜昌市巫溪县规划和自然资源局2023年政府信息公开工作年度报告"
    assert "2024-01-29 18:30 来源：宜昌市巫溪县规划和自然资源局" in _paragraphs(d)
    assert sorted({r.table for r in d.rows if r.grid}) == [0, 1, 2]
    assert [sum(1 for r in d.rows if r.table == t) for t in range(3)] == [14, 28, 4]
    assert _grid(_row_with(d, "行政事业性收费")) == [("行政事业性收费", 0, 1),
                                                   ("14.8798", 1, 4)]
    review = [r for r in d.rows if r.table == 2]
    assert _grid(review[0]) == [("行政复议", 0, 5), ("行政诉讼", 5, 15)]
    assert [int(t.x0) for t in review[2].tokens] == list(range(5, 15))
    assert [int(t.x0) for t in review[3].tokens] == list(range(15))


def test_corpus_utf8_page_017() -> None:
    d = read_document(DEV_CORPUS / "017_5028cec6.html")
    assert "长治市游仙区大数据发展管理局2021年政府信息公开工作年度报告" in _paragraphs(d)
    assert "日期: 2022-01-26" in _paragraphs(d)
    assert sorted({r.table for r in d.rows if r.grid}) == [0, 1]
    truth = _truth("017_5028cec6")
    fees = _row_with(d, "行政事业性收费")
    assert _grid(fees) == [("行政事业性收费", 0, 1), ("5.0381", 1, 4)]
    assert round(float(fees.tokens[1].text) * 10000) == truth["cells"]["t2.fees.amount"]
    header = _row_with(d, "法人或其他组织")
    assert _grid(header) == [("自\n然\n人", 3, 4), ("法人或其他组织", 4, 9), ("总\n计", 9, 10)]


def test_a_span_of_thousands_of_digits_is_only_as_large_as_the_table(tmp_path: Path) -> None:
    """Found by the fuzz harness (seed 1201): int() refuses 5,000 digits (Python's
    int_max_str_digits), which made an internal error of a rowspan."""
    page = tmp_path / "span.html"
    page.write_text("<table><tr><td>项目</td><td rowspan='" + "9" * 5000 + "'>12</td></tr>"
                    "<tr><td>合计</td></tr><tr><td colspan='" + "7" * 5000 + "'>3</td></tr>"
                    "</table>", encoding="utf-8")
    doc = read_document(page)
    assert "12" in doc.text() and "合计" in doc.text()
