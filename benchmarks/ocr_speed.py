"""OCR speed and memory: seconds per scanned page, peak RSS of the OCR process(es).

    .venv/bin/python benchmarks/ocr_speed.py [--pages 18] [--modes inproc,pool1,pool2]
                                             [--cli]

Pages: those of the scanned PDFs of tests/data/corpus/dev (A4, rendered at 150 dpi as
core.readers.ocr renders them), the first ``--pages`` of them. Each mode runs in a fresh
child process, so the figures include the model load and nothing else is in memory:

* ``inproc``: one engine in the calling process, onnxruntime using every core (what a
  single-file CLI call and each GUI import worker do by default);
* ``inproc1``: the same with one onnxruntime thread (what each of two parallel import
  workers would best use);
* ``pool1``: one spawned worker process (initializer loads the models), all cores;
* ``pool2``: two spawned worker processes, one onnxruntime thread each.

Printed per mode: wall seconds per page over all pages (start-up included), seconds per
page after the first (steady state), the first page's latency, CPU seconds per page, and
the peak RSS of the calling process and of each worker. ``--cli`` also times one
``main.py extract`` of a 3-page scanned report end to end. The machine's load average
is printed first: other work on the two cores slows every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # tests/datapaths.py: where the test data is

from datapaths import DEV_CORPUS  # noqa: E402


def scanned_pdfs() -> list[Path]:
    files = []
    for truth in sorted(DEV_CORPUS.glob("*.truth.json")):
        source = json.loads(truth.read_text(encoding="utf-8"))["source"]
        if source.get("kind") == "scanned-pdf":
            files.append(truth.parent / source["file"])
    return files


def _vm_hwm(pid: int) -> float:
    """Peak RSS (MiB) of a live process, from /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_mode(mode: str, pages: int) -> dict:
    """Time one mode (called in a child process)."""
    sys.path.insert(0, str(ROOT))
    from core.readers import ocr

    items = []
    for path in scanned_pdfs():
        data = path.read_bytes()
        n = 3
        for i, img in enumerate(ocr.render_pages(data, range(n))):
            items.append((i + 1, img, 72 / ocr.DPI))
    items = items[:pages]
    if mode == "inproc":
        pool = ocr.OcrPool(1, in_process=True)
    elif mode == "inproc1":
        pool = ocr.OcrPool(1, in_process=True)
        pool.threads = 1
    elif mode == "pool1":
        pool = ocr.OcrPool(1, in_process=False)
    else:
        pool = ocr.OcrPool(2, in_process=False)
    times: list[float] = []
    t0 = time.perf_counter()
    c0 = time.process_time()
    last = t0

    def progress(done: int, total: int) -> None:
        nonlocal last
        now = time.perf_counter()
        if done:
            times.append(now - last)
        last = now

    hwm: list[float] = []
    results = pool.run(items, progress)
    wall = time.perf_counter() - t0
    hwm = [_vm_hwm(pid) for pid in pool.worker_pids()]
    worker_cpu = 0.0
    pool.shutdown()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker_cpu = children.ru_utime + children.ru_stime
    cpu = time.process_time() - c0 + worker_cpu
    boxes = sum(r.boxes for r in results)
    return {
        "mode": mode, "pages": len(items), "threads": pool.threads, "wall": wall,
        "per_page": wall / len(items), "first": times[0] if times else wall,
        "steady": (sum(times[1:]) / (len(times) - 1)) if len(times) > 1 else wall,
        "cpu_per_page": cpu / len(items), "boxes": boxes,
        "rss_main_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_workers_mib": hwm,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=18)
    ap.add_argument("--modes", default="inproc,pool1,pool2")
    ap.add_argument("--cli", action="store_true")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        print(json.dumps(run_mode(a.child, a.pages)))
        return
    if not scanned_pdfs():
        sys.exit("no scanned PDFs in tests/data/corpus/dev")
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores)")
    print(f"{'mode':7s} {'pages':>5s} {'thr':>3s} {'s/page':>7s} {'steady':>7s} {'first':>6s} "
          f"{'cpu/pg':>7s} {'RSS main':>9s} {'RSS workers':>14s}")
    for mode in a.modes.split(","):
        out = subprocess.run([sys.executable, __file__, "--child", mode, "--pages",
                              str(a.pages)], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        workers = ",".join(f"{m:.0f}" for m in r["rss_workers_mib"]) or "-"
        print(f"{r['mode']:7s} {r['pages']:5d} {r['threads']:3d} {r['per_page']:7.2f} "
              f"{r['steady']:7.2f} {r['first']:6.2f} {r['cpu_per_page']:7.2f} "
              f"{r['rss_main_mib']:7.0f}Mi {workers:>12s}Mi", flush=True)
    if a.cli:
        path = next(p for p in scanned_pdfs() if p.name.startswith("023"))
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "main.py"), "extract", str(path),
                        "--format", "json"], capture_output=True, check=True)
        dt = time.perf_counter() - t0
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        print(f"cli: main.py extract {path.name} (3 pages): {dt:.2f} s, "
              f"peak RSS {ru.ru_maxrss / 1024:.0f} MiB")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
