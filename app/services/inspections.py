"""Rounds, inspections, their target units and teams."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import (
    ChecklistItem,
    ChecklistTemplate,
    ChecklistTemplateItem,
    Inspection,
    InspectionRound,
    InspectionUnit,
    Inspector,
    TeamAssignment,
    Unit,
)
from app.models.enums import InspectionKind, Stage, TeamRole

from .crud import EntityService, require_exists
from .errors import ValidationError


def _check_dates(state: dict[str, Any], start: str, end: str, labels: dict[str, str]) -> None:
    if state.get(start) and state.get(end) and state[end] < state[start]:
        raise ValidationError(f"「{labels[end]}」不能早于「{labels[start]}」。", end)


class RoundService(EntityService[InspectionRound]):
    model = InspectionRound
    noun = "巡察轮次"
    labels = {"name": "轮次名称", "year": "年度", "ordinal": "轮次", "start_date": "开始日期",
              "end_date": "结束日期", "notes": "备注"}
    required = ("name", "year")
    default_order = ("-year", "ordinal")

    def check(self, session: Session, state: dict[str, Any], current: InspectionRound | None) -> None:
        if not 2000 <= int(state["year"]) <= 2100:
            raise ValidationError("「年度」应为四位年份。", "year")
        _check_dates(state, "start_date", "end_date", self.labels)


class InspectionService(EntityService[Inspection]):
    model = Inspection
    noun = "巡察"
    labels = {"round_id": "巡察轮次", "name": "巡察名称", "kind": "巡察类型", "stage": "当前阶段",
              "team_name": "巡察组", "start_date": "进驻日期", "end_date": "结束日期",
              "feedback_date": "反馈日期", "announcement_phone": "公告电话", "announcement_mailbox": "公告信箱",
              "announcement_address": "公告地址", "announcement_email": "公告邮箱",
              "follows_inspection_id": "被回头看的巡察", "notes": "备注"}
    required = ("name", "kind", "stage")
    enums = {"kind": InspectionKind, "stage": Stage}
    default_order = ("-start_date", "name")

    def _defaults(self) -> dict[str, Any]:
        return {**super()._defaults(), "kind": InspectionKind.REGULAR, "stage": Stage.PLAN}

    def check(self, session: Session, state: dict[str, Any], current: Inspection | None) -> None:
        _check_dates(state, "start_date", "end_date", self.labels)
        if state.get("round_id") is not None:
            require_exists(session, InspectionRound, state["round_id"], "巡察轮次", "round_id")
        follows = state.get("follows_inspection_id")
        if state["kind"] == InspectionKind.FOLLOW_UP and follows is None:
            raise ValidationError("回头看须选择被回头看的巡察。", "follows_inspection_id")
        if follows is not None:
            if current is not None and follows == current.id:
                raise ValidationError("巡察不能回头看其自身。", "follows_inspection_id")
            require_exists(session, Inspection, follows, "被回头看的巡察", "follows_inspection_id")

    def after_write(self, session: Session, record: Inspection, before: dict[str, Any] | None) -> None:
        if before is None:
            instantiate_checklists(session, record)


def instantiate_checklists(session: Session, inspection: Inspection) -> int:
    """Copy the newest version of each 必查/必问/必谈 template into the inspection's checklist."""
    newest = (
        select(ChecklistTemplate.list_kind, func.max(ChecklistTemplate.version).label("version"))
        .where(ChecklistTemplate.deleted_at.is_(None))
        .group_by(ChecklistTemplate.list_kind)
        .subquery()
    )
    templates = session.scalars(
        select(ChecklistTemplate).join(
            newest,
            (ChecklistTemplate.list_kind == newest.c.list_kind) & (ChecklistTemplate.version == newest.c.version),
        ).where(ChecklistTemplate.deleted_at.is_(None))
    ).all()
    count = 0
    for template in templates:
        rows = session.scalars(
            select(ChecklistTemplateItem)
            .where(ChecklistTemplateItem.template_id == template.id, ChecklistTemplateItem.deleted_at.is_(None))
            .order_by(ChecklistTemplateItem.sort_order)
        )
        for item in rows:
            session.add(
                ChecklistItem(
                    inspection_id=inspection.id,
                    template_item_id=item.id,
                    list_kind=template.list_kind,
                    code=item.code,
                    title=item.title,
                    guidance=item.guidance,
                    sort_order=item.sort_order,
                    status="open",
                    created_by=inspection.created_by,
                    updated_by=inspection.created_by,
                )
            )
            count += 1
    session.flush()
    return count


class InspectionUnitService(EntityService[InspectionUnit]):
    model = InspectionUnit
    noun = "被巡察单位"
    labels = {"inspection_id": "巡察", "unit_id": "被巡察单位"}
    required = ("inspection_id", "unit_id")

    def check(self, session: Session, state: dict[str, Any], current: InspectionUnit | None) -> None:
        require_exists(session, Inspection, state["inspection_id"], "巡察", "inspection_id")
        unit = require_exists(session, Unit, state["unit_id"], "单位", "unit_id")
        stmt = select(InspectionUnit.id).where(
            InspectionUnit.inspection_id == state["inspection_id"],
            InspectionUnit.unit_id == state["unit_id"],
            InspectionUnit.deleted_at.is_(None),
        )
        if current is not None:
            stmt = stmt.where(InspectionUnit.id != current.id)
        if session.scalar(stmt.limit(1)) is not None:
            raise ValidationError(f"「{unit.name}」已是本次巡察的被巡察单位。", "unit_id")


class TeamService(EntityService[TeamAssignment]):
    model = TeamAssignment
    noun = "巡察组成员"
    labels = {"inspection_id": "巡察", "inspector_id": "巡察干部", "role": "组内职务", "notes": "备注"}
    required = ("inspection_id", "inspector_id", "role")
    enums = {"role": TeamRole}

    def check(self, session: Session, state: dict[str, Any], current: TeamAssignment | None) -> None:
        require_exists(session, Inspection, state["inspection_id"], "巡察", "inspection_id")
        inspector = require_exists(session, Inspector, state["inspector_id"], "巡察干部", "inspector_id")
        others = select(TeamAssignment).where(
            TeamAssignment.inspection_id == state["inspection_id"], TeamAssignment.deleted_at.is_(None)
        )
        if current is not None:
            others = others.where(TeamAssignment.id != current.id)
        for other in session.scalars(others):
            if other.inspector_id == state["inspector_id"]:
                raise ValidationError(f"{inspector.name}已在本巡察组中。", "inspector_id")
            if state["role"] == TeamRole.LEADER and other.role == TeamRole.LEADER:
                raise ValidationError("每个巡察组只能有一名组长（组长负责制）。", "role")


def team_inspector_ids(session: Session, inspection_id: Any) -> set[Any]:
    stmt = select(TeamAssignment.inspector_id).where(
        TeamAssignment.inspection_id == inspection_id, TeamAssignment.deleted_at.is_(None)
    )
    return set(session.scalars(stmt))
