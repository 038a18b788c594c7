"""A record form's fields, each declared once: which service field it edits, its label, its widget,
how a stored value is shown and how the typed value is read back.

Before this, a field was written five times in every page (created, laid out, watched, filled,
read) and the five drifted: a field filled but not read, or read with another default. A page now
lists its fields (`RecordPage.declare_fields`) and RecordPage does the five steps for all of them;
a page still writes by hand only what is particular to it (a checkbox that empties two others).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QCheckBox, QLineEdit, QPlainTextEdit, QWidget

from app.services.crud import as_uuid

from .choice_combo import ChoiceCombo
from .fields import datetime_edit, get_datetime, set_datetime, text_edit
from .inspector_picker import InspectorPicker

if TYPE_CHECKING:
    from ..lookups import Lookups


@dataclass
class FormField:
    name: str  # the service's field
    label: str  # the row's label, translated, with its mnemonic ("走访地点(&L)：")
    attr: str = ""  # the page attribute that holds the widget (default: the field's name)

    def __post_init__(self) -> None:
        self.attr = self.attr or self.name

    def create(self, parent: QWidget) -> QWidget:
        raise NotImplementedError

    def show(self, widget: Any, value: Any, lookups: Lookups | None) -> None:
        """Show a stored value (None for a field a new record leaves empty)."""
        raise NotImplementedError

    def read(self, widget: Any) -> Any:
        raise NotImplementedError

    def blank(self) -> Any:
        """What a new record shows."""
        return None

    def refill(self, widget: Any, lookups: Lookups) -> None:
        """New choice lists for another inspection (only pickers have any)."""


@dataclass
class Line(FormField):
    placeholder: str = ""

    def create(self, parent: QWidget) -> QLineEdit:
        edit = QLineEdit(parent)
        edit.setPlaceholderText(self.placeholder)
        return edit

    def show(self, widget: QLineEdit, value: Any, lookups: Lookups | None) -> None:
        widget.setText(value or "")

    def read(self, widget: QLineEdit) -> str:
        return widget.text()


@dataclass
class Notes(FormField):
    placeholder: str = ""
    height: int = 70
    max_height: int | None = None

    def create(self, parent: QWidget) -> QPlainTextEdit:
        edit = text_edit(parent, self.placeholder, self.height)
        if self.max_height is not None:
            edit.setMaximumHeight(self.max_height)
        return edit

    def show(self, widget: QPlainTextEdit, value: Any, lookups: Lookups | None) -> None:
        widget.setPlainText(value or "")

    def read(self, widget: QPlainTextEdit) -> str:
        return widget.toPlainText()


@dataclass
class When(FormField):
    """A moment, typed in local time; a new record starts at now."""

    def create(self, parent: QWidget) -> QWidget:
        return datetime_edit(parent)

    def show(self, widget: Any, value: Any, lookups: Lookups | None) -> None:
        set_datetime(widget, value)

    def read(self, widget: Any) -> dt.datetime:
        return get_datetime(widget)


@dataclass
class Choice(FormField):
    """One of a fixed list (an enum's labels) or of the inspection's lists (`from_lookups`)."""

    choices: Sequence[tuple[Any, str]] = ()
    unset: str | None = None  # the text of "no choice", when the field may be left empty
    default: str | None = None  # what a new record starts with
    from_lookups: Callable[[Lookups], Sequence[Any]] | None = None

    def create(self, parent: QWidget) -> ChoiceCombo:
        combo = ChoiceCombo(parent, blank=self.unset)
        if self.choices:
            combo.set_choices(list(self.choices))
        return combo

    def show(self, widget: ChoiceCombo, value: Any, lookups: Lookups | None) -> None:
        widget.set_key(str(value) if value else None)

    def read(self, widget: ChoiceCombo) -> Any:
        return widget.key()

    def blank(self) -> Any:
        return self.default

    def refill(self, widget: ChoiceCombo, lookups: Lookups) -> None:
        if self.from_lookups is not None:
            widget.set_choices(self.from_lookups(lookups))


@dataclass
class Unit(Choice):
    """The inspected unit (or one of its subordinates) a record concerns; may be left unset."""

    from_lookups: Callable[[Lookups], Sequence[Any]] | None = field(default=lambda lookups: lookups.units)

    def read(self, widget: ChoiceCombo) -> Any:
        key = widget.key()
        return as_uuid(key) if key else None


@dataclass
class Check(FormField):
    """A yes/no box; `label` is the box's own text and the form row has none."""

    def create(self, parent: QWidget) -> QCheckBox:
        return QCheckBox(self.label, parent)

    def show(self, widget: QCheckBox, value: Any, lookups: Lookups | None) -> None:
        widget.setChecked(bool(value))

    def read(self, widget: QCheckBox) -> bool:
        return widget.isChecked()

    def blank(self) -> Any:
        return False


@dataclass
class Members(FormField):
    """Members of the inspection's team (走访人, 查阅人 …)."""

    def create(self, parent: QWidget) -> InspectorPicker:
        return InspectorPicker(parent)

    def show(self, widget: InspectorPicker, value: Any, lookups: Lookups | None) -> None:
        widget.set_selected(value or [], lookups.inspector_names if lookups else {})

    def read(self, widget: InspectorPicker) -> list[str]:
        return widget.selected_ids()

    def refill(self, widget: InspectorPicker, lookups: Lookups) -> None:
        widget.set_members(lookups.team)
