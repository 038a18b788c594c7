"""Every rule a user can break gets a clear Chinese message, and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest

from app.models import Finding, Interview
from app.services.checklists import ChecklistService
from app.services.clues import ClueOutcomeService, ClueService
from app.services.errors import NotFoundError, StateError, ValidationError
from app.services.fieldwork import DocumentReviewService, PetitionService, VisitService
from app.services.findings import FindingService
from app.services.inspections import InspectionService, TeamService
from app.services.rectifications import RectificationService
from app.services.units import UnitService

NOW = dt.datetime(2026, 10, 9, 9, 0, tzinfo=dt.UTC)


def _count(ctx, model) -> int:
    with ctx.db.read() as session:
        return session.query(model).count()


def test_interview_needs_two_interviewers(world):
    with pytest.raises(ValidationError, match="至少两名") as err:
        world.interview(interviewer_ids=[world.leader.id])
    assert err.value.field == "interviewer_ids"
    with pytest.raises(ValidationError, match="重复"):
        world.interview(interviewer_ids=[world.leader.id, world.leader.id])
    assert _count(world.ctx, Interview) == 0


def test_interview_cannot_end_before_it_starts(world):
    with pytest.raises(ValidationError, match="结束时间不能早于开始时间"):
        world.interview(end_at=NOW - dt.timedelta(minutes=5), start_at=NOW)


def test_interview_in_the_future_is_refused(world):
    future = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    with pytest.raises(ValidationError, match="不能晚于当前时间"):
        world.interview(start_at=future, end_at=future + dt.timedelta(hours=1))


def test_interview_topics_and_category_must_be_known(world):
    with pytest.raises(ValidationError, match="六必问"):
        world.interview(topics_asked=["duty", "gossip"])
    with pytest.raises(ValidationError, match="四必谈"):
        world.interview(talk_category="friends")


def test_interview_takes_name_and_post_from_the_directory(world):
    interview = world.interview()
    assert interview.interviewee_name == "张建国"
    assert interview.interviewee_post == "党组书记、局长"
    assert interview.unit_id == world.unit.id
    assert interview.interviewer_ids == [str(world.leader.id), str(world.member_a.id)]


def test_typed_in_interviewee_needs_a_name(world):
    with pytest.raises(ValidationError, match="谈话对象姓名"):
        world.interview(interviewee_person_id=None, interviewee_name="   ")


def test_finding_needs_facts(world):
    with pytest.raises(ValidationError, match="问题现象"):
        world.finding(facts="")
    with pytest.raises(ValidationError, match="问题现象"):
        world.finding(facts="  \n ")
    assert _count(world.ctx, Finding) == 0


def test_finding_codes_must_exist(world):
    with pytest.raises(ValidationError, match="问题类别"):
        world.finding(category_code="no_such_category")
    with pytest.raises(ValidationError, match="四种形态"):
        world.finding(four_form="form9")


def test_huge_fields_are_refused_with_their_size(world):
    with pytest.raises(ValidationError, match="问题标题」不能超过 200 个字"):
        world.finding(title="超" * 201)
    with pytest.raises(ValidationError, match="不能超过 500000 个字"):
        world.finding(facts="长" * 500_001)


def test_findings_are_numbered_per_inspection(world):
    numbers = [world.finding(title=f"问题{i}").number for i in range(3)]
    assert numbers == [1, 2, 3]


def test_finding_source_must_belong_to_the_inspection(world, ctx):
    other = InspectionService(ctx).create(name="另一次巡察", kind="special", stage="plan")
    interview = world.interview()
    with pytest.raises(ValidationError, match="不属于本次巡察"):
        world.finding(inspection_id=other.id, source_kind="interview", source_id=interview.id)


def test_rectification_deadline_in_the_past_is_refused(world, ctx):
    finding = world.finding()
    with pytest.raises(ValidationError, match="整改时限」不能早于今天"):
        RectificationService(ctx).create(finding_id=finding.id, measures="建立公车使用登记制度",
                                         responsible_person="张建国", deadline=dt.date.today() - dt.timedelta(days=1))


def test_rectification_close_out_needs_evidence_first(world, ctx):
    service = RectificationService(ctx)
    item = service.create(finding_id=world.finding().id, measures="清退违规款项", responsible_person="张建国",
                          deadline=dt.date.today() + dt.timedelta(days=30))
    with pytest.raises(StateError, match="佐证材料"):
        service.close_out(item.id)
    with pytest.raises(ValidationError, match="佐证材料"):
        service.complete(item.id, evidence=" ")
    service.complete(item.id, evidence="退款凭证3份")
    closed = service.close_out(item.id)
    assert closed.status == "closed"
    assert FindingService(ctx).get(item.finding_id).status == "rectified"


def test_petition_named_or_anonymous(world, ctx):
    service = PetitionService(ctx)
    base = dict(inspection_id=world.inspection.id, received_at=NOW, channel="letter", content="反映某科长收受礼金")
    with pytest.raises(ValidationError, match="举报人姓名"):
        service.create(**base, anonymous=False)
    with pytest.raises(ValidationError, match="匿名举报不应登记"):
        service.create(**base, anonymous=True, reporter_name="张三")
    assert service.create(**base, anonymous=True).reporter_name is None
    with pytest.raises(ValidationError, match="来源渠道"):
        service.create(**{**base, "channel": "pigeon"}, anonymous=True)


def test_document_review_and_visit_need_their_essentials(world, ctx):
    with pytest.raises(ValidationError, match="资料名称"):
        DocumentReviewService(ctx).create(inspection_id=world.inspection.id, title="", reviewed_at=NOW)
    with pytest.raises(ValidationError, match="走访情况"):
        VisitService(ctx).create(inspection_id=world.inspection.id, visited_at=NOW, place="城东社区", content="")


def test_inspection_dates_and_follow_up(ctx):
    service = InspectionService(ctx)
    with pytest.raises(ValidationError, match="结束日期」不能早于「进驻日期"):
        service.create(name="巡察", kind="regular", stage="plan", start_date=dt.date(2026, 5, 1),
                       end_date=dt.date(2026, 4, 1))
    with pytest.raises(ValidationError, match="回头看须选择"):
        service.create(name="回头看", kind="follow_up", stage="plan")


def test_team_has_one_leader_and_no_duplicates(world, ctx):
    team = TeamService(ctx)
    with pytest.raises(ValidationError, match="只能有一名组长"):
        team.create(inspection_id=world.inspection.id, inspector_id=world.member_b.id, role="leader")
    with pytest.raises(ValidationError, match="已在本巡察组中"):
        team.create(inspection_id=world.inspection.id, inspector_id=world.member_a.id, role="deputy")


def test_duplicate_unit_names_and_loops(ctx, world):
    units = UnitService(ctx)
    with pytest.raises(ValidationError, match="已存在"):
        units.create(name="市财政局", kind="gov_dept")
    child = units.create(name="市财政局国库支付中心", kind="public_institution", parent_id=world.unit.id)
    with pytest.raises(ValidationError, match="上级单位不能是本单位或其下级单位"):
        units.update(world.unit.id, parent_id=child.id)
    with pytest.raises(ValidationError, match="还有下级单位"):
        units.delete(world.unit.id)


def test_checklist_not_applicable_needs_a_reason(world, ctx):
    service = ChecklistService(ctx)
    item = service.for_inspection(world.inspection.id, "must_check")[0]
    with pytest.raises(ValidationError, match="不适用"):
        service.mark(item.id, "not_applicable")
    marked = service.mark(item.id, "not_applicable", notes="该单位无下属单位")
    assert marked.status == "not_applicable" and marked.done_at is not None


def test_clue_handed_over_needs_recipient_and_outcome_needs_form(world, ctx):
    clues = ClueService(ctx)
    with pytest.raises(ValidationError, match="移交对象"):
        clues.create(inspection_id=world.inspection.id, subject_name="王志强", summary="涉嫌挪用公款",
                     status="handed_over")
    clue = clues.create(inspection_id=world.inspection.id, subject_name="王志强", summary="涉嫌挪用公款",
                        status="handed_over", handed_to="市纪委监委", handed_over_on=dt.date(2026, 11, 1))
    with pytest.raises(ValidationError, match="四种形态"):
        ClueOutcomeService(ctx).create(clue_id=clue.id, kind="disciplined", people_count=1)


def test_soft_delete_keeps_the_row_and_can_be_undone(world, ctx):
    service = FindingService(ctx)
    finding = world.finding()
    service.delete(finding.id)
    with pytest.raises(NotFoundError):
        service.get(finding.id)
    assert service.get(finding.id, include_deleted=True).deleted_at is not None
    assert service.restore(finding.id).deleted_at is None
    assert service.count() == 1
