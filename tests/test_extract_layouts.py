"""New layouts made from the dev corpus: the same reports printed to PDF by other writers.

Qt prints the saved web pages with narrow label columns whose labels wrap over many
lines below their numbers and continue across page breaks; LibreOffice exports the
Word files. The values must come out exactly as the truth files say.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from datapaths import DEV_CORPUS
from pdfgen import make_pdf

from core.extract import extract_file
from core.readers.html import decode

DEV = DEV_CORPUS


def _truth(doc_id: str) -> dict:
    return json.loads((DEV / f"{doc_id}.truth.json").read_text(encoding="utf-8"))


def _assert_matches_truth(pdf: Path, doc_id: str) -> None:
    truth = _truth(doc_id)
    report = extract_file(pdf)
    got = report.values()
    wrong = {k: (v, got.get(k)) for k, v in truth["cells"].items()
             if not (got.get(k) == v or (isinstance(v, float) and isinstance(got.get(k), float)
                                         and abs(got[k] - v) < 0.01))}
    assert not wrong, f"{len(wrong)} cells wrong: {list(wrong.items())[:5]}"
    t = truth["report"]
    assert (report.format, report.year, report.published, report.agency) == \
        (t["format"], t["year"], t["published"], t["agency"])
    assert report.sections == truth["sections"]


def _html_text(doc_id: str) -> str:
    text = decode((DEV / f"{doc_id}.html").read_bytes())
    return text[0] if isinstance(text, tuple) else text


@pytest.mark.parametrize(("doc_id", "point_size", "fake_bold"), [
    ("008_b936ac4b", 10.5, False),   # GBK page; title broken after the year digits
    ("022_35a7e8c0", 14, False),     # large type: the title wraps over three lines
    ("028_2de1cd7f", 9, True),       # fake bold headers drawn twice
    ("018_73dcc78e", 10.5, False),   # only the 总计 column of table 三 is filled
])
def test_web_page_printed_by_qt(tmp_path: Path, doc_id: str, point_size: float,
                                fake_bold: bool) -> None:
    pdf = make_pdf(_html_text(doc_id), tmp_path / f"{doc_id}.pdf", point_size=point_size,
                   fake_bold=fake_bold)
    _assert_matches_truth(pdf, doc_id)


@pytest.mark.parametrize("doc_id", ["027_c19402df", "012_219d5b29"])
def test_word_file_exported_by_libreoffice(tmp_path: Path, doc_id: str) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is installed by scripts/setup.sh"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(DEV / f"{doc_id}.docx")],
                   check=True, capture_output=True, timeout=120)
    _assert_matches_truth(tmp_path / f"{doc_id}.pdf", doc_id)
