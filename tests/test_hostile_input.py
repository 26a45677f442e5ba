"""Hostile and broken files: typed by content, refused quickly with a clear reason.

Each file here is what an inspector's mailbox delivers: a workbook named .docx, a zip
with a PDF inside, a PDF named .html, UTF-16 text without a byte-order mark, empty and
random files, a 400-page book, megabytes of text on one line, numbers thousands of digits
long, an <embed> tag before the report. The small mutants the fuzz harness
(tests/fuzz/fuzz_readers.py) found hardest are in tests/fixtures/hostile/.
"""

from __future__ import annotations

import io
import json
import random
import re
import time
import zipfile
from pathlib import Path

import pytest
from datapaths import DEV_CORPUS, SEEDS_DIR

from cli import main
from core.errors import CorruptFile, NotAReport, UnsupportedFile
from core.pipeline import STARTED, analyse, read_files
from core.readers import sniff
from core.sandbox import SandboxPool

REPO = Path(__file__).resolve().parent.parent
DEV = DEV_CORPUS
SEED = next(SEEDS_DIR.glob("000_*.txt"))
HTML = DEV / "017_5028cec6.html"
DOCX = DEV / "001_10e7db0a.docx"
PDF = DEV / "002_2a29e4d1.pdf"
HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"


def _cells(report) -> dict:
    return {k: c.value for k, c in report.cells.items()}


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        for name, body in members.items():
            z.writestr(name, body)
    return out.getvalue()


def test_office_files_that_are_not_word_say_what_they_are(tmp_path: Path) -> None:
    cases = {
        "workbook.docx": ({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"},
                          "Excel"),
        "slides.docx": ({"ppt/presentation.xml": b"<p/>"}, "PowerPoint"),
        "writer.docx": ({"mimetype": b"application/vnd.oasis.opendocument.text",
                         "content.xml": b"<c/>"}, "OpenDocument"),
        # A zip that stores a report PDF uncompressed holds "%PDF-" near its start: it is
        # still a zip, not that PDF.
        "bundle.docx": ({"readme.txt": b"see attachment", "report.pdf": PDF.read_bytes()},
                        "zip archive"),
    }
    for name, (members, what) in cases.items():
        path = tmp_path / name
        path.write_bytes(_zip(members, zipfile.ZIP_STORED))
        with pytest.raises(UnsupportedFile, match=what) as e:
            analyse(path)
        assert "Word" in e.value.message_zh or "docx" in e.value.message_zh


def test_the_kind_comes_from_the_content_not_the_name(tmp_path: Path) -> None:
    for src, name, kind in ((PDF, "report.html", "pdf"), (DOCX, "report.pdf", "docx"),
                            (HTML, "report.docx", "html"), (SEED, "report.pdf", "txt")):
        path = tmp_path / name
        path.write_bytes(src.read_bytes())
        assert analyse(path).kind == kind
        assert _cells(analyse(path)) == _cells(analyse(src))


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-16"])
def test_utf16_text_and_html_with_or_without_bom_are_read(tmp_path: Path, codec: str) -> None:
    text = tmp_path / "report.txt"
    text.write_bytes(SEED.read_text(encoding="utf-8").encode(codec))
    assert _cells(analyse(text)) == _cells(analyse(SEED))
    page = tmp_path / "report.html"
    page.write_bytes(HTML.read_bytes().decode("utf-8").encode(codec))
    report = analyse(page)
    assert report.kind == "html"
    assert _cells(report) == _cells(analyse(HTML))


def test_empty_and_random_files_are_refused_clearly(tmp_path: Path) -> None:
    rng = random.Random(8)
    for name, data, error in (
            ("empty.pdf", b"", CorruptFile), ("blank.txt", b" \r\n\t \n", CorruptFile),
            ("noise.pdf", rng.randbytes(50_000), UnsupportedFile),
            ("noise.docx", b"PK\x03\x04" + rng.randbytes(5000), CorruptFile),
            ("program.doc", b"MZ\x90\x00" + rng.randbytes(1000), UnsupportedFile)):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(error):
            analyse(path)
    # Random bytes without NULs decode as (nonsense) text: not a report.
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(b for b in rng.randbytes(30_000) if b))
    with pytest.raises(NotAReport):
        analyse(path)


def test_binary_data_is_not_taken_for_utf16() -> None:
    rng = random.Random(3)
    for data in (rng.randbytes(4096), bytes(range(256)) * 16,
                 b"".join(n.to_bytes(2, "little") for n in range(2048))):
        with pytest.raises(UnsupportedFile):
            sniff(data, "x.bin")


def test_a_long_unrelated_pdf_is_refused_in_a_moment(tmp_path: Path) -> None:
    from pdfgen import make_pdf

    para = "<p>" + "本章讨论城市交通管理的若干问题,包括道路建设、公共交通和停车设施。" * 6 + "</p>"
    book = make_pdf("<html><body>" + "".join(f"<h2>第{i}章 城市交通</h2>" + para * 5
                                             for i in range(1, 301)) + "</body></html>",
                    tmp_path / "book.pdf")
    start = time.monotonic()
    with pytest.raises(NotAReport, match=r"\d+-page PDF") as e:
        analyse(book)
    assert time.monotonic() - start < 3  # reading every page took 9 s
    assert "不是政府信息公开工作年度报告" in e.value.message_zh


def test_megabytes_of_text_are_refused_and_long_lines_cut(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    huge = tmp_path / "huge.txt"
    huge.write_text(text + "\t0" * 1_500_000, encoding="utf-8")
    start = time.monotonic()
    with pytest.raises(NotAReport, match="characters of text"):
        analyse(huge)
    assert time.monotonic() - start < 10
    # Under the limit, a 300,000-character line (of 150,000 tab fields) does not hide
    # the report before it, nor take long.
    long = tmp_path / "long.txt"
    long.write_text(text + "\n" + "\t0" * 150_000 + "\n", encoding="utf-8")
    start = time.monotonic()
    assert _cells(analyse(long)) == _cells(analyse(SEED))
    assert time.monotonic() - start < 10


def test_numbers_thousands_of_digits_long_are_text_not_a_crash(tmp_path: Path) -> None:
    tabs = DEV / "029_2fc7e0a2.txt"  # one table row per line, cells between tabs
    text = tabs.read_text(encoding="utf-8")
    original = _cells(analyse(tabs))
    numbers = list(re.finditer(r"(?<=\t)\d+(?=\t|$)", text, re.M))
    assert len(numbers) > 100
    m = numbers[len(numbers) // 2]
    for digits in ("9" * 5000, "1" * 400 + ".5", "99999999999999999"):
        path = tmp_path / f"digits{len(digits)}.txt"
        path.write_text(text[:m.start()] + digits + text[m.end():], encoding="utf-8")
        cells = _cells(analyse(path))
        # The row with the odd cell may read differently; the rest of the report not.
        changed = {k.rsplit(".", 1)[0] for k in cells if cells[k] != original[k]}
        assert len(changed) <= 1
        numbers = [v for v in cells.values() if isinstance(v, int | float)]
        assert max(numbers) < 1e15  # no inf, no 5000-digit integer
def test_an_embed_tag_does_not_swallow_the_page(tmp_path: Path) -> None:
    page = HTML.read_text(encoding="utf-8")
    path = tmp_path / "flash.html"
    path.write_text(re.sub(r"(<body[^>]*>)", r'\1<embed src="player.swf" width="400">',
                           page, count=1), encoding="utf-8")
    assert _cells(analyse(path)) == _cells(analyse(HTML))


def test_the_command_line_reports_every_hostile_file_and_goes_on(tmp_path: Path) -> None:
    files = []
    for name, data in (("empty.pdf", b""), ("photo.pdf", b"\xff\xd8\xff\xe0" + bytes(200)),
                       ("book.docx", _zip({"xl/workbook.xml": b"<w/>"})),
                       ("ok.txt", SEED.read_bytes()),
                       ("utf16.txt", SEED.read_text(encoding="utf-8").encode("utf-16-le")),
                       ("noise.pdf", random.Random(1).randbytes(9000))):
        files.append(tmp_path / name)
        files[-1].write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    assert main(["extract", "--no-details", *map(str, files)], out=out, err=err) == 1
    done = [json.loads(line)["source"]["file"] for line in out.getvalue().splitlines()]
    assert done == ["ok.txt", "utf16.txt"]
    problems = err.getvalue().splitlines()
    assert len(problems) == 4 and all(p.startswith("错误：") for p in problems)
    assert "Traceback" not in err.getvalue() and "internal error" not in err.getvalue()


# What each fixture gives (tests/fixtures/hostile/README.md says why each is there).
EXPECTED = {
    "digits-5000.txt": "ok", "embed-before-report.html": "ok", "utf16le-nobom.html": "ok",
    "row-of-15000-cells.html": "ok", "shuffled-objects-bad-xref.pdf": "ok",
    "page-tree-loop.pdf": "CorruptFile", "nested-3000-tables.html": "LimitExceeded",
    "billion-laughs.docx": "CorruptFile", "zip-bomb-150mb.docx": "CorruptFile",
    "declared-4gib-members.docx": "CorruptFile", "zip-version-23.docx": "CorruptFile",
}


def test_the_nastiest_fuzz_mutants_give_a_report_or_a_clear_error() -> None:
    files = sorted(p for p in HOSTILE.iterdir() if p.suffix != ".md")
    assert {p.name for p in files} == set(EXPECTED)
    assert all(p.stat().st_size < 200_000 for p in files)
    with SandboxPool(workers=2, timeout=60) as pool:
        for ev in read_files(files, pool, run_checks=True, ordered=True):
            if ev.kind == STARTED:
                continue
            name, seconds = ev.path.name, ev.seconds
            kind = "ok" if ev.report is not None else type(ev.error).__name__
            assert kind not in {"FileTimeout", "WorkerCrashed", "InternalError"}, (
                name, ev.error, getattr(ev.error, "detail", ""))  # a hang, crash or traceback
            assert kind == EXPECTED[name], (name, ev.error)
            assert seconds < 20, (name, seconds)
