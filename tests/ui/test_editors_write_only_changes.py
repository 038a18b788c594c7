"""No editor writes a field it did not show: opening and saving a record unchanged writes nothing,
in every record kind and every scope of a demo database, and a finding of another inspection keeps
its 责任单位 (outside this inspection's pickers) when only its 严重程度 is changed."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select, text

from app.models import Base, ChangeEvent, Finding, InspectionUnit
from app.services.context import ServiceContext
from app.services.demo import generate_demo
from app.services.inspections import InspectionService
from app.services.setup import open_database
from app.ui.models.record_table import IdRole
from app.ui.page import Page

from .conftest import wait_idle
from .helpers import choose, click, click_row

# Rows opened per list (a sample: the first, one in the middle and the last).
SAMPLE = 3


@pytest.fixture
def demo(tmp_path):
    db = open_database(tmp_path / "demo.sqlite3", create=True).db
    generate_demo(db, seed=5, units=8, findings=80, interviews=30)
    yield ServiceContext(db)
    db.dispose()


@pytest.fixture
def demo_window(qtbot, demo):
    from app.ui.main_window import MainWindow

    win = MainWindow()
    win.resize(1366, 768)
    win.show()
    with qtbot.waitSignal(win.ready, timeout=20_000):
        win.set_context(demo)
    yield win
    for page in win.built_pages():
        for tracker in _trackers(page):
            tracker.set_dirty(False)
    win.close()
    win.tasks.wait(10_000)
    win.deleteLater()


def _trackers(page):
    if hasattr(page, "pages"):
        return [p.tracker for p in page.pages]
    tracker = getattr(page, "tracker", None) or getattr(getattr(page, "editor", None), "tracker", None)
    return [tracker] if tracker is not None else []


def _digest(db) -> str:
    """Every synced row, every column: equal digests mean nothing was written."""
    h = hashlib.sha256()
    with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if "deleted_at" not in table.c:
                continue
            for row in conn.execute(text(f"SELECT * FROM {table.name} ORDER BY id")):
                h.update(repr(tuple(row)).encode())
    return h.hexdigest()


def _events(db) -> int:
    with db.read() as session:
        return session.query(ChangeEvent).count()


def _richest_inspections(ctx, n: int) -> list:
    """The inspections with records of every kind (most of the scarcest kind first)."""
    from app.services import fieldwork

    services = [fieldwork.InterviewService, fieldwork.PetitionService, fieldwork.DocumentReviewService,
                fieldwork.VisitService, fieldwork.BriefingService, fieldwork.GroupTalkService,
                fieldwork.SurveyService, fieldwork.MeetingService]
    scored = []
    for inspection in InspectionService(ctx).list():
        counts = [service(ctx).count(inspection_id=inspection.id) for service in services]
        scored.append((min(counts), sum(counts), inspection))
    scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
    return [inspection for _min, _sum, inspection in scored[:n]]


def _sample(n: int) -> list[int]:
    return sorted({0, n // 2, n - 1}) if n else []


def _open_and_save(qtbot, page) -> int:
    """Open a sample of the page's rows and save each without touching it; returns how many."""
    wait_idle(qtbot, page)
    rows = _sample(page.model.rowCount())[:SAMPLE]
    for row in rows:
        record_id = page.proxy.index(row, 0).data(IdRole)
        click_row(qtbot, page.table, row)
        qtbot.waitUntil(lambda rid=record_id: page.current_id is not None and str(page.current_id) == str(rid),
                        timeout=10_000)
        assert not page.dirty
        click(qtbot, page.save_button)
        qtbot.waitUntil(lambda: page.message.kind == "info" and not page.tasks.busy, timeout=10_000)
        assert "没有需要保存的修改" in page.message.text()
    return len(rows)


def test_open_and_save_unchanged_writes_nothing_in_any_kind_or_scope(qtbot, demo_window, demo):
    window = demo_window
    before, events = _digest(demo.db), _events(demo.db)
    opened = {}
    for inspection in _richest_inspections(demo, 2):
        if inspection.id != window.workspace.inspection_id:
            window.select_inspection(inspection.id)
            qtbot.waitUntil(lambda i=inspection: window.workspace.inspection_id == i.id, timeout=15_000)
        pages = [window.interviews, window.petitions, window.document_reviews, window.visits,
                 *window.page(Page.MEETINGS).pages]
        for page in pages:
            window.show_page_widget(page if page.parent() is window.stack else window.page(Page.MEETINGS))
            if page.parent() is not window.stack:
                window.page(Page.MEETINGS).show_kind(page.kind)
            opened[page.kind] = opened.get(page.kind, 0) + _open_and_save(qtbot, page)
    assert all(opened[kind] for kind in ("interview", "petition", "document_review", "visit", "briefing",
                                         "group_talk", "survey", "meeting")), opened

    # 问题台账, in both scopes, and the 工作清单's items.
    findings = window.findings
    window.show_page_widget(findings)
    for scope in ("inspection", "all"):
        choose(qtbot, findings.scope, "本次巡察" if scope == "inspection" else "全部巡察")
        qtbot.waitUntil(lambda: not findings.model.loading and findings.model.rowCount() > 0, timeout=15_000)
        for row in _sample(findings.model.rowCount()):
            finding_id = findings.model.row_id(row)
            click_row(qtbot, findings.table, row)
            qtbot.waitUntil(lambda f=finding_id: findings.editor.current_id == f, timeout=10_000)
            click(qtbot, findings.editor.save_button)
            qtbot.waitUntil(lambda: "没有需要保存的修改" in findings.editor.message.text(), timeout=10_000)
    checklists = window.checklists
    window.show_page_widget(checklists)
    wait_idle(qtbot, checklists)
    for list_kind in ("must_check", "must_ask", "must_talk"):
        item = [i for i in checklists.items if i.list_kind == list_kind][1]
        checklists.select(list_kind, item.code)
        qtbot.waitUntil(lambda i=item: checklists.current is not None and checklists.current.id == i.id, timeout=5000)
        click(qtbot, checklists.save_button)
        qtbot.waitUntil(lambda: "没有需要保存的修改" in checklists.message.text(), timeout=5000)

    wait_idle(qtbot, window)
    assert _events(demo.db) == events
    assert _digest(demo.db) == before


def test_changing_only_the_severity_of_another_inspections_finding_keeps_its_unit(qtbot, demo_window, demo):
    window = demo_window
    findings = window.findings
    window.show_page_widget(findings)
    current = window.workspace.inspection_id
    with demo.db.read() as session:
        here = set(session.scalars(select(InspectionUnit.unit_id).where(InspectionUnit.inspection_id == current)))
        other = session.scalars(
            select(Finding).where(Finding.inspection_id != current, Finding.unit_id.is_not(None),
                                  Finding.unit_id.not_in(here), Finding.review_state != "approved")
            .order_by(Finding.id)
        ).first()
    assert other is not None
    findings.open_record(other.id)
    qtbot.waitUntil(lambda: findings.editor.current_id == other.id, timeout=10_000)
    editor = findings.editor
    editor.tabs.setCurrentIndex(1)
    # The stored unit is shown, marked as outside this inspection, never as （未选择）.
    assert "不属于本次巡察的单位" in editor.unit.currentText()
    assert "未选择" not in editor.unit.currentText()
    wanted = "严重" if other.severity != "serious" else "一般"
    choose(qtbot, editor.severity, wanted)
    assert editor.dirty
    click(qtbot, editor.save_button)
    qtbot.waitUntil(lambda: not editor.dirty and "底稿已保存" in editor.message.text(), timeout=10_000)
    with demo.db.read() as session:
        saved = session.get(Finding, other.id)
        events = session.scalars(select(ChangeEvent).where(ChangeEvent.row_id == other.id)).all()
    assert saved.unit_id == other.unit_id
    assert saved.handler_id == other.handler_id and saved.assignee_id == other.assignee_id
    assert saved.severity != other.severity
    # The demo's row came with its insert event; the save added exactly one change, of 严重程度 alone.
    edits = [e for e in events if e.op != "insert"]
    assert len(edits) == 1 and set(edits[0].fields) - {"updated_at", "updated_by"} == {"severity"}
