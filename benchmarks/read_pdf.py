"""PDF reading speed: our PDFium reader against bare pdfplumber, per file and peak memory.

    .venv/bin/python benchmarks/read_pdf.py [--rounds 5]

Reads every text PDF of tests/data/corpus/dev (the pdf-word and pdf-direct ones) and
tests/data/corpus/real. Each engine runs in its own child process, so each peak RSS
(resource.getrusage) is that engine's alone:

* ``reader``: core.readers.pdf.read (rows and word tokens of every page);
* ``pdfplumber``: ``page.dedupe_chars().extract_tables()`` plus ``extract_text()`` on
  every page, ``page.close()`` after each: what a pdfplumber-based reader would cost.

Per file, the median of ``--rounds`` reads after one warm-up read; then the median and
the maximum over all files, in seconds, and seconds per page.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # tests/datapaths.py: where the test data is

from datapaths import DEV_CORPUS, REAL_DIR  # noqa: E402


def text_pdfs() -> list[Path]:
    files = []
    for truth_path in sorted(DEV_CORPUS.glob("*.truth.json")):
        source = json.loads(truth_path.read_text(encoding="utf-8"))["source"]
        if source.get("render") in ("pdf-word", "pdf-direct"):
            files.append(truth_path.parent / source["file"])
    return files + sorted(REAL_DIR.glob("*.pdf"))


def run_engine(engine: str, rounds: int) -> dict:
    """Time one engine on every file (called in a child process)."""
    sys.path.insert(0, str(ROOT))
    if engine == "reader":
        from core.readers import pdf

        def read(path: Path, data: bytes) -> int:
            return pdf.read(path, data).pages
    else:
        import pdfplumber

        def read(path: Path, data: bytes) -> int:
            with pdfplumber.open(path) as doc:
                for page in doc.pages:
                    page.dedupe_chars().extract_tables()
                    page.extract_text()
                    page.close()
                return len(doc.pages)

    per_file = {}
    for path in text_pdfs():
        data = path.read_bytes()
        pages = read(path, data)  # warm-up: imports, caches
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            read(path, data)
            times.append(time.perf_counter() - start)
        per_file[path.name] = {"seconds": statistics.median(times), "pages": pages}
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {"files": per_file, "peak_rss_mib": peak_kib / 1024}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--engine", choices=["reader", "pdfplumber"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.engine:  # child process
        print(json.dumps(run_engine(args.engine, args.rounds)))
        return

    results = {}
    for engine in ("reader", "pdfplumber"):
        done = subprocess.run([sys.executable, __file__, "--engine", engine,
                               "--rounds", str(args.rounds)],
                              capture_output=True, text=True, check=True)
        results[engine] = json.loads(done.stdout)

    names = list(results["reader"]["files"])
    print(f"{'file':38s} {'pages':>5s} {'reader s':>9s} {'pdfplumber s':>13s} {'ratio':>6s}")
    for name in names:
        ours = results["reader"]["files"][name]
        theirs = results["pdfplumber"]["files"][name]
        print(f"{name:38s} {ours['pages']:5d} {ours['seconds']:9.4f} "
              f"{theirs['seconds']:13.4f} {theirs['seconds'] / ours['seconds']:6.1f}")
    print()
    for engine, result in results.items():
        files = result["files"].values()
        secs = [f["seconds"] for f in files]
        per_page = [f["seconds"] / f["pages"] for f in files]
        print(f"{engine:10s} per file: median {statistics.median(secs):.4f} s, "
              f"max {max(secs):.4f} s; per page: median {statistics.median(per_page):.4f} s; "
              f"peak RSS {result['peak_rss_mib']:.0f} MiB")
    print(f"({len(names)} files, median of {args.rounds} reads each after a warm-up)")


if __name__ == "__main__":
    main()
