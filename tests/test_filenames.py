"""File names that are not UTF-8: a GBK name (what a Chinese Windows zip gives when it is
unpacked on Linux) imports, lists, prints its checklist and extracts, shown decoded; the
original bytes of its path are kept so the file can be found again."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from datapaths import SEEDS_DIR

from core.filenames import display_name, path_for_storage, path_from_storage

REPO = Path(__file__).resolve().parent.parent
SEED = SEEDS_DIR / "000_e5f3c57cfcf76f91.txt"
NAME = "大渡口区科技局2020年报.txt"


def _gbk_copy(folder: Path) -> Path:
    folder.mkdir()
    path = folder / os.fsdecode(NAME.encode("gbk"))
    try:
        path.write_bytes(SEED.read_bytes())
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    return path


def _main(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args], env=env,
                          capture_output=True, text=True, timeout=300)


def test_display_name_decodes_gbk_and_never_fails() -> None:
    gbk = os.fsdecode(NAME.encode("gbk"))
    assert display_name(gbk) == NAME
    assert display_name("/数据/" + gbk) == "/数据/" + NAME
    assert display_name(NAME) == NAME
    # Bytes no encoding reads: shown with U+FFFD, never an exception.
    shown = display_name(os.fsdecode(b"\xff\x80\xfe.txt"))
    assert shown.endswith(".txt") and shown.encode("utf-8")
    assert path_from_storage(path_for_storage(gbk)) == gbk
    assert path_for_storage(NAME) == NAME


def test_a_gbk_named_report_imports_lists_and_prints_its_checklist(tmp_path: Path) -> None:
    path = _gbk_copy(tmp_path / "来件")
    db = tmp_path / "reviews.sqlite"

    imported = _main("import", str(tmp_path / "来件"), "--db", str(db))
    assert imported.returncode == 0, imported.stderr
    assert "新增 1 份" in imported.stdout

    listed = _main("list", "--db", str(db))
    assert listed.returncode == 0, listed.stderr
    assert NAME in listed.stdout

    pdf = tmp_path / "审查表.pdf"
    printed = _main("checklist", str(path), "--db", str(db), "--pdf", str(pdf))
    assert printed.returncode == 0, printed.stderr
    assert "Traceback" not in printed.stderr
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    text = doc[0].get_textpage().get_text_range()
    doc.close()
    assert NAME in text

    # The file as it is named on disk can be found again from the database.
    with sqlite3.connect(db) as conn:
        name, original = conn.execute("SELECT file_name, original_path FROM reports").fetchone()
    assert name == NAME
    assert Path(path_from_storage(original)) == path.resolve()

    extracted = _main("extract", str(path))
    assert extracted.returncode == 0, extracted.stderr
    assert json.loads(extracted.stdout)["source"]["file"] == NAME
