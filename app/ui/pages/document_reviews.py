"""查阅资料: minutes, accounts, contracts and other material the team read."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QLineEdit

from app.services.crud import as_uuid
from app.services.fieldwork import DocumentReviewService

from ..i18n import translate
from ..models.record_table import Column
from ..widgets.choice_combo import ChoiceCombo
from ..widgets.fields import add_row, datetime_edit, get_datetime, set_datetime, text_edit
from ..widgets.inspector_picker import InspectorPicker
from ..widgets.record_page import RecordPage
from ..workspace import DOCUMENT_REVIEW


class DocumentReviewsPage(RecordPage):
    kind = DOCUMENT_REVIEW
    field_widgets = {"title": "title", "material_kind": "material_kind", "period": "period", "reviewed_at": "reviewed_at",
                     "reviewer_ids": "reviewers", "unit_id": "unit", "notes": "notes"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.heading.setText(translate("DocumentReviewsPage", "查阅资料"))

    @property
    def noun(self) -> str:  # type: ignore[override]
        return translate("DocumentReviewsPage", "查阅资料记录")

    def service(self) -> DocumentReviewService:
        return DocumentReviewService(self.workspace.context())

    def list_columns(self) -> list[Column]:
        return [
            (translate("DocumentReviewsPage", "查阅时间"), lambda r: r.reviewed_at),
            (translate("DocumentReviewsPage", "资料名称"), lambda r: r.title),
            (translate("DocumentReviewsPage", "资料类别"), lambda r: r.material_kind or ""),
            (translate("DocumentReviewsPage", "资料期间"), lambda r: r.period or ""),
            (translate("DocumentReviewsPage", "查阅人"), lambda r: self.lookups.names_of(r.reviewer_ids) if self.lookups else ""),
        ]

    def build_form(self, form: QFormLayout) -> None:
        self.title = QLineEdit(self)
        self.title.setPlaceholderText(translate("DocumentReviewsPage", "例如：2025年党组会议记录"))
        self.material_kind = QLineEdit(self)
        self.material_kind.setPlaceholderText(translate("DocumentReviewsPage", "会议记录、账簿凭证、合同协议…"))
        self.period = QLineEdit(self)
        self.period.setPlaceholderText(translate("DocumentReviewsPage", "例如：2024年1月至2025年12月"))
        self.reviewed_at = datetime_edit(self)
        self.reviewers = InspectorPicker(self)
        self.unit = ChoiceCombo(self, blank=translate("DocumentReviewsPage", "（未指明）"))
        self.notes = text_edit(self, translate("DocumentReviewsPage", "查阅范围、方法和发现的情况"), 160)
        add_row(form, translate("DocumentReviewsPage", "资料名称(&T)："), self.title)
        add_row(form, translate("DocumentReviewsPage", "资料类别(&K)："), self.material_kind)
        add_row(form, translate("DocumentReviewsPage", "资料期间："), self.period)
        add_row(form, translate("DocumentReviewsPage", "查阅时间："), self.reviewed_at)
        add_row(form, translate("DocumentReviewsPage", "查阅人(&P)："), self.reviewers)
        add_row(form, translate("DocumentReviewsPage", "单位："), self.unit)
        add_row(form, translate("DocumentReviewsPage", "查阅情况(&C)："), self.notes)

    def watch_form(self) -> None:
        self.tracker.watch(self.title, self.material_kind, self.period, self.reviewed_at, self.reviewers, self.unit, self.notes)

    def on_lookups(self, lookups: Any) -> None:
        self.reviewers.set_members(lookups.team)
        self.unit.set_choices(lookups.units)

    def describe(self, record: Any) -> str:
        return translate("DocumentReviewsPage", "查阅资料：{title}").format(title=record.title)

    def fill_form(self, r: Any | None) -> None:
        self.title.setText(r.title if r else "")
        self.material_kind.setText((r.material_kind or "") if r else "")
        self.period.setText((r.period or "") if r else "")
        set_datetime(self.reviewed_at, r.reviewed_at if r else None)
        names = self.lookups.inspector_names if self.lookups else {}
        self.reviewers.set_selected(r.reviewer_ids if r else [], names)
        self.unit.set_key(str(r.unit_id) if r and r.unit_id else None)
        self.notes.setPlainText((r.notes or "") if r else "")

    def form_values(self) -> dict[str, Any]:
        unit = self.unit.key()
        values = {
            "title": self.title.text(),
            "material_kind": self.material_kind.text(),
            "period": self.period.text(),
            "reviewed_at": get_datetime(self.reviewed_at),
            "reviewer_ids": self.reviewers.selected_ids(),
            "unit_id": as_uuid(unit) if unit else None,
            "notes": self.notes.toPlainText(),
        }
        if self.current_id is None:
            assert self.lookups is not None  # a new record is made for the chosen inspection
            values["inspection_id"] = self.lookups.inspection_id
        return values

    def focus_first_field(self) -> None:
        self.title.setFocus()
