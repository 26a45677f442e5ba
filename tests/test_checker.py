"""The checker: each rule on a report that breaks it and on one that does not.

Reports are built from the dev corpus truth files (tests/checker_corpus.py); every
truth file is also checked as a whole: each listed defect is found, and a report
without defects gets no error.
"""

from __future__ import annotations

import copy
import json

import pytest
from checker_corpus import DEV, load, matches, split_sections, truth_files

from core.checker import Deadlines, LocalDeadline, cause_note, check, group_by_cause
from core.checks.common import is_government
from core.checks.crossyear import similarity
from core.checks.labels import present
from core.checks.prose import zh_number
from core.contract import report_from_contract
from core.model import BLANK, MISSING, NA, NUMBER, TEXT, ZERO, Report

TRUTHS = truth_files()


def rep(name: str, text: bool = True) -> Report:
    """A fresh report of a dev truth file, by its id prefix ("028")."""
    path = next(p for p in TRUTHS if p.name.startswith(name))
    return load(path, with_text=text)[1]


def setv(r: Report, key: str, value) -> None:
    """A correction: only the value changes (the checker reads the kind from it)."""
    r.cells[key].value = value


def rules(findings, severity: str | None = None) -> list[str]:
    return [f.rule for f in findings if severity is None or f.severity == severity]


def only(findings, rule: str):
    found = [f for f in findings if f.rule == rule]
    assert len(found) == 1, [(f.rule, f.message) for f in findings]
    return found[0]


# --- the whole dev corpus -------------------------------------------------------------


@pytest.mark.parametrize("path", TRUTHS, ids=lambda p: p.name[:12])
def test_truth_defects_found_and_no_false_error(path):
    doc, report = load(path)
    findings = check(report)
    for d in doc["defects"]:
        assert any(matches(d, f) for f in findings), (d, [f.to_json() for f in findings])
    unmatched = [f for f in findings if f.severity == "error"
                 and not any(matches(d, f) for d in doc["defects"])]
    assert not unmatched, [f.message for f in unmatched]


def test_corpus_is_all_there():
    assert len(TRUTHS) == 36


@pytest.mark.parametrize("path", TRUTHS, ids=lambda p: p.name[:12])
def test_every_finding_is_complete(path):
    _, report = load(path)
    findings = check(report)
    fps = [f.fingerprint for f in findings]
    assert len(fps) == len(set(fps))
    for f in findings:
        assert f.severity in ("error", "warning") and f.status in ("fail", "uncertain")
        assert f.message and f.check.startswith("C") and f.basis
        assert f.cells or f.section or f.table or f.field
        assert all(k in report.cells for k in f.cells)
        json.dumps(f.to_json(), ensure_ascii=False)


# --- report_from_contract -------------------------------------------------------------


def test_report_from_contract_kinds():
    doc = json.loads((DEV / "018_73dcc78e.truth.json").read_text(encoding="utf-8"))
    doc["cells"]["t2.rules.issued"] = "若干"
    doc["cells"]["t2.rules.repealed"] = "/"
    r = report_from_contract(doc)
    assert r.cells["t3.new.total"].kind == ZERO
    assert r.cells["t3.new.natural"].kind == BLANK
    assert r.cells["t2.rules.issued"].kind == TEXT
    assert r.cells["t2.rules.repealed"].kind == NA
    assert r.format == "2021" and r.year == 2024 and r.tables_found["t3"]
    r17 = rep("017", text=False)
    assert r17.tables_found == {"t2": True, "t3": True, "t4": False}
    assert r17.cells["t4.review.total"].kind == MISSING
    assert rep("028").cells["t3.new.total"].kind == NUMBER


# --- structure ------------------------------------------------------------------------


def test_section_missing():
    r = rep("028")
    assert "section.missing" not in rules(check(r))
    r.sections["s5"] = False
    f = only(check(r), "section.missing")
    assert f.section == "s5" and f.severity == "error" and "五" in f.message


def test_table_missing_suppresses_its_blanks_and_sums():
    r = rep("028", text=False)
    assert "table.missing" not in rules(check(r))
    for k in [k for k in r.cells if k.startswith("t4.")]:
        r.cells[k].value, r.cells[k].kind = None, MISSING
    r.tables_found["t4"] = False
    found = check(r)
    assert only(found, "table.missing").table == "t4"
    assert not [f for f in found if any(k.startswith("t4.") for k in f.cells)]


def test_table_incomplete_when_a_row_is_not_found():
    r = rep("028", text=False)
    for c in ("natural", "commercial", "research", "social", "legal", "other", "total"):
        r.cells[f"t3.r3_5_2.{c}"].value, r.cells[f"t3.r3_5_2.{c}"].kind = None, MISSING
    found = check(r)
    f = only(found, "table.incomplete")
    assert "t3.r3_5_2.total" in f.cells and "重复申请" in f.message
    assert "cell.blank" not in rules(found)


def test_cell_blank_one_finding_per_table_and_blanks_count_as_zero():
    r = rep("028", text=False)
    assert "cell.blank" not in rules(check(r))
    assert r.cells["t3.new.natural"].value and r.cells["t4.review.upheld"].value == 0
    setv(r, "t3.new.natural", None)
    setv(r, "t4.review.upheld", "/")
    found = check(r)
    blanks = [f for f in found if f.rule == "cell.blank"]
    assert {f.table for f in blanks} == {"t3", "t4"}
    assert all(f.severity == "error" for f in blanks)
    # A5: blanks count as 0, so the sums through the blanked figure fail as on paper,
    # and those through the "/" printed for a 0 hold
    failed = {(f.rule, f.status) for f in found if f.rule.endswith(("row_sum", "balance"))}
    assert failed == {("t3.row_sum", "fail"), ("t3.balance", "fail")}
    assert not [f for f in found if f.status == "uncertain"]


def test_blank_total_column_under_filled_rows_fails_the_row_sums():
    r = rep("028", text=False)
    filled = [row for row in ("r3_1", "r3_2", "r3_3_1", "r3_4_1", "r3_5_1")
              if r.cells[f"t3.{row}.total"].value]
    assert filled
    for row in filled:
        setv(r, f"t3.{row}.total", None)
    found = check(r)
    sums = [f for f in found if f.rule == "t3.row_sum"]
    assert {f.status for f in sums} == {"fail"} and len(sums) == len(filled)
    assert "总计（空白，按 0 计）" in sums[0].message
    assert only(found, "t3.outcome_sum").cells[-1] == "t3.r3_7.total"
    assert only(found, "cell.blank").cells == [f"t3.{row}.total" for row in filled]


def test_total_only_blank_table_three_is_one_finding():
    found = check(rep("018"))
    f = only(found, "cell.blank")
    assert len(f.cells) == 150 and "总计" in f.message
    assert not [g for g in found if g.rule.startswith("t3.")]  # blank parts, 0 totals
    r = rep("018")
    setv(r, "t3.r3_1.total", 5)
    setv(r, "t3.r3_7.total", 5)
    setv(r, "t3.new.total", 5)
    found = check(r)
    # a row that prints only its 总计 is not failed: its breakdown is the blank
    assert [g.rule for g in found if g.status == "uncertain"] == ["t3.row_sum"]
    assert not [g for g in found if g.status == "fail" and g.rule.startswith("t3.")]


def test_other_row_merged_in_2021_uses_the_single_row():
    r = rep("028", text=False)
    assert "t3.other_row_merged" not in rules(check(r))
    for c in ("natural", "commercial", "research", "social", "legal", "other", "total"):
        s = sum(r.cells[f"t3.r3_6_{i}.{c}"].value for i in (1, 2, 3))
        for i in (1, 2, 3):
            setv(r, f"t3.r3_6_{i}.{c}", None)
        r.cells[f"t3.r3_6.{c}"] = copy.copy(r.cells["t3.new.total"])
        r.cells[f"t3.r3_6.{c}"].key = f"t3.r3_6.{c}"
        setv(r, f"t3.r3_6.{c}", s)
    r.merged_other_row = True
    found = check(r)
    assert rules(found, "error") == [] and only(found, "t3.other_row_merged").check == "C08"
    assert "cell.blank" not in rules(found) and "t3.outcome_sum" not in rules(found)
    setv(r, "t3.r3_6.total", 11)  # the single row takes part in the sums
    assert {"t3.row_sum", "t3.outcome_sum"} <= set(rules(check(r)))


# --- values ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["若干", -1, 4.5])
def test_cell_invalid(value):
    r = rep("028", text=False)
    setv(r, "t2.license.decisions", value)
    f = only(check(r), "cell.invalid")
    assert f.cells == ["t2.license.decisions"] and f.severity == "error" and f.table == "t2"


def test_cell_valid_values():
    r = rep("015", text=False)  # 2019 format with 本年增/减 = -1
    assert r.cells["t2.fees.change"].value == -1
    assert "cell.invalid" not in rules(check(r))
    r28 = rep("028", text=False)
    setv(r28, "t2.fees.amount", 43075.05)  # amounts may have decimals
    setv(r28, "t2.license.decisions", 1159.0)  # an integral float is a count
    assert "cell.invalid" not in rules(check(r28))
    setv(r28, "t2.fees.amount", -5.0)
    assert only(check(r28), "cell.invalid").cells == ["t2.fees.amount"]


def test_sum_with_text_operand_is_uncertain_not_failed():
    r = rep("028", text=False)
    setv(r, "t3.new.natural", "若干")
    found = check(r)
    assert "cell.invalid" in rules(found)
    assert {f.status for f in found if f.rule in ("t3.row_sum", "t3.balance")} == {"uncertain"}


def test_fee_implausible():
    r = rep("028", text=False)
    setv(r, "t2.fees.amount", 503_810_000.0)  # 50381 printed in the 万元 column
    f = only(check(r), "t2.fee_implausible")
    assert f.severity == "warning" and "50381 万元" in f.message
    setv(r, "t2.fees.amount", 799107.0)
    assert "t2.fee_implausible" not in rules(check(r))
    r.agency = "淮安市人民政府"  # a city government collects far more
    setv(r, "t2.fees.amount", 961_716_000.0)
    assert "t2.fee_implausible" not in rules(check(r))


# --- arithmetic and the cause of several failures ---------------------------------------


def test_t3_balance():
    r = rep("028", text=False)
    assert rules(check(r), "error") == []
    setv(r, "t3.carried_out.legal", 1)
    setv(r, "t3.carried_out.total", 15)
    found = check(r)
    bal = [f for f in found if f.rule == "t3.balance"]
    assert len(bal) == 2 and rules(found, "error") == ["t3.balance", "t3.balance"]
    f = next(f for f in bal if "t3.carried_out.total" in f.cells)
    assert f.cells == ["t3.new.total", "t3.carried_in.total", "t3.r3_7.total",
                       "t3.carried_out.total"]
    assert f.left == {"t3.new.total": 357, "t3.carried_in.total": 28}
    assert f.right == {"t3.r3_7.total": 371, "t3.carried_out.total": 15}
    assert f.difference == -1 and "相差 1" in f.message and "「总计」列" in f.message
    assert "勾稽关系" in f.basis and f.check == "C10" and f.table == "t3"


def test_t3_row_sum():
    r = rep("028", text=False)
    setv(r, "t3.r3_2.natural", 21)
    setv(r, "t3.r3_2.legal", 0)  # the column sums still hold? no: natural and legal change
    found = check(r)
    rs = [f for f in found if f.rule == "t3.row_sum"]
    assert len(rs) == 0  # 21 + 0 = 20 + 1: the row still adds up
    setv(r, "t3.r3_2.total", 24)
    f = only(check(r), "t3.row_sum")
    assert f.cells[-1] == "t3.r3_2.total" and len(f.cells) == 7 and f.difference == -1
    assert f.check == "C11"


def test_t3_outcome_sum():
    r = rep("028", text=False)
    setv(r, "t3.r3_4_1.research", 2)
    setv(r, "t3.r3_4_1.natural", 69)  # the row still adds up; two columns do not
    found = check(r)
    out = [f for f in found if f.rule == "t3.outcome_sum"]
    assert len(out) == 2 and all(len(f.cells) == 22 for f in out)
    assert {f.cells[-1] for f in out} == {"t3.r3_7.research", "t3.r3_7.natural"}
    assert all(f.check == "C12" for f in out)


def test_t4_row_sum():
    r = rep("028", text=False)
    setv(r, "t4.after_review.total", 4)
    f = only(check(r), "t4.row_sum")
    assert f.cells == ["t4.after_review.upheld", "t4.after_review.corrected",
                       "t4.after_review.other", "t4.after_review.pending",
                       "t4.after_review.total"]
    assert f.difference == 1 and f.check == "C13" and f.table == "t4"
    # a total of 0 beside non-zero parts (洪泽区 2023) is a failure, shown with the parts
    setv(r, "t4.after_review.total", 0)
    assert "1+0+1+1=3" in only(check(r), "t4.row_sum").message


def test_one_wrong_total_cell_is_one_cause():
    r = rep("028", text=False)
    setv(r, "t3.new.total", 358)  # breaks its row and the 总计 column's balance
    found = check(r)
    assert sorted(rules(found, "error")) == ["t3.balance", "t3.row_sum"]
    assert {f.cause for f in found if f.severity == "error"} == {"t3.new.total"}
    assert {f.cause_value for f in found if f.severity == "error"} == {357}
    groups = [g for g in group_by_cause(found) if len(g) > 1]
    assert len(groups) == 1 and len(groups[0]) == 2
    note = cause_note(groups[0])
    assert "「一、本年新收·总计」" in note and "357" in note and "2 项" in note


def test_wrong_grand_total_is_three_rules_one_cause():
    r = rep("028", text=False)
    setv(r, "t3.r3_7.total", 370)
    found = [f for f in check(r) if f.severity == "error"]
    assert sorted(f.rule for f in found) == ["t3.balance", "t3.outcome_sum", "t3.row_sum"]
    assert {f.cause for f in found} == {"t3.r3_7.total"}
    assert found[0].to_json()["cause_value"] == 371


def test_no_cause_when_no_single_cell_explains():
    r = rep("010", text=False)  # two cells swapped between two rows
    found = check(r)
    assert len(rules(found, "error")) == 2
    assert all(f.cause is None for f in found)
    r = rep("005", text=False)  # a lone t4 failure: any of its five cells could be wrong
    assert only(check(r), "t4.row_sum").cause is None


# --- format, year and dates -----------------------------------------------------------


def test_format_outdated():
    r = rep("033", text=False)
    f = only(check(r), "format.outdated")
    assert f.field == "format" and f.severity == "error" and "2019年版" in f.message
    r.year = 2020
    assert "format.outdated" not in rules(check(r))
    r = rep("028", text=False)
    assert "format.outdated" not in rules(check(r))
    r.year = 2020
    assert only(check(r), "format.outdated").field == "format"


def test_publication_late_department_and_government():
    r = rep("002", text=False)  # department, 2024 report published 2025-03-24
    f = only(check(r), "publication.late")
    assert f.field == "published" and f.difference == 52 and "1月31日" in f.message
    r.published = "2025-01-31"
    assert "publication.late" not in rules(check(r))
    r = rep("032", text=False)  # 台州市三台县人民政府, 2025-03-29
    assert "publication.late" not in rules(check(r))
    r.published = "2025-04-01"
    assert "3月31日" in only(check(r), "publication.late").message


def test_government_or_department_by_name():
    r = rep("028", text=False)
    for name, gov in [("淮安市人民政府", True), ("辽宁省鞍山市澧县人民政府办公室", True),
                      ("淮安市人民政府国有资产监督管理委员会", False),
                      ("台州市朝阳区体育局", False)]:
        r.agency = name
        assert is_government(r) is gov, name
    r.agency, r.text = None, "淮安市人民政府\n2024 年政府信息公开工作年度报告\n本报告由…"
    assert is_government(r)


def test_deadlines_configurable(tmp_path):
    r = rep("028", text=False)  # 台州市朝阳区体育局, 2023 report, published 2024-01-14
    local = Deadlines(local=(LocalDeadline(match="台州", department="01-10"),))
    assert "publication.late" in rules(check(r, deadlines=local))
    other = Deadlines(local=(LocalDeadline(match="怀化", department="01-10"),))
    assert "publication.late" not in rules(check(r, deadlines=other))
    toml = tmp_path / "deadlines.toml"
    toml.write_text('department = "01-31"\n[[local]]\nmatch = "朝阳区"\ndepartment = "01-12"\n',
                    encoding="utf-8")
    assert Deadlines.load(toml).due(2023, False, "台州市朝阳区体育局").isoformat() == "2024-01-12"
    js = tmp_path / "deadlines.json"
    js.write_text(json.dumps({"government": "02-28"}), encoding="utf-8")
    assert Deadlines.load(js).due(2023, True).isoformat() == "2024-02-28"
    assert "含本地规定" in only(check(r, deadlines=local), "publication.late").message


def test_publication_date_missing_and_implausible():
    r = rep("020", text=False)
    f = only(check(r), "publication.date_missing")
    assert f.severity == "warning" and f.field == "published"
    r.published = "2022-12-20"  # a 2022 report before the year ended
    assert only(check(r), "publication.date_implausible").severity == "warning"
    r.published = "2023-01-20"
    assert not {"publication.date_missing", "publication.date_implausible"} & set(rules(check(r)))


def test_year_missing_and_inconsistent():
    r = rep("006")
    assert not {"year.missing", "year.inconsistent"} & set(rules(check(r)))
    r.title = r.title.replace("2024", "2023")
    f = only(check(r), "year.inconsistent")
    assert "标题写的是2023年" in f.message and f.severity == "warning"
    r = rep("006")
    r.text = r.text.replace("2024年1月1日至2024年12月31日", "2023年1月1日至2023年12月31日")
    assert "统计期限" in only(check(r), "year.inconsistent").message
    r.year = None
    f = only(check(r), "year.missing")
    assert f.severity == "error" and f.check == "C01"


def test_preamble_incomplete():
    r = rep("006")
    assert "preamble.incomplete" not in rules(check(r))
    r.text = r.text.replace("报告所列数据的统计期限为2024年1月1日至2024年12月31日。", "")
    f = only(check(r), "preamble.incomplete")
    assert "统计期限" in f.message and f.severity == "warning"


# --- labels ---------------------------------------------------------------------------


def test_heading_deviates():
    r = rep("006")
    assert "label.deviates" not in rules(check(r))
    r.text = r.text.replace("五、存在的主要问题及改进情况",
                            "五、政府信息公开工作存在的主要问题及改进情况")
    f = only(check(r), "label.deviates")
    assert f.section == "s5" and f.check == "C04" and "政府信息公开工作存在" in f.quote


def test_table_label_typo_found_but_wrapped_labels_accepted():
    r = rep("006")
    r.text = r.text.replace("2.其他法律行政法规禁止公开", "2.其他法律行政止公开")
    f = only(check(r), "label.deviates")
    assert f.table == "t3" and "t3.r3_3_2.total" in f.cells
    # a label wrapped over lines, or split by a row of numbers, is still the label
    assert present("部分公开区分处理的只计这一情形不计其他情形",
                   "二部分公开区分处理的只计这一情形不计其他情形")
    assert present("本年新制作数量", "本年新本年新信息内容对外公开总数量制作数量公开数量")
    assert not present("其他法律行政法规禁止公开", "其他法律行政止公开本年危及三安全一稳定度")
    # 法规 for 行政法规 is an accepted variant
    r = rep("017")
    assert "label.deviates" not in rules(check(r))


def test_section_order():
    r = rep("006")
    a, b = "五、存在的主要问题及改进情况", "六、其他需要报告的事项"
    i, j = r.text.index(a), r.text.index(b)
    r.text = r.text[:i] + r.text[j:] + "\n" + r.text[i:j]
    assert only(check(r), "section.order").severity == "warning"


# --- prose against tables -------------------------------------------------------------


def prose(r: Report, s1: str) -> Report:
    r.text = s1
    r.section_text = {"s1": s1}
    return r


@pytest.mark.parametrize("sentence,cells,severity", [
    ("全年无依申请公开申请。", ["t3.new.total"], "error"),
    ("全年未收到政府信息公开申请。", ["t3.new.total"], "error"),
    ("全年新收政府信息公开申请350件,均在法定期限内予以答复。", ["t3.new.total"], "error"),
    ("全年共收到政府信息公开申请 350 件。", ["t3.new.total"], "error"),
    ("全年新收政府信息公开申请357件,上年结转27件。", ["t3.carried_in.total"], "error"),
    ("全年新收政府信息公开申请357件,其中予以公开160件。", ["t3.r3_1.total"], "error"),
    ("结转下年度继续办理13件。", ["t3.carried_out.total"], "error"),
    ("全年因政府信息公开被申请行政复议2件。", ["t4.review.total"], "error"),
    ("全年未发生政府信息公开行政复议,被提起行政诉讼2件。",
     ["t4.direct.total", "t4.after_review.total"], "error"),
    ("全年未发生因政府信息公开引起的行政复议、行政诉讼。",
     ["t4.direct.total", "t4.after_review.total"], "error"),
    ("本局办理行政诉讼案件5件。", ["t4.direct.total", "t4.after_review.total"], "warning"),
    ("作为复议机关,全年办理政府信息公开行政复议案件12件。", ["t4.review.total"], "warning"),
    ("全县共收到政府信息公开申请500件。", ["t3.new.total"], "warning"),
    ("2023年,本机关共受理政府信息公开申请17件。", ["t3.new.total"], "warning"),
    ("全年制发行政规范性文件5件。", ["t2.normative.issued"], "warning"),
])
def test_text_contradicts_table(sentence, cells, severity):
    r = prose(rep("028", text=False), sentence)  # 新收 357, 结转 28, 予以公开 166, 诉讼 3
    f = only(check(r), "text.contradicts_table")
    assert f.cells == cells and f.severity == severity and f.section == "s1"
    assert f.quote and f.quote in sentence.replace(" ", "") and f.quote in f.message
    if "受理" in sentence:
        assert f.status == "uncertain" and "口径" in f.message


@pytest.mark.parametrize("sentence", [
    "全年新收政府信息公开申请357件,上年结转28件,其中予以公开166件,均在法定期限内予以答复。",
    "全年共收到政府信息公开申请385件(含上年结转28件)。",  # 新收 + 结转
    "全年共收到政府信息公开申请三百五十七件。",
    "本机关共受理政府信息公开申请357件。",
    "全年未发生政府信息公开行政复议,被提起行政诉讼3件。",
    "行政诉讼未经复议直接起诉0件,复议后起诉3件。",
    "答复3050件(另有103件顺延到下年度答复),均在法定期限内。",
    "无一例被行政复议纠错。",
    "有效降低行政复议、行政诉讼发生率和纠错率。",
    "全年主动公开政府信息1468条,新增公开市政府规章0件。",
    "我局2023年度未收取信息处理费。",  # 信息处理费 is not table 二's 行政事业性收费
])
def test_text_agrees_with_table(sentence):
    r = prose(rep("028", text=False), sentence)
    assert "text.contradicts_table" not in rules(check(r)), sentence


def test_text_claim_skipped_when_table_cell_blank_or_table_missing():
    r = prose(rep("017", text=False), "全年因政府信息公开被申请行政复议2件。")  # no table 四
    assert "text.contradicts_table" not in rules(check(r))
    r = prose(rep("028", text=False), "全年新收政府信息公开申请350件。")
    setv(r, "t3.new.total", None)
    assert "text.contradicts_table" not in rules(check(r))


def test_text_zero_table_with_applications_is_c30():
    r = prose(rep("006", text=False), "全年共收到政府信息公开申请4件。")
    f = only(check(r), "text.contradicts_table")
    assert f.check == "C30" and f.severity == "error"
    assert f.left == {"正文": 4} and f.right == {"t3.new.total": 0} and f.difference == 4


def test_chinese_numbers():
    assert [zh_number(s) for s in ("12", "十二", "两", "一百零五", "二十", "三千零一")] == [
        12, 12, 2, 105, 20, 3001]
    assert zh_number("若干") is None


# --- sections 一, 五, 六 -------------------------------------------------------------------


def sections(r: Report, **texts: str) -> Report:
    r.section_text.update(texts)
    return r


def test_section1_content():
    r = rep("006")
    assert "section1.content" not in rules(check(r))
    sections(r, s1="2024年,我局全年主动公开政府信息611条。")
    f = only(check(r), "section1.content")
    assert "依申请公开" in f.message and "监督保障" in f.message and f.check == "C25"


def test_government_assessment_and_rectification():
    r = rep("006")
    r.agency = "柳州市涪城区人民政府"
    found = check(r)
    assert only(found, "content.assessment_missing").check == "C24"
    assert "整改" in only(found, "section5.content").message
    sections(r, s5=r.section_text["s5"] + "上一年度报告中提出的问题已全部整改到位。",
             s1=r.section_text["s1"] + "将政务公开纳入年度绩效考核。")
    found = check(r)
    assert "content.assessment_missing" not in rules(found)
    assert "section5.content" not in rules(found)


def test_section5_content():
    r = rep("006")
    assert "section5.content" not in rules(check(r))
    sections(r, s5="无。")
    f = only(check(r), "section5.content")
    assert "存在的主要问题" in f.message and "改进措施" in f.message and f.section == "s5"


def test_section6_empty_and_fee_statement():
    r = rep("006")
    assert not {"section6.empty", "section6.fee_statement"} & set(rules(check(r)))
    sections(r, s6="无。")
    f = only(check(r), "section6.empty")
    assert f.check == "C27" and "section6.fee_statement" not in rules(check(r))
    sections(r, s6="本年度我局积极办理人大代表建议和政协委员提案,均已按时办结并公开办理结果。")
    assert only(check(r), "section6.fee_statement").check == "C22"
    # the 2019 format has no such requirement
    r19 = rep("011")
    r19.section_text = {"s6": "无。"}
    assert not {"section6.empty", "section6.fee_statement"} & set(rules(check(r19)))


def test_fee_notice_inconsistent():
    r = rep("006")
    setv(r, "t3.r3_6_2.natural", 1)
    for k in ("t3.r3_6_2.total", "t3.r3_7.natural", "t3.r3_7.total", "t3.new.natural",
              "t3.new.total"):
        setv(r, k, 1)
    r.section_text["s1"] = r.section_text["s1"].replace("全年未收到政府信息公开申请。", "")
    found = check(r)
    assert rules(found, "error") == []
    f = only(found, "fee.notice_inconsistent")
    assert f.severity == "warning" and "未收取信息处理费" in f.quote


def test_processing_fee_never_compared_with_table_two_fee():
    r = rep("006")  # table 二 行政事业性收费 25.7226 万元, 六: 未收取信息处理费
    assert r.cells["t2.fees.amount"].value > 0 and "未收取信息处理费" in r.section_text["s6"]
    assert [f for f in check(r) if "t2.fees.amount" in f.cells] == []


# --- across years ---------------------------------------------------------------------


def two_years():
    prev = rep("028")  # 2023
    cur = rep("028")
    cur.year, cur.published = 2024, "2025-01-14"
    cur.title = cur.title.replace("2023", "2024")
    cur.text = cur.section_text = ""
    cur.section_text = {}
    return prev, cur


def test_carry_over():
    prev, cur = two_years()
    setv(cur, "t3.carried_in.total", 14)  # = last year's 结转下年度 总计
    setv(cur, "t3.carried_in.natural", 10)
    setv(cur, "t3.carried_in.other", 1)
    setv(cur, "t3.carried_in.commercial", 3)
    found = [f for f in check(cur, prev) if f.rule == "crossyear.carry_over"]
    assert found == []
    setv(cur, "t3.carried_in.total", 15)
    f = only(check(cur, prev), "crossyear.carry_over")
    assert f.cells == ["t3.carried_in.total"] and f.severity == "warning"
    assert f.right == {"2023:t3.carried_out.total": 14}
    prev.year = 2021  # not the year before: no carry-over check
    assert "crossyear.carry_over" not in rules(check(cur, prev))


def test_in_force_roll_forward():
    prev, cur = two_years()  # 行政规范性文件: 3 in force, 3 issued, 1 repealed
    setv(cur, "t2.normative.in_force", 5)
    setv(cur, "t2.normative.issued", 2)
    setv(cur, "t2.normative.repealed", 0)
    assert "crossyear.in_force" not in rules(check(cur, prev))
    setv(cur, "t2.normative.in_force", 6)
    f = only(check(cur, prev), "crossyear.in_force")
    assert "行政规范性文件" in f.message and f.difference == 1 and f.check == "C18"


def test_identical_tables_and_copied_text():
    prev, cur = two_years()
    found = check(cur, prev)
    assert {f.table for f in found if f.rule == "crossyear.identical_tables"} == {
        "t2", "t3", "t4"}
    prev6, cur6 = rep("006"), rep("006")
    cur6.year = 2025
    # all-zero tables are not a copy; identical prose is
    found = check(cur6, prev6)
    assert {f.table for f in found if f.rule == "crossyear.identical_tables"} == {"t2"}
    copied = {f.section for f in found if f.rule == "crossyear.copied_text"}
    assert copied == {"s1", "s5"}  # 六 is one standard sentence: too short to judge
    cur6.section_text["s5"] = (
        "今年我们重点解决了网站栏目更新不及时的问题,明年将围绕政策解读开展专项培训。" * 3)
    assert "s5" not in {f.section for f in check(cur6, prev6) if f.rule.endswith("copied_text")}
    assert similarity("2023年,我局全年公开信息611条。", "2024年,我局全年公开信息702条。") == 1.0


# --- fingerprints and speed -----------------------------------------------------------


def test_fingerprint_survives_a_correction():
    r = rep("028", text=False)
    setv(r, "t3.new.total", 358)
    before = {f.rule: f.fingerprint for f in check(r)}
    setv(r, "t3.new.total", 359)
    after = {f.rule: f.fingerprint for f in check(r)}
    assert before == after and len(before) == 2
    setv(r, "t3.new.total", 357)
    assert check(r) == [] or rules(check(r), "error") == []


def test_split_sections_helper():
    text = (DEV / "006_a2d54df1.txt").read_text(encoding="utf-8")
    assert set(split_sections(text)) == {"s1", "s2", "s3", "s4", "s5", "s6"}
