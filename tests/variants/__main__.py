"""Run every variant over dev reports and list the cells each gets wrong.

    cd tests && ../.venv/bin/python -m variants [ID ...] [--only NAME ...] [--out DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from variants import BY_NAME, VARIANTS, build_many, wrong_cells  # noqa: E402
from variants.layout import dev_ids  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("ids", nargs="*", help="dev report ids (default: all)")
    ap.add_argument("--only", action="append", help="variant name (repeatable)")
    ap.add_argument("--out", type=Path, help="keep the files here")
    args = ap.parse_args()
    variants = [BY_NAME[n] for n in args.only] if args.only else VARIANTS
    ids = args.ids or dev_ids()
    out = args.out or Path(tempfile.mkdtemp(prefix="variants-"))
    out.mkdir(parents=True, exist_ok=True)
    failed = 0
    for v, doc_id, path, expected in build_many([(v, i) for v in variants for i in ids], out):
        try:
            wrong = wrong_cells(path, expected)
        except Exception as e:  # a crash is a finding like any other
            wrong = {"crash": (None, f"{type(e).__name__}: {e}")}
        failed += bool(wrong)
        status = "ok" if not wrong else f"{len(wrong)} wrong: {list(wrong.items())[:4]}"
        print(f"{v.name:20} {doc_id} {status}", flush=True)
    print(f"{failed} of {len(variants) * len(ids)} failed; files in {out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
