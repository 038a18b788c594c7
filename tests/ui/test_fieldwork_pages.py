"""Petitions, document reviews and visits: list and editor, each able to raise a finding; edits
are never thrown away without asking."""

from __future__ import annotations

from app.services.fieldwork import DocumentReviewService, PetitionService, VisitService
from app.ui.dialogs import Unsaved
from app.ui.page import Page

from .helpers import choose, click, click_row, tick, type_into


def test_petition_rules_save_and_raise_a_finding(qtbot, window, world):
    page = window.petitions
    window.show_page(Page.PETITIONS)
    click(qtbot, page.new_button)
    choose(qtbot, page.channel, "12345热线")
    type_into(qtbot, page.subject_name, "王志强")
    type_into(qtbot, page.subject_post, "财务科科长")
    type_into(qtbot, page.content, "反映财务科长王志强虚报差旅费。")
    click(qtbot, page.save_button)
    qtbot.waitUntil(lambda: page.message.kind == "error", timeout=10_000)
    assert "举报人姓名" in page.message.text()

    click(qtbot, page.anonymous)
    assert not page.reporter_name.isEnabled()
    click(qtbot, page.save_button)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and not page.dirty, timeout=10_000)
    petition = PetitionService(world.ctx).list()[0]
    assert petition.anonymous and petition.channel == "hotline_12345" and petition.subject_name == "王志强"
    assert page.model.index(0, 1).data() == "12345热线"

    click(qtbot, page.raise_button)
    editor = window.findings.editor
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.findings and editor.dirty, timeout=10_000)
    assert editor.facts.toPlainText() == "反映财务科长王志强虚报差旅费。"
    assert editor.responsible_people.text() == "王志强"
    assert editor.source_label.text() == "信访举报"


def test_document_review_and_visit_raise_findings(qtbot, window, world):
    reviews = window.document_reviews
    window.show_page(Page.DOCUMENT_REVIEWS)
    click(qtbot, reviews.new_button)
    type_into(qtbot, reviews.title, "2025年党组会议记录")
    type_into(qtbot, reviews.material_kind, "会议记录")
    tick(qtbot, reviews.reviewers, "孙浩然")
    choose(qtbot, reviews.unit, "市财政局")
    type_into(qtbot, reviews.notes, "3月两次会议记录为事后补记。")
    click(qtbot, reviews.save_button)
    qtbot.waitUntil(lambda: reviews.model.rowCount() == 1 and not reviews.dirty, timeout=10_000)
    saved = DocumentReviewService(world.ctx).list()[0]
    assert saved.reviewer_ids == [str(world.member_b.id)] and saved.unit_id == world.unit.id
    assert reviews.model.index(0, 4).data() == "孙浩然"
    click(qtbot, reviews.raise_button)
    qtbot.waitUntil(lambda: window.findings.editor.source_label.text() == "查阅资料", timeout=10_000)
    window.findings.editor.tracker.set_dirty(False)

    visits = window.visits
    window.show_page(Page.VISITS)
    click(qtbot, visits.new_button)
    type_into(qtbot, visits.place, "城东村村委会")
    tick(qtbot, visits.visitors, "赵立新")
    type_into(qtbot, visits.people_met, "村民代表5人")
    type_into(qtbot, visits.content, "群众反映低保评定不公开。")
    # Raising a finding from an unsaved record saves it first.
    click(qtbot, visits.raise_button)
    qtbot.waitUntil(lambda: window.findings.editor.source_label.text() == "走访", timeout=10_000)
    assert VisitService(world.ctx).list()[0].place == "城东村村委会"


def test_unsaved_edits_are_never_dropped_silently(qtbot, window, world, answers):
    from app.services.fieldwork import PetitionService as Service

    one = Service(world.ctx).create(inspection_id=world.inspection.id, received_at=world.inspection.created_at,
                                    channel="letter", anonymous=True, content="第一件")
    Service(world.ctx).create(inspection_id=world.inspection.id, received_at=world.inspection.created_at,
                              channel="phone", anonymous=True, content="第二件")
    page = window.petitions
    window.show_page(Page.PETITIONS)
    page.reload()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10_000)
    row_of_one = page.proxy.mapFromSource(page.model.index(page.model.row_of(one.id), 0)).row()
    click_row(qtbot, page.table, row_of_one)
    qtbot.waitUntil(lambda: page.current_id == one.id, timeout=10_000)
    type_into(qtbot, page.handling, "已核实")

    # Cancel: stay on the record, edits intact.
    answers.unsaved = [Unsaved.CANCEL]
    click_row(qtbot, page.table, 1 - row_of_one)
    assert page.current_id == one.id and page.handling.toPlainText() == "已核实"
    assert page.table.currentIndex().row() == row_of_one

    # Save: the edit is written, then the other record opens.
    answers.unsaved = [Unsaved.SAVE]
    click_row(qtbot, page.table, 1 - row_of_one)
    qtbot.waitUntil(lambda: page.current_id not in (None, one.id), timeout=10_000)
    assert Service(world.ctx).get(one.id).handling == "已核实"

    # Closing the window with unsaved edits asks too; cancelling keeps it open.
    type_into(qtbot, page.handling, "新的办理情况")
    answers.unsaved = [Unsaved.CANCEL]
    window.close()
    assert window.isVisible()
    assert len(answers.asked) == 3
