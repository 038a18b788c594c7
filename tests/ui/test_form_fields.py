"""A field declared once (app/ui/widgets/form_fields.py) is laid out with its label, filled from a
record and read back unchanged, and watched for edits: nothing forgotten in one of the places."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QLabel

from app.services.fieldwork import (
    BriefingService,
    DocumentReviewService,
    GroupTalkService,
    InterviewService,
    PetitionService,
    SurveyService,
    VisitService,
)
from app.services.meetings import MeetingService
from app.ui.page import Page
from app.ui.widgets.form_fields import Check, Checks

from .helpers import type_into

AT = dt.datetime(2026, 11, 3, 9, 30, tzinfo=dt.UTC)
# The tabs of 会议与测评.
MEETING_KINDS = ("meeting", "briefing", "group_talk", "survey")


def _records(world):
    members = [str(world.member_a.id), str(world.member_b.id)]
    common = {"inspection_id": world.inspection.id, "unit_id": world.unit.id}
    return {
        Page.PETITIONS: (PetitionService, {
            **common, "received_at": AT, "channel": "hotline_12345", "anonymous": False, "reporter_name": "李群众",
            "reporter_contact": "13800000000", "subject_name": "王志强", "subject_post": "财务科科长",
            "content": "反映虚报差旅费。", "status": "verifying", "handling": "已转核实。"}),
        Page.DOCUMENT_REVIEWS: (DocumentReviewService, {
            **common, "title": "2025年党组会议记录", "material_kind": "会议记录", "period": "2025年",
            "reviewed_at": AT, "reviewer_ids": members, "notes": "三重一大事项未上会。"}),
        "meeting": (MeetingService, {
            **common, "kind": "feedback", "held_at": AT, "place": "机关三楼会议室", "host": "张建国",
            "attendee_count": 42, "attendees": "领导班子成员、中层以上干部", "content": "反馈巡察发现的问题。"}),
        Page.VISITS: (VisitService, {
            **common, "visited_at": AT, "place": "安集村村委会", "visitor_ids": members, "people_met": "村民代表",
            "content": "反映村道工程质量差。"}),
        Page.INTERVIEWS: (InterviewService, {
            "inspection_id": world.inspection.id, "interviewee_person_id": world.principal.id,
            "interviewee_name": "张建国", "interviewee_post": "党组书记、局长", "kind": "individual",
            "talk_category": "main_leader", "interviewer_ids": members, "recorder_id": world.leader.id,
            "start_at": AT, "end_at": AT + dt.timedelta(hours=1, minutes=15), "place": "巡察组谈话室",
            "signed_by_interviewee": True, "topics_asked": ["duty", "conduct"], "summary": "班子分工明确。",
            "transcript": "问：班子分工是否明确？\n答：明确。"}),
        "briefing": (BriefingService, {
            **common, "held_at": AT, "place": "机关三楼会议室", "reporter_name": "张建国",
            "reporter_post": "党组书记、局长", "listener_ids": members, "content": "汇报了主体责任落实情况。",
            "concerns": "专项资金管理。"}),
        "group_talk": (GroupTalkService, {
            **common, "held_at": AT, "place": "老干部活动室", "category": "retired", "host_ids": members,
            "invited_count": 5, "attendees": ["周老", "吴老", "郑老"], "notes": "机关作风有改进。"}),
        "survey": (SurveyService, {
            **common, "kind": "democratic_evaluation", "title": "领导班子民主测评", "subject": "领导班子",
            "held_at": AT, "distributed": 50, "returned": 48, "valid": 47, "scale": ["好", "较好", "一般", "差"],
            "results": [{"item": "领导班子总体评价", "counts": [30, 10, 5, 2]},
                        {"item": "选人用人工作", "counts": [20, 15, 10, 2]}],
            "notes": "选人用人评价偏低。"}),
    }


def _open(window, which):
    if which in MEETING_KINDS:  # a tab of 会议与测评
        window.show_page(Page.MEETINGS)
        return window.page(Page.MEETINGS).show_kind(which)
    window.show_page(which)
    return window.page(which)


def _labels_of(page, f) -> list[str]:
    """What the form shows as the field's label: its row's (or caption's) label, the box's own text."""
    widget = getattr(page, f.attr)
    if isinstance(f, Check):
        return [widget.text()]
    if isinstance(f, Checks):
        return [widget.title()]
    return [label.text() for label in page.findChildren(QLabel) if label.buddy() is widget]


@pytest.mark.parametrize("which", [Page.PETITIONS, Page.DOCUMENT_REVIEWS, Page.VISITS, Page.INTERVIEWS,
                                   *MEETING_KINDS])
def test_a_record_shown_and_read_back_is_unchanged(qtbot, window, world, which):
    service, stored = _records(world)[which]
    record = service(world.ctx).create(**stored)
    page = _open(window, which)
    # Every declared field has its label (a row's, a caption's, or beside the form), under its mnemonic.
    for f in page.form_fields:
        labels = _labels_of(page, f)
        assert (f.caption in labels) if f.same_row else (f.label in labels), f.name
        if f.caption:
            assert f.caption in labels, f.name
    page.reload()
    page.open_record(record.id)
    qtbot.waitUntil(lambda: page.current_id == record.id, timeout=10_000)
    read = page.form_values()
    assert set(read) == {name for f in page.form_fields for name in f.names}
    for name, value in read.items():
        if name.endswith("_ids"):
            assert sorted(value) == sorted(stored[name]), name  # the picker lists the team in its own order
        else:
            assert value == stored[name], name
    assert not page.dirty
    # A typed change in any text field marks the record unsaved.
    first_line = next(f for f in page.form_fields if type(f).__name__ == "Line")
    type_into(qtbot, getattr(page, first_line.attr), "补")
    assert page.dirty
    page.tracker.set_dirty(False)  # not a question for the window's teardown


def test_fields_sharing_a_row_are_each_said_with_the_rows_label(qtbot, window, world):
    """测评票（份）：发放 [ ] 收回 [ ] 有效 [ ]: a screen reader says which count each box is."""
    surveys = _open(window, "survey")
    said = [getattr(surveys, name).accessibleName() for name in ("distributed", "returned", "valid")]
    assert said == ["测评票（份）发放", "测评票（份）收回", "测评票（份）有效"]
