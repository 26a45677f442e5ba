"""The rectification notice: DOCX read back with python-docx, PDF marked as ours."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from office_db import build, copy_of, run

from core.errors import MissingTool
from core.not_a_report import OWN_PAPER_ZH, PRODUCER_MARK
from core.office_pdf import docx_to_pdf
from core.store import open_store
from core.wording import load_wording

HONGZE_2023 = ("洪泽区人民政府", 2023)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("notice"))


@pytest.fixture
def db(built: Path, tmp_path: Path) -> Path:
    return copy_of(built, tmp_path)


def _id(db: Path, agency: str, year: int) -> int:
    with open_store(db) as s:
        return next(r["id"] for r in s.list_reports() if (r["agency"], r["year"]) == (agency,
                                                                                      year))


def _text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def _verdict(db: Path, rid: int, rule: str, verdict: str, index: int = 0) -> str:
    with open_store(db) as s:
        sf = [sf for sf in s.findings(rid) if sf.finding.rule == rule][index]
        s.set_verdict(rid, sf.finding.fingerprint, verdict,
                      reason="审查人核实后认为不是问题" if verdict == "dismissed" else None)
        return sf.finding.message


def test_notice_for_hongze_2023_names_the_problems(db: Path, tmp_path: Path) -> None:
    rid = _id(db, *HONGZE_2023)
    dismissed = _verdict(db, rid, "t3.other_row_merged", "dismissed")
    confirmed = _verdict(db, rid, "label.deviates", "confirmed")
    out = tmp_path / "通知.docx"
    code, said, err = run("notice", str(rid), "--docx", str(out), "--deadline", "2025-04-30",
                          "--office", "淮安市政务公开办公室", "--date", "2025-04-10",
                          "--db", str(db))
    assert code == 0, err
    assert "问题 3 个" in said
    text = _text(out)
    assert "淮安市洪泽区人民政府：" in text  # 主送: the agency (its register name)
    assert "《洪泽区人民政府2023年政府信息公开工作年度报告》" in text or "洪泽区人民政府" in text
    assert "表四" in text
    assert "行政复议" in text and "复议后起诉" in text  # the two rows
    assert "= 11" in text and "= 5" in text  # the figures the report's parts add up to
    assert "结果维持 10" in text and "结果维持 5" in text
    # In plain words, the labels as printed.
    assert ("表四「行政复议」行：「总计」填报为 0，但「结果维持」「结果纠正」「其他结果」"
            "「尚未审结」之和为 11（10+1+0+0），两者相差 11。") in text
    assert "2025年4月30日前" in text and "2025年4月10日" in text
    assert "淮安市政务公开办公室" in text
    # The confirmed 提示 is in; the dismissed one and unconfirmed 提示 are not.
    assert "其他法律行政法规禁止公开" in confirmed and "其他法律行政法规禁止公开" in text
    assert "只列了一行" in dismissed and "只列了一行" not in text
    assert "第五部分" not in text  # an unreviewed 提示 (section5.content)
    assert "排除" not in text and "t4." not in text and "review" not in text


def test_a_dismissed_error_leaves_the_notice(db: Path, tmp_path: Path) -> None:
    rid = _id(db, *HONGZE_2023)
    _verdict(db, rid, "t4.row_sum", "dismissed", index=1)  # 复议后起诉
    out = tmp_path / "n.docx"
    code, said, err = run("notice", str(rid), "--docx", str(out), "--db", str(db))
    assert code == 0, err
    text = _text(out)
    assert "行政复议" in text and "复议后起诉" not in text and "问题 1 个" in said


def test_nothing_to_correct_is_said_plainly(db: Path, tmp_path: Path) -> None:
    city = _id(db, "淮安市人民政府", 2024)
    out = tmp_path / "none.docx"
    code, _, err = run("notice", str(city), "--docx", str(out), "--db", str(db))
    assert code == 2 and "无需发整改通知" in err and not out.exists()
    code, _, err = run("notice", str(city), "--docx", str(out), "--deadline", "明天",
                       "--db", str(db))
    assert code == 2 and "不是有效日期" in err


def test_notice_pdf_is_marked_as_the_programs(db: Path, tmp_path: Path) -> None:
    rid = _id(db, *HONGZE_2023)
    docx, pdf = tmp_path / "n.docx", tmp_path / "n.pdf"
    code, said, err = run("notice", str(rid), "--docx", str(docx), "--pdf", str(pdf),
                          "--db", str(db))
    assert code == 0, err
    from pypdf import PdfReader

    meta = PdfReader(str(pdf)).metadata
    assert meta["/Creator"] == meta["/Producer"] == PRODUCER_MARK
    # The importer refuses the program's own paper.
    code, said, err = run("import", str(pdf), "--db", str(db))
    assert OWN_PAPER_ZH in said + err
    with open_store(db) as s:
        assert len(s.list_reports()) == 3
    # No LibreOffice on the search path: a clear message, the DOCX stays.
    with pytest.raises(MissingTool) as e:
        docx_to_pdf(docx, tmp_path / "x.pdf", search_path=str(tmp_path / "empty"))
    assert "LibreOffice" in e.value.message_zh and "DOCX 文件已保存" in e.value.message_zh
    assert docx.exists() and not (tmp_path / "x.pdf").exists()


def test_an_office_adapts_the_wording_without_code(db: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    (data / "templates").mkdir(parents=True)
    own = load_wording("notice")
    text = (Path(__file__).resolve().parent.parent / "resources" / "templates" /
            "notice.toml").read_text(encoding="utf-8")
    text = text.replace(own["notice"]["closing"], "此致，请按期整改。")
    (data / "templates" / "notice.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(data))
    out = tmp_path / "n.docx"
    code, _, err = run("notice", str(_id(db, *HONGZE_2023)), "--docx", str(out), "--db", str(db))
    assert code == 0, err
    assert "此致，请按期整改。" in _text(out) and "特此通知。" not in _text(out)
    (data / "templates" / "notice.toml").write_text("title = [未闭合", encoding="utf-8")
    code, _, err = run("notice", str(_id(db, *HONGZE_2023)), "--docx", str(out), "--db", str(db))
    assert code == 2 and "notice.toml" in err
