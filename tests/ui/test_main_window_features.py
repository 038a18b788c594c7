
"""The main window around the pages: the dashboard, the global search box, keyboard shortcuts,
the remembered layout, and English as the other interface language."""

from __future__ import annotations

import datetime as dt

from actors import through_review
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from app.services.findings import FindingService
from app.services.inspections import InspectionService
from app.services.rectifications import RectificationService
from app.ui import i18n
from app.ui.main_window import MainWindow
from app.ui.page import Page
from app.ui.pages.dashboard import days_left_text

from .helpers import click, type_into


def test_dashboard_shows_where_the_inspection_stands(qtbot, world):
    finding = world.finding()
    FindingService(world.ctx).update(finding.id, characterisation="违规", responsibility="局长")
    through_review(world.ctx, finding.id, until="submitted")
    other = world.finding(title="扶贫资金被挪用")
    RectificationService(world.ctx).create(finding_id=other.id, measures="追回资金", responsible_person="张建国",
                                           deadline=dt.date.today())
    world.interview(topics_asked=["duty"], talk_category="main_leader")
    win = MainWindow()
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.ready, timeout=15_000):
        win.set_context(world.ctx)
    page = win.dashboard
    assert page.name_label.text() == "市委第一巡察组巡察市财政局党组"
    assert page.stage_label.text() == "当前阶段：开展工作"
    assert page.findings_total.text() == "共 2 个问题"
    statuses = {page.by_status.item(r, 0).text(): page.by_status.item(r, 1).text() for r in range(5)}
    assert statuses["待处置"] == "1" and statuses["整改中"] == "1"
    assert page.review_table.rowCount() == 1 and page.review_table.item(0, 1).text() == "违规使用公务用车"
    assert "谈话 1 人次" in page.work_label.text()
    assert page.progress["must_ask"].maximum() == 6
    assert "六必问已问到 1/6 项" in page.coverage_label.text()
    assert "四必谈已谈到 1/4 类" in page.coverage_label.text()
    # Double-click a waiting working paper: the register opens on it.
    page.review_table.setCurrentCell(0, 1)
    page.review_table.itemActivated.emit(page.review_table.item(0, 1))
    qtbot.waitUntil(lambda: win.findings.editor.current_id == finding.id, timeout=10_000)
    assert win.stack.currentWidget() is win.findings


def test_days_left():
    today = dt.date(2026, 10, 1)
    assert days_left_text(dt.date(2026, 9, 1), dt.date(2026, 10, 31), today) == "距结束还有 30 天"
    assert days_left_text(dt.date(2026, 10, 11), dt.date(2026, 10, 31), today) == "10 天后进驻"
    assert days_left_text(dt.date(2026, 9, 1), dt.date(2026, 9, 30), today) == "已于 2026-09-30 结束"


def test_global_search_finds_and_opens_records(qtbot, window, world):
    finding = world.finding(title="扶贫资金被挪用", facts="38万元被挪作办公楼装修。")
    interview = world.interview(transcript="答：去年有过几次接待超标。")
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    box = window.search_box
    assert box.hasFocus() or QApplication.focusWidget() is box
    type_into(qtbot, box, "挪用")
    qtbot.waitUntil(lambda: box.results.isVisible() and box.results.list.count() == 1, timeout=10_000)
    assert "[问题] 扶贫资金被挪用" in box.results.list.item(0).text()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.findings.editor.current_id == finding.id, timeout=10_000)
    assert window.stack.currentWidget() is window.findings

    type_into(qtbot, box, "接待")
    qtbot.waitUntil(lambda: box.results.isVisible() and box.results.list.count() == 1, timeout=10_000)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.interviews.current_id == interview.id, timeout=10_000)
    assert window.stack.currentWidget() is window.interviews

    type_into(qtbot, box, "没有这样的内容")
    qtbot.waitUntil(lambda: "没有找到" in box.results.note.text(), timeout=10_000)
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert not box.results.isVisible()


def test_search_hit_in_another_inspection_switches_to_it(qtbot, window, world):
    other = InspectionService(world.ctx).create(name="第二次巡察", kind="special", stage="fieldwork")
    hit = FindingService(world.ctx).create(inspection_id=other.id, title="专项资金闲置", facts="闲置两年。")
    window.refresh()
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=10_000)
    type_into(qtbot, window.search_box, "闲置")
    qtbot.waitUntil(lambda: window.search_box.results.list.count() == 1, timeout=10_000)
    assert "其他巡察" in window.search_box.results.list.item(0).text()
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace.inspection_id == other.id, timeout=10_000)
    qtbot.waitUntil(lambda: window.findings.editor.current_id == hit.id, timeout=10_000)
    assert window.inspection_combo.currentText() == "第二次巡察"


def test_shortcuts_switch_pages_and_save(qtbot, window, world):
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.findings
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    page = window.petitions
    assert window.stack.currentWidget() is page
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    click(qtbot, page.anonymous)
    type_into(qtbot, page.content, "反映食堂账目不清。")
    qtbot.keyClick(page.content, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and not page.dirty, timeout=10_000)


def test_layout_and_place_are_remembered(qtbot, world):
    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    with qtbot.waitSignal(first.ready, timeout=15_000):
        first.set_context(world.ctx)
    first.resize(1100, 700)
    first.show_page(Page.FINDINGS)
    qtbot.waitUntil(lambda: first.findings.splitter.width() > 300, timeout=3000)
    total = sum(first.findings.splitter.sizes())
    first.findings.splitter.setSizes([total - 250, 250])
    kept = first.findings.splitter.sizes()
    size = first.size()
    first.close()
    assert QSettings().value("main_window/page") == 6

    second = MainWindow()
    qtbot.addWidget(second)
    second.show()
    with qtbot.waitSignal(second.ready, timeout=15_000):
        second.set_context(world.ctx)
    assert second.stack.currentWidget() is second.findings
    # The offscreen screen is 800 px wide: restoring clamps the width there, not the height.
    assert second.size().height() == size.height() == 700
    # The working paper keeps (about) the width it was given; the register absorbs the clamping.
    qtbot.waitUntil(lambda: abs(second.findings.splitter.sizes()[1] - kept[1]) < 60, timeout=3000)
    assert second.workspace.inspection_id == world.inspection.id


def test_english_interface(qtbot, world, monkeypatch):
    monkeypatch.setenv("XUNCHA_LANG", "en")
    app = QApplication.instance()
    try:
        assert i18n.install_translators(app) == "en"
        win = MainWindow()
        qtbot.addWidget(win)
        with qtbot.waitSignal(win.ready, timeout=15_000):
            win.set_context(world.ctx)
        nav = [win.navigation.item(r).text() for r in range(win.navigation.count())]
        assert nav[0] == "Overview" and nav[6] == "Findings register"
        assert win.findings.heading.text() == "Findings register"
        assert win.interviews.save_button.text() == "&Save"
        assert win.dashboard.stage_label.text() == "Stage: Fieldwork"
        assert win.findings.model.headerData(1, Qt.Orientation.Horizontal) == "Title"
    finally:
        monkeypatch.delenv("XUNCHA_LANG")
        i18n.install_translators(app, "zh_CN")
    assert i18n.translate("MainWindow", "概览") == "概览"
