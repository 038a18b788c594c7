"""People acting in tests: team members, deputies and leaders of an inspection, each a distinct account.

Services decide permissions by the acting account's role and its post on the inspection's team, and the
三审 needs three different people. These helpers put inspectors on a team (as the office would) and
return a ServiceContext acting as each of them.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from app.models import Inspector, TeamAssignment
from app.models.enums import TeamRole, UserRole
from app.services.context import Actor, ServiceContext
from app.services.findings import FindingService

_NAMES = {TeamRole.LEADER: "组长甲", TeamRole.DEPUTY: "副组长乙", TeamRole.MEMBER: "组员丙"}
_ROLE = {TeamRole.LEADER: UserRole.LEADER, TeamRole.DEPUTY: UserRole.DEPUTY, TeamRole.MEMBER: UserRole.MEMBER,
         TeamRole.LIAISON: UserRole.MEMBER}


def as_inspector(ctx: ServiceContext, inspector_id: uuid.UUID, post: str, name: str = "") -> ServiceContext:
    """A context acting as the (made-up) account of an inspector, with the role of their post."""
    user_id = uuid.uuid5(uuid.NAMESPACE_URL, f"xuncha-test-account/{inspector_id}")
    return ServiceContext(ctx.db, Actor(user_id=user_id, name=name or _NAMES.get(post, "组员"), role=_ROLE[post],
                                        inspector_id=inspector_id, username=f"u{str(inspector_id)[:8]}"))


def team_actor(ctx: ServiceContext, inspection_id: uuid.UUID, post: str) -> ServiceContext:
    """Someone holding `post` on the inspection's team: the first such member, or a new inspector put
    on the team by the office (ctx must be able to form teams)."""
    from app.services.inspections import TeamService
    from app.services.inspectors import InspectorService

    with ctx.db.read() as session:
        row = session.execute(
            select(TeamAssignment.inspector_id, Inspector.name).join(Inspector, Inspector.id == TeamAssignment.inspector_id)
            .where(TeamAssignment.inspection_id == inspection_id, TeamAssignment.role == post,
                   TeamAssignment.deleted_at.is_(None)).order_by(TeamAssignment.created_at).limit(1)
        ).first()
    if row is None:
        inspector = InspectorService(ctx).create(name=_NAMES.get(post, "组员") + str(inspection_id)[:4])
        TeamService(ctx).create(inspection_id=inspection_id, inspector_id=inspector.id, role=post)
        return as_inspector(ctx, inspector.id, post, inspector.name)
    return as_inspector(ctx, row[0], post, row[1])


def through_review(ctx: ServiceContext, finding_id: uuid.UUID, *, until: str = "approved"):
    """Take a finding through the 三审 as the team would: a member submits (the finding assigned to
    them first if it is not theirs), the deputy reviews, the leader signs. Returns the finding."""
    finding = FindingService(ctx).get(finding_id)
    member = team_actor(ctx, finding.inspection_id, TeamRole.MEMBER)
    if not FindingService(member).is_own(finding):
        FindingService(ctx).update(finding_id, assignee_id=member.actor.inspector_id)
    FindingService(member).submit(finding_id)
    if until == "submitted":
        return FindingService(ctx).get(finding_id)
    FindingService(team_actor(ctx, finding.inspection_id, TeamRole.DEPUTY)).approve(finding_id)
    if until == "deputy_approved":
        return FindingService(ctx).get(finding_id)
    return FindingService(team_actor(ctx, finding.inspection_id, TeamRole.LEADER)).approve(finding_id)
