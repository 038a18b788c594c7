"""A combo box over codes or ids with the text a user reads, and an optional empty choice.

A record may hold a value the current choices lack (the 责任单位 of another inspection's finding,
a team member since moved, a code from a newer version). Such a value is never dropped: it is
added as an extra, marked choice, so the form shows what is stored and saving it unchanged
writes it back unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QWidget

from ..i18n import translate
from ..lookups import Choice

# A subcategory is shown under its area, indented with an ideographic space.
_INDENT = "\u3000"
_OUTSIDE_COLOUR = QColor("#7a4a00")


class ChoiceCombo(QComboBox):
    key_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, blank: str | None = None) -> None:
        super().__init__(parent)
        self._blank = blank
        # Stored values outside the choices: key → the text shown for it (marked).
        self._outside: dict[Any, str] = {}
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(8)
        self.currentIndexChanged.connect(lambda _i: self.key_changed.emit(self.key()))

    def set_choices(self, choices: Iterable[Choice] | Iterable[tuple[Any, str]], *, keep: bool = True) -> None:
        previous = self.key() if keep else None
        outside = dict(self._outside) if keep else {}
        with QSignalBlocker(self):
            self.clear()
            self._outside = {}
            if self._blank is not None:
                self.addItem(self._blank, None)
            for choice in choices:
                if isinstance(choice, Choice):
                    text = (_INDENT + choice.text) if choice.parent else choice.text
                    self.addItem(text, choice.key)
                else:
                    key, text = choice
                    self.addItem(text, key)
        if previous is not None and self._find(previous) < 0 and previous in outside:
            self._add_outside(previous, outside[previous])
        self.set_key(previous)

    def key(self) -> Any:
        return self.currentData()

    def is_outside(self) -> bool:
        """Whether the value shown is a stored one outside the current choices."""
        return self.key() in self._outside

    def set_key(self, key: Any, text: str | None = None, *, note: str | None = None) -> None:
        """Show `key`. A key the choices lack is added as a marked extra choice, labelled `text`
        (or the key itself) and `note` (default: outside the current choices)."""
        index = self._find(key) if key is not None else (0 if self._blank is not None else -1)
        if index < 0 and key is not None:
            marker = note if note is not None else translate("ChoiceCombo", "（不在当前可选范围内）")
            index = self._add_outside(key, f"{text or key}{marker}")
        if index < 0:
            # Nothing chosen and no empty choice: the first one.
            index = 0 if self.count() else -1
        self.setCurrentIndex(index)

    def _find(self, key: Any) -> int:
        index = self.findData(key)
        return index if index >= 0 else self.findData(str(key))

    def _add_outside(self, key: Any, text: str) -> int:
        with QSignalBlocker(self):
            self.addItem(text, key)
            index = self.count() - 1
            self.setItemData(index, QBrush(_OUTSIDE_COLOUR), Qt.ItemDataRole.ForegroundRole)
            self.setItemData(index, translate("ChoiceCombo", "记录中保存的取值，不在当前可选范围内；保存时保持不变。"),
                             Qt.ItemDataRole.ToolTipRole)
        self._outside[key] = text
        return index
