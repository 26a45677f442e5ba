"""DOCX and .doc readers on files built here and on the dev corpus (no mocks)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from datapaths import BLANK_TEMPLATE, DEV_CORPUS
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement

from core.document import Document, Row
from core.errors import CorruptFile, MissingTool, UnsupportedFile
from core.readers import doc as doc_reader
from core.readers import docx as docx_reader
from core.readers import read_document


def _grid(row: Row) -> list[tuple[str, int, int]]:
    return [(t.text, int(t.x0), int(t.x1)) for t in row.tokens]


def _table_rows(d: Document, t: int) -> list[Row]:
    return [r for r in d.rows if r.grid and r.table == t]


def _row_with(d: Document, label: str) -> Row:
    return next(r for r in d.rows if r.grid and any(label in tok.text for tok in r.tokens))


def _sample_docx(path: Path) -> Path:
    """Paragraph, a merged table, paragraph, the same shapes the official tables use."""
    d = docx.Document()
    d.core_properties.title = "测试局2023年政府信息公开工作年度报告"
    d.add_paragraph("测试局2023年政府信息公开工作年度报告")
    d.add_paragraph("")  # empty paragraphs are skipped
    d.add_paragraph("\u3000\u3000一、总体情况\u00a0")
    t = d.add_table(rows=5, cols=5)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "项目"
    t.cell(0, 2).merge(t.cell(0, 4)).text = "申请人情况"
    t.cell(1, 0).merge(t.cell(3, 0)).text = "三、本年度办理结果"
    for r, label in ((1, "（一）予以公开"), (2, "（二）部分公开"), (3, "（三）不予公开")):
        t.cell(r, 1).text = label
        for c in range(2, 5):
            t.cell(r, c).text = str(r * 10 + c)
    t.cell(4, 0).merge(t.cell(4, 1)).text = "四、结转下年度继续办理"
    t.cell(4, 2).text = "7"
    t.cell(4, 3).text = ""  # a real empty cell
    cell = t.cell(4, 4)
    cell.text = "8"
    cell.add_paragraph("万元")
    d.add_paragraph("五、存在的主要问题及改进情况")
    d.save(path)
    return path


def test_merged_cells_give_exact_grid(tmp_path: Path) -> None:
    d = read_document(_sample_docx(tmp_path / "sample.docx"))
    assert d.kind == "docx" and d.pages is None
    assert d.meta["title"] == "测试局2023年政府信息公开工作年度报告"

    kinds = ["grid" if r.grid else r.text for r in d.rows]
    assert kinds == ["测试局2023年政府信息公开工作年度报告", "一、总体情况"] + ["grid"] * 5 + [
        "五、存在的主要问题及改进情况"]
    assert [r.tokens[0].loc.line for r in d.rows if not r.grid] == [1, 2, 3]
    assert all(len(r.tokens) == 1 and not r.grid and r.table is None
               for r in d.rows if not r.grid)

    rows = _table_rows(d, 0)
    assert _grid(rows[0]) == [("项目", 0, 2), ("申请人情况", 2, 5)]
    assert _grid(rows[1]) == [("三、本年度办理结果", 0, 1), ("（一）予以公开", 1, 2),
                              ("12", 2, 3), ("13", 3, 4), ("14", 4, 5)]
    # The vertical continuation cells under 三、本年度办理结果 yield no token.
    assert _grid(rows[2]) == [("（二）部分公开", 1, 2), ("22", 2, 3), ("23", 3, 4),
                              ("24", 4, 5)]
    assert _grid(rows[3]) == [("（三）不予公开", 1, 2), ("32", 2, 3), ("33", 3, 4),
                              ("34", 4, 5)]
    assert _grid(rows[4]) == [("四、结转下年度继续办理", 0, 2), ("7", 2, 3), ("", 3, 4),
                              ("8\n万元", 4, 5)]
    tok = rows[2].tokens[0]
    assert (tok.loc.table, tok.loc.row, tok.loc.col) == (0, 2, 1)
    assert all(r.table == 0 for r in rows)


def test_grid_before_and_nested_table(tmp_path: Path) -> None:
    d = docx.Document()
    t = d.add_table(rows=2, cols=3)
    for c in range(3):
        t.cell(0, c).text = f"h{c}"
        t.cell(1, c).text = f"v{c}"
    # Row 1 starts one grid column in: drop its first cell and say so with gridBefore.
    tr = t.rows[1]._tr
    tr.remove(tr.tc_lst[0])
    tr_pr = tr.get_or_add_trPr()
    before = OxmlElement("w:gridBefore")
    before.set(qn("w:val"), "1")
    tr_pr.insert(0, before)
    inner = t.cell(0, 2).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "in0"
    inner.cell(0, 1).text = "in1"
    d.add_paragraph("after")
    path = tmp_path / "nested.docx"
    d.save(path)

    got = read_document(path)
    assert [(r.table, _grid(r)) for r in got.rows if r.grid] == [
        (0, [("h0", 0, 1), ("h1", 1, 2), ("h2", 2, 3)]),
        (1, [("in0", 0, 1), ("in1", 1, 2)]),  # nested rows follow the row holding them
        (0, [("v1", 1, 2), ("v2", 2, 3)]),
    ]
    assert got.rows[-1].text == "after"


def test_macro_enabled_content_type_still_reads(tmp_path: Path) -> None:
    src = _sample_docx(tmp_path / "sample.docx")
    buf = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"wordprocessingml.document.main+xml",
                    b"ms-word.document.macroEnabled.main+xml")
            zout.writestr(info, data)
    d = docx_reader.read(tmp_path / "sample.docm", buf.getvalue())
    assert _grid(_table_rows(d, 0)[0]) == [("项目", 0, 2), ("申请人情况", 2, 5)]


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("data, words", [
    (b"", "zip"),
    (b"PK\x03\x04 this is not really a zip", "zip"),
    (_zip({"[Content_Types].xml": b"<Types/>"}), "document.xml"),
    (_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document"}),
     "damaged"),
    (_zip({"word/document.xml": b"<x/>", "word/media/big.bin": b"\0" * (8 << 20)}),
     "suspicious compression"),
])
def test_damaged_docx_is_corrupt_file(data: bytes, words: str) -> None:
    with pytest.raises(CorruptFile) as err:
        docx_reader.read("bad.docx", data)
    assert words in str(err.value)
    assert err.value.message_zh


def test_truncated_corpus_docx_is_corrupt_file() -> None:
    data = (DEV_CORPUS / "001_10e7db0a.docx").read_bytes()
    with pytest.raises(CorruptFile):
        docx_reader.read("cut.docx", data[: len(data) // 2])


# ---------------------------------------------------------------- dev corpus

CORPUS_DOCX = ["001_10e7db0a", "007_8b067799", "012_219d5b29", "021_ce0915d1",
               "024_114066fb", "027_c19402df"]
APPLICANTS = ["natural", "commercial", "research", "social", "legal", "other", "total"]


def test_corpus_docx_new_applications_row() -> None:
    d = read_document(DEV_CORPUS / "001_10e7db0a.docx")
    row = _row_with(d, "本年新收")
    assert _grid(row) == [(row.tokens[0].text, 0, 3)] + [
        (v, i, i + 1) for i, v in zip(range(3, 10), ["2", "1", "0", "0", "0", "1", "4"],
                                      strict=True)]
    assert row.tokens[0].text.startswith("一、本年新收政府信息公开申请数量")
    assert sorted({r.table for r in d.rows if r.grid}) == [0, 1, 2]
    assert [len(_table_rows(d, t)) for t in range(3)] == [14, 28, 4]
    # The header over the applicant columns: one cell over five columns.
    assert ("法人或其他组织", 4, 9) in _grid(_row_with(d, "法人或其他组织"))
    # Paragraphs and tables interleave in body order.
    first_table = next(i for i, r in enumerate(d.rows) if r.grid)
    assert "主动公开" in d.rows[first_table - 1].text


@pytest.mark.parametrize("ident", CORPUS_DOCX)
def test_corpus_docx_matches_truth(ident: str) -> None:
    truth = json.loads((DEV_CORPUS / f"{ident}.truth.json").read_text("utf-8"))
    d = read_document(DEV_CORPUS / f"{ident}.docx")
    assert d.meta.get("title") == truth["report"]["title"]
    assert truth["report"]["title"] in d.text()
    row = _row_with(d, "本年新收")
    want = [truth["cells"][f"t3.new.{k}"] for k in APPLICANTS]
    got = {int(t.x0): t.text for t in row.tokens}
    assert [got[c] for c in range(3, 10)] == ["" if v is None else str(v) for v in want]
    for r in d.rows:
        assert r.tokens, "no empty rows"
        if r.grid:
            assert all(t.x1 > t.x0 for t in r.tokens)
            assert [t.x0 for t in r.tokens] == sorted(t.x0 for t in r.tokens)


def test_template_blank_reads() -> None:
    d = read_document(BLANK_TEMPLATE)
    assert d.kind == "docx"
    assert [len(_table_rows(d, t)) for t in range(3)] == [14, 28, 4]
    row = _row_with(d, "本年新收")
    assert _grid(row)[1:] == [("", c, c + 1) for c in range(3, 10)]
    # Full-width-space filler in the blank template's cells reads as empty.
    assert _grid(_row_with(d, "行政处罚")) == [("行政处罚", 0, 1), ("", 1, 4)]
    assert any(r.text == "一、总体情况" for r in d.rows if not r.grid)


# ---------------------------------------------------------------- .doc

SOFFICE = doc_reader.find_soffice()


def _word_ole_bytes() -> bytes:
    """A stand-in .doc: OLE signature and a WordDocument stream name, nothing else."""
    return (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
            + "WordDocument".encode("utf-16-le") + b"\0" * 64)


def test_doc_without_libreoffice_is_missing_tool(tmp_path: Path) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    with pytest.raises(MissingTool) as err:
        doc_reader.read(tmp_path / "x.doc", _word_ole_bytes(), search_path=str(empty))
    assert "LibreOffice" in str(err.value) and "libreoffice-writer-nogui" in str(err.value)
    assert err.value.message_zh == "读取 .doc 文件需要安装 LibreOffice"


def test_ole_file_that_is_not_word_is_unsupported(tmp_path: Path) -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "Workbook".encode("utf-16-le")
    with pytest.raises(UnsupportedFile):
        doc_reader.read(tmp_path / "x.doc", data, search_path=str(tmp_path))


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_doc_converted_by_libreoffice_reads_back(tmp_path: Path) -> None:
    src = _sample_docx(tmp_path / "sample.docx")
    out = tmp_path / "out"
    profile = tmp_path / "lo-profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "doc", "--outdir", str(out), str(src)],
                   check=True, timeout=120, capture_output=True)
    doc_path = out / "sample.doc"
    assert doc_path.read_bytes().startswith(b"\xd0\xcf\x11\xe0")

    d = read_document(doc_path)
    assert d.kind == "doc"
    assert d.rows[0].text == "测试局2023年政府信息公开工作年度报告"
    rows = _table_rows(d, 0)
    assert _grid(rows[0]) == [("项目", 0, 2), ("申请人情况", 2, 5)]
    assert _grid(rows[2]) == [("（二）部分公开", 1, 2), ("22", 2, 3), ("23", 3, 4),
                              ("24", 4, 5)]
    assert _grid(rows[4]) == [("四、结转下年度继续办理", 0, 2), ("7", 2, 3), ("", 3, 4),
                              ("8\n万元", 4, 5)]
    assert d.rows[-1].text == "五、存在的主要问题及改进情况"
    # MissingTool also for a real .doc when LibreOffice cannot be found.
    with pytest.raises(MissingTool):
        doc_reader.read(doc_path, doc_path.read_bytes(), search_path=str(tmp_path))


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_damaged_doc_is_corrupt_file(tmp_path: Path) -> None:
    data = _word_ole_bytes() + b"garbage" * 100
    with pytest.raises(CorruptFile):
        doc_reader.read(tmp_path / "bad.doc", data)


def _fake_soffice(bin_dir: Path, script: str) -> Path:
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "soffice"
    fake.write_text("#!/bin/sh\n" + script + "\n")
    fake.chmod(0o755)
    return fake


def test_soffice_lookup_honours_search_path(tmp_path: Path) -> None:
    assert doc_reader.find_soffice(str(tmp_path)) is None
    if os.name == "posix":
        fake = _fake_soffice(tmp_path / "bin", "exit 0")
        assert doc_reader.find_soffice(str(tmp_path / "bin")) == str(fake)


@pytest.mark.skipif(os.name != "posix", reason="uses a shell script as a stand-in")
@pytest.mark.parametrize("script, words", [
    ("exit 0", "could not convert"),  # exits happily but writes nothing
    ("echo broken >&2; exit 3", "exit 3"),
    ("sleep 30", "within 1 s"),
])
def test_failed_conversion_is_corrupt_file(tmp_path: Path, script: str, words: str) -> None:
    _fake_soffice(tmp_path / "bin", script)
    with pytest.raises(CorruptFile) as err:
        doc_reader.read(tmp_path / "x.doc", _word_ole_bytes(),
                        search_path=str(tmp_path / "bin"), timeout=1)
    assert words in str(err.value)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_reading_a_doc_leaves_nothing_in_the_temporary_folder(tmp_path: Path) -> None:
    """LibreOffice's profile and the converted file live in one private folder, removed
    after the conversion: also in the forked child of a single-file ``extract``, which
    exits with os._exit (no atexit)."""
    src = _sample_docx(tmp_path / "sample.docx")
    out = tmp_path / "out"
    subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                    "--headless", "--convert-to", "doc", "--outdir", str(out), str(src)],
                   check=True, timeout=120, capture_output=True)
    temp = tmp_path / "temp"
    temp.mkdir()
    repo = Path(__file__).resolve().parent.parent
    env = dict(os.environ, TMPDIR=str(temp), PYTHONPATH=str(repo))
    for files in ([out / "sample.doc"], [out / "sample.doc", src]):
        proc = subprocess.run([sys.executable, str(repo / "main.py"), "extract",
                               *map(str, files)], env=env, capture_output=True, text=True,
                              timeout=300)
        assert proc.returncode == 0, proc.stderr
        assert list(temp.iterdir()) == []
