"""pdfplumber as the second reader: how often it is consulted, what it changes, what it costs.

    .venv/bin/python benchmarks/second_reader.py [FILE_OR_DIR ...] [--variants OUT_DIR]

Every text PDF given (default: the dev corpus and the real reports in tests/data), and with
``--variants`` the PDF variants of tests/variants built into OUT_DIR for every dev
report, is read and extracted once; then :func:`core.extract.second_reader.consult` is
timed on its own. Prints, per file set: files, files consulted, tables per outcome
(replaced / confirmed / kept / disputed / unread), cells changed and disputed, and the
extra seconds per report (median and worst, over all files and over consulted ones).
Scanned PDFs (read by OCR) never consult it and are skipped.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def pdfs(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        out += sorted(p.glob("*.pdf")) if p.is_dir() else [p]
    return [p for p in out if has_text_layer(p)]


def has_text_layer(path: Path) -> bool:
    """Whether a PDF's pages carry text (scans would be read by OCR: minutes, skipped)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return any(len(pdf[i].get_textpage().get_text_range().strip()) > 20
                   for i in range(len(pdf)))
    finally:
        pdf.close()


def measure(files: list[Path]) -> dict:
    import hashlib

    from core.extract import extract, second_reader
    from core.readers import read_document

    actions: Counter[str] = Counter()
    changed = disputed = consulted = 0
    extra: list[float] = []
    extra_consulted: list[float] = []
    n = 0
    for path in files:
        doc = read_document(path)
        if doc.kind != "pdf":
            continue
        n += 1
        report = extract(doc, path.name, hashlib.sha256(path.read_bytes()).hexdigest())
        start = time.perf_counter()
        outcomes = second_reader.consult(path, doc, report)
        seconds = time.perf_counter() - start
        extra.append(seconds)
        if outcomes:
            consulted += 1
            extra_consulted.append(seconds)
        for o in outcomes:
            actions[o.action] += 1
            changed += o.changed
            disputed += o.disputed
    return {"files": n, "consulted": consulted, "actions": dict(actions), "changed": changed,
            "disputed": disputed, "extra": extra, "extra_consulted": extra_consulted}


def show(name: str, m: dict) -> None:
    def stats(xs: list[float]) -> str:
        return f"median {statistics.median(xs):.3f} s, worst {max(xs):.3f} s" if xs else "-"

    print(f"{name}: {m['files']} text PDFs, second reader consulted on {m['consulted']}; "
          f"tables {m['actions']}; cells changed {m['changed']}, disputed {m['disputed']}")
    print(f"  extra seconds per report: all {stats(m['extra'])}; "
          f"consulted {stats(m['extra_consulted'])}", flush=True)


def build_variants(out: Path) -> list[Path]:
    from variants import VARIANTS, build_many
    from variants.layout import dev_ids

    cases = [(v, i) for v in VARIANTS if v.kind.startswith("pdf") for i in dev_ids()]
    out.mkdir(parents=True, exist_ok=True)
    return pdfs([p for _, _, p, _ in build_many(cases, out) if p.suffix == ".pdf"])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument("--variants", type=Path, help="build the PDF variants here and measure")
    args = ap.parse_args()
    from datapaths import DEV_CORPUS, REAL_DIR

    paths = args.paths or [DEV_CORPUS, REAL_DIR]
    show("given files", measure(pdfs(paths)))
    if args.variants:
        show("variants", measure(build_variants(args.variants)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
