"""Writers queue: two imports and a stream of corrections into one database at once.

Every write transaction of the store begins IMMEDIATE, so a writer that finds the
database locked waits (up to the busy timeout) for its turn instead of failing. Before,
a second ``import`` or a single ``correct`` aborted a running import ("in use by another
program") in 8 of 8 runs. Real processes, a real database file; nothing is timed: the
corrections go on for as long as either import runs.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from datapaths import SEEDS_DIR

REPO = Path(__file__).resolve().parent.parent
SEED = SEEDS_DIR / "000_e5f3c57cfcf76f91.txt"
FILES_PER_IMPORT = 20
CELL = "t3.new.total"


def _main(*args: str) -> list[str]:
    return [sys.executable, str(REPO / "main.py"), *args]


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(REPO), NIANBAO_DATA_DIR=str(tmp_path / "data"))
    return env


def _variants(folder: Path, count: int, tag: str) -> list[Path]:
    """``count`` different files (different bytes) of one seed report."""
    folder.mkdir(parents=True)
    text = SEED.read_text(encoding="utf-8")
    out = []
    for i in range(count):
        f = folder / f"{tag}-{i:02d}.txt"
        f.write_text(text + f"\n(副本 {tag}-{i})\n", encoding="utf-8")
        out.append(f)
    return out


def test_two_imports_and_corrections_at_once_all_get_in(tmp_path: Path) -> None:
    db = tmp_path / "reviews.sqlite"
    env = _env(tmp_path)
    first = subprocess.run(_main("import", str(SEED), "--db", str(db)), env=env,
                           capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    a = _variants(tmp_path / "a", FILES_PER_IMPORT, "a")
    b = _variants(tmp_path / "b", FILES_PER_IMPORT, "b")
    imports = [subprocess.Popen(_main("import", str(folder), "--db", str(db)), env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for folder in (a[0].parent, b[0].parent)]
    corrections: list[tuple[int, str, bool]] = []
    try:
        # Corrections for as long as an import runs (and at least three).
        while any(p.poll() is None for p in imports) or len(corrections) < 3:
            running = any(p.poll() is None for p in imports)
            value = str(100 + len(corrections))
            c = subprocess.run(_main("correct", "1", CELL, value, "--db", str(db)), env=env,
                               capture_output=True, text=True, timeout=300)
            corrections.append((c.returncode, c.stderr, running))
        results = [p.communicate(timeout=600) for p in imports]
    finally:
        for p in imports:
            if p.poll() is None:
                p.kill()
    for p, (out, err) in zip(imports, results, strict=True):
        assert p.returncode == 0, err[-3000:]
        assert f"新增 {FILES_PER_IMPORT} 份" in out, out
    assert [(code, err) for code, err, _ in corrections if code != 0] == []
    assert any(running for _, _, running in corrections), "no correction ran during an import"

    with sqlite3.connect(db) as conn:
        names = {r[0] for r in conn.execute("SELECT file_name FROM reports WHERE complete = 1")}
        history = [json.loads(r[0]) for r in conn.execute(
            "SELECT after FROM corrections WHERE report_id = 1 AND key = ? ORDER BY id",
            [CELL])]
    assert names >= {f.name for f in a + b}
    assert len(names) == 2 * FILES_PER_IMPORT + 1
    # Every correction is there, in order: nothing lost.
    assert history == [100 + i for i in range(len(corrections))]


def test_an_import_stopped_by_a_store_error_still_says_what_it_stored(tmp_path: Path) -> None:
    db = tmp_path / "reviews.sqlite"
    env = _env(tmp_path)
    first = subprocess.run(_main("import", str(SEED), "--db", str(db)), env=env,
                           capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    files = _variants(tmp_path / "more", 2, "m")
    # Another program holds the write lock for longer than the busy timeout (5 s).
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        proc = subprocess.run(_main("import", str(SEED), *map(str, files), "--db", str(db)),
                              env=env, capture_output=True, text=True, timeout=300)
    finally:
        holder.rollback()
        holder.close()
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "in use by another program" in proc.stderr or "占用" in proc.stderr, proc.stderr
    # The seed was found already stored before the lock stopped the rest: said so.
    assert "新增 0 份，已在库中 1 份" in proc.stdout, proc.stdout
