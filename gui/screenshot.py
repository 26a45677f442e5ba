"""``python main.py gui [FILE...] --screenshot PNG``: the window, rendered offscreen, as a PNG.

The files are imported into a temporary database (the user's is never touched), the
first report is opened with its first finding selected, and the whole window is
saved as an image: for the docs, and to check by eye that Chinese renders.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from core.display import has_display

WINDOW_SIZE = (1600, 1000)


VIEWS = ("review", "charts", "overview")


def cli(files: list[str], png: str | None, view: str = "review", db: str | None = None,
        size: tuple[int, int] | None = None) -> int:
    """The ``gui`` subcommand: a screenshot with ``png`` (``size`` in pixels), else the
    window itself."""
    if png:
        return main(files, png, view=view, size=size or WINDOW_SIZE)
    if not has_display():
        print("年报审查台：未找到图形显示，无法打开窗口 / no graphical display found",
              file=sys.stderr)
        return 2
    from gui.app import run

    return run(sys.argv[:1], files, db)


def _wait(app, condition, timeout_s: float) -> bool:
    from PySide6.QtCore import QEventLoop

    loop = QEventLoop()
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def main(files: list[str], png: str, *, size: tuple[int, int] = WINDOW_SIZE,
         finding: int = 0, zoom: float | None = None, cell: str = "t3.new.total",
         view: str = "review") -> int:
    """Import ``files`` into a temporary database, show the first one, save ``png``.

    ``view``: the tab shown, one of :data:`VIEWS`.
    Returns 0 when the screenshot was saved, 1 when it could not be written, 2 when
    none of the files could be read (their reasons go to stderr).
    """
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from gui.pyside_fix import protect_none

    protect_none()
    if QApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from gui.app import configure_app, qt_application

    app = qt_application([sys.argv[0] if sys.argv else "nianbao"])
    from gui.context import AppContext
    from gui.main_window import MainWindow
    from gui.window_layout import share_panes

    configure_app(app)
    ctx = AppContext.temporary()
    window = MainWindow(ctx)
    try:
        window.resize(*size)
        window.show()
        share_panes(window, *size)
        results = window.import_now(files)
        for r in results:
            if r.error is not None:
                print(f"{r.path}: {r.reason_zh} ({r.reason})", file=sys.stderr)
        first = next((r for r in results if r.error is None), None)
        if first is None:
            print("年报审查台：没有可显示的报告 / no report could be read", file=sys.stderr)
            return 2
        rid = window.session.report_id
        if rid is not None and window.session.report is not None \
                and window.session.report.kind not in ("pdf", "scanned-pdf"):
            _wait(app, lambda: bool(window.source.text_view.spans), 20)
        f = None
        if window.findings.model.rowCount() > finding:
            f = window.findings.select_row(finding)
        if (f is None or not f.cells) and window.session.report is not None:
            # A finding about the text, not a cell: show the cell link on 表三 instead.
            window.tables.select_key(cell)
        if zoom and window.source.kind == "pdf":
            key = window.source.pdf_view.highlight_key
            window.source.pdf_view.set_zoom(zoom)
            if key and window.session.report is not None:
                window._show_cell(key)
                current = window.findings.current_finding()
                if current is not None:
                    window._on_finding(current)
        loop = QEventLoop()
        for _ in range(5):
            loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        window.source.pdf_view.render_visible()
        if view != "review":
            window.show_view(VIEWS.index(view))
            for _ in range(5):
                loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        out = Path(png)
        out.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(out)):
            print(f"年报审查台：无法写入截图 {out}", file=sys.stderr)
            return 1
        print(out)
        return 0
    finally:
        window.close()
        ctx.close()
