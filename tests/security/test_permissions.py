"""Every role's forbidden operations, walked through the service layer: who may write what, on which
inspection, and what each may read. Each refusal leaves the database unchanged.

The people (all with accounts of their own):
- 管理员 (the office): not on any team;
- 组长, 副组长, 组员 of the inspection's team, the 组员 acting on a record someone else made or on one
  of their own;
- an outsider: a 组长 of another inspection's team.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from actors import as_inspector, team_actor, through_review
from conftest import World
from sqlalchemy import func, select

from app.models import ChangeEvent
from app.models.enums import TeamRole
from app.services import register, search, statistics
from app.services.accounts import AccountService
from app.services.checklists import ChecklistService
from app.services.clues import ClueOutcomeService, ClueService
from app.services.context import Actor, ServiceContext
from app.services.documents import IssuedDocumentService
from app.services.errors import NotFoundError, PermissionDeniedError
from app.services.fieldwork import DocumentReviewService, InterviewService, PetitionService, VisitService
from app.services.findings import FindingService
from app.services.inspections import InspectionService, InspectionUnitService, RoundService, TeamService
from app.services.inspectors import InspectorService
from app.services.rectifications import RectificationService
from app.services.reference import ReferenceItemService
from app.services.units import UnitPersonService, UnitService

ADMIN, LEADER, DEPUTY, MEMBER, OWNER, OUTSIDER = "admin", "leader", "deputy", "member", "owner", "outsider"
PEOPLE = (ADMIN, LEADER, DEPUTY, MEMBER, OWNER, OUTSIDER)
TODAY = dt.date.today()
WHEN = dt.datetime(2026, 10, 9, 9, 0, tzinfo=dt.UTC)


class Team:
    """The world inspection, its team, another inspection with its own leader, and a context for each."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.world = World(ctx)
        w = self.world
        self.ctx = ctx
        self.admin = ServiceContext(ctx.db, Actor(uuid.uuid4(), "办公室王", "admin", None, "wang"))
        self.leader = as_inspector(ctx, w.leader.id, TeamRole.LEADER, "赵立新")
        self.deputy = team_actor(ctx, w.inspection.id, TeamRole.DEPUTY)
        self.member = as_inspector(ctx, w.member_a.id, TeamRole.MEMBER, "钱文静")
        other = InspectionService(ctx).create(name="巡察市审计局", kind="regular", stage="fieldwork")
        self.other = other
        stranger = InspectorService(ctx).create(name="周海峰")
        TeamService(ctx).create(inspection_id=other.id, inspector_id=stranger.id, role="leader")
        self.outsider = as_inspector(ctx, stranger.id, TeamRole.LEADER, "周海峰")

    def as_(self, who: str) -> ServiceContext:
        return {ADMIN: self.admin, LEADER: self.leader, DEPUTY: self.deputy, MEMBER: self.member,
                OWNER: self.member, OUTSIDER: self.outsider}[who]


@pytest.fixture
def team(ctx):
    return Team(ctx)


def events(team: Team) -> int:
    with team.ctx.db.read() as session:
        return int(session.scalar(select(func.count()).select_from(ChangeEvent)))


# Refused: not allowed, or (for a record of an inspection one may not read) not even found.
REFUSED = (PermissionDeniedError, NotFoundError)


def check(team: Team, allowed: set[str], attempt: Callable[[str, ServiceContext], Any]) -> None:
    """Each person tries; those not allowed are refused with nothing written, the others succeed."""
    for who in PEOPLE:
        before = events(team)
        if who in allowed:
            attempt(who, team.as_(who))
        else:
            with pytest.raises(REFUSED):
                attempt(who, team.as_(who))
            assert events(team) == before, f"{who}: a refused write changed the database"


# --- the office's tables: only the administrator -----------------------------------------------------
def test_the_directory_accounts_and_teams_are_the_offices(team):
    w = team.world
    n = iter(range(1000))
    check(team, {ADMIN}, lambda who, c: UnitService(c).create(name=f"新单位{next(n)}", kind="gov_dept"))
    check(team, {ADMIN}, lambda who, c: UnitService(c).update(w.unit.id, address=f"地址{next(n)}"))
    check(team, {ADMIN}, lambda who, c: UnitPersonService(c).create(unit_id=w.unit.id, name=f"新人{next(n)}"))
    check(team, {ADMIN}, lambda who, c: InspectorService(c).create(name=f"新干部{next(n)}"))
    check(team, {ADMIN}, lambda who, c: RoundService(c).create(name=f"第{next(n)}轮", year=2026))
    check(team, {ADMIN}, lambda who, c: ReferenceItemService(c).create(kind="problem_category", code=f"own_{next(n)}",
                                                                       name="自定义类别"))
    check(team, {ADMIN}, lambda who, c: InspectionService(c).create(name=f"新巡察{next(n)}", kind="regular", stage="plan"))
    check(team, {ADMIN}, lambda who, c: InspectionService(c).update(w.inspection.id, notes=f"备注{next(n)}"))
    units = iter([UnitService(team.ctx).create(name=f"备用单位{i}", kind="gov_dept") for i in range(len(PEOPLE))])
    check(team, {ADMIN}, lambda who, c: InspectionUnitService(c).create(inspection_id=w.inspection.id, unit_id=next(units).id))
    # A member cannot put themselves (or anyone) on a team, nor change a post.
    extra = iter([InspectorService(team.ctx).create(name=f"候选{i}") for i in range(len(PEOPLE))])
    check(team, {ADMIN}, lambda who, c: TeamService(c).create(inspection_id=w.inspection.id, inspector_id=next(extra).id,
                                                              role="member"))
    assignment = TeamService(team.ctx).list(inspection_id=w.inspection.id, inspector_id=w.member_b.id)[0]
    posts = iter(["liaison", "member"] * 10)
    check(team, {ADMIN}, lambda who, c: TeamService(c).update(assignment.id, role=next(posts)))


def test_accounts_are_the_administrators(team):
    target = AccountService(team.ctx).create_account(username="sun", display_name="孙浩然", role="member",
                                                     password="孙的口令-2026-丙")
    n = iter(range(100))
    check(team, {ADMIN}, lambda who, c: AccountService(c).create_account(
        username=f"new{next(n)}", display_name="新人", role="member", password="新人的口令-2026-丁"))
    # Nobody but the administrator makes anyone an administrator (themselves included).
    check(team, {ADMIN}, lambda who, c: AccountService(c).set_role(target.id, "leader" if next(n) % 2 else "member"))
    check(team, {ADMIN}, lambda who, c: AccountService(c).reset_password(target.id, f"重设的口令-2026-{next(n)}"))


# --- a team's records -------------------------------------------------------------------------------
FIELDWORK = {
    "interviews": (InterviewService, lambda w, i: dict(
        inspection_id=w.inspection.id, kind="individual", start_at=WHEN + dt.timedelta(hours=i),
        interviewer_ids=[w.leader.id, w.member_b.id], interviewee_name=f"谈话对象{i}")),
    "petitions": (PetitionService, lambda w, i: dict(
        inspection_id=w.inspection.id, received_at=WHEN, channel="letter", content=f"反映问题{i}", anonymous=True)),
    "document_reviews": (DocumentReviewService, lambda w, i: dict(
        inspection_id=w.inspection.id, title=f"党组会议记录{i}", reviewed_at=WHEN)),
    "visits": (VisitService, lambda w, i: dict(inspection_id=w.inspection.id, visited_at=WHEN, place=f"走访点{i}",
                                               content="走访情况")),
    "findings": (FindingService, lambda w, i: dict(inspection_id=w.inspection.id, title=f"问题{i}", facts="事实")),
    "clues": (ClueService, lambda w, i: dict(inspection_id=w.inspection.id, subject_name=f"被反映人{i}", summary="摘要")),
}
NOTES = {"interviews": "summary", "petitions": "handling", "document_reviews": "notes", "visits": "people_met",
         "findings": "characterisation", "clues": "subject_post"}


@pytest.mark.parametrize("table", sorted(FIELDWORK))
def test_the_teams_records(team, table):
    service, values = FIELDWORK[table]
    n = iter(range(1, 1000))
    # Anyone on the team may record; the office too; someone of another team may not.
    check(team, {ADMIN, LEADER, DEPUTY, MEMBER, OWNER}, lambda who, c: service(c).create(**values(team.world, next(n))))
    # A record the office made: the team's leaders may change it, a member may not unless it is theirs.
    made = service(team.ctx).create(**values(team.world, 0))
    check(team, {ADMIN, LEADER, DEPUTY}, lambda who, c: service(c).update(made.id, **{NOTES[table]: f"改{next(n)}"}))
    # The member's own record.
    own = service(team.member).create(**values(team.world, 999))
    check(team, {ADMIN, LEADER, DEPUTY, MEMBER, OWNER},
          lambda who, c: service(c).update(own.id, **{NOTES[table]: f"本人改{next(n)}"}))
    spare = iter([service(team.ctx).create(**values(team.world, 500 + i)) for i in range(6)])
    check(team, {ADMIN, LEADER, DEPUTY}, lambda who, c: service(c).delete(next(spare).id))


def test_a_member_may_change_what_is_assigned_to_them(team):
    w = team.world
    finding = FindingService(team.ctx).create(inspection_id=w.inspection.id, title="指派的问题", facts="事实")
    with pytest.raises(PermissionDeniedError, match="自己录入或分配给自己"):
        FindingService(team.member).update(finding.id, title="组员改")
    FindingService(team.leader).update(finding.id, assignee_id=w.member_a.id)
    FindingService(team.member).update(finding.id, title="组员改")
    # Reassigning it away from themselves is theirs to do; taking someone else's is not.
    other = FindingService(team.ctx).create(inspection_id=w.inspection.id, title="别人的问题", facts="事实",
                                            assignee_id=w.member_b.id)
    with pytest.raises(PermissionDeniedError):
        FindingService(team.member).update(other.id, assignee_id=w.member_a.id)


def test_review_state_and_numbers_are_never_set_directly(team):
    finding = team.world.finding()
    for who in PEOPLE:
        # Even those who may edit the finding cannot sign it off or renumber it by an edit.
        may_edit = who in (ADMIN, LEADER, DEPUTY)
        with pytest.raises(REFUSED, match="审核状态" if may_edit else None):
            FindingService(team.as_(who)).update(finding.id, review_state="approved")
        with pytest.raises(REFUSED, match="问题编号" if may_edit else None):
            FindingService(team.as_(who)).update(finding.id, number=99)
    with pytest.raises(PermissionDeniedError):
        FindingService(team.ctx).create(inspection_id=team.world.inspection.id, title="t", facts="f",
                                        review_state="approved")


def test_the_three_reviews_are_three_people_at_their_posts(team):
    w = team.world
    finding = FindingService(team.member).create(inspection_id=w.inspection.id, title="节假日公车私用", facts="事实",
                                                 characterisation="定性", responsibility="责任")
    # Only whose paper it is (or the team's leaders) hands it in; the office does not.
    for who in (ADMIN, OUTSIDER):
        with pytest.raises(REFUSED):
            FindingService(team.as_(who)).submit(finding.id)
    FindingService(team.member).submit(finding.id)
    assert FindingService(team.ctx).get(finding.id).handler_id == w.member_a.id  # the submitter is 承办人
    # The 副组长's step: not the leader, not the office, not the member who submitted.
    for who in (ADMIN, LEADER, MEMBER, OUTSIDER):
        with pytest.raises(REFUSED):
            FindingService(team.as_(who)).approve(finding.id)
    FindingService(team.deputy).approve(finding.id)
    # The 组长's step: only the team's 组长.
    for who in (ADMIN, DEPUTY, MEMBER, OUTSIDER):
        with pytest.raises(REFUSED):
            FindingService(team.as_(who)).approve(finding.id)
    approved = FindingService(team.leader).approve(finding.id)
    assert approved.review_state == "approved"
    names = [r.actor_name for r in FindingService(team.ctx).review_history(finding.id)]
    assert len(set(names)) == 3


def test_a_deputy_who_submitted_cannot_review_it(team):
    finding = FindingService(team.deputy).create(inspection_id=team.world.inspection.id, title="副组长的底稿",
                                                 facts="事实", characterisation="定性", responsibility="责任")
    FindingService(team.deputy).submit(finding.id)
    with pytest.raises(PermissionDeniedError, match="三审须由三个不同的人"):
        FindingService(team.deputy).approve(finding.id)
    assert FindingService(team.deputy).review_steps(finding.id)["approve"] is not None


def test_documents_rectifications_and_clue_outcomes(team):
    w = team.world
    n = iter(range(1000))
    check(team, {ADMIN, LEADER, DEPUTY},
          lambda who, c: IssuedDocumentService(c).issue(kind="feedback", title=f"反馈意见{next(n)}", inspection_id=w.inspection.id))
    # A document of no inspection is the office's alone.
    check(team, {ADMIN}, lambda who, c: IssuedDocumentService(c).issue(kind="feedback", title=f"通报{next(n)}"))
    finding = through_review(team.ctx, w.finding(characterisation="定性", responsibility="责任").id)
    check(team, {ADMIN, LEADER, DEPUTY}, lambda who, c: RectificationService(c).create(
        finding_id=finding.id, measures=f"整改措施{next(n)}", responsible_person="张建国",
        deadline=TODAY + dt.timedelta(days=30)))
    items = iter([RectificationService(team.ctx).create(finding_id=finding.id, measures=f"措施{i}",
                                                        responsible_person="张建国",
                                                        deadline=TODAY + dt.timedelta(days=30)) for i in range(6)])
    check(team, {ADMIN, LEADER, DEPUTY}, lambda who, c: RectificationService(c).complete(next(items).id, "佐证材料"))
    clue = ClueService(team.ctx).create(inspection_id=w.inspection.id, subject_name="王志强", summary="收受礼金",
                                        status="handed_over", handed_to="市纪委监委", handed_over_on=TODAY)
    check(team, {ADMIN, LEADER}, lambda who, c: ClueOutcomeService(c).create(clue_id=clue.id, kind="initial_check"))


def test_checklists_are_the_whole_teams(team):
    item = ChecklistService(team.ctx).for_inspection(team.world.inspection.id)[0]
    states = iter(["done", "open"] * 10)
    check(team, {ADMIN, LEADER, DEPUTY, MEMBER, OWNER}, lambda who, c: ChecklistService(c).mark(item.id, next(states)))


# --- reads ----------------------------------------------------------------------------------------------
def test_a_member_reads_only_their_teams_inspections(team):
    w = team.world
    secret = InterviewService(team.ctx).create(
        inspection_id=team.other.id, kind="individual", start_at=WHEN, interviewer_ids=[w.leader.id, w.member_b.id],
        interviewee_name="另一巡察的谈话对象", transcript="另一巡察的谈话笔录：绝密内容")
    mine = w.finding(title="本组的问题：公车私用")
    member, outsider = team.member, team.outsider
    assert [i.id for i in InspectionService(member).list()] == [w.inspection.id]
    assert {i.id for i in InspectionService(team.admin).list()} >= {w.inspection.id, team.other.id}
    assert InterviewService(member).list(inspection_id=team.other.id) == []
    with pytest.raises(Exception, match="找不到"):
        InterviewService(member).get(secret.id)
    assert [h.entity_id for h in search.search(member, "绝密内容")] == []
    assert [h.entity_id for h in search.search(outsider, "绝密内容")] == [secret.id]
    assert register.matching_ids(outsider, register.RegisterFilter()) == []
    assert len(register.matching_ids(member, register.RegisterFilter())) == 1
    assert register.rows(outsider, [mine.id]) == []
    assert statistics.compute(outsider).findings == 0 and statistics.compute(member).findings == 1
