"""The register of agencies: one agency under several names, levels, the units list."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from office_db import HONGZE_2023, HONGZE_2024, build, copy_of, run

from core.checklist_paper import lines_for
from core.checks.common import is_government
from core.migrations import SCHEMA_VERSION
from core.overview import NOT_SUBMITTED, Unit, overview_from_store
from core.register import (
    DEPARTMENT,
    GOVERNMENT,
    Register,
    RegisterError,
    level_from_text,
    same_but_prefix,
)
from core.series import agencies as chart_agencies
from core.series import agency_across_years
from core.store import open_store

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "db"
HONGZE = "淮安市洪泽区人民政府"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("register"))


@pytest.fixture
def db(built: Path, tmp_path: Path) -> Path:
    return copy_of(built, tmp_path)


def _ids(db: Path) -> dict[tuple[str, int], int]:
    with open_store(db) as s:
        return {(r["agency"], r["year"]): r["id"] for r in s.list_reports()}


def test_division_prefix_is_the_same_agency() -> None:
    assert same_but_prefix("淮安市洪泽区人民政府", "洪泽区人民政府")
    assert same_but_prefix("江苏省淮安市财政局", "淮安市财政局")
    assert same_but_prefix("洪泽区 人民政府", "洪泽区人民政府")  # spaces do not count
    assert not same_but_prefix("淮安市人民政府", "洪泽区人民政府")
    assert not same_but_prefix("淮安市财政局", "财政局")  # 财政局 alone names nobody
    assert not same_but_prefix("淮安市洪泽区人民政府", "区人民政府")
    assert not same_but_prefix("淮安市洪泽区人民政府办公室", "洪泽区人民政府")
    assert level_from_text("县(区)政府") == GOVERNMENT
    assert level_from_text("市直部门") == DEPARTMENT
    assert level_from_text("") is None


def test_the_three_real_reports_are_two_agencies(db: Path) -> None:
    code, out, err = run("agencies", "--format", "json", "--db", str(db))
    assert code == 0, err
    agencies = {a["name"]: a for a in json.loads(out)}
    assert set(agencies) == {"淮安市人民政府", HONGZE}
    assert agencies["淮安市人民政府"]["years"] == [2024]
    hongze = agencies[HONGZE]
    assert hongze["years"] == [2023, 2024]
    assert {n["name"]: n["how"] for n in hongze["names"]} == {
        "洪泽区人民政府": "report", HONGZE: "prefix"}
    assert hongze["level"] == GOVERNMENT and not hongze["level_set_by_inspector"]
    code, out, _ = run("agencies", "--db", str(db))
    assert code == 0 and "自动（行政区划前缀）" in out and "共 2 个机关" in out


def test_the_overview_shows_no_false_not_submitted(db: Path) -> None:
    with open_store(db) as s:
        ov = overview_from_store(s)
    assert [u.name for u in ov.units] == ["淮安市人民政府", HONGZE]
    hongze = ov.units[1]
    assert ov.entry(hongze, 2023).status != NOT_SUBMITTED
    assert ov.entry(hongze, 2024).status != NOT_SUBMITTED
    assert ov.missing(2024) == []
    # The city has no 2023 report in the database: that one is truly not submitted.
    assert [u.name for u in ov.missing(2023)] == ["淮安市人民政府"]


def test_cross_year_checks_of_2024_read_the_2023_report(db: Path) -> None:
    ids = _ids(db)
    with open_store(db) as s:
        assert s.previous_of(HONGZE, 2024) == ids[("洪泽区人民政府", 2023)]
        _, lines = lines_for(s, ids[(HONGZE, 2024)])
        cross = {ln.id: (ln.status, ln.note) for ln in lines if ln.id in ("C17", "C18", "C26")}
        assert cross == dict.fromkeys(("C17", "C18", "C26"), ("通过", "已与2023年度报告核对"))
        # The charts follow one agency across both names.
        assert (HONGZE, 2) in chart_agencies(s)
        assert agency_across_years(s, HONGZE).years == [2023, 2024]


def test_imported_newest_first_the_2024_report_is_rechecked(tmp_path: Path) -> None:
    db = tmp_path / "reverse.sqlite"
    code, _, err = run("import", str(HONGZE_2024), str(HONGZE_2023), "--db", str(db),
                       "--jobs", "1")
    assert code == 0, err
    ids = _ids(db)
    with open_store(db) as s:
        _, lines = lines_for(s, ids[(HONGZE, 2024)])
        assert next(ln for ln in lines if ln.id == "C17").note == "已与2023年度报告核对"


def test_merge_split_and_undo_are_recorded_and_recheck(db: Path) -> None:
    ids = _ids(db)
    city = ids[("淮安市人民政府", 2024)]
    code, out, err = run("agencies", "merge", "洪泽区人民政府", "淮安市人民政府", "--db", str(db))
    assert code == 0, err
    assert "并入" in out
    with open_store(db) as s:
        [one] = Register(s).agencies()
        assert one.years == [2023, 2024] and len(one.reports[2024]) == 2
        # The city's report now has a previous one (the district's 2023 report).
        assert s.previous_of("淮安市人民政府", 2024) == ids[("洪泽区人民政府", 2023)]
    code, out, _ = run("agencies", "undo", "--db", str(db))
    assert code == 0 and out.startswith("撤销合并")
    with open_store(db) as s:
        assert len(Register(s).agencies()) == 2
        assert s.previous_of("淮安市人民政府", 2024) is None
        _, lines = lines_for(s, city)
        assert next(ln for ln in lines if ln.id == "C17").status == "无法判断"
    # Split the automatic match apart: the 2024 report loses its previous year.
    code, _, err = run("agencies", "split", "洪泽区人民政府", "--db", str(db))
    assert code == 0, err
    with open_store(db) as s:
        assert s.previous_of(HONGZE, 2024) is None
        reg = Register(s)
        assert len(reg.agencies()) == 3
        assert [c.action for c in reg.changes()] == ["merge", "undo", "split"]
        assert reg.changes()[0].undone and not reg.changes()[2].undone
    run("agencies", "undo", "--db", str(db))
    with open_store(db) as s:
        assert s.previous_of(HONGZE, 2024) == ids[("洪泽区人民政府", 2023)]
    code, _, err = run("agencies", "merge", "淮安市", HONGZE, "--db", str(db))
    assert code == 2 and "机关名录中没有「淮安市」" in err


def test_level_set_by_the_inspector_decides_the_deadline(db: Path) -> None:
    ids = _ids(db)
    rid = ids[(HONGZE, 2024)]
    code, out, err = run("agencies", "set-level", HONGZE, "部门", "--db", str(db))
    assert code == 0, err
    with open_store(db) as s:
        report = s.effective_report(rid)
        assert report.level == DEPARTMENT and not is_government(report)
        # The reports were checked again with the department's level: the content check
        # that only a government's report must pass (C24, 考核评议) is gone.
        assert "content.assessment_missing" not in {
            sf.finding.rule for sf in s.findings(ids[("洪泽区人民政府", 2023)])}
        [hz] = [a for a in Register(s).agencies() if a.name == HONGZE]
        assert hz.level == DEPARTMENT and hz.level_set
    code, _, err = run("agencies", "set-level", HONGZE, "省级", "--db", str(db))
    assert code == 2 and "层级只能是" in err
    run("agencies", "set-level", HONGZE, "自动", "--db", str(db))
    with open_store(db) as s:
        assert s.effective_report(rid).level == ""
        assert "content.assessment_missing" in {
            sf.finding.rule for sf in s.findings(ids[("洪泽区人民政府", 2023)])}


def test_the_units_list_becomes_the_register(db: Path, tmp_path: Path) -> None:
    units = tmp_path / "units.csv"
    units.write_text("单位名称,层级,地区\n洪泽区人民政府,县(区)政府,洪泽区\n淮安市财政局,市直部门,淮安市\n",
                     encoding="utf-8")
    code, out, err = run("overview", "--units", str(units), "--db", str(db))
    assert code == 0, err
    assert "按应报单位名单" in out
    with open_store(db) as s:
        reg = Register(s)
        expected = {a.name: a for a in reg.agencies() if a.expected}
        assert set(expected) == {HONGZE, "淮安市财政局"}
        assert expected["淮安市财政局"].level == DEPARTMENT
        assert expected[HONGZE].area == "洪泽区"
        ov = overview_from_store(s)
        assert [u.name for u in ov.missing(2024)] == ["淮安市财政局"]
        assert [r.agency for r in ov.extra] == ["淮安市人民政府"]
        reg.undo()
        assert not any(a.expected for a in reg.agencies())
    with open_store(db) as s, pytest.raises(RegisterError):
        Register(s).set_level("淮安市人民政府", "省级")


@pytest.mark.parametrize("fixture", ["schema_v4_two_names.sqlite", "schema_v5_two_names.sqlite"])
def test_an_older_database_is_upgraded_with_its_agencies(fixture: str, tmp_path: Path) -> None:
    """``schema_v4_two_names.sqlite`` / ``schema_v5_two_names.sqlite``: made by the program
    at schema 4 (commit eb1d671) and 5 (commit 74adc62) from tests' dev report 006 stored
    twice, as 洪泽区人民政府 2023 and 淮安市洪泽区人民政府 2024 (journal DELETE, 1 KiB
    pages, VACUUMed). The register's migration needs none of v5's tables."""
    db = tmp_path / fixture
    shutil.copy2(FIXTURES / fixture, db)
    with open_store(db) as s:
        assert s.schema_version() == SCHEMA_VERSION >= 6  # upgraded through v6 and later
        [a] = Register(s).agencies()
        assert a.name == HONGZE and a.years == [2023, 2024]
        assert s.previous_of(HONGZE, 2024) == a.reports[2023][0]
        assert s.integrity_check() == "ok"


def test_a_list_units_matched_by_name_still_work(db: Path) -> None:
    with open_store(db) as s:
        ov = overview_from_store(s, [Unit("洪泽区人民政府")])
    assert ov.entry(Unit("洪泽区人民政府"), 2023).status != NOT_SUBMITTED


def test_area_expected_import_and_history_on_the_command_line(db: Path, tmp_path: Path) -> None:
    assert run("agencies", "set-area", HONGZE, "洪泽区", "--db", str(db))[0] == 0
    assert run("agencies", "expect", HONGZE, "是", "--db", str(db))[0] == 0
    code, _, err = run("agencies", "expect", HONGZE, "也许", "--db", str(db))
    assert code == 2 and "只能填「是」或「否」" in err
    units = tmp_path / "units.csv"
    units.write_text("单位名称,层级\n淮安市人民政府,市政府\n", encoding="utf-8")
    code, out, err = run("agencies", "import", str(units), "--db", str(db))
    assert code == 0 and "1 个单位" in out, err
    code, out, _ = run("agencies", "--db", str(db))
    assert "洪泽区 · 应报送" in out and "未列入名单" not in out
    code, out, _ = run("agencies", "history", "--db", str(db))
    assert [ln.split(" ", 2)[2] for ln in out.splitlines()] == [
        f"地区：「{HONGZE}」设为「洪泽区」", f"应报：「{HONGZE}」应报送", "导入应报单位名单 1 个"]
    code, _, err = run("agencies", "merge", HONGZE, "--db", str(db))
    assert code == 2 and "需要 2 个参数" in err


def test_the_deadline_follows_the_register_level(tmp_path: Path) -> None:
    from datapaths import DEV_CORPUS

    db = tmp_path / "late.sqlite"
    report = DEV_CORPUS / "002_2a29e4d1.pdf"  # 重庆市徐汇区教育局, published 2025-03-24
    assert run("import", str(report), "--db", str(db))[0] == 0

    def late() -> bool:
        with open_store(db) as s:
            [r] = s.list_reports()
            return "publication.late" in {sf.finding.rule for sf in s.findings(r["id"])}

    assert late()  # a department: due 2025-01-31
    code, _, err = run("agencies", "set-level", "重庆市徐汇区教育局", "政府本级", "--db", str(db))
    assert code == 0, err
    assert not late()  # the government's own report: due 2025-03-31
    code, out, _ = run("overview", "--db", str(db))
    assert "逾期" not in out.split("\n\n")[0]
    run("agencies", "undo", "--db", str(db))
    assert late()
