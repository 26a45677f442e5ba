"""The review database's subcommands, called through ``cli.main`` with ``--db``."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
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
    assert f"导入完成：新增 {n} 份，已在库中 0 份，失败 2 份" in out
    with open_store(db) as s:  # … and every other file went in
        assert s.count_reports() == n


def test_import_again_adds_nothing(db: Path) -> None:
    code, out, err = run("import", str(SEEDS), "--db", str(db))
    assert code == 0 and err == ""
    assert "导入完成：新增 0 份，已在库中 5 份，失败 0 份" in out


def test_import_reports_a_missing_file(db: Path, tmp_path: Path) -> None:
    code, out, err = run("import", str(tmp_path / "nowhere.pdf"), str(SEEDS), "--db", str(db))
    assert code == 1
    assert "nowhere.pdf：文件不存在" in err


def test_import_in_two_worker_processes(tmp_path: Path) -> None:
    db = tmp_path / "jobs.sqlite"
    files = sorted(SEEDS.glob("*.txt")) + [DEV / "027_c19402df.docx", DEV / "002_2a29e4d1.pdf"]
    code, out, _ = run("import", *map(str, files), "--jobs", "2", "--db", str(db))
    assert code == 0 and "新增 7 份" in out
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
    assert out.strip() == "没有报告"


def test_show_correct_undo_history(db: Path) -> None:
    rid = _id_of(db, "027_c19402df.docx")
    code, out, _ = run("show", str(rid), "--db", str(db))
    assert code == 0
    assert "湛江市梓潼县人民政府" in out and "表三「二、上年结转·法律服务机构」" in out
    assert "表三 勾稽关系" in out
    assert "t3.carried_in.legal" not in out  # the keys only with --keys
    _, out, _ = run("show", str(rid), "--keys", "--db", str(db))
    assert "t3.carried_in.legal" in out

    code, out, _ = run("correct", str(rid), "t3.carried_in.legal", "0", "--reason", "原表为 0",
                       "--reviewer", "张三", "--db", str(db))
    assert code == 0
    assert out.splitlines()[0].endswith("表三「二、上年结转·法律服务机构」：1 → 0")
    assert any(line.startswith("- [错误] 表三 勾稽关系") and "法律服务机构" in line
               for line in out.splitlines())

    _, out, _ = run("show", str(rid), "--db", str(db))
    assert "更正，原为 1" in out

    code, out, _ = run("undo", str(rid), "--db", str(db))
    assert code == 0 and "表三「二、上年结转·法律服务机构」：0 → 1" in out
    assert any(line.startswith("+ [错误] 表三 勾稽关系") for line in out.splitlines())
    _, out, _ = run("undo", str(rid), "--db", str(db))
    assert "没有可撤销的更正" in out

    code, out, _ = run("history", str(rid), "--db", str(db))
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 4 and "张三" in lines[2] and "原表为 0" in lines[2]
    assert "已撤销" in lines[2] and "撤销更正" in lines[3]


def test_correct_unknown_cell_or_report(db: Path) -> None:
    code, _, err = run("correct", "1", "t9.no.such", "3", "--db", str(db))
    assert code == 2 and "没有名为 t9.no.such 的单元格" in err
    code, _, err = run("show", "9999", "--db", str(db))
    assert code == 2 and err.strip() == "错误：数据库中没有编号为 9999 的报告"


def test_correct_takes_the_printed_name_of_a_cell(db: Path) -> None:
    rid = _id_of(db, "027_c19402df.docx")
    code, out, err = run("correct", str(rid), "表三「二、上年结转·法律服务机构」", "0",
                         "--db", str(db))
    assert code == 0, err
    assert out.splitlines()[0].endswith("表三「二、上年结转·法律服务机构」：1 → 0")


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
    assert code == 2 and "理由" in err
    assert run("verdict", str(rid), fp, "dismissed", "--reason", "原文如此",
               "--db", str(db))[0] == 0
    _, out, _ = run("show", str(rid), "--db", str(db))
    assert "已排除：原文如此" in out
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
        fmt = s.get_report(rid)["format"]

    code, out, _ = run("export", "--csv", str(tmp_path / "csv"), "--db", str(db))
    assert code == 0
    with (tmp_path / "csv" / "报告.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == n
    row = next(r for r in rows if r["编号"] == str(rid))
    assert row["机关"] == "湛江市梓潼县人民政府"
    with (tmp_path / "csv" / f"表三（{fmt}年格式）.csv").open(encoding="utf-8-sig") as fh:
        t3 = [r for r in csv.DictReader(fh) if r["编号"] == str(rid)]
    carried = next(r for r in t3 if r["项目"].startswith("二、上年结转"))
    assert carried["法律服务机构"] == "0"  # the effective value, not the extracted 1
    with (tmp_path / "csv" / "问题.csv").open(encoding="utf-8-sig") as fh:
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
    assert wb.sheetnames[:2] == ["报告", "问题"]
    sheet = list(wb["报告"].iter_rows(values_only=True))
    assert len(sheet) == n + 1
    t3x = [r for r in wb[f"表三（{fmt}年格式）"].iter_rows(values_only=True) if r[0] == rid]
    assert next(r for r in t3x if r[4].startswith("二、上年结转"))[9] == 0
    assert len(list(wb["问题"].iter_rows(values_only=True))) == n_findings + 1


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


def test_undo_of_one_correction_by_its_number(db: Path) -> None:
    """``undo ID --correction N`` undoes exactly #N, as the window's Ctrl+Z does; a cell
    corrected again since is not overwritten."""
    rid = _id_of(db, "027_c19402df.docx")
    first = "t3.carried_in.legal"
    run("correct", str(rid), first, "0", "--db", str(db))
    run("correct", str(rid), "t3.new.natural", "9", "--db", str(db))
    with open_store(db) as store:
        n_first = next(h["id"] for h in store.history(rid) if h["key"] == first)

    code, out, _ = run("undo", str(rid), "--correction", str(n_first), "--db", str(db))
    assert code == 0 and "0 → 1" in out.splitlines()[0]
    with open_store(db) as store:
        values = store.effective_values(rid)
        assert values[first] == 1 and values["t3.new.natural"] == 9

    run("correct", str(rid), first, "5", "--db", str(db))
    run("correct", str(rid), first, "6", "--db", str(db))
    with open_store(db) as store:
        n_five = [h["id"] for h in store.history(rid) if h["after"] == 5][0]
    code, _, err = run("undo", str(rid), "--correction", str(n_five), "--db", str(db))
    assert code == 2 and "此后又被更正过" in err
    with open_store(db) as store:
        assert store.effective_values(rid)[first] == 6


# A fresh interpreter runs the command, then names the modules loaded that it must not load.
_LOADED_AFTER = (
    "import sys, main\n"
    "rc = main.main(['main.py', *sys.argv[1:]])\n"
    "avoid = ('core.store', 'core.model', 'core.template', 'sqlite_utils', 'numpy')\n"
    "print(rc, sorted(m for m in sys.modules if m in avoid))\n"
)


@pytest.mark.parametrize("argv", [["list"], ["list", "--has-errors"], ["search", "梓潼县"]])
def test_list_and_search_read_without_the_store(db: Path, argv: list[str],
                                                repo_root: Path) -> None:
    """list and search read through core.store_read: neither the store and the model's
    data classes nor the template are loaded (they are most of a short command's time)."""
    result = subprocess.run([sys.executable, "-c", _LOADED_AFTER, *argv, "--db", str(db)],
                            cwd=repo_root, capture_output=True, text=True, timeout=60)
    assert result.stdout.splitlines()[-1] == "0 []", result.stdout + result.stderr

