"""The inspector's verdict on the open report, beside 标记为已审查: the 审查结论 (the one the
lines propose, or the inspector's with a reason) and the free-text 审查意见.

Both are stored with who and when (``ReportStore.set_conclusion`` / ``set_note``) and
printed on the checklist. :func:`confirm_mark_reviewed` asks before a report with errors
nobody has confirmed or dismissed is marked 已审.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.errors import ReportError, zh_message
from core.vocabulary import CONCLUSION_COLOURS, CONCLUSIONS, ERROR, LABELS

PROPOSED = "按检查结果"


def unreviewed_errors(store: Any, report_id: int) -> int:
    """Errors of the report nobody has confirmed or dismissed yet."""
    return sum(1 for sf in store.findings(report_id)
               if sf.verdict is None and sf.finding.severity == ERROR)


def confirm_mark_reviewed(parent: QWidget, store: Any, report_id: int) -> bool:
    """Whether to mark the report 已审: asks first when errors are still unreviewed."""
    n = unreviewed_errors(store, report_id)
    if not n:
        return True
    answer = QMessageBox.question(
        parent, "标记为已审查",
        f"本报告尚有 {n} 项错误未确认或排除。\n仍要标记为已审查吗？（标记后单元格不可更改，"
        "取消已审标记后可再更正。）",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class ReviewPanel(QWidget):
    """审查结论 and 审查意见 of the session's report."""

    saved = Signal(int)  # report id: conclusion and opinion stored

    def __init__(self, backend: Any, session: Any, reviewer: Callable[[], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.session = session
        self.reviewer = reviewer
        self.proposed = ""
        self.conclusion_box = QComboBox()
        self.conclusion_box.setToolTip("审查结论：默认按检查结果建议；改定时须说明理由")
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(LABELS["override_reason"])
        self.note_edit = QPlainTextEdit()
        self.note_edit.setPlaceholderText("审查意见（打印在审查表上）")
        self.note_edit.setTabChangesFocus(True)
        line = self.note_edit.fontMetrics().lineSpacing()
        self.note_edit.setFixedHeight(int(line * 2.6) + 10)
        self.save_btn = QPushButton("保存结论和意见")
        self.save_btn.setAutoDefault(False)
        self.message = QLabel("")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setStyleSheet("color: #b71c1c;")

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(QLabel(LABELS["conclusion"] + "："))
        top.addWidget(self.conclusion_box)
        top.addWidget(self.reason_edit, 1)
        top.addWidget(self.save_btn)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 2)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.note_edit)
        layout.addWidget(self.message)
        self.message.hide()

        self.conclusion_box.currentIndexChanged.connect(self._update_reason)
        self.save_btn.clicked.connect(self.save)
        session.reportLoaded.connect(lambda _id: self.refresh())
        session.findingsChanged.connect(self._refresh_proposal)

    # --- showing -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Show the stored conclusion and opinion of the session's report."""
        rid = self.session.report_id
        self.setEnabled(rid is not None)
        self.message.hide()
        if rid is None:
            self.note_edit.setPlainText("")
            self.reason_edit.setText("")
            self._fill_box("")
            return
        row = self.backend.store.get_report(rid)
        self.proposed = self.backend.store.proposed_conclusion(rid)
        self._fill_box(row.get("conclusion") or "")
        self.reason_edit.setText(row.get("conclusion_reason") or "")
        self.note_edit.setPlainText(row.get("note") or "")
        self.save_btn.setEnabled(not self.backend.store.readonly)
        self._update_reason()

    def _refresh_proposal(self) -> None:
        """A verdict or a correction changed the lines: show the new proposal, keep the
        inspector's choice and text."""
        rid = self.session.report_id
        if rid is None:
            return
        chosen = self.chosen()
        self.proposed = self.backend.store.proposed_conclusion(rid)
        self._fill_box(chosen or "")
        self._update_reason()

    def _fill_box(self, chosen: str) -> None:
        box = self.conclusion_box
        box.blockSignals(True)
        box.clear()
        box.addItem(f"{PROPOSED}：{self.proposed}" if self.proposed else PROPOSED, None)
        for c in CONCLUSIONS:
            box.addItem(c, c)
        box.setCurrentIndex(CONCLUSIONS.index(chosen) + 1 if chosen in CONCLUSIONS else 0)
        box.blockSignals(False)

    def chosen(self) -> str | None:
        """The inspector's conclusion, None when the proposed one stands."""
        return self.conclusion_box.currentData()

    def effective(self) -> str:
        return self.chosen() or self.proposed

    def _update_reason(self) -> None:
        differs = self.chosen() is not None and self.chosen() != self.proposed
        self.reason_edit.setEnabled(differs)
        colour = CONCLUSION_COLOURS.get(self.effective(), "#000000")
        self.conclusion_box.setStyleSheet(f"QComboBox {{ color: {colour}; font-weight: bold; }}")

    # --- storing -------------------------------------------------------------------------
    def save(self) -> bool:
        """Store the conclusion and the opinion; on a refusal say why and store nothing."""
        rid = self.session.report_id
        if rid is None:
            return False
        store = self.backend.store
        who = self.reviewer() or None
        chosen = self.chosen()
        reason = self.reason_edit.text().strip() if chosen and chosen != self.proposed else ""
        if chosen and chosen != self.proposed and not reason:
            self._say(f"建议结论为「{self.proposed}」，改为「{chosen}」须说明理由。")
            self.reason_edit.setFocus()
            return False
        try:
            store.set_conclusion(rid, chosen, reason=reason or None, reviewer=who)
            store.set_note(rid, self.note_edit.toPlainText(), reviewer=who)
        except ValueError as e:
            self._say(str(e))
            return False
        except ReportError as e:
            self._say(zh_message(e))
            return False
        self.message.hide()
        self.saved.emit(rid)
        return True

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
