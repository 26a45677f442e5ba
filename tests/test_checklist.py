"""The checklist, the chart series and the batch overview in core: real reports, real SQLite."""

from __future__ import annotations

import re
from pathlib import Path

import checklist_db as C
import pytest

from core import series
from core.catalogue import CHECK_BY_ID, CHECKS, OTHER
from core.checklist_html import checklist_html, summary_html
from core.checklist_paper import (
    SignOff,
    SummaryPaper,
    checklist_paper,
    lines_for,
    summary_rows,
)
from core.line_results import counts, evaluate
from core.overview import (
    ERRORS,
    LATE,
    NOT_SUBMITTED,
    OK,
    Unit,
    UnitsError,
    format_overview,
    load_units,
    overview_from_store,
)
from core.store import open_store
from core.vocabulary import FAIL, NOT_APPLICABLE, PASS, PENDING, UNKNOWN


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return C.build(tmp_path_factory.mktemp("checklist"))


@pytest.fixture
def db(built: Path, tmp_path: Path) -> Path:
    return C.copy(built, tmp_path)


@pytest.fixture
def ids(built: Path) -> dict[str, int]:
    return C.ids(built)


def _line(lines, check_id):
    return next(ln for ln in lines if ln.id == check_id)


# --- the list of checks ----------------------------------------------------------------------


def test_one_line_per_check_of_the_spec() -> None:
    assert sorted(c.id for c in CHECKS) == [f"C{i:02d}" for i in range(1, 31)]
    for c in CHECKS:
        assert c.label and c.basis() and c.rules, c.id
    # The statutory basis is named where the spec gives one.
    assert "第四十九条" in CHECK_BY_ID["C21"].basis()
    assert "第五十条" in CHECK_BY_ID["C03"].basis()
    assert "表头注" in CHECK_BY_ID["C10"].basis()


def test_every_finding_of_the_reports_has_its_line(built: Path) -> None:
    with open_store(built) as s:
        for row in s.list_reports():
            for sf in s.findings(row["id"]):
                f = sf.finding
                line = CHECK_BY_ID.get(f.check)
                assert line is not None and f.rule in line.rules, (f.check, f.rule)


# --- evaluating real reports -----------------------------------------------------------------


def test_failing_sums_fail_their_line_and_name_the_cells(built: Path,
                                                         ids: dict[str, int]) -> None:
    with open_store(built) as s:
        _, lines = lines_for(s, ids["005_0b0fcac7.pdf"])
        c13 = _line(lines, "C13")
        assert c13.status == FAIL
        assert any(k == "t4.direct.total" for k, _ in c13.items[0].cells)
        assert "行政诉讼" in c13.items[0].cells[0][1]  # cells by their printed name
        assert _line(lines, "C10").status == PASS
        _, lines = lines_for(s, ids["027_c19402df.docx"])
        c10 = _line(lines, "C10")
        assert c10.status == FAIL and len(c10.items) == 2  # 法律服务机构 and 总计 columns
        assert _line(lines, "C13").status == PASS
    assert all(ln.check is not OTHER for ln in lines)


def test_uncertain_sums_and_missing_dates_cannot_be_judged(built: Path, tmp_path: Path,
                                                           ids: dict[str, int]) -> None:
    with open_store(built) as s:
        report, lines = lines_for(s, ids[C.LATE_SEED])
    # Table 三 prints only its 总计 column: blanks count as 0 in the column sums (A5),
    # which hold; the rows' breakdown is the blank, so their sums cannot be judged.
    assert _line(lines, "C15").status == FAIL
    # Its totals are all 0 here, so every sum holds.
    for c in ("C10", "C11", "C12"):
        assert _line(lines, c).status == PASS
    with open_store(C.copy(built, tmp_path)) as s:
        s.correct(ids[C.LATE_SEED], "t3.r3_1.total", 5, reviewer="王审查")
        _, lines = lines_for(s, ids[C.LATE_SEED])
    line = _line(lines, "C11")  # a 总计 of 5 over a blank breakdown: not judged
    assert line.status == UNKNOWN and line.items[0].status == "uncertain"
    assert _line(lines, "C21").status == FAIL  # published 32 days late
    # Remove the date: the same line can no longer be judged.
    report.published = None
    from core.checker import check

    redone = evaluate(report, check(report))
    assert _line(redone, "C21").status == UNKNOWN


def test_rules_that_do_not_apply_and_missing_previous_year(built: Path,
                                                           ids: dict[str, int]) -> None:
    with open_store(built) as s:
        _, lines = lines_for(s, ids["005_0b0fcac7.pdf"])  # 2021 format, a department
        c24 = _line(lines, "C24")
        assert c24.status == NOT_APPLICABLE and "人民政府" in c24.note
        for c in ("C17", "C26"):
            assert _line(lines, c).status == UNKNOWN
            assert "上一年度" in _line(lines, c).note
        _, lines = lines_for(s, ids["027_c19402df.docx"])  # 2019 format, a government
        assert _line(lines, "C08").status == NOT_APPLICABLE
        assert _line(lines, "C24").status != NOT_APPLICABLE


def test_cross_year_lines_with_last_years_report_in_the_database(built: Path,
                                                                  ids: dict[str, int]) -> None:
    with open_store(built) as s:
        report, lines = lines_for(s, ids[C.SEED_2020])
    assert report.agency == C.AGENCY_3_YEARS and report.year == 2020
    c17 = _line(lines, "C17")
    assert c17.status == PASS and "2019" in c17.note
    c26 = _line(lines, "C26")  # the 2019 file is the same text: copied (a warning)
    assert c26.status == PENDING and "相似度" in c26.items[0].message


def test_dismissed_findings_pass_confirmed_ones_fail(db: Path, ids: dict[str, int]) -> None:
    rid = ids["005_0b0fcac7.pdf"]
    with open_store(db) as s:
        fp = next(sf.finding.fingerprint for sf in s.findings(rid)
                  if sf.finding.rule == "t4.row_sum")
        s.set_verdict(rid, fp, "dismissed", reason="原文表四另有说明", reviewer="王审查")
        _, lines = lines_for(s, rid)
        c13 = _line(lines, "C13")
        assert c13.status == PASS
        assert c13.items[0].verdict == "dismissed"
        html = checklist_html(checklist_paper(s, rid))
        assert "已排除，理由：原文表四另有说明" in html
        # An uncertain finding the inspector confirms is a failure.
        rid2 = ids[C.LATE_SEED]
        # Blanks count as 0; a 总计 over a blank breakdown is the uncertain sum.
        s.correct(rid2, "t3.r3_1.total", 5, reviewer="王审查")
        fp2 = next(sf.finding.fingerprint for sf in s.findings(rid2)
                   if sf.finding.rule == "t3.row_sum" and sf.finding.status == "uncertain")
        s.set_verdict(rid2, fp2, "confirmed", reviewer="王审查")
        _, lines = lines_for(s, rid2)
        assert _line(lines, "C11").status == FAIL


# --- the HTML ----------------------------------------------------------------------------------


def _text(html: str) -> str:
    import html as h

    return h.unescape(re.sub(r"<[^>]+>", "", html))


def test_report_checklist_html_has_facts_lines_corrections_and_signature(
        db: Path, ids: dict[str, int]) -> None:
    rid = ids["027_c19402df.docx"]
    with open_store(db) as s:
        s.correct(rid, "t3.carried_in.legal", 0, reviewer="王审查", reason="原文为 0")
        s.correct(rid, "t3.carried_in.total", 0, reviewer="王审查", reason="原文为 0")
        s.correct(rid, "t3.new.natural", 99, reviewer="王审查")
        s.undo(rid, reviewer="王审查")  # taken back: not on the checklist
        row = s.get_report(rid)
        report, lines = lines_for(s, rid)
        html = checklist_html(checklist_paper(s, rid, reviewer="王审查",
                                              review_date="2025-02-10"))
    text = _text(html)
    for fact in (report.agency, f"{report.year}年度", report.file, report.sha256, "2019年版",
                 "审查人：王审查", "日期：2025年2月10日", "复核人：", "审查机关：", "（盖章）",
                 "审查结论", "审查意见"):
        assert fact in text, fact
    for c in CHECKS:
        assert c.label in text and c.basis(None, report.format) in text, c.id
    # The correction with before and after; the undone one is left out.
    assert "人工更正记录" in text and "原文为 0" in text
    assert "法律服务机构" in text
    assert text.count("王审查") >= 2
    assert "t3.new.natural" not in html
    # The corrected cells make the balance hold again: C10 passes now.
    assert _line(lines, "C10").status == PASS
    assert row["status"] == "审查中"
    c = counts(lines)
    assert f"通过 {c[PASS]} 项" in text


def test_summary_html_one_row_per_report_counts_at_the_foot(built: Path) -> None:
    with open_store(built) as s:
        rows = summary_rows(s, [r["id"] for r in s.list_reports()])
    html = summary_html(SummaryPaper(rows, SignOff(date="2025-02-10"),
                                     [("图一", "/nonexistent.png")]))
    text = _text(html)
    for r in rows:
        assert r.agency in text
    n_fail_c13 = sum(1 for r in rows if _line(r.lines, "C13").status == FAIL)
    assert n_fail_c13 >= 1
    # The foot: one row per status, one count per check.
    foot = re.findall(r"<tr bgcolor=\"#eeeeee\">(.*?)</tr>", html, re.S)
    assert len(foot) == 4  # 通过, 不通过, 待核实, 无法判断
    cells = re.findall(r"<td align=\"center\">(\d*)</td>", foot[1])
    c13 = [c.id for c in CHECKS].index("C13")
    assert cells[c13] == str(n_fail_c13)
    assert '<img src="/nonexistent.png"' in html
    assert CHECK_BY_ID["C30"].label in text  # the legend names each numbered column's check


# --- series for the charts ---------------------------------------------------------------------


def test_series_follow_the_filter_and_read_effective_values(db: Path,
                                                            ids: dict[str, int]) -> None:
    with open_store(db) as s:
        bars = series.applicants_by_agency(s)
        assert len(bars.labels) == len(bars.report_ids) == len(ids)
        totals = bars.totals()
        assert totals == sorted(totals, reverse=True)
        only = series.applicants_by_agency(s, series.ReportFilter(year=2023))
        assert only.report_ids and all(s.get_report(i)["year"] == 2023
                                       for i in only.report_ids)
        rid = ids["027_c19402df.docx"]
        i = bars.report_ids.index(rid)
        natural = dict(bars.series)["自然人"][i]
        s.correct(rid, "t3.new.natural", natural + 5)
        again = series.applicants_by_agency(s, series.ReportFilter.of(ids=[rid]))
        assert dict(again.series)["自然人"] == [natural + 5]
        breakdown = dict(series.outcome_breakdown(s))
        assert list(breakdown) == ["予以公开", "部分公开", "不予公开", "无法提供", "不予处理",
                                   "其他"]
        errors = series.findings_by_agency(s, series.ReportFilter(has_errors=True))
        assert errors.report_ids and all(v > 0 for v in dict(errors.series)["不通过"])
        assert series.agencies(s)[0] == (C.AGENCY_3_YEARS, 3)
        lines = series.agency_across_years(s, C.AGENCY_3_YEARS)
        assert lines.years == [2019, 2020, 2021]
        assert [name for name, _ in lines.series][:2] == ["新收申请", "予以公开"]


# --- the overview ------------------------------------------------------------------------------


def test_units_list_from_csv_and_xlsx(tmp_path: Path) -> None:
    csv_file = tmp_path / "units.csv"
    csv_file.write_text("序号,单位名称,层级,地区\n1,芜湖市教育局,市直部门,芜湖市\n"
                        "2, 芜湖市财政局 ,市直部门,芜湖市\n3,芜湖市教育局,市直部门,\n\n",
                        encoding="utf-8-sig")
    units = load_units(csv_file)
    assert units == [Unit("芜湖市教育局", "市直部门", "芜湖市"),
                     Unit("芜湖市财政局", "市直部门", "芜湖市")]
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("单位\n湛江市梓潼县人民政府\n".encode("gbk"))
    assert load_units(gbk) == [Unit("湛江市梓潼县人民政府")]
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["2023年度应报送年报单位名单"])
    ws.append(["序号", "所属地区", "单位名称"])
    ws.append([1, "重庆市", "重庆市大渡口区科学技术局"])
    ws.append([2, "湛江市", "梓潼县人民政府"])
    xlsx = tmp_path / "units.xlsx"
    wb.save(xlsx)
    assert load_units(xlsx) == [Unit("重庆市大渡口区科学技术局", "", "重庆市"),
                                Unit("梓潼县人民政府", "", "湛江市")]
    with pytest.raises(UnitsError):
        load_units(tmp_path / "missing.csv")
    (tmp_path / "empty.csv").write_text("序号,单位名称\n", encoding="utf-8")
    with pytest.raises(UnitsError):
        load_units(tmp_path / "empty.csv")


def test_overview_against_a_units_list(built: Path) -> None:
    units = [Unit("重庆市大渡口区科学技术局"), Unit("梓潼县人民政府"),  # matched by its tail
             Unit("重庆市大渡口区经济和信息化委员会"), Unit("重庆市大渡口区财政局")]
    with open_store(built) as s:
        ov = overview_from_store(s, units)
    assert ov.years == [2019, 2020, 2021]
    kj, zt, jxw, cz = units
    assert ov.entry(kj, 2019).status == OK
    assert ov.entry(kj, 2020).status == OK
    assert ov.entry(zt, 2019).status == ERRORS  # 027: table 三 does not balance
    late = ov.entry(jxw, 2019)
    assert late.status == LATE and ERRORS in late.flags and late.report.late_days == 32
    assert ov.entry(cz, 2020).status == NOT_SUBMITTED
    assert cz in ov.missing(2019) and zt in ov.missing(2020)
    assert {e.unit for e in ov.with_status(LATE)} == {jxw}
    assert ov.extra and all(r.agency not in {u.name for u in units} for r in ov.extra)
    text = format_overview(ov)
    assert "重庆市大渡口区财政局" in text and "逾期·有不通过项" in text
    assert "2019年度未报送：" in text


def test_overview_from_the_reports_seen(built: Path) -> None:
    with open_store(built) as s:
        ov = overview_from_store(s, years=[2021])
    assert ov.from_reports and ov.years == [2021]
    names = {u.name for u in ov.units}
    assert C.AGENCY_3_YEARS in names
    # Seen in other years only: not submitted for 2021.
    assert ov.entry(Unit("湛江市梓潼县人民政府"), 2021).status == NOT_SUBMITTED


def test_overview_command(db: Path, tmp_path: Path) -> None:
    code, out, _ = C.run("overview", "--year", "2020", "--db", str(db))
    assert code == 0 and "按已导入报告中的机关" in out
    table = {ln.split()[0]: ln.split()[-1]
             for ln in out.split("\n\n")[0].splitlines()[2:]}
    assert table["湛江市梓潼县人民政府"] == "未报送"  # reported for 2019 only
    assert table[C.AGENCY_3_YEARS] == "正常"
    units = tmp_path / "units.csv"
    units.write_text("单位名称\n重庆市大渡口区科学技术局\n重庆市大渡口区财政局\n", encoding="utf-8")
    code, out, err = C.run("overview", "--units", str(units), "--db", str(db))
    assert code == 0, err
    row = next(ln for ln in out.splitlines() if ln.startswith("重庆市大渡口区财政局"))
    assert row.split()[2:] == ["未报送"] * 3  # after its level (from the name: 部门)
    # The list is now the register's: the next overview without --units uses it.
    code, out, _ = C.run("overview", "--db", str(db))
    assert code == 0 and "按应报单位名单" in out and "湛江市梓潼县人民政府" not in \
        out.split("\n\n")[0]
    code, _, err = C.run("overview", "--units", str(tmp_path / "none.xlsx"), "--db", str(db))
    assert code == 2 and "找不到" in err
