"""Full-width punctuation in the window: every label, button, action, tab, tooltip and
item-view cell with the real Hongze 2023 report open, each table shown and each finding
selected (the rule: tests/fullwidth.py)."""

from __future__ import annotations

from desk_helpers import REAL_HONGZE_2023
from fullwidth import half_width_hits
from layout_checks import texts_of
from PySide6.QtCore import QEventLoop

from gui.main_window import MainWindow


def _settle() -> None:
    loop = QEventLoop()
    for _ in range(5):
        loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def test_the_window_writes_chinese_with_full_width_punctuation(ctx, qtbot) -> None:
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    texts = texts_of(w)  # the empty desk
    w.import_now([str(REAL_HONGZE_2023)])
    _settle()
    assert w.findings.model.rowCount() >= 5
    for row in range(w.findings.model.rowCount()):
        w.findings.select_row(row)
        _settle()
        texts.append(w.statusBar().currentMessage())
    for table in ("t2", "t3", "t4"):
        w.tables.setCurrentWidget(w.tables.views[table])
        _settle()
        texts += texts_of(w)
    assert half_width_hits("\n".join(texts)) == []
