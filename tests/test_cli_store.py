"""The review database's subcommands, called through ``cli.main`` with ``--db``."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from datapaths import DEV_CORPUS, SEEDS_DIR

from cli import main
from cli.store_commands import parse_value
from core.correction_values import InvalidValue
from core.paths import ENV_DATA_DIR, default_db_path, resolve_db_path
from core.store import open_store

DEV = DEV_CORPUS
SEEDS = SEEDS_DIR
BROKEN = ("damaged.pdf", "empty.docx")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _born_digital() -> list[Path]:
    files = []
    for truth in sorted(DEV.glob("*.truth.json")):
        src = json.loads(truth.read_text(encoding="utf-8"))["source"]
        if src["kind"] != "scanned-pdf":  # scanned ones need OCR: slow, and not the point here
            files.append(DEV / src["file"])
    return files


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str, str]:
    """A folder of the born-digital dev reports, two broken files, and the seeds folder,
    imported once; tests work on copies of the database."""
    folder = tmp_path_factory.mktemp("reports")
    for f in _born_digital():
        shutil.copy2(f, folder / f.name)
    (folder / "sub").mkdir()
    (folder / "sub" / BROKEN[0]).write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100)
    (folder / "sub" / BROKEN[1]).write_bytes(b"")
    db = tmp_path_factory.mktemp("db") / "review.sqlite"
    code, out, err = run("import", str(folder), str(SEEDS), "--db", str(db))
    return db, code, out, err


@pytest.fixture
def db(imported: tuple[Path, int, str, str], tmp_path: Path) -> Path:
    copy = tmp_path / "review.sqlite"
    shutil.copy2(imported[0], copy)
    return copy


def _id_of(db: Path, file_name: str) -> int:
    with open_store(db) as s:
        return next(r["id"] for r in s.list_reports() if r["file_name"] == file_name)


def test_import_folders_lists_failures_and_exits_non_zero(
        imported: tuple[Path, int, str, str]) -> None:
    db, code, out, err = imported
    assert code == 1  # the broken files failed, each listed with its reason …
    failures = err.splitlines()
    assert len(failures) == 2
    assert any(BROKEN[0] in line and "damaged" in line for line in failures)
    assert any(BROKEN[1] in line and "empty" in line for line in failures)
    n = len(_born_digital()) + len(list(SEEDS.glob("*.txt")))
    assert f"imported {n}, already stored 0, failed 2" in out
    with open_store(db) as s:  # … and every other file went in
        assert s.count_reports() == n


def test_import_again_adds_nothing(db: Path) -> None:
    code, out, err = run("import", str(SEEDS), "--db", str(db))
    assert code == 0 and err == ""
    assert "imported 0, already stored 5, failed 0" in out


def test_import_reports_a_missing_file(db: Path, tmp_path: Path) -> None:
    code, out, err = run("import", str(tmp_path / "nowhere.pdf"), str(SEEDS), "--db", str(db))
    assert code == 1
    assert "nowhere.pdf: no such file" in err


def test_import_in_two_worker_processes(tmp_path: Path) -> None:
    db = tmp_path / "jobs.sqlite"
    files = sorted(SEEDS.glob("*.txt")) + [DEV / "027_c19402df.docx", DEV / "002_2a29e4d1.pdf"]
    code, out, _ = run("import", *map(str, files), "--jobs", "2", "--db", str(db))
    assert code == 0 and "imported 7" in out
    with open_store(db) as s:
        assert s.integrity_check() == "ok"
        assert {r["file_name"] for r in s.list_reports()} == {f.name for f in files}


def test_list_and_filters(db: Path) -> None:
    code, out, _ = run("list", "--db", str(db))
    assert code == 0
    assert out.splitlines()[0].split()[:3] == ["ID", "机关", "年度"]
    assert "重庆市大渡口区科学技术局" in out and "027_c19402df.docx" in out
    _, out, _ = run("list", "--year", "2019", "--has-errors", "--db", str(db))
    assert "湛江市梓潼县人民政府" in out and "重庆市大渡口区科学技术局" not in out
    _, out, _ = run("list", "--agency", "梓潼县", "--db", str(db))
    assert len(out.splitlines()) == 3  # header, rule, one report
    _, out, _ = run("list", "--status", "已审", "--db", str(db))
    assert out.strip() == "no reports"


def test_show_correct_undo_history(db: Path) -> None:
    rid = _id_of(db, "027_c19402df.docx")
    code, out, _ = run("show", str(rid), "--db", str(db))
    assert code == 0
    assert "湛江市梓潼县人民政府" in out and "t3.carried_in.legal" in out
    assert "t3.balance" in out

    code, out, _ = run("correct", str(rid), "t3.carried_in.legal", "0", "--reason", "原表为 0",
                       "--reviewer", "张三", "--db", str(db))
    assert code == 0
    assert out.splitlines()[0].endswith("t3.carried_in.legal: 1 → 0")
    assert any(line.startswith("- [error] t3.balance") and "法律服务机构" in line
               for line in out.splitlines())

    _, out, _ = run("show", str(rid), "--db", str(db))
    assert "更正,原为 1" in out

    code, out, _ = run("undo", str(rid), "--db", str(db))
    assert code == 0 and "t3.carried_in.legal: 0 → 1" in out
    assert any(line.startswith("+ [error] t3.balance") for line in out.splitlines())
    _, out, _ = run("undo", str(rid), "--db", str(db))
    assert "nothing to undo" in out

    code, out, _ = run("history", str(rid), "--db", str(db))
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 4 and "张三" in lines[2] and "原表为 0" in lines[2]
    assert "已撤销" in lines[2] and "撤销更正" in lines[3]


def test_correct_unknown_cell_or_report(db: Path) -> None:
    code, _, err = run("correct", "1", "t9.no.such", "3", "--db", str(db))
    assert code == 2 and "没有单元格" in err
    code, _, err = run("show", "9999", "--db", str(db))
    assert code == 2 and "没有编号为 9999 的报告" in err


def test_status_verdict_and_search(db: Path) -> None:
    rid = _id_of(db, "027_c19402df.docx")
    assert run("status", str(rid), "已审", "--reviewer", "王五", "--note", "已电话核实",
               "--db", str(db))[0] == 0
    _, out, _ = run("list", "--status", "已审", "--db", str(db))
    assert "湛江市梓潼县人民政府" in out
    with open_store(db) as s:
        fp = next(sf.finding.fingerprint for sf in s.findings(rid))
        assert s.get_report(rid)["note"] == "已电话核实"
    code, _, err = run("verdict", str(rid), fp, "dismissed", "--db", str(db))
    assert code == 2 and "reason" in err
    assert run("verdict", str(rid), fp, "dismissed", "--reason", "原文如此",
               "--db", str(db))[0] == 0
    _, out, _ = run("show", str(rid), "--db", str(db))
    assert "已排除: 原文如此" in out
    code, out, _ = run("search", "梓潼县", "--db", str(db))
    assert code == 0 and f"#{rid} " in out
    code, out, _ = run("search", "梓潼", "--db", str(db))  # two characters: LIKE
    assert code == 0 and f"#{rid} " in out


def test_export_csv_json_xlsx(db: Path, tmp_path: Path) -> None:
    rid = _id_of(db, "027_c19402df.docx")
    run("correct", str(rid), "t3.carried_in.legal", "0", "--db", str(db))
    with open_store(db) as s:
        n = s.count_reports()
        n_findings = len(s.all_findings())

    code, out, _ = run("export", "--csv", str(tmp_path / "csv"), "--db", str(db))
    assert code == 0
    with (tmp_path / "csv" / "reports.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == n
    row = next(r for r in rows if r["id"] == str(rid))
    assert row["t3.carried_in.legal"] == "0"  # the effective value, not the extracted 1
    assert row["agency"] == "湛江市梓潼县人民政府"
    assert "t3.new.total" in rows[0] and "t2.procurement.amount" in rows[0]
    with (tmp_path / "csv" / "findings.csv").open(encoding="utf-8-sig") as fh:
        assert len(list(csv.DictReader(fh))) == n_findings

    code, _, _ = run("export", "--json", str(tmp_path / "all.json"), "--db", str(db))
    assert code == 0
    docs = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert len(docs) == n and all(d["schema"] == "gov-report/1" for d in docs)
    doc = next(d for d in docs if d["review"]["id"] == rid)
    assert doc["cells"]["t3.carried_in.legal"] == 0

    from openpyxl import load_workbook  # a dependency: missing, the test fails

    code, _, _ = run("export", "--xlsx", str(tmp_path / "all.xlsx"), "--db", str(db))
    assert code == 0
    wb = load_workbook(tmp_path / "all.xlsx", read_only=True)
    assert wb.sheetnames == ["reports", "findings"]
    sheet = list(wb["reports"].iter_rows(values_only=True))
    assert len(sheet) == n + 1
    head = list(sheet[0])
    line = next(r for r in sheet[1:] if r[0] == rid)
    assert line[head.index("t3.carried_in.legal")] == 0
    assert len(list(wb["findings"].iter_rows(values_only=True))) == n_findings + 1


def test_default_database_follows_the_environment(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "data"))
    code, _, _ = run("import", str(SEEDS / "000_e5f3c57cfcf76f91.txt"))
    assert code == 0
    assert default_db_path() == tmp_path / "data" / "reviews.sqlite"
    assert default_db_path().is_file()
    assert resolve_db_path("x.sqlite") == Path("x.sqlite")
    assert "重庆市大渡口区科学技术局" in run("list")[1]


def test_locked_or_newer_database_is_one_clear_line(tmp_path: Path) -> None:
    db = tmp_path / "garbage.sqlite"
    db.write_bytes(b"not a database" * 300)
    code, out, err = run("list", "--db", str(db))
    assert code == 2 and err.startswith("错误：") and len(err.splitlines()) == 1


@pytest.mark.parametrize(("key", "text", "value"), [
    ("t3.new.total", "12", 12), ("t3.new.total", "０", 0), ("t3.new.total", "", None),
    ("t3.new.total", "空", None), ("t3.new.total", "/", "/"), ("t3.new.total", "无", "无"),
    ("t3.new.total", "１，２３４", 1234), ("t3.new.total", "1,234", 1234),
    ("t2.procurement.amount", "17.27万元", 172700.0),
    ("t2.procurement.amount", "1200", 1200.0), ("t2.fees.amount", "0", 0.0),
    ("t2.license.change", "-8", -8),
])
def test_parse_value(key: str, text: str, value: object) -> None:
    got = parse_value(key, text)
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize(("key", "text", "reason"), [
    ("t3.new.total", "abc", "不是数字"), ("t3.new.total", "-3", "负数"),
    ("t3.new.total", "1.5", "不是整数"), ("t3.new.total", "若干", "不是数字"),
    ("t2.fees.amount", "-0.5", "负数"), ("t2.fees.amount", "很多", "金额"),
])
def test_parse_value_refuses_what_does_not_fit(key: str, text: str, reason: str) -> None:
    with pytest.raises(InvalidValue, match=reason):
        parse_value(key, text)
