"""信访举报: petitions received by the team, each able to become a finding."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLineEdit

from app.models.enums import PetitionChannel, PetitionStatus
from app.services.crud import as_uuid
from app.services.fieldwork import PetitionService

from .. import i18n
from ..i18n import translate
from ..models.record_table import Column
from ..widgets.choice_combo import ChoiceCombo
from ..widgets.fields import add_row, datetime_edit, get_datetime, set_datetime, text_edit
from ..widgets.record_page import RecordPage
from ..workspace import PETITION


def _excerpt(text: str | None, n: int = 40) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= n else text[:n] + "…"


class PetitionsPage(RecordPage):
    kind = PETITION
    field_widgets = {"received_at": "received_at", "channel": "channel", "anonymous": "anonymous", "reporter_name": "reporter_name",
                     "reporter_contact": "reporter_contact", "subject_name": "subject_name", "subject_post": "subject_post",
                     "unit_id": "unit", "content": "content", "status": "status", "handling": "handling"}

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

    def build_form(self, form: QFormLayout) -> None:
        self.received_at = datetime_edit(self)
        self.channel = ChoiceCombo(self)
        self.channel.set_choices(list(i18n.labels(PetitionChannel).items()))
        self.anonymous = QCheckBox(translate("PetitionsPage", "匿名举报（不登记举报人信息）"), self)
        self.reporter_name = QLineEdit(self)
        self.reporter_contact = QLineEdit(self)
        self.subject_name = QLineEdit(self)
        self.subject_post = QLineEdit(self)
        self.unit = ChoiceCombo(self, blank=translate("PetitionsPage", "（未指明）"))
        self.content = text_edit(self, translate("PetitionsPage", "反映的主要问题，尽量保留原话"), 110)
        self.status = ChoiceCombo(self)
        self.status.set_choices(list(i18n.labels(PetitionStatus).items()))
        self.handling = text_edit(self, translate("PetitionsPage", "核实、转办或了结的情况"), 60)
        self.anonymous.toggled.connect(self._anonymous_toggled)
        add_row(form, translate("PetitionsPage", "收到时间(&T)："), self.received_at)
        add_row(form, translate("PetitionsPage", "来源渠道(&Q)："), self.channel)
        form.addRow("", self.anonymous)
        add_row(form, translate("PetitionsPage", "举报人(&R)："), self.reporter_name)
        add_row(form, translate("PetitionsPage", "联系方式："), self.reporter_contact)
        add_row(form, translate("PetitionsPage", "被反映人(&B)："), self.subject_name)
        add_row(form, translate("PetitionsPage", "被反映人职务："), self.subject_post)
        add_row(form, translate("PetitionsPage", "涉及单位："), self.unit)
        add_row(form, translate("PetitionsPage", "反映内容(&C)："), self.content)
        add_row(form, translate("PetitionsPage", "办理状态："), self.status)
        add_row(form, translate("PetitionsPage", "办理情况："), self.handling)

    def watch_form(self) -> None:
        self.tracker.watch(
            self.received_at, self.channel, self.anonymous, self.reporter_name, self.reporter_contact,
            self.subject_name, self.subject_post, self.unit, self.content, self.status, self.handling,
        )

    def _anonymous_toggled(self, anonymous: bool) -> None:
        for w in (self.reporter_name, self.reporter_contact):
            w.setEnabled(not anonymous)
            if anonymous:
                w.clear()

    def on_lookups(self, lookups: Any) -> None:
        self.unit.set_choices(lookups.units)

    def describe(self, record: Any) -> str:
        if record.subject_name:
            return translate("PetitionsPage", "信访件：反映{who}").format(who=record.subject_name)
        return translate("PetitionsPage", "信访件：{excerpt}").format(excerpt=_excerpt(record.content, 24))

    def fill_form(self, r: Any | None) -> None:
        set_datetime(self.received_at, r.received_at if r else None)
        self.channel.set_key(r.channel if r else PetitionChannel.LETTER.value)
        self.anonymous.setChecked(bool(r and r.anonymous))
        self.reporter_name.setText((r.reporter_name or "") if r else "")
        self.reporter_contact.setText((r.reporter_contact or "") if r else "")
        self.subject_name.setText((r.subject_name or "") if r else "")
        self.subject_post.setText((r.subject_post or "") if r else "")
        self.unit.set_key(str(r.unit_id) if r and r.unit_id else None)
        self.content.setPlainText(r.content if r else "")
        self.status.set_key(r.status if r else PetitionStatus.REGISTERED.value)
        self.handling.setPlainText((r.handling or "") if r else "")

    def form_values(self) -> dict[str, Any]:
        unit = self.unit.key()
        values = {
            "received_at": get_datetime(self.received_at),
            "channel": self.channel.key(),
            "anonymous": self.anonymous.isChecked(),
            "reporter_name": self.reporter_name.text(),
            "reporter_contact": self.reporter_contact.text(),
            "subject_name": self.subject_name.text(),
            "subject_post": self.subject_post.text(),
            "unit_id": as_uuid(unit) if unit else None,
            "content": self.content.toPlainText(),
            "status": self.status.key(),
            "handling": self.handling.toPlainText(),
        }
        if self.current_id is None:
            assert self.lookups is not None  # a new record is made for the chosen inspection
            values["inspection_id"] = self.lookups.inspection_id
        return values

    def focus_first_field(self) -> None:
        self.received_at.setFocus()
