"""The extractor against the three real published reports in ``tests/data/corpus/real``.

The expected values sit in ``tests/expected/real_reports.json``. They were written by
reading each page image (pypdfium2 renders at scale 2-4) and checking every number
against the text layer; each report's ``_verified`` field says which page holds what and
which layout quirks it has. They are ground truth, not the extractor's output: a failing
test here means the extractor misreads the page, never that the expectation should move.

Where the three reports were checked:

* 淮安市洪泽区 2023 (huaian-hongze-district-gov-2023.pdf, 5 pages): title p1; table 二
  p2-p3; table 三 p3-p4 with (六)其他处理 printed as ONE row (values under t3.r3_6.*);
  table 四 p4 as one line of 15 numbers whose 总计 cells really print 0.
* 淮安市洪泽区 2024 (huaian-hongze-district-gov-2024.pdf, 5 pages): title p1; table 二
  p2-p3; table 三 p3-p4, again one merged (六) row; table 四 p4.
* 淮安市 2024 (huaian-city-gov-2024.pdf, 6 pages): title p1; table 二 p3-p4; table 三
  p4-p5 in the full 2021 layout ((六) sub-rows "1、2、3、", labels over three lines);
  table 四 p5.

Each report also lists its real defects (``defects``); ``test_expected_*`` keeps that list
honest against the expected cells, so a typo in the ground truth cannot hide.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from datapaths import REAL_DIR

from core.extract import extract_file
from core.template import get_format

HERE = Path(__file__).resolve().parent
REAL = REAL_DIR
EXPECTED = json.loads((HERE / "expected" / "real_reports.json").read_text(encoding="utf-8"))
T3_COLUMNS: list[str] = EXPECTED["t3_columns"]
T4_COLUMNS: list[str] = EXPECTED["t4_columns"]
REPORTS: dict[str, dict] = {r["file"].removesuffix(".pdf"): r for r in EXPECTED["reports"]}

T3_OUTCOME_ROWS = ["r3_1", "r3_2", *(f"r3_3_{i}" for i in range(1, 9)),
                   *(f"r3_4_{i}" for i in range(1, 4)), *(f"r3_5_{i}" for i in range(1, 6))]


def expected_cells(rep: dict) -> dict[str, int | float | None]:
    """The report's expected cells as {TABLE.ROW.COLUMN: value}."""
    cells: dict[str, int | float | None] = {f"t2.{k}": v for k, v in rep["t2"].items()}
    for table, columns in (("t3", T3_COLUMNS), ("t4", T4_COLUMNS)):
        for row, values in rep[table].items():
            values = values if values is not None else [None] * len(columns)
            cells.update({f"{table}.{row}.{c}": v for c, v in zip(columns, values, strict=True)})
    return cells


def _same(want: object, got: object) -> bool:
    if want is None:
        return got is None
    if isinstance(got, bool) or not isinstance(got, int | float):
        return False
    return abs(float(got) - float(want)) <= 0.01


_EXTRACTED: dict[str, object] = {}


def extracted(name: str):
    """Extract each PDF once per session."""
    if name not in _EXTRACTED:
        _EXTRACTED[name] = extract_file(REAL / REPORTS[name]["file"])
    return _EXTRACTED[name]


def _describe(report, key: str) -> str:
    cell = report.cells.get(key)
    if cell is None:
        return "no such cell"
    where = f" @ {cell.loc.to_json()}" if cell.loc is not None else ""
    return f"raw={cell.raw!r} kind={cell.kind}{where}"


CASES = [(name, table) for name in REPORTS for table in ("t2", "t3", "t4")]


@pytest.mark.parametrize(("name", "table"), CASES, ids=[f"{n}-{t}" for n, t in CASES])
def test_cells_match_the_page(name: str, table: str) -> None:
    rep = REPORTS[name]
    report = extracted(name)
    got = report.values()
    want = {k: v for k, v in expected_cells(rep).items() if k.startswith(table + ".")}
    wrong = [f"{k}: expected {v!r}, got {got.get(k)!r} ({_describe(report, k)})"
             for k, v in want.items() if not _same(v, got.get(k))]
    # A cell the extractor reports beyond the expected ones (e.g. t3.r3_6.* for a report
    # with the three (六) sub-rows) must be empty.
    wrong += [f"{k}: not expected, got {v!r} ({_describe(report, k)})"
              for k, v in got.items() if k.startswith(table + ".") and k not in want
              and v is not None]
    assert not wrong, f"{name} {table}: {len(wrong)} cells wrong:\n  " + "\n  ".join(wrong)


@pytest.mark.parametrize("name", list(REPORTS))
def test_format_year_and_publication_date(name: str) -> None:
    rep, report = REPORTS[name], extracted(name)
    assert (report.format, report.year, report.published) == (
        rep["format"], rep["year"], rep["published"])


@pytest.mark.parametrize("name", list(REPORTS))
def test_title_and_agency(name: str) -> None:
    rep, report = REPORTS[name], extracted(name)
    assert (report.title, report.agency) == (rep["title"], rep["agency"])


@pytest.mark.parametrize("name", list(REPORTS))
def test_sections(name: str) -> None:
    assert extracted(name).sections == REPORTS[name]["sections"]


@pytest.mark.parametrize("name", list(REPORTS))
def test_merged_other_row_is_recognised(name: str) -> None:
    rep, report = REPORTS[name], extracted(name)
    merged = "r3_6" in rep["t3"]
    assert report.merged_other_row is merged
    assert report.tables_found == {"t2": True, "t3": True, "t4": True}


# --- the ground truth itself -------------------------------------------------------


@pytest.mark.parametrize("name", list(REPORTS))
def test_expected_covers_every_cell_of_the_format(name: str) -> None:
    rep = REPORTS[name]
    keys = set(expected_cells(rep))
    format_keys = set(get_format(rep["format"]).cell_keys())
    assert format_keys <= keys, sorted(format_keys - keys)
    extra = keys - format_keys
    assert extra <= {f"t3.r3_6.{c}" for c in T3_COLUMNS}, sorted(extra)


def _arithmetic_defects(rep: dict) -> set[tuple[str, str]]:
    """(rule, row or column) for every sum of tables 三 and 四 that does not hold."""
    cells = expected_cells(rep)
    outcome_rows = T3_OUTCOME_ROWS + (["r3_6"] if "r3_6" in rep["t3"]
                                      else ["r3_6_1", "r3_6_2", "r3_6_3"])
    found = set()
    for c in T3_COLUMNS:
        v = {row: cells[f"t3.{row}.{c}"] for row in [*outcome_rows, "new", "carried_in",
                                                     "r3_7", "carried_out"]}
        if v["new"] + v["carried_in"] != v["r3_7"] + v["carried_out"]:
            found.add(("t3.balance", c))
        if sum(v[r] for r in outcome_rows) != v["r3_7"]:
            found.add(("t3.outcome_sum", c))
    for row, values in rep["t3"].items():
        if values is not None and sum(values[:6]) != values[6]:
            found.add(("t3.row_sum", row))
    for row, values in rep["t4"].items():
        if sum(values[:4]) != values[4]:
            found.add(("t4.row_sum", row))
    return found


@pytest.mark.parametrize("name", list(REPORTS))
def test_expected_defects_are_exactly_the_broken_sums(name: str) -> None:
    rep = REPORTS[name]
    listed = set()
    for d in rep["defects"]:
        if d["rule"] in ("t3.balance", "t3.outcome_sum", "t3.row_sum", "t4.row_sum"):
            # t3.row_sum / t4.row_sum name a row, the column rules a column.
            part = 1 if d["rule"].endswith("row_sum") else 2
            listed.add((d["rule"], d["cells"][-1].split(".")[part]))
    assert listed == _arithmetic_defects(rep)


def test_expected_cross_year_hongze() -> None:
    """洪泽区 2023 → 2024: carried over and 现行有效 follow from each other."""
    a = expected_cells(REPORTS["huaian-hongze-district-gov-2023"])
    b = expected_cells(REPORTS["huaian-hongze-district-gov-2024"])
    assert a["t3.carried_out.total"] == b["t3.carried_in.total"]
    for row in ("rules", "normative"):
        assert b[f"t2.{row}.in_force"] == (a[f"t2.{row}.in_force"] + b[f"t2.{row}.issued"]
                                           - b[f"t2.{row}.repealed"])
