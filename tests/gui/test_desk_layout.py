"""The desk on an office PC: 1366×768, 1920×1080 at 150 %, 960 px beside a file manager.

Measured on the real window with a real report (7 findings, 表三 and 表四 filled in):
the findings read whole (wrapped 说明, rows that grow), no statutory-table column is
narrower than a value in it or breaks a head mid-word, and no internal key reaches a
person.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from desk_helpers import REAL_HONGZE_2023
from layout_checks import (
    KEY_PATTERN,
    fully_visible_findings,
    leaked_keys,
    narrow_table_columns,
    texts_of,
)
from PySide6.QtCore import QEventLoop
from PySide6.QtGui import QImage

from gui.main_window import MainWindow
from gui.window_layout import share_panes

REPO = Path(__file__).resolve().parents[2]


def _settle() -> None:
    loop = QEventLoop()
    for _ in range(8):
        loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


@pytest.fixture
def opened(ctx, qtbot):
    """A window of ``size`` with the real report open (as a 1366×768 screen gives it)."""
    def make(width: int, height: int) -> MainWindow:
        w = MainWindow(ctx)
        qtbot.addWidget(w)
        w.resize(width, height)
        w.show()
        share_panes(w, width, height)
        w.import_now([str(REAL_HONGZE_2023)])
        _settle()
        return w
    return make


@pytest.mark.parametrize("size", [(1366, 768), (960, 768)])
def test_findings_read_whole_and_tables_keep_their_values(opened, size):
    w = opened(*size)
    assert w.findings.model.rowCount() >= 5
    assert fully_visible_findings(w) >= 5
    for table in ("t2", "t3", "t4"):
        w.tables.setCurrentWidget(w.tables.views[table])
        _settle()
    assert narrow_table_columns(w) == []


def test_minimum_width_with_a_report_open_fits_beside_a_file_manager(opened):
    w = opened(1366, 768)
    w.undo_action.setText("撤销 更正 表三「（六）其他处理·法律服务机构」为 12345")
    _settle()
    assert w.minimumSizeHint().width() <= 960
    assert w.toolbar.sizeHint().width() < 700  # the undo text went to a tooltip
    assert w.undo_tool_action.text() == "撤销"


def test_window_at_1920x1080_scaled_150_percent(tmp_path):
    screen = tmp_path / "screen.json"
    screen.write_text(json.dumps({"screens": [{
        "name": "office", "x": 0, "y": 0, "width": 1920, "height": 1080,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_SCALE_FACTOR": "1.5",
           "QT_QPA_PLATFORM": f"offscreen:configfile={screen}", "PYTHONPATH": str(REPO)}
    p = subprocess.run([sys.executable, str(Path(__file__).with_name("scaled_window.py")),
                        str(REAL_HONGZE_2023), str(tmp_path)], env=env, capture_output=True,
                       text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-3000:]
    got = json.loads(p.stdout.strip().splitlines()[-1])
    assert got["scale"] == 1.5
    rx, ry, rw, rh = got["room"]
    fx, fy, fw, fh = got["frame"]
    assert (rw, rh) == (1280, 720)  # 1920×1080 at 150 %
    assert rx <= fx and ry <= fy and fx + fw <= rx + rw and fy + fh <= ry + rh
    assert got["findings"] >= 5 and got["whole"] >= 5
    assert got["narrow"] == []
    assert got["min_width"] <= 960


def test_first_window_fits_the_screen(ctx, qtbot):
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    room = w.screen().availableGeometry()
    assert w.frameGeometry().width() <= room.width()
    assert w.frameGeometry().height() <= room.height()


def test_no_internal_key_reaches_a_person(opened, qtbot):
    w = opened(1366, 768)
    # A finding on 表三's (六)其他处理 row (stored under t3.r3_6.*) and one on 表四.
    rules = [f.rule for f in w.session.findings]
    assert "t3.other_row_merged" in rules and "t4.row_sum" in rules
    for row in range(w.findings.model.rowCount()):
        w.findings.select_row(row)
        _settle()
        assert not KEY_PATTERN.search(w.statusBar().currentMessage())
    # A correction with a reason, then its cell selected again.
    key = "t4.review.total"
    w.tables.reason.setText("原表合计有误")
    w.tables.models["t4"].setData(w.tables.models["t4"].index_of(key), "9")
    _settle()
    assert w.backend.store.history(w.session.report_id)[-1]["reason"] == "原表合计有误"
    assert w.tables.reason.text() == ""
    assert w.statusBar().currentMessage().startswith("表四「行政复议·总计」")
    for table in ("t2", "t3", "t4"):
        w.tables.setCurrentWidget(w.tables.views[table])
        _settle()
    assert leaked_keys(texts_of(w)) == []

    # The checklist as printed, with the correction and its reason.
    from core.checklist_html import checklist_html
    from core.checklist_paper import checklist_paper

    html = checklist_html(checklist_paper(w.backend.store, w.session.report_id))
    assert "原表合计有误" in html and "表四「行政复议·总计」" in html
    assert not KEY_PATTERN.search(html), KEY_PATTERN.search(html)


def test_show_and_check_speak_in_printed_labels(tmp_path):
    db = tmp_path / "cli.sqlite"

    def run(*args: str) -> str:
        p = subprocess.run([sys.executable, "main.py", *args], cwd=REPO, capture_output=True,
                           text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(REPO)})
        assert p.returncode in (0, 1), p.stderr
        return p.stdout

    out = run("check", "--color", "never", str(REAL_HONGZE_2023))
    assert "表四" in out and not KEY_PATTERN.search(out), out
    run("import", "--db", str(db), str(REAL_HONGZE_2023))
    out = run("show", "1", "--db", str(db))
    assert "表三「（六）其他处理·自然人」" in out
    assert not KEY_PATTERN.search(out), KEY_PATTERN.search(out)
    assert "t3.r3_6.natural" in run("show", "1", "--keys", "--db", str(db))


@pytest.mark.parametrize("size", ["1366x768", "960x768"])
def test_screenshot_at_a_given_size(tmp_path, size):
    png = tmp_path / f"desk-{size}.png"
    p = subprocess.run([sys.executable, "main.py", "gui", str(REAL_HONGZE_2023),
                        "--screenshot", str(png), "--size", size], cwd=REPO,
                       capture_output=True, text=True, timeout=300,
                       env={**os.environ, "PYTHONPATH": str(REPO)})
    assert p.returncode == 0, p.stderr
    assert "propagateSizeHints" not in p.stderr
    image = QImage(str(png))
    assert f"{image.width()}x{image.height()}" == size


def test_the_flow_guides(ctx, qtbot, tmp_path):
    from gui.main_window import VIEW_CHARTS, VIEW_REVIEW

    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    # Nothing open: no "0 / 1" progress, and what needs a report is disabled.
    assert not w.import_panel.progress.isVisible()
    assert not w.print_action.isEnabled() and not w.review_action.isEnabled()
    assert not w.findings.confirm_btn.isEnabled() and not w.findings.dismiss_btn.isEnabled()
    assert not w.next_finding_action.isEnabled()
    # A clean import: the report opens, the import panel folds away.
    w.import_now([str(REAL_HONGZE_2023)])
    rid = w.session.report_id
    assert rid is not None and w.print_action.isEnabled()
    assert not w.import_dock.isVisible()
    # The docks belong to the review tab.
    w.import_dock.show()
    w.show_view(VIEW_CHARTS)
    assert not w.import_dock.isVisible()
    w.show_view(VIEW_REVIEW)
    assert w.import_dock.isVisible()
    # File dialogs start where the last one was left.
    w.import_control.remember_folder(tmp_path)
    assert w.import_control.last_folder() == str(tmp_path)
    w.close()
    # The next start reopens the report.
    again = MainWindow(ctx)
    qtbot.addWidget(again)
    again.show()
    assert again.session.report_id == rid


def test_print_preview_opens_large_enough_to_read(opened):
    from PySide6.QtCore import QTimer
    from PySide6.QtPrintSupport import QPrintPreviewWidget
    from PySide6.QtWidgets import QApplication

    w = opened(1366, 768)
    seen: list[tuple[int, int, object]] = []

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.findChild(QPrintPreviewWidget) is None:
            QTimer.singleShot(50, attempt)
            return
        preview = dialog.findChild(QPrintPreviewWidget)
        seen.append((dialog.width(), dialog.height(), preview.zoomMode()))
        dialog.reject()
    QTimer.singleShot(50, attempt)
    w.print_checklist()
    room = w.screen().availableGeometry()
    assert seen
    width, height, mode = seen[0]
    assert width >= min(1000, int(room.width() * 0.85)) and height >= int(room.height() * 0.85)
    assert mode == QPrintPreviewWidget.ZoomMode.FitToWidth


def test_qt_dialogs_speak_chinese_and_agency_names_stay_whole(opened):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    assert sorted(b.text() for b in buttons.buttons()) == sorted(["确定", "取消"])
    w = opened(960, 768)
    view = w.report_list.view
    ix = w.report_list.proxy.index(0, 0)
    assert view.textElideMode() == Qt.TextElideMode.ElideMiddle  # 重庆市大渡口…局 stay apart
    assert ix.data() in ix.data(Qt.ItemDataRole.ToolTipRole)  # the whole name
    assert view.columnWidth(0) >= view.fontMetrics().horizontalAdvance("中") * 8
