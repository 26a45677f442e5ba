"""A review database of real reports for the checklist, chart and overview tests.

The seeds and a few dev corpus files (005: a table 四 row sum broken; 027: table 三's
balance broken) go in through the real import (``python main.py import``). Two more
files are made from seed 000 (重庆市大渡口区科学技术局, 2020) with its years moved back
and forward one year, so one agency has three years: the cross-year checks and the
years chart have something to compare. Tests work on copies of the database.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from datapaths import DEV_CORPUS, SEEDS_DIR

from cli import main
from core.store import open_store

DEV = DEV_CORPUS
SEEDS = SEEDS_DIR
DEV_FILES = ("005_0b0fcac7.pdf", "027_c19402df.docx", "001_10e7db0a.docx", "008_b936ac4b.html",
             "002_2a29e4d1.pdf")
AGENCY_3_YEARS = "重庆市大渡口区科学技术局"
SEED_2020 = "000_e5f3c57cfcf76f91.txt"
LATE_SEED = "004_63ccf7678e3c990e.txt"  # published 2020-03-03 for 2019: 32 days late


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def year_variants(folder: Path) -> list[Path]:
    """Seed 000 as its agency's 2019 and 2021 reports (the same text: a copied report)."""
    text = (SEEDS / SEED_2020).read_text(encoding="utf-8")
    before = folder / "kjj_2019.txt"
    before.write_text(text.replace("2020", "2019").replace("2021", "2020"), encoding="utf-8")
    after = folder / "kjj_2021.txt"
    after.write_text(text.replace("2021", "2022").replace("2020", "2021"), encoding="utf-8")
    return [before, after]


def build(folder: Path) -> Path:
    """Import everything into ``folder/review.sqlite``; return its path."""
    files = folder / "files"
    files.mkdir()
    for name in DEV_FILES:
        shutil.copy2(DEV / name, files / name)
    variants = year_variants(files)
    db = folder / "review.sqlite"
    code, out, err = run("import", *[str(files / n) for n in DEV_FILES], str(SEEDS),
                         *map(str, variants), "--db", str(db))
    assert code == 0, err
    return db


def ids(db: Path) -> dict[str, int]:
    """Report id by file name."""
    with open_store(db) as s:
        return {r["file_name"]: r["id"] for r in s.list_reports()}


def copy(db: Path, to: Path) -> Path:
    target = to / "review.sqlite"
    shutil.copy2(db, target)
    return target
