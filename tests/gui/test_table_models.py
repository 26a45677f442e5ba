"""The statutory table models: official layout, roles, display of blank/0/"/", model tests."""

from __future__ import annotations

import pytest
from desk_helpers import DOCX_T3, PDF_T4
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from core.template import T3_COLUMNS, T4_COLUMNS
from gui.cellvalues import BLANK_TEXT, InvalidValue, display_text, parse_input
from gui.models.findings import FindingsModel
from gui.models.imports import FAILED, ImportStatusModel
from gui.models.reports import ReportListModel
from gui.models.tables import (
    CellKeyRole,
    CorrectedRole,
    FindingsRole,
    ItemTypeRole,
    KindRole,
    StateRole,
    StatutoryTableModel,
    build_layout,
)
from gui.session import ReviewSession


def _text(layout, r, c):
    item = layout.items.get((r, c))
    return item.text if item else None


def test_t3_layout_is_the_official_one():
    lay = build_layout("t3", "2021")
    assert (lay.header_rows, lay.label_cols) == (3, 3)
    assert lay.cols == 3 + len(T3_COLUMNS)
    spans = {(r, c): (rs, cs) for r, c, rs, cs in lay.spans}
    assert _text(lay, 0, 3) == "申请人情况" and spans[(0, 3)] == (1, 7)
    assert _text(lay, 1, 4) == "法人或其他组织" and spans[(1, 4)] == (1, 5)
    assert _text(lay, 1, 3) == "自然人" and spans[(1, 3)] == (2, 1)
    assert _text(lay, 1, 9) == "总计" and spans[(1, 9)] == (2, 1)
    assert [_text(lay, 2, c) for c in range(4, 9)] == [
        "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    # 三、本年度办理结果 spans its outcome rows; (三)不予公开 spans its eight reasons.
    r3 = next(r for r in range(lay.rows) if _text(lay, r, 0) == "三、本年度办理结果")
    n_outcomes = sum(1 for k in lay.positions if k.startswith("t3.r3_") and k.endswith(".total"))
    assert spans[(r3, 0)] == (n_outcomes, 1)
    r33 = next(r for r in range(lay.rows) if _text(lay, r, 1) == "（三）不予公开")
    assert spans[(r33, 1)] == (8, 1)
    # 2021: (六)其他处理 has three sub-rows; merged, it is one row under t3.r3_6.
    assert "t3.r3_6_3.total" in lay.positions and "t3.r3_6.total" not in lay.positions
    merged = build_layout("t3", "2021", merged_other=True)
    assert "t3.r3_6.total" in merged.positions and "t3.r3_6_1.total" not in merged.positions
    assert "t3.r3_6.total" in build_layout("t3", "2019").positions


def test_t4_layout_has_fifteen_columns_under_two_level_headers():
    lay = build_layout("t4", "2019")
    assert lay.cols == 15 and lay.rows == 4
    spans = {(r, c): (rs, cs) for r, c, rs, cs in lay.spans}
    assert _text(lay, 0, 0) == "行政复议" and spans[(0, 0)] == (1, 5)
    assert _text(lay, 0, 5) == "行政诉讼" and spans[(0, 5)] == (1, 10)
    assert _text(lay, 1, 5) == "未经复议直接起诉" and spans[(1, 5)] == (1, 5)
    assert _text(lay, 1, 10) == "复议后起诉" and spans[(1, 10)] == (1, 5)
    assert lay.positions["t4.review.upheld"] == (3, 0)
    assert lay.positions["t4.direct.total"] == (3, 9)
    assert lay.positions["t4.after_review.total"] == (3, 14)
    assert len(lay.positions) == 15 == 3 * len(T4_COLUMNS)


def test_t2_layout_follows_the_format_groups():
    for fmt in ("2019", "2021"):
        lay = build_layout("t2", fmt)
        groups = [_text(lay, r, 0) for r in range(lay.rows)
                  if (_text(lay, r, 0) or "").startswith("第二十条")]
        assert groups[0] == "第二十条第（一）项"
        assert len(groups) == (5 if fmt == "2019" else 4)
    assert "t2.fees.amount" in build_layout("t2", "2021").positions


@pytest.fixture
def session(ctx, qtbot):
    s = ReviewSession(ctx.backend)
    return s


def _import(ctx, path):
    from core.pipeline import analyse

    return ctx.backend.add_report(analyse(path, run_checks=False), path).report_id


def test_models_pass_the_qt_model_tester(ctx, session, qtbot, qtlog, qtmodeltester):
    rid = _import(ctx, DOCX_T3)
    other = _import(ctx, PDF_T4)
    models = [StatutoryTableModel(t, session) for t in ("t2", "t3", "t4")]
    findings = FindingsModel(session)
    reports = ReportListModel(ctx.backend)
    imports = ImportStatusModel()
    testers = [QAbstractItemModelTester(m, QAbstractItemModelTester.FailureReportingMode.Warning)
               for m in (*models, findings, reports, imports)]
    session.load(rid)
    reports.reload()
    imports.add_files(["/x/a.pdf", "/x/b.pdf"])
    imports.set_status("/x/a.pdf", FAILED, "文件是空的")
    # Edits and verdicts go through resets and dataChanged while the testers watch.
    key = "t3.carried_in.legal"
    session.run_edit(session.new_edit(key, 0))
    session.run_edit(session.new_edit(key, 0), forward=False)
    session.set_verdict(session.findings[0], "confirmed")
    session.load(other)
    reports.upsert(other)
    for m in (*models, findings, reports, imports):
        qtmodeltester.check(m)
    failures = [r.message for r in qtlog.records if "FAIL" in r.message]
    assert failures == []
    assert len(testers) == 6


def test_roles_and_states(ctx, session):
    rid = _import(ctx, PDF_T4)
    session.load(rid)
    t4 = StatutoryTableModel("t4", session)
    ix = t4.index_of("t4.direct.total")
    assert ix.data(CellKeyRole) == "t4.direct.total"
    assert ix.data(ItemTypeRole) == "value"
    assert ix.data(StateRole) == "error"
    assert ix.data(Qt.ItemDataRole.DisplayRole) == "1"
    assert any("总计" in m for m in ix.data(FindingsRole))
    assert "总计" in ix.data(Qt.ItemDataRole.ToolTipRole)
    assert ix.flags() & Qt.ItemFlag.ItemIsEditable
    head = t4.index(0, 0)
    assert head.data(CellKeyRole) is None and head.data(ItemTypeRole) == "header"
    assert not head.flags() & Qt.ItemFlag.ItemIsEditable
    ok = t4.index_of("t4.review.total")
    assert ok.data(StateRole) == "ok" and ok.data(Qt.ItemDataRole.BackgroundRole) is None


def test_blank_zero_and_slash_look_different(ctx, session):
    rid = _import(ctx, PDF_T4)
    session.load(rid)
    t3 = StatutoryTableModel("t3", session)
    texts = {}
    for key, value in (("t3.new.natural", None), ("t3.new.commercial", 0),
                       ("t3.new.research", "/")):
        session.run_edit(session.new_edit(key, value))
        ix = t3.index_of(key)
        texts[value] = (ix.data(Qt.ItemDataRole.DisplayRole), ix.data(KindRole))
        assert ix.data(CorrectedRole) is (value != 0)
    assert texts[None] == (BLANK_TEXT, "blank")
    assert texts[0] == ("0", "zero")
    assert texts["/"] == ("/", "na")
    assert len({t for t, _ in texts.values()}) == 3
    assert t3.index_of("t3.new.natural").data(Qt.ItemDataRole.EditRole) == ""


def test_parse_input_keeps_blank_zero_and_marks_apart():
    assert parse_input("") is None
    assert parse_input("0") == 0 and isinstance(parse_input("0"), int)
    assert parse_input("/") == "/"
    assert parse_input("1,234") == 1234
    assert parse_input("１２") == 12
    assert parse_input("17.27万元", "t2.fees.amount", "2019") == 172700.0
    # 2021 prints fees in 万元: what is typed there is 万元 too.
    assert parse_input("1.5", "t2.fees.amount", "2021") == 15000.0
    # Text that is no count is refused with the reason (the cell keeps its value).
    with pytest.raises(InvalidValue, match="不是数字"):
        parse_input("若干")


def test_display_of_2021_fees_is_in_wan():
    from core.model import Cell

    assert display_text(Cell("t2.fees.amount", 148798.0, "14.8798", "number"), "2021") \
        == "14.8798"
    assert display_text(Cell("t2.fees.amount", 148798.0, "", "number"), "2019") == "148798"


def test_low_confidence_cells_are_marked(ctx, session):
    from gui.models.tables import ConfidenceRole

    rid = _import(ctx, PDF_T4)
    session.load(rid)
    t3 = StatutoryTableModel("t3", session)
    session.report.cells["t3.new.natural"].confidence = 0.55  # as OCR reports an unsure digit
    session._refresh()
    ix = t3.index_of("t3.new.natural")
    assert ix.data(StateRole) == "low_confidence"
    assert ix.data(ConfidenceRole) == 0.55
    assert "55%" in ix.data(Qt.ItemDataRole.ToolTipRole)
    assert ix.data(Qt.ItemDataRole.BackgroundRole) is not None
    # Why, with both readings where the two PDF readers disagree (the extractor's note).
    session.report.cells["t3.new.natural"].note = "两种读法不一致：第一读法为「2」，第二读法为「0」"
    session._refresh()
    assert "第二读法为「0」" in ix.data(Qt.ItemDataRole.ToolTipRole)
