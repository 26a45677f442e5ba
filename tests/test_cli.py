"""The command line as a user types it: python main.py extract/check."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from datapaths import DEV_CORPUS, SEEDS_DIR

from cli import main

SEED_001 = next(SEEDS_DIR.glob("001_*.txt"))
DOCX = DEV_CORPUS / "001_10e7db0a.docx"
REPO = Path(__file__).resolve().parent.parent


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    rc = main(argv, out=out, err=err)
    return rc, out.getvalue(), err.getvalue()


def test_extract_prints_the_contract_for_one_file() -> None:
    rc, out, err = run(["extract", str(DOCX)])
    assert rc == 0, err
    doc = json.loads(out)
    assert doc["schema"] == "gov-report/1"
    assert doc["source"]["kind"] == "docx"
    assert doc["source"]["file"] == DOCX.name
    assert doc["report"]["format"] == "2021"
    assert set(doc["sections"]) == {"s1", "s2", "s3", "s4", "s5", "s6"}
    assert len(doc["cells"]) == 200
    assert doc["cells"]["t2.penalty.decisions"] == 766
    # Every cell points back at its source.
    assert doc["cell_details"]["t2.penalty.decisions"]["loc"]["table"] == 0
    assert isinstance(doc["findings"], list)


def test_extract_several_files_gives_json_lines_and_bad_files_fail_alone(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    png = tmp_path / "photo.pdf"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    corrupt = tmp_path / "broken.pdf"
    corrupt.write_bytes((DEV_CORPUS / "002_2a29e4d1.pdf").read_bytes()[:3000])
    words = tmp_path / "notes.txt"
    words.write_text("今天天气很好,不是年报。", encoding="utf-8")
    rc, out, err = run(["extract", str(empty), str(SEED_001), str(png), str(corrupt),
                        str(words), str(DOCX)])
    assert rc == 1
    lines = [json.loads(line) for line in out.splitlines()]
    assert [d["source"]["file"] for d in lines] == [SEED_001.name, DOCX.name]
    problems = err.strip().splitlines()
    assert len(problems) == 4
    assert all(p.startswith("错误：") for p in problems)
    assert "empty" in problems[0]
    assert "PNG" in problems[1]
    assert "truncated" in problems[2] or "damaged" in problems[2]
    assert "no annual-report" in problems[3]
    assert "Traceback" not in err


def test_extract_csv_has_one_row_per_report() -> None:
    rc, out, _ = run(["extract", "--format", "csv", str(SEED_001), str(DOCX)])
    assert rc == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["file"] for r in rows] == [SEED_001.name, DOCX.name]
    assert rows[1]["t2.penalty.decisions"] == "766"
    assert rows[0]["format"] == "2021"


def test_extract_a_folder_reads_every_report_in_it(tmp_path: Path) -> None:
    for src in (SEED_001, DOCX):
        (tmp_path / src.name).write_bytes(src.read_bytes())
    (tmp_path / "readme.json").write_text("{}", encoding="utf-8")
    rc, out, err = run(["extract", "--no-details", str(tmp_path)])
    assert rc == 0, err
    assert len(out.splitlines()) == 2


def test_main_py_runs_the_cli_in_a_real_process() -> None:
    p = subprocess.run([sys.executable, "main.py", "extract", str(SEED_001)], cwd=REPO,
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["report"]["agency"] == "科学技术和工业信息化局"


def test_missing_file_is_a_clear_error() -> None:
    rc, out, err = run(["extract", "/nonexistent/报告.pdf"])
    assert rc == 1
    assert out == ""
    assert err.strip() == "错误：/nonexistent/报告.pdf：文件不存在（no such file）"
