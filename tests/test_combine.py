"""Combined tables: every sum recomputed here from the stored reports, cell by cell."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from office_db import build, copy_of, run
from openpyxl import load_workbook

from core.combine import YUAN_PER_WAN, gather
from core.combine_paper import SHEET_NAMES, TRACE_SHEET, place_label, table_grid
from core.store import open_store
from core.template import all_keys

TOP = 3  # the official table starts on the sheet's third row (title, blank line)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("combine"))


@pytest.fixture
def db(built: Path, tmp_path: Path) -> Path:
    return copy_of(built, tmp_path)


def _expected_sums(db: Path, year: int, fmt: str = "2021") -> tuple[dict[str, float], list[dict]]:
    """The sums straight from the store: each report's effective numbers added up."""
    with open_store(db) as s:
        rows = [r for r in s.list_reports(year=year)]
        values = [s.effective_values(r["id"]) for r in rows]
        merged = [bool(s.get_report(r["id"])["merged_other_row"]) for r in rows]
    sums: dict[str, float] = {}
    for key in all_keys(fmt):
        total = 0.0
        for v, one_row in zip(values, merged, strict=True):
            x = v.get(key)
            if one_row and fmt == "2021" and key.startswith("t3.r3_6_3."):  # (六) on one line
                x = v.get("t3.r3_6." + key.rsplit(".", 1)[1])
            if isinstance(x, int | float) and not isinstance(x, bool):
                total += x
        sums[key] = total / YUAN_PER_WAN if key.endswith(".amount") else total
    return sums, rows


def test_combine_2024_sums_every_cell_and_traces_them(db: Path, tmp_path: Path) -> None:
    out, paper = tmp_path / "汇总.xlsx", tmp_path / "汇总.docx"
    code, said, err = run("combine", "--year", "2024", "--xlsx", str(out), "--docx", str(paper),
                          "--db", str(db))
    assert code == 0, err
    assert "计入 2 份报告" in said and "全部一致" in said
    expected, rows = _expected_sums(db, 2024)
    assert len(rows) == 2
    wb = load_workbook(out)
    assert wb.sheetnames[:3] == ["表二", "表三", "表四"]
    with open_store(db) as s:
        c = gather(s, 2024)
    checked = 0
    for table in ("t2", "t3", "t4"):
        ws = wb[SHEET_NAMES[table]]
        grid = table_grid(c, table)
        for (r, col), key in grid.keys.items():
            got = ws.cell(TOP + r, col + 1).value
            assert got == pytest.approx(expected[key]), (table, key)
            checked += 1
    assert checked == len(expected) == len(c.keys)
    # The per-agency sheet: each row's agencies add up to its 合计, which is the sum.
    trace = wb[TRACE_SHEET]
    head = [x.value for x in trace[1]]
    agencies = head[3:-2]
    assert len(agencies) == 2 and head[-2] == "合计"
    by_place = {}
    for row in trace.iter_rows(min_row=2, values_only=True):
        figures, total = row[3:-2], row[-2]
        assert sum(figures) == pytest.approx(total)
        by_place[tuple(row[:3])] = total
    for key, value in expected.items():
        assert by_place[place_label(key, "2021")] == pytest.approx(value)
    # The official layout's heads are there, and the DOCX holds the same sums.
    t3 = wb["表三"]
    assert t3.cell(TOP, 4).value == "申请人情况" and t3.cell(TOP + 1, 5).value == "法人或其他组织"
    assert wb["表四"].cell(TOP, 6).value == "行政诉讼"
    docx_text = "\n".join(c.text for t in Document(str(paper)).tables for row in t.rows
                          for c in row.cells)
    assert str(int(expected["t3.new.total"])) in docx_text


def test_unresolved_errors_are_listed_and_left_out_by_choice(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "2023.xlsx"
    code, said, err = run("combine", "--year", "2023", "--xlsx", str(out), "--db", str(db))
    assert code == 0, err
    assert "已计入但有未解决的错误" in said
    # The report's own 表四 errors show up again on the sums.
    assert "勾稽关系有 2 处不一致" in said
    about = [r[0] for r in load_workbook(out)["说明"].iter_rows(values_only=True)]
    assert any("有 2 项未解决的错误" in (x or "") for x in about)
    code, _, err = run("combine", "--year", "2023", "--without-errors", "--xlsx", str(out),
                       "--db", str(db))
    assert code == 2 and "没有可汇总的报告" in err
    with open_store(db) as s:
        ids = [r["id"] for r in s.list_reports(year=2024)]
    code, said, err = run("combine", "--year", "2024", str(ids[0]), "--xlsx", str(out),
                          "--db", str(db))
    assert code == 0 and "计入 1 份报告" in said
    code, _, err = run("combine", "--year", "2023", str(ids[0]), "--xlsx", str(out),
                       "--db", str(db))
    assert code == 2 and "不是2023年度的报告" in err


def test_names_that_look_like_formulas_stay_text(db: Path, tmp_path: Path) -> None:
    with open_store(db) as s:
        rid = next(r["id"] for r in s.list_reports(year=2024))
        s.db.conn.execute("UPDATE reports SET agency = '=HYPERLINK(\"x\")' WHERE id = ?", [rid])
        s.db.conn.commit()
    out = tmp_path / "safe.xlsx"
    code, _, err = run("combine", "--year", "2024", "--xlsx", str(out), "--db", str(db))
    assert code == 0, err
    wb = load_workbook(out)
    names = [x.value for x in wb[TRACE_SHEET][1]]
    assert any(str(n).startswith("'=HYPERLINK") for n in names)
    assert all(x.data_type != "f" for ws in wb for row in ws.iter_rows() for x in row)


def test_the_2019_format_is_summed_in_its_own_layout(tmp_path: Path) -> None:
    from datapaths import DEV_CORPUS

    db = tmp_path / "2019.sqlite"
    # Two born-digital 2019-format reports of 2020 (the dev corpus's others are scans).
    files = [DEV_CORPUS / f for f in ("011_6da4f7b7.pdf", "015_de7e86e3.pdf")]
    assert run("import", *map(str, files), "--db", str(db), "--jobs", "1")[0] == 0
    out = tmp_path / "2020.xlsx"
    code, said, err = run("combine", "--year", "2020", "--xlsx", str(out), "--db", str(db))
    assert code == 0, err
    assert "2019年版" in said and "计入 2 份报告" in said
    expected, _ = _expected_sums(db, 2020, "2019")
    assert any(k.startswith("t3.r3_6.") for k in expected)  # (六)其他处理: one row in 2019
    wb = load_workbook(out)
    with open_store(db) as s:
        c = gather(s, 2020)
    for table in ("t2", "t3", "t4"):
        grid = table_grid(c, table)
        for (r, col), key in grid.keys.items():
            assert wb[SHEET_NAMES[table]].cell(TOP + r, col + 1).value == pytest.approx(
                expected[key]), key
        assert len(grid.keys) == len([k for k in expected if k.startswith(table)])
