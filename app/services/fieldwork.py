"""Interviews (谈话), petitions (信访), document reviews (查阅资料) and visits (走访)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    ChecklistTemplate,
    ChecklistTemplateItem,
    DocumentReview,
    Inspection,
    Inspector,
    Interview,
    Petition,
    Unit,
    UnitPerson,
    Visit,
    utcnow,
)
from app.models.enums import ChecklistKind, InterviewKind, PetitionChannel, PetitionStatus

from .crud import EntityService, as_uuid, require_exists
from .errors import ValidationError

# Clock skew between laptops is real; only refuse times clearly in the future.
_FUTURE_TOLERANCE = dt.timedelta(hours=1)


def checklist_codes(session: Session, list_kind: str) -> dict[str, str]:
    """code → title of every item of a checklist kind (any template version)."""
    stmt = (
        select(ChecklistTemplateItem.code, ChecklistTemplateItem.title)
        .join(ChecklistTemplate, ChecklistTemplate.id == ChecklistTemplateItem.template_id)
        .where(ChecklistTemplate.list_kind == list_kind, ChecklistTemplateItem.deleted_at.is_(None))
        .order_by(ChecklistTemplateItem.sort_order)
    )
    return {code: title for code, title in session.execute(stmt)}


def _inspectors(session: Session, ids: list[Any], field: str, what: str) -> list[str]:
    clean: list[str] = []
    for raw in ids:
        value = str(as_uuid(raw))
        if value in clean:
            raise ValidationError(f"{what}中有重复人员。", field)
        require_exists(session, Inspector, value, what, field)
        clean.append(value)
    return clean


def _not_in_future(state: dict[str, Any], name: str, label: str) -> None:
    value = state.get(name)
    if value is not None and value > utcnow() + _FUTURE_TOLERANCE:
        raise ValidationError(f"「{label}」不能晚于当前时间。", name)


class _FieldworkService(EntityService[Any]):
    """Records made at an inspected unit belong to an inspection and optionally to one unit."""

    def check_common(self, session: Session, state: dict[str, Any]) -> None:
        require_exists(session, Inspection, state["inspection_id"], "巡察", "inspection_id")
        if state.get("unit_id") is not None:
            require_exists(session, Unit, state["unit_id"], "单位", "unit_id")


class InterviewService(_FieldworkService):
    model = Interview
    noun = "谈话记录"
    labels = {"inspection_id": "巡察", "unit_id": "单位", "kind": "谈话类型", "start_at": "开始时间",
              "end_at": "结束时间", "place": "谈话地点", "interviewer_ids": "谈话人", "recorder_id": "记录人",
              "interviewee_person_id": "谈话对象", "interviewee_name": "谈话对象姓名",
              "interviewee_post": "谈话对象职务", "talk_category": "四必谈类别", "topics_asked": "六必问事项",
              "summary": "谈话摘要", "transcript": "谈话笔录"}
    required = ("inspection_id", "kind", "start_at", "interviewee_name")
    enums = {"kind": InterviewKind}
    default_order = ("-start_at",)

    def check(self, session: Session, state: dict[str, Any], current: Interview | None) -> None:
        self.check_common(session, state)
        state["interviewer_ids"] = _inspectors(session, state.get("interviewer_ids") or [], "interviewer_ids", "谈话人")
        if len(state["interviewer_ids"]) < 2:
            raise ValidationError("个别谈话须有至少两名巡察干部在场，请选择至少两名谈话人。", "interviewer_ids")
        if state.get("recorder_id") is not None:
            require_exists(session, Inspector, state["recorder_id"], "记录人", "recorder_id")
        if state.get("end_at") is not None and state["end_at"] < state["start_at"]:
            raise ValidationError("谈话结束时间不能早于开始时间。", "end_at")
        _not_in_future(state, "start_at", self.labels["start_at"])
        if state.get("interviewee_person_id") is not None:
            require_exists(session, UnitPerson, state["interviewee_person_id"], "谈话对象", "interviewee_person_id")
        if state.get("talk_category") is not None:
            categories = checklist_codes(session, ChecklistKind.MUST_TALK)
            if state["talk_category"] not in categories:
                raise ValidationError("「四必谈类别」无效。", "talk_category")
        topics = list(dict.fromkeys(state.get("topics_asked") or []))
        known = checklist_codes(session, ChecklistKind.MUST_ASK)
        unknown = [t for t in topics if t not in known]
        if unknown:
            raise ValidationError(f"六必问事项「{'、'.join(unknown)}」无效。", "topics_asked")
        state["topics_asked"] = topics

    def create_in(self, session: Session, **values: Any) -> Interview:
        self._fill_interviewee(session, values)
        return super().create_in(session, **values)

    def update_in(self, session: Session, record_id: Any, **values: Any) -> Interview:
        self._fill_interviewee(session, values)
        return super().update_in(session, record_id, **values)

    @staticmethod
    def _fill_interviewee(session: Session, values: dict[str, Any]) -> None:
        person_id = values.get("interviewee_person_id")
        if person_id is None:
            return
        person = session.get(UnitPerson, as_uuid(person_id))
        if person is None:
            return
        if not (values.get("interviewee_name") or "").strip():
            values["interviewee_name"] = person.name
        if not (values.get("interviewee_post") or "").strip() and person.post:
            values["interviewee_post"] = person.post
        values.setdefault("unit_id", person.unit_id)


class PetitionService(_FieldworkService):
    model = Petition
    noun = "信访件"
    labels = {"inspection_id": "巡察", "unit_id": "涉及单位", "received_at": "收到时间", "channel": "来源渠道",
              "anonymous": "匿名", "reporter_name": "举报人姓名", "reporter_contact": "举报人联系方式",
              "subject_name": "被反映人", "subject_post": "被反映人职务", "content": "反映内容",
              "status": "办理状态", "handling": "办理情况"}
    required = ("inspection_id", "received_at", "channel", "content")
    enums = {"channel": PetitionChannel, "status": PetitionStatus}
    default_order = ("-received_at",)

    def check(self, session: Session, state: dict[str, Any], current: Petition | None) -> None:
        self.check_common(session, state)
        _not_in_future(state, "received_at", self.labels["received_at"])
        if state.get("anonymous"):
            if state.get("reporter_name") or state.get("reporter_contact"):
                raise ValidationError("匿名举报不应登记举报人姓名或联系方式。", "reporter_name")
        elif not state.get("reporter_name"):
            raise ValidationError("实名举报请填写「举报人姓名」；不愿具名的请勾选“匿名”。", "reporter_name")


class DocumentReviewService(_FieldworkService):
    model = DocumentReview
    noun = "查阅资料记录"
    labels = {"inspection_id": "巡察", "unit_id": "单位", "title": "资料名称", "material_kind": "资料类别",
              "period": "资料期间", "reviewed_at": "查阅时间", "reviewer_ids": "查阅人", "notes": "查阅情况"}
    required = ("inspection_id", "title", "reviewed_at")
    default_order = ("-reviewed_at",)

    def check(self, session: Session, state: dict[str, Any], current: DocumentReview | None) -> None:
        self.check_common(session, state)
        _not_in_future(state, "reviewed_at", self.labels["reviewed_at"])
        state["reviewer_ids"] = _inspectors(session, state.get("reviewer_ids") or [], "reviewer_ids", "查阅人")


class VisitService(_FieldworkService):
    model = Visit
    noun = "走访记录"
    labels = {"inspection_id": "巡察", "unit_id": "单位", "visited_at": "走访时间", "place": "走访地点",
              "visitor_ids": "走访人", "people_met": "走访对象", "content": "走访情况"}
    required = ("inspection_id", "visited_at", "place", "content")
    default_order = ("-visited_at",)

    def check(self, session: Session, state: dict[str, Any], current: Visit | None) -> None:
        self.check_common(session, state)
        _not_in_future(state, "visited_at", self.labels["visited_at"])
        state["visitor_ids"] = _inspectors(session, state.get("visitor_ids") or [], "visitor_ids", "走访人")
