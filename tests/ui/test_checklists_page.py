"""The 工作清单 page: marking items done or not applicable, progress bars, attachments, links to
records, and which 必谈 categories and 必问 topics are still uncovered."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from app.services.checklists import ChecklistService
from app.ui.page import Page
from app.ui.pages import checklists as checklists_page

from .helpers import click, click_row, type_into


def _item(world, list_kind: str, code: str):
    return next(i for i in ChecklistService(world.ctx).for_inspection(world.inspection.id, list_kind) if i.code == code)


def test_mark_items_and_watch_the_progress(qtbot, window, world):
    page = window.checklists
    window.show_page(Page.CHECKLISTS)
    tab = page.list_tabs["must_check"]
    qtbot.waitUntil(lambda: tab.table.rowCount() == 5, timeout=10_000)
    assert tab.progress.value() == 0 and tab.progress.maximum() == 5
    click_row(qtbot, tab.table, 3)  # 三重一大事项
    qtbot.waitUntil(lambda: page.current is not None and page.current.code == "major_matters", timeout=5_000)
    assert "集体决策" in page.guidance.toPlainText()

    click(qtbot, page.status_buttons["done"])
    type_into(qtbot, page.notes, "已调阅2025年全部党组会议记录。")
    assert page.dirty
    click(qtbot, page.save_button)
    qtbot.waitUntil(lambda: tab.progress.value() == 1, timeout=10_000)
    assert tab.table.item(3, 1).text() == "已完成"
    assert page.tabs.tabText(0) == "五必查 1/5"
    saved = _item(world, "must_check", "major_matters")
    assert saved.status == "done" and saved.done_at is not None

    # 不适用 needs a reason: the service says so.
    click_row(qtbot, tab.table, 4)
    qtbot.waitUntil(lambda: page.current.code == "public_reports", timeout=5_000)
    click(qtbot, page.status_buttons["not_applicable"])
    click(qtbot, page.save_button)
    qtbot.waitUntil(lambda: page.message.kind == "error", timeout=10_000)
    assert "写明理由" in page.message.text()
    type_into(qtbot, page.notes, "巡察期间未收到群众举报。")
    click(qtbot, page.save_button)
    qtbot.waitUntil(lambda: tab.progress.value() == 2, timeout=10_000)
    assert _item(world, "must_check", "public_reports").status == "not_applicable"


def test_switching_items_with_unsaved_notes_asks_first(qtbot, window, answers):
    page = window.checklists
    window.show_page(Page.CHECKLISTS)
    tab = page.list_tabs["must_check"]
    qtbot.waitUntil(lambda: tab.table.rowCount() == 5, timeout=10_000)
    click_row(qtbot, tab.table, 0)
    qtbot.waitUntil(lambda: page.current is not None and page.current.code == "key_work", timeout=5_000)
    type_into(qtbot, page.notes, "正在查阅")
    answers.unsaved = [checklists_page.Unsaved.CANCEL]
    click_row(qtbot, tab.table, 1)
    assert answers.asked == ["重要工作落实"]
    assert page.current.code == "key_work" and page.notes.toPlainText() == "正在查阅"
    assert tab.table.currentRow() == 0

    answers.unsaved = [checklists_page.Unsaved.DISCARD]
    click_row(qtbot, tab.table, 1)
    assert page.current.code == "key_business" and not page.dirty


def test_coverage_of_must_talk_and_must_ask(qtbot, window, world):
    page = window.checklists
    window.show_page(Page.CHECKLISTS)
    talk = page.list_tabs["must_talk"]
    ask = page.list_tabs["must_ask"]
    qtbot.waitUntil(lambda: talk.table.rowCount() == 4, timeout=10_000)
    page.tabs.setCurrentIndex(2)
    rows = {talk.table.item(r, 0).text(): talk.table.item(r, 2).text() for r in range(4)}
    assert "张建国" in rows["主要领导"]
    assert "李红梅" in rows["班子成员"] and "张建国" in rows["班子成员"]
    assert "王志强" in rows["重要岗位负责人"]
    assert "主要领导" in talk.coverage.text()

    world.interview(talk_category="main_leader", topics_asked=["duty", "ideology"])
    window.workspace.announce("interview")
    qtbot.waitUntil(lambda: "主要领导" not in talk.coverage.text(), timeout=10_000)
    rows = {talk.table.item(r, 0).text(): talk.table.item(r, 2).text() for r in range(4)}
    assert rows["主要领导"].startswith("已谈 1 人次")
    # 张建国 was talked to, so he is no longer missing from 班子成员 either.
    assert "张建国" not in rows["班子成员"] and "李红梅" in rows["班子成员"]
    asked = {ask.table.item(r, 0).text(): ask.table.item(r, 2).text() for r in range(6)}
    assert asked["履职情况"] == "1 次谈话" and asked["作风表现"] == "尚未问到"
    assert "履职情况" not in ask.coverage.text() and "作风表现" in ask.coverage.text()


def test_attachments_and_links(qtbot, window, world, answers, tmp_path, monkeypatch):
    interview = world.interview()
    finding = world.finding()
    page = window.checklists
    window.show_page(Page.CHECKLISTS)
    tab = page.list_tabs["must_check"]
    qtbot.waitUntil(lambda: tab.table.rowCount() == 5, timeout=10_000)
    click_row(qtbot, tab.table, 1)
    qtbot.waitUntil(lambda: page.current is not None and page.current.code == "key_business", timeout=5_000)

    evidence = tmp_path / "抽查凭证清单.txt"
    evidence.write_text("凭证号 2025-0312 等 12 张", encoding="utf-8")
    answers.open_paths = [str(evidence)]
    click(qtbot, page.attachments.add_button)
    qtbot.waitUntil(lambda: page.attachments.attached_names() == ["抽查凭证清单.txt"], timeout=10_000)

    # Link through the picker: choose the kind, then the record.
    def pick(dialog: checklists_page.LinkPicker) -> int:
        dialog.kind.setCurrentIndex(dialog.kind.findData("finding"))
        qtbot.waitUntil(lambda: dialog.records.count() == 1, timeout=5_000)
        dialog.records.setCurrentRow(0)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(checklists_page.LinkPicker, "exec", pick)
    click(qtbot, page.link_button)
    qtbot.waitUntil(lambda: page.links.count() == 1 and "违规使用公务用车" in page.links.item(0).text(), timeout=10_000)
    page.link("interview", interview.id)
    qtbot.waitUntil(lambda: page.links.count() == 2, timeout=10_000)
    assert {lnk.target_id for lnk in ChecklistService(world.ctx).links(page.current.id)} == {finding.id, interview.id}

    # A link opens its record.
    page.links.setCurrentRow(0)
    click(qtbot, page.open_link_button)
    qtbot.waitUntil(lambda: window.findings.editor.current_id == finding.id, timeout=10_000)
    assert window.stack.currentWidget() is window.findings
