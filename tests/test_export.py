"""Exports for people: tables in the official layout with Chinese headers, and no formula
ever reaches a spreadsheet (issue 12 item 5, issue 16's CSV by table)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from datapaths import SEEDS_DIR
from openpyxl import load_workbook

from cli import main
from core.store import open_store
from core.template import get_format

CELL_KEY = re.compile(r"t[234]\.[a-z_0-9]+\.|r3_")
HOSTILE_NAME = "=1+2.txt"
HOSTILE_VALUE = '=WEBSERVICE("http://x")'
HOSTILE_REVIEWER = "@SUM(1)"
# 2019 seed that prints its procurement total as "17.27万元" (172700.0 yuan).
SEED_2019 = "000_e5f3c57cfcf76f91.txt"
SEED_2021 = "001_db8b9a3c8d2b1499.txt"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def db(tmp_path: Path) -> tuple[Path, int]:
    """A database with a 2019 seed stored under a name that is a formula, with a note
    and a reviewer's name that are formulas (a correction must be a number now), and a
    2021 seed."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy2(SEEDS_DIR / SEED_2019, folder / HOSTILE_NAME)
    shutil.copy2(SEEDS_DIR / SEED_2021, folder / SEED_2021)
    path = tmp_path / "review.sqlite"
    code, out, err = run("import", str(folder), "--db", str(path))
    assert code == 0, err
    with open_store(path) as store:
        rid = next(r["id"] for r in store.list_reports() if r["file_name"] == HOSTILE_NAME)
    code, _, err = run("status", str(rid), "审查中", "--note", HOSTILE_VALUE,
                       "--reviewer", HOSTILE_REVIEWER, "--db", str(path))
    assert code == 0, err
    return path, rid


def test_xlsx_holds_no_formula_and_chinese_headers(db: tuple[Path, int],
                                                   tmp_path: Path) -> None:
    path, rid = db
    target = tmp_path / "all.xlsx"
    code, _, err = run("export", "--xlsx", str(target), "--db", str(path))
    assert code == 0, err
    wb = load_workbook(target)  # not read-only: data_type tells formulas apart
    assert wb.sheetnames == ["报告", "问题", "表二（2019年格式）", "表三（2019年格式）",
                             "表四（2019年格式）", "表二（2021年格式）", "表三（2021年格式）",
                             "表四（2021年格式）"]
    texts = []
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                texts.append(cell.value)
    assert {HOSTILE_NAME, HOSTILE_VALUE, HOSTILE_REVIEWER} <= set(texts)
    reports = list(wb["报告"].iter_rows(values_only=True))
    assert reports[0][:4] == ("编号", "文件名", "类型", "机关")
    t3 = list(wb["表三（2019年格式）"].iter_rows(values_only=True))
    assert t3[0][4:] == ("项目", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构",
                         "其他", "总计")
    first = next(r for r in t3[1:] if r[0] == rid)
    assert first[3] == HOSTILE_NAME and first[4] == "一、本年新收政府信息公开申请数量"
    # No internal cell key anywhere a person reads (issue 16's pattern).
    assert not any(isinstance(t, str) and CELL_KEY.search(t) for t in texts)


def test_csv_by_table_neutralises_formulas_and_keeps_printed_units(db: tuple[Path, int],
                                                                   tmp_path: Path) -> None:
    path, rid = db
    folder = tmp_path / "csv"
    code, out, err = run("export", "--csv", str(folder), "--db", str(path))
    assert code == 0, err
    assert (folder / "表三（2021年格式）.csv").is_file()

    def read(name: str) -> list[dict[str, str]]:
        raw = (folder / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # utf-8-sig: Excel reads it as UTF-8
        with (folder / name).open(encoding="utf-8-sig", newline="") as fh:
            return list(csv.DictReader(fh))

    reports = read("报告.csv")
    assert {r["文件名"] for r in reports} == {"'" + HOSTILE_NAME, SEED_2021}
    mine = next(r for r in reports if r["编号"] == str(rid))
    assert (mine["备注"], mine["审查人"]) == ("'" + HOSTILE_VALUE, "'" + HOSTILE_REVIEWER)
    t3 = [r for r in read("表三（2019年格式）.csv") if r["编号"] == str(rid)]
    assert t3[0]["项目"] == "一、本年新收政府信息公开申请数量"
    assert t3[0]["文件名"] == "'" + HOSTILE_NAME
    assert len(t3) == len(get_format("2019").t3_rows)  # one line per row of the 2019 表三
    assert all(r["编号"] != str(rid) for r in read("表三（2021年格式）.csv"))  # 2019 apart
    t2 = next(r for r in read("表二（2019年格式）.csv") if r["编号"] == str(rid))
    amount = "第二十条第(九)项 政府集中采购：采购总金额"
    assert (t2[amount + "（按报告所印）"], t2[amount + "（单位）"],
            t2[amount + "（折合元）"]) == ("17.27", "万元", "172700.0")
    findings = read("问题.csv")
    assert findings and {f["级别"] for f in findings} <= {"错误", "提示"}
    assert not any(CELL_KEY.search(v or "") for f in findings for v in f.values())


def test_json_streams_a_list_and_json_lines(db: tuple[Path, int], tmp_path: Path) -> None:
    path, rid = db
    code, _, _ = run("export", "--json", str(tmp_path / "all.json"), "--db", str(path))
    assert code == 0
    docs = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    code, _, _ = run("export", "--jsonl", str(tmp_path / "all.jsonl"), "--db", str(path))
    assert code == 0
    lines = [json.loads(x) for x in
             (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()]
    assert docs == lines and len(docs) == 2
    doc = next(d for d in docs if d["review"]["id"] == rid)
    assert doc["review"]["reviewer"] == HOSTILE_REVIEWER
    assert doc["cells"]["t2.procurement.amount"] == 172700.0  # the contract's yuan
    assert "cell_details" not in doc
