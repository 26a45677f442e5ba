"""The program killed (SIGKILL) 100 times: 50 times while importing, 50 times while
correcting cells, each time in a randomly chosen write (tests/killpoints.py: the store's
test hook stops the process inside that write's transaction), half of the times right
there and half just after letting it go on. After every kill the database passes
``PRAGMA integrity_check`` and the foreign-key check, holds no half-imported report, and
still has every correction the command line acknowledged before the kill (printed
"#id key: before → after"). The import half complements tests/test_store_kill.py (a
full corpus, 10 kills) with more kills on a smaller folder; the correction half is new.

Real processes, real files: ``python main.py import`` for imports; for corrections a
driver that runs the command line's ``correct`` in a loop (``cli.main``, exactly
what ``python main.py correct`` runs, without paying the interpreter start-up for each
one).
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from datapaths import DEV_CORPUS, SEEDS_DIR
from killpoints import HOOK_ENV, kill, stop_at

from core.store import open_store
from core.template import cell_name

REPO = Path(__file__).resolve().parent.parent
DEV = DEV_CORPUS
SEEDS = SEEDS_DIR
IMPORT_KILLS = 50
CORRECTION_KILLS = 50

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def _env(tmp_path: Path) -> dict[str, str]:
    return dict(os.environ, NIANBAO_DATA_DIR=str(tmp_path / "data"), PYTHONHASHSEED="0")


def _folder(folder: Path) -> int:
    """Seeds in three revisions each (each one a new revision of the same report), and a
    DOCX, an HTML and a PDF report: small, so that a kill lands in the writing often."""
    folder.mkdir()
    n = 0
    for seed in sorted(SEEDS.glob("*.txt")):
        data = seed.read_bytes()
        for i in range(3):
            (folder / f"{seed.stem}_r{i}.txt").write_bytes(data + f"\n第{i}版\n".encode())
            n += 1
    for name in ("001_10e7db0a.docx", "008_b936ac4b.html", "002_2a29e4d1.pdf"):
        shutil.copy2(DEV / name, folder / name)
        n += 1
    return n


def _import(folder: Path, db: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "main.py", "import", str(folder), "--db", str(db)],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def _sound(db: Path) -> int:
    """Integrity and foreign keys ok, every report whole; the number of reports."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        rows = conn.execute(
            "SELECT r.id, r.complete, r.n_cells,"
            " (SELECT count(*) FROM cells c WHERE c.report_id = r.id),"
            " (SELECT count(*) FROM documents d WHERE d.report_id = r.id),"
            " (SELECT count(*) FROM files f WHERE f.sha256 = r.sha256)"
            " FROM reports r").fetchall()
        for rid, complete, n_cells, cells, docs, files in rows:
            assert (complete, cells, docs, files) == (1, n_cells, 1, 1), f"half report {rid}"
        return len(rows)
    finally:
        conn.close()


def test_killed_imports_leave_no_half_report(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    expected = _folder(folder)
    env = _env(tmp_path)
    assert _import(folder, tmp_path / "reference.sqlite", env).wait(timeout=300) in (0, 1)
    assert _sound(tmp_path / "reference.sqlite") == expected

    seed = random.randrange(1 << 32)
    rng = random.Random(seed)
    generation = 0
    db = tmp_path / "killed-0.sqlite"
    for run in range(IMPORT_KILLS):
        before = _sound(db) if db.exists() else 0
        proc = _import(folder, db, dict(env, **HOOK_ENV))
        k = rng.randint(1, expected - before)
        where = f"run {run} (seed {seed}): report {k} of the {expected - before} left"
        assert stop_at(proc, k), f"{where}: the import ended first"
        # Even runs: killed inside the k-th report's transaction. Odd runs: killed just
        # after it was let go on, in its commit, between two reports or in the next parse.
        kill(proc, let_go=run % 2 == 1)
        n = _sound(db)
        if run % 2 == 0:
            assert n == before + k - 1, where
        else:
            assert before + k - 1 <= n <= expected, where
        if n == expected:
            generation += 1
            db = tmp_path / f"killed-{generation}.sqlite"
    # The next import finishes the job on whatever the last kill left.
    if db.exists():
        assert _import(folder, db, env).wait(timeout=300) in (0, 1)
        assert _sound(db) == expected


DRIVER = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from cli import main

for rid, key, value in json.loads(sys.argv[3]):
    main(["correct", str(rid), key, str(value), "--db", sys.argv[2], "--reason", "kill test"],
         out=sys.stdout, err=sys.stderr)
    sys.stdout.flush()
"""

# "#12 表三「（一）予以公开·自然人」：0 → 100001": id, the cell as printed, the new value.
ACK = re.compile(r"^#(\d+) (.+)：\S+ → (\S+)$")


def _lines(stream, into: list[str]) -> None:
    for raw in iter(stream.readline, b""):
        into.append(raw.decode("utf-8", "replace").rstrip("\n"))


def test_killed_corrections_lose_nothing_acknowledged(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy2(seed, folder / seed.name)
    shutil.copy2(DEV / "001_10e7db0a.docx", folder / "001_10e7db0a.docx")
    db = tmp_path / "review.sqlite"
    env = _env(tmp_path)
    assert _import(folder, db, env).wait(timeout=300) == 0
    with open_store(db) as store:
        reports = store.list_reports()
        fmt_of = {r["id"]: r["format"] for r in reports}
        targets = [(r["id"], c.key) for r in reports for c in store.cells(r["id"])
                   if isinstance(c.value, int)]
    assert len(targets) > 500

    seed = random.randrange(1 << 32)
    rng = random.Random(seed)
    acknowledged: dict[int, tuple[str, int]] = {}  # correction id -> (key, value)
    value = 100_000
    mid_write = 0
    for run in range(CORRECTION_KILLS):
        plan = []
        for rid, key in rng.sample(targets, 60):
            value += 1  # always a new value: a correction to the same value records nothing
            plan.append((rid, key, value))
        proc = subprocess.Popen([sys.executable, "-c", DRIVER, str(REPO), str(db),
                                 json.dumps(plan)], cwd=REPO, env=dict(env, **HOOK_ENV),
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        out: list[str] = []
        reader = threading.Thread(target=_lines, args=(proc.stdout, out), daemon=True)
        reader.start()
        k = rng.randint(1, len(plan))
        where = f"run {run} (seed {seed}): correction {k} of {len(plan)}"
        assert stop_at(proc, k), f"{where}: the driver ended first"
        # Even runs: killed inside the k-th correction's transaction. Odd runs: killed
        # just after it was let go on, in its commit, before or after its line is printed.
        kill(proc, let_go=run % 2 == 1)
        reader.join(timeout=10)

        acks = [ACK.match(line) for line in out if line.startswith("#")]
        assert all(acks), out
        # The CLI prints the cell's name, not its key: map the names back through the plan.
        planned = {(cell_name(key, fmt_of[rid]), str(v)): key for rid, key, v in plan}
        for m in acks:
            name, shown = m.group(2), m.group(3)
            assert (name, shown) in planned, m.group(0)
            acknowledged[int(m.group(1))] = (planned[name, shown], int(shown))

        assert _sound(db) == 6
        conn = sqlite3.connect(db)
        try:
            stored = {cid: (key, json.loads(after)) for cid, key, after in
                      conn.execute("SELECT id, key, after FROM corrections")}
        finally:
            conn.close()
        lost = {cid: kv for cid, kv in acknowledged.items() if stored.get(cid) != kv}
        assert not lost, f"acknowledged corrections lost: {lost}"
        # The k - 1 corrections before the kill were printed. Killed inside the k-th
        # transaction, nothing more is stored; killed after it, the last correction
        # stored may be unprinted (at most one per kill).
        if run % 2 == 0:
            assert len(acks) == k - 1, where
        else:
            assert len(acks) >= k - 1, where
        extra = len(stored) - len(acknowledged)
        assert mid_write <= extra <= mid_write + (run % 2), where
        mid_write = extra

    # Each cell's effective value is its last stored correction.
    with open_store(db) as store:
        assert store.integrity_check() == "ok"
        last: dict[tuple[int, str], int] = {}
        for r in store.list_reports():
            for h in store.history(r["id"]):
                last[(r["id"], h["key"])] = h["after"]
            values = store.effective_values(r["id"])
            for (rid, key), v in last.items():
                if rid == r["id"]:
                    assert values[key] == v
