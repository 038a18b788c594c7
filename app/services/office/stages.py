"""The stage an inspection is in, what it still needs, and moving it on.

`next_steps` is what an inspection's dashboard asks for next: Chinese to-dos for the current stage,
warnings for what an earlier stage left undone, and overdue items in red. `advance_stage` moves an
inspection to its next stage, refusing (in Chinese) when what that stage rests on is missing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import (
    ChecklistItem,
    Clue,
    ClueOutcome,
    Finding,
    Inspection,
    InspectionUnit,
    Inspector,
    IssuedDocument,
    Rectification,
    TeamAssignment,
    Unit,
)
from app.models.enums import (
    ChecklistKind,
    ChecklistStatus,
    ClueStatus,
    InspectionKind,
    RectificationStatus,
    ReviewState,
    Stage,
    TeamRole,
)
from app.reports import cn_date
from app.services import checklists, permissions
from app.services.context import ServiceContext
from app.services.crud import as_uuid, require_exists
from app.services.errors import StateError, ValidationError
from app.services.inspections import InspectionService, InspectionUnitService

from . import followup
from .team_forming import recusal_conflicts

STAGES: tuple[Stage, ...] = tuple(Stage)
TODO, WARNING, OVERDUE = "todo", "warning", "overdue"
LEVEL_LABELS = {TODO: "待办", WARNING: "提醒", OVERDUE: "逾期"}
# The outcome of a transferred clue is due back within three months (same figure as issuing.CLUE_REPLY_DAYS).
CLUE_REPLY_DAYS = 90
MIN_TEAM = 3
_REVIEW_PENDING = (ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.DEPUTY_APPROVED, ReviewState.RETURNED)


def stage_index(stage: str) -> int:
    try:
        return STAGES.index(Stage(stage))
    except ValueError:
        return -1  # a stage from a newer version: nothing is assumed done


def stages_for(kind: str) -> list[Stage]:
    """The stages an inspection of this kind passes through; a 回头看 has no 回头看 of its own."""
    if kind == InspectionKind.FOLLOW_UP:
        return [s for s in STAGES if s != Stage.FOLLOW_UP]
    return list(STAGES)


@dataclass(frozen=True)
class Step:
    level: str  # TODO, WARNING or OVERDUE
    text: str
    area: str = ""  # which office page deals with it: team, fieldwork, findings, clues, followup, documents

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]


@dataclass(frozen=True)
class TimelineStep:
    stage: Stage
    state: str  # "done", "current", "future"
    date: dt.date | None

    @property
    def label(self) -> str:
        return self.stage.label


def timeline(ctx: ServiceContext, inspection_id: uuid.UUID | str) -> list[TimelineStep]:
    """The stages with the dates the record knows for them."""
    with ctx.db.read() as session:
        inspection = require_exists(session, Inspection, inspection_id, "巡察", "inspection_id")
        permissions.require_readable(session, ctx.actor, inspection.id)
        handed = session.scalar(select(func.min(Clue.handed_over_on)).where(
            Clue.inspection_id == inspection.id, Clue.deleted_at.is_(None)))
        follow = session.scalar(select(func.min(Inspection.start_date)).where(
            Inspection.follows_inspection_id == inspection.id, Inspection.deleted_at.is_(None)))
        closed = session.scalar(select(func.max(Rectification.closed_on)).where(
            Rectification.inspection_id == inspection.id, Rectification.deleted_at.is_(None)))
    dates = {
        Stage.PLAN: inspection.created_at.date() if inspection.created_at else None,
        Stage.ARRIVE: inspection.start_date,
        Stage.REPORT: inspection.end_date,
        Stage.FEEDBACK: inspection.feedback_date,
        Stage.HANDOVER: handed,
        Stage.FOLLOW_UP: follow,
        Stage.CLOSED: closed if inspection.stage == Stage.CLOSED else None,
    }
    current = stage_index(inspection.stage)
    steps = []
    for stage in stages_for(inspection.kind):
        n = STAGES.index(stage)
        state = "done" if n < current else "current" if n == current else "future"
        if inspection.stage == Stage.CLOSED and stage == Stage.CLOSED:
            state = "done"
        steps.append(TimelineStep(stage, state, dates.get(stage)))
    return steps


# --- what is still needed ----------------------------------------------------------------------------
_AT = {s: STAGES.index(s) for s in STAGES}


def next_steps(ctx: ServiceContext, inspection: Inspection | uuid.UUID | str, on: dt.date | None = None) -> list[Step]:
    """Chinese to-dos for an inspection, most pressing first (overdue, then warnings, then to-dos)."""
    on = on or dt.date.today()
    inspection_id = inspection.id if isinstance(inspection, Inspection) else as_uuid(inspection)
    with ctx.db.read() as session:
        insp = require_exists(session, Inspection, inspection_id, "巡察", "inspection_id")
        permissions.require_readable(session, ctx.actor, insp.id)
        facts = _Facts.gather(session, insp, on)
    stage = stage_index(insp.stage)
    if insp.stage != Stage.CLOSED:
        _complete_facts(ctx, insp.id, facts, stage, on)
    steps: list[Step] = []

    if insp.stage == Stage.CLOSED:
        if facts.open_items:
            steps.append(Step(WARNING, f"巡察已结束，但仍有{facts.open_items}项整改事项未销号。", "followup"))
        return steps

    steps += _planning_steps(insp, facts, stage)
    steps += _fieldwork_steps(insp, facts, stage, on)
    steps += _report_steps(insp, facts, stage)
    steps += _clue_steps(facts, stage)
    steps += _rectification_steps(insp, facts, stage, on)
    steps += _follow_up_steps(insp, facts)
    order = {OVERDUE: 0, WARNING: 1, TODO: 2}
    return sorted(steps, key=lambda s: order[s.level])


def _level_for(stage: int, since: Stage) -> str:
    # Still missing after the stage it belongs to has passed: no longer a to-do but a warning.
    return TODO if stage == _AT[since] else WARNING


def _planning_steps(insp: Inspection, facts: _Facts, stage: int) -> list[Step]:
    """Units, team, authorisation, dates, and the announcement."""
    steps: list[Step] = []
    if not facts.units:
        steps.append(Step(_level_for(stage, Stage.PLAN), "尚未确定被巡察单位。", "rounds"))
    if facts.leader is None:
        steps.append(Step(_level_for(stage, Stage.PLAN), "尚未确定组长（从组长库中选派）。", "team"))
    elif not facts.leader_authorised:
        steps.append(Step(_level_for(stage, Stage.PLAN), f"尚未为组长{facts.leader}出具授权书（一次一授权）。", "team"))
    if facts.team_size < MIN_TEAM and stage <= _AT[Stage.FIELDWORK]:
        steps.append(Step(_level_for(stage, Stage.PLAN), f"巡察组现有{facts.team_size}人，尚未配齐（一般不少于{MIN_TEAM}人）。", "team"))
    for name, reasons in facts.conflicts:
        steps.append(Step(OVERDUE, f"{name}应当回避：{'；'.join(reasons)}。", "team"))
    if insp.start_date is None and stage <= _AT[Stage.ANNOUNCE]:
        steps.append(Step(_level_for(stage, Stage.PLAN), "尚未确定进驻日期。", "rounds"))

    if stage >= _AT[Stage.ANNOUNCE] and not facts.announced and stage <= _AT[Stage.FIELDWORK]:
        steps.append(Step(_level_for(stage, Stage.ANNOUNCE),
                          "巡察公告尚未发布：请填写举报电话、信箱等联系方式并印发公告。", "documents"))
    return steps


def _fieldwork_steps(insp: Inspection, facts: _Facts, stage: int, on: dt.date) -> list[Step]:
    """The must-lists, the 三审 queue, and the fieldwork's planned end."""
    steps: list[Step] = []
    if _AT[Stage.ARRIVE] <= stage <= _AT[Stage.REPORT]:
        level = TODO if stage <= _AT[Stage.FIELDWORK] else WARNING
        for entry in facts.talk_gaps:
            who = f"（{'、'.join(entry.missing_people[:5])}）" if entry.missing_people else ""
            steps.append(Step(level, f"四必谈：尚未与{entry.title}谈话{who}。", "fieldwork"))
        if facts.ask_gaps:
            steps.append(Step(level, f"六必问：尚未问及「{'」「'.join(facts.ask_gaps)}」。", "fieldwork"))
        if facts.check_open:
            steps.append(Step(level, f"五必查：尚有{len(facts.check_open)}项未完成（{'、'.join(facts.check_open[:3])}"
                                     f"{'等' if len(facts.check_open) > 3 else ''}）。", "fieldwork"))
    if _AT[Stage.FIELDWORK] <= stage <= _AT[Stage.FEEDBACK]:
        waiting = facts.reviews
        parts = []
        for state, words in ((ReviewState.DRAFT, "底稿未提交"), (ReviewState.SUBMITTED, "待副组长审核"),
                             (ReviewState.DEPUTY_APPROVED, "待组长审签"), (ReviewState.RETURNED, "被退回待修改")):
            if waiting.get(state):
                parts.append(f"{waiting[state]}个{words}")
        if parts:
            level = TODO if stage <= _AT[Stage.REPORT] else WARNING
            steps.append(Step(level, f"问题底稿尚未完成三审：{'，'.join(parts)}。", "findings"))
    if insp.stage == Stage.FIELDWORK and insp.end_date is not None:
        left = (insp.end_date - on).days
        if left < 0:
            steps.append(Step(OVERDUE, f"已超过预定结束日期（{cn_date(insp.end_date)}）{-left}天，仍在开展工作。", "rounds"))
        elif left <= 7:
            steps.append(Step(WARNING, f"距预定结束日期还有{left}天，请抓紧形成巡察报告。", "rounds"))
    return steps


def _report_steps(insp: Inspection, facts: _Facts, stage: int) -> list[Step]:
    """The report and the feedback documents."""
    steps: list[Step] = []
    if stage >= _AT[Stage.REPORT] and "special" not in facts.documents:
        steps.append(Step(_level_for(stage, Stage.REPORT), "专题报告（巡察情况报告）尚未印发。", "documents"))
    if stage >= _AT[Stage.FEEDBACK]:
        if insp.feedback_date is None:
            steps.append(Step(_level_for(stage, Stage.FEEDBACK), "尚未填写反馈日期。", "rounds"))
        if "feedback" not in facts.documents:
            steps.append(Step(_level_for(stage, Stage.FEEDBACK), "巡察反馈意见尚未印发。", "documents"))
        if "notice" not in facts.documents:
            steps.append(Step(_level_for(stage, Stage.FEEDBACK), "整改通知书尚未印发。", "documents"))
    return steps


def _clue_steps(facts: _Facts, stage: int) -> list[Step]:
    steps: list[Step] = []
    if stage >= _AT[Stage.FEEDBACK]:
        if facts.clues_pending:
            steps.append(Step(_level_for(stage, Stage.HANDOVER) if stage >= _AT[Stage.HANDOVER] else TODO,
                              f"{facts.clues_pending}条问题线索待移交。", "clues"))
        if facts.clues_without_outcome:
            steps.append(Step(WARNING, f"{facts.clues_without_outcome}条已移交线索超过3个月未反馈办理结果，请催办。", "clues"))
    return steps


def _rectification_steps(insp: Inspection, facts: _Facts, stage: int, on: dt.date) -> list[Step]:
    steps: list[Step] = []
    if stage >= _AT[Stage.FEEDBACK]:
        if facts.awaiting_rectification:
            steps.append(Step(TODO if stage <= _AT[Stage.RECTIFICATION] else WARNING,
                              f"{facts.awaiting_rectification}个问题尚未下达整改（整改措施、责任人、时限）。", "followup"))
        steps += _plan_steps(facts.plans, on)
        if facts.overdue:
            steps.append(Step(OVERDUE, f"{facts.overdue}项整改事项已逾期，可发整改督办函。", "followup"))
        if facts.due_soon:
            steps.append(Step(WARNING, f"{facts.due_soon}项整改事项7天内到期。", "followup"))
        if facts.awaiting_close:
            steps.append(Step(TODO, f"{facts.awaiting_close}项整改已报告完成，待审核销号。", "followup"))
        if insp.stage == Stage.RECTIFICATION and facts.items and not facts.open_items and not facts.awaiting_close:
            steps.append(Step(TODO, "整改事项已全部销号，可安排回头看或结束巡察。", "rounds"))
    return steps


def _follow_up_steps(insp: Inspection, facts: _Facts) -> list[Step]:
    """回头看: items still to carry over, or one still to arrange."""
    steps: list[Step] = []
    if insp.kind == InspectionKind.FOLLOW_UP and facts.not_carried:
        steps.append(Step(TODO, f"被回头看的巡察尚有{facts.not_carried}项未销号整改事项未接续。", "followup"))
    if insp.stage == Stage.FOLLOW_UP and not facts.has_follow_up and insp.kind != InspectionKind.FOLLOW_UP:
        steps.append(Step(TODO, "尚未安排回头看。", "rounds"))
    return steps


def _units_text(names: list[str]) -> str:
    """「甲」「乙」, or for many units 「甲」「乙」「丙」等7个单位: a township with 20 villages is one line."""
    shown = "".join(f"「{n}」" for n in names[:3])
    return shown if len(names) <= 3 else f"{shown}等{len(names)}个单位"


def _plan_steps(plans: list[followup.PlanStatus], on: dt.date) -> list[Step]:
    groups: dict[tuple[str, str, dt.date], list[str]] = {}
    for plan in plans:
        urgency = plan.plan_urgency(on)
        if urgency == followup.OVERDUE:
            groups.setdefault(("plan_late", "", plan.plan_due), []).append(plan.unit_name)
        elif urgency != followup.CLOSED:
            groups.setdefault(("plan_due", str(max(plan.plan_workdays_left, 0)), plan.plan_due), []).append(plan.unit_name)
        missing = "和".join(name for name, when in (("整改情况报告", plan.report_submitted_on),
                                                   ("主要负责人组织落实整改情况报告", plan.principal_report_submitted_on))
                           if when is None)
        if missing:
            kind = "report_late" if plan.report_due < on else "report_due"
            groups.setdefault((kind, missing, plan.report_due), []).append(plan.unit_name)
    steps = []
    for (kind, extra, due), names in groups.items():
        who = _units_text(names)
        if kind == "plan_late":
            steps.append(Step(OVERDUE, f"{who}整改方案已逾期未报送（应于{cn_date(due)}前）。", "followup"))
        elif kind == "plan_due":
            steps.append(Step(TODO, f"{who}整改方案应于{cn_date(due)}前报送（还有{extra}个工作日）。", "followup"))
        elif kind == "report_late":
            steps.append(Step(OVERDUE, f"{who}已逾期未报送{extra}（应于{cn_date(due)}前）。", "followup"))
        else:
            steps.append(Step(TODO, f"{who}尚未报送{extra}（应于{cn_date(due)}前）。", "followup"))
    return steps


@dataclass
class _Facts:
    units: int
    leader: str | None
    leader_authorised: bool
    team_size: int
    conflicts: list[tuple[str, list[str]]]
    announced: bool
    talk_gaps: list[checklists.CoverageEntry]
    ask_gaps: list[str]
    check_open: list[str]
    reviews: dict[str, int]
    documents: set[str]
    clues_pending: int
    clues_without_outcome: int
    awaiting_rectification: int
    plans: list[followup.PlanStatus]
    items: int
    open_items: int
    overdue: int
    due_soon: int
    awaiting_close: int
    not_carried: int
    has_follow_up: bool

    @classmethod
    def gather(cls, session: Session, insp: Inspection, on: dt.date) -> _Facts:
        unit_ids = list(session.scalars(select(InspectionUnit.unit_id).where(
            InspectionUnit.inspection_id == insp.id, InspectionUnit.deleted_at.is_(None))))
        team = session.execute(
            select(TeamAssignment, Inspector.name).join(Inspector, Inspector.id == TeamAssignment.inspector_id)
            .where(TeamAssignment.inspection_id == insp.id, TeamAssignment.deleted_at.is_(None))
        ).all()
        leader = next(((a, n) for a, n in team if a.role == TeamRole.LEADER), None)
        authorised = False
        if leader is not None and leader[0].authorisation_document_id is not None:
            doc = session.get(IssuedDocument, leader[0].authorisation_document_id)
            authorised = doc is not None and doc.deleted_at is None and doc.voided_at is None
        reasons = recusal_conflicts(session, [a.inspector_id for a, _ in team], unit_ids)
        names = {a.inspector_id: n for a, n in team}
        conflicts = [(names[i], r) for i, r in reasons.items() if r]
        announced = any((insp.announcement_phone, insp.announcement_mailbox, insp.announcement_email,
                         insp.announcement_address))
        documents = set(session.scalars(select(IssuedDocument.kind).where(
            IssuedDocument.inspection_id == insp.id, IssuedDocument.deleted_at.is_(None))))
        reviews = dict(session.execute(
            select(Finding.review_state, func.count()).where(
                Finding.inspection_id == insp.id, Finding.deleted_at.is_(None),
                Finding.review_state.in_(_REVIEW_PENDING)).group_by(Finding.review_state)).all())
        check_open = list(session.scalars(select(ChecklistItem.title).where(
            ChecklistItem.inspection_id == insp.id, ChecklistItem.deleted_at.is_(None),
            ChecklistItem.list_kind == ChecklistKind.MUST_CHECK, ChecklistItem.status == ChecklistStatus.OPEN,
        ).order_by(ChecklistItem.sort_order)))
        clues = session.scalars(select(Clue).where(Clue.inspection_id == insp.id, Clue.deleted_at.is_(None))).all()
        with_outcome = set(session.scalars(select(ClueOutcome.clue_id).where(
            ClueOutcome.clue_id.in_([c.id for c in clues]), ClueOutcome.deleted_at.is_(None))))
        late_clues = sum(
            1 for c in clues
            if c.status == ClueStatus.HANDED_OVER and c.id not in with_outcome and c.handed_over_on is not None
            and (on - c.handed_over_on).days > CLUE_REPLY_DAYS
        )
        carried = followup.carried_ids(session)
        rects = session.execute(select(Rectification.id, Rectification.status, Rectification.deadline).where(
            Rectification.inspection_id == insp.id, Rectification.deleted_at.is_(None))).all()
        urgencies = [followup.urgency_of(status, deadline, on, rid in carried) for rid, status, deadline in rects]
        not_carried = 0
        if insp.kind == InspectionKind.FOLLOW_UP and insp.follows_inspection_id is not None:
            not_carried = sum(1 for rid in session.scalars(select(Rectification.id).where(
                Rectification.inspection_id == insp.follows_inspection_id, Rectification.deleted_at.is_(None),
                Rectification.status != RectificationStatus.CLOSED)) if rid not in carried)
        has_follow_up = session.scalar(select(Inspection.id).where(
            Inspection.follows_inspection_id == insp.id, Inspection.deleted_at.is_(None)).limit(1)) is not None
        return cls(
            units=len(unit_ids), leader=leader[1] if leader else None, leader_authorised=authorised,
            team_size=len(team), conflicts=conflicts, announced=announced,
            talk_gaps=[], ask_gaps=[], check_open=check_open, reviews=reviews, documents=documents,
            clues_pending=sum(1 for c in clues if c.status == ClueStatus.PENDING),
            clues_without_outcome=late_clues, awaiting_rectification=0, plans=[],
            items=len(rects), open_items=sum(u in (followup.OVERDUE, followup.DUE_SOON, followup.ON_TRACK) for u in urgencies),
            overdue=urgencies.count(followup.OVERDUE), due_soon=urgencies.count(followup.DUE_SOON),
            awaiting_close=urgencies.count(followup.AWAITING_CLOSE), not_carried=not_carried,
            has_follow_up=has_follow_up,
        )


def _complete_facts(ctx: ServiceContext, insp_id: uuid.UUID, facts: _Facts, stage: int, on: dt.date) -> None:
    """The parts gathered through other services (each opens its own read)."""
    at = {s: STAGES.index(s) for s in STAGES}
    if at[Stage.ARRIVE] <= stage <= at[Stage.REPORT]:
        cov = checklists.coverage(ctx, insp_id)
        facts.talk_gaps = [e for e in cov.must_talk if not e.covered]
        facts.ask_gaps = [e.title for e in cov.must_ask if not e.covered]
    if stage >= at[Stage.FEEDBACK]:
        facts.awaiting_rectification = len(followup.awaiting_rectification(ctx, insp_id))
        facts.plans = followup.plans(ctx, inspection_id=insp_id, on=on)


# --- moving on -------------------------------------------------------------------------------------
def next_stage(inspection: Inspection) -> Stage | None:
    sequence = stages_for(inspection.kind)
    try:
        n = sequence.index(Stage(inspection.stage))
    except ValueError:
        return None
    return sequence[n + 1] if n + 1 < len(sequence) else None


def advance_stage(ctx: ServiceContext, inspection_id: uuid.UUID | str, *, on: dt.date | None = None) -> Inspection:
    """Move an inspection to its next stage, once what that stage rests on is in place.

    Entering 进驻 without an entry date records `on` as the entry date; entering 反馈 without a feedback
    date records `on` as the feedback date (the due dates of the 整改方案 and 双报告 run from it).
    """
    ctx.require_admin("推进巡察阶段")
    on = on or dt.date.today()
    service = InspectionService(ctx)
    with ctx.write() as session:
        insp = require_exists(session, Inspection, inspection_id, "巡察", "inspection_id")
        target = next_stage(insp)
        if target is None:
            raise StateError(f"「{insp.name}」已处于最后阶段「{Stage.label_of(insp.stage)}」。")
        values: dict[str, Any] = {"stage": target}
        facts = _Facts.gather(session, insp, on)
        if target == Stage.ANNOUNCE:
            if not facts.units:
                raise ValidationError("请先确定被巡察单位，再发布巡察公告。")
            if facts.leader is None:
                raise ValidationError("请先确定组长，再发布巡察公告。")
            if not facts.leader_authorised:
                raise ValidationError(f"请先为组长{facts.leader}出具授权书（一次一授权）。")
        if facts.conflicts and target in (Stage.ANNOUNCE, Stage.ARRIVE):
            name, reasons = facts.conflicts[0]
            raise ValidationError(f"{name}应当回避：{'；'.join(reasons)}。请先调整巡察组。")
        if target == Stage.ARRIVE:
            if not facts.announced:
                raise ValidationError("巡察公告尚未发布：请先填写举报电话、信箱等联系方式。")
            if insp.start_date is None:
                values["start_date"] = on
        if target == Stage.FEEDBACK:
            pending = sum(facts.reviews.values())
            if pending:
                raise ValidationError(f"还有{pending}个问题底稿未完成三审，不能进入反馈阶段。")
            if insp.feedback_date is None:
                values["feedback_date"] = on
        if target == Stage.CLOSED and facts.open_items + facts.awaiting_close:
            raise ValidationError(f"还有{facts.open_items + facts.awaiting_close}项整改事项未销号，不能结束巡察。")
        return service.update_in(session, insp.id, **values)



def create_inspection(ctx: ServiceContext, *, name: str, kind: str, unit_ids: list[uuid.UUID | str],
                      round_id: uuid.UUID | str | None = None, team_name: str | None = None,
                      start_date: dt.date | None = None, end_date: dt.date | None = None,
                      follows_inspection_id: uuid.UUID | str | None = None) -> Inspection:
    """Plan an inspection with its target units, in one transaction (制定方案 stage)."""
    ctx.require_admin("制定巡察计划")
    if not unit_ids:
        raise ValidationError("请至少选择一个被巡察单位。", "unit_ids")
    units = InspectionUnitService(ctx)
    with ctx.write() as session:
        inspection = InspectionService(ctx).create_in(
            session, name=name, kind=kind, stage=Stage.PLAN, round_id=as_uuid(round_id) if round_id else None,
            team_name=team_name, start_date=start_date, end_date=end_date,
            follows_inspection_id=as_uuid(follows_inspection_id) if follows_inspection_id else None,
        )
        for unit_id in dict.fromkeys(as_uuid(u) for u in unit_ids):
            units.create_in(session, inspection_id=inspection.id, unit_id=unit_id)
    return inspection


@dataclass
class Overview:
    """What an inspection's page shows: the record, its stages, its to-dos, its units."""

    inspection: Inspection
    timeline: list[TimelineStep]
    steps: list[Step]
    units: list[str]
    next_stage: Stage | None
    follows_name: str
    has_follow_up: bool


def overview(ctx: ServiceContext, inspection_id: uuid.UUID | str, on: dt.date | None = None) -> Overview:
    key = as_uuid(inspection_id)
    with ctx.db.read() as session:
        inspection = require_exists(session, Inspection, key, "巡察", "inspection_id")
        permissions.require_readable(session, ctx.actor, key)
        units = list(session.scalars(select(Unit.name).join(InspectionUnit, InspectionUnit.unit_id == Unit.id).where(
            InspectionUnit.inspection_id == key, InspectionUnit.deleted_at.is_(None)).order_by(Unit.name)))
        follows = session.get(Inspection, inspection.follows_inspection_id) if inspection.follows_inspection_id else None
        has_follow_up = session.scalar(select(Inspection.id).where(
            Inspection.follows_inspection_id == key, Inspection.deleted_at.is_(None)).limit(1)) is not None
    return Overview(inspection, timeline(ctx, key), next_steps(ctx, key, on), units, next_stage(inspection),
                    follows.name if follows else "", has_follow_up)
