"""No keystroke of a transcript is lost: edits go to a local draft journal within a second, a saved
interview is saved again when typing pauses, and a draft left by a crash is offered back."""

from __future__ import annotations

import datetime as dt

from app.services.fieldwork import InterviewService
from app.ui.draft_journal import DraftJournal
from app.ui.main_window import MainWindow
from app.ui.page import Page
from app.ui.pages import interviews

from .helpers import choose, click, click_row, tick, type_into


def _journal(world) -> DraftJournal:
    return DraftJournal.for_database(world.ctx.db)


def _open_window(qtbot, world) -> MainWindow:
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.ready, timeout=15_000):
        win.set_context(world.ctx)
    win.show_page(Page.INTERVIEWS)
    return win


def test_a_new_interview_survives_a_crash(qtbot, window, world):
    page = window.interviews
    window.show_page(Page.INTERVIEWS)
    click(qtbot, page.new_button)
    choose(qtbot, page.interviewee, "李红梅")
    type_into(qtbot, page.transcript, "问：班子分工是否明确？\n答：明确。")
    journal = _journal(world)
    qtbot.waitUntil(lambda: bool(journal.entries("interview-")), timeout=5_000)
    key, _when, data = journal.entries("interview-")[0]
    assert data["transcript"] == "问：班子分工是否明确？\n答：明确。"
    assert data["interviewee_name"] == "李红梅"
    assert data["record_id"] is None

    # The laptop dies: nothing reached the database; the next start offers the draft back.
    page.tracker.set_dirty(False)
    assert InterviewService(world.ctx).count() == 0
    again = _open_window(qtbot, world)
    restored = again.interviews
    qtbot.waitUntil(lambda: not restored.draft_bar.isHidden(), timeout=10_000)
    assert "李红梅" in restored.draft_label.text()
    click(qtbot, restored.restore_button)
    qtbot.waitUntil(lambda: restored.transcript.toPlainText().endswith("答：明确。"), timeout=5_000)
    assert restored.interviewee.currentText().startswith("李红梅")
    assert restored.dirty and restored.current_id is None

    tick(qtbot, restored.interviewers, "赵立新")
    tick(qtbot, restored.interviewers, "钱文静")
    click(qtbot, restored.save_button)
    qtbot.waitUntil(lambda: restored.model.rowCount() == 1 and not restored.dirty, timeout=10_000)
    # Safely in the database: the draft is gone.
    qtbot.waitUntil(lambda: not journal.entries("interview-"), timeout=5_000)
    assert InterviewService(world.ctx).list()[0].transcript.endswith("答：明确。")
    again.close()


def test_a_saved_interview_is_saved_again_when_typing_pauses(qtbot, window, world, monkeypatch):
    monkeypatch.setattr(interviews, "AUTOSAVE_DELAY_MS", 300)
    interview = world.interview(transcript="问：第一问。")
    page = window.interviews
    page._autosave_timer.setInterval(interviews.AUTOSAVE_DELAY_MS)
    window.show_page(Page.INTERVIEWS)
    page.reload()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    click_row(qtbot, page.table, 0)
    qtbot.waitUntil(lambda: page.current_id == interview.id, timeout=10_000)
    page.transcript.setFocus()
    type_into(qtbot, page.transcript, "\n答：第一答。", clear=False)
    qtbot.waitUntil(lambda: "第一答" in (InterviewService(world.ctx).get(interview.id).transcript or ""),
                    timeout=10_000)
    qtbot.waitUntil(lambda: not page.dirty, timeout=5_000)
    assert "已保存" in page.autosave_label.text()
    qtbot.waitUntil(lambda: not _journal(world).entries("interview-"), timeout=5_000)


def test_dropping_a_draft_forgets_it(qtbot, world):
    journal = _journal(world)
    journal.save("interview-new-abc", {"inspection_id": str(world.inspection.id), "label": "与王志强的谈话",
                                       "interviewee_name": "王志强", "transcript": "草稿"})
    journal.save("interview-new-other", {"inspection_id": "another", "label": "别的巡察"})
    win = _open_window(qtbot, world)
    page = win.interviews
    qtbot.waitUntil(lambda: not page.draft_bar.isHidden(), timeout=10_000)
    assert "王志强" in page.draft_label.text()
    assert "另有" not in page.draft_label.text()  # the other inspection's draft is not offered here
    click(qtbot, page.drop_draft_button)
    qtbot.waitUntil(lambda: page.draft_bar.isHidden(), timeout=5_000)
    qtbot.waitUntil(lambda: [k for k, _t, _d in journal.entries("interview-")] == ["interview-new-other"],
                    timeout=5_000)


def test_a_draft_written_by_the_previous_version_is_restored_whole(qtbot, world):
    """A laptop that died before the update left its draft under the fields' older names: all of
    it comes back, and saving it stores who was talked to (the person, not only the name)."""
    journal = _journal(world)
    journal.save("interview-new-old", {
        "record_id": None, "inspection_id": str(world.inspection.id), "label": "与张建国的谈话",
        "person_id": str(world.principal.id), "interviewee_name": "张建国", "post": "党组书记、局长",
        "kind": "individual", "talk_category": "main_leader",
        "interviewers": [str(world.leader.id), str(world.member_a.id)], "recorder": str(world.member_b.id),
        "start_at": "2026-10-09T17:00:00+08:00", "end_at": "2026-10-09T18:30:00+08:00", "place": "谈话室",
        "signed": True, "topics": ["duty"], "summary": "要点", "transcript": "问：分工？\n答：明确。"})
    win = _open_window(qtbot, world)
    page = win.interviews
    qtbot.waitUntil(lambda: not page.draft_bar.isHidden(), timeout=10_000)
    click(qtbot, page.restore_button)
    qtbot.waitUntil(lambda: page.transcript.toPlainText() == "问：分工？\n答：明确。", timeout=5_000)
    assert page.interviewee.currentText() == "张建国（党组书记、局长）" and page.post.text() == "党组书记、局长"
    assert page.signed.isChecked() and page.topic_boxes["duty"].isChecked()
    assert not page.topic_boxes["conduct"].isChecked()
    click(qtbot, page.save_button)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and not page.dirty, timeout=10_000)
    saved = InterviewService(world.ctx).list()[0]
    assert saved.interviewee_person_id == world.principal.id and saved.interviewee_name == "张建国"
    assert saved.recorder_id == world.member_b.id and saved.topics_asked == ["duty"]
    assert sorted(saved.interviewer_ids) == sorted([str(world.leader.id), str(world.member_a.id)])
    assert saved.end_at - saved.start_at == dt.timedelta(hours=1, minutes=30) and saved.signed_by_interviewee
    qtbot.waitUntil(lambda: not journal.entries("interview-"), timeout=5_000)
    win.close()
