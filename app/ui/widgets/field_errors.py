"""A refused save, shown where the user can fix it: the message bar says why, the input the service
named is outlined, and both go away as soon as that input is changed (any input, when the service
named none)."""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from .dirty import DirtyTracker, change_signals
from .message_bar import MessageBar

INVALID_STYLE = "border: 1px solid #c62828; border-radius: 2px;"


class FieldErrors(QObject):
    def __init__(self, bar: MessageBar, tracker: DirtyTracker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bar = bar
        self.widget: QWidget | None = None
        self._style = ""
        self._connections: list[tuple[Any, Any]] = []
        tracker.edited.connect(self._edited)

    def show(self, message: str, widget: QWidget | None = None) -> None:
        self._unmark()
        self.bar.show_error(message)
        if widget is None:
            return
        self.widget, self._style = widget, widget.styleSheet()
        widget.setStyleSheet(f"{self._style} {INVALID_STYLE}".strip())
        widget.setProperty("invalid", True)
        for signal in change_signals(widget):
            slot = self._fixed
            signal.connect(slot)
            self._connections.append((signal, slot))
        widget.setFocus()

    def clear(self) -> None:
        self._unmark()
        if self.bar.kind == "error":
            self.bar.clear_message()

    def _edited(self) -> None:
        # Without a named input, any edit may be the fix.
        if self.widget is None and self.bar.kind == "error":
            self.bar.clear_message()

    def _fixed(self, *_args: object) -> None:
        self.clear()

    def _unmark(self) -> None:
        for signal, slot in self._connections:
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect(slot)
        self._connections = []
        if self.widget is not None:
            self.widget.setStyleSheet(self._style)
            self.widget.setProperty("invalid", False)
        self.widget = None
