"""How long the checker takes on one report (the budget: under 5 ms).

    .venv/bin/python benchmarks/check_speed.py [--rounds 50]

Builds every dev corpus truth file into a Report with its prose (tests/checker_corpus.py),
adds the previous year (the same report one year earlier, so the cross-year checks run
too), warms up, then times ``check`` over all of them and prints the median and the
slowest milliseconds per report.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from checker_corpus import load, truth_files  # noqa: E402

from core.checker import check  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=50)
    args = ap.parse_args()
    reports = [load(p)[1] for p in truth_files()]
    previous = []
    for p in truth_files():
        prev = load(p)[1]
        prev.year = (prev.year or 2022) - 1
        previous.append(prev)
    for r, prev in zip(reports, previous, strict=True):  # warm-up (regex and format caches)
        check(r, prev)
    for label, pairs in (("alone", [(r, None) for r in reports]),
                         ("with previous year", list(zip(reports, previous, strict=True)))):
        times = []
        for _ in range(args.rounds):
            for r, prev in pairs:
                t0 = time.perf_counter()
                check(r, prev)
                times.append(time.perf_counter() - t0)
        ms = [t * 1000 for t in times]
        print(f"check, {label:18s}: median {statistics.median(ms):.3f} ms, "
              f"p95 {sorted(ms)[int(len(ms) * 0.95)]:.3f} ms, max {max(ms):.3f} ms "
              f"per report ({len(pairs)} reports x {args.rounds} rounds)")


if __name__ == "__main__":
    main()
