"""走访: visits to staff, residents and project sites."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QLineEdit

from app.services.crud import as_uuid
from app.services.fieldwork import VisitService

from ..i18n import translate
from ..models.record_table import Column
from ..widgets.choice_combo import ChoiceCombo
from ..widgets.fields import add_row, datetime_edit, get_datetime, set_datetime, text_edit
from ..widgets.inspector_picker import InspectorPicker
from ..widgets.record_page import RecordPage
from ..workspace import VISIT


class VisitsPage(RecordPage):
    kind = VISIT
    field_widgets = {"visited_at": "visited_at", "place": "place", "visitor_ids": "visitors", "people_met": "people_met",
                     "unit_id": "unit", "content": "content"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.heading.setText(translate("VisitsPage", "走访"))

    @property
    def noun(self) -> str:  # type: ignore[override]
        return translate("VisitsPage", "走访记录")

    def service(self) -> VisitService:
        return VisitService(self.workspace.context())

    def list_columns(self) -> list[Column]:
        return [
            (translate("VisitsPage", "走访时间"), lambda r: r.visited_at),
            (translate("VisitsPage", "走访地点"), lambda r: r.place),
            (translate("VisitsPage", "走访对象"), lambda r: (r.people_met or "").replace("\n", " ")),
            (translate("VisitsPage", "走访人"), lambda r: self.lookups.names_of(r.visitor_ids) if self.lookups else ""),
        ]

    def build_form(self, form: QFormLayout) -> None:
        self.visited_at = datetime_edit(self)
        self.place = QLineEdit(self)
        self.place.setPlaceholderText(translate("VisitsPage", "例如：某村村委会、某项目工地"))
        self.visitors = InspectorPicker(self)
        self.people_met = text_edit(self, translate("VisitsPage", "走访了哪些干部群众"), 50)
        self.people_met.setMaximumHeight(90)
        self.unit = ChoiceCombo(self, blank=translate("VisitsPage", "（未指明）"))
        self.content = text_edit(self, translate("VisitsPage", "了解到的情况"), 160)
        add_row(form, translate("VisitsPage", "走访时间(&T)："), self.visited_at)
        add_row(form, translate("VisitsPage", "走访地点(&L)："), self.place)
        add_row(form, translate("VisitsPage", "走访人(&P)："), self.visitors)
        add_row(form, translate("VisitsPage", "走访对象(&M)："), self.people_met)
        add_row(form, translate("VisitsPage", "单位："), self.unit)
        add_row(form, translate("VisitsPage", "走访情况(&C)："), self.content)

    def watch_form(self) -> None:
        self.tracker.watch(self.visited_at, self.place, self.visitors, self.people_met, self.unit, self.content)

    def on_lookups(self, lookups: Any) -> None:
        self.visitors.set_members(lookups.team)
        self.unit.set_choices(lookups.units)

    def describe(self, record: Any) -> str:
        return translate("VisitsPage", "走访：{place}").format(place=record.place)

    def fill_form(self, r: Any | None) -> None:
        set_datetime(self.visited_at, r.visited_at if r else None)
        self.place.setText(r.place if r else "")
        names = self.lookups.inspector_names if self.lookups else {}
        self.visitors.set_selected(r.visitor_ids if r else [], names)
        self.people_met.setPlainText((r.people_met or "") if r else "")
        self.unit.set_key(str(r.unit_id) if r and r.unit_id else None)
        self.content.setPlainText(r.content if r else "")

    def form_values(self) -> dict[str, Any]:
        unit = self.unit.key()
        values = {
            "visited_at": get_datetime(self.visited_at),
            "place": self.place.text(),
            "visitor_ids": self.visitors.selected_ids(),
            "people_met": self.people_met.toPlainText(),
            "unit_id": as_uuid(unit) if unit else None,
            "content": self.content.toPlainText(),
        }
        if self.current_id is None:
            assert self.lookups is not None  # a new record is made for the chosen inspection
            values["inspection_id"] = self.lookups.inspection_id
        return values

    def focus_first_field(self) -> None:
        self.place.setFocus()
