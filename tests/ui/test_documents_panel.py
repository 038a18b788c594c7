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
from app.ui.pages import documents_panel
from app.ui.pages.documents_panel import DocumentsPanel
from app.ui.workspace import Workspace


@pytest.fixture
def panel(qtbot, db):
    world = World(ServiceContext(db))
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
    monkeypatch.setattr(documents_panel, "save_path", lambda *a: str(out))
    qtbot.mouseClick(page.issue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.message.kind in ("info", "error"), timeout=30_000)
    assert page.message.kind == "info", page.message.text()
    number = IssuedDocumentService(world.ctx).list()[0].number_text
    assert number in page.message.text()
    text = "".join(p.extract_text() for p in pypdf.PdfReader(out).pages)
    assert "总体上能够贯彻落实上级决策部署" in text.replace("\n", "")
