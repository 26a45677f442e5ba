"""Export memory and time: ``main.py export`` at 200 and at 2,000 reports, side by side.

    .venv/bin/python benchmarks/export_bench.py [--small 200] [--large 2000]
                                                [--formats json,jsonl,csv,xlsx]
                                                [--before DIR] [--keep DIR]

Two databases are generated (benchmarks/startup.build_database: the seeds imported,
then copied as rows). Each export runs in a fresh process; printed per format: its peak
RSS at each size, the ratio large/small (issue 15's goal for ``--json``: ≤ 1.2), and
milliseconds per report at the large size. ``--before DIR`` runs another checkout of the
program (e.g. ``git archive`` of an older commit) on the same databases.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "benchmarks")]

from startup import build_database, build_database_with  # noqa: E402

GOAL = {"json": 1.2}
OPTION = {"json": "--json", "jsonl": "--jsonl", "csv": "--csv", "xlsx": "--xlsx"}


def run_export(tree: Path, db: Path, fmt: str, out: Path) -> tuple[float, float]:
    """(peak RSS in MiB, wall seconds) of one export in a fresh process."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(tree / "main.py"), "export", OPTION[fmt],
                             str(out), "--db", str(db)], cwd=tree, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{tree}: export {OPTION[fmt]} failed: {err.strip()}")
    return usage.ru_maxrss / 1024, wall


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--small", type=int, default=200)
    ap.add_argument("--large", type=int, default=2000)
    ap.add_argument("--formats", default="json,jsonl,csv,xlsx")
    ap.add_argument("--before", type=Path, metavar="DIR")
    ap.add_argument("--keep", type=Path)
    args = ap.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="export-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        dbs = {}
        for n in (args.small, args.large):
            folder = work / str(n)
            folder.mkdir(exist_ok=True)
            dbs[n] = build_database(folder, n)
        trees = [("now", REPO)] + ([("before", args.before.resolve())] if args.before else [])
        before_dbs = {}
        if args.before:
            for n in (args.small, args.large):
                folder = work / f"before-{n}"
                folder.mkdir(exist_ok=True)
                before_dbs[n] = build_database_with(args.before.resolve(), folder, n)
        print(f"load average: {os.getloadavg()[0]:.2f} (2 cores)")
        print(f"{'tree':7s} {'format':6s} {'RSS ' + str(args.small):>9s} "
              f"{'RSS ' + str(args.large):>10s} {'ratio':>6s} {'ms/report':>10s}  goal")
        for fmt in args.formats.split(","):
            if fmt not in OPTION:
                continue
            for label, tree in trees:
                if label == "before" and fmt == "jsonl":
                    continue  # older checkouts have no --jsonl
                figures = {}
                for n, db in (before_dbs if label == "before" else dbs).items():
                    target = work / f"out-{label}-{n}.{fmt}"
                    figures[n] = run_export(tree, db, fmt, target)
                    if target.is_dir():
                        shutil.rmtree(target)
                    else:
                        target.unlink(missing_ok=True)
                small, large = figures[args.small][0], figures[args.large][0]
                per = 1000 * figures[args.large][1] / args.large
                goal = GOAL.get(fmt)
                verdict = "" if goal is None or label != "now" else (
                    f"≤ {goal}× {'ok' if large / small <= goal else 'MISSED'}")
                print(f"{label:7s} {fmt:6s} {small:7.0f}Mi {large:8.0f}Mi {large / small:6.2f} "
                      f"{per:10.2f}  {verdict}", flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
