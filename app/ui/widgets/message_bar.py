"""An inline banner for errors and confirmations: never a modal box that blocks typing, never a
traceback — services' messages are already plain Chinese."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget

_STYLES = {
    "error": "background:#fdecea; color:#8a1c12; border:1px solid #f5c2bc;",
    "info": "background:#e8f4ea; color:#1e5b2a; border:1px solid #b9dcbf;",
    "warning": "background:#fff4e0; color:#7a4a00; border:1px solid #f0d39c;",
}


class MessageBar(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setVisible(False)
        self.kind = ""
        self._hide = QTimer(self)
        self._hide.setSingleShot(True)
        self._hide.timeout.connect(self.clear_message)

    def show_error(self, message: str) -> None:
        self._show("error", message, 0)

    def show_warning(self, message: str) -> None:
        self._show("warning", message, 0)

    def show_info(self, message: str, msecs: int = 4000) -> None:
        self._show("info", message, msecs)

    def clear_message(self) -> None:
        self._hide.stop()
        self.kind = ""
        self.setText("")
        self.setVisible(False)

    def _show(self, kind: str, message: str, msecs: int) -> None:
        self.kind = kind
        self.setStyleSheet(f"QLabel {{ {_STYLES[kind]} border-radius:3px; padding:5px 8px; }}")
        self.setText(message)
        self.setVisible(True)
        self._hide.stop()
        if msecs:
            self._hide.start(msecs)
