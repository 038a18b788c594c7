"""A team member logs an interview, ticks the 六必问 topics it covered and sees the coverage change,
raises a finding from it, and the finding walks the 三审 chain: three different people, each seeing
only the step that is theirs."""

from __future__ import annotations

from actors import as_inspector, team_actor
from PySide6.QtCore import Qt

from app.models.enums import TeamRole
from app.services.fieldwork import InterviewService
from app.services.findings import FindingService
from app.ui.page import Page

from .helpers import choose, click, tick, type_into


def test_interview_coverage_finding_and_review_chain(qtbot, window, world):
    # 钱文静, a 组员 of the team, is at the keyboard.
    member = as_inspector(world.ctx, world.member_a.id, TeamRole.MEMBER, "钱文静")
    window.workspace.ctx = member
    page = window.interviews
    window.show_page(Page.INTERVIEWS)
    assert window.stack.currentWidget() is page
    qtbot.waitUntil(lambda: "六必问未问到" in page.coverage_label.text(), timeout=10_000)
    assert "履职情况" in page.coverage_label.text()
    assert "张建国" in page.coverage_label.text()  # 主要领导 not yet talked to

    click(qtbot, page.new_button)
    choose(qtbot, page.interviewee, "张建国")
    assert page.post.text() == "党组书记、局长"
    assert page.talk_category.key() == "main_leader"
    tick(qtbot, page.interviewers, "赵立新")
    type_into(qtbot, page.place, "巡察组谈话室")
    click(qtbot, page.topic_boxes["duty"])
    click(qtbot, page.topic_boxes["conduct"])
    type_into(qtbot, page.summary, "反映局机关公务用车节假日驶入景区。其余正常。")
    type_into(qtbot, page.transcript, "问：局里公务用车管理情况如何？\n答：节假日有时用车去景区。")
    assert page.dirty
    assert "未保存" in page.editor_title.text()

    # One interviewer is not enough: the service's message, in plain Chinese.
    click(qtbot, page.save_button)
    qtbot.waitUntil(lambda: page.message.kind == "error", timeout=10_000)
    assert "至少两名" in page.message.text()
    assert page.model.rowCount() == 0

    tick(qtbot, page.interviewers, "钱文静")
    choose(qtbot, page.recorder, "孙浩然")
    click(qtbot, page.save_button)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and not page.dirty, timeout=10_000)
    saved = InterviewService(world.ctx).list(inspection_id=world.inspection.id)[0]
    assert saved.interviewee_person_id == world.principal.id
    assert saved.topics_asked == ["duty", "conduct"]
    assert "景区" in saved.transcript
    assert len(saved.interviewer_ids) == 2

    # Coverage follows: the two topics and the 主要领导 category are covered now.
    qtbot.waitUntil(lambda: "履职情况" not in page.coverage_label.text(), timeout=10_000)
    assert "作风表现" not in page.coverage_label.text()
    assert "思想道德" in page.coverage_label.text()
    ask_tab = window.checklists.list_tabs["must_ask"]  # built now, on first use
    # A text read before the interview was saved also names 思想道德 (and 履职情况): wait for the
    # text that follows it, not for either word alone.
    qtbot.waitUntil(lambda: "思想道德" in ask_tab.coverage.text() and "履职情况" not in ask_tab.coverage.text(),
                    timeout=10_000)

    # 提出问题: the working paper starts from the interview.
    click(qtbot, page.raise_button)
    findings = window.findings
    qtbot.waitUntil(lambda: window.stack.currentWidget() is findings and findings.editor.dirty, timeout=10_000)
    editor = findings.editor
    # The 谈话摘要 is the working paper's first account; the interviewee is a witness, not 责任人.
    assert editor.title.text() == "反映局机关公务用车节假日驶入景区"
    assert editor.facts.toPlainText() == "反映局机关公务用车节假日驶入景区。其余正常。"
    assert editor.responsible_people.text() == ""
    assert editor.source_label.text() == "个别谈话"
    assert editor.unit.currentText() == "市财政局"
    type_into(qtbot, editor.title, "节假日公车私用")
    type_into(qtbot, editor.facts, "2025年国庆期间公务用车驶入景区。")
    click(qtbot, editor.save_button)
    qtbot.waitUntil(lambda: editor.current is not None and not editor.dirty, timeout=10_000)
    finding = FindingService(world.ctx).get(editor.current.id)
    assert finding.source_kind == "interview" and finding.source_id == saved.id
    qtbot.waitUntil(lambda: findings.model.rowCount() == 1, timeout=10_000)

    # 三审: submitting needs 定性 and 责任 first.
    editor.tabs.setCurrentIndex(3)
    review = editor.review
    qtbot.waitUntil(review.submit_button.isEnabled, timeout=10_000)  # once the allowed steps are known
    click(qtbot, review.submit_button)
    qtbot.waitUntil(lambda: editor.message.kind == "error", timeout=10_000)
    assert "问题定性" in editor.message.text()
    editor.tabs.setCurrentIndex(0)
    type_into(qtbot, editor.characterisation, "违反中央八项规定精神")
    type_into(qtbot, editor.responsibility, "局长负主要领导责任")
    editor.tabs.setCurrentIndex(3)
    click(qtbot, review.submit_button)  # saves the edits first, then submits
    qtbot.waitUntil(lambda: "待副组长审核" in review.state_label.text(), timeout=10_000)
    # The member who submitted cannot review it: the button says who may.
    qtbot.waitUntil(lambda: "副组长" in review.approve_button.toolTip(), timeout=10_000)
    assert not review.approve_button.isEnabled() and not review.send_back_button.isEnabled()
    # The deputy reviews on their own account; then the leader opens the paper.
    FindingService(team_actor(world.ctx, world.inspection.id, TeamRole.DEPUTY)).approve(finding.id)
    window.workspace.ctx = as_inspector(world.ctx, world.leader.id, TeamRole.LEADER, "赵立新")
    editor.load(finding.id)
    qtbot.waitUntil(lambda: "待组长审签" in review.state_label.text(), timeout=10_000)
    assert review.approve_button.text().startswith("组长审签")
    qtbot.waitUntil(review.approve_button.isEnabled, timeout=10_000)
    click(qtbot, review.approve_button)
    qtbot.waitUntil(lambda: "已审签" in review.state_label.text(), timeout=10_000)
    assert not editor.locked_hint.isHidden() and editor.facts.isReadOnly()

    qtbot.waitUntil(review.send_back_button.isEnabled, timeout=10_000)
    click(qtbot, review.send_back_button)
    qtbot.waitUntil(lambda: "退回须写明理由" in editor.message.text(), timeout=10_000)
    type_into(qtbot, review.comment, "责任认定不具体")
    click(qtbot, review.send_back_button)
    qtbot.waitUntil(lambda: "已退回" in review.state_label.text(), timeout=10_000)

    history = review.history
    steps = [history.item(r, 1).text() for r in range(history.rowCount())]
    assert steps == ["承办人提交", "副组长审核通过", "组长审签", "退回"]
    people = [history.item(r, 2).text() for r in range(4)]
    assert people[0] == "钱文静" and people[2] == people[3] == "赵立新" and people[1] not in ("钱文静", "赵立新")
    assert history.item(3, 3).text() == "责任认定不具体"
    assert history.item(0, 0).text()  # when
    assert FindingService(world.ctx).get(finding.id).review_state == "returned"

    # The register shows the new state too.
    state_column = findings.model.column_of_sort_key("review_state")
    qtbot.waitUntil(lambda: findings.model.index(0, state_column).data() == "已退回", timeout=10_000)

    # And the source record opens from the working paper.
    editor.tabs.setCurrentIndex(1)
    click(qtbot, editor.source_button)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is page and page.current_id == saved.id, timeout=10_000)
    assert page.table.selectionModel().currentIndex().data(Qt.ItemDataRole.DisplayRole)
