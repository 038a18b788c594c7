"""Forming a team from the 巡察人才库/组长库: by the expertise needed, by workload, without 回避 conflicts.

Recusal (回避): an inspector may not inspect a unit they belong to, used to work in, or where a
relative works — nor a unit above or below such a unit in the hierarchy (a township's cadre does not
inspect its villages, a village's cadre not the township over it).

Workload: who took part in the fewest inspections lately is proposed first, so the same few people
are not sent out round after round.

一次一授权: the leader is authorised for this one inspection by a numbered 授权书 (document kind
"authorization"), kept on the leader's TeamAssignment.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    Inspection,
    InspectionRound,
    InspectionUnit,
    Inspector,
    InspectorRelation,
    IssuedDocument,
    ReferenceItem,
    TeamAssignment,
    Unit,
)
from app.models.enums import Stage, TeamRole
from app.reports import FontSet
from app.services.context import ServiceContext
from app.services.crud import as_uuid, require_exists
from app.services.errors import StateError, ValidationError
from app.services.inspections import TeamService
from app.services.reference import EXPERTISE

# How far back an assignment counts towards someone's workload.
WORKLOAD_DAYS = 730
# Stages in which a team is out (or about to go out): its members are not free for another one.
_OCCUPIED = (Stage.PLAN, Stage.ANNOUNCE, Stage.ARRIVE, Stage.FIELDWORK, Stage.REPORT)
_IN_THE_FIELD = (Stage.ARRIVE, Stage.FIELDWORK, Stage.REPORT)
AUTHORIZATION_KIND = "authorization"
ATTACHMENT_OWNER_KIND = "issued_document"


@dataclass
class Candidate:
    inspector_id: uuid.UUID
    name: str
    home_unit: str
    post: str
    expertise: list[str]
    expertise_labels: list[str]
    in_leader_pool: bool
    recent_count: int
    last_date: dt.date | None
    matched: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    busy: list[str] = field(default_factory=list)  # other teams this person is on right now
    proposed_role: str | None = None

    @property
    def eligible(self) -> bool:
        return not self.conflicts and not self.busy


@dataclass
class TeamMember:
    assignment_id: uuid.UUID
    inspector_id: uuid.UUID
    name: str
    role: str
    expertise: list[str]
    expertise_labels: list[str]
    authorisation_number: str | None
    conflicts: list[str]

    @property
    def role_label(self) -> str:
        return TeamRole.label_of(self.role)


@dataclass
class TeamProposal:
    inspection_id: uuid.UUID
    needed: list[str]
    candidates: list[Candidate]
    team: list[TeamMember]
    uncovered: list[str]  # expertise nobody eligible has (labels)
    expertise_names: dict[str, str]

    @property
    def proposed(self) -> list[Candidate]:
        return [c for c in self.candidates if c.proposed_role]

    @property
    def notes(self) -> list[str]:
        notes = [f"人才库中没有可派出的「{label}」专长人员，请补充人才库或调整专业要求。" for label in self.uncovered]
        if not any(c.proposed_role == TeamRole.LEADER for c in self.candidates) and not any(
            m.role == TeamRole.LEADER for m in self.team
        ):
            notes.append("组长库中没有可派出的人员（无回避情形且未在其他巡察组）。")
        return notes


# --- recusal ---------------------------------------------------------------------------------------
def _unit_tree(session: Session) -> tuple[dict[uuid.UUID, uuid.UUID | None], dict[uuid.UUID, str]]:
    rows = session.execute(select(Unit.id, Unit.parent_id, Unit.name).where(Unit.deleted_at.is_(None))).all()
    return {r.id: r.parent_id for r in rows}, {r.id: r.name for r in rows}


def _ancestors(parents: dict[uuid.UUID, uuid.UUID | None], unit_id: uuid.UUID) -> list[uuid.UUID]:
    chain, seen = [], {unit_id}
    cursor = parents.get(unit_id)
    while cursor is not None and cursor not in seen:
        chain.append(cursor)
        seen.add(cursor)
        cursor = parents.get(cursor)
    return chain


def _relation_to(parents: dict[uuid.UUID, uuid.UUID | None], names: dict[uuid.UUID, str],
                 related: uuid.UUID, target: uuid.UUID) -> str | None:
    """How a unit an inspector is tied to stands to a target unit, in words; None if unrelated."""
    if related == target:
        return ""
    if related in _ancestors(parents, target):
        return f"，是「{names.get(target, '')}」的上级单位"
    if target in _ancestors(parents, related):
        return f"，是「{names.get(target, '')}」的下级单位"
    return None


def recusal_conflicts(session: Session, inspector_ids: Iterable[uuid.UUID],
                      unit_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """For each inspector, why they must not inspect any of the units (empty when free to)."""
    inspector_ids, unit_ids = list(inspector_ids), list(unit_ids)
    result: dict[uuid.UUID, list[str]] = {i: [] for i in inspector_ids}
    if not inspector_ids or not unit_ids:
        return result
    parents, names = _unit_tree(session)
    inspectors = session.scalars(select(Inspector).where(Inspector.id.in_(inspector_ids))).all()
    relations = session.scalars(
        select(InspectorRelation).where(InspectorRelation.inspector_id.in_(inspector_ids),
                                        InspectorRelation.deleted_at.is_(None))
    ).all()
    target_names = {names.get(u, "").strip(): u for u in unit_ids}
    for person in inspectors:
        reasons = result[person.id]
        home = person.home_unit_id
        if home is None and person.home_unit_name and person.home_unit_name.strip() in target_names:
            # A home unit typed as text (no directory entry) still names the unit.
            reasons.append(f"本人所在单位为「{person.home_unit_name.strip()}」")
        for target in unit_ids:
            if home is not None:
                how = _relation_to(parents, names, home, target)
                if how is not None:
                    reasons.append(f"本人所在单位为「{names.get(home, '')}」{how}")
            for rel in relations:
                if rel.inspector_id != person.id or rel.unit_id is None:
                    continue
                how = _relation_to(parents, names, rel.unit_id, target)
                if how is None:
                    continue
                where = names.get(rel.unit_id, "")
                if rel.relation_kind == "relative":
                    who = rel.person_name or "亲属"
                    kin = f"（{rel.relationship}）" if rel.relationship else ""
                    reasons.append(f"亲属{who}{kin}在「{where}」任职{how}")
                else:
                    reasons.append(f"曾在「{where}」任职{how}")
        # The same tie may show up through two target units; say it once.
        result[person.id] = list(dict.fromkeys(reasons))
    return result


# --- workload --------------------------------------------------------------------------------------
def _workloads(session: Session, inspection: Inspection, on: dt.date, window_days: int
               ) -> tuple[dict[uuid.UUID, int], dict[uuid.UUID, dt.date], dict[uuid.UUID, list[str]]]:
    since = on - dt.timedelta(days=window_days)
    rows = session.execute(
        select(TeamAssignment.inspector_id, Inspection.id, Inspection.name, Inspection.stage, Inspection.start_date,
               Inspection.end_date, InspectionRound.start_date)
        .join(Inspection, Inspection.id == TeamAssignment.inspection_id)
        .outerjoin(InspectionRound, InspectionRound.id == Inspection.round_id)
        .where(TeamAssignment.deleted_at.is_(None), Inspection.deleted_at.is_(None), Inspection.id != inspection.id)
    ).all()
    counts: dict[uuid.UUID, int] = defaultdict(int)
    last: dict[uuid.UUID, dt.date] = {}
    busy: dict[uuid.UUID, list[str]] = defaultdict(list)
    for inspector_id, _other_id, name, stage, start, end, round_start in rows:
        when = start or round_start
        if when is None or when >= since:
            counts[inspector_id] += 1
        # Planned ones ahead count as workload above, but "last time out" is one that has begun.
        if when is not None and when <= on and (inspector_id not in last or when > last[inspector_id]):
            last[inspector_id] = when
        if stage in _OCCUPIED and _overlaps(inspection, stage, start, end):
            busy[inspector_id].append(name)
    return counts, last, busy


def _overlaps(inspection: Inspection, stage: str, start: dt.date | None, end: dt.date | None) -> bool:
    """Whether another team is out while this one would be.

    With both periods known, they must overlap. Without, only a team in the field right now counts:
    one still being planned may well go out after this one is back.
    """
    if inspection.start_date is not None and inspection.end_date is not None and start is not None and end is not None:
        return not (end < inspection.start_date or start > inspection.end_date)
    return stage in _IN_THE_FIELD


def _expertise_names(session: Session) -> dict[str, str]:
    rows = session.execute(
        select(ReferenceItem.code, ReferenceItem.name).where(ReferenceItem.kind == EXPERTISE)
        .order_by(ReferenceItem.sort_order)
    ).all()
    return {code: name for code, name in rows}


def _target_units(session: Session, inspection_id: uuid.UUID) -> list[uuid.UUID]:
    return list(session.scalars(select(InspectionUnit.unit_id).where(
        InspectionUnit.inspection_id == inspection_id, InspectionUnit.deleted_at.is_(None))))


def _team(session: Session, inspection_id: uuid.UUID, names: dict[str, str],
          conflicts: dict[uuid.UUID, list[str]] | None = None) -> list[TeamMember]:
    rows = session.execute(
        select(TeamAssignment, Inspector, IssuedDocument.number_text)
        .join(Inspector, Inspector.id == TeamAssignment.inspector_id)
        .outerjoin(IssuedDocument, (IssuedDocument.id == TeamAssignment.authorisation_document_id)
                   & IssuedDocument.deleted_at.is_(None) & IssuedDocument.voided_at.is_(None))
        .where(TeamAssignment.inspection_id == inspection_id, TeamAssignment.deleted_at.is_(None))
    ).all()
    order = {role.value: n for n, role in enumerate(TeamRole)}
    members = [
        TeamMember(a.id, p.id, p.name, a.role, list(p.expertise or []), [names.get(c, c) for c in p.expertise or []],
                   number, (conflicts or {}).get(p.id, []))
        for a, p, number in rows
    ]
    return sorted(members, key=lambda m: (order.get(m.role, 9), m.name))


def team_of(ctx: ServiceContext, inspection_id: uuid.UUID | str) -> list[TeamMember]:
    """The team as it stands, with each member's 回避 conflicts (a unit may have been added later)."""
    key = as_uuid(inspection_id)
    with ctx.db.read() as session:
        require_exists(session, Inspection, key, "巡察", "inspection_id")
        ids = list(session.scalars(select(TeamAssignment.inspector_id).where(
            TeamAssignment.inspection_id == key, TeamAssignment.deleted_at.is_(None))))
        conflicts = recusal_conflicts(session, ids, _target_units(session, key))
        return _team(session, key, _expertise_names(session), conflicts)


# --- proposing -------------------------------------------------------------------------------------
def propose_team(
    ctx: ServiceContext,
    inspection_id: uuid.UUID | str,
    *,
    expertise: Sequence[str] = (),
    size: int = 5,
    on: dt.date | None = None,
    window_days: int = WORKLOAD_DAYS,
) -> TeamProposal:
    """Candidates for the inspection's team, best first, with a proposed leader and members.

    The proposal fills the team up to `size` people (counting those already on it): a leader from the
    组长库 if there is none, then for each needed expertise not yet on the team the eligible person
    having it with the fewest recent assignments, then the least-loaded eligible people. People with a
    回避 conflict or on another team at the same time are listed, flagged, and never proposed.
    """
    if not 1 <= size <= 30:
        raise ValidationError("巡察组人数应为1至30人。", "size")
    on = on or dt.date.today()
    key = as_uuid(inspection_id)
    with ctx.db.read() as session:
        inspection = require_exists(session, Inspection, key, "巡察", "inspection_id")
        names = _expertise_names(session)
        unknown = [c for c in expertise if c not in names]
        if unknown:
            raise ValidationError(f"专业特长「{'、'.join(unknown)}」不在参考目录中。", "expertise")
        units = _target_units(session, key)
        team = _team(session, key, names)
        on_team = {m.inspector_id for m in team}
        people = [p for p in session.scalars(select(Inspector).where(
            Inspector.deleted_at.is_(None), Inspector.active.is_(True))) if p.id not in on_team]
        conflicts = recusal_conflicts(session, [p.id for p in people], units)
        counts, last, busy = _workloads(session, inspection, on, window_days)
        unit_names = {u.id: u.name for u in session.scalars(select(Unit))}
    needed = list(dict.fromkeys(expertise))
    candidates = [
        Candidate(
            inspector_id=p.id, name=p.name,
            home_unit=(unit_names.get(p.home_unit_id) if p.home_unit_id else None) or p.home_unit_name or "",
            post=p.post or "", expertise=list(p.expertise or []),
            expertise_labels=[names.get(c, c) for c in p.expertise or []], in_leader_pool=p.in_leader_pool,
            recent_count=counts.get(p.id, 0), last_date=last.get(p.id),
            matched=[c for c in needed if c in (p.expertise or [])], conflicts=conflicts.get(p.id, []),
            busy=busy.get(p.id, []),
        )
        for p in people
    ]

    def load(c: Candidate) -> tuple[int, int, str]:
        return (c.recent_count, -len(c.matched), c.name)

    free = sorted((c for c in candidates if c.eligible), key=load)
    slots = max(0, size - len(team))
    covered = {code for m in team for code in m.expertise}
    if slots and not any(m.role == TeamRole.LEADER for m in team):
        leader = next((c for c in free if c.in_leader_pool), None)
        if leader is not None:
            leader.proposed_role = TeamRole.LEADER
            covered |= set(leader.expertise)
            slots -= 1
    for code in needed:
        if not slots or code in covered:
            continue
        pick = next((c for c in free if c.proposed_role is None and code in c.expertise), None)
        if pick is not None:
            pick.proposed_role = TeamRole.MEMBER
            covered |= set(pick.expertise)
            slots -= 1
    for c in free:
        if not slots:
            break
        if c.proposed_role is None:
            c.proposed_role = TeamRole.MEMBER
            slots -= 1
    uncovered = [names[c] for c in needed if c not in covered]
    rank: dict[str, int] = {TeamRole.LEADER: 0, TeamRole.MEMBER: 1}
    candidates.sort(key=lambda c: (rank.get(c.proposed_role, 2) if c.proposed_role else (2 if c.eligible else 3),
                                   *load(c)))
    return TeamProposal(key, needed, candidates, team, uncovered, names)


# --- writing the team ------------------------------------------------------------------------------
def add_members(ctx: ServiceContext, inspection_id: uuid.UUID | str,
                picks: Sequence[tuple[uuid.UUID | str, str]]) -> list[uuid.UUID]:
    """Put people on the team, all or none; a 回避 conflict refuses the whole change."""
    ctx.require_admin("组建巡察组")
    if not picks:
        raise ValidationError("请先选择要加入巡察组的人员。")
    key = as_uuid(inspection_id)
    service = TeamService(ctx)
    created = []
    with ctx.write() as session:
        inspection = require_exists(session, Inspection, key, "巡察", "inspection_id")
        if inspection.stage == Stage.CLOSED:
            raise StateError("该巡察已结束，不能再调整巡察组。")
        ids = [as_uuid(i) for i, _role in picks]
        conflicts = recusal_conflicts(session, ids, _target_units(session, key))
        for (_inspector_id, role), person_id in zip(picks, ids, strict=True):
            reasons = conflicts.get(person_id) or []
            if reasons:
                person = session.get(Inspector, person_id)
                raise ValidationError(f"{person.name if person else '该人员'}应当回避：{'；'.join(reasons)}。", "inspector_id")
            created.append(service.create_in(session, inspection_id=key, inspector_id=person_id, role=role).id)
    return created


def remove_member(ctx: ServiceContext, assignment_id: uuid.UUID | str) -> None:
    ctx.require_admin("调整巡察组")
    with ctx.db.read() as session:
        assignment = require_exists(session, TeamAssignment, assignment_id, "巡察组成员", "assignment_id")
        document = (session.get(IssuedDocument, assignment.authorisation_document_id)
                    if assignment.authorisation_document_id is not None else None)
        if document is not None and document.deleted_at is None and document.voided_at is None:
            raise StateError("该组长已出具授权书，不能直接移出；如需更换组长，请先在公文登记簿中作废授权书。")
    TeamService(ctx).delete(assignment_id)


# --- 一次一授权 ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Authorisation:
    document_id: uuid.UUID
    number_text: str
    leader: str
    pdf: bytes | None


def authorise_leader(ctx: ServiceContext, inspection_id: uuid.UUID | str, *, on: dt.date | None = None,
                     with_pdf: bool = True, fonts: FontSet | None = None) -> Authorisation:
    """Issue the leader's 授权书 for this inspection with its 文号 and keep it on the assignment.

    One authorisation per leader per inspection (一次一授权): a second request is refused rather than
    taking a second number (until the first is voided in the register). The document is the
    "authorization" kind of app.services.issuing — masthead and 文号 from the organization profile —
    issued in one transaction with its PDF, so a failure leaves neither.
    """
    from app.services import issuing

    ctx.require_admin("出具组长授权书")
    result = issuing.issue_document(ctx, AUTHORIZATION_KIND, inspection_id, issuing.DocumentOptions(date=on),
                                    fonts=fonts, today=on, watermark="")
    with ctx.db.read() as session:
        leader = session.scalar(
            select(Inspector.name).join(TeamAssignment, TeamAssignment.inspector_id == Inspector.id)
            .where(TeamAssignment.authorisation_document_id == result.document_id))
    assert result.document_id is not None  # a 授权书 is a numbered kind: issuing records it
    return Authorisation(result.document_id, result.number_text or "", leader or "", result.pdf_bytes if with_pdf else None)


# --- the pool itself -------------------------------------------------------------------------------
@dataclass
class PoolEntry:
    inspector: Inspector
    home_unit: str
    expertise_labels: list[str]
    relations: int
    inspections: int
    last_date: dt.date | None


@dataclass
class PastAssignment:
    inspection_id: uuid.UUID
    name: str
    role: str
    start_date: dt.date | None
    stage: str
    authorisation_number: str | None

    @property
    def role_label(self) -> str:
        return TeamRole.label_of(self.role)


@dataclass
class InspectorFile:
    """One person of the pool: their ties (for 回避) and every inspection they took part in."""

    inspector: Inspector
    relations: list[tuple[InspectorRelation, str]]  # with the unit's name
    history: list[PastAssignment]


def pool(ctx: ServiceContext, *, leaders_only: bool = False, include_inactive: bool = False,
         on: dt.date | None = None) -> list[PoolEntry]:
    """The 巡察人才库 (or the 组长库), with each person's record of inspections (planned ones included in the
    count; the last date is the latest that has begun by `on`)."""
    on = on or dt.date.today()
    with ctx.db.read() as session:
        stmt = select(Inspector).where(Inspector.deleted_at.is_(None)).order_by(Inspector.name)
        if leaders_only:
            stmt = stmt.where(Inspector.in_leader_pool.is_(True))
        if not include_inactive:
            stmt = stmt.where(Inspector.active.is_(True))
        people = list(session.scalars(stmt))
        names = _expertise_names(session)
        units = {u.id: u.name for u in session.scalars(select(Unit))}
        relations: dict[uuid.UUID, int] = defaultdict(int)
        for inspector_id in session.scalars(select(InspectorRelation.inspector_id).where(
                InspectorRelation.deleted_at.is_(None))):
            relations[inspector_id] += 1
        counts: dict[uuid.UUID, int] = defaultdict(int)
        last: dict[uuid.UUID, dt.date] = {}
        for inspector_id, start in session.execute(
            select(TeamAssignment.inspector_id, Inspection.start_date)
            .join(Inspection, Inspection.id == TeamAssignment.inspection_id)
            .where(TeamAssignment.deleted_at.is_(None), Inspection.deleted_at.is_(None))
        ):
            counts[inspector_id] += 1
            if start is not None and start <= on and (inspector_id not in last or start > last[inspector_id]):
                last[inspector_id] = start
    return [
        PoolEntry(p, (units.get(p.home_unit_id) if p.home_unit_id else None) or p.home_unit_name or "",
                  [names.get(c, c) for c in p.expertise or []], relations.get(p.id, 0), counts.get(p.id, 0),
                  last.get(p.id))
        for p in people
    ]


def inspector_file(ctx: ServiceContext, inspector_id: uuid.UUID | str) -> InspectorFile:
    key = as_uuid(inspector_id)
    with ctx.db.read() as session:
        person = require_exists(session, Inspector, key, "巡察干部", "inspector_id")
        units = {u.id: u.name for u in session.scalars(select(Unit))}
        relations = [(r, units.get(r.unit_id, "") if r.unit_id else "") for r in session.scalars(
            select(InspectorRelation).where(InspectorRelation.inspector_id == key, InspectorRelation.deleted_at.is_(None))
            .order_by(InspectorRelation.created_at))]
        history = [
            PastAssignment(i.id, i.name, a.role, i.start_date, i.stage, number)
            for a, i, number in session.execute(
                select(TeamAssignment, Inspection, IssuedDocument.number_text)
                .join(Inspection, Inspection.id == TeamAssignment.inspection_id)
                .outerjoin(IssuedDocument, IssuedDocument.id == TeamAssignment.authorisation_document_id)
                .where(TeamAssignment.inspector_id == key, TeamAssignment.deleted_at.is_(None),
                       Inspection.deleted_at.is_(None))
                .order_by(Inspection.start_date.desc().nulls_first(), Inspection.name))
        ]
    return InspectorFile(person, relations, history)
