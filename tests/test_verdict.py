"""The verdict an office signs, through the command line on the three real reports and the
five seeds: line results the inspector decides, the conclusion and the opinion, the
national basis, corrections that make sense, and files that are not reports."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pdfplumber
import pytest
from datapaths import BLANK_TEMPLATE, REAL_DIR, SEEDS_DIR

from cli import main
from core.errors import CorruptFile
from core.extract import extract_file
from core.store import open_store
from core.vocabulary import LINE_RESULTS

CITY_2024 = "huaian-city-gov-2024.pdf"
HONGZE_2023 = "huaian-hongze-district-gov-2023.pdf"
HONGZE_2024 = "huaian-hongze-district-gov-2024.pdf"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("verdict") / "review.sqlite"
    code, _, err = run("import", *(str(REAL_DIR / n) for n in (CITY_2024, HONGZE_2023,
                                                                HONGZE_2024)),
                       str(SEEDS_DIR), "--db", str(db))
    assert code == 0, err
    return db


@pytest.fixture
def db(built: Path, tmp_path: Path) -> Path:
    target = tmp_path / "review.sqlite"
    shutil.copy2(built, target)
    return target


def _ids(db: Path) -> dict[str, int]:
    with open_store(db) as s:
        return {r["file_name"]: r["id"] for r in s.list_reports()}


def _paper(db: Path, rid: int, *extra: str) -> dict:
    code, out, err = run("checklist", str(rid), "--format", "json", "--db", str(db), *extra)
    assert code == 0, err
    return json.loads(out)


def _status(paper: dict, check_id: str) -> str:
    return next(ln["status"] for ln in paper["lines"] if ln["id"] == check_id)


def test_checklist_as_data_before_any_verdict(built: Path) -> None:
    ids = _ids(built)
    assert len(ids) == 8
    for name, rid in ids.items():
        paper = _paper(built, rid)
        for key in ("conclusion", "note", "reviewer", "lines"):
            assert key in paper, key
        assert [ln["id"] for ln in paper["lines"]][:30] and \
            sorted(ln["id"] for ln in paper["lines"] if ln["id"].startswith("C")) == \
            [f"C{i:02d}" for i in range(1, 31)]
        for ln in paper["lines"]:
            assert ln["status"] in LINE_RESULTS, (name, ln)
            assert ln["basis"], (name, ln["id"])
            # National by default: no other province's standard.
            assert "DB51" not in ln["basis"] and "粤办函" not in ln["basis"], (name, ln)
            assert isinstance(ln["findings"], list)
    city = _paper(built, ids[CITY_2024])
    assert not [ln["id"] for ln in city["lines"] if ln["status"] == "不通过"]
    assert "待核实" in {ln["status"] for ln in city["lines"]}  # its warnings wait for a person
    assert _status(_paper(built, ids[HONGZE_2023]), "C13") == "不通过"
    # A doubt about the prose (受理 vs 新收) is the inspector's to decide, not 无法判断.
    assert _status(_paper(built, ids[HONGZE_2024]), "C19") == "待核实"
    # A line no national document requires says so.
    assert next(ln for ln in city["lines"] if ln["id"] == "C17")["basis"] == "工作惯例"


def test_province_profile_adds_its_own_sources(built: Path) -> None:
    rid = _ids(built)[HONGZE_2023]
    sichuan = _paper(built, rid, "--basis-profile", "四川")
    assert "DB51/T 2660—2019" in next(ln for ln in sichuan["lines"] if ln["id"] == "C20")["basis"]
    guangdong = _paper(built, rid, "--basis-profile", "广东省")
    assert "粤办函〔2010〕249号" in next(ln for ln in guangdong["lines"]
                                      if ln["id"] == "C19")["basis"]
    code, _, err = run("checklist", str(rid), "--format", "json", "--db", str(built),
                       "--basis-profile", "火星")
    assert code == 2 and "未知的依据范围" in err


def test_dismissing_every_warning_passes_its_lines(db: Path) -> None:
    rid = _ids(db)[CITY_2024]
    with open_store(db) as s:
        warnings = [sf.finding.fingerprint for sf in s.findings(rid)
                    if sf.finding.severity == "warning"]
    assert warnings
    for fp in warnings:
        code, _, err = run("verdict", str(rid), fp, "排除", "--reason", "已电话核实，原文无误",
                           "--db", str(db))
        assert code == 0, err
    paper = _paper(db, rid)
    assert paper["conclusion"] == paper["proposed_conclusion"] == "合格"
    assert "待核实" not in {ln["status"] for ln in paper["lines"]}
    dismissed = [f for ln in paper["lines"] for f in ln["findings"] if f["verdict"] == "dismissed"]
    assert len(dismissed) == len(warnings)
    assert all(f["reason"] == "已电话核实，原文无误" and f["result"] == "通过" for f in dismissed)
    # Confirming one makes its line 不通过 and the proposal 需整改; on a line the office
    # counts as 不合格 (C21, publication), 不合格.
    with open_store(db) as s:
        by_rule = {sf.finding.rule: sf.finding.fingerprint for sf in s.findings(rid)}
    run("verdict", str(rid), by_rule["section5.content"], "确认", "--db", str(db))
    assert _paper(db, rid)["conclusion"] == "需整改"
    run("verdict", str(rid), by_rule["publication.date_missing"], "确认", "--db", str(db))
    assert _paper(db, rid)["conclusion"] == "不合格"


def test_status_sets_conclusion_and_opinion_printed_on_the_checklist(db: Path,
                                                                     tmp_path: Path) -> None:
    rid = _ids(db)[HONGZE_2023]
    code, _, err = run("status", str(rid), "审查中", "--conclusion", "合格", "--db", str(db))
    assert code == 2 and "须说明理由" in err  # another than the proposed needs a reason
    code, out, err = run("status", str(rid), "已审", "--conclusion", "需整改", "--reviewer",
                         "王审查", "--note", "表四两处合计错误，已电话核实", "--db", str(db))
    assert code == 0, err
    assert "尚有 2 项错误未确认或排除" in err  # asked about, not hidden
    paper = _paper(db, rid)
    assert (paper["conclusion"], paper["note"], paper["reviewer"]) == (
        "需整改", "表四两处合计错误，已电话核实", "王审查")
    assert paper["note_by"] == "王审查" and paper["note_at"]
    _, shown, _ = run("show", str(rid), "--db", str(db))
    assert "审查结论：需整改（审查人确认）" in shown
    assert "审查意见：表四两处合计错误，已电话核实" in shown
    run("settings", "--office", "淮安市人民政府办公室", "--db", str(db))
    pdf = tmp_path / "审查表.pdf"
    code, _, err = run("checklist", str(rid), "--pdf", str(pdf), "--db", str(db))
    assert code == 0, err
    with pdfplumber.open(pdf) as doc:
        text = re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in doc.pages))
    for words in ("审查结论", "需整改", "表四两处合计错误，已电话核实", "审查人：王审查",
                  "审查机关：淮安市人民政府办公室", "复核人", "（盖章）"):
        assert words in text, words
    # Overridden with a reason: the reason is printed too.
    run("status", str(rid), "已审", "--conclusion", "不合格", "--reason", "表四全表失实",
        "--db", str(db))
    assert _paper(db, rid)["conclusion_reason"] == "表四全表失实"


def test_corrections_that_do_not_fit_are_refused_and_nothing_stored(db: Path) -> None:
    rid = str(_ids(db)[HONGZE_2023])
    for bad, why in (("abc", "不是数字"), ("-3", "负数"), ("1.5", "不是整数")):
        code, _, err = run("correct", rid, "t4.review.total", "--db", str(db), "--", bad)
        assert code != 0 and why in err, (bad, err)
    code, out, _ = run("history", rid, "--db", str(db))
    assert "没有更正记录" in out
    # Full-width digits are a number; the finding then quotes the corrected value.
    code, _, err = run("correct", rid, "t4.review.total", "１２", "--db", str(db))
    assert code == 0, err
    with open_store(db) as s:
        msgs = [sf.finding.message for sf in s.findings(int(rid))
                if sf.finding.rule == "t4.row_sum" and "行政复议」" in sf.finding.message]
    assert msgs and "总计（12）" in msgs[0]


def test_reviewed_report_is_closed_until_reopened(db: Path) -> None:
    rid = str(_ids(db)[HONGZE_2024])
    assert run("status", rid, "已审", "--db", str(db))[0] == 0
    code, _, err = run("correct", rid, "t4.review.total", "3", "--db", str(db))
    assert code == 2 and "已审查完毕" in err
    assert run("status", rid, "审查中", "--db", str(db))[0] == 0
    assert run("correct", rid, "t4.review.total", "3", "--db", str(db))[0] == 0


def test_verdict_on_a_finding_not_on_the_report_fails(db: Path) -> None:
    ids = _ids(db)
    code, _, err = run("verdict", str(ids[CITY_2024]), "deadbeef", "dismissed", "--reason", "x",
                       "--db", str(db))
    assert code != 0 and "没有编号为 deadbeef 的发现" in err
    # A fingerprint of another report is not this report's either.
    with open_store(db) as s:
        other = s.findings(ids[HONGZE_2023])[0].finding.fingerprint
        mine = {sf.finding.fingerprint for sf in s.findings(ids[CITY_2024])}
    if other not in mine:
        code, _, _ = run("verdict", str(ids[CITY_2024]), other, "confirmed", "--db", str(db))
        assert code != 0


def test_blank_template_and_own_papers_are_not_imported(db: Path, tmp_path: Path) -> None:
    with open_store(db) as s:
        before = s.count_reports()
    code, out, err = run("import", str(BLANK_TEMPLATE), "--db", str(db))
    assert code != 0 and "空白模板，不是年度报告" in err
    pdf = tmp_path / "审查表.pdf"
    assert run("checklist", "1", "--pdf", str(pdf), "--db", str(db))[0] == 0
    code, _, err = run("import", str(pdf), "--db", str(db))
    assert code != 0 and "年报审查台生成" in err
    with open_store(db) as s:
        assert s.count_reports() == before


def test_damaged_pdf_says_so(tmp_path: Path) -> None:
    data = (REAL_DIR / CITY_2024).read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[:len(data) // 2])
    with pytest.raises(CorruptFile) as e:
        extract_file(cut)
    assert "文件已损坏" in e.value.message_zh


def test_a_notice_this_program_drafted_is_not_imported(db: Path, tmp_path: Path) -> None:
    rid = _ids(db)[HONGZE_2023]
    notice = tmp_path / "整改通知.docx"
    code, _, err = run("notice", str(rid), "--docx", str(notice), "--db", str(db))
    assert code == 0, err
    with open_store(db) as s:
        before = s.count_reports()
    code, _, err = run("import", str(notice), "--db", str(db))
    assert code != 0 and "年报审查台生成" in err
    with open_store(db) as s:
        assert s.count_reports() == before
