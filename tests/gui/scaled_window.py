"""Run in a subprocess by test_desk_layout.py: the window on a 1920×1080 screen at
QT_SCALE_FACTOR=1.5 (set before the QApplication exists), a real report open.

Prints one JSON line: the screen's available area, the window's frame, how many findings
read whole, and the statutory-table columns that are too narrow.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PySide6.QtCore import QEventLoop, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gui.app import configure_app  # noqa: E402


def main(report: str, folder: str) -> None:
    app = QApplication([])
    configure_app(app)
    from layout_checks import fully_visible_findings, narrow_table_columns

    from gui.backend import StoreBackend
    from gui.context import AppContext
    from gui.main_window import MainWindow
    from gui.workers import Workers

    ctx = AppContext(StoreBackend.open(Path(folder) / "reviews.sqlite"),
                     QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat),
                     Workers())
    window = MainWindow(ctx)  # sized by the program, as on a first start
    window.show()
    window.import_now([report])
    loop = QEventLoop()
    for _ in range(10):
        loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    room = window.screen().availableGeometry()
    frame = window.frameGeometry()
    print(json.dumps({
        "scale": window.devicePixelRatioF(),
        "room": [room.x(), room.y(), room.width(), room.height()],
        "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
        "findings": window.findings.model.rowCount(),
        "whole": fully_visible_findings(window),
        "narrow": narrow_table_columns(window),
        "min_width": window.minimumSizeHint().width(),
    }))
    window.close()
    ctx.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
