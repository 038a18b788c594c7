"""The few questions the application asks in a modal dialog.

Kept in one place so the wording stays consistent, and so tests can answer them (monkeypatch
these functions) without a dialog blocking the event loop.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from .i18n import translate


class Unsaved(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def ask_unsaved(parent: QWidget | None, what: str) -> Unsaved:
    """Save, discard or stay: asked before anything would throw unsaved edits away."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(translate("dialogs", "尚未保存"))
    box.setText(translate("dialogs", "“{what}”有尚未保存的修改。").format(what=what))
    box.setInformativeText(translate("dialogs", "是否先保存？"))
    save = box.addButton(translate("dialogs", "保存(&S)"), QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(translate("dialogs", "放弃修改(&D)"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(translate("dialogs", "取消(&C)"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked is save:
        return Unsaved.SAVE
    if clicked is discard:
        return Unsaved.DISCARD
    return Unsaved.CANCEL


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def inform(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def save_file_path(parent: QWidget | None, title: str, suggested: str, file_filter: str) -> str | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, file_filter)
    return path or None


def open_file_paths(parent: QWidget | None, title: str) -> list[str]:
    paths, _ = QFileDialog.getOpenFileNames(parent, title)
    return list(paths)


def open_file_path(parent: QWidget | None, title: str, file_filter: str) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, "", file_filter)
    return path or None
