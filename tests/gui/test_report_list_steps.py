"""A long report list fills in steps: the first screenful at once, the rest from the
event loop, in the list's order, without duplicates, and the last report reopens once
every report is in (issue 16: the window with 10,000 reports).

Synchronised on the model's ``loaded`` signal and the window's ``databaseReady``, never
on time. The step sizes are made small so a few dozen reports take several steps.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from desk_helpers import HTML
from PySide6.QtCore import QSettings, Qt

from core.pipeline import analyse
from gui.backend import StoreBackend
from gui.context import AppContext
from gui.main_window import LAST_REPORT_KEY, MainWindow
from gui.models.reports import COL_AGENCY, COLUMNS, ReportListModel
from gui.workers import Workers

N_REPORTS = 57


def _many_reports(backend: StoreBackend, n: int = N_REPORTS) -> list[int]:
    """One real report stored, then copied in SQL under other agency names and years."""
    backend.add_report(analyse(HTML), HTML)
    db = backend.store.db.conn
    cols = [r[1] for r in db.execute("PRAGMA table_info(reports)") if r[1] != "id"]
    varied = ("sha256", "agency", "year", "status", "format", "kind", "n_failed", "n_pending")
    rest = [c for c in cols if c not in varied]
    with db:
        for i in range(1, n):
            sha = f"{i:064x}"
            db.execute("INSERT INTO files (sha256, size, content) VALUES (?, 1, x'00')", [sha])
            db.execute(
                f"INSERT INTO reports ({', '.join(varied)}, {', '.join(rest)})"
                f" SELECT ?, ?, ?, ?, ?, ?, ?, ?, {', '.join(rest)} FROM reports WHERE id = 1",
                # every column varies, not in id order: sorting by any column moves rows
                [sha, f"测试市第{(i * 37) % 101:03d}号机关", 2019 + i % 5,
                 ("未审", "审查中", "已审")[i % 3], ("2019", "2021")[i % 2],
                 ("pdf", "docx", "html", "txt")[i % 4], (i * 7) % 5, (i * 3) % 4])
    return sorted(r[0] for r in db.execute("SELECT id FROM reports"))


def _ids(model: ReportListModel) -> list[int]:
    return [s.id for s in model.items]


def test_the_list_fills_in_steps_in_its_order(ctx, qtbot) -> None:
    all_ids = _many_reports(ctx.backend)
    full = ReportListModel(ctx.backend)
    full.sort(COL_AGENCY, Qt.SortOrder.AscendingOrder)
    full.reload()
    assert sorted(_ids(full)) == all_ids

    model = ReportListModel(ctx.backend)
    model.FIRST_ROWS, model.STEP_ROWS = 10, 20
    model.sort(COL_AGENCY, Qt.SortOrder.AscendingOrder)
    model.reload_in_steps()
    assert model.loading and model.rowCount() == 10
    first_screen = _ids(model)
    assert first_screen == _ids(full)[:10]  # the top of the whole list: it stays there
    # A report not yet listed changes meanwhile (the window upserts it): listed once.
    ctx.backend.store.set_status(all_ids[0], "审查中")
    model.upsert(all_ids[0])
    with qtbot.waitSignal(model.loaded, timeout=10000):
        pass
    assert not model.loading
    assert _ids(model) == _ids(full)  # every report once, in the same order as at once
    assert model.items[model.row_of(all_ids[0])].status == "审查中"
    assert _ids(model)[:10] == first_screen


@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_the_first_screenful_is_the_top_of_every_sort(ctx, order) -> None:
    """The SQL orders (core.store.LIST_ORDERS) agree with the list's keys, column by
    column: the first rows read are the rows a full sort puts on top."""
    _many_reports(ctx.backend)
    for col in range(len(COLUMNS)):
        full = ReportListModel(ctx.backend)
        full.sort(col, order)
        full.reload()
        steps = ReportListModel(ctx.backend)
        steps.FIRST_ROWS = 15
        steps.sort(col, order)
        steps.reload_in_steps()
        assert _ids(steps) == _ids(full)[:15], COLUMNS[col]


def test_the_window_reopens_the_last_report_once_all_are_listed(tmp_path: Path, qtbot,
                                                                  process_pool) -> None:
    db = tmp_path / "many.sqlite"
    seed = StoreBackend.open(db)
    all_ids = _many_reports(seed)
    seed.close()
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue(LAST_REPORT_KEY, all_ids[0])  # the oldest: in the last step
    ctx = AppContext(StoreBackend.open(db, lazy=True), settings, Workers(pool=process_pool))
    old_first, old_step = ReportListModel.FIRST_ROWS, ReportListModel.STEP_ROWS
    ReportListModel.FIRST_ROWS, ReportListModel.STEP_ROWS = 10, 20
    try:
        w = MainWindow(ctx, defer_load=True)
        qtbot.addWidget(w)
        model = w.report_list.model
        with qtbot.waitSignal(model.modelReset, timeout=20000):
            w.show()
        assert model.loading and model.rowCount() == 10
        assert w.report_list.count.text() == "共 10 份（载入中…）"
        with qtbot.waitSignal(w.databaseReady, timeout=20000):
            pass
        assert not model.loading and sorted(_ids(model)) == all_ids
        assert w.session.report_id == all_ids[0]
        assert w.report_list.count.text() == f"共 {N_REPORTS} 份"
        years = [w.report_list.year_box.itemData(i)
                 for i in range(1, w.report_list.year_box.count())]
        assert years == sorted({s.year for s in model.items if s.year}, reverse=True)
        assert {2019, 2020, 2021, 2022, 2023} <= set(years)  # from every step
    finally:
        ReportListModel.FIRST_ROWS, ReportListModel.STEP_ROWS = old_first, old_step
        ctx.close()
