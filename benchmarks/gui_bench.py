"""How fast the review desk feels: start to window, drop to report, edit to colours.

    .venv/bin/python benchmarks/gui_bench.py [--rounds 5] [--edits 40]
    .venv/bin/python benchmarks/gui_bench.py --reports 10000 [--rounds 5]

Offscreen, on a temporary database, with real corpus files. Prints:

- **start → visible window**: a fresh ``python`` process (interpreter start included)
  until the main window is shown and painted once (target < 1.5 s);
- **drop → report shown**: a drop event with one file until the report is open in the
  tables and the findings list, then until its source is displayed (PDF pages at once;
  DOCX/HTML text is read on a thread), with the worker processes already started (as
  the app starts them right after the window shows), and cold; and the longest the GUI
  thread went without serving a 20 ms timer meanwhile (target < 1.5 s);
- with ``--reports N`` only: **start → visible window and list painted** with an empty
  database, with one report and with N (copies of a real one under N agency names;
  target: at most 1.2× the empty-database time), and until every report is listed (a
  long list fills in steps after its first screenful);
- **cell edit → colours**: ``setData`` on a table cell until the model has announced
  the new colours (correction written to SQLite, checks re-run, findings list
  updated; target < 50 ms).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

# PySide6 imports carry "noqa: TID251": the ban keeps core/ Qt-free, this file is GUI-only.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # tests/datapaths.py: where the test data is
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datapaths import DEV_CORPUS as CORPUS  # noqa: E402

FILES = {"pdf": CORPUS / "005_0b0fcac7.pdf", "docx": CORPUS / "027_c19402df.docx",
         "html": CORPUS / "008_b936ac4b.html"}

CHILD = r"""
import os, sys, time
t0 = float(sys.argv[1])
sys.path.insert(0, sys.argv[2])
from PySide6.QtCore import QEventLoop, QSettings  # noqa: TID251 - a GUI benchmark
from PySide6.QtWidgets import QApplication  # noqa: TID251 - a GUI benchmark
from gui.app import configure_app
from gui.backend import StoreBackend
from gui.context import AppContext
from gui.main_window import MainWindow
from gui.workers import Workers
app = QApplication([])
configure_app(app)
if len(sys.argv) > 3:  # a given database (left as it is), throwaway settings
    db = sys.argv[3]
    settings = QSettings(db + ".ini", QSettings.Format.IniFormat)
    ctx = AppContext(StoreBackend.open(db, lazy=True), settings, Workers())
else:
    ctx = AppContext.temporary(lazy=True)
w = MainWindow(ctx, defer_load=True)  # as gui.app.run() does: window first, database next
w.show()
loop = QEventLoop()
while not (w.windowHandle() and w.windowHandle().isExposed()):
    loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
w.repaint()
t1 = time.time()
while not ctx.backend.connected or not w.report_list.model.rowCount() >= 0:
    loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
w.repaint()  # the list painted with its (first) rows
t2 = time.time()
while w.report_list.model.loading:  # the rest of a long list comes in steps
    loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
t3 = time.time()
print(f"{(t1 - t0) * 1000:.1f} {(t2 - t0) * 1000:.1f} {w.report_list.proxy.rowCount()}"
      f" {(t3 - t0) * 1000:.1f}")
w.close(); ctx.close()
"""


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def bench_start(rounds: int, db: Path | None = None) -> list[tuple[float, float]]:
    return [(shown, painted) for shown, painted, _ in bench_start_full(rounds, db)]


def bench_start_full(rounds: int, db: Path | None = None) -> list[tuple[float, float, float]]:
    """(window shown, list painted, every report listed) per fresh process, in s."""
    out = []
    for _ in range(rounds):
        t0 = time.time()
        extra = [str(db)] if db is not None else []
        res = subprocess.run([sys.executable, "-c", CHILD, repr(t0), str(ROOT), *extra],
                             capture_output=True, text=True, timeout=120,
                             env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        line = [x for x in res.stdout.splitlines() if x.strip()]
        if res.returncode or not line:
            raise SystemExit(f"start benchmark failed: {res.stderr[-2000:]}")
        shown, ready, rows, complete = line[-1].split()
        out.append((float(shown) / 1000, float(ready) / 1000, float(complete) / 1000))
        if db is not None and not int(rows) and "empty" not in db.name:
            raise SystemExit(f"the list stayed empty with {db}")
    return out


def _wait(cond, timeout: float = 60.0) -> None:
    from PySide6.QtCore import QEventLoop  # noqa: TID251 - a GUI benchmark

    loop = QEventLoop()
    end = time.perf_counter() + timeout
    while not cond():
        if time.perf_counter() > end:
            raise TimeoutError
        loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


def _drop(window, path: Path) -> None:
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl  # noqa: TID251 - a GUI benchmark
    from PySide6.QtGui import QDragEnterEvent, QDropEvent  # noqa: TID251 - a GUI benchmark
    from PySide6.QtWidgets import QApplication  # noqa: TID251 - a GUI benchmark

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    c = window.rect().center()
    b, m = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QApplication.sendEvent(window, QDragEnterEvent(c, Qt.DropAction.CopyAction, mime, b, m))
    QApplication.sendEvent(window, QDropEvent(QPointF(c), Qt.DropAction.CopyAction, mime, b, m))


def bench_drop(app, warm: bool) -> dict[str, tuple[float, float, float]]:
    from PySide6.QtCore import QTimer  # noqa: TID251 - a GUI benchmark

    from gui.context import AppContext
    from gui.main_window import MainWindow

    out = {}
    for kind, path in FILES.items():
        ctx = AppContext.temporary()
        w = MainWindow(ctx)
        w.resize(1500, 920)
        w.show()
        if warm:
            ctx.workers.preload()  # as gui.app.run() does 0.2 s after the window shows
            futs = [ctx.workers.pool().submit(int, 1) for _ in range(4)]
            _wait(lambda f=futs: all(x.done() for x in f))
            ctx.workers.threads.waitForDone(10000)
        shown: list[float] = []
        source: list[float] = []
        ticks: list[float] = []  # the GUI thread's heartbeat: a long gap is a freeze
        timer = QTimer()
        timer.timeout.connect(lambda t=ticks: t.append(time.perf_counter()))
        timer.start(20)
        w.reportShown.connect(lambda _rid, s=shown: s.append(time.perf_counter()))
        w.sourceReady.connect(lambda _rid, s=source: s.append(time.perf_counter()))
        t0 = time.perf_counter()
        _drop(w, path)
        _wait(lambda s=source: bool(s))
        timer.stop()
        beats = [t0, *ticks, source[0]]
        out[kind] = (shown[0] - t0, source[0] - t0,
                     max(b - a for a, b in zip(beats, beats[1:], strict=False)))
        w.close()
        ctx.close()
    return out


def bench_edit(app, n: int) -> tuple[list[float], list[float]]:
    from gui.context import AppContext
    from gui.main_window import MainWindow
    from gui.models.tables import StateRole

    ctx = AppContext.temporary()
    w = MainWindow(ctx)
    w.resize(1500, 920)
    w.show()
    w.import_now([str(FILES["pdf"])])
    model = w.tables.models["t4"]
    key = "t4.direct.upheld"  # 0, breaking 总计 1: setting it to 1 fixes t4.row_sum
    ix = model.index_of(key)
    seen: list[float] = []
    model.dataChanged.connect(lambda a, _b, roles, s=seen: s.append(time.perf_counter()))
    gui_times, store_times = [], []
    for i in range(n):
        seen.clear()
        value = "1" if i % 2 == 0 else "0"
        t0 = time.perf_counter()
        model.setData(ix, value)
        t1 = seen[0] if seen else time.perf_counter()
        gui_times.append(t1 - t0)
        assert ix.data(StateRole) == ("corrected" if value == "1" else "error")
    # The database alone (correction + recheck in one transaction), for comparison.
    store = ctx.backend.store
    rid = w.session.report_id
    for i in range(n):
        t0 = time.perf_counter()
        store.correct(rid, key, 1 if i % 2 == 0 else 0)
        store_times.append(time.perf_counter() - t0)
    w.close()
    ctx.close()
    return gui_times, store_times


def make_database(path: Path, n: int) -> None:
    """A review database with ``n`` reports: one real report stored, then copied in SQL
    under ``n`` different agency names and years (what the list shows and sorts)."""
    from core.pipeline import analyse
    from core.store import open_store

    store = open_store(path)
    src = FILES["pdf"]
    store.add_report(analyse(src), src.read_bytes(), src)
    db = store.db.conn
    cols = [r[1] for r in db.execute("PRAGMA table_info(reports)") if r[1] not in ("id",)]
    rest = [c for c in cols if c not in ("sha256", "agency", "year", "n_errors", "status")]
    with db:
        for i in range(1, n):
            sha = f"{i:064x}"
            db.execute("INSERT INTO files (sha256, size, content) VALUES (?, 1, x'00')", [sha])
            db.execute(
                f"INSERT INTO reports (sha256, agency, year, n_errors, status, {', '.join(rest)})"
                f" SELECT ?, ?, ?, ?, ?, {', '.join(rest)} FROM reports WHERE id = 1",
                [sha, f"测试市第{i % 97}区{i}号机关", 2019 + i % 6, i % 5,
                 ("未审", "审查中", "已审")[i % 3]])
    store.close()


def bench_many_reports(rounds: int, n: int) -> None:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="nianbao-bench-") as tmp:
        empty, one = Path(tmp) / "empty.sqlite", Path(tmp) / "one.sqlite"
        full = Path(tmp) / f"{n}.sqlite"
        from core.store import open_store

        open_store(empty).close()
        make_database(one, 1)  # for reference: a database with reports shows the desk
        t = time.perf_counter()
        make_database(full, n)
        print(f"({n} reports stored in {time.perf_counter() - t:.1f} s)")
        rows, complete = {}, {}
        for name, db in (("empty", empty), ("1 report", one), (f"{n} reports", full)):
            runs = bench_start_full(rounds, db)
            rows[name] = statistics.median(b for _, b, _ in runs)
            complete[name] = statistics.median(c for _, _, c in runs)
            print(f"start → window with list ({name:>13})  median {_ms(rows[name])}"
                  f"  min {_ms(min(b for _, b, _ in runs))}  ({rounds} fresh processes)")
            print(f"  → every report listed    ({name:>13})  median {_ms(complete[name])}")
        ratio = rows[f"{n} reports"] / rows["empty"]
        print(f"ratio {ratio:.2f}× (target ≤ 1.2×); every report listed "
              f"{complete[f'{n} reports'] / complete['empty']:.2f}×; against 1 report "
              f"{rows[f'{n} reports'] / rows['1 report']:.2f}×")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--edits", type=int, default=40)
    ap.add_argument("--reports", type=int, default=0,
                    help="only compare start-up with an empty and an N-report database")
    args = ap.parse_args()
    if args.reports:
        bench_many_reports(args.rounds, args.reports)
        return

    runs = bench_start(args.rounds)
    starts = [a for a, _ in runs]
    ready = [b for _, b in runs]
    print(f"start → visible window   median {_ms(statistics.median(starts))}"
          f"  min {_ms(min(starts))}  max {_ms(max(starts))}   (target < 1500 ms, "
          f"{args.rounds} fresh processes)")
    if statistics.median(ready) - statistics.median(starts) > 0.001:
        print(f"  → database open, list  median {_ms(statistics.median(ready))}")

    from PySide6.QtWidgets import QApplication  # noqa: TID251 - a GUI benchmark

    from gui.app import configure_app

    app = QApplication.instance() or QApplication([])
    configure_app(app)
    cold = bench_drop(app, warm=False)
    warm = bench_drop(app, warm=True)
    for kind in FILES:
        print(f"drop → report shown ({kind:4}) warm {_ms(warm[kind][0])}, its source"
              f" {_ms(warm[kind][1])}   cold {_ms(cold[kind][0])}, {_ms(cold[kind][1])}"
              f"   ({FILES[kind].name})")
        print(f"  longest GUI-thread gap   warm {_ms(warm[kind][2])}   cold {_ms(cold[kind][2])}"
              "   (QTimer every 20 ms; target < 1500 ms)")
    gui_t, store_t = bench_edit(app, args.edits)
    gui_t.sort()
    p95 = gui_t[int(0.95 * (len(gui_t) - 1))]
    print(f"cell edit → colours      median {_ms(statistics.median(gui_t))}  p95 {_ms(p95)}"
          f"  max {_ms(max(gui_t))}   (target < 50 ms, {len(gui_t)} edits)")
    print(f"  of which the database  median {_ms(statistics.median(store_t))}"
          "   (correction + recheck, one transaction)")


if __name__ == "__main__":
    main()
