"""Driving widgets the way a user does: clicks, typing, keys."""

from __future__ import annotations

import re

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QListWidget, QRadioButton

LEFT = Qt.MouseButton.LeftButton


def choose(qtbot, combo: QComboBox, text: str) -> None:
    """Open the combo's list and click the entry containing `text`."""
    laid_out(qtbot, combo)
    row = next((r for r in range(combo.count()) if text in combo.itemText(r)), -1)
    assert row >= 0, f"{text!r} not among {[combo.itemText(r) for r in range(combo.count())]}"
    combo.showPopup()
    view = combo.view()
    index = view.model().index(row, combo.modelColumn())
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), LEFT, pos=view.visualRect(index).center())
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=3000)
    assert text in combo.currentText()


def tick(qtbot, widget: QListWidget, text: str) -> None:
    """Click a checkable entry of a list, then toggle it with Space."""
    laid_out(qtbot, widget)
    item = next((widget.item(r) for r in range(widget.count()) if text in widget.item(r).text()), None)
    assert item is not None, text
    qtbot.mouseClick(widget.viewport(), LEFT, pos=widget.visualItemRect(item).center())
    qtbot.keyClick(widget, Qt.Key.Key_Space)


def type_into(qtbot, widget, text: str, clear: bool = True) -> None:
    """Type like a user: Latin letters and digits as key presses, Chinese the way an input method
    delivers it (a committed phrase), Enter for a line break. (QTest cannot press CJK keys.)"""
    widget.setFocus()
    if clear:
        widget.clear()
    for run in re.findall(r"\n|[ -~]+|[^ -~\n]+", text):
        if run == "\n":
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        elif run.isascii():
            qtbot.keyClicks(widget, run)
        else:
            event = QInputMethodEvent("", [])
            event.setCommitString(run)
            QApplication.sendEvent(widget, event)


def laid_out(qtbot, widget) -> None:
    """A page just brought forward is laid out on the next turn of the event loop."""
    qtbot.waitUntil(lambda: widget.isVisible() and widget.width() > 0 and widget.height() > 0, timeout=3000)


def click(qtbot, button) -> None:
    laid_out(qtbot, button)
    assert button.isEnabled(), f"{button.text()} is disabled"
    if isinstance(button, (QCheckBox, QRadioButton)):
        # Only the box and its text react, not the empty rest of the widget's width.
        qtbot.mouseClick(button, LEFT, pos=QPoint(8, button.height() // 2))
    else:
        qtbot.mouseClick(button, LEFT)


def click_row(qtbot, table, row: int, column: int = 0, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """Click a row of a table view, as a user picks a record from a list."""
    laid_out(qtbot, table)
    index = table.model().index(row, column)
    table.scrollTo(index)
    qtbot.mouseClick(table.viewport(), LEFT, modifier, table.visualRect(index).center())
