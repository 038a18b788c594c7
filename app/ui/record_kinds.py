"""The kinds of record a checklist item, a search hit or a finding's source can point at: their
names, their services, and a one-line description of a record of each kind."""

from __future__ import annotations

from typing import Any

from app.services.context import ServiceContext
from app.services.crud import EntityService
from app.services.errors import NotFoundError
from app.services.fieldwork import (
    BriefingService,
    DocumentReviewService,
    GroupTalkService,
    InterviewService,
    MeetingService,
    PetitionService,
    SurveyService,
    VisitService,
)
from app.services.findings import FindingService

from .i18n import translate
from .models.record_table import format_local
from .workspace import (
    BRIEFING,
    DOCUMENT_REVIEW,
    FINDING,
    GROUP_TALK,
    INTERVIEW,
    MEETING,
    PETITION,
    SURVEY,
    VISIT,
)

KINDS = (INTERVIEW, PETITION, DOCUMENT_REVIEW, VISIT, FINDING)

_SERVICES: dict[str, type[EntityService[Any]]] = {
    INTERVIEW: InterviewService,
    PETITION: PetitionService,
    DOCUMENT_REVIEW: DocumentReviewService,
    VISIT: VisitService,
    FINDING: FindingService,
    BRIEFING: BriefingService,
    GROUP_TALK: GroupTalkService,
    SURVEY: SurveyService,
    MEETING: MeetingService,
}


def kind_name(kind: str) -> str:
    names = {
        INTERVIEW: translate("RecordKinds", "谈话"), PETITION: translate("RecordKinds", "信访"), DOCUMENT_REVIEW: translate("RecordKinds", "查阅资料"),
        VISIT: translate("RecordKinds", "走访"), FINDING: translate("RecordKinds", "问题"),
        BRIEFING: translate("RecordKinds", "听取汇报"), GROUP_TALK: translate("RecordKinds", "分类座谈"),
        SURVEY: translate("RecordKinds", "民主测评"), MEETING: translate("RecordKinds", "见面会/反馈会"),
    }
    return names.get(kind, kind)


def service_for(ctx: ServiceContext, kind: str) -> EntityService[Any]:
    return _SERVICES[kind](ctx)


def describe(kind: str, record: Any) -> str:
    """Plain text, no Qt: safe to call in a worker."""
    if kind == INTERVIEW:
        return f"{format_local(record.start_at)} {record.interviewee_name}"
    if kind == PETITION:
        text = (record.content or "").replace("\n", " ")
        return f"{format_local(record.received_at)} {record.subject_name or ''} {text[:30]}".strip()
    if kind == DOCUMENT_REVIEW:
        return record.title
    if kind == VISIT:
        return f"{format_local(record.visited_at)} {record.place}"
    if kind == FINDING:
        return f"{record.number}. {record.title}"
    if kind == BRIEFING:
        return f"{format_local(record.held_at)} {record.reporter_name}"
    if kind in (GROUP_TALK, MEETING):
        return f"{format_local(record.held_at)} {record.place or ''}".strip()
    if kind == SURVEY:
        return f"{format_local(record.held_at)} {record.title}"
    return str(record.id)


def describe_links(ctx: ServiceContext, links: list[tuple[str, Any]], deleted_text: str) -> list[tuple[str, Any, str]]:
    """(kind, id, description) for each (kind, id); records deleted since are marked, not dropped."""
    described = []
    for kind, record_id in links:
        try:
            text = describe(kind, service_for(ctx, kind).get(record_id))
        except (NotFoundError, KeyError):
            text = deleted_text
        described.append((kind, record_id, text))
    return described


def records_of(ctx: ServiceContext, kind: str, inspection_id: Any, limit: int = 500) -> list[tuple[Any, str]]:
    """(id, description) of an inspection's records of one kind, newest first, for a picker."""
    service = service_for(ctx, kind)
    return [(r.id, describe(kind, r)) for r in service.list(inspection_id=inspection_id, limit=limit)]
