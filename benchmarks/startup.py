"""CLI start-up: wall time of each command beside ``python -c "import pdfplumber"``, and
what each command imports.

    .venv/bin/python benchmarks/startup.py [--runs 7] [--reports 2000] [--keep DIR]

Every figure is the median of ``--runs`` runs in fresh processes, the commands taken in
turn within each round (side by side: the machine's load hits them alike). Printed:

1. wall seconds of each command and its ratio to the baseline, with the goal of
   issue 15 where there is one: ``extract REAL.pdf`` ≤ 1.0×, ``list`` on a database of
   ``--reports`` reports ≤ 0.6× (the database is generated, see store_bench.generate);
2. per command, from ``python -X importtime``: the total self time of all imports (ms),
   and the modules it must not load (the store's sqlite-utils and numpy, OCR, Qt …).
   Any such module loaded is printed as HEAVY MODULE and the script exits 1; a total
   over the command's budget is printed (importtime's figures swing with the load).

Runs keep their bytecode (in a folder of the temporary directory), as an installed
program does. ``--before DIR`` also times the same commands of another checkout of the program (e.g.
``git archive`` of an older commit) in the same rounds, for before/after figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "benchmarks")]

from datapaths import REAL_DIR, SEEDS_DIR  # noqa: E402

PYTHON = sys.executable
MAIN = str(REPO / "main.py")
BASELINE = [PYTHON, "-c", "import pdfplumber"]
BASELINE_LABEL = 'python -c "import pdfplumber"'
PYCACHE = Path(tempfile.gettempdir()) / "nianbao-startup-bench-pycache"

# Modules a command must not import: the heavy ones, each loaded only where needed.
HEAVY = ("sqlite_utils", "numpy", "pandas", "PySide6", "rapidocr", "onnxruntime", "cv2",
         "pypdfium2", "openpyxl", "pdfplumber", "docx", "lxml")
# Modules of the program a command must not import (e.g. the extractor for ``list``).
NOT_FOR_STORE_READS = ("core.extract", "core.checker", "core.pipeline", "core.sandbox",
                       "core.readers")
# ``list`` and ``search`` print no cell or rule name and parse no value.
NOT_FOR_LISTS = ("core.template", "core.rule_names", "core.correction_values")
# Commands that only read a report's row, the list, the search or the history open a
# core.store_read.ReportReader: not the store, nor the model's data classes (dataclasses
# imports inspect, ~7 ms).
NOT_FOR_READERS = ("core.store", "core.model")
# Nor, for list and search, what only data classes and annotations need (~9 ms together).
STDLIB_NOT_FOR_LISTS = ("dataclasses", "typing")
# One file is read in a forked child over a plain pipe (core.sandbox_task): the pool
# (core.sandbox) with multiprocessing, concurrent.futures and logging is for several
# files; the second reader only for a doubtful table; and a PDF needs no zip reader.
NOT_FOR_ONE_FILE = ("multiprocessing", "concurrent.futures", "logging", "core.sandbox",
                    "core.extract.second_reader", "zipfile")


def commands(real_pdf: Path, db: Path, report_id: int) -> list[tuple[str, list[str],
                                                                     tuple[str, ...], float]]:
    """(label, argv, modules it must not load, import budget in ms of self time)."""
    d = ["--db", str(db)]
    return [
        ("--help", ["--help"], HEAVY + NOT_FOR_STORE_READS + ("core.store",), 40),
        # Two processes import at once (the reading child, and the parent loading the
        # extractor meanwhile): typing, dataclasses and core.document in both, and their
        # self times stretch when they share the cores (quiet: 90-105 ms).
        (f"extract {real_pdf.name}", ["extract", str(real_pdf)],
         tuple(m for m in HEAVY if m != "numpy") + ("core.store",) + NOT_FOR_ONE_FILE, 115),
        ("list", ["list", *d],
         HEAVY + NOT_FOR_STORE_READS + NOT_FOR_LISTS + NOT_FOR_READERS + STDLIB_NOT_FOR_LISTS, 35),
        # show prints the proposed conclusion: the line results need the check catalogue
        # (core.catalogue), not the checker.
        (f"show {report_id}", ["show", str(report_id), *d], HEAVY + NOT_FOR_STORE_READS, 60),
        ("search 复议", ["search", "复议", *d],
         HEAVY + NOT_FOR_STORE_READS + NOT_FOR_LISTS + NOT_FOR_READERS + STDLIB_NOT_FOR_LISTS, 35),
        # history names the cells: core.template (and its dataclasses).
        (f"history {report_id}", ["history", str(report_id), *d],
         HEAVY + NOT_FOR_STORE_READS + NOT_FOR_READERS, 50),
    ]


def build_database(work: Path, reports: int) -> Path:
    """``reports`` reports: the seeds imported, then copied as rows with names varied."""
    from store_bench import generate

    from core.pipeline import iter_import
    from core.store import open_store

    source = work / "source.sqlite"
    store = open_store(source)
    try:
        for _ in iter_import(store, sorted(SEEDS_DIR.glob("*.txt"))):
            pass
    finally:
        store.close()
    db = work / f"reports-{reports}.sqlite"
    generate(db, source, reports)
    return db


# Builds a database with another checkout's own store (its schema), in a child process.
BUILD_WITH_TREE = """
import sys
from pathlib import Path
tree, seeds, folder, n = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
sys.path[:0] = [str(tree), str(tree / "benchmarks")]
from core.pipeline import iter_import
from core.store import open_store
from store_bench import generate
store = open_store(folder / "source.sqlite")
for _ in iter_import(store, sorted(seeds.glob("*.txt"))):
    pass
store.close()
generate(folder / "reports.sqlite", folder / "source.sqlite", n)
"""


def build_database_with(tree: Path, folder: Path, reports: int) -> Path:
    """:func:`build_database` by another checkout's own store (its schema version)."""
    subprocess.run([sys.executable, "-c", BUILD_WITH_TREE, str(tree), str(SEEDS_DIR),
                    str(folder), str(reports)], check=True, cwd=tree,
                   stdout=subprocess.DEVNULL)
    return folder / "reports.sqlite"


def _env(tree: Path) -> dict[str, str]:
    """The environment of a timed run: bytecode cached (in the benchmark's own folder),
    as for an installed program; PYTHONDONTWRITEBYTECODE would make every run compile
    the program's modules again, while the baseline's come compiled from site-packages."""
    env = dict(os.environ, PYTHONPATH=str(tree), PYTHONPYCACHEPREFIX=str(PYCACHE))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def wall(argv: list[str], tree: Path = REPO) -> float:
    env = _env(tree)
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                   cwd=tree, env=env)
    return time.perf_counter() - start


def import_profile(argv: list[str], tree: Path = REPO) -> tuple[float, set[str]]:
    """(total self time of the imports in ms, names of the modules imported)."""
    env = _env(tree)
    res = subprocess.run([PYTHON, "-X", "importtime", str(tree / "main.py"), *argv],
                         capture_output=True, text=True, env=env, cwd=tree, check=False)
    total = 0.0
    names = set()
    for line in res.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _cumulative, name = line[len("import time:"):].split("|")
        total += int(self_us) / 1000
        names.add(name.strip())
    return total, names


def loaded(names: set[str], banned: tuple[str, ...]) -> list[str]:
    return sorted(b for b in banned if any(n == b or n.startswith(b + ".") for n in names))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--reports", type=int, default=2000)
    ap.add_argument("--keep", type=Path, help="keep the generated database in this folder")
    ap.add_argument("--before", type=Path, metavar="DIR",
                    help="another checkout of the program to time beside this one")
    args = ap.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="startup-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    real_pdf = sorted(REAL_DIR.glob("*.pdf"))[0]
    try:
        db = build_database(work, args.reports)
        import sqlite3

        with sqlite3.connect(db) as conn:
            report_id = conn.execute("SELECT max(id) FROM reports").fetchone()[0]
        cmds = commands(real_pdf, db, report_id)
        goals = {f"extract {real_pdf.name}": 1.0, "list": 0.6}
        runs = [(None, BASELINE)] + [(REPO, [PYTHON, MAIN, *a]) for _, a, _, _ in cmds]
        if args.before:
            before = args.before.resolve()
            folder = work / "before"
            folder.mkdir(exist_ok=True)
            before_cmds = commands(real_pdf, build_database_with(before, folder, args.reports),
                                   report_id)
            runs += [(before, [PYTHON, str(before / "main.py"), *a])
                     for _, a, _, _ in before_cmds]
        for tree, argv_ in runs:  # warm the page cache
            wall(argv_, tree or REPO)
        times: list[list[float]] = [[] for _ in runs]
        for _ in range(args.runs):
            for k, (tree, argv_) in enumerate(runs):
                times[k].append(wall(argv_, tree or REPO))
        base = statistics.median(times[0])
        meds = [statistics.median(t) for t in times[1:]]
        print(f"load average: {os.getloadavg()[0]:.2f} (2 cores); {args.runs} runs each, "
              f"median; database: {args.reports} reports")
        head = f"{'command':34s} {'wall s':>7s} {'ratio':>6s}"
        if args.before:
            head += f" {'before':>7s} {'ratio':>6s}"
        print(head + "  goal")
        print(f"{BASELINE_LABEL:34s} {base:7.3f} {1:6.2f}")
        n = len(cmds)
        for k, (label, _, _, _) in enumerate(cmds):
            med = meds[k]
            line = f"main.py {label:26s} {med:7.3f} {med / base:6.2f}"
            if args.before:
                line += f" {meds[n + k]:7.3f} {meds[n + k] / base:6.2f}"
            goal = goals.get(label)
            if goal is not None:
                line += f"  ≤ {goal:.1f}× {'ok' if med / base <= goal else 'MISSED'}"
            print(line)
        print("\nimports (python -X importtime, self times summed, ms):")
        print(f"{'command':34s} {'ms':>6s} {'budget':>6s}  heavy modules loaded")
        failed = False
        for label, argv_, banned, budget in cmds:
            total, names = import_profile(argv_)
            bad = loaded(names, banned)
            failed |= bool(bad)  # times swing with the load; a heavy module is a bug
            state = ", ".join(bad) if bad else "none"
            over = "  HEAVY MODULE" if bad else "  over the time budget" if total > budget else ""
            line = f"main.py {label:26s} {total:6.0f} {budget:6.0f}  {state}{over}"
            if args.before:
                bargv = next(a for lb, a, _, _ in before_cmds if lb == label)
                btotal, bnames = import_profile(bargv, args.before.resolve())
                line += f"   (before: {btotal:.0f} ms; {', '.join(loaded(bnames, banned))})"
            print(line)
        return 1 if failed else 0
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
