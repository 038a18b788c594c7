"""走访: visits to staff, residents and project sites."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLineEdit

from app.services.fieldwork import VisitService

from ..i18n import translate
from ..models.record_table import Column
from ..widgets.form_fields import FormField, Line, Members, Notes, Unit, When
from ..widgets.record_page import RecordPage
from ..workspace import VISIT


class VisitsPage(RecordPage):
    kind = VISIT
    place: QLineEdit  # made by declare_fields

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

    def declare_fields(self) -> list[FormField]:
        return [
            When("visited_at", translate("VisitsPage", "走访时间(&T)：")),
            Line("place", translate("VisitsPage", "走访地点(&L)："),
                 placeholder=translate("VisitsPage", "例如：某村村委会、某项目工地")),
            Members("visitor_ids", translate("VisitsPage", "走访人(&P)："), attr="visitors"),
            Notes("people_met", translate("VisitsPage", "走访对象(&M)："),
                  placeholder=translate("VisitsPage", "走访了哪些干部群众"), height=50, max_height=90),
            Unit("unit_id", translate("VisitsPage", "单位："), attr="unit", unset=translate("VisitsPage", "（未指明）")),
            Notes("content", translate("VisitsPage", "走访情况(&C)："),
                  placeholder=translate("VisitsPage", "了解到的情况"), height=160),
        ]

    def describe(self, record: Any) -> str:
        return translate("VisitsPage", "走访：{place}").format(place=record.place)

    def focus_first_field(self) -> None:
        self.place.setFocus()
