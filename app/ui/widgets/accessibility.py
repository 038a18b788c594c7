"""Names a screen reader says for every input (NVDA and Narrator on the office's Windows PCs).

Qt derives a name from a label only when the label is the input's buddy and sits beside it; the
inputs inside composite fields, the filter boxes with a placeholder for a label and the charts had
none. Naming happens when a window or a page is first shown, so every dialog and page is covered
without each one remembering to do it.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QShowEvent
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


class _OnFirstShow(QObject):
    """Names the inputs of each window, and of each page of a stack or tab, when first shown."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        # Called for every event of every object: isinstance is a C check, where event.type() made
        # a Python enum each time (a tenth of a page's building time).
        if isinstance(event, QShowEvent) and isinstance(watched, QWidget) and not watched.property(_DONE) \
                and (watched.isWindow() or isinstance(watched.parentWidget(), QStackedWidget)):
            watched.setProperty(_DONE, True)
            name_inputs(watched)
        return False


_watchers: dict[int, _OnFirstShow] = {}


def install(app: QApplication) -> None:
    if app.property(_DONE):
        return
    app.setProperty(_DONE, True)
    watcher = _OnFirstShow(app)
    _watchers[id(app)] = watcher
    app.installEventFilter(watcher)


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Build widgets (not show them) without the watcher: it is called for every event of every
    object, a Python call each, and acts only on a first Show, which comes after building."""
    app = QApplication.instance()
    watcher = _watchers.get(id(app)) if app is not None else None
    if app is None or watcher is None:
        yield
        return
    app.removeEventFilter(watcher)
    try:
        yield
    finally:
        app.installEventFilter(watcher)
