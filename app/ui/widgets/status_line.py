"""The one line under a small dialog's fields: what is under way (正在验证……) in the text's own
colour, what went wrong in red. A status drawn in red reads as a failure before anything failed."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

ERROR_COLOUR = "#b00020"


class StatusLine(QLabel):
    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWordWrap(True)
        self.is_error = False

    def show_error(self, message: str) -> None:
        self._show(message, error=True)

    def show_status(self, message: str) -> None:
        self._show(message, error=False)

    def _show(self, message: str, *, error: bool) -> None:
        if error != self.is_error:
            self.setStyleSheet(f"color: {ERROR_COLOUR};" if error else "")
            self.is_error = error
        self.setText(message)
