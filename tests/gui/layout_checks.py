"""What "readable" means for the review desk, measured on real widgets.

Shared by the in-process tests and the 150 % scaling test, which runs in a subprocess (the
scale factor must be set before the QApplication exists).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAction, QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QStyleOptionViewItem

KEY_PATTERN = re.compile(r"t[234]\.[a-z_0-9]+\.|r3_")


def fully_visible_findings(window) -> int:
    """How many findings (from the top) show their whole row, every column's text whole."""
    view = window.findings.view
    model = view.model()
    fm = view.fontMetrics()
    viewport = view.viewport().rect()
    shown = 0
    for row in range(model.rowCount()):
        rect = view.visualRect(model.index(row, 0))
        if rect.top() < 0 or rect.bottom() > viewport.bottom():
            break
        for col in range(model.columnCount()):
            text = str(model.index(row, col).data(Qt.ItemDataRole.DisplayRole) or "")
            cell = view.visualRect(model.index(row, col))
            icon = 22 if col == 0 else 0  # the severity icon beside 级别
            need = fm.boundingRect(QRect(0, 0, max(1, cell.width() - 8 - icon), 100000),
                                   int(Qt.TextFlag.TextWordWrap), text)
            if need.height() > cell.height() or cell.right() > viewport.right() + 1:
                return shown
        shown += 1
    return shown


def narrow_table_columns(window) -> list[str]:
    """Statutory-table columns narrower than a value in them, and column heads broken
    inside a word; empty when every table reads whole."""
    from gui.models.tables import HEADER, VALUE, header_words

    problems = []
    for table, view in window.tables.views.items():
        model = view.table_model()
        fm = QFontMetrics(view.font())
        bold = QFont(view.font())
        bold.setBold(True)
        fmb = QFontMetrics(bold)
        for (r, c), item in model.layout.items.items():
            if item.type == VALUE:
                text = str(model.index(r, c).data(Qt.ItemDataRole.DisplayRole) or "")
                if fm.horizontalAdvance(text) + 4 > view.columnWidth(c):
                    problems.append(f"{table} column {c}: {text!r} is wider than the column")
            elif item.type == HEADER and item.text and model.layout.span_of(r, c)[1] == 1:
                # What the delegate paints: lines as broken at U+2028.
                option = QStyleOptionViewItem()
                view.itemDelegate().initStyleOption(option, model.index(r, c))
                lines = option.text.split("\u2028")
                width = view.columnWidth(c) - 4
                for line in lines:
                    if fmb.horizontalAdvance(line) > width:
                        problems.append(f"{table} column {c}: head {line!r} breaks mid-word")
                words = header_words(item.text)
                if len(lines) > 1 and tuple(lines) != words:
                    problems.append(f"{table} column {c}: head {lines} not at word boundaries")
    return problems


def texts_of(window) -> list[str]:
    """Every text the window shows or offers as a tooltip: labels, buttons, actions, tab
    titles, and every cell (display and tooltip) of every item view."""
    from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QTabBar

    out = [window.windowTitle(), window.statusBar().currentMessage()]
    for w in window.findChildren(QLabel):
        out += [w.text(), w.toolTip()]
    for w in window.findChildren(QAbstractButton):
        out += [w.text(), w.toolTip()]
    for w in window.findChildren(QLineEdit):
        out += [w.text(), w.placeholderText(), w.toolTip()]
    for bar in window.findChildren(QTabBar):
        out += [bar.tabText(i) for i in range(bar.count())]
        out += [bar.tabToolTip(i) for i in range(bar.count())]
    for a in window.findChildren(QAction):
        out += [a.text(), a.toolTip(), a.statusTip()]
    for view in window.findChildren(QAbstractItemView):
        model = view.model()
        if model is None:
            continue
        for r in range(min(model.rowCount(), 500)):
            for c in range(model.columnCount()):
                ix = model.index(r, c)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                             Qt.ItemDataRole.AccessibleTextRole):
                    value = ix.data(role)
                    if isinstance(value, str):
                        out.append(value)
        for c in range(model.columnCount()):
            value = model.headerData(c, Qt.Orientation.Horizontal)
            if isinstance(value, str):
                out.append(value)
    return [t for t in out if t]


def leaked_keys(texts: list[str]) -> list[str]:
    return [t for t in texts if KEY_PATTERN.search(t)]
