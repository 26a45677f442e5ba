"""A real ``python main.py import`` killed (SIGKILL) in a randomly chosen report's write
(tests/killpoints.py), or just after it, leaves a sound database.

Each import is one transaction and ``reports.complete`` is set last in it, so after
any kill: ``PRAGMA integrity_check`` is ok, every report row is complete and has all
its cells, its document text and its file, and the next import carries on.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from datapaths import DEV_CORPUS, SEEDS_DIR
from killpoints import HOOK_ENV, kill, stop_at

from core.store import open_store

REPO = Path(__file__).resolve().parent.parent
DEV = DEV_CORPUS
SEEDS = SEEDS_DIR
RUNS = 10

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def _corpus(folder: Path) -> int:
    """Born-digital dev reports, the seeds and re-published copies of the seeds."""
    folder.mkdir()
    n = 0
    for p in sorted(DEV.iterdir()):
        if p.suffix in (".docx", ".html", ".txt") or p.name in (
                "002_2a29e4d1.pdf", "003_b1886bff.pdf", "010_4aa0f586.pdf", "011_6da4f7b7.pdf"):
            shutil.copy2(p, folder / p.name)
            n += 1
    for seed in sorted(SEEDS.glob("*.txt")):
        data = seed.read_bytes()
        for i in range(8):
            # Different bytes, same agency and year: each one a new revision.
            (folder / f"{seed.stem}_r{i}.txt").write_bytes(data + f"\n第{i}版\n".encode())
            n += 1
    return n


def _import(folder: Path, db: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "main.py", "import", str(folder), "--db", str(db)],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def _check_consistent(db: Path) -> int:
    """Integrity ok and no half-imported report; returns the number of reports."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        bad = conn.execute(
            "SELECT r.id, r.complete, r.n_cells,"
            " (SELECT count(*) FROM cells c WHERE c.report_id = r.id),"
            " (SELECT count(*) FROM documents d WHERE d.report_id = r.id),"
            " (SELECT count(*) FROM files f WHERE f.sha256 = r.sha256)"
            " FROM reports r").fetchall()
        for rid, complete, n_cells, cells, docs, files in bad:
            assert (complete, cells, docs, files) == (1, n_cells, 1, 1), f"report {rid}"
            assert n_cells > 0
        orphans = conn.execute(
            "SELECT (SELECT count(*) FROM cells WHERE report_id NOT IN (SELECT id FROM reports))"
            " + (SELECT count(*) FROM findings WHERE report_id NOT IN (SELECT id FROM reports))"
            " + (SELECT count(*) FROM documents WHERE report_id NOT IN (SELECT id FROM reports))"
            " + (SELECT count(*) FROM files WHERE sha256 NOT IN (SELECT sha256 FROM reports))"
        ).fetchone()[0]
        assert orphans == 0
        return len(bad)
    finally:
        conn.close()


def test_killed_imports_leave_the_database_consistent(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    expected = _corpus(folder)
    env = dict(os.environ, NIANBAO_DATA_DIR=str(tmp_path / "data"), PYTHONHASHSEED="0")

    # One run to the end: what it stores.
    assert _import(folder, tmp_path / "reference.sqlite", env).wait(timeout=300) == 0
    assert _check_consistent(tmp_path / "reference.sqlite") == expected

    seed = random.randrange(1 << 32)
    rng = random.Random(seed)
    generation = 0
    db = tmp_path / f"killed-{generation}.sqlite"
    for run in range(RUNS):
        before = _check_consistent(db) if db.exists() else 0
        proc = _import(folder, db, dict(env, **HOOK_ENV))
        k = rng.randint(1, expected - before)
        where = f"run {run} (seed {seed}): report {k} of the {expected - before} left"
        assert stop_at(proc, k), f"{where}: the import ended first"
        # Even runs: killed inside the k-th report's transaction. Odd runs: killed just
        # after it was let go on, in its commit, between two reports or in the next parse.
        kill(proc, let_go=run % 2 == 1)
        n = _check_consistent(db)
        if run % 2 == 0:
            assert n == before + k - 1, where
        else:
            assert before + k - 1 <= n <= expected, where
        if n == expected:  # finished: start again on a new database
            generation += 1
            db = tmp_path / f"killed-{generation}.sqlite"

    # The last killed database opens and a new import finishes the job.
    if db.exists():
        with open_store(db) as s:
            assert s.integrity_check() == "ok"
        assert _import(folder, db, env).wait(timeout=300) == 0
        assert _check_consistent(db) == expected
