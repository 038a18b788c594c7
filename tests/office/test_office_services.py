"""The office's use cases, without Qt: coverage, stages, team forming, follow-up, clues, calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.models import IssuedDocument, Rectification, RectificationCloseOut, TeamAssignment
from app.models.enums import ClueStatus, FindingStatus, RectificationStatus, Stage
from app.services.clues import ClueService
from app.services.context import Actor
from app.services.errors import PermissionDeniedError, StateError, ValidationError
from app.services.inspections import InspectionService, RoundService
from app.services.office import clue_ledger, coverage, followup, stages, team_forming, workdays
from app.services.rectifications import RectificationService

from .conftest import approved_finding


# --- working days ----------------------------------------------------------------------------------
def test_working_days_skip_weekends_holidays_and_count_makeup_days():
    # A year the national calendar does not cover yet: weekends, and the office's own list.
    friday = dt.date(2031, 9, 26)
    assert workdays.add_workdays(friday, 1) == dt.date(2031, 9, 29)  # over the weekend
    assert workdays.add_workdays(friday, 15) == dt.date(2031, 10, 17)
    holidays = [dt.date(2031, 10, d) for d in range(1, 8)]
    makeup = [dt.date(2031, 9, 28), dt.date(2031, 10, 11)]
    assert workdays.add_workdays(friday, 1, holidays, makeup) == dt.date(2031, 9, 28)
    assert workdays.add_workdays(friday, 15, holidays, makeup) == dt.date(2031, 10, 22)
    cal = workdays.WorkCalendar(frozenset(holidays), frozenset(makeup))
    assert cal.workdays_between(friday, dt.date(2031, 10, 22)) == 15
    assert cal.workdays_between(dt.date(2031, 10, 22), friday) == -15


def test_the_national_calendar_comes_built_in_and_the_office_list_wins():
    # 2026: 中秋 on Friday 25 September, 国庆 1–7 October with 调休 on Sunday 20 September and
    # Saturday 10 October, as the State Council published them.
    cal = workdays.WorkCalendar()
    assert not cal.is_workday(dt.date(2026, 9, 25)) and not cal.is_workday(dt.date(2026, 10, 6))
    assert cal.is_workday(dt.date(2026, 9, 20)) and cal.is_workday(dt.date(2026, 10, 10))
    assert workdays.add_workdays(dt.date(2026, 9, 24), 15) == dt.date(2026, 10, 22)
    # A local holiday, and a 调休 day the office decided otherwise.
    local = workdays.WorkCalendar(frozenset({dt.date(2026, 10, 12)}), frozenset({dt.date(2026, 10, 5)}))
    assert not local.is_workday(dt.date(2026, 10, 12)) and local.is_workday(dt.date(2026, 10, 5))


def test_holidays_are_kept_in_the_database(ctx):
    workdays.save_calendar(ctx, [dt.date(2026, 10, 1)], [dt.date(2026, 10, 10)])
    cal = workdays.load_calendar(ctx)
    assert not cal.is_workday(dt.date(2026, 10, 1)) and cal.is_workday(dt.date(2026, 10, 10))
    with pytest.raises(ValidationError, match="既是节假日又是调休上班日"):
        workdays.save_calendar(ctx, [dt.date(2026, 10, 1)], [dt.date(2026, 10, 1)])


def test_term_defaults_to_the_calendar_years_ending_now_and_can_be_set(ctx):
    term = workdays.load_term(ctx, dt.date(2026, 5, 1))
    assert (term.start, term.end) == (dt.date(2024, 1, 1), dt.date(2026, 12, 31))
    workdays.save_term(ctx, dt.date(2025, 7, 1), 5)
    term = workdays.load_term(ctx, dt.date(2026, 5, 1))
    assert (term.start, term.end) == (dt.date(2025, 7, 1), dt.date(2030, 6, 30))
    with pytest.raises(ValidationError, match="1至10年"):
        workdays.save_term(ctx, None, 0)


# --- coverage --------------------------------------------------------------------------------------
def test_coverage_inspected_planned_and_never(ctx, city):
    on = dt.date(2026, 6, 1)
    inspections = InspectionService(ctx)
    done = stages.create_inspection(ctx, name="巡察市财政局", kind="regular", unit_ids=[city.finance.id],
                                    start_date=dt.date(2025, 3, 1))
    inspections.update(done.id, stage=Stage.CLOSED)
    stages.create_inspection(ctx, name="巡察安集镇", kind="regular", unit_ids=[city.township.id, city.village_a.id])
    old = stages.create_inspection(ctx, name="巡察市城投集团（上届）", kind="regular", unit_ids=[city.soe.id],
                                   start_date=dt.date(2021, 4, 1))
    inspections.update(old.id, stage=Stage.CLOSED)
    report = coverage.coverage(ctx, on=on)
    status = {r.name: r for r in report.rows}
    assert status["市财政局"].status == coverage.INSPECTED and status["市财政局"].times_in_term == 1
    assert status["安集镇人民政府"].status == coverage.PLANNED
    assert status["安集村村民委员会"].status == coverage.PLANNED
    assert status["河口村村民委员会"].status == coverage.NEVER
    # Inspected before the term: not covered, but the last inspection is shown.
    assert status["市城投集团有限公司"].status == coverage.NEVER
    assert status["市城投集团有限公司"].last_date == dt.date(2021, 4, 1)
    assert (report.count(coverage.INSPECTED), report.count(coverage.PLANNED), report.count(coverage.NEVER)) == (1, 2, 3)
    assert "应巡察 6 个单位，已巡察 1 个" in report.summary
    gov = next(k for k in report.by_kind if k.kind == "gov_dept")
    assert (gov.total, gov.inspected, gov.never) == (2, 1, 1)


def test_a_follow_up_does_not_count_as_coverage(ctx, city):
    earlier = stages.create_inspection(ctx, name="巡察市审计局", kind="regular", unit_ids=[city.audit_bureau.id],
                                       start_date=dt.date(2020, 3, 1))
    InspectionService(ctx).update(earlier.id, stage=Stage.CLOSED, feedback_date=dt.date(2020, 6, 1))
    fu = stages.create_inspection(ctx, name="回头看", kind="follow_up", follows_inspection_id=earlier.id,
                                  unit_ids=[city.audit_bureau.id], start_date=dt.date(2026, 3, 1))
    InspectionService(ctx).update(fu.id, stage=Stage.FIELDWORK)
    row = next(r for r in coverage.coverage(ctx, on=dt.date(2026, 6, 1)).rows if r.name == "市审计局")
    assert row.status == coverage.NEVER


# --- team forming ----------------------------------------------------------------------------------
def _planned(ctx, city, units, **kw):
    return stages.create_inspection(ctx, name="巡察安集镇党委", kind="regular", unit_ids=units,
                                    team_name="市委第二巡察组", **kw)


def test_recusal_home_unit_hierarchy_relatives_and_former_posts(ctx, city):
    insp = _planned(ctx, city, [city.village_a.id, city.soe.id])
    proposal = team_forming.propose_team(ctx, insp.id, expertise=["audit"], size=4)
    by_name = {c.name: c for c in proposal.candidates}
    assert any("安集镇人民政府" in r and "上级单位" in r for r in by_name["陈立平"].conflicts)
    assert any("亲属刘强（兄弟姐妹）在「安集村村民委员会」任职" in r for r in by_name["刘芳"].conflicts)
    assert any("曾在「市城投集团有限公司」任职" in r for r in by_name["吴敏"].conflicts)
    assert not by_name["王建军"].conflicts
    assert not any(c.proposed_role and c.conflicts for c in proposal.candidates)
    with pytest.raises(ValidationError, match="刘芳应当回避"):
        team_forming.add_members(ctx, insp.id, [(city.auditor.id, "member"), (city.related.id, "member")])
    # All or none: the clean pick before the refused one was not kept.
    assert team_forming.team_of(ctx, insp.id) == []


def test_a_township_inspector_may_not_inspect_it_and_a_village_one_not_its_township(ctx, city):
    from app.services.inspectors import InspectorService

    villager = InspectorService(ctx).create(name="何军", home_unit_id=city.village_b.id)
    insp = _planned(ctx, city, [city.township.id])
    with ctx.db.read() as session:
        conflicts = team_forming.recusal_conflicts(session, [villager.id, city.township_cadre.id], [city.township.id])
    assert "下级单位" in conflicts[villager.id][0]
    assert conflicts[city.township_cadre.id] == ["本人所在单位为「安集镇人民政府」"]
    assert insp is not None


def test_proposal_covers_expertise_and_prefers_the_least_loaded(ctx, city, today):
    # 钱文静 has been out twice lately, 孙浩然 never: the audit place goes to 孙浩然.
    for n in range(2):
        past = stages.create_inspection(ctx, name=f"往期巡察{n}", kind="regular", unit_ids=[city.finance.id],
                                        start_date=today - dt.timedelta(days=200 + n), end_date=today - dt.timedelta(days=150))
        team_forming.add_members(ctx, past.id, [(city.auditor.id, "member"), (city.leader_busy.id, "leader")])
        InspectionService(ctx).update(past.id, stage=Stage.CLOSED)
    insp = _planned(ctx, city, [city.township.id])
    proposal = team_forming.propose_team(ctx, insp.id, expertise=["audit", "organization_personnel", "law"], size=4,
                                         on=today)
    proposed = {c.name: c.proposed_role for c in proposal.proposed}
    assert proposed["赵立新"] == "leader"  # in the 组长库, with no recent assignments
    assert "孙浩然" in proposed and "钱文静" not in proposed
    assert "李晓梅" in proposed
    assert len(proposed) == 4
    assert proposal.uncovered == ["法律"]
    assert "没有可派出的「法律」专长人员" in proposal.notes[0]
    loaded = next(c for c in proposal.candidates if c.name == "钱文静")
    assert loaded.recent_count == 2 and loaded.last_date == today - dt.timedelta(days=200)


def test_someone_in_the_field_with_another_team_is_not_proposed(ctx, city, today):
    out = stages.create_inspection(ctx, name="正在巡察市审计局", kind="regular", unit_ids=[city.finance.id],
                                   start_date=today - dt.timedelta(days=10), end_date=today + dt.timedelta(days=30))
    team_forming.add_members(ctx, out.id, [(city.leader.id, "leader")])
    InspectionService(ctx).update(out.id, stage=Stage.FIELDWORK)
    insp = _planned(ctx, city, [city.township.id], start_date=today + dt.timedelta(days=5),
                    end_date=today + dt.timedelta(days=50))
    proposal = team_forming.propose_team(ctx, insp.id, size=3, on=today)
    zhao = next(c for c in proposal.candidates if c.name == "赵立新")
    assert zhao.busy == ["正在巡察市审计局"] and zhao.proposed_role is None
    assert next(c for c in proposal.candidates if c.proposed_role == "leader").name == "周海峰"


def test_leader_authorisation_is_numbered_once_per_inspection(ctx, city):
    insp = _planned(ctx, city, [city.township.id])
    with pytest.raises(ValidationError, match="尚未确定组长"):
        team_forming.authorise_leader(ctx, insp.id, with_pdf=False)
    team_forming.add_members(ctx, insp.id, [(city.leader.id, "leader"), (city.auditor.id, "member")])
    auth = team_forming.authorise_leader(ctx, insp.id, on=dt.date(2026, 3, 2))
    assert auth.number_text == "市委巡〔2026〕1号" and auth.leader == "赵立新"
    assert auth.pdf.startswith(b"%PDF")
    with ctx.db.read() as session:
        doc = session.get(IssuedDocument, auth.document_id)
        assert doc.kind == "authorization" and doc.attachment_id is not None
        leader = session.scalar(select(TeamAssignment).where(TeamAssignment.role == "leader"))
        assert leader.authorisation_document_id == doc.id
    with pytest.raises(StateError, match="一次一授权"):
        team_forming.authorise_leader(ctx, insp.id, with_pdf=False)
    member = next(m for m in team_forming.team_of(ctx, insp.id) if m.role == "leader")
    assert member.authorisation_number == "市委巡〔2026〕1号"
    with pytest.raises(StateError, match="已出具授权书"):
        team_forming.remove_member(ctx, member.assignment_id)


def test_only_the_office_forms_teams(ctx, city):
    insp = _planned(ctx, city, [city.township.id])
    member_ctx = ctx.as_actor(Actor(user_id=None, name="组员甲", role="member"))
    with pytest.raises(PermissionDeniedError, match="只有管理员可以组建巡察组"):
        team_forming.add_members(member_ctx, insp.id, [(city.leader.id, "leader")])


# --- stages ----------------------------------------------------------------------------------------
def texts(ctx, insp_id, on=None):
    return [s.text for s in stages.next_steps(ctx, insp_id, on)]


def test_next_steps_follow_the_stage(ctx, city, today):
    insp = stages.create_inspection(ctx, name="巡察市财政局", kind="regular", unit_ids=[city.finance.id],
                                    team_name="市委第一巡察组")
    steps = texts(ctx, insp.id)
    assert "尚未确定组长（从组长库中选派）。" in steps and "尚未确定进驻日期。" in steps
    with pytest.raises(ValidationError, match="请先确定组长"):
        stages.advance_stage(ctx, insp.id)
    team_forming.add_members(ctx, insp.id, [(city.leader.id, "leader"), (city.auditor.id, "member")])
    assert "尚未为组长赵立新出具授权书（一次一授权）。" in texts(ctx, insp.id)
    with pytest.raises(ValidationError, match="授权书"):
        stages.advance_stage(ctx, insp.id)
    team_forming.authorise_leader(ctx, insp.id, with_pdf=False)
    assert stages.advance_stage(ctx, insp.id).stage == Stage.ANNOUNCE
    assert any("巡察公告尚未发布" in t for t in texts(ctx, insp.id))
    with pytest.raises(ValidationError, match="巡察公告尚未发布"):
        stages.advance_stage(ctx, insp.id)
    InspectionService(ctx).update(insp.id, announcement_phone="0768-1234567")
    arrived = stages.advance_stage(ctx, insp.id, on=today)
    assert arrived.stage == Stage.ARRIVE and arrived.start_date == today
    steps = stages.next_steps(ctx, insp.id)
    talk = [s for s in steps if s.text.startswith("四必谈")]
    assert talk and all(s.level == stages.TODO for s in talk)
    assert any("巡察组现有2人" in s.text for s in steps)
    stages.advance_stage(ctx, insp.id)  # fieldwork
    f = approved_finding(ctx, insp.id, city.finance.id)
    from app.services.findings import FindingService

    FindingService(ctx).create(inspection_id=insp.id, title="会议记录不全", facts="三重一大会议记录不全。")
    assert "问题底稿尚未完成三审：1个底稿未提交。" in texts(ctx, insp.id)
    stages.advance_stage(ctx, insp.id)  # report
    assert "专题报告（巡察情况报告）尚未印发。" in texts(ctx, insp.id)
    with pytest.raises(ValidationError, match="还有1个问题底稿未完成三审"):
        stages.advance_stage(ctx, insp.id)
    draft = FindingService(ctx).list(inspection_id=insp.id, review_state="draft")[0]
    FindingService(ctx).delete(draft.id)
    fed = stages.advance_stage(ctx, insp.id, on=today)
    assert fed.stage == Stage.FEEDBACK and fed.feedback_date == today
    steps = texts(ctx, insp.id, today)
    assert "巡察反馈意见尚未印发。" in steps and "1个问题尚未下达整改（整改措施、责任人、时限）。" in steps
    due = workdays.add_workdays(today, 15)
    assert any(t.startswith("「市财政局」整改方案应于") and f"{due.month}月{due.day}日" in t for t in steps)
    followup.send_for_rectification(ctx, f.id, measures="清退津贴", responsible_person="李红", deadline=today + dt.timedelta(days=3))
    steps = stages.next_steps(ctx, insp.id, today)
    assert any(s.text == "1项整改事项7天内到期。" and s.level == stages.WARNING for s in steps)
    later = stages.next_steps(ctx, insp.id, today + dt.timedelta(days=90))
    assert [s.level for s in later[:3]] == [stages.OVERDUE] * 3
    assert any(s.text == "1项整改事项已逾期，可发整改督办函。" for s in later)


def test_timeline_marks_done_current_and_future(ctx, city):
    insp = stages.create_inspection(ctx, name="巡察市财政局", kind="regular", unit_ids=[city.finance.id],
                                    start_date=dt.date(2026, 3, 1))
    InspectionService(ctx).update(insp.id, stage=Stage.FIELDWORK)
    steps = stages.timeline(ctx, insp.id)
    assert [s.state for s in steps[:5]] == ["done", "done", "done", "current", "future"]
    assert steps[2].date == dt.date(2026, 3, 1)
    assert steps[-1].stage == Stage.CLOSED


# --- follow-up -------------------------------------------------------------------------------------
def _fed_back(ctx, city, feedback: dt.date):
    insp = stages.create_inspection(ctx, name="巡察市财政局党组", kind="regular", unit_ids=[city.finance.id],
                                    start_date=feedback - dt.timedelta(days=60))
    InspectionService(ctx).update(insp.id, stage=Stage.RECTIFICATION, feedback_date=feedback)
    return insp


def test_urgency_colours_and_send_for_rectification(ctx, city, today):
    insp = _fed_back(ctx, city, today)
    draft_paper = approved_finding(ctx, insp.id, city.finance.id)
    from app.services.findings import FindingService

    raw = FindingService(ctx).create(inspection_id=insp.id, title="未审", facts="未经三审的问题。")
    with pytest.raises(StateError, match="尚未经组长审签"):
        followup.send_for_rectification(ctx, raw.id, measures="x", responsible_person="y", deadline=today)
    with pytest.raises(ValidationError, match="整改措施"):
        followup.send_for_rectification(ctx, draft_paper.id, measures="", responsible_person="y", deadline=today)
    soon = followup.send_for_rectification(ctx, draft_paper.id, measures="清退", responsible_person="李红",
                                           deadline=today + dt.timedelta(days=7))
    second = approved_finding(ctx, insp.id, city.finance.id, title="公务接待超标准")
    later = followup.send_for_rectification(ctx, second.id, measures="整改", responsible_person="王五",
                                            deadline=today + dt.timedelta(days=8))
    assert followup.awaiting_rectification(ctx, insp.id) == []
    by_id = {i.id: i for i in followup.items(ctx, inspection_id=insp.id, on=today)}
    assert by_id[soon.id].urgency == followup.DUE_SOON and by_id[later.id].urgency == followup.ON_TRACK
    by_id = {i.id: i for i in followup.items(ctx, inspection_id=insp.id, on=today + dt.timedelta(days=8))}
    assert by_id[soon.id].urgency == followup.OVERDUE and by_id[soon.id].days_left == -1
    assert by_id[later.id].urgency == followup.DUE_SOON
    urgent = followup.items(ctx, urgent_only=True, on=today)
    assert [i.id for i in urgent] == [soon.id]


def test_close_out_needs_evidence_and_a_reviewer(ctx, city, today):
    insp = _fed_back(ctx, city, today)
    f = approved_finding(ctx, insp.id, city.finance.id)
    item = followup.send_for_rectification(ctx, f.id, measures="清退", responsible_person="李红",
                                           deadline=today + dt.timedelta(days=30))
    with pytest.raises(StateError, match="已报告完成并附有佐证材料"):
        followup.close_out(ctx, item.id, reviewer="审核人")
    with pytest.raises(ValidationError, match="佐证材料"):
        followup.report_completed(ctx, item.id, "  ")
    followup.report_completed(ctx, item.id, "清退款项银行回单", today)
    with pytest.raises(ValidationError, match="审核人"):
        followup.close_out(ctx, item.id, reviewer=" ")
    with pytest.raises(ValidationError, match="不能是整改责任人本人"):
        followup.close_out(ctx, item.id, reviewer="李红")
    member = ctx.as_actor(Actor(user_id=None, name="组员甲", role="member"))
    with pytest.raises(PermissionDeniedError):
        followup.close_out(member, item.id, reviewer="张审核")
    followup.close_out(ctx, item.id, reviewer="张审核", comment="佐证齐全", on=today)
    closed = RectificationService(ctx).get(item.id)
    assert closed.status == RectificationStatus.CLOSED and closed.closed_on == today
    history = followup.close_out_history(ctx, item.id)
    assert [(h.reviewer_name, h.comment, h.evidence) for h in history] == [("张审核", "佐证齐全", "清退款项银行回单")]
    from app.services.findings import FindingService

    assert FindingService(ctx).get(f.id).status == FindingStatus.RECTIFIED


def test_plans_due_in_working_days_and_recording(ctx, city):
    feedback = dt.date(2026, 9, 25)  # a Friday before the National Day week
    insp = _fed_back(ctx, city, feedback)
    workdays.save_calendar(ctx, [dt.date(2026, 10, d) for d in range(1, 8)], [dt.date(2026, 9, 27), dt.date(2026, 10, 10)])
    [plan] = followup.plans(ctx, inspection_id=insp.id, on=dt.date(2026, 10, 12))
    assert plan.plan_due == dt.date(2026, 10, 21) and plan.plan_id is None
    assert plan.report_due == feedback + dt.timedelta(days=60)
    assert plan.plan_urgency(dt.date(2026, 10, 12)) == followup.ON_TRACK
    assert plan.plan_urgency(dt.date(2026, 10, 15)) == followup.DUE_SOON
    assert plan.plan_urgency(dt.date(2026, 10, 22)) == followup.OVERDUE
    followup.record_plan(ctx, insp.id, city.finance.id, plan_submitted_on=dt.date(2026, 10, 20))
    followup.record_plan(ctx, insp.id, city.finance.id, report_submitted_on=dt.date(2026, 11, 10))
    [plan] = followup.plans(ctx, inspection_id=insp.id, on=dt.date(2026, 11, 30))
    assert plan.plan_submitted_on == dt.date(2026, 10, 20) and plan.report_submitted_on == dt.date(2026, 11, 10)
    assert plan.plan_urgency(dt.date(2026, 11, 30)) == followup.CLOSED
    assert plan.principal_report_urgency(dt.date(2026, 11, 30)) == followup.OVERDUE
    with pytest.raises(ValidationError, match="不能早于反馈日期"):
        followup.record_plan(ctx, insp.id, city.finance.id, principal_report_submitted_on=dt.date(2026, 9, 1))
    with pytest.raises(ValidationError, match="不是该巡察的被巡察单位"):
        followup.record_plan(ctx, insp.id, city.soe.id, plan_submitted_on=dt.date(2026, 10, 20))
    with pytest.raises(ValidationError, match="不能晚于今天"):
        followup.record_plan(ctx, insp.id, city.finance.id,
                             principal_report_submitted_on=dt.date.today() + dt.timedelta(days=1))


def test_follow_up_takes_over_open_items_and_closes_them_together(ctx, city, today):
    insp = _fed_back(ctx, city, today)
    done_f = approved_finding(ctx, insp.id, city.finance.id, title="已整改的问题")
    open_f = approved_finding(ctx, insp.id, city.finance.id, title="未整改的问题")
    done = followup.send_for_rectification(ctx, done_f.id, measures="a", responsible_person="甲", deadline=today)
    still = followup.send_for_rectification(ctx, open_f.id, measures="b", responsible_person="乙", deadline=today)
    followup.report_completed(ctx, done.id, "证据")
    followup.close_out(ctx, done.id, reviewer="审核人")
    fu, carried = followup.plan_follow_up(ctx, insp.id, start_date=today)
    assert carried == 1 and fu.kind == "follow_up" and fu.follows_inspection_id == insp.id
    assert InspectionService(ctx).get(insp.id).stage == Stage.FOLLOW_UP
    assert followup.carry_over(ctx, fu.id) == 0  # again: nothing twice
    copies = RectificationService(ctx).list(inspection_id=fu.id)
    assert [(c.carried_from_id, c.deadline, c.measures) for c in copies] == [(still.id, today, "b")]
    original = next(i for i in followup.items(ctx, inspection_id=insp.id, on=today) if i.id == still.id)
    assert original.urgency == followup.CARRIED
    assert all(i.id != still.id for i in followup.items(ctx, urgent_only=True, on=today + dt.timedelta(days=1)))
    followup.report_completed(ctx, copies[0].id, "回头看核查佐证")
    followup.close_out(ctx, copies[0].id, reviewer="回头看组长")
    assert RectificationService(ctx).get(still.id).status == RectificationStatus.CLOSED
    assert RectificationService(ctx).get(still.id).evidence == "回头看核查佐证"
    with ctx.db.read() as session:
        assert session.scalar(select(RectificationCloseOut.rectification_id).where(
            RectificationCloseOut.reviewer_name == "回头看组长")) == copies[0].id
    with pytest.raises(ValidationError, match="不能再安排回头看"):
        followup.plan_follow_up(ctx, fu.id)


def test_a_follow_up_cannot_be_arranged_before_feedback(ctx, city):
    insp = stages.create_inspection(ctx, name="巡察", kind="regular", unit_ids=[city.finance.id])
    with pytest.raises(StateError, match="尚未反馈"):
        followup.plan_follow_up(ctx, insp.id)


def test_supervision_letter_hook_issues_a_numbered_letter(ctx, city, today):
    insp = _fed_back(ctx, city, today)
    InspectionService(ctx).update(insp.id, team_name="市委第一巡察组")
    f = approved_finding(ctx, insp.id, city.finance.id)
    followup.send_for_rectification(ctx, f.id, measures="清退", responsible_person="李红", deadline=today)
    with pytest.raises(ValidationError, match="没有逾期未完成的整改事项"):
        followup.issue_supervision_letter(ctx, insp.id, on=today)
    result = followup.issue_supervision_letter(ctx, insp.id, on=today + dt.timedelta(days=2))
    assert result.pdf_bytes.startswith(b"%PDF") and result.number_text.startswith("市委巡办函〔")
    with ctx.db.read() as session:
        assert session.scalar(select(IssuedDocument.kind).where(IssuedDocument.id == result.document_id)) == "supervision"


# --- clues -----------------------------------------------------------------------------------------
def test_clue_ledger_hand_over_and_outcomes(ctx, city, today):
    insp = _fed_back(ctx, city, today - dt.timedelta(days=200))
    clues = ClueService(ctx)
    a = clues.create(inspection_id=insp.id, subject_name="张三", subject_post="科长", summary="涉嫌违规收受礼金")
    b = clues.create(inspection_id=insp.id, subject_name="李四", summary="涉嫌违规兼职取酬")
    with pytest.raises(StateError, match="尚未移交"):
        clue_ledger.record_outcome(ctx, a.id, kind="initial_check")
    with pytest.raises(ValidationError, match="移交对象"):
        clue_ledger.hand_over(ctx, a.id, handed_to=" ", on=today)
    clue_ledger.hand_over(ctx, a.id, handed_to="市纪委监委", on=today - dt.timedelta(days=120))
    clue_ledger.hand_over(ctx, b.id, handed_to="市委组织部", on=today - dt.timedelta(days=100))
    with pytest.raises(StateError, match="不能重复移交"):
        clue_ledger.hand_over(ctx, a.id, handed_to="市纪委监委", on=today)
    ledger = clue_ledger.ledger(ctx, inspection_id=insp.id, on=today)
    assert sum(r.reply_late for r in ledger.rows) == 2
    clue_ledger.record_outcome(ctx, a.id, kind="initial_check", decided_on=today - dt.timedelta(days=90))
    clue_ledger.record_outcome(ctx, a.id, kind="case_filed", decided_on=today - dt.timedelta(days=60))
    with pytest.raises(ValidationError, match="四种形态"):
        clue_ledger.record_outcome(ctx, a.id, kind="disciplined")
    clue_ledger.record_outcome(ctx, a.id, kind="disciplined", four_form="form3", people_count=2,
                               decided_on=today - dt.timedelta(days=10), conclude=True)
    with pytest.raises(ValidationError, match="不能早于移交日期"):
        clue_ledger.record_outcome(ctx, b.id, kind="initial_check", decided_on=today - dt.timedelta(days=150))
    ledger = clue_ledger.ledger(ctx, inspection_id=insp.id, on=today)
    row = next(r for r in ledger.rows if r.subject_name == "张三")
    assert row.status == ClueStatus.CONCLUDED and not row.reply_late
    assert row.outcome_text(ledger.four_forms) == "初步核实；立案审查；党纪政务处分（第三种形态）2人"
    totals = ledger.totals
    assert totals["clues"] == 2 and totals["case_filed"] == 1 and totals["people_disciplined"] == 2
    assert totals["reply_late"] == 1
    assert ledger.people_by_four_form() == {"form3": 2}


def test_rectification_items_are_counted_once_after_carry_over(ctx, city, today):
    from app.services.office import dashboard

    RoundService(ctx).create(name="第一轮", year=today.year, ordinal=1)
    insp = _fed_back(ctx, city, today)
    f = approved_finding(ctx, insp.id, city.finance.id)
    followup.send_for_rectification(ctx, f.id, measures="a", responsible_person="甲", deadline=today)
    followup.plan_follow_up(ctx, insp.id, start_date=today)
    with ctx.db.read() as session:
        assert len(session.scalars(select(Rectification)).all()) == 2
    figures = dashboard.compute(ctx, on=today + dt.timedelta(days=1))
    assert figures.rectifications == 1 and figures.overdue == 1
