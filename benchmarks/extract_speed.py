"""Extraction speed per file kind, peak memory, and a batch on one core against two.

    .venv/bin/python benchmarks/extract_speed.py [--rounds 3]

Reads every born-digital report of tests/data/corpus/dev, tests/data/corpus/real and the seeds
(read + extract + check, in this process after a warm-up), prints the median and the
slowest seconds per report for each kind, the peak RSS, and the wall time of the whole
batch through the CLI's process pool with 1 and with 2 workers.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # tests/datapaths.py: where the test data is

from datapaths import DEV_CORPUS, REAL_DIR, SEEDS_DIR  # noqa: E402

from core.errors import ReportError  # noqa: E402
from core.model import Report  # noqa: E402
from core.pipeline import analyse, each_report  # noqa: E402


def corpus() -> list[tuple[str, Path]]:
    files: list[tuple[str, Path]] = []
    for truth in sorted(DEV_CORPUS.glob("*.truth.json")):
        t = json.loads(truth.read_text(encoding="utf-8"))
        if t["source"].get("render") != "scanned":
            files.append((t["source"]["render"], truth.parent / t["source"]["file"]))
    files += [("real-pdf", p) for p in sorted(REAL_DIR.glob("*.pdf"))]
    files += [("seed-txt", p) for p in sorted(SEEDS_DIR.glob("*.txt"))]
    return files


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    files = corpus()
    for _, p in files[:3]:  # warm imports and caches
        analyse(p)
    per_kind: dict[str, list[float]] = defaultdict(list)
    for _ in range(args.rounds):
        for kind, p in files:
            t0 = time.perf_counter()
            try:
                analyse(p)
            except ReportError:
                continue
            per_kind[kind].append(time.perf_counter() - t0)
    print(f"machine: {platform.processor() or platform.machine()}, "
          f"{__import__('os').cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'kind':12} {'files':>5} {'median s':>9} {'max s':>7}")
    for kind, times in sorted(per_kind.items()):
        n = len(times) // args.rounds
        print(f"{kind:12} {n:5d} {statistics.median(times):9.3f} {max(times):7.3f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {peak:.0f} MiB")

    paths = [str(p) for _, p in files]
    for jobs in (1, 2):
        t0 = time.perf_counter()
        n = sum(1 for _, r in each_report(paths, jobs) if isinstance(r, Report))
        dt = time.perf_counter() - t0
        print(f"batch of {n} reports with {jobs} worker(s): {dt:.2f} s "
              f"({n / dt:.1f} reports/s)")


if __name__ == "__main__":
    main()
