"""The kinds printed from one record (谈话笔录, 问题底稿) and the planning documents (授权书,
工作方案)."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, overload

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    Attachment,
    Finding,
    FindingReview,
    Inspector,
    Interview,
    IssuedDocument,
    ReferenceItem,
    TeamAssignment,
    Unit,
    UnitPerson,
)
from app.models.enums import (
    ReviewAction,
    SourceKind,
    TeamRole,
)
from app.reports import kinds
from app.reports.strokes import by_strokes
from app.reports.wording import normalize

from ..context import ServiceContext
from ..crud import as_uuid
from ..errors import NotFoundError, StateError, ValidationError
from ..reference import DISCIPLINE
from .options import _MATERIALS, OTHER_CATEGORY, DocumentOptions, Prepared
from .scope import Scope, _sentence, _short


# --- the kinds printed from one record, and the planning documents ----------------------------------
def _record_id(given: DocumentOptions, what: str) -> uuid.UUID:
    if given.record_id is None:
        raise ValidationError(f"请选择要打印的{what}。", "record_id")
    try:
        return as_uuid(given.record_id)
    except NotFoundError as exc:
        raise ValidationError(f"找不到该{what}，可能已被删除。", "record_id") from exc


def _inspector_names(session: Session, ids: Iterable[Any]) -> dict[str, str]:
    keys = []
    for i in ids:
        with contextlib.suppress(NotFoundError, ValueError, TypeError):
            keys.append(as_uuid(i))
    if not keys:
        return {}
    return {str(i): n for i, n in session.execute(select(Inspector.id, Inspector.name).where(Inspector.id.in_(keys)))}


@overload
def _local(at: dt.datetime) -> dt.datetime: ...
@overload
def _local(at: dt.datetime | None) -> dt.datetime | None: ...
def _local(at: dt.datetime | None) -> dt.datetime | None:
    """A stored UTC time as the wall-clock time it was where it happened (this computer's zone)."""
    return at.astimezone().replace(tzinfo=None) if at is not None else None


def _interview_record(ctx: ServiceContext, session: Session, scope: Scope, given: DocumentOptions) -> Prepared:
    interview = session.get(Interview, _record_id(given, "谈话记录"))
    if interview is None or interview.deleted_at is not None or interview.inspection_id != scope.inspection.id:
        raise ValidationError("找不到该谈话记录，可能已被删除或不属于所选巡察。", "record_id")
    names = _inspector_names(session, [*interview.interviewer_ids, interview.recorder_id])
    # 谈话人: the team's leader first when present, the others in 姓氏笔画 order.
    interviewers = [names[str(i)] for i in interview.interviewer_ids if str(i) in names]
    lead = [n for n in interviewers if n == scope.leader]
    interviewers = lead + by_strokes([n for n in interviewers if n != scope.leader])
    post = (interview.interviewee_post or "").strip()
    if interview.interviewee_person_id and not post:
        person = session.get(UnitPerson, interview.interviewee_person_id)
        post = (person.post or "") if person else ""
    unit = session.get(Unit, interview.unit_id) if interview.unit_id else (scope.units[0] if scope.units else None)
    if unit is not None and post and not post.startswith(_short(unit)):
        post = f"{_short(unit)}{post}"
    transcript = interview.transcript or ""
    if not transcript.strip() and interview.summary:
        transcript = f"（谈话摘要）{interview.summary}"
    o = given.over(DocumentOptions(title="谈话笔录", date=scope.today))
    data = kinds.InterviewRecord(
        start=_local(interview.start_at), end=_local(interview.end_at), place=interview.place or "",
        interviewers=interviewers, recorder=names.get(str(interview.recorder_id), "") if interview.recorder_id else "",
        interviewee=interview.interviewee_name, post=post, transcript=normalize_transcript(transcript),
        kind=interview.kind, team=scope.team,
    )
    return Prepared(data, o, f"谈话笔录（{interview.interviewee_name}）", None)


def normalize_transcript(text: str) -> str:
    return "\n".join(normalize(line) for line in text.splitlines())


_REVIEW_ROLES = (("承办人", ReviewAction.SUBMIT), ("副组长审核", ReviewAction.DEPUTY_APPROVE),
                 ("组长审签", ReviewAction.LEADER_APPROVE))


def _working_paper(ctx: ServiceContext, session: Session, scope: Scope, given: DocumentOptions) -> Prepared:
    finding = session.get(Finding, _record_id(given, "问题"))
    if finding is None or finding.deleted_at is not None or finding.inspection_id != scope.inspection.id:
        raise ValidationError("找不到该问题，可能已被删除或不属于所选巡察。", "record_id")
    unit = session.get(Unit, finding.unit_id) if finding.unit_id else None
    discipline = session.scalar(select(ReferenceItem.name).where(
        ReferenceItem.kind == DISCIPLINE, ReferenceItem.code == (finding.discipline_code or ""))) or ""
    steps = list(session.scalars(select(FindingReview).where(
        FindingReview.finding_id == finding.id, FindingReview.deleted_at.is_(None)).order_by(FindingReview.acted_at)))
    # The latest pass through the chain: after a 退回 the earlier signatures no longer stand.
    last_return = max((k for k, r in enumerate(steps) if r.action == ReviewAction.RETURN), default=-1)
    steps = steps[last_return + 1:]
    handler = _inspector_names(session, [finding.handler_id]).get(str(finding.handler_id), "") if finding.handler_id else ""
    reviews = []
    for role, action in _REVIEW_ROLES:
        step = next((r for r in reversed(steps) if r.action == action), None)
        reviews.append(kinds.ReviewStep(
            role=role, name=(step.actor_name or "") if step else (handler if action == ReviewAction.SUBMIT else ""),
            opinion=normalize(step.comment or ("同意。" if action != ReviewAction.SUBMIT else "")) if step else "",
            date=_local(step.acted_at).date() if step and step.acted_at else None))
    evidence = []
    if finding.source_kind and finding.source_kind in _MATERIALS:
        evidence.append(f"{_MATERIALS[finding.source_kind]}（{SourceKind.label_of(finding.source_kind)}）")
    for a in session.scalars(select(Attachment).where(
            Attachment.owner_kind == "finding", Attachment.owner_id == finding.id, Attachment.deleted_at.is_(None))
            .order_by(Attachment.created_at)):
        evidence.append(a.filename + (f"（{normalize(a.description)}）" if a.description else ""))
    o = given.over(DocumentOptions(title="问题底稿", date=scope.today))
    data = kinds.WorkingPaper(
        team=scope.team, unit=unit.name if unit else scope.target, number=str(finding.number), title=normalize(finding.title),
        category=scope.category_of(finding.category_code)[2] or OTHER_CATEGORY, discipline=discipline,
        facts=_sentence(finding.facts), characterisation=_sentence(finding.characterisation),
        responsibility=_sentence(finding.responsibility), evidence=evidence, reviews=reviews,
        found_on=finding.found_on, source=SourceKind.label_of(finding.source_kind) if finding.source_kind else "",
        disposition=scope.dispositions.get(finding.disposition_code or "", ""),
        people=[p.strip() for p in (finding.responsible_people or "").split("、") if p.strip()],
    )
    return Prepared(data, o, f"问题底稿（第{finding.number}号）", None)


def _team(session: Session, scope: Scope) -> dict[str, list[str]]:
    rows = session.execute(
        select(TeamAssignment.role, Inspector.name).join(Inspector, Inspector.id == TeamAssignment.inspector_id)
        .where(TeamAssignment.inspection_id == scope.inspection.id, TeamAssignment.deleted_at.is_(None))).all()
    out: dict[str, list[str]] = defaultdict(list)
    for role, name in rows:
        out[role].append(name)
    return out


def _authorization(ctx: ServiceContext, session: Session, scope: Scope, given: DocumentOptions) -> Prepared:
    from app.models import InspectionRound

    from ..office.team_forming import _target_units, recusal_conflicts

    # The leading group authorises the leader: the office issues it, never the team itself.
    ctx.require_admin("出具组长授权书")
    insp = scope.inspection
    row = session.execute(
        select(TeamAssignment, Inspector).join(Inspector, Inspector.id == TeamAssignment.inspector_id)
        .where(TeamAssignment.inspection_id == insp.id, TeamAssignment.role == TeamRole.LEADER,
               TeamAssignment.deleted_at.is_(None))).first()
    if row is None:
        raise ValidationError("该巡察尚未确定组长，不能出具授权书。")
    assignment, leader = row
    if assignment.authorisation_document_id is not None:
        existing = session.get(IssuedDocument, assignment.authorisation_document_id)
        if existing is not None and existing.deleted_at is None and existing.voided_at is None:
            raise StateError(f"已为{leader.name}出具本次巡察的组长授权书（{existing.number_text}），一次一授权，不重复出具；"
                             "如需更换组长，请先作废原授权书。")
    units = [u for i in _target_units(session, insp.id) if (u := session.get(Unit, i)) is not None]
    if not units:
        raise ValidationError("该巡察尚未确定被巡察单位，不能出具授权书。")
    conflicts = recusal_conflicts(session, [leader.id], [u.id for u in units]).get(leader.id)
    if conflicts:
        raise ValidationError(f"{leader.name}应当回避：{'；'.join(conflicts)}。不能授权其担任本次巡察组长。")
    round_ = session.get(InspectionRound, insp.round_id) if insp.round_id else None
    targets = "、".join(u.name for u in units[:5]) + (f"等{len(units)}个单位" if len(units) > 5 else "")
    prefix, mark = scope.issuer("authorization")
    o = given.over(DocumentOptions(title="巡察组组长授权书", date=scope.today, issuer_mark=mark,
                                   signature=scope.profile.leading_group_name, addressee=f"{leader.name}同志"))
    data = kinds.LeaderAuthorization(
        leader=leader.name, team=scope.team, targets=targets, inspection_kind=scope.kind_label,
        leading_group=o.signature, leading_group_short=scope.leading_group, committee=scope.authority,
        issuer_mark=o.issuer_mark or "", doc_number="", date=o.date, round_name=round_.name if round_ else "",
        start=insp.start_date, end=insp.end_date,
    )
    assignment_id = assignment.id

    def link(session: Session, document: Any) -> None:
        from ..inspections import TeamService

        TeamService(ctx).update_in(session, assignment_id, authorisation_document_id=document.id)

    title = f"关于授权{leader.name}同志担任{scope.team}组长的授权书"
    return Prepared(data, o, title, leader.name, after_issue=link, issuer_code=prefix)


_STEP_PLAN = (("准备阶段", -10, -1, "集中学习培训，了解被巡察单位情况，制定巡察工作方案，发布巡察公告。"),
              ("了解情况阶段", 0, None, "召开巡察工作动员会，开展个别谈话，受理信访举报，查阅资料，走访调研，深入了解情况。"),
              ("报告阶段", 1, 15, "梳理问题，形成巡察报告，向巡察工作领导小组汇报。"),
              ("反馈阶段", 16, 30, "向被巡察党组织反馈巡察意见，移交问题线索。"))


def _work_plan(ctx: ServiceContext, session: Session, scope: Scope, given: DocumentOptions) -> Prepared:
    insp = scope.inspection
    team = _team(session, scope)
    leader = (team.get(TeamRole.LEADER) or [""])[0]
    deputies = by_strokes(team.get(TeamRole.DEPUTY, []))
    members = by_strokes(team.get(TeamRole.MEMBER, []) + team.get(TeamRole.LIAISON, []))
    steps = []
    for name, a, b, tasks in _STEP_PLAN:
        if insp.start_date is None:
            steps.append(kinds.PlanStep(name, None, None, tasks))
            continue
        if b is None:  # the fieldwork itself
            steps.append(kinds.PlanStep(name, insp.start_date, insp.end_date, tasks))
            continue
        base = insp.end_date if a > 0 and insp.end_date else insp.start_date
        steps.append(kinds.PlanStep(name, base + dt.timedelta(days=a), base + dt.timedelta(days=b), tasks))
    if scope.profile.framework == "four_implementations":
        focus = [(head.removesuffix("方面") + "情况", text) for head, text in (
            ("落实党的路线方针政策和党中央决策部署方面", "重点了解贯彻落实党中央决策部署和上级党委工作要求、履行职能职责情况。"),
            ("落实全面从严治党战略部署方面", "重点了解落实管党治党政治责任、中央八项规定精神和群众身边腐败问题情况。"),
            ("落实新时代党的组织路线方面", "重点了解领导班子和干部队伍建设、基层党组织建设、选人用人情况。"),
            ("落实巡视巡察、审计等监督发现问题整改方面", "重点了解上轮巡察和审计等监督发现问题的整改情况。"))]
    else:
        focus = [("党的领导弱化问题", "重点了解贯彻落实党中央决策部署和履行职能职责情况。"),
                 ("党的建设缺失问题", "重点了解基层党组织建设、干部队伍建设和选人用人情况。"),
                 ("全面从严治党不力问题", "重点了解落实管党治党政治责任和中央八项规定精神情况。")]
    prefix, mark = scope.issuer("work-plan")
    o = given.over(DocumentOptions(title=f"{scope.team}关于巡察{scope.target}的工作方案", date=scope.today,
                                   addressee=scope.leading_group, signature=scope.team_signature, issuer_mark=mark))
    data = kinds.WorkPlan(
        team=scope.team, targets=scope.target, inspection_kind=scope.kind_label, leading_group_short=o.addressee,
        committee=scope.authority, focus=focus, leader=leader, deputies=deputies, members=members, steps=steps,
        signature=o.signature, date=o.date, start=insp.start_date, end=insp.end_date,
        round_name="", issuer_mark=o.issuer_mark or None, signers=[leader] if leader else [], secrecy=o.secrecy or None,
        printer=scope.team_signature, print_date=o.date, title=o.title,
    )
    return Prepared(data, o, o.title, o.addressee, issuer_code=prefix)
