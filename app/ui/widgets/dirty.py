"""Notices every edit a user makes in a form, so unsaved work is never silently dropped."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTextEdit,
    QWidget,
)


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
            if isinstance(w, (QDateTimeEdit, QDateEdit)):
                w.dateTimeChanged.connect(self._touch)
            elif isinstance(w, (QLineEdit, QPlainTextEdit, QTextEdit)):
                w.textChanged.connect(self._touch)
            elif isinstance(w, QComboBox):
                w.currentIndexChanged.connect(self._touch)
                if w.isEditable():
                    w.editTextChanged.connect(self._touch)
            elif isinstance(w, QAbstractButton):
                w.toggled.connect(self._touch)
            elif isinstance(w, QSpinBox):
                w.valueChanged.connect(self._touch)
            elif hasattr(w, "changed"):
                w.changed.connect(self._touch)
            else:
                raise TypeError(f"cannot watch {type(w).__name__}")

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
