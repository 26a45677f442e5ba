"""Review database figures: import throughput, size per report, listing and search at 10,000.

    .venv/bin/python benchmarks/store_bench.py [--reports 10000] [--keep DIR]

1. Import: the born-digital reports of ``tests/data/corpus/dev`` and the seeds, parsed in a
   ProcessPoolExecutor with 2 workers (both cores) and written by this process, one
   transaction per report (``core.pipeline.iter_import``); serial for comparison.
2. Size: database bytes per report, and how much of it is the kept source file.
3. Scale: 10,000 reports generated directly as rows (cells, findings and text copied
   from the real ones with the agency and year varied), then open, list, filter and
   search timed; the goal is under 100 ms each.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # tests/datapaths.py: where the test data is

from datapaths import DEV_CORPUS, SEEDS_DIR  # noqa: E402

from core.pipeline import iter_import  # noqa: E402
from core.store import ReportStore, open_store  # noqa: E402

DEV = DEV_CORPUS
SEEDS = SEEDS_DIR
GOAL_MS = 100.0

CITIES = ["重庆市", "天津市", "芜湖市", "台州市", "宜昌市", "湛江市", "洛阳市", "常德市", "泉州市",
          "鞍山市", "潍坊市", "长治市", "徐州市", "柳州市", "宝鸡市", "赣州市", "遵义市", "吉林市"]
DISTRICTS = ["", "大渡口区", "河西区", "涪城区", "云龙区", "秭归县", "梓潼县", "鼎城区", "城中区",
             "渭滨区", "游仙区", "江北区", "鼓楼区", "远安县", "朝阳区", "莲池区", "巫溪县"]
BUREAUS = ["教育局", "科学技术局", "体育局", "统计局", "医疗保障局", "卫生健康委员会", "水利局",
           "农业农村委员会", "生态环境局", "商务委员会", "应急管理局", "住房和城乡建设局",
           "机关事务管理局", "大数据发展管理局", "文化和旅游局", "人民政府", "民族宗教事务委员会"]


def corpus_files() -> list[Path]:
    """Born-digital dev reports (scanned PDFs need OCR and fail) and the seeds."""
    files = []
    for truth in sorted(DEV.glob("*.truth.json")):
        src = json.loads(truth.read_text(encoding="utf-8"))["source"]
        if src["kind"] != "scanned-pdf":
            files.append(DEV / src["file"])
    return files + sorted(SEEDS.glob("*.txt"))


def bench_import(files: list[Path], work: Path, jobs: int) -> tuple[float, int, Path]:
    db = work / f"import-{jobs}.sqlite"
    db.unlink(missing_ok=True)
    store = open_store(db)
    start = time.perf_counter()
    n = sum(ev.outcome == "imported" for ev in iter_import(store, files, jobs=jobs))
    elapsed = time.perf_counter() - start
    store.close()  # checkpoints the WAL into the file
    return elapsed, n, db


def size_report(db: Path, n: int) -> None:
    conn = sqlite3.connect(db)
    total = db.stat().st_size
    sources = conn.execute("SELECT coalesce(sum(size), 0) FROM files").fetchone()[0]
    print(f"  database {total / 1024:.0f} KiB for {n} reports:"
          f" {total / n / 1024:.1f} KiB per report,"
          f" of which the kept source file {sources / n / 1024:.1f} KiB")
    try:
        rows = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"
                            " ORDER BY 2 DESC").fetchall()
    except sqlite3.OperationalError:
        rows = []  # SQLite built without the dbstat table
    groups: dict[str, int] = {}
    for name, size in rows:
        group = "documents_fts" if name.startswith("documents_fts") else name
        group = "cells" if group.startswith("sqlite_autoindex_cells") else group
        groups[group] = groups.get(group, 0) + size
    if groups:
        print("  per report by table: " + ", ".join(
            f"{k} {v / n / 1024:.1f}" for k, v in sorted(groups.items(), key=lambda kv: -kv[1])
            if v / n >= 256) + " KiB")
    conn.close()


def generate(db: Path, source_db: Path, count: int, seed: int = 4) -> None:
    """``count`` reports as rows, copied from the imported real ones with names varied."""
    rng = random.Random(seed)
    src = sqlite3.connect(source_db)
    src.row_factory = sqlite3.Row
    templates = []
    for r in src.execute("SELECT * FROM reports ORDER BY id"):
        templates.append({
            "report": dict(r),
            "cells": [tuple(c)[1:] for c in src.execute(
                "SELECT * FROM cells WHERE report_id = ?", [r["id"]])],
            "findings": src.execute("SELECT ord, fingerprint, rule, severity, status, message,"
                                    " cells, data FROM findings WHERE report_id = ?",
                                    [r["id"]]).fetchall(),
            "doc": src.execute("SELECT text, section_text FROM documents WHERE report_id = ?",
                               [r["id"]]).fetchone(),
        })
    src.close()
    store = open_store(db)
    store.close()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    for i in range(count):
        t = templates[i % len(templates)]
        r = dict(t["report"])
        old_agency = r["agency"] or ""
        agency = rng.choice(CITIES) + rng.choice(DISTRICTS) + rng.choice(BUREAUS)
        year = rng.randint(2019, 2025)
        content = f"generated report {i}".encode()
        sha = hashlib.sha256(content).hexdigest()
        conn.execute("INSERT INTO files VALUES (?, ?, ?)", [sha, len(content), content])
        r.update(id=None, sha256=sha, agency=agency, year=year, file_name=f"gen_{i:05d}.pdf",
                 status=rng.choice(["未审", "未审", "审查中", "已审"]), revision=1, complete=1)
        cols = list(r)
        cur = conn.execute(f"INSERT INTO reports ({', '.join(cols)}) VALUES"
                           f" ({', '.join('?' * len(cols))})", [r[c] for c in cols])
        rid = cur.lastrowid
        if t["cells"]:  # every column of the schema, whatever columns it has grown
            marks = ", ".join("?" * (len(t["cells"][0]) + 1))
            conn.executemany(f"INSERT INTO cells VALUES ({marks})",
                             [(rid, *c) for c in t["cells"]])
        conn.executemany("INSERT INTO findings (report_id, ord, fingerprint, rule, severity,"
                         " status, message, cells, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         [(rid, *f) for f in t["findings"]])
        text = t["doc"][0].replace(old_agency, agency) if old_agency else t["doc"][0]
        conn.execute("INSERT INTO documents VALUES (?, ?, ?, ?, ?)",
                     [rid, agency, f"{agency}{year}年政府信息公开工作年度报告", text, t["doc"][1]])
    conn.execute("COMMIT")
    conn.close()


def timed(label: str, fn: Callable[[], object], repeat: int = 5) -> float:
    fn()  # warm the page cache as a running program would have it
    times = []
    result: object = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    ms = statistics.median(times)
    n = len(result) if hasattr(result, "__len__") else result  # type: ignore[arg-type]
    flag = "ok" if ms < GOAL_MS else "SLOW"
    print(f"  {label:<48} {ms:7.1f} ms  ({n} rows)  {flag}")
    return ms


def bench_scale(db: Path) -> None:
    for verify in (True, None):
        start = time.perf_counter()
        open_store(db, verify=verify).close()
        what = "with quick_check" if verify else "default (no quick_check above 64 MiB)"
        print(f"  open_store {what}: {1000 * (time.perf_counter() - start):.0f} ms"
              f" on a {db.stat().st_size / 2**20:.0f} MiB file")
    store: ReportStore = open_store(db)
    some = store.list_reports(limit=1)[0]["agency"]
    timed("list all", lambda: store.list_reports())
    timed("list --year 2021", lambda: store.list_reports(year=2021))
    timed("list --agency 梓潼县", lambda: store.list_reports(agency="梓潼县"))
    timed("list --status 已审 --has-errors",
          lambda: store.list_reports(status="已审", has_errors=True))
    timed("search 政府信息公开 (FTS, matches all, newest 50)", lambda: store.search("政府信息公开"))
    timed(f"search {some} (FTS)", lambda: store.search(some))
    timed("search 行政复议 诉讼情况 (FTS, two words)", lambda: store.search("行政复议 诉讼情况"))
    timed("search 不存在的短语 (FTS, no match)", lambda: store.search("不存在的短语"))
    timed("search 复议 (2 chars: trigram prefix, all, top 50)", lambda: store.search("复议"))
    timed("search 梓潼 (2 chars, rare)", lambda: store.search("梓潼"))
    timed("search 蟹蟹 (2 chars, no match)", lambda: store.search("蟹蟹"))
    timed("search 局 (1 char, common: text scan, top 50)", lambda: store.search("局"))
    timed("search 蟹 (1 char, no match: trigram prefix)", lambda: store.search("蟹"))
    rid = store.list_reports(limit=1)[0]["id"]
    timed("cells + findings of one report (show)",
          lambda: store.cells(rid) + store.findings(rid))  # type: ignore[operator]
    store.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reports", type=int, default=10_000)
    ap.add_argument("--keep", type=Path, help="keep the databases in this folder")
    args = ap.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="store-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        files = corpus_files()
        print(f"Import of {len(files)} files (dev corpus born-digital + seeds):")
        for jobs in (1, 2):
            secs, n, db = bench_import(files, work, jobs)
            how = "2 parse workers + 1 writer" if jobs == 2 else "serial"
            print(f"  {how:<28} {n} reports in {secs:.2f} s: {n / secs:.1f} reports/s")
        print("Size:")
        size_report(db, n)
        print(f"Scale: {args.reports} generated reports")
        big = work / "scale.sqlite"
        big.unlink(missing_ok=True)
        start = time.perf_counter()
        generate(big, db, args.reports)
        print(f"  generated in {time.perf_counter() - start:.1f} s")
        bench_scale(big)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
