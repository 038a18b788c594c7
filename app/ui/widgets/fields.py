"""Small helpers for building and reading forms the same way on every page."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QDateTimeEdit, QFormLayout, QLabel, QLayout, QPlainTextEdit, QWidget


def add_row(form: QFormLayout, text: str, field: QWidget | QLayout, buddy: QWidget | None = None) -> QLabel:
    """A labelled row whose mnemonic (&X in the label) jumps to the field."""
    label = QLabel(text)
    target = buddy if buddy is not None else field if isinstance(field, QWidget) else None
    if target is not None:
        label.setBuddy(target)
    form.addRow(label, field)
    return label


def datetime_edit(parent: QWidget) -> QDateTimeEdit:
    edit = QDateTimeEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    return edit


def set_datetime(edit: QDateTimeEdit, value: dt.datetime | None) -> None:
    """Show a stored (UTC) time in the user's local time; None shows now."""
    if value is None:
        local = dt.datetime.now().replace(second=0, microsecond=0)
    else:
        local = value.astimezone().replace(tzinfo=None) if value.tzinfo else value
    edit.setDateTime(QDateTime(QDate(local.year, local.month, local.day),
                               QTime(local.hour, local.minute, local.second, local.microsecond // 1000)))


def get_datetime(edit: QDateTimeEdit) -> dt.datetime:
    """The local time typed in, zone attached (services store UTC)."""
    q = edit.dateTime()
    d, t = q.date(), q.time()
    return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute()).astimezone()


def text_edit(parent: QWidget, placeholder: str = "", height: int = 70) -> QPlainTextEdit:
    edit = QPlainTextEdit(parent)
    edit.setPlaceholderText(placeholder)
    # Tab moves on to the next field; a notes box is not a place for tab characters.
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(height)
    return edit
