"""A record form's fields, each declared once: which service field it edits, its label, its widget,
how a stored value is shown and how the typed value is read back.

Before this, a field was written five times in every page (created, laid out, watched, filled,
read) and the five drifted: a field filled but not read, or read with another default. A page now
lists its fields (`RecordPage.declare_fields`) and RecordPage does the five steps for all of them;
a page still writes by hand only what is particular to it (a checkbox that empties two others, a
person chosen who brings their post along).

A field fills itself from a mapping of service fields to values: a record (`RecordValues`) or the
interview's crash draft, which is the form's values by the same names. Most fields edit one
service field; a `Person` edits two (the name typed or chosen, and the chosen person's id).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from app.services.crud import as_uuid

from .accessibility import spoken
from .choice_combo import ChoiceCombo
from .fields import add_row, datetime_edit, get_datetime, set_datetime, text_edit
from .inspector_picker import InspectorPicker

if TYPE_CHECKING:
    from ..lookups import Lookups


class RecordValues(Mapping[str, Any]):
    """A record's stored values by service field, as the fields fill from them."""

    def __init__(self, record: Any) -> None:
        self._record = record

    def __getitem__(self, name: str) -> Any:
        try:
            return getattr(self._record, name)
        except AttributeError:
            raise KeyError(name) from None

    def __iter__(self) -> Iterator[str]:
        return (name for name in vars(self._record) if not name.startswith("_"))

    def __len__(self) -> int:
        return sum(1 for _name in self)


@dataclass
class FormField:
    name: str  # the service's field
    label: str  # the row's label, translated, with its mnemonic ("走访地点(&L)：")
    attr: str = ""  # the page attribute that holds the widget (default: the field's name)
    # Several fields on one row ("发放 [ ] 收回 [ ] 有效 [ ]"): each after a short caption, the
    # later ones `same_row` (their `label` is not shown; the row's is the first field's).
    caption: str = ""
    same_row: bool = False
    # False: the page places the widget itself (beside the form), under `label` (see `buddy_label`).
    in_form: bool = True

    def __post_init__(self) -> None:
        self.attr = self.attr or self.name

    @property
    def names(self) -> tuple[str, ...]:
        """The service fields this field edits."""
        return (self.name,)

    def create(self, parent: QWidget) -> QWidget:
        raise NotImplementedError

    def fill(self, widget: Any, source: Mapping[str, Any] | None, lookups: Lookups | None) -> None:
        """Show the value in `source` (a record's or a draft's values by service field); a new
        record (None), or a draft without the field, shows the blank value."""
        self.show(widget, source[self.name] if source is not None and self.name in source else self.blank(), lookups)

    def values(self, widget: Any) -> dict[str, Any]:
        """The typed value(s) by service field; a ValueError (with `.field`) refuses the form."""
        return {self.name: self.read(widget)}

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
    tab_moves_on: bool = True  # False: Tab types a tab (a transcript)

    def create(self, parent: QWidget) -> QPlainTextEdit:
        edit = text_edit(parent, self.placeholder, self.height)
        edit.setTabChangesFocus(self.tab_moves_on)
        if self.max_height is not None:
            edit.setMaximumHeight(self.max_height)
        return edit

    def show(self, widget: QPlainTextEdit, value: Any, lookups: Lookups | None) -> None:
        widget.setPlainText(value or "")

    def read(self, widget: QPlainTextEdit) -> str:
        return widget.toPlainText()


@dataclass
class Lines(FormField):
    """A list typed one entry a line (到会人员); blank lines and surrounding spaces are dropped."""

    placeholder: str = ""
    height: int = 70

    def create(self, parent: QWidget) -> QPlainTextEdit:
        return text_edit(parent, self.placeholder, self.height)

    def show(self, widget: QPlainTextEdit, value: Any, lookups: Lookups | None) -> None:
        widget.setPlainText("\n".join(value or []))

    def read(self, widget: QPlainTextEdit) -> list[str]:
        return lines_of(widget.toPlainText())


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@dataclass
class When(FormField):
    """A moment, typed in local time; a new record starts at now."""

    # A record without this time shows that field's (结束时间 not noted: the start).
    or_else: str = ""

    def create(self, parent: QWidget) -> QWidget:
        return datetime_edit(parent)

    def fill(self, widget: Any, source: Mapping[str, Any] | None, lookups: Lookups | None) -> None:
        value = source.get(self.name) if source is not None else None
        if value is None and source is not None and self.or_else:
            value = source.get(self.or_else)
        self.show(widget, value, lookups)

    def show(self, widget: Any, value: Any, lookups: Lookups | None) -> None:
        # A draft keeps times as ISO text.
        set_datetime(widget, dt.datetime.fromisoformat(value) if isinstance(value, str) else value)

    def read(self, widget: Any) -> dt.datetime:
        return get_datetime(widget)


@dataclass
class Choice(FormField):
    """One of a fixed list (an enum's labels) or of the inspection's lists (`from_lookups`)."""

    choices: Sequence[tuple[Any, str]] = ()
    unset: str | None = None  # the text of "no choice", when the field may be left empty
    default: str | None = None  # what a new record starts with
    from_lookups: Callable[[Lookups], Sequence[Any]] | None = None
    # How a stored value outside the choices is shown: its text, and the note after it.
    outside_text: Callable[[Any], str] | None = None
    outside_note: str | None = None

    def create(self, parent: QWidget) -> ChoiceCombo:
        combo = ChoiceCombo(parent, blank=self.unset)
        if self.choices:
            combo.set_choices(list(self.choices))
        return combo

    def show(self, widget: ChoiceCombo, value: Any, lookups: Lookups | None) -> None:
        key = str(value) if value else None
        text = self.outside_text(key) if self.outside_text is not None and key is not None else None
        widget.set_key(key, text, note=self.outside_note)

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
class Member(Unit):
    """One member of the inspection's team (记录人); may be left unset."""

    from_lookups: Callable[[Lookups], Sequence[Any]] | None = field(
        default=lambda lookups: [(str(m.id), m.name) for m in lookups.team])


# The item data role holding a listed person's name (the item's text adds their post).
_NAME_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass
class Person(FormField):
    """Someone of the inspected units, chosen from their people or typed in (谈话对象, 汇报人).
    Stores the name in `name` and, where the record keeps it, the chosen person's id in `id_field`
    (a name typed, or a chosen one edited afterwards, has none)."""

    id_field: str = ""
    placeholder: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, self.id_field) if self.id_field else (self.name,)

    def create(self, parent: QWidget) -> QComboBox:
        combo = QComboBox(parent)
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        edit = combo.lineEdit()
        assert edit is not None  # an editable combo box has one
        edit.setPlaceholderText(self.placeholder)
        completer = QCompleter(combo.model(), combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        combo.setCompleter(completer)
        return combo

    def refill(self, widget: QComboBox, lookups: Lookups) -> None:
        widget.clear()
        for person in lookups.people:
            widget.addItem(person.text, str(person.id))
            widget.setItemData(widget.count() - 1, person.name, _NAME_ROLE)
        widget.setCurrentIndex(-1)

    def fill(self, widget: QComboBox, source: Mapping[str, Any] | None, lookups: Lookups | None) -> None:
        source = source or {}
        person_id = source.get(self.id_field) if self.id_field else None
        index = widget.findData(str(person_id)) if person_id else -1
        widget.setCurrentIndex(index)
        if index < 0:
            widget.setEditText(source.get(self.name) or "")

    @staticmethod
    def chosen_id(widget: QComboBox) -> str | None:
        """The id of the listed person shown, if the text is still theirs."""
        index = widget.currentIndex()
        if index < 0 or widget.currentText() != widget.itemText(index):
            return None
        return widget.itemData(index)

    def values(self, widget: QComboBox) -> dict[str, Any]:
        person_id = self.chosen_id(widget)
        name = widget.itemData(widget.currentIndex(), _NAME_ROLE) if person_id else widget.currentText().strip()
        values = {self.name: name}
        if self.id_field:
            values[self.id_field] = as_uuid(person_id) if person_id else None
        return values


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
class Count(FormField):
    """A number of people or items; with `unset`, 0 shows that text and is stored as "not filled
    in" (None); without, 0 is 0."""

    unset: str = ""

    def create(self, parent: QWidget) -> QSpinBox:
        spin = QSpinBox(parent)
        spin.setRange(0, 100_000)
        if self.unset:
            spin.setSpecialValueText(self.unset)
        return spin

    def show(self, widget: QSpinBox, value: Any, lookups: Lookups | None) -> None:
        widget.setValue(int(value or 0))

    def read(self, widget: QSpinBox) -> int | None:
        return (widget.value() or None) if self.unset else widget.value()


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


@dataclass
class Grades(FormField):
    """A short list typed on one line, separated by 、 (or ， , /): 好、较好、一般、差."""

    tooltip: str = ""
    # What an empty list shows (a new survey: its kind's grades).
    fallback: Callable[[], Sequence[str]] | None = None

    def create(self, parent: QWidget) -> QLineEdit:
        edit = QLineEdit(parent)
        edit.setToolTip(self.tooltip)
        return edit

    def show(self, widget: QLineEdit, value: Any, lookups: Lookups | None) -> None:
        grades = list(value or (self.fallback() if self.fallback is not None else ()))
        widget.setText("、".join(grades))

    def read(self, widget: QLineEdit) -> list[str]:
        return self.read_text(widget.text())

    @staticmethod
    def read_text(text: str) -> list[str]:
        text = text.replace("，", "、").replace(",", "、").replace("/", "、")
        return [part.strip() for part in text.split("、") if part.strip()]


class CheckGroup(QGroupBox):
    """A titled grid of boxes, one per item of a list (六必问); its value is the ticked items' keys."""

    changed = Signal()

    def __init__(self, title: str, parent: QWidget | None = None, columns: int = 3) -> None:
        super().__init__(title, parent)
        self.columns = columns
        self.grid = QGridLayout(self)
        self.boxes: dict[str, QCheckBox] = {}

    def set_items(self, items: Sequence[Any]) -> None:
        for box in self.boxes.values():
            self.grid.removeWidget(box)
            box.deleteLater()
        self.boxes = {}
        for n, item in enumerate(items):
            box = QCheckBox(item.text, self)
            box.toggled.connect(lambda _on: self.changed.emit())
            self.grid.addWidget(box, n // self.columns, n % self.columns)
            self.boxes[item.key] = box

    def set_checked(self, keys: Sequence[str]) -> None:
        chosen = set(keys)
        for key, box in self.boxes.items():
            box.setChecked(key in chosen)

    def checked(self) -> list[str]:
        return [key for key, box in self.boxes.items() if box.isChecked()]


@dataclass
class Checks(FormField):
    """Which items of a list of the inspection were covered (六必问): `label` is the group's title."""

    from_lookups: Callable[[Lookups], Sequence[Any]] = lambda lookups: ()

    def create(self, parent: QWidget) -> CheckGroup:
        return CheckGroup(self.label, parent)

    def show(self, widget: CheckGroup, value: Any, lookups: Lookups | None) -> None:
        widget.set_checked(value or [])

    def read(self, widget: CheckGroup) -> list[str]:
        return widget.checked()

    def refill(self, widget: CheckGroup, lookups: Lookups) -> None:
        widget.set_items(self.from_lookups(lookups))


@dataclass
class Composite(FormField):
    """An input of the page's own (a table of ballots): `make(parent)` builds it; it offers
    `value()` (a ValueError refuses the form), `set_value(value)` (None: a new record's) and a
    `changed` signal."""

    make: Callable[[QWidget], Any] = QWidget

    def create(self, parent: QWidget) -> Any:
        return self.make(parent)

    def show(self, widget: Any, value: Any, lookups: Lookups | None) -> None:
        widget.set_value(value)

    def read(self, widget: Any) -> Any:
        return widget.value()


def lay_out(form: QFormLayout, fields: Sequence[FormField], widget_of: Callable[[FormField], QWidget]) -> None:
    """Put each field in the form under its label; fields sharing a row behind their captions."""
    placed = [f for f in fields if f.in_form]
    row: QHBoxLayout | None = None
    row_label = ""
    for n, f in enumerate(placed):
        widget = widget_of(f)
        shares = n + 1 < len(placed) and placed[n + 1].same_row
        if not (f.caption or f.same_row or shares):
            if isinstance(f, Check):
                form.addRow("", widget)  # the box carries its own text
            else:
                add_row(form, f.label, widget)
            continue
        if row is None or not f.same_row:
            row, row_label = QHBoxLayout(), f.label
            add_row(form, f.label, row, widget)
        if f.caption:
            caption = QLabel(f.caption, widget.parentWidget())
            caption.setBuddy(widget)
            row.addWidget(caption)
            # Said as "测评票（份）发放": neither the row's label alone nor the caption alone.
            widget.setAccessibleName(spoken(row_label) + spoken(f.caption))
        row.addWidget(widget)
        if not shares:
            row.addStretch(1)
            row = None


def put_beside(form: QFormLayout, field_widget: QWidget, extra: QWidget) -> None:
    """Show `extra` (a live count, a hint) on the row of `field_widget`, after it."""
    row: int = form.getWidgetPosition(field_widget)[0]  # type: ignore[index]
    taken = form.takeRow(row)
    label = taken.labelItem.widget() if taken.labelItem is not None else None
    box = QHBoxLayout()
    box.addWidget(field_widget)
    box.addWidget(extra, 1)
    if label is not None:
        form.insertRow(row, label, box)
    else:
        form.insertRow(row, box)


def buddy_label(f: FormField, widget: QWidget, parent: QWidget) -> QLabel:
    """The label of a field the page places itself, its mnemonic jumping to the field."""
    label = QLabel(f.label, parent)
    label.setBuddy(widget)
    return label
