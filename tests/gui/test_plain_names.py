"""A file name or a value from a report is shown as written, never as markup.

A report with no agency found is shown by its file name: named
``<font color=green size=7>已审通过 ✔<br><img src=x>.txt``, it must not put a large green
"已审通过" in the window's header (nor an image, nor a line break), in the source view's
title, in the overview's 名单外 label or in the report list's tooltip.
"""

from __future__ import annotations

from pathlib import Path

from datapaths import SEEDS_DIR
from desk_helpers import import_and_wait
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument

from core.overview import Unit

REPO = Path(__file__).resolve().parents[2]
SEED = SEEDS_DIR / "000_e5f3c57cfcf76f91.txt"
HOSTILE = "<font color=green size=7>已审通过 ✔<br><img src=x>.txt"


def _report_without_agency(folder: Path) -> Path:
    """The seed with its agency's name taken out: the window falls back to the file name."""
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("重庆市大渡口区科学技术局", "").replace("区科技局", "本局")
    path = folder / HOSTILE
    path.write_text("\n".join(text.split("\n")[2:]), encoding="utf-8")
    return path


def _shown(label) -> str:
    """What a QLabel shows a person: its text as rendered, markup applied (or not)."""
    if label.textFormat() == Qt.TextFormat.PlainText:
        return label.text()
    if label.textFormat() == Qt.TextFormat.AutoText and not Qt.mightBeRichText(label.text()):
        return label.text()
    doc = QTextDocument()
    doc.setHtml(label.text())
    return doc.toPlainText()


def _rendered(rich: str) -> str:
    doc = QTextDocument()
    doc.setHtml(rich)
    return doc.toPlainText()


def test_a_file_name_that_looks_like_html_is_shown_as_written(window, qtbot, tmp_path):
    path = _report_without_agency(tmp_path)
    import_and_wait(window, qtbot, [path])
    qtbot.waitUntil(lambda: window.session.report is not None, timeout=30000)
    assert window.session.report.agency is None

    header = window.report_title
    assert HOSTILE in _shown(header)
    assert "<img" not in header.text() and "<font" not in header.text()
    assert window.source.title.textFormat() == Qt.TextFormat.PlainText
    assert HOSTILE in _shown(window.source.title)

    # The report list's tooltip names the file as written.
    model = window.report_list.proxy
    tip = model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert HOSTILE in _rendered(tip)

    # The overview's 名单外 label: the report matches no unit of the list.
    overview = window.overview_tab()
    overview.set_units([Unit("某某市人民政府")], "名单.xlsx")
    overview.refresh()
    assert overview.extra.textFormat() == Qt.TextFormat.PlainText
    assert HOSTILE in _shown(overview.extra)


def test_a_gbk_named_file_in_a_dropped_folder_is_shown_decoded(window, qtbot, tmp_path):
    """A folder unpacked from a Chinese Windows zip: its file names are GBK bytes."""
    import os

    name = "大渡口区科技局2020年报.txt"
    folder = tmp_path / "来件"
    folder.mkdir()
    try:
        (folder / os.fsdecode(name.encode("gbk"))).write_bytes(SEED.read_bytes())
    except (OSError, UnicodeEncodeError):
        import pytest

        pytest.skip("this file system refuses names that are not UTF-8")
    import_and_wait(window, qtbot, [folder])
    panel = window.import_panel.model
    assert [panel.index(r, 0).data() for r in range(panel.rowCount())] == [name]
    qtbot.waitUntil(lambda: window.session.report is not None, timeout=30000)
    assert window.session.report.file == name
    assert name in window.source.title.text() or name in window.report_list.proxy.index(
        0, 0).data(Qt.ItemDataRole.ToolTipRole)
