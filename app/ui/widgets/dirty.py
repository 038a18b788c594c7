"""Notices every edit a user makes in a form, so unsaved work is never silently dropped."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDoubleSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTextEdit,
    QWidget,
)


def change_signals(w: QWidget) -> list[Any]:
    """The signals by which an input widget says the user changed it."""
    if isinstance(w, (QDateTimeEdit, QDateEdit)):
        return [w.dateTimeChanged]
    if isinstance(w, (QLineEdit, QPlainTextEdit, QTextEdit)):
        return [w.textChanged]
    if isinstance(w, QComboBox):
        return [w.currentIndexChanged, w.editTextChanged] if w.isEditable() else [w.currentIndexChanged]
    if isinstance(w, QAbstractButton):
        return [w.toggled]
    if isinstance(w, (QSpinBox, QDoubleSpinBox)):
        return [w.valueChanged]
    if hasattr(w, "changed"):
        return [w.changed]
    raise TypeError(f"cannot watch {type(w).__name__}")


class DirtyTracker(QObject):
    dirty_changed = Signal(bool)
    # Every edit, also once already dirty (drives autosave).
    edited = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._dirty = False
        self._quiet = 0
        # Counts edits, so a save that finishes can tell whether more typing happened meanwhile.
        self.revision = 0

    @property
    def dirty(self) -> bool:
        return self._dirty

    def watch(self, *widgets: QWidget) -> None:
        for w in widgets:
            for signal in change_signals(w):
                signal.connect(self._touch)

    @contextlib.contextmanager
    def quiet(self) -> Iterator[None]:
        """Programmatic filling of a form is not an edit."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    def _touch(self, *_args: object) -> None:
        if self._quiet:
            return
        self.revision += 1
        self.set_dirty(True)
        self.edited.emit()

    def set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)
