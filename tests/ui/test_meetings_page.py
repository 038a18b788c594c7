"""会议与测评: a team records a 见面会, a 分类座谈 with its attendance, a 民主测评 with its ballots, and
a 听取汇报; refused input is outlined and the message goes once the input is fixed; the overview
counts the records; search finds them; files attach to any record."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDateTime

from app.services.fieldwork import BriefingService, GroupTalkService, MeetingService, SurveyService
from app.ui.page import Page

from .conftest import wait_idle
from .helpers import choose, click, tick, type_into


def _page(qtbot, window):
    window.show_page(Page.MEETINGS)
    page = window.page(Page.MEETINGS)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is page, timeout=5000)
    return page


def _set_time(edit, when: dt.datetime) -> None:
    edit.setDateTime(QDateTime(when.date(), when.time()))


def test_group_talk_attendance_and_the_error_that_clears(qtbot, window, world):
    page = _page(qtbot, window)
    talks = page.show_kind("group_talk")
    click(qtbot, talks.new_button)
    _set_time(talks.held_at, dt.datetime(2026, 9, 3, 15, 0))
    choose(qtbot, talks.category, "离退休干部")
    tick(qtbot, talks.hosts, "赵立新")
    talks.invited.setValue(2)
    type_into(qtbot, talks.attendees, "周老\n吴老\n郑老")
    assert "实到 3 人" in talks.present_label.text()
    type_into(qtbot, talks.notes, "老同志反映机关作风有改进，但个别科室办事拖沓。")
    click(qtbot, talks.save_button)
    qtbot.waitUntil(lambda: talks.message.kind == "error", timeout=10_000)
    assert "多于应到人数" in talks.message.text()
    # The input the service named is outlined; typing elsewhere leaves the message...
    assert talks.invited.property("invalid") is True
    type_into(qtbot, talks.place, "老干部活动室")
    assert talks.message.kind == "error"
    # ...fixing it takes message and outline away.
    talks.invited.setValue(5)
    assert talks.message.kind == "" and not talks.message.isVisible()
    assert talks.invited.property("invalid") is False
    click(qtbot, talks.save_button)
    qtbot.waitUntil(lambda: talks.model.rowCount() == 1 and not talks.dirty, timeout=10_000)
    saved = GroupTalkService(world.ctx).list(inspection_id=world.inspection.id)[0]
    assert saved.attendees == ["周老", "吴老", "郑老"] and saved.invited_count == 5
    assert saved.category == "retired" and saved.place == "老干部活动室"
    assert talks.model.index(0, 2).data() == "5/3"


def test_a_survey_with_ballots_per_item(qtbot, window, world):
    page = _page(qtbot, window)
    surveys = page.show_kind("survey")
    click(qtbot, surveys.new_button)
    type_into(qtbot, surveys.title, "领导班子民主测评")
    _set_time(surveys.held_at, dt.datetime(2026, 9, 4, 10, 30))
    surveys.distributed.setValue(50)
    surveys.returned.setValue(48)
    surveys.valid.setValue(47)
    table = surveys.results.table
    assert [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())] == [
        "测评项目", "好", "较好", "一般", "差", "好评率"]
    for column, votes in enumerate((30, 10, 5, 2), start=1):
        table.item(0, column).setText(str(votes))
    assert table.item(0, 5).text() == "85.1%"
    click(qtbot, surveys.results.add_button)
    table.item(1, 0).setText("选人用人工作")
    table.item(1, 1).setText("二十")  # not a number: refused before anything is written
    click(qtbot, surveys.save_button)
    qtbot.waitUntil(lambda: surveys.message.kind == "error", timeout=5000)
    assert "票数应为整数" in surveys.message.text()
    table.item(1, 1).setText("20")
    click(qtbot, surveys.save_button)
    qtbot.waitUntil(lambda: surveys.model.rowCount() == 1 and not surveys.dirty, timeout=10_000)
    saved = SurveyService(world.ctx).list()[0]
    assert saved.results == [{"item": "领导班子总体评价", "counts": [30, 10, 5, 2]},
                             {"item": "选人用人工作", "counts": [20, 0, 0, 0]}]
    assert (saved.distributed, saved.returned, saved.valid) == (50, 48, 47)
    assert surveys.model.index(0, 4).data() == "85.1%"


def test_arrival_meeting_briefing_overview_search_and_attachments(qtbot, window, world, tmp_path, answers):
    page = _page(qtbot, window)
    meetings = page.show_kind("meeting")
    click(qtbot, meetings.new_button)
    _set_time(meetings.held_at, dt.datetime(2026, 9, 1, 9, 0))
    type_into(qtbot, meetings.host, "张建国")
    type_into(qtbot, meetings.content, "组长作动员讲话，公布举报电话和信箱。")
    click(qtbot, meetings.save_button)
    qtbot.waitUntil(lambda: meetings.model.rowCount() == 1 and not meetings.dirty, timeout=10_000)
    assert MeetingService(world.ctx).list()[0].kind == "arrival"

    # Files attach to the saved record: a scanned sign-in sheet.
    scan = tmp_path / "签到表.pdf"
    scan.write_bytes(b"%PDF-1.4 scanned sign-in sheet")
    answers.open_paths = [str(scan)]
    click(qtbot, meetings.attachments.add_button)
    qtbot.waitUntil(lambda: meetings.attachments.attached_names() == ["签到表.pdf"], timeout=10_000)

    briefings = page.show_kind("briefing")
    click(qtbot, briefings.new_button)
    choose(qtbot, briefings.reporter, "张建国")
    assert briefings.post.text() == "党组书记、局长"
    tick(qtbot, briefings.listeners, "赵立新")
    type_into(qtbot, briefings.content, "汇报了落实全面从严治党主体责任情况，涉及专项资金管理。")
    click(qtbot, briefings.save_button)
    qtbot.waitUntil(lambda: briefings.model.rowCount() == 1 and not briefings.dirty, timeout=10_000)
    assert BriefingService(world.ctx).list()[0].unit_id == world.unit.id

    # The overview counts them.
    window.show_page(Page.OVERVIEW)
    dashboard = window.dashboard
    qtbot.waitUntil(lambda: "听取汇报 1 次" in dashboard.work_label.text(), timeout=10_000)
    assert "见面会、反馈会 1 次" in dashboard.work_label.text()

    # Search finds the briefing and opens it in its tab.
    window.search_box.setText("专项资金管理")
    window.search_box.run_search()
    qtbot.waitUntil(lambda: window.search_box.results.list.count() > 0, timeout=10_000)
    assert "[听取汇报]" in window.search_box.results.list.item(0).text()
    window.search_box._activate(window.search_box.results.list.item(0))
    qtbot.waitUntil(lambda: page.tabs.currentWidget() is briefings and briefings.current_id is not None,
                    timeout=10_000)
    wait_idle(qtbot, briefings)


def test_unsaved_edits_in_a_tab_are_asked_about_before_leaving_it(qtbot, window, world, answers):
    from app.ui.dialogs import Unsaved

    page = _page(qtbot, window)
    meetings = page.show_kind("meeting")
    click(qtbot, meetings.new_button)
    type_into(qtbot, meetings.content, "反馈会议程")
    answers.unsaved = [Unsaved.CANCEL]
    page.tabs.setCurrentIndex(0)
    assert page.tabs.currentWidget() is meetings and meetings.dirty
    assert answers.asked
    answers.unsaved = [Unsaved.DISCARD]
    page.tabs.setCurrentIndex(0)
    assert page.tabs.currentWidget() is page.briefings
