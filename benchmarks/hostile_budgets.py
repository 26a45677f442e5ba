"""Seconds to refuse each full-size hostile file of issue 12, through the command line.

    .venv/bin/python benchmarks/hostile_budgets.py [--keep DIR]

Makes the files (tests/hostile_files.py) in a temporary folder: PNG and TIFF
decompression bombs, a bomb PNG named .pdf, a 1 × 5,000,000 PNG, a 2,000-frame TIFF, a
300-page blank scan, a 50 MB page of 5 million table cells, 150 MB of empty tags, a page
nested 3,000 deep, and a units list of 3 million rows; then runs ``main.py extract FILE``
(``main.py overview --units FILE`` for the list) on each and prints the wall time and
the reason given. The issue's bar: each refused, with a reason, in under 30 s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import hostile_files as hostile  # noqa: E402
from datapaths import SEEDS_DIR  # noqa: E402


def make(folder: Path) -> list[tuple[str, list[str]]]:
    seed = next(SEEDS_DIR.glob("000_*.txt"))
    files = [
        hostile.png(folder / "bomb.png", 20000, 20000),
        hostile.png(folder / "bomb-named.pdf", 20000, 20000),
        hostile.tiff_bomb(folder / "bomb.tif"),
        hostile.png(folder / "sliver.png", 1, 5_000_000),
        hostile.tiff_frames(folder / "frames-2000.tif", 2000),
        hostile.blank_scan_pdf(folder / "blank-300-pages.pdf", 300),
        hostile.wide_html(folder / "wide-50mb.html", 5_000_000),
        hostile.empty_tags_html(folder / "empty-tags-150mb.html"),
        hostile.deep_html(folder / "deep-3000.html", 3000, seed.read_text(encoding="utf-8")),
    ]
    runs = [(f.name, ["extract", str(f)]) for f in files]
    units = hostile.units_xlsx(folder / "units-3m-rows.xlsx", 3_000_000)
    db = folder / "db" / "reviews.sqlite"
    subprocess.run([sys.executable, str(ROOT / "main.py"), "import", str(seed), "--db", str(db)],
                   check=True, capture_output=True, env=_env())
    runs.append((units.name, ["overview", "--units", str(units), "--db", str(db)]))
    return runs


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--keep", type=Path, help="make the files here and keep them")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        runs = make(folder)
        worst = 0.0
        for name, cmd in runs:
            size = (folder / name).stat().st_size
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, str(ROOT / "main.py"), *cmd], env=_env(),
                                  capture_output=True, text=True, timeout=600)
            seconds = time.perf_counter() - start
            worst = max(worst, seconds)
            reason = (proc.stderr.strip().splitlines() or ["(no message)"])[-1]
            print(f"{seconds:6.2f} s  {size / 2**20:7.2f} MB  exit {proc.returncode}  {name}: "
                  f"{reason[:160]}")
        print(f"slowest refusal: {worst:.2f} s (bar: 30 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
