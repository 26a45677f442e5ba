"""The window as a whole: list filters and search, remembered layout, screenshot command."""

from __future__ import annotations

from desk_helpers import DOCX_T3, HTML, PDF_T4, import_and_wait
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from gui.main_window import MainWindow, paths_from_text


def test_filters_and_full_text_search(window, qtbot):
    import_and_wait(window, qtbot, [PDF_T4, DOCX_T3, HTML])
    panel = window.report_list
    assert panel.proxy.rowCount() == 3
    assert "共 3 份" in panel.count.text()
    panel.only_errors.setChecked(True)
    assert panel.proxy.rowCount() == 2  # 008 has no error
    panel.only_errors.setChecked(False)
    panel.year_box.setCurrentIndex(panel.year_box.findData(2019))
    assert panel.proxy.rowCount() == 1
    assert panel.proxy.index(0, 0).data() == "湛江市梓潼县人民政府"
    panel.year_box.setCurrentIndex(0)
    # Full-text search through the database (trigram FTS for 3+ characters, LIKE below).
    panel.search.setText("芜湖市教育局")
    panel.apply_search()
    assert panel.proxy.rowCount() == 1 and "显示 1 / 3 份" in panel.count.text()
    panel.search.setText("规划")
    panel.apply_search()
    assert [panel.proxy.index(r, 0).data() for r in range(panel.proxy.rowCount())] == [
        "宜昌市巫溪县规划和自然资源局"]
    panel.search.clear()
    panel.apply_search()
    assert panel.proxy.rowCount() == 3
    # Sorting by the error count.
    panel.view.sortByColumn(5, Qt.SortOrder.DescendingOrder)
    errors = [int(panel.proxy.index(r, 5).data()) for r in range(3)]
    assert errors == sorted(errors, reverse=True)


def test_window_layout_and_splitters_are_remembered(ctx, qtbot):
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    w.main_split.setSizes([250, 800, 450])
    sizes = w.main_split.sizes()
    w.close()
    w2 = MainWindow(ctx)
    qtbot.addWidget(w2)
    w2.show()
    assert w2.main_split.sizes() == sizes
    assert ctx.settings.value("window/geometry") is not None


def test_recent_files_menu(window, qtbot, files):
    import_and_wait(window, qtbot, [files["html"]])
    window.import_control.fill_recent_menu()
    names = [a.text() for a in window.recent_menu.actions()]
    assert files["html"].name in names


def test_paths_from_pasted_text(tmp_path):
    f = tmp_path / "报告 2023.pdf"
    f.write_bytes(b"%PDF-")
    text = f'  "{f}"  \n{f.as_uri()}\n/不存在/的/文件.pdf\n\n'
    assert paths_from_text(text) == [str(f), str(f)]


def test_screenshot_command_renders_the_window(qapp, tmp_path):
    from gui.screenshot import main

    png = tmp_path / "shot.png"
    assert main([str(PDF_T4)], str(png)) == 0
    img = QImage(str(png))
    assert (img.width(), img.height()) == (1600, 1000)
    # Not a blank image: the rendered page and the tables give many colours.
    colours = {img.pixel(x, y) for x in range(0, 1600, 25) for y in range(0, 1000, 25)}
    assert len(colours) > 20


def test_screenshot_of_unreadable_files_says_why(qapp, tmp_path, capsys):
    from gui.screenshot import main

    bad = tmp_path / "空.pdf"
    bad.write_bytes(b"")
    assert main([str(bad)], str(tmp_path / "x.png")) == 2
    assert "文件是空的" in capsys.readouterr().err


def test_the_window_shows_before_the_database_opens(tmp_path, qtbot, process_pool):
    from PySide6.QtCore import QSettings

    from gui.backend import StoreBackend
    from gui.context import AppContext
    from gui.workers import Workers

    ctx = AppContext(StoreBackend.open(tmp_path / "db.sqlite", lazy=True),
                     QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                     Workers(pool=process_pool))
    try:
        w = MainWindow(ctx, defer_load=True)
        qtbot.addWidget(w)
        assert not ctx.backend.connected
        with qtbot.waitSignal(w.databaseReady, timeout=10000):
            w.show()
        assert ctx.backend.connected
        assert w.central.currentWidget() is w.placeholder
    finally:
        ctx.close()


def test_an_unusable_database_is_explained(tmp_path, qtbot, monkeypatch, process_pool):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMessageBox

    from gui.backend import StoreBackend
    from gui.context import AppContext
    from gui.workers import Workers

    db = tmp_path / "坏的.sqlite"
    db.write_bytes(b"this is not a database" * 100)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))
    ctx = AppContext(StoreBackend.open(db, lazy=True),
                     QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                     Workers(pool=process_pool))
    try:
        w = MainWindow(ctx, defer_load=True)
        qtbot.addWidget(w)
        assert w.load_database() is False
        assert shown and "审查数据库" in shown[0] and "未作任何修改" in shown[0]
        assert db.read_bytes().startswith(b"this is not a database")
    finally:
        ctx.close()


def test_review_statuses_match_the_store():
    from core import store
    from gui import backend

    assert (backend.UNREVIEWED, backend.IN_REVIEW, backend.REVIEWED) == store.STATUSES


def test_gui_subcommand_for_the_command_line(qapp, tmp_path):
    import main as launcher

    png = tmp_path / "s.png"
    assert launcher.main(["main.py", "gui", str(PDF_T4), "--screenshot", str(png)]) == 0
    assert png.stat().st_size > 10000


def test_switching_the_database_shows_its_reports_and_is_remembered(window, qtbot, tmp_path,
                                                                     ctx):
    from desk_helpers import DOCX_T3, HTML

    from gui.context import AppContext

    w = window
    w.import_now([str(HTML)])
    first = w.backend.path
    assert w.report_list.model.rowCount() == 1 and w.session.report is not None
    other = tmp_path / "elsewhere" / "second.sqlite"
    assert w.switch_database(str(other))
    assert other.is_file() and w.backend.path == other
    assert w.report_list.model.rowCount() == 0 and w.session.report is None
    assert w.central.currentWidget() is w.placeholder
    assert "second.sqlite" in w.database_label.text()
    w.import_now([str(DOCX_T3)])
    assert [s.file for s in w.backend.summaries()] == [DOCX_T3.name]

    # The next start opens the database chosen here.
    again = AppContext.create(settings=ctx.settings, lazy=True)
    try:
        assert again.backend.path == other
    finally:
        again.close()

    assert w.switch_database(str(first))
    assert [s.file for s in w.backend.summaries()] == [HTML.name]
    assert w.report_list.model.rowCount() == 1


def test_a_database_that_cannot_be_used_leaves_the_current_one(window, tmp_path):
    from desk_helpers import HTML, close_next_modal

    w = window
    w.import_now([str(HTML)])
    first = w.backend.path
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"not a database, just bytes " * 200)
    before = garbage.read_bytes()
    found: list = []
    close_next_modal(found, accept=True)
    assert not w.switch_database(str(garbage))
    assert found and found[0][0] == "QMessageBox" and "仍使用当前数据库" in found[0][2]
    assert w.backend.path == first and w.report_list.model.rowCount() == 1
    assert garbage.read_bytes() == before
