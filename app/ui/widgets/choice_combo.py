"""A combo box over codes or ids with the text a user reads, and an optional empty choice."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

from ..lookups import Choice

# A subcategory is shown under its area, indented with an ideographic space.
_INDENT = "\u3000"


class ChoiceCombo(QComboBox):
    key_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, blank: str | None = None) -> None:
        super().__init__(parent)
        self._blank = blank
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(8)
        self.currentIndexChanged.connect(lambda _i: self.key_changed.emit(self.key()))

    def set_choices(self, choices: Iterable[Choice] | Iterable[tuple[Any, str]], *, keep: bool = True) -> None:
        previous = self.key() if keep else None
        self.blockSignals(True)
        self.clear()
        if self._blank is not None:
            self.addItem(self._blank, None)
        for choice in choices:
            if isinstance(choice, Choice):
                text = (_INDENT + choice.text) if choice.parent else choice.text
                self.addItem(text, choice.key)
            else:
                key, text = choice
                self.addItem(text, key)
        self.blockSignals(False)
        self.set_key(previous)

    def key(self) -> Any:
        return self.currentData()

    def set_key(self, key: Any) -> None:
        index = self.findData(key) if key is not None else (0 if self._blank is not None else -1)
        if index < 0 and key is not None:
            index = self.findData(str(key))
        if index < 0:
            # Nothing (or an unknown code) chosen: the empty choice, or else the first one.
            index = 0 if self.count() else -1
        self.setCurrentIndex(index)
