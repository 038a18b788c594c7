"""Rectification follow-up (督促整改): items, the unit's 整改方案 and 双报告, 销号, 回头看 and 督办函.

Every finding sent for rectification gets measures, a responsible person and a deadline. The unit owes
a 整改方案 within 15 working days of the feedback (weekends, holidays and 调休 from
workdays.WorkCalendar) and, within two months, the 双报告: its 整改情况报告 and the
主要负责人组织落实整改情况报告. Items within a week of their deadline are "due soon" (yellow), past it
"overdue" (red).

A 回头看 takes over the open items of the inspection it follows: each is copied with
`carried_from_id`, and from then on the copy is the one tracked — the original shows as carried and is
closed together with its copy, so nothing is counted twice.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import (
    Finding,
    Inspection,
    InspectionUnit,
    Rectification,
    RectificationCloseOut,
    RectificationPlan,
    Unit,
)
from app.models.enums import FindingStatus, InspectionKind, RectificationStatus, ReviewState, Stage
from app.services import permissions
from app.services.context import ServiceContext
from app.services.crud import EntityService, as_uuid, require_exists
from app.services.errors import StateError, ValidationError
from app.services.inspections import InspectionService, InspectionUnitService
from app.services.rectifications import RectificationService

from .workdays import WorkCalendar, calendar_in, plan_workdays_in

DUE_SOON_DAYS = 7
# 整改情况报告 within two months of the feedback (巡视工作条例); the same figure issuing.REPORT_DAYS uses.
REPORT_DUE_DAYS = 60
# Dispositions that mean "the unit fixes this"; clues, talks and closures are followed elsewhere.
RECTIFY_DISPOSITIONS = frozenset({"feedback_rectify", "immediate_fix", "supervision_recommendation", "special_governance"})
OPEN_STATUSES = (RectificationStatus.PENDING, RectificationStatus.IN_PROGRESS)
SUPERVISION_KIND = "supervision"

OVERDUE, DUE_SOON, ON_TRACK, AWAITING_CLOSE, CLOSED, CARRIED = (
    "overdue", "due_soon", "on_track", "awaiting_close", "closed", "carried")
URGENCY_LABELS = {OVERDUE: "已逾期", DUE_SOON: "临近时限", ON_TRACK: "整改中", AWAITING_CLOSE: "待销号",
                  CLOSED: "已销号", CARRIED: "已转入回头看"}


def urgency_of(status: str, deadline: dt.date, on: dt.date, carried: bool = False) -> str:
    if carried and status != RectificationStatus.CLOSED:
        return CARRIED
    if status == RectificationStatus.CLOSED:
        return CLOSED
    if status == RectificationStatus.COMPLETED:
        return AWAITING_CLOSE
    if deadline < on:
        return OVERDUE
    if (deadline - on).days <= DUE_SOON_DAYS:
        return DUE_SOON
    return ON_TRACK


@dataclass
class FollowupItem:
    id: uuid.UUID
    inspection_id: uuid.UUID
    inspection_name: str
    finding_id: uuid.UUID
    finding_number: int
    finding_title: str
    unit_name: str
    measures: str
    responsible_person: str
    deadline: dt.date
    status: str
    progress: str
    evidence: str
    completed_on: dt.date | None
    closed_on: dt.date | None
    carried_from_id: uuid.UUID | None
    carried: bool  # a 回头看 has taken this item over
    urgency: str
    days_left: int
    # The 整改台账's 完成标准 and 责任清单 (责任领导, 责任部门).
    completion_standard: str = ""
    responsible_leader: str = ""
    responsible_department: str = ""

    @property
    def urgency_label(self) -> str:
        return URGENCY_LABELS[self.urgency]

    @property
    def status_label(self) -> str:
        return RectificationStatus.label_of(self.status)

    @property
    def is_open(self) -> bool:
        return self.urgency in (OVERDUE, DUE_SOON, ON_TRACK)


def carried_ids(session: Session) -> set[uuid.UUID]:
    """Items a live 回头看 copy has taken over."""
    return set(session.scalars(select(Rectification.carried_from_id).where(
        Rectification.carried_from_id.is_not(None), Rectification.deleted_at.is_(None))))


def items(
    ctx: ServiceContext,
    *,
    inspection_id: uuid.UUID | str | None = None,
    urgent_only: bool = False,
    open_only: bool = False,
    on: dt.date | None = None,
    limit: int | None = None,
) -> list[FollowupItem]:
    """Rectification items, most pressing first. urgent_only: overdue and due-soon ones only."""
    on = on or dt.date.today()
    stmt = (
        select(Rectification, Finding.number, Finding.title, Inspection.name, Unit.name)
        .join(Finding, Finding.id == Rectification.finding_id)
        .join(Inspection, Inspection.id == Rectification.inspection_id)
        .outerjoin(Unit, Unit.id == Rectification.unit_id)
        .where(Rectification.deleted_at.is_(None), Inspection.deleted_at.is_(None))
    )
    if inspection_id is not None:
        stmt = stmt.where(Rectification.inspection_id == as_uuid(inspection_id))
    if urgent_only:
        stmt = stmt.where(Rectification.status.in_(OPEN_STATUSES),
                          Rectification.deadline <= on + dt.timedelta(days=DUE_SOON_DAYS))
    elif open_only:
        stmt = stmt.where(Rectification.status != RectificationStatus.CLOSED)
    with ctx.db.read() as session:
        carried = carried_ids(session)
        rows = session.execute(permissions.readable(stmt, Rectification.inspection_id, session, ctx.actor)).all()
    result = []
    for r, number, title, inspection_name, unit_name in rows:
        urgency = urgency_of(r.status, r.deadline, on, r.id in carried)
        if (urgent_only or open_only) and urgency == CARRIED:
            continue
        result.append(FollowupItem(
            r.id, r.inspection_id, inspection_name, r.finding_id, number, title, unit_name or "", r.measures,
            r.responsible_person, r.deadline, r.status, r.progress or "", r.evidence or "", r.completed_on,
            r.closed_on, r.carried_from_id, r.id in carried, urgency, (r.deadline - on).days,
            r.completion_standard or "", r.responsible_leader or "", r.responsible_department or "",
        ))
    order = {OVERDUE: 0, DUE_SOON: 1, AWAITING_CLOSE: 2, ON_TRACK: 3, CARRIED: 4, CLOSED: 5}
    result.sort(key=lambda i: (order[i.urgency], i.deadline, i.inspection_name, i.finding_number))
    return result[:limit] if limit is not None else result


# --- sending a finding for rectification -----------------------------------------------------------
@dataclass
class PendingFinding:
    id: uuid.UUID
    number: int
    title: str
    unit_id: uuid.UUID | None
    unit_name: str
    responsible_people: str


def awaiting_rectification(ctx: ServiceContext, inspection_id: uuid.UUID | str) -> list[PendingFinding]:
    """Approved findings the unit must fix that have no rectification item yet."""
    key = as_uuid(inspection_id)
    with ctx.db.read() as session:
        permissions.require_readable(session, ctx.actor, key)
        has_item = select(Rectification.finding_id).where(Rectification.deleted_at.is_(None))
        rows = session.execute(
            select(Finding, Unit.name).outerjoin(Unit, Unit.id == Finding.unit_id)
            .where(Finding.inspection_id == key, Finding.deleted_at.is_(None), Finding.id.not_in(has_item),
                   Finding.status.in_([FindingStatus.OPEN, FindingStatus.RECTIFYING]))
            .order_by(Finding.number)
        ).all()
    return [
        PendingFinding(f.id, f.number, f.title, f.unit_id, unit or "", f.responsible_people or "")
        for f, unit in rows
        if f.review_state == ReviewState.APPROVED and (f.disposition_code is None or f.disposition_code in RECTIFY_DISPOSITIONS)
    ]


def send_for_rectification(ctx: ServiceContext, finding_id: uuid.UUID | str, *, measures: str,
                           responsible_person: str, deadline: dt.date, **plan: Any) -> Rectification:
    """Give an approved finding its measures, responsible person and deadline (and, when known, the
    完成标准, 责任领导 and 责任部门 of RectificationService.PLAN_FIELDS)."""
    unexpected = set(plan) - set(RectificationService.PLAN_FIELDS)
    if unexpected:
        raise ValueError(f"unknown rectification fields {sorted(unexpected)}")
    with ctx.db.read() as session:
        finding = require_exists(session, Finding, finding_id, "问题", "finding_id")
        if finding.review_state != ReviewState.APPROVED:
            raise StateError(f"第{finding.number}号问题尚未经组长审签，不能下达整改。")
    return RectificationService(ctx).create(finding_id=finding.id, measures=measures,
                                             responsible_person=responsible_person, deadline=deadline, **plan)


def report_progress(ctx: ServiceContext, rectification_id: uuid.UUID | str, progress: str) -> Rectification:
    if not (progress or "").strip():
        raise ValidationError("请填写「整改进展」。", "progress")
    return RectificationService(ctx).update(rectification_id, progress=progress, status=RectificationStatus.IN_PROGRESS)


def report_completed(ctx: ServiceContext, rectification_id: uuid.UUID | str, evidence: str,
                     on: dt.date | None = None) -> Rectification:
    return RectificationService(ctx).complete(rectification_id, evidence, on)


# --- 销号 -----------------------------------------------------------------------------------------
def close_out(ctx: ServiceContext, rectification_id: uuid.UUID | str, *, reviewer: str, comment: str | None = None,
              on: dt.date | None = None) -> Rectification:
    """销号: a named reviewer checked the evidence; the item, its review and any item it was carried from
    close in one transaction.

    Same rules as RectificationService.close_out (a leader, deputy or the office; the unit must have
    reported completion with evidence), plus: the reviewer is named and is not the responsible person.
    """
    reviewer = (reviewer or "").strip()
    if not reviewer:
        raise ValidationError("销号须填写「审核人」。", "reviewer")
    if len(reviewer) > 60:
        raise ValidationError("「审核人」不能超过 60 个字。", "reviewer")
    on = on or dt.date.today()
    with ctx.write() as session:
        record = require_exists(session, Rectification, rectification_id, "整改事项", "rectification_id")
        permissions.Gate(session, ctx.actor).require(
            permissions.operation("rectification.close_out"), "rectifications", {"inspection_id": record.inspection_id}
        )
        if record.status == RectificationStatus.CLOSED:
            raise StateError("该整改事项已经销号。")
        if record.status != RectificationStatus.COMPLETED or not (record.evidence or "").strip():
            raise StateError("只有已报告完成并附有佐证材料的整改事项才能销号。")
        if reviewer == record.responsible_person.strip():
            raise ValidationError("审核人不能是整改责任人本人。", "reviewer")
        chain = [record]
        cursor = record.carried_from_id
        while cursor is not None and len(chain) < 50:
            earlier = session.get(Rectification, cursor)
            if earlier is None:
                break
            chain.append(earlier)
            cursor = earlier.carried_from_id
        user = ctx.actor.user_id
        for item in chain:
            if item.status == RectificationStatus.CLOSED:
                continue
            item.status = RectificationStatus.CLOSED
            # The original is closed on the strength of its 回头看 copy's evidence.
            item.evidence = item.evidence or record.evidence
            item.completed_on = item.completed_on or record.completed_on
            item.closed_on = on
            item.closed_by = user
            item.updated_by = user
        session.add(RectificationCloseOut(
            rectification_id=record.id, reviewer_name=reviewer, reviewed_on=on, evidence=record.evidence,
            comment=(comment or "").strip() or None, created_by=user, updated_by=user,
        ))
        session.flush()
        still_open = session.scalar(select(func.count()).where(
            Rectification.finding_id == record.finding_id, Rectification.deleted_at.is_(None),
            Rectification.status != RectificationStatus.CLOSED))
        finding = session.get(Finding, record.finding_id)
        if not still_open and finding is not None and finding.status in (FindingStatus.OPEN, FindingStatus.RECTIFYING):
            finding.status = FindingStatus.RECTIFIED
            finding.updated_by = user
    return record


def close_out_history(ctx: ServiceContext, rectification_id: uuid.UUID | str) -> list[RectificationCloseOut]:
    with ctx.db.read() as session:
        return list(session.scalars(select(RectificationCloseOut).where(
            RectificationCloseOut.rectification_id == as_uuid(rectification_id),
            RectificationCloseOut.deleted_at.is_(None)).order_by(RectificationCloseOut.created_at)))


# --- 整改方案 and 双报告 ----------------------------------------------------------------------------
class RectificationPlanService(EntityService[RectificationPlan]):
    model = RectificationPlan
    noun = "整改方案报送情况"
    labels = {"inspection_id": "巡察", "unit_id": "被巡察单位", "plan_due_on": "整改方案报送时限",
              "plan_submitted_on": "整改方案报送日期", "report_due_on": "整改情况报告报送时限",
              "report_submitted_on": "整改情况报告报送日期",
              "principal_report_submitted_on": "主要负责人组织落实整改情况报告报送日期", "notes": "备注"}
    required = ("inspection_id", "unit_id")

    def check(self, session: Session, state: dict[str, Any], current: RectificationPlan | None) -> None:
        inspection = require_exists(session, Inspection, state["inspection_id"], "巡察", "inspection_id")
        unit = require_exists(session, Unit, state["unit_id"], "被巡察单位", "unit_id")
        targeted = session.scalar(select(InspectionUnit.id).where(
            InspectionUnit.inspection_id == inspection.id, InspectionUnit.unit_id == unit.id,
            InspectionUnit.deleted_at.is_(None)).limit(1))
        if targeted is None:
            raise ValidationError(f"「{unit.name}」不是该巡察的被巡察单位。", "unit_id")
        duplicate = select(RectificationPlan.id).where(
            RectificationPlan.inspection_id == inspection.id, RectificationPlan.unit_id == unit.id,
            RectificationPlan.deleted_at.is_(None))
        if current is not None:
            duplicate = duplicate.where(RectificationPlan.id != current.id)
        if session.scalar(duplicate.limit(1)) is not None:
            raise ValidationError(f"「{unit.name}」的整改方案报送情况已登记。", "unit_id")
        feedback = inspection.feedback_date
        dates = ("plan_submitted_on", "report_submitted_on", "principal_report_submitted_on")
        if feedback is None and any(state.get(n) for n in (*dates, "plan_due_on", "report_due_on")):
            raise ValidationError("该巡察尚未填写反馈日期，不能登记整改方案和整改报告。", "inspection_id")
        today = dt.date.today()
        for name in (*dates, "plan_due_on", "report_due_on"):
            value = state.get(name)
            if value is not None and feedback is not None and value < feedback:
                raise ValidationError(f"「{self.label(name)}」不能早于反馈日期。", name)
        for name in dates:
            value = state.get(name)
            if value is not None and value > today:
                raise ValidationError(f"「{self.label(name)}」不能晚于今天。", name)


@dataclass
class PlanStatus:
    plan_id: uuid.UUID | None
    inspection_id: uuid.UUID
    inspection_name: str
    unit_id: uuid.UUID
    unit_name: str
    feedback_date: dt.date
    plan_due: dt.date
    plan_submitted_on: dt.date | None
    report_due: dt.date
    report_submitted_on: dt.date | None
    principal_report_submitted_on: dt.date | None
    notes: str
    plan_workdays_left: int  # working days to the plan's due date (negative: overdue)

    def plan_urgency(self, on: dt.date) -> str:
        return _due_urgency(self.plan_submitted_on, self.plan_due, on)

    def report_urgency(self, on: dt.date) -> str:
        return _due_urgency(self.report_submitted_on, self.report_due, on)

    def principal_report_urgency(self, on: dt.date) -> str:
        return _due_urgency(self.principal_report_submitted_on, self.report_due, on)


def _due_urgency(submitted: dt.date | None, due: dt.date, on: dt.date) -> str:
    if submitted is not None:
        return CLOSED
    if due < on:
        return OVERDUE
    return DUE_SOON if (due - on).days <= DUE_SOON_DAYS else ON_TRACK


def plan_due(feedback_date: dt.date, calendar: WorkCalendar, workdays: int) -> dt.date:
    return calendar.add_workdays(feedback_date, workdays)


def plans(ctx: ServiceContext, *, inspection_id: uuid.UUID | str | None = None,
          on: dt.date | None = None, include_closed: bool = False) -> list[PlanStatus]:
    """Each inspected unit's 整改方案 and 双报告 for inspections fed back, recorded or not yet.

    Closed inspections are left out unless asked for (or named): their follow-up is over.
    """
    on = on or dt.date.today()
    stmt = (
        select(Inspection, Unit)
        .join(InspectionUnit, InspectionUnit.inspection_id == Inspection.id)
        .join(Unit, Unit.id == InspectionUnit.unit_id)
        .where(Inspection.deleted_at.is_(None), InspectionUnit.deleted_at.is_(None),
               Inspection.feedback_date.is_not(None))
        .order_by(Inspection.feedback_date.desc(), Inspection.name, Unit.name)
    )
    if inspection_id is not None:
        stmt = stmt.where(Inspection.id == as_uuid(inspection_id))
    elif not include_closed:
        stmt = stmt.where(Inspection.stage != Stage.CLOSED)
    with ctx.db.read() as session:
        calendar = calendar_in(session)
        workdays = plan_workdays_in(session)
        pairs = session.execute(permissions.readable(stmt, Inspection.id, session, ctx.actor)).all()
        recorded = {
            (p.inspection_id, p.unit_id): p
            for p in session.scalars(select(RectificationPlan).where(RectificationPlan.deleted_at.is_(None)))
        }
    result = []
    for inspection, unit in pairs:
        p = recorded.get((inspection.id, unit.id))
        feedback = inspection.feedback_date
        due = (p.plan_due_on if p and p.plan_due_on else None) or plan_due(feedback, calendar, workdays)
        report_due = (p.report_due_on if p and p.report_due_on else None) or feedback + dt.timedelta(days=REPORT_DUE_DAYS)
        result.append(PlanStatus(
            p.id if p else None, inspection.id, inspection.name, unit.id, unit.name, feedback, due,
            p.plan_submitted_on if p else None, report_due, p.report_submitted_on if p else None,
            p.principal_report_submitted_on if p else None, (p.notes or "") if p else "",
            calendar.workdays_between(on, due),
        ))
    return result


def record_plan(ctx: ServiceContext, inspection_id: uuid.UUID | str, unit_id: uuid.UUID | str,
                **values: Any) -> RectificationPlan:
    """Record what a unit submitted (or an agreed extension), creating its row on first use."""
    allowed = set(RectificationPlanService.labels) - {"inspection_id", "unit_id"}
    unexpected = set(values) - allowed
    if unexpected:
        raise ValueError(f"unknown plan fields {sorted(unexpected)}")
    service = RectificationPlanService(ctx)
    with ctx.write() as session:
        existing = session.scalar(select(RectificationPlan).where(
            RectificationPlan.inspection_id == as_uuid(inspection_id), RectificationPlan.unit_id == as_uuid(unit_id),
            RectificationPlan.deleted_at.is_(None)).limit(1))
        if existing is None:
            return service.create_in(session, inspection_id=as_uuid(inspection_id), unit_id=as_uuid(unit_id), **values)
        return service.update_in(session, existing.id, **values)


# --- 回头看 ----------------------------------------------------------------------------------------
def carry_over(ctx: ServiceContext, follow_up_id: uuid.UUID | str, *, deadline: dt.date | None = None) -> int:
    """Copy the open items of the inspection a 回头看 follows into it; returns how many were copied.

    Items already taken over (by this or another 回头看) are skipped, so running it again is harmless.
    A copy keeps the original deadline unless `deadline` gives a new one: an item overdue before the
    回头看 must still show as overdue in it.
    """
    ctx.require_admin("接续回头看整改事项")
    user = ctx.actor.user_id
    with ctx.write() as session:
        follow_up = require_exists(session, Inspection, follow_up_id, "回头看", "inspection_id")
        return _carry_over_in(session, follow_up, deadline, user)


def _carry_over_in(session: Session, follow_up: Inspection, deadline: dt.date | None, user: uuid.UUID | None) -> int:
    if follow_up.kind != InspectionKind.FOLLOW_UP or follow_up.follows_inspection_id is None:
        raise ValidationError("只有“回头看”才能接续被回头看巡察的整改事项。")
    if deadline is not None and deadline < dt.date.today():
        raise ValidationError("「整改时限」不能早于今天。", "deadline")
    taken = carried_ids(session)
    originals = session.scalars(
        select(Rectification).where(
            Rectification.inspection_id == follow_up.follows_inspection_id, Rectification.deleted_at.is_(None),
            Rectification.status != RectificationStatus.CLOSED,
        ).order_by(Rectification.deadline, Rectification.id)
    ).all()
    count = 0
    for original in originals:
        if original.id in taken:
            continue
        # Added directly rather than through RectificationService.create_in: that refuses a deadline in
        # the past, and a carried item keeps its (possibly passed) deadline on purpose.
        session.add(Rectification(
            finding_id=original.finding_id, inspection_id=follow_up.id, unit_id=original.unit_id,
            measures=original.measures, responsible_person=original.responsible_person,
            deadline=deadline or original.deadline, status=original.status, progress=original.progress,
            evidence=original.evidence, completed_on=original.completed_on, carried_from_id=original.id,
            created_by=user, updated_by=user,
        ))
        count += 1
    session.flush()
    return count


def plan_follow_up(ctx: ServiceContext, inspection_id: uuid.UUID | str, *, name: str | None = None,
                   round_id: uuid.UUID | str | None = None, team_name: str | None = None,
                   start_date: dt.date | None = None, end_date: dt.date | None = None) -> tuple[Inspection, int]:
    """安排回头看: a 回头看 of an inspection over the same units, taking over its open items."""
    ctx.require_admin("安排回头看")
    inspections = InspectionService(ctx)
    units = InspectionUnitService(ctx)
    with ctx.write() as session:
        earlier = require_exists(session, Inspection, inspection_id, "被回头看的巡察", "inspection_id")
        if earlier.kind == InspectionKind.FOLLOW_UP:
            raise ValidationError("“回头看”不能再安排回头看，请对原巡察安排。")
        if earlier.feedback_date is None or earlier.stage in (Stage.PLAN, Stage.ANNOUNCE, Stage.ARRIVE,
                                                              Stage.FIELDWORK, Stage.REPORT):
            raise StateError("该巡察尚未反馈，还不能安排回头看。")
        follow_up = inspections.create_in(
            session, name=name or f"{earlier.name}（回头看）", kind=InspectionKind.FOLLOW_UP, stage=Stage.PLAN,
            follows_inspection_id=earlier.id, round_id=as_uuid(round_id) if round_id else earlier.round_id,
            team_name=team_name or earlier.team_name, start_date=start_date, end_date=end_date,
        )
        for unit_id in session.scalars(select(InspectionUnit.unit_id).where(
                InspectionUnit.inspection_id == earlier.id, InspectionUnit.deleted_at.is_(None))):
            units.create_in(session, inspection_id=follow_up.id, unit_id=unit_id)
        count = _carry_over_in(session, follow_up, None, ctx.actor.user_id)
        if earlier.stage in (Stage.FEEDBACK, Stage.HANDOVER, Stage.RECTIFICATION):
            earlier.stage = Stage.FOLLOW_UP
            earlier.updated_by = ctx.actor.user_id
    return follow_up, count


# --- 整改督办函 ------------------------------------------------------------------------------------
def issue_supervision_letter(ctx: ServiceContext, inspection_id: uuid.UUID | str, *, options: Any = None,
                             preview: bool = False, on: dt.date | None = None) -> Any:
    """One click from the overdue list: the 整改督办函 for an inspection's overdue items.

    The document itself (its 文号, PDF and register entry) is app.services.issuing's; this is the hook
    the office's overdue list calls. Returns issuing.IssuedResult.
    """
    from app.services import issuing  # the document engine loads fonts; only when a letter is asked for

    return issuing.issue_document(ctx, SUPERVISION_KIND, inspection_id, options, preview=preview, today=on)

