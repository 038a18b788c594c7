"""Working through the 五必查、六必问、四必谈 lists, and what is still not covered."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ChecklistItem, ChecklistLink, InspectionUnit, Interview, UnitPerson, utcnow
from app.models.enums import ChecklistKind, ChecklistStatus

from . import permissions
from .crud import EntityService, as_uuid
from .errors import ValidationError

LINKABLE_KINDS = ("interview", "petition", "document_review", "visit", "finding")

# Which directory flag makes a unit's person belong to a 四必谈 category.
_TALK_CATEGORY_FLAGS = {
    "main_leader": UnitPerson.is_principal,
    "leadership_member": UnitPerson.is_leadership_member,
    "key_post_head": UnitPerson.is_key_post,
}


class ChecklistService(EntityService[ChecklistItem]):
    model = ChecklistItem
    noun = "清单事项"
    labels = {"status": "完成情况", "notes": "情况说明"}
    required = ("inspection_id", "list_kind", "code", "title", "status")
    enums = {"status": ChecklistStatus, "list_kind": ChecklistKind}
    default_order = ("list_kind", "sort_order")
    protected_fields = {"done_by": "由系统记录。", "done_at": "由系统记录。"}

    def check(self, session: Session, state: dict[str, Any], current: ChecklistItem | None) -> None:
        if state["status"] == ChecklistStatus.NOT_APPLICABLE and not state.get("notes"):
            raise ValidationError("标记为“不适用”须在「情况说明」中写明理由。", "notes")

    def mark(self, item_id: uuid.UUID | str, status: str, notes: str | None = None) -> ChecklistItem:
        with self.ctx.write() as session:
            item = self.update_in(session, item_id, status=status, notes=notes)
            done = status != ChecklistStatus.OPEN
            item.done_by = self.ctx.actor.user_id if done else None
            item.done_at = utcnow() if done else None
        return item

    def link(self, item_id: uuid.UUID | str, target_kind: str, target_id: uuid.UUID | str) -> ChecklistLink:
        if target_kind not in LINKABLE_KINDS:
            raise ValidationError("只能关联谈话、信访、查阅资料、走访记录或问题。")
        with self.ctx.write() as session:
            item = self._get(session, item_id)
            values = {"checklist_item_id": item.id, "target_kind": target_kind, "target_id": as_uuid(target_id)}
            permissions.Gate(session, self.ctx.actor).require(
                permissions.rule_for("checklist_links", permissions.CREATE), "checklist_links", values
            )
            link = ChecklistLink(
                checklist_item_id=item.id, target_kind=target_kind, target_id=as_uuid(target_id),
                created_by=self.ctx.actor.user_id, updated_by=self.ctx.actor.user_id,
            )
            session.add(link)
        return link

    def links(self, item_id: uuid.UUID | str) -> list[ChecklistLink]:
        with self.ctx.db.read() as session:
            stmt = select(ChecklistLink).where(
                ChecklistLink.checklist_item_id == as_uuid(item_id), ChecklistLink.deleted_at.is_(None)
            )
            return list(session.scalars(stmt))

    def for_inspection(self, inspection_id: uuid.UUID | str, list_kind: str | None = None) -> list[ChecklistItem]:
        filters: dict[str, Any] = {"inspection_id": as_uuid(inspection_id)}
        if list_kind:
            filters["list_kind"] = list_kind
        return self.list(**filters)


@dataclass
class CoverageEntry:
    code: str
    title: str
    covered: bool
    record_count: int = 0
    # For 四必谈: people of the inspected units in this category not yet talked to.
    missing_people: list[str] = field(default_factory=list)


@dataclass
class Coverage:
    must_talk: list[CoverageEntry]
    must_ask: list[CoverageEntry]

    @property
    def open_talk_categories(self) -> list[str]:
        return [e.code for e in self.must_talk if not e.covered]

    @property
    def open_ask_topics(self) -> list[str]:
        return [e.code for e in self.must_ask if not e.covered]


def coverage(ctx: Any, inspection_id: uuid.UUID | str) -> Coverage:
    """Which 必谈 categories lack an interview (and with whom), which 必问 topics nobody asked yet.

    An item the team marked "not applicable" counts as covered: the team decided it.
    """
    inspection_id = as_uuid(inspection_id)
    with ctx.db.read() as session:
        permissions.require_readable(session, ctx.actor, inspection_id)
        items = session.scalars(
            select(ChecklistItem)
            .where(ChecklistItem.inspection_id == inspection_id, ChecklistItem.deleted_at.is_(None))
            .order_by(ChecklistItem.sort_order)
        ).all()
        interviews = session.execute(
            select(Interview.talk_category, Interview.topics_asked, Interview.interviewee_person_id, Interview.interviewee_name)
            .where(Interview.inspection_id == inspection_id, Interview.deleted_at.is_(None))
        ).all()
        talked_people = {row.interviewee_person_id for row in interviews if row.interviewee_person_id}
        talked_names = {row.interviewee_name for row in interviews}
        people_by_category = _people_by_category(session, inspection_id)

    talk_counts: dict[str, int] = {}
    ask_counts: dict[str, int] = {}
    for row in interviews:
        if row.talk_category:
            talk_counts[row.talk_category] = talk_counts.get(row.talk_category, 0) + 1
        for topic in row.topics_asked or []:
            ask_counts[topic] = ask_counts.get(topic, 0) + 1

    must_talk, must_ask = [], []
    for item in items:
        not_applicable = item.status == ChecklistStatus.NOT_APPLICABLE
        if item.list_kind == ChecklistKind.MUST_TALK:
            count = talk_counts.get(item.code, 0)
            missing = [
                name for person_id, name in people_by_category.get(item.code, [])
                if person_id not in talked_people and name not in talked_names
            ]
            must_talk.append(CoverageEntry(item.code, item.title, count > 0 or not_applicable, count, missing))
        elif item.list_kind == ChecklistKind.MUST_ASK:
            count = ask_counts.get(item.code, 0)
            must_ask.append(CoverageEntry(item.code, item.title, count > 0 or not_applicable, count))
    return Coverage(must_talk=must_talk, must_ask=must_ask)


def _people_by_category(session: Session, inspection_id: uuid.UUID) -> dict[str, list[tuple[uuid.UUID, str]]]:

    unit_ids = select(InspectionUnit.unit_id).where(
        InspectionUnit.inspection_id == inspection_id, InspectionUnit.deleted_at.is_(None)
    )
    result: dict[str, list[tuple[uuid.UUID, str]]] = {}
    for code, flag in _TALK_CATEGORY_FLAGS.items():
        rows = session.execute(
            select(UnitPerson.id, UnitPerson.name)
            .where(UnitPerson.unit_id.in_(unit_ids), flag.is_(True), UnitPerson.deleted_at.is_(None))
            .order_by(UnitPerson.name)
        ).all()
        result[code] = [(r.id, r.name) for r in rows]
    return result
