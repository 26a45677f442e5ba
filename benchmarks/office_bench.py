"""The register of agencies and the office's papers at scale: figures, not a test.

    .venv/bin/python benchmarks/office_bench.py [--reports 2000] [--keep DIR]

The three real reports are imported, then ``--reports`` reports are generated as rows
from them (store_bench.generate: agency names and years varied), and the register is
filled as the upgrade to schema 6 fills it (every stored name registered, division
prefixes matched). Then timed: the register's listing, the name → agency map the charts
use, the overview, the indicators, the circular's facts, the combined tables of one
year, and a notice for 50 reports (DOCX written).
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "benchmarks"))

from datapaths import REAL_DIR  # noqa: E402
from store_bench import generate  # noqa: E402

from cli.main import main as cli  # noqa: E402
from core.store import open_store  # noqa: E402


def timed(label: str, fn: Callable[[], object]) -> object:
    start = time.perf_counter()
    result = fn()
    ms = (time.perf_counter() - start) * 1000
    n = len(result) if hasattr(result, "__len__") else ""  # type: ignore[arg-type]
    print(f"  {label:<52} {ms:8.0f} ms  {n}")
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--reports", type=int, default=2000)
    p.add_argument("--keep", metavar="DIR", help="keep the databases in DIR")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="office-bench-") as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        source = folder / "source.sqlite"
        code = cli(["import", *map(str, sorted(REAL_DIR.glob("*.pdf"))), "--db", str(source),
                    "--jobs", "1"], io.StringIO(), io.StringIO())  # type: ignore[arg-type]
        assert code == 0
        db = folder / "many.sqlite"
        db.unlink(missing_ok=True)
        print(f"{args.reports} generated reports (this machine; other work may be running)")
        generate(db, source, args.reports)
        from core.circular import gather as circular_facts
        from core.combine import gather as combine_facts
        from core.indicators import compute
        from core.notice import write_notices
        from core.overview import overview_from_store
        from core.register import Register, register_existing_reports

        with open_store(db) as store:
            def fill() -> int:
                with store.db.atomic():
                    register_existing_reports(store.db.conn)
                return int(store.db.conn.execute("SELECT count(*) FROM agency_names")
                           .fetchone()[0])

            timed("register every stored name (the v6 upgrade)", fill)
            reg = Register(store)
            timed("register: list the agencies", reg.agencies)
            timed("register: name → agency map (charts, lists)", reg.display_names)
            timed("overview against the register, all years", lambda: overview_from_store(
                store).entries)
            year = 2023
            timed(f"indicators {year}", lambda: compute(store, year).rows)
            timed(f"circular facts {year}", lambda: circular_facts(store, year).lines)
            timed(f"combined tables {year} (sums + identities)",
                  lambda: combine_facts(store, year).included)
            ids = [r["id"] for r in store.list_reports(year=year)][:50]
            timed("notice DOCX for 50 reports", lambda: write_notices(
                store, ids, folder / "notice.docx").notices)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
