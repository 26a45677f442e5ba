"""Layouts of real published reports that generated ones lacked, built here and read cell for cell.

Every page is written by :mod:`realpages` from a set of values whose sums hold, printed
with one habit of real pages (zeros left blank, Word-saved table 四, split heads, label
slips, a 管委会 report dated only in its page head). Each test asserts every cell, and
the findings the habit must (and must not) give.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from realpages import Page, consistent_cells

from core.checker import check
from core.extract import extract_file
from core.model import Report

T3 = {"new": [30, 2, 0, 0, 1, 0], "carried_in": [1, 0, 0, 0, 0, 0],
      "r3_1": [10, 1, 0, 0, 0, 0], "r3_2": [5, 0, 0, 0, 1, 0], "r3_3_5": [2, 0, 0, 0, 0, 0],
      "r3_4_1": [6, 1, 0, 0, 0, 0], "r3_5_2": [3, 0, 0, 0, 0, 0]}
T4 = [1, 0, 0, 1, 0, 0, 0, 0, 2, 1, 0, 0]
T2_2021 = {"t2.rules.issued": 1, "t2.normative.issued": 4, "t2.normative.repealed": 2,
           "t2.normative.in_force": 37, "t2.license.decisions": 1210, "t2.penalty.decisions": 52,
           "t2.fees.amount": 41662416.19}  # printed 4166.241619 in the 万元 column
T2_2019 = {"t2.rules.made": 2, "t2.rules.published": 2, "t2.rules.total": 9,
           "t2.normative.made": 3, "t2.normative.published": 3, "t2.normative.total": 40,
           "t2.license.prev": 120, "t2.license.change": -3, "t2.license.decisions": 845,
           "t2.penalty.prev": 12, "t2.penalty.decisions": 30, "t2.fees.prev": 4,
           "t2.procurement.count": 6, "t2.procurement.amount": 251000.0}


def cells(fmt: str) -> dict[str, object]:
    return consistent_cells(fmt, T3, T4, T2_2021 if fmt == "2021" else T2_2019)


def read(tmp_path: Path, page: Page, name: str = "report.html") -> Report:
    path = tmp_path / name
    path.write_text(page.html(), encoding="utf-8")
    return extract_file(path)


def wrong_cells(report: Report, page: Page) -> dict[str, tuple[object, object]]:
    got = report.values()
    return {k: (v, got.get(k)) for k, v in page.expected().items()
            if not (got.get(k) == v or (isinstance(v, float) and isinstance(got.get(k), float)
                                        and abs(got[k] - v) < 1e-6))}


def errors(findings) -> list[str]:
    return sorted({f.rule for f in findings if f.severity == "error" and f.status == "fail"})


# ---------------------------------------------------------------- blanks


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_zeros_left_blank_are_blank_cells_and_count_as_zero(tmp_path: Path, fmt: str) -> None:
    page = Page(fmt, cells(fmt), year=2019 if fmt == "2019" else 2024, blank_zeros=True)
    report = read(tmp_path, page)
    assert not wrong_cells(report, page)
    found = check(report)
    blank = [f for f in found if f.rule == "cell.blank"]
    assert sorted(f.table for f in blank) == ["t2", "t3", "t4"]  # one per table
    for f in blank:
        assert set(f.cells) == {k for k, v in page.expected().items()
                                if v is None and k.startswith(f.table + ".")}
    # the sums hold with blanks as 0: nothing failed, nothing "cannot be verified"
    assert not [f for f in found if f.rule.startswith(("t3.", "t4."))]
    assert errors(found) == ["cell.blank"]


def test_blank_total_column_under_filled_outcome_rows_is_a_sum_error(tmp_path: Path) -> None:
    page = Page("2019", cells("2019"), year=2019, blank_total_column=True)
    report = read(tmp_path, page)
    assert not wrong_cells(report, page)
    found = check(report)
    row_sums = [f for f in found if f.rule == "t3.row_sum"]
    filled = [r for r in T3 if r.startswith("r3_")]
    assert sorted(f.cells[-1] for f in row_sums) == sorted(f"t3.{r}.total" for r in filled)
    assert all(f.status == "fail" and f.severity == "error" for f in row_sums)
    outcome = [f for f in found if f.rule == "t3.outcome_sum"]
    assert [f.cells[-1] for f in outcome] == ["t3.r3_7.total"]
    assert errors(found) == ["cell.blank", "t3.outcome_sum", "t3.row_sum"]


def test_table_four_printed_empty_is_not_missing(tmp_path: Path) -> None:
    page = Page("2021", cells("2021"), t4_empty=True)
    report = read(tmp_path, page)
    assert not wrong_cells(report, page)
    assert report.tables_found["t4"]
    found = check(report)
    assert "table.missing" not in {f.rule for f in found}
    f = next(f for f in found if f.rule == "cell.blank" and f.table == "t4")
    assert len(f.cells) == 15 and f.severity == "error" and "全部" in f.message


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_word_saved_table_four_keeps_bare_blank_cells_in_place(tmp_path: Path, fmt: str) -> None:
    page = Page(fmt, cells(fmt), year=2019 if fmt == "2019" else 2024, t4_word=True,
                blank_zeros=True)
    html = page.html()
    assert "<td></td>" in html and "<td>&nbsp;</td>" in html and "<br/>" in html
    report = read(tmp_path, page)
    assert not wrong_cells(report, page)
    assert [report.cells[f"t4.after_review.{c}"].value for c in
            ("upheld", "corrected", "other", "pending", "total")] == [2, 1, None, None, 3]


# ---------------------------------------------------------------- head grid ≠ row grid


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_split_head_of_table_three_maps_values_by_their_order(tmp_path: Path, fmt: str) -> None:
    page = Page(fmt, cells(fmt), year=2019 if fmt == "2019" else 2024, t3_split_head=True)
    report = read(tmp_path, page)
    assert not wrong_cells(report, page)
    cell = report.cells["t3.new.commercial"]
    assert cell.value == 2 and cell.confidence < 1 and "网格不一致" in cell.note
    assert cell.to_json()["note"] == cell.note
    assert not errors(check(report))


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_word_table_two_whose_head_merges_other_columns(tmp_path: Path, fmt: str) -> None:
    page = Page(fmt, cells(fmt), year=2019 if fmt == "2019" else 2024, t2_shifted=True)
    report = read(tmp_path, page)
    assert not wrong_cells(report, page)
    last = "t2.rules.total" if fmt == "2019" else "t2.rules.in_force"
    assert "网格不一致" in report.cells[last].note
    if fmt == "2019":
        assert report.cells["t2.procurement.amount"].value == 251000.0
        assert report.cells["t2.license.change"].value == -3
    else:
        assert report.cells["t2.fees.amount"].value == pytest.approx(41662416.19)


# ---------------------------------------------------------------- label slips

TYPOS = {"r3_3_5": "5.属于三类内容事务信息", "r3_3_2": "2.其他法律行政止公开",
         "r3_4_3": "3.补正后申请内容仍不名确"}


@pytest.mark.parametrize("kind", ["html", "pdf"])
def test_rows_with_label_slips_are_read_and_warned(tmp_path: Path, kind: str) -> None:
    page = Page("2021", cells("2021"), typos=TYPOS)
    if kind == "pdf":
        from pdfgen import make_pdf
        report = extract_file(make_pdf(page.html(), tmp_path / "report.pdf"))
    else:
        report = read(tmp_path, page)
    assert not wrong_cells(report, page)
    assert report.cells["t3.r3_3_5.natural"].value == 2
    found = check(report)
    assert "table.incomplete" not in {f.rule for f in found}
    deviates = " ".join(f.message for f in found if f.rule == "label.deviates")
    assert "属于三类内部事务信息" in deviates and "补正后申请内容仍不明确" in deviates
    assert not errors(found)


def test_other_row_three_after_a_wrapped_label_end(tmp_path: Path) -> None:
    # The end of 2.申请人逾期未按收费通知…申请 printed in 3.其他's cell.
    values = consistent_cells("2021", {**T3, "r3_6_3": [1, 0, 0, 0, 0, 0]}, T4, T2_2021)
    page = Page("2021", values, typos={"r3_6_3": "申请3.其他"})
    report = read(tmp_path, page)
    assert not wrong_cells(report, page)
    assert report.cells["t3.r3_6_3.natural"].value == 1
    assert "t3.r3_6_3" not in " ".join(report.notes)


# ---------------------------------------------------------------- level and date


def test_management_committee_report_dated_only_in_its_page_head(tmp_path: Path) -> None:
    # Published 10 March by a 管委会 for its whole area: on time for a government's own report.
    page = Page("2021", cells("2021"), info_line="发布时间：2025-03-10 09:30　来源：管委会办公室",
                meta_pubdate="2025-03-10 08:58", link_date="20250313")
    report = read(tmp_path, page)
    assert not wrong_cells(report, page)
    assert (report.level, report.published) == ("政府本级", "2025-03-10")
    assert "管理委员会" in report.level_basis and report.published_source == "网页元数据（PubDate）"
    found = check(report)
    assert not [f for f in found if f.rule.startswith("publication.")]
    assert not errors(found)
    from core.contract import to_contract
    doc = to_contract(report)["report"]
    assert doc["level"] == "政府本级" and doc["published"] == "2025-03-10"
    assert doc["level_basis"] == report.level_basis and doc["published_source"]


@pytest.mark.parametrize(("line", "want"), [
    ("发布时间：2025-03-10 09:30", "2025-03-10"),
    ("时间：2025年03月10日　字号：大 中 小", "2025-03-10"),
    ("成文日期：2025-03-13　发布日期：2025-03-10", "2025-03-10"),
])
def test_page_publication_line_wins_over_link_dates(tmp_path: Path, line: str, want: str) -> None:
    page = Page("2021", cells("2021"), info_line=line, link_date="20250313",
                closing_date="2025年3月13日")
    report = read(tmp_path, page)
    assert (report.published, report.published_source) == (want, "网页发布时间行")


@pytest.mark.parametrize(("agency", "compiler", "level"), [
    ("某某经济开发区管理委员会", "本报告由某某经济开发区管理委员会办公室编制", "政府本级"),
    ("某某生态实验区", "本报告由实验区管委会办公室编制", "政府本级"),
    ("某某新区管委会", "本报告由新区管委会办公室编制", "政府本级"),
    ("某某县人民政府", "本报告由县政府办公室编制", "政府本级"),
    ("某某经济开发区管理委员会财政局", "本报告由财政局编制", "部门"),
    ("某某市人民政府国有资产监督管理委员会", "本报告由市国资委办公室编制", "部门"),
    ("某某市教育局", "本报告由市教育局办公室编制", "部门"),
])
def test_level_of_the_body_and_its_deadline(tmp_path: Path, agency: str, compiler: str,
                                             level: str) -> None:
    page = Page("2021", cells("2021"), agency=agency, compiler=compiler,
                info_line="发布时间：2025-03-10 09:30")
    report = read(tmp_path, page)
    assert report.level == level, report.level_basis
    late = [f for f in check(report) if f.rule == "publication.late"]
    assert bool(late) == (level == "部门")
    # An override (an inspector, or the agency register) is applied by setting the level.
    report.level = "部门" if level == "政府本级" else "政府本级"
    late = [f for f in check(report) if f.rule == "publication.late"]
    assert bool(late) == (level == "政府本级")


def test_reading_notes_survive_the_review_database(tmp_path: Path) -> None:
    from core.contract import to_contract
    from core.store import open_store

    page = Page("2021", cells("2021"), t3_split_head=True,
                info_line="发布时间：2025-03-10 09:30")
    path = tmp_path / "report.html"
    path.write_text(page.html(), encoding="utf-8")
    report = extract_file(path)
    with open_store(tmp_path / "review.sqlite") as store:
        rid = store.add_report(report, path.read_bytes(), path).report_id
        back = store.effective_report(rid, with_findings=False)
    assert to_contract(back) == to_contract(report)
    assert back.cells["t3.new.natural"].note == report.cells["t3.new.natural"].note != ""
    assert (back.level_basis, back.published_source) == (report.level_basis, "网页发布时间行")


# ---------------------------------------------------------------- prose figures


@pytest.mark.parametrize(("sentence", "contradicts"), [
    ("予以公开及部分公开15件", False),  # the 自然人 column only (10 + 5)
    ("予以公开及部分公开17件", False),  # the 总计 column
    ("予以公开10件", False),  # (一)予以公开, 自然人
    ("其中自然人申请30件，法人或其他组织申请3件", False),
    ("予以公开及部分公开40件", True),  # no total, column or sum of the table
    ("予以公开25件", True),
])
def test_prose_figures_covering_part_of_a_row(tmp_path: Path, sentence: str,
                                              contradicts: bool) -> None:
    page = Page("2021", cells("2021"), info_line="发布时间：2025-03-10 09:30",
                overview=f"2024年，本区共收到政府信息公开申请33件，{sentence}。")
    report = read(tmp_path, page)
    found = [f for f in check(report) if f.rule == "text.contradicts_table"]
    assert bool(found) == contradicts, [f.message for f in found]
    if contradicts:
        assert found[0].severity == "error" and sentence[:4] in found[0].quote


# ---------------------------------------------------------------- amounts


@pytest.mark.parametrize(("fmt", "key", "printed", "yuan"), [
    ("2021", "t2.fees.amount", "4166.241619", 41662416.19),  # odd precision, 万元 column
    ("2021", "t2.fees.amount", "2.02万元", 20200.0),  # the unit inside the cell
    ("2021", "t2.fees.amount", "251000元", 251000.0),
    ("2019", "t2.procurement.amount", "251000元", 251000.0),
    ("2019", "t2.procurement.amount", "17.27万元", 172700.0),
])
def test_amounts_are_read_exactly_and_only_the_implausible_warned(
        tmp_path: Path, fmt: str, key: str, printed: str, yuan: float) -> None:
    values = cells(fmt)
    values[key] = yuan
    page = Page(fmt, values, year=2019 if fmt == "2019" else 2024, raw={key: printed},
                info_line="发布时间：2025-03-10 09:30" if fmt == "2021" else
                "发布时间：2020-03-10 09:30")
    report = read(tmp_path, page)
    assert not wrong_cells(report, page)
    assert report.cells[key].value == pytest.approx(yuan, abs=1e-6)
    found = check(report)
    assert not [f for f in found if key in f.cells], [f.message for f in found]


def test_an_amount_in_yuan_written_in_the_wan_column_is_warned(tmp_path: Path) -> None:
    values = cells("2021")
    values["t2.fees.amount"] = 2_510_000_000.0
    page = Page("2021", values, agency="某某市教育局", raw={"t2.fees.amount": "251000"},
                info_line="发布时间：2025-01-10 09:30")
    report = read(tmp_path, page)
    assert report.cells["t2.fees.amount"].value == 2_510_000_000.0
    assert [f.rule for f in check(report) if "t2.fees.amount" in f.cells] == [
        "t2.fee_implausible"]


# ---------------------------------------------------------------- PDFs: the second reader


def _pdf(tmp_path: Path, page: Page, name: str = "report.pdf") -> Path:
    from pdfgen import make_pdf
    return make_pdf(page.html(), tmp_path / name)


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_pdf_with_blank_cells_is_settled_by_the_second_reader(tmp_path: Path, fmt: str) -> None:
    # Zeros left blank and table 四 saved by Word: no row of figures is complete, so the
    # first reader cannot place them by position; the ruled grid can.
    year = 2019 if fmt == "2019" else 2024
    page = Page(fmt, cells(fmt), year=year, t4_word=True, blank_zeros=True,
                info_line=f"发布时间：{year + 1}-03-10 09:30")
    report = extract_file(_pdf(tmp_path, page))
    assert not wrong_cells(report, page)
    assert {report.cells[k].reader for k in report.cells if k.startswith("t4.")} == {"second"}
    assert report.cells["t4.after_review.upheld"].value == 2
    assert any(n.startswith("second reader: t4 replaced") for n in report.notes)
    found = check(report)
    assert errors(found) == ["cell.blank"]
    assert not [f for f in found if f.rule.startswith(("t3.", "t4.", "cell.low"))]


def test_second_reader_confirms_a_true_defect_and_is_not_consulted_when_clean(
        tmp_path: Path) -> None:
    clean = extract_file(_pdf(tmp_path, Page("2021", cells("2021")), "clean.pdf"))
    assert not [n for n in clean.notes if n.startswith("second reader")]
    assert {c.reader for c in clean.cells.values()} == {""}
    # 行政复议 总计 printed 5 over parts summing to 2: both readers read 5.
    page = Page("2021", cells("2021"), raw={"t4.review.total": "5"})
    report = extract_file(_pdf(tmp_path, page, "defect.pdf"))
    assert report.cells["t4.review.total"].value == 5
    assert any(n.startswith("second reader: t4 confirmed") for n in report.notes)
    assert report.cells["t4.review.total"].reader == "first"
    assert [f.rule for f in check(report) if f.severity == "error"] == ["t4.row_sum"]


def test_readers_that_disagree_mark_the_cell_with_both_readings(tmp_path: Path) -> None:
    # A true defect (行政复议 总计 5 over 2), and a first reading that confidently reads
    # 结果纠正 as 2 (as a misplaced figure would be): neither reading satisfies the sums,
    # so the cell they read differently goes to the inspector with both readings.
    from core.extract import second_reader
    from core.readers import read_document

    page = Page("2021", cells("2021"), raw={"t4.review.total": "5"})
    path = _pdf(tmp_path, page)
    doc = read_document(path)
    report = extract_file(path)
    assert report.cells["t4.review.total"].reader == "first"  # confirmed: a true defect
    first = report.cells["t4.review.corrected"]
    first.value, first.raw, first.reader = 2, "2", ""
    report.notes = [n for n in report.notes if not n.startswith("second reader")]
    outcomes = second_reader.consult(path, doc, report)
    assert [(o.table, o.action, o.disputed) for o in outcomes] == [("t4", "disputed", 1)]
    disputed = {k: c for k, c in report.cells.items() if c.readings}
    assert list(disputed) == ["t4.review.corrected"]
    cell = disputed["t4.review.corrected"]
    assert cell.readings == {"first": "2", "second": "0"} and cell.confidence <= 0.5
    assert "两种读法不一致" in cell.note and cell.to_json()["readings"] == cell.readings
    warn = [f for f in check(report) if f.rule == "cell.low_confidence"]
    assert len(warn) == 1 and warn[0].cells == ["t4.review.corrected"]


def test_json_output_names_the_reader_of_each_cell(tmp_path: Path) -> None:
    import io
    import json

    from cli import main

    page = Page("2021", cells("2021"), t4_word=True, blank_zeros=True)
    path = _pdf(tmp_path, page)
    out = io.StringIO()
    assert main(["extract", str(path), "--format", "json"], out=out, err=io.StringIO()) == 0
    data = json.loads(out.getvalue())
    doc = data[0] if isinstance(data, list) else data
    details = doc["cell_details"]
    assert {details[k]["reader"] for k in details if k.startswith("t4.")} == {"second"}
    assert doc["cells"]["t4.after_review.upheld"] == 2


def test_show_prints_the_reader_and_both_readings(tmp_path: Path) -> None:
    import io

    from cli import main
    from core.extract import second_reader
    from core.readers import read_document
    from core.store import open_store

    page = Page("2021", cells("2021"), t4_word=True, blank_zeros=True,
                raw={"t4.review.total": "5"})
    path = _pdf(tmp_path, page)
    report = extract_file(path)  # table 四 read again: the second reading is used
    assert report.cells["t4.review.upheld"].reader == "second"
    # And a disputed cell, as in the test above.
    report = extract_file(_pdf(tmp_path, Page("2021", cells("2021"),
                                             raw={"t4.review.total": "5"}), "d.pdf"))
    first = report.cells["t4.review.corrected"]
    first.value, first.raw, first.reader = 2, "2", ""
    second_reader.consult(tmp_path / "d.pdf", read_document(tmp_path / "d.pdf"), report)
    with open_store(tmp_path / "review.sqlite") as store:
        rid = store.add_report(report, (tmp_path / "d.pdf").read_bytes(),
                               tmp_path / "d.pdf").report_id
    out = io.StringIO()
    db = str(tmp_path / "review.sqlite")
    assert main(["show", str(rid), "--keys", "--db", db], out=out, err=io.StringIO()) == 0
    line = next(ln for ln in out.getvalue().splitlines() if "t4.review.corrected" in ln)
    assert "两种读法：第一「2」，第二「0」" in line and "第一读法" in line


def test_full_width_digits_wrapped_in_narrow_cells_are_joined(tmp_path: Path) -> None:
    # "２６５" in a narrow cell prints one digit per line (２ / ６ / ５): the first reader
    # sees three rows of figures; the ruled grid holds them in one cell, joined.
    t3 = {"new": [265, 26, 0, 0, 1, 0], "carried_in": [1, 0, 0, 0, 0, 0],
          "r3_1": [150, 15, 0, 0, 0, 0], "r3_2": [100, 5, 0, 0, 1, 0],
          "r3_4_1": [6, 1, 0, 0, 0, 0]}
    values = consistent_cells("2021", t3, T4, T2_2021)
    full = str.maketrans("0123456789", "０１２３４５６７８９")
    raw = {k: str(v).translate(full) for k, v in values.items()
           if k.startswith("t3.") and isinstance(v, int)}
    page = Page("2021", values, raw=raw)
    html = page.html().replace('<table border="1">', '<table border="1" width="60%">')
    from pdfgen import make_pdf
    report = extract_file(make_pdf(html, tmp_path / "narrow.pdf", point_size=12))
    assert not wrong_cells(report, page)
    assert report.cells["t3.new.natural"].value == 265
    assert report.cells["t3.new.natural"].reader == "second"


def test_a_file_the_second_reader_cannot_open_keeps_the_first_reading(tmp_path: Path) -> None:
    from core.extract import extract, second_reader
    from core.readers import read_document

    path = _pdf(tmp_path, Page("2021", cells("2021"), raw={"t4.review.total": "5"}))
    doc = read_document(path)
    report = extract(doc, path.name, "0")
    before = report.values()
    damaged = path.read_bytes().replace(b"/Root", b"/Rxxx")  # PDFium read it; pdfminer won't
    outcomes = second_reader.consult(damaged, doc, report)
    assert [o.action for o in outcomes] == ["unread"]
    assert report.values() == before
    assert any(n.startswith("second reader: could not read the file") for n in report.notes)
