"""What the office pages share: the hub that knows the context and "today", a page base that runs
service calls off the UI thread, colours and date helpers. Their lists are in tables.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.services.context import ServiceContext

from ..changes import ChangeBus, ChangeSet
from ..i18n import translate
from ..tasks import TaskRunner
from ..widgets.fields import date_edit, to_date, to_qdate  # noqa: F401 - the office pages import them from here
from ..widgets.message_bar import MessageBar

# The id an entry of a list widget (units to choose, expertise to tick) carries.
IdRole = Qt.ItemDataRole.UserRole

# Row colours: overdue red, due within a week yellow (the office's convention), done green, muted grey.
RED = QColor("#f9d6d5")
RED_TEXT = QColor("#9b1c1c")
YELLOW = QColor("#fff1c2")
GREEN = QColor("#dff0e0")
GREY_TEXT = QColor("#6b6b6b")
AMBER = QColor("#fde4b8")

STYLE = """
QLabel#pageHeading { font-size: 17px; font-weight: bold; }
QLabel#summary { font-size: 14px; }
QLabel#hint { color: #6b6b6b; }
QListWidget#officeNavigation { font-size: 14px; }
QListWidget#officeNavigation::item { padding: 8px 12px; }
QListWidget#officeNavigation::item:selected { background: #8c1d18; color: white; }
"""


class Office(QObject):
    """The office window's shared state: who acts on which database, and what day it is.

    `today` is fixed for screenshots and tests (demo data hangs off a fixed date); otherwise it is the
    calendar's. `changes` tells every page (of this window and of the main window that opened it)
    that data changed, so they reload when next shown.
    """

    def __init__(self, ctx: ServiceContext, today: dt.date | None = None, parent: QObject | None = None,
                 changes: ChangeBus | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._today = today
        self.changes = changes if changes is not None else ChangeBus(self)

    def today(self) -> dt.date:
        return self._today or dt.date.today()


class OfficePage(QWidget):
    """A page that loads through a service call in the background and reloads when data changed."""

    title = ""

    def __init__(self, office: Office, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.office = office
        self.tasks = TaskRunner(self)
        self.message = MessageBar(self)
        self._stale = True
        self._loaded_once = False
        office.changes.changed.connect(self._mark_stale)
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(8, 6, 8, 6)
        heading = QLabel(translate("Office", self.title), self)
        heading.setObjectName("pageHeading")
        self.outer.addWidget(heading)
        self.outer.addWidget(self.message)

    @property
    def ctx(self) -> ServiceContext:
        return self.office.ctx

    # Pages load on first show and after a change elsewhere; not at construction, so the window opens at once.
    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self.reload()

    def _mark_stale(self, _change: ChangeSet | None = None) -> None:
        self._stale = True
        if self.isVisible():
            self.reload()

    def reload(self) -> None:
        self._stale = False
        self._loaded_once = True
        self.load()

    def load(self) -> None:
        """Start the page's background load."""

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None], *, key: str | None = None) -> None:
        self.tasks.run(fn, on_done, self.message.show_error, key=key)

    def write(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None, *, what: str | None = None,
              done_message: str | Callable[[Any], str] | None = None) -> None:
        """Run a change; on success tell every page (this one reloads too) and say what happened."""

        def finished(result: Any) -> None:
            if done_message:
                self.message.show_info(done_message(result) if callable(done_message) else done_message)
            else:
                self.message.clear_message()
            if on_done is not None:
                on_done(result)
            if what is None:
                self.office.changes.announce()
            else:
                self.office.changes.announce(what)

        self.message.clear_message()
        self.tasks.run(fn, finished, self.message.show_error)


def date_text(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def find_data(combo: Any, value: Any) -> int:
    """QComboBox.findData by equality: Qt compares Python objects (a UUID) by identity."""
    for n in range(combo.count()):
        if combo.itemData(n) == value:
            return n
    return -1


def add_checkable(box: QListWidget, items: Any) -> None:
    """One unchecked box per item (its name shown, its code under IdRole): the expertise lists of the
    team and pool pages."""
    for item in items:
        entry = QListWidgetItem(item.name)
        entry.setData(IdRole, item.code)
        entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        entry.setCheckState(Qt.CheckState.Unchecked)
        box.addItem(entry)
