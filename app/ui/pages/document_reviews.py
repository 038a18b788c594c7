"""查阅资料: minutes, accounts, contracts and other material the team read."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLineEdit

from app.services.fieldwork import DocumentReviewService

from ..i18n import translate
from ..models.record_table import Column
from ..widgets.form_fields import FormField, Line, Members, Notes, Unit, When
from ..widgets.record_page import RecordPage
from ..workspace import DOCUMENT_REVIEW


class DocumentReviewsPage(RecordPage):
    kind = DOCUMENT_REVIEW
    title: QLineEdit  # made by declare_fields

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

    def declare_fields(self) -> list[FormField]:
        return [
            Line("title", translate("DocumentReviewsPage", "资料名称(&T)："),
                 placeholder=translate("DocumentReviewsPage", "例如：2025年党组会议记录")),
            Line("material_kind", translate("DocumentReviewsPage", "资料类别(&K)："),
                 placeholder=translate("DocumentReviewsPage", "会议记录、账簿凭证、合同协议…")),
            Line("period", translate("DocumentReviewsPage", "资料期间："),
                 placeholder=translate("DocumentReviewsPage", "例如：2024年1月至2025年12月")),
            When("reviewed_at", translate("DocumentReviewsPage", "查阅时间：")),
            Members("reviewer_ids", translate("DocumentReviewsPage", "查阅人(&P)："), attr="reviewers"),
            Unit("unit_id", translate("DocumentReviewsPage", "单位："), attr="unit",
                 unset=translate("DocumentReviewsPage", "（未指明）")),
            Notes("notes", translate("DocumentReviewsPage", "查阅情况(&C)："),
                  placeholder=translate("DocumentReviewsPage", "查阅范围、方法和发现的情况"), height=160),
        ]

    def describe(self, record: Any) -> str:
        return translate("DocumentReviewsPage", "查阅资料：{title}").format(title=record.title)

    def focus_first_field(self) -> None:
        self.title.setFocus()
