"""The office's settings, set once: its name (printed as 审查机关 on every paper), whose
documents the basis cites (national only, or a province's too), and which lines make a
report 不合格. Kept in the review database (``ReportStore.settings``), so the command line
(``main.py settings``) and the window share them."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from core.basis import DEFAULT_PROFILE, PROFILES
from core.catalogue import CHECK_BY_ID
from core.errors import ReportError, zh_message


class OfficeSettingsDialog(QDialog):
    """Edit the office's settings of ``store``; :meth:`save` stores them."""

    def __init__(self, store: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("审查机关设置")
        current = store.settings()
        self.office_edit = QLineEdit(current.get("office", ""))
        self.office_edit.setPlaceholderText("例如：某市人民政府办公室（打印在审查表末尾）")
        self.profile_box = QComboBox()
        for key, label in PROFILES.items():
            self.profile_box.addItem(label, key)
        self.profile_box.setCurrentIndex(
            max(0, self.profile_box.findData(current.get("basis_profile", DEFAULT_PROFILE))))
        self.lines_edit = QLineEdit("、".join(store.unqualifying_lines()))
        self.lines_edit.setToolTip("这些检查项不通过时，建议结论为「不合格」（其他不通过项为「需整改」）")
        self.message = QLabel("")
        self.message.setStyleSheet("color: #b71c1c;")
        form = QFormLayout(self)
        form.addRow("审查机关：", self.office_edit)
        form.addRow("依据范围：", self.profile_box)
        form.addRow("判为不合格的检查项：", self.lines_edit)
        form.addRow(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self._save_and_close)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def lines(self) -> list[str] | None:
        """The check ids typed (C05、C21 …), None when one is not a check."""
        text = self.lines_edit.text()
        for sep in "、，,；; ":
            text = text.replace(sep, ",")
        ids = [x.strip().upper() for x in text.split(",") if x.strip()]
        return ids if all(x in CHECK_BY_ID for x in ids) else None

    def save(self) -> bool:
        lines = self.lines()
        if lines is None:
            self.message.setText("检查项应为 C01 至 C30，以顿号或逗号分隔。")
            return False
        try:
            self.store.set_setting("office", self.office_edit.text())
            self.store.set_setting("basis_profile", self.profile_box.currentData())
            self.store.set_setting("unqualifying", ",".join(lines) or "-")
        except ReportError as e:
            self.message.setText(zh_message(e))
            return False
        return True

    def _save_and_close(self) -> None:
        if self.save():
            self.accept()


def edit_office_settings(window: Any) -> bool:
    """The window's 审查 ▸ 审查机关设置… : edit, store, show the new proposal."""
    dialog = OfficeSettingsDialog(window.backend.store, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    window.review_panel.refresh()
    return True
