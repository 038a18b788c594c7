"""The 公文 page: pick a kind, edit, preview inside the application, issue with a 文号 and save."""

from __future__ import annotations

from types import SimpleNamespace

import pypdf
import pytest
from actors import through_review
from conftest import World
from PySide6.QtCore import Qt

from app.services.context import ServiceContext
from app.services.documents import IssuedDocumentService
from app.ui import dialogs
from app.ui.pages import documents_panel
from app.ui.pages.documents_panel import DocumentsPanel
from app.ui.workspace import Workspace


@pytest.fixture
def panel(qtbot, db):
    import datetime as dt

    from app.services.inspections import InspectionService

    world = World(ServiceContext(db))
    today = dt.date.today()
    InspectionService(world.ctx).update(world.inspection.id, stage="report", start_date=today - dt.timedelta(days=60),
                                        end_date=today - dt.timedelta(days=3))
    world.inspection = InspectionService(world.ctx).get(world.inspection.id)
    finding = world.finding(characterisation="违反中央八项规定精神", responsibility="局长负主要领导责任")
    through_review(world.ctx, finding.id)
    workspace = Workspace()
    workspace.ctx = world.ctx
    # The page only needs to know which inspection is chosen.
    workspace.lookups = SimpleNamespace(inspection=world.inspection)
    page = DocumentsPanel(workspace)
    qtbot.addWidget(page)
    page.show()
    return page, world


def test_preview_then_issue(qtbot, panel, tmp_path, monkeypatch):
    page, world = panel
    page.load_defaults()
    qtbot.waitUntil(lambda: bool(page.title.text()), timeout=15_000)
    assert "反馈" in page.title.text()
    page.assessment.setPlainText("市财政局党组总体上能够贯彻落实上级决策部署。")
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.pages_layout.count() > 0, timeout=30_000)
    assert "预览：共" in page.status.text()
    assert IssuedDocumentService(world.ctx).count() == 0  # a preview records nothing

    out = tmp_path / "feedback.pdf"
    monkeypatch.setattr(dialogs, "save_file_path", lambda *a: str(out))
    qtbot.mouseClick(page.issue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.message.kind in ("info", "error"), timeout=30_000)
    assert page.message.kind == "info", page.message.text()
    number = IssuedDocumentService(world.ctx).list()[0].number_text
    assert number in page.message.text()
    text = "".join(p.extract_text() for p in pypdf.PdfReader(out).pages)
    assert "总体上能够贯彻落实上级决策部署" in text.replace("\n", "")


def test_issuing_again_asks_then_the_register_saves_word_and_voids(qtbot, panel, tmp_path, monkeypatch):
    from app.ui.pages import document_register
    from app.ui.pages.document_register import DocumentRegister

    page, world = panel
    page.load_defaults()
    qtbot.waitUntil(lambda: bool(page.title.text()), timeout=15_000)
    monkeypatch.setattr(dialogs, "save_file_path", lambda *a: str(tmp_path / "first.pdf"))
    qtbot.mouseClick(page.issue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.message.kind == "info", timeout=30_000)
    asked = []
    monkeypatch.setattr(documents_panel, "confirm_again", lambda _p, message: asked.append(message) or False)
    monkeypatch.setattr(dialogs, "save_file_path", lambda *a: str(tmp_path / "second.pdf"))
    page.message.clear_message()
    qtbot.mouseClick(page.issue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(asked), timeout=30_000)
    assert "已印发巡察反馈意见" in asked[0]
    assert IssuedDocumentService(world.ctx).count() == 1 and not (tmp_path / "second.pdf").exists()

    register = DocumentRegister(page.workspace)
    qtbot.addWidget(register)
    register.show()
    register.reload()
    qtbot.waitUntil(lambda: register.table.rowCount() == 1, timeout=15_000)
    register.table.selectRow(0)
    monkeypatch.setattr(dialogs, "save_file_path", lambda *a: str(tmp_path / "word.docx"))
    qtbot.mouseClick(register.save_word, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: (tmp_path / "word.docx").exists(), timeout=30_000)
    import docx

    assert "反馈意见" in "".join(p.text for p in docx.Document(tmp_path / "word.docx").paragraphs)
    monkeypatch.setattr(document_register, "void_reason", lambda *a: "标题有误")
    qtbot.mouseClick(register.void_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: register.table.rowCount() == 1 and "已作废" in register.table.item(0, 7).text(),
                    timeout=15_000)
    assert IssuedDocumentService(world.ctx).list()[0].void_reason == "标题有误"


def test_profile_form_proposes_every_name_from_level_and_place(qtbot):
    from app.ui.widgets.profile_form import ProfileForm

    form = ProfileForm()
    qtbot.addWidget(form)
    form.level.setCurrentIndex(form.level.findData("county"))
    form.show()
    form.place.setText("青山县")
    form.place.textEdited.emit("青山县")  # as typed (QTest cannot type Chinese characters)
    p = form.profile()
    assert (p.leading_group_name, p.office_prefix, p.team_code("县委第二巡察组")) == (
        "中共青山县委巡察工作领导小组", "县委巡办", "县委二巡")
    assert "中共青山县委巡察工作领导小组文件" in form.example.text()


def test_interview_record_is_chosen_by_record_and_previewed(qtbot, panel):
    page, world = panel
    world.interview(transcript="问：你分管哪些工作？\n答：财务和后勤。")
    page.kind.setCurrentIndex(page.kind.findData("interview-record"))
    qtbot.waitUntil(lambda: page.record.count() == 1 and page.title.text() == "谈话笔录", timeout=15_000)
    assert page.record.isVisible() and not page.addressee.isEnabled()
    assert page.issue_button.text().startswith("保存")  # a record, not a numbered 公文
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.pages_layout.count() > 0, timeout=30_000)
    assert "预览：共 1 页" in page.status.text()
