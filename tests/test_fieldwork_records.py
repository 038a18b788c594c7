"""The team's collective records (听取汇报, 分类座谈, 民主测评/问卷, 见面会/反馈会) and the smaller
fieldwork rules: each refused input ends in a Chinese message and writes nothing."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from app.models import GroupTalk, Survey
from app.services import search
from app.services.context import Actor
from app.services.errors import PermissionDeniedError, ValidationError
from app.services.fieldwork import (
    BriefingService,
    GroupTalkService,
    InterviewService,
    MeetingService,
    SurveyService,
)
from app.services.findings import FindingService
from app.services.meetings import favourable_rate
from app.sync.scope import scoped_row_keys

WHEN = dt.datetime(2026, 9, 2, 9, 0, tzinfo=dt.UTC)


def _group_talk(world, **overrides):
    values = dict(inspection_id=world.inspection.id, unit_id=world.unit.id, held_at=WHEN, place="三楼会议室",
                  category="middle_cadres", host_ids=[world.leader.id, world.member_a.id], invited_count=12,
                  attendees=["周敏（办公室主任）", "吴刚（预算科科长）", " ", "周敏（办公室主任）"],
                  notes="与会中层干部反映，部分专项资金拨付滞后。")
    values.update(overrides)
    return GroupTalkService(world.ctx).create(**values)


def _survey(world, **overrides):
    values = dict(inspection_id=world.inspection.id, unit_id=world.unit.id, kind="democratic_evaluation",
                  title="领导班子和领导干部民主测评", subject="市财政局领导班子", held_at=WHEN,
                  distributed=60, returned=58, valid=56,
                  results=[{"item": "领导班子总体评价", "counts": [30, 20, 5, 1]}])
    values.update(overrides)
    return SurveyService(world.ctx).create(**values)


def test_a_group_talk_keeps_its_attendance_and_refuses_more_present_than_invited(world):
    talk = _group_talk(world)
    # Blank lines and the same person typed twice are one attendee.
    assert talk.attendees == ["周敏（办公室主任）", "吴刚（预算科科长）"]
    with pytest.raises(ValidationError, match="多于应到人数") as caught:
        _group_talk(world, invited_count=1)
    assert caught.value.field == "invited_count"
    with pytest.raises(ValidationError, match="到会人员"):
        _group_talk(world, attendees=["  "])
    with pytest.raises(ValidationError, match="主持座谈"):
        _group_talk(world, host_ids=[])
    assert GroupTalkService(world.ctx).count(inspection_id=world.inspection.id) == 1


def test_a_survey_checks_its_ballots_and_gives_the_favourable_rate(world):
    survey = _survey(world)
    assert survey.scale == ["好", "较好", "一般", "差"]  # the 民主测评 grades by default
    assert favourable_rate(survey.results[0]["counts"], survey.valid) == pytest.approx(50 / 56)
    questionnaire = _survey(world, kind="questionnaire", title="作风建设问卷", held_at=WHEN + dt.timedelta(days=1),
                            results=[{"item": "服务态度", "counts": [40, 10, 4, 2]}])
    assert questionnaire.scale[0] == "满意"
    for bad, message in (
        (dict(returned=61), "多于发放"),
        (dict(valid=59), "多于收回"),
        (dict(results=[{"item": "领导班子总体评价", "counts": [50, 20, 5, 1]}]), "多于有效份数"),
        (dict(results=[{"item": "总体评价", "counts": [1, 2]}]), "4 个等次"),
        (dict(results=[{"item": "", "counts": [1, 2, 3, 4]}]), "缺少项目名称"),
        (dict(results=[{"item": "甲", "counts": [1, 1, 1, 1]}, {"item": "甲", "counts": [1, 1, 1, 1]}]), "重复"),
        (dict(results=[{"item": "甲", "counts": [1, -1, 1, 1]}]), "负数"),
        (dict(scale=["好"]), "评价等次"),
    ):
        with pytest.raises(ValidationError, match=message):
            _survey(world, **bad)
    with world.ctx.db.read() as session:
        assert session.query(Survey).count() == 2


def test_briefing_and_meetings(world):
    briefing = BriefingService(world.ctx).create(
        inspection_id=world.inspection.id, unit_id=world.unit.id, held_at=WHEN, reporter_name="张建国",
        reporter_post="党组书记、局长", listener_ids=[world.leader.id], content="汇报了2024年以来党组工作情况。")
    assert briefing.listener_ids == [str(world.leader.id)]
    with pytest.raises(ValidationError, match="听取汇报的巡察干部"):
        BriefingService(world.ctx).create(inspection_id=world.inspection.id, held_at=WHEN, reporter_name="李红梅",
                                          content="补充汇报。")
    meetings = MeetingService(world.ctx)
    arrival = meetings.create(inspection_id=world.inspection.id, unit_id=world.unit.id, kind="arrival",
                              held_at=WHEN, host="张建国", attendee_count=45, content="组长作动员讲话。")
    with pytest.raises(ValidationError, match="已登记过一次见面会"):
        meetings.create(inspection_id=world.inspection.id, kind="arrival", held_at=WHEN, content="重复录入")
    meetings.create(inspection_id=world.inspection.id, kind="feedback", held_at=WHEN + dt.timedelta(days=60),
                    content="反馈巡察意见。")
    with pytest.raises(ValidationError, match="不能晚于当前时间"):
        meetings.create(inspection_id=world.inspection.id, kind="feedback", held_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
                        content="未来的会")
    with pytest.raises(ValidationError, match="会议类型"):
        meetings.create(inspection_id=world.inspection.id, kind="party", held_at=WHEN, content="x")
    assert meetings.get(arrival.id).attendee_count == 45


def test_a_member_changes_only_the_records_they_wrote(world):
    talk = _group_talk(world)
    # A 组员 of the team, not the one who wrote the record.
    member = world.ctx.as_actor(Actor(user_id=uuid.uuid4(), name="组员甲", role="member", inspector_id=world.member_a.id))
    with pytest.raises(PermissionDeniedError, match="组员只能"):
        GroupTalkService(member).update(talk.id, notes="改写别人的座谈记录")
    own = GroupTalkService(member).create(inspection_id=world.inspection.id, held_at=WHEN, category="retired",
                                          host_ids=[world.member_a.id], attendees=["老干部甲"], notes="座谈记录")
    assert GroupTalkService(member).update(own.id, notes="补充").notes == "补充"


def test_new_records_travel_with_their_inspection_and_are_searchable(world):
    talk = _group_talk(world)
    survey = _survey(world)
    with world.ctx.db.read() as session:
        keys = scoped_row_keys(session, [str(world.inspection.id)])
        other = scoped_row_keys(session, [str(uuid.uuid4())])
    assert ("group_talks", talk.id) in keys and ("surveys", survey.id) in keys
    assert ("group_talks", talk.id) not in other
    hits = search.search(world.ctx, "拨付滞后")
    assert [(h.entity, h.entity_id) for h in hits] == [("group_talk", talk.id)]
    GroupTalkService(world.ctx).delete(talk.id)
    assert search.search(world.ctx, "拨付滞后") == []
    with world.ctx.db.read() as session:
        assert session.get(GroupTalk, talk.id).deleted_at is not None


def test_the_same_interview_typed_twice_is_refused(world):
    first = world.interview()
    with pytest.raises(ValidationError, match="请勿重复录入") as caught:
        world.interview()
    assert caught.value.field == "start_at"
    # Another person at the same time, or the same person later, is another interview.
    world.interview(interviewee_person_id=world.deputy.id)
    later = world.interview(start_at=first.start_at + dt.timedelta(hours=2), end_at=None)
    with pytest.raises(ValidationError, match="请勿重复录入"):
        InterviewService(world.ctx).update(later.id, start_at=first.start_at)
    # Saving the interview itself again is not a duplicate of itself.
    assert InterviewService(world.ctx).update(first.id, place="谈话室").place == "谈话室"


def test_a_discovery_date_in_the_future_is_refused(world):
    with pytest.raises(ValidationError, match="发现日期") as caught:
        world.finding(found_on=dt.date(2030, 1, 1))
    assert caught.value.field == "found_on"
    finding = world.finding(found_on=dt.date.today())
    with pytest.raises(ValidationError, match="发现日期"):
        FindingService(world.ctx).update(finding.id, found_on=dt.date.today() + dt.timedelta(days=1))


def test_raising_a_finding_from_an_interview_carries_its_summary_not_the_interviewee(world):
    interview = world.interview(summary="反映局机关公务用车节假日驶入景区；涉及金额约两万元。\n其余情况正常。")
    values = FindingService(world.ctx).prefill_from_source("interview", interview.id)
    assert values["title"] == "反映局机关公务用车节假日驶入景区"
    assert values["facts"].startswith("反映局机关公务用车节假日驶入景区；涉及金额约两万元。")
    assert "responsible_people" not in values  # the interviewee is a witness, not the one responsible
    assert values["unit_id"] == world.unit.id and values["source_id"] == interview.id
    long = world.interview(interviewee_person_id=world.deputy.id, summary="甲" * 200)
    title = FindingService(world.ctx).prefill_from_source("interview", long.id)["title"]
    assert len(title) == 60 and title.endswith("…")


@pytest.mark.parametrize("query, cleaned", [
    ("公车\x00私用", "公车 私用"),
    ("景区\ud800", "景区"),
    ("\ud83d\ude97公车", "🚗公车"),
    ("\t公车\r\n", "公车"),
])
def test_search_input_is_cleaned(query, cleaned):
    assert search.clean_query(query) == cleaned


def test_search_input_that_cannot_be_searched_is_refused_in_chinese(world):
    world.finding()
    assert [h.title for h in search.search(world.ctx, "公务\x00用车")] == ["违规使用公务用车"]
    assert search.count_matches(world.ctx, "用车\udc00") == 1
    with pytest.raises(ValidationError, match="无法识别"):
        search.search(world.ctx, "\x00\ud800")
    with pytest.raises(ValidationError, match="太长"):
        search.search(world.ctx, "公" * 500)
