"""Names a screen reader says for every input (NVDA and Narrator on the office's Windows PCs).

Qt derives a name from a label only when the label is the input's buddy and sits beside it; the
inputs inside composite fields, the filter boxes with a placeholder for a label and the charts had
none. Naming happens when a window first becomes active and when a page of a stack or tab first
becomes current, so every dialog and page is covered without each one remembering to do it.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QObject
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QStackedWidget,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

INPUTS = (QLineEdit, QComboBox, QAbstractSpinBox, QTextEdit, QPlainTextEdit, QAbstractItemView, QAbstractButton)
_DONE = "xunchaAccessibleNames"
_FOLLOWED = "xunchaAccessibleNamesFollowed"  # a stack whose pages are named as they become current
# A mnemonic "(&T)" or "&", a trailing colon or star, markup: not said by a screen reader.
_MARKS = re.compile(r"[(（]&\w[)）]|&(?!&)|[：:*＊]\s*$|<[^>]+>")


def spoken(text: str) -> str:
    """A label as a screen reader should say it (no mnemonic, colon or markup)."""
    return _MARKS.sub("", text).strip()


def _first_input(widget: QWidget) -> QWidget | None:
    if isinstance(widget, INPUTS):
        return widget
    found = widget.findChildren(QWidget)
    return next((w for w in found if isinstance(w, INPUTS) and not isinstance(w, QAbstractButton)), None)


def is_part_of_another(widget: QWidget) -> bool:
    """A spin box's line edit, a table's header, a tab bar's scroll buttons: named by their owner."""
    parent = widget.parentWidget()
    return isinstance(widget, QHeaderView) or (parent is not None and (
        isinstance(parent, (*INPUTS, QTabBar, QCalendarWidget)) or isinstance(widget, QScrollBar)))


def _is_caption(text: str) -> bool:
    """A short label ("截至", "状态："), not a hint or a status line beside the input."""
    text = spoken(text)
    return 0 < len(text) <= 12 and not text.endswith(("…", "。")) and "。" not in text


def _label_before(layout: QLayout, widget: QWidget) -> str | None:
    """The text of the label just before `widget` in the (nested) layout holding it; None when
    `widget` is not in this layout."""
    above = ""
    for n in range(layout.count()):
        item = layout.itemAt(n)
        if item is None:
            continue
        shown, inner = item.widget(), item.layout()
        if shown is widget:
            return above
        if isinstance(shown, QLabel) and _is_caption(shown.text()):
            above = shown.text()
        if inner is not None:
            found = _label_before(inner, widget)
            if found is not None:
                return found or above
    return None


def _context(widget: QWidget) -> str:
    """What an input is about when no form names it: the label just before it ("截至" [date]), its
    group box's title, its tab's text."""
    child: QWidget = widget
    parent = widget.parentWidget()
    while parent is not None:
        layout = parent.layout()
        found = _label_before(layout, child) if layout is not None else None
        if found:
            return found
        if isinstance(parent, QGroupBox) and parent.title():
            return parent.title()
        grand = parent.parentWidget()
        tabs = grand.parentWidget() if grand is not None else None
        if isinstance(tabs, QTabWidget) and tabs.indexOf(parent) >= 0:
            return tabs.tabText(tabs.indexOf(parent))
        if parent.isWindow():
            break
        child, parent = parent, grand
    return ""


def _name(widget: QWidget | None, text: str) -> None:
    text = spoken(text)
    if widget is not None and text and not widget.accessibleName():
        widget.setAccessibleName(text)


def name_inputs(root: QWidget) -> None:
    """Give every input under `root` that has no name one: its form label, its buddy label, or
    what it shows as a hint (placeholder, tooltip)."""
    for form in root.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            label_item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            label_widget = label_item.widget() if label_item is not None else None
            field_widget = field.widget() if field is not None else None
            if isinstance(label_widget, QLabel) and field_widget is not None:
                _name(_first_input(field_widget), label_widget.text())
    for text_label in root.findChildren(QLabel):
        buddy = text_label.buddy()
        if buddy is not None:
            _name(buddy, text_label.text())
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, INPUTS) or widget.accessibleName() or is_part_of_another(widget):
            continue
        if isinstance(widget, QAbstractButton):
            _name(widget, widget.text() or widget.toolTip())
        elif isinstance(widget, QLineEdit):
            _name(widget, widget.placeholderText() or widget.toolTip())
        else:
            _name(widget, widget.toolTip() or _context(widget))


class _Namer(QObject):
    """Names the inputs of each window when it first becomes the active one, and of each page of a
    stack or tab when it first becomes the current one.

    It used to be an event filter on the application, called for every event of every object: a
    Python call each, which on the UI thread had to take the interpreter lock back from whichever
    worker held it, event after event (the window's first paint and each page's first show stalled
    for 0.1-0.25 s while a worker ran). Two Qt signals say the same thing without it: the
    application's focusWindowChanged, and each stack's currentChanged (the stacks of a window or
    page are followed when it is named)."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        app.focusWindowChanged.connect(self._window_active)

    def _window_active(self, window: QWindow | None) -> None:
        if window is None:
            return
        for widget in QApplication.topLevelWidgets():
            if widget.windowHandle() is window:
                self.name(widget)

    def _page_current(self, _index: int) -> None:
        stack = self.sender()
        page = stack.currentWidget() if isinstance(stack, QStackedWidget) else None
        if page is not None:
            self.name(page)

    def name(self, root: QWidget) -> None:
        """Name the inputs under `root` once, and follow the stacks in it from now on."""
        if not root.property(_DONE):
            root.setProperty(_DONE, True)
            name_inputs(root)
        for stack in root.findChildren(QStackedWidget):
            if not stack.property(_FOLLOWED):
                stack.setProperty(_FOLLOWED, True)
                stack.currentChanged.connect(self._page_current)


_namers: dict[int, _Namer] = {}


def install(app: QApplication) -> None:
    if app.property(_DONE):
        return
    app.setProperty(_DONE, True)
    _namers[id(app)] = _Namer(app)


def name_ahead(root: QWidget) -> bool:
    """Name the inputs of a page built out of view now (the window prepares pages in the
    background), so that its first show does not (2-11 ms a page). False when it needed nothing:
    no naming installed, or already named."""
    app = QApplication.instance()
    namer = _namers.get(id(app))
    if namer is None or root.property(_DONE):
        return False
    namer.name(root)
    return True

