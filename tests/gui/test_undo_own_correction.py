"""One undo history: the window's Ctrl+Z undoes exactly the window's own correction.

A correction made from the command line in between (a real ``main.py correct`` process on
the same database file) is never undone by it: of another cell, it stays; of the same
cell, the window's undo is refused with a message and the command line's value stays.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from desk_helpers import PDF_T4, import_and_wait
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from core.store import UndoConflict

REPO = Path(__file__).resolve().parents[2]
KEY = "t4.direct.upheld"  # 005: the part that is wrong (0; the total says 1)


def _cli(db: Path, *args: str) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, str(REPO / "main.py"), *args, "--db", str(db)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def _window_corrects(window, qtbot) -> int:
    import_and_wait(window, qtbot, [PDF_T4])
    rid = window.session.report_id
    t4 = window.tables.models["t4"]
    assert t4.setData(t4.index_of(KEY), "1")  # as the delegate commits a typed value
    assert window.backend.store.effective_values(rid)[KEY] == 1
    return rid


def _ctrl_z(window) -> None:
    view = window.tables.current_view()
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def test_undo_in_the_window_leaves_a_command_line_correction_alone(window, qtbot) -> None:
    rid = _window_corrects(window, qtbot)
    store = window.backend.store
    other = "t4.review.upheld"
    cli_value = (store.effective_values(rid)[other] or 0) + 5
    _cli(window.backend.path, "correct", str(rid), other, str(cli_value))

    _ctrl_z(window)

    values = store.effective_values(rid)
    assert values[KEY] == 0  # the window's correction is undone …
    assert values[other] == cli_value  # … the command line's, made after it, stays
    hist = store.history(rid)
    assert [h["key"] for h in hist] == [KEY, other, KEY]
    assert hist[2]["undoes"] == hist[0]["id"] and hist[1]["undone_by"] is None
    assert window.session.report.cells[other].value == cli_value  # the window shows it


def test_undo_in_the_window_never_overwrites_a_later_correction_of_its_cell(
        window, qtbot) -> None:
    rid = _window_corrects(window, qtbot)
    store = window.backend.store
    _cli(window.backend.path, "correct", str(rid), KEY, "7")

    _ctrl_z(window)

    assert store.effective_values(rid)[KEY] == 7
    assert [h["undoes"] for h in store.history(rid)] == [None, None]  # nothing undone
    assert window.statusBar().currentMessage() == UndoConflict.message_zh
    assert not window.stacks[rid].canUndo()  # the refused step left the stack
