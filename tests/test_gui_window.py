"""The main window with real widgets (pytest-qt, offscreen)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFontInfo, QFontMetrics
from PySide6.QtWidgets import QApplication

from core.resources import cjk_font_families
from gui.app import configure_app, qt_application
from gui.main_window import MainWindow


@pytest.fixture
def window(qapp, qtbot) -> MainWindow:
    configure_app(qapp)
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def _drag_and_drop(w: MainWindow, mime: QMimeData) -> tuple[QDragEnterEvent, QDropEvent]:
    # QTest mouse moves cannot start a real drag (pytest-qt#260): send the events directly.
    centre = w.rect().center()
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(centre, Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(w, enter)
    drop = QDropEvent(QPointF(centre), Qt.DropAction.CopyAction, mime, buttons, mods)
    QApplication.sendEvent(w, drop)
    return enter, drop


def test_the_window_uses_the_running_qapplication(qapp) -> None:
    assert qt_application([]) is qapp


def test_a_running_core_application_is_refused_in_words(repo_root: Path) -> None:
    """Windows cannot live on a bare QCoreApplication: say so, rather than fail later
    on a QApplication method the core application lacks."""
    probe = ("from PySide6.QtCore import QCoreApplication\n"
             "core_app = QCoreApplication([])\n"
             "from gui.app import qt_application\n"
             "try:\n"
             "    qt_application([])\n"
             "except RuntimeError as e:\n"
             "    print(e)\n")
    env = dict(os.environ, PYTHONPATH=str(repo_root), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", probe], cwd=repo_root, env=env,
                            capture_output=True, text=True, timeout=60)
    assert "QCoreApplication 不能显示窗口" in result.stdout, result.stdout + result.stderr


def test_window_shows_with_title_and_menu(window: MainWindow) -> None:
    assert window.isVisible()
    assert window.windowTitle() == "年报审查台"
    menus = [a.text() for a in window.menuBar().actions()]
    assert any(t.startswith("文件") for t in menus)
    assert window.open_action.text() == "打开…"
    assert window.quit_action.text() == "退出"
    assert "拖到此处" in window.placeholder.text()


def test_drop_of_two_files_emits_their_paths(window: MainWindow, qtbot, tmp_path: Path) -> None:
    files = [tmp_path / "甲区2023年报.pdf", tmp_path / "乙局2023年报.docx"]
    for f in files:
        f.write_bytes(b"x")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])

    with qtbot.waitSignal(window.dropped, timeout=2000) as blocker:
        enter, drop = _drag_and_drop(window, mime)

    assert enter.isAccepted()
    assert drop.isAccepted()
    assert blocker.args == [[str(f) for f in files]]


def test_drag_without_files_is_refused(window: MainWindow, qtbot) -> None:
    mime = QMimeData()
    mime.setText("不是文件")
    with qtbot.assertNotEmitted(window.dropped):
        enter, drop = _drag_and_drop(window, mime)
    assert not enter.isAccepted()
    assert not drop.isAccepted()


def test_screenshot_uses_a_cjk_font(window: MainWindow, tmp_path: Path) -> None:
    png = tmp_path / "window.png"
    assert window.grab().save(str(png))
    assert png.stat().st_size > 0

    app_font = QApplication.font()
    assert app_font.family() in cjk_font_families()
    # The font Qt really resolved for the window, and that it has glyphs for our title.
    assert QFontInfo(window.font()).family() in cjk_font_families()
    metrics = QFontMetrics(app_font)
    assert all(metrics.inFontUcs4(ord(ch)) for ch in "年报审查台")
