"""Small helpers for building and reading forms the same way on every page."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QFormLayout, QLabel, QLayout, QPlainTextEdit, QWidget


def add_row(form: QFormLayout, text: str, field: QWidget | QLayout, buddy: QWidget | None = None) -> QLabel:
    """A labelled row whose mnemonic (&X in the label) jumps to the field."""
    label = QLabel(text)
    target = buddy if buddy is not None else field if isinstance(field, QWidget) else None
    if target is not None:
        label.setBuddy(target)
    form.addRow(label, field)
    return label


# The one conversion between Python dates and Qt's (four hand-written ones drifted apart).
def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def to_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def date_edit(day: dt.date, parent: QWidget | None = None) -> QDateEdit:
    edit = QDateEdit(to_qdate(day), parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


# An optional date shows its "unset" text at this minimum date, which no real record carries.
UNSET_DATE = QDate(2000, 1, 1)


def optional_date_edit(parent: QWidget | None, unset_text: str) -> QDateEdit:
    """A date that may be left unset; `unset_text` ("未定", "未填写") shows while it is."""
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(UNSET_DATE)
    edit.setSpecialValueText(unset_text)
    edit.setDate(UNSET_DATE)
    return edit


def read_optional(edit: QDateEdit) -> dt.date | None:
    value = edit.date()
    return None if value == UNSET_DATE else to_date(value)


def write_optional(edit: QDateEdit, day: dt.date | None) -> None:
    edit.setDate(to_qdate(day) if day else UNSET_DATE)


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
    edit.setDateTime(QDateTime(to_qdate(local.date()),
                               QTime(local.hour, local.minute, local.second, local.microsecond // 1000)))


def get_datetime(edit: QDateTimeEdit) -> dt.datetime:
    """The local time typed in, zone attached (services store UTC)."""
    q = edit.dateTime()
    t = q.time()
    return dt.datetime.combine(to_date(q.date()), dt.time(t.hour(), t.minute())).astimezone()


def text_edit(parent: QWidget, placeholder: str = "", height: int = 70) -> QPlainTextEdit:
    edit = QPlainTextEdit(parent)
    edit.setPlaceholderText(placeholder)
    # Tab moves on to the next field; a notes box is not a place for tab characters.
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(height)
    return edit
