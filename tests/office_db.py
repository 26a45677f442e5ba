"""A review database with the three real reports imported once per test session.

Tests of the register, notices, the circular and the combined tables copy it
(:func:`copy_of`) so each may change its copy.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from datapaths import REAL_DIR as REAL

from cli.main import main

CITY_2024 = REAL / "huaian-city-gov-2024.pdf"
HONGZE_2023 = REAL / "huaian-hongze-district-gov-2023.pdf"
HONGZE_2024 = REAL / "huaian-hongze-district-gov-2024.pdf"
REAL_FILES = (CITY_2024, HONGZE_2023, HONGZE_2024)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)  # type: ignore[arg-type]
    return code, out.getvalue(), err.getvalue()


def build(folder: Path) -> Path:
    db = folder / "real.sqlite"
    code, _, err = run("import", *map(str, REAL_FILES), "--db", str(db), "--jobs", "1")
    assert code == 0, err
    return db


def copy_of(db: Path, folder: Path) -> Path:
    target = folder / "copy.sqlite"
    for suffix in ("", "-wal", "-shm"):
        src = db.with_name(db.name + suffix)
        if src.exists():
            shutil.copy2(src, target.with_name(target.name + suffix))
    return target
