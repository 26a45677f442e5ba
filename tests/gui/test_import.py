"""Import by drag and drop, paste and folders: off the GUI thread, with progress and reasons."""

from __future__ import annotations

import time
from pathlib import Path

from desk_helpers import drop, import_and_wait
from PySide6.QtCore import QMimeData, QTimer
from PySide6.QtGui import QGuiApplication

from gui.models.imports import CANCELLED, DONE, FAILED, PRESENT
from gui.models.reports import ReportIdRole


def _statuses(window) -> dict[str, tuple[str, str]]:
    return {Path(i.path).name: (i.status, i.reason) for i in window.import_panel.model.items}


def test_drop_of_real_and_bad_files_imports_the_good_ones(window, qtbot, files):
    paths = [files[k] for k in ("pdf", "empty", "html", "png", "docx")]
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(20)
    progress: list[tuple[int, int]] = []
    window.import_panel.progress.valueChanged.connect(
        lambda v: progress.append((v, window.import_panel.progress.maximum())))

    # Dropped on a child widget: the window takes drops anywhere.
    target = window.placeholder if window.central.currentWidget() is window.placeholder \
        else window.source
    with qtbot.waitSignal(window.importFinished, timeout=60000) as done:
        enter, ev = drop(target, paths)
        assert enter.isAccepted() and ev.isAccepted()
        assert window.import_panel.cancel_btn.isEnabled()
    timer.stop()
    assert done.args == [False]

    st = _statuses(window)
    assert st[files["pdf"].name][0] == DONE
    assert st[files["html"].name][0] == DONE
    assert st[files["docx"].name][0] == DONE
    assert st[files["empty"].name] == (FAILED, "文件是空的")
    assert st[files["png"].name][0] == FAILED
    assert "图片" in st[files["png"].name][1]  # the reason says what the file really is
    # Progress went through to the end, and the list shows the three reports.
    assert progress and progress[-1] == (5, 5)
    assert window.import_panel.progress.value() == 5
    rows = window.report_list.proxy.rowCount()
    assert rows == 3
    agencies = {window.report_list.proxy.index(r, 0).data() for r in range(rows)}
    assert "芜湖市教育局" in agencies
    # The first report opened by itself; the window stayed responsive meanwhile.
    assert window.session.report_id is not None
    assert window.central.currentWidget() is window.main_split
    # The event loop ran while the files were parsed: the import is not done on the GUI
    # thread in one go. How long the GUI thread is busy is a figure of
    # benchmarks/gui_bench.py (drop → report shown, longest gap), not a timed assertion.
    assert len(ticks) >= 2, "the GUI thread was blocked for the whole import"
    assert "新增 3 份" in window.import_panel.label.text()
    assert "失败 2 份" in window.import_panel.label.text()


def test_importing_the_same_file_again_finds_it_in_the_database(window, qtbot, files):
    import_and_wait(window, qtbot, [files["html"]])
    rid = window.session.report_id
    import_and_wait(window, qtbot, [files["html"]])
    assert _statuses(window)[files["html"].name][0] == PRESENT
    assert window.report_list.model.rowCount() == 1
    assert window.session.report_id == rid


def test_a_dropped_folder_is_walked(window, qtbot, files):
    folder = files["pdf"].parent
    import_and_wait(window, qtbot, [folder])
    st = _statuses(window)
    assert {n for n, (s, _) in st.items() if s == DONE} == {
        files["pdf"].name, files["docx"].name, files["html"].name}
    assert {n for n, (s, _) in st.items() if s == FAILED} == {
        files["empty"].name, files["png"].name}


def test_paste_of_paths_imports_them(window, qtbot, files):
    mime = QMimeData()
    mime.setText(f'"{files["html"]}"\n{files["pdf"].as_uri()}\n不是路径\n')
    QGuiApplication.clipboard().setMimeData(mime)
    with qtbot.waitSignal(window.importFinished, timeout=60000):
        window.report_list.view.setFocus()
        window.paste_action.trigger()
    assert window.report_list.model.rowCount() == 2
    assert str(files["html"]) in window.ctx.recent_files()


def test_cancel_stops_the_batch(window, qtbot, tmp_path):
    from desk_helpers import DEV

    with qtbot.waitSignal(window.importFinished, timeout=60000) as done:
        window.start_import([str(DEV)])
        qtbot.waitUntil(lambda: window.import_panel.model.rowCount() > 0, timeout=10000)
        window.import_panel.cancel_btn.click()
    assert done.args == [True]
    st = [i.status for i in window.import_panel.model.items]
    assert CANCELLED in st
    assert window.report_list.model.rowCount() < len(st)
    assert not window.import_panel.cancel_btn.isEnabled()
    assert "已取消" in window.import_panel.label.text()


def test_double_click_on_an_imported_file_opens_its_report(window, qtbot, files):
    import_and_wait(window, qtbot, [files["html"], files["pdf"]])
    model = window.import_panel.model
    row = next(i for i, it in enumerate(model.items) if it.path == str(files["pdf"]))
    rid = model.items[row].report_id
    window.import_panel.view.doubleClicked.emit(model.index(row, 0))
    assert window.session.report_id == rid
    assert window.report_list.view.currentIndex().data(ReportIdRole) == rid
