"""Issue 12's hostile files: each refused before the work, with a reason naming the limit.

Image bombs (a PNG, a TIFF, a PNG named .pdf), a page image of 1 × 5,000,000 pixels, a
2,000-frame TIFF, a 300-page blank scan, a page of 130,000 table cells, 21 MB of HTML,
9 MB of text, a line of 500,000 numbers, a report nested 3,000 elements deep, a units
list of 60,000 rows and one of 3 million, a DOCX with a dangling relationship, a named
pipe and a link to /dev/zero given to ``import``, ``--db`` pointing at a pipe, and read
commands given a mistyped ``--db``. The files are made by tests/hostile_files.py in
tmp_path (none is committed). Reading runs in sandbox workers: a file that ran into the
time limit instead of a budget would fail here as a FileTimeout.
benchmarks/hostile_budgets.py times the full-size files of the issue.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from datapaths import SEEDS_DIR

from cli import main
from core.errors import LimitExceeded, ReportError, ScannedDocument
from core.overview import MAX_UNITS_ROWS, UnitsError, load_units
from core.pipeline import analyse
from core.readers import budgets, ocr, read_document
from core.sandbox import SandboxPool

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hostile_files as hostile  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SEED = SEEDS_DIR / "000_e5f3c57cfcf76f91.txt"


def _analyse(path: str) -> str:
    """Read, extract and check one file in a worker: "ok" or the error's class and texts."""
    try:
        analyse(Path(path))
    except ReportError as e:
        return f"{type(e).__name__}|{e}|{e.message_zh}"
    return "ok"


def _hostile(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """name → (file, a figure the Chinese reason must name)."""
    files = {
        "bomb.png": (hostile.png(tmp_path / "bomb.png", 20000, 20000), "50 百万像素"),
        "bomb-named.pdf": (hostile.png(tmp_path / "bomb-named.pdf", 20000, 20000),
                           "50 百万像素"),
        "under-pil-limit.png": (hostile.png(tmp_path / "under-pil-limit.png", 8000, 8000),
                                "50 百万像素"),
        "bomb.tif": (hostile.tiff_bomb(tmp_path / "bomb.tif"), "50 百万像素"),
        "sliver.png": (hostile.png(tmp_path / "sliver.png", 1, 5_000_000), "长宽比"),
        "frames.tif": (hostile.tiff_frames(tmp_path / "frames.tif", 2000), "60 页"),
        "wide.html": (hostile.wide_html(tmp_path / "wide.html", 130_000), "250,000 个"),
        "huge.html": (hostile.empty_tags_html(tmp_path / "huge.html", 21 * 2**20), "20 MB"),
    }
    big_text = tmp_path / "big.txt"
    big_text.write_bytes(SEED.read_bytes() * (9 * 2**20 // SEED.stat().st_size + 1))
    files["big.txt"] = (big_text, "8 MB")
    # Found by the fuzz harness (seed 1202): 1 MB, 500,000 numbers on one line.
    long_line = tmp_path / "long-line.txt"
    text = SEED.read_text(encoding="utf-8")
    long_line.write_text(text[:2000] + "\t0" * 500_000 + text[2000:], encoding="utf-8")
    files["long-line.txt"] = (long_line, "250,000 个")
    seed_text = SEED.read_text(encoding="utf-8")
    files["deep.html"] = (hostile.deep_html(tmp_path / "deep.html", 3000, seed_text), "2048 层")
    if ocr.available():
        files["blank300.pdf"] = (hostile.blank_scan_pdf(tmp_path / "blank300.pdf"), "60 页")
    return files


def test_each_hostile_file_is_refused_with_the_limit_in_chinese(tmp_path: Path) -> None:
    files = _hostile(tmp_path)
    with SandboxPool(workers=2, timeout=60) as pool:
        outcomes = dict(pool.map_outcomes(_analyse, [str(f) for f, _ in files.values()]))
    for name, (path, figure) in files.items():
        outcome = outcomes[str(path)]
        assert not isinstance(outcome, ReportError), (name, outcome)  # timeout, crash, bug
        kind, english, chinese = outcome.split("|")
        assert kind == "LimitExceeded", (name, outcome)
        assert figure in chinese, (name, chinese)
        assert "internal error" not in english


def test_without_ocr_a_long_blank_scan_still_gets_a_reason(tmp_path: Path) -> None:
    """The 300-page scan: refused by the page budget, or (no OCR engine) as a scan."""
    pdf = hostile.blank_scan_pdf(tmp_path / "blank300.pdf")
    with pytest.raises((LimitExceeded, ScannedDocument)) as err:
        read_document(pdf)
    if ocr.available():
        assert f"{budgets.MAX_OCR_PAGES} 页" in err.value.message_zh


def test_the_command_line_gives_reasons_not_tracebacks(tmp_path: Path) -> None:
    files = [hostile.png(tmp_path / "bomb.png", 20000, 20000),
             hostile.png(tmp_path / "sliver.png", 1, 5_000_000),
             hostile.tiff_bomb(tmp_path / "bomb.tif")]
    out, err = io.StringIO(), io.StringIO()
    assert main(["extract", *map(str, files)], out=out, err=err) == 1
    lines = err.getvalue().splitlines()
    assert len(lines) == 3, lines
    assert "internal error" not in err.getvalue() and "Traceback" not in err.getvalue()


def test_a_dangling_docx_relationship_does_not_stop_the_reading(tmp_path: Path) -> None:
    import docx

    source = tmp_path / "source.docx"
    d = docx.Document()
    d.add_paragraph("某某局2023年政府信息公开工作年度报告")
    d.save(str(source))
    damaged = hostile.docx_dangling_relationship(tmp_path / "dangling.docx", source)
    doc = read_document(damaged)
    assert "年度报告" in doc.text()


def test_a_units_list_of_too_many_rows_is_refused_in_the_sandbox(tmp_path: Path) -> None:
    rows = hostile.units_xlsx(tmp_path / "rows.xlsx", MAX_UNITS_ROWS + 10)
    with pytest.raises(UnitsError, match=f"{MAX_UNITS_ROWS:,} 行"):
        load_units(rows)
    bomb = hostile.units_xlsx(tmp_path / "bomb.xlsx", 3_000_000)
    assert bomb.stat().st_size < 2 * 2**20
    with pytest.raises(UnitsError, match="20 MB"):
        load_units(bomb)
    csv_rows = tmp_path / "rows.csv"
    csv_rows.write_text("单位名称\n" + "某某单位\n" * (MAX_UNITS_ROWS + 10), encoding="utf-8")
    with pytest.raises(UnitsError, match=f"{MAX_UNITS_ROWS:,} 行"):
        load_units(csv_rows)


needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo") or not Path("/dev/zero").exists(),
                                reason="named pipes and /dev/zero are POSIX")


def _says(text: str, english: str, chinese: str) -> bool:
    """The reason is there, in the English of the per-file lines or the Chinese of the
    command line's messages."""
    return english in text or chinese in text


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, str(REPO / "main.py"), *args], env=env,
                          capture_output=True, text=True, timeout=120)


@needs_fifo
def test_pipes_and_devices_given_to_import_are_named_as_such(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.pdf"
    zero.symlink_to("/dev/zero")
    db = tmp_path / "reviews.sqlite"
    proc = _cli("import", str(fifo), str(zero), str(tmp_path / "missing.pdf"), "--db", str(db))
    assert proc.returncode == 1, proc.stderr
    assert "新增 0 份，已在库中 0 份，失败 3 份" in proc.stdout, proc.stdout
    assert _says(proc.stderr, "named pipe", "命名管道") and _says(proc.stderr, "a device", "设备")
    assert _says(proc.stderr, "no such file", "文件不存在")
    # The pipeline the window reads through says the same, before hashing anything.
    from core.pipeline import FAILED, read_files

    events = [ev for ev in read_files([fifo, zero], known={"0" * 64}) if ev.kind == FAILED]
    assert [ev.path for ev in events] == [fifo, zero]
    assert all("不是普通文件" in ev.reason_zh for ev in events), events
    # extract reads neither (a pipe would block, /dev/zero never ends).
    proc = _cli("extract", str(fifo), str(zero))
    assert proc.returncode == 1, proc.stderr
    assert _says(proc.stderr, "named pipe", "命名管道") and _says(proc.stderr, "a device", "设备")


@needs_fifo
def test_a_database_path_that_is_a_pipe_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "db.sqlite"
    os.mkfifo(fifo)
    for args in (["list"], ["import", str(SEED)]):
        proc = _cli(*args, "--db", str(fifo))
        assert proc.returncode == 2, proc.stderr
        assert _says(proc.stderr, "not a database file", "不是普通文件"), proc.stderr
        assert "Traceback" not in proc.stderr


def test_read_commands_never_create_a_database(tmp_path: Path) -> None:
    db = tmp_path / "typo" / "path" / "x.sqlite"
    for args in (["list"], ["show", "1"], ["history", "1"], ["search", "年度报告"],
                 ["export", "--json", str(tmp_path / "x.json")], ["overview"], ["agencies"],
                 ["settings"], ["notice", "1", "--docx", str(tmp_path / "n.docx")],
                 ["circular", "--year", "2023", "--docx", str(tmp_path / "c.docx")],
                 ["combine", "--year", "2023", "--xlsx", str(tmp_path / "c.xlsx")]):
        out, err = io.StringIO(), io.StringIO()
        assert main([*args, "--db", str(db)], out=out, err=err) == 2, args
        assert _says(err.getvalue(), "no database yet", "尚不存在"), err.getvalue()
    assert not (tmp_path / "typo").exists()


def test_a_docx_of_an_unknown_compression_method_is_damaged_not_an_internal_error(
        tmp_path: Path) -> None:
    """Found by the fuzz harness (seed 1201): the author check read docProps/core.xml
    before the DOCX reader's own zip checks, and zipfile raised NotImplementedError."""
    import zipfile

    import docx

    source = tmp_path / "source.docx"
    d = docx.Document()
    d.add_paragraph("某某局2023年政府信息公开工作年度报告")
    d.save(str(source))
    raw = bytearray(source.read_bytes())
    # Compression method 99 (AES) in every local and central header.
    for sig, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        start = 0
        while (i := raw.find(sig, start)) >= 0:
            raw[i + offset:i + offset + 2] = (99).to_bytes(2, "little")
            start = i + 4
    damaged = tmp_path / "method-99.docx"
    damaged.write_bytes(bytes(raw))
    with zipfile.ZipFile(damaged) as z:
        assert z.getinfo("docProps/core.xml").compress_type == 99
    assert _analyse(str(damaged)).startswith("CorruptFile|")
