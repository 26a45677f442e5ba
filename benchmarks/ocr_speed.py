"""OCR speed and memory: seconds per scanned page, peak RSS of the OCR process(es).

    .venv/bin/python benchmarks/ocr_speed.py [--pages 18] [--modes inproc,pool1,pool2]
                                             [--paths page,scaled] [--cli]

Pages: those of the scanned PDFs of tests/data/corpus/dev (A4, rendered at 150 dpi as
core.readers.ocr renders them), the first ``--pages`` of them. Each mode runs in a fresh
child process, so the figures include the model load and nothing else is in memory:

* ``inproc``: one engine in the calling process, onnxruntime using every core (what a
  single-file CLI call and each GUI import worker do by default);
* ``inproc1``: the same with one onnxruntime thread (what each of two parallel import
  workers would best use);
* ``pool1``: one spawned worker process (initializer loads the models), all cores;
* ``pool2``: two spawned worker processes, one onnxruntime thread each.

Each mode runs once per reading path (``--paths``; core.readers.ocr.PATH_ENV): ``page``,
the old path (RapidOCR's pipeline on the whole page at full resolution), and ``scaled``
(the detector on the page scaled to its text height, long lines read one at a time),
taken in turn so that the machine's load hits both alike; the ratio scaled/page of the
seconds per page is printed per mode (issue 15's goal: ≤ 0.7), and whether each OCR
process stayed under 500 MiB.

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
    ap.add_argument("--paths", default="page,scaled",
                    help="reading paths to compare (core.readers.ocr.PATH_ENV)")
    ap.add_argument("--cli", action="store_true")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        print(json.dumps(run_mode(a.child, a.pages)))
        return
    if not scanned_pdfs():
        sys.exit("no scanned PDFs in tests/data/corpus/dev")
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores)")
    print(f"{'mode/path':14s} {'pages':>5s} {'thr':>3s} {'s/page':>7s} {'steady':>7s} "
          f"{'first':>6s} {'cpu/pg':>7s} {'RSS main':>9s} {'RSS workers':>14s}")
    sys.path.insert(0, str(ROOT))
    from core.readers.ocr import PATH_ENV

    paths = a.paths.split(",")
    for mode in a.modes.split(","):
        per_page = {}
        for path in paths:
            env = dict(os.environ, **{PATH_ENV: path})
            out = subprocess.run([sys.executable, __file__, "--child", mode, "--pages",
                                  str(a.pages)], capture_output=True, text=True, check=True,
                                 env=env)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            per_page[path] = (r["per_page"], r["cpu_per_page"])
            workers = ",".join(f"{m:.0f}" for m in r["rss_workers_mib"]) or "-"
            ocr_rss = max(r["rss_workers_mib"] or [r["rss_main_mib"]])
            print(f"{r['mode'] + '/' + path:14s} {r['pages']:5d} {r['threads']:3d} "
                  f"{r['per_page']:7.2f} {r['steady']:7.2f} {r['first']:6.2f} "
                  f"{r['cpu_per_page']:7.2f} {r['rss_main_mib']:7.0f}Mi {workers:>12s}Mi"
                  f"  {'≤ 500 MiB ok' if ocr_rss <= 500 else '> 500 MiB'}", flush=True)
        if "page" in per_page and len(per_page) > 1:
            for path, (secs, cpu) in per_page.items():
                if path != "page":
                    ratio = secs / per_page["page"][0]
                    # CPU seconds too: the wall clock also counts the other work on the
                    # two cores, which may change between the two runs.
                    print(f"  {mode}: {path}/page = {ratio:.2f} wall, "
                          f"{cpu / per_page['page'][1]:.2f} CPU "
                          f"({'≤ 0.7 ok' if ratio <= 0.7 else 'goal 0.7 MISSED'})")
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
