"""信访举报: petitions received by the team, each able to become a finding."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QDateTimeEdit, QFormLayout, QLineEdit

from app.models.enums import PetitionChannel, PetitionStatus
from app.services.fieldwork import PetitionService

from .. import i18n
from ..i18n import translate
from ..models.record_table import Column
from ..widgets.form_fields import Check, Choice, FormField, Line, Notes, Unit, When
from ..widgets.record_page import RecordPage
from ..workspace import PETITION


def _excerpt(text: str | None, n: int = 40) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= n else text[:n] + "…"


class PetitionsPage(RecordPage):
    kind = PETITION
    # Made by declare_fields.
    received_at: QDateTimeEdit
    anonymous: QCheckBox
    reporter_name: QLineEdit
    reporter_contact: QLineEdit

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.heading.setText(translate("PetitionsPage", "信访举报"))

    @property
    def noun(self) -> str:  # type: ignore[override]
        return translate("PetitionsPage", "信访件")

    def service(self) -> PetitionService:
        return PetitionService(self.workspace.context())

    def list_columns(self) -> list[Column]:
        channels = i18n.labels(PetitionChannel)
        statuses = i18n.labels(PetitionStatus)
        return [
            (translate("PetitionsPage", "收到时间"), lambda r: r.received_at),
            (translate("PetitionsPage", "渠道"), lambda r: channels.get(r.channel, r.channel)),
            (translate("PetitionsPage", "被反映人"), lambda r: r.subject_name or ""),
            (translate("PetitionsPage", "办理状态"), lambda r: statuses.get(r.status, r.status)),
            (translate("PetitionsPage", "反映内容"), lambda r: _excerpt(r.content)),
        ]

    def declare_fields(self) -> list[FormField]:
        return [
            When("received_at", translate("PetitionsPage", "收到时间(&T)：")),
            Choice("channel", translate("PetitionsPage", "来源渠道(&Q)："), choices=list(i18n.labels(PetitionChannel).items()),
                   default=PetitionChannel.LETTER.value),
            Check("anonymous", translate("PetitionsPage", "匿名举报（不登记举报人信息）")),
            Line("reporter_name", translate("PetitionsPage", "举报人(&R)：")),
            Line("reporter_contact", translate("PetitionsPage", "联系方式：")),
            Line("subject_name", translate("PetitionsPage", "被反映人(&B)：")),
            Line("subject_post", translate("PetitionsPage", "被反映人职务：")),
            Unit("unit_id", translate("PetitionsPage", "涉及单位："), attr="unit", unset=translate("PetitionsPage", "（未指明）")),
            Notes("content", translate("PetitionsPage", "反映内容(&C)："),
                  placeholder=translate("PetitionsPage", "反映的主要问题，尽量保留原话"), height=110),
            Choice("status", translate("PetitionsPage", "办理状态："), choices=list(i18n.labels(PetitionStatus).items()),
                   default=PetitionStatus.REGISTERED.value),
            Notes("handling", translate("PetitionsPage", "办理情况："),
                  placeholder=translate("PetitionsPage", "核实、转办或了结的情况"), height=60),
        ]

    def build_form(self, form: QFormLayout) -> None:
        super().build_form(form)
        self.anonymous.toggled.connect(self._anonymous_toggled)

    def _anonymous_toggled(self, anonymous: bool) -> None:
        for w in (self.reporter_name, self.reporter_contact):
            w.setEnabled(not anonymous)
            if anonymous:
                w.clear()

    def describe(self, record: Any) -> str:
        if record.subject_name:
            return translate("PetitionsPage", "信访件：反映{who}").format(who=record.subject_name)
        return translate("PetitionsPage", "信访件：{excerpt}").format(excerpt=_excerpt(record.content, 24))

    def focus_first_field(self) -> None:
        self.received_at.setFocus()
