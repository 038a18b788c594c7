"""The inspection's pickers reach every page, though no longer all in one turn of the event loop:
the page in view at once, the others one at a time in the background or when shown; the tabs of
会议与测评 are built when first shown (or in the background) with the same pickers."""

from __future__ import annotations

import datetime as dt

from app.services.fieldwork import SurveyService
from app.services.inspections import InspectionService, InspectionUnitService, TeamService
from app.services.units import UnitPersonService, UnitService
from app.ui.main_window import MainWindow
from app.ui.page import Page
from app.ui.pages.meetings import GroupTalksPage, SurveysPage
from app.ui.workspace import SURVEY


def _items(combo) -> list[str]:
    return [combo.itemText(n) for n in range(combo.count())]


def _second_inspection(world):
    """Another inspection of another unit, with people of its own."""
    ctx = world.ctx
    unit = UnitService(ctx).create(name="市审计局", kind="gov_dept")
    people = UnitPersonService(ctx)
    people.create(unit_id=unit.id, name="周海峰", post="局长", is_principal=True)
    people.create(unit_id=unit.id, name="吴敏", post="办公室主任")
    inspection = InspectionService(ctx).create(name="市委第二巡察组巡察市审计局党组", kind="regular", stage="fieldwork",
                                              team_name="市委第二巡察组")
    InspectionUnitService(ctx).create(inspection_id=inspection.id, unit_id=unit.id)
    TeamService(ctx).create(inspection_id=inspection.id, inspector_id=world.member_a.id, role="leader")
    return inspection


def test_a_page_shown_before_the_pickers_arrive_gets_them(qtbot, world):
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    win.show_page(Page.INTERVIEWS)
    page = win.interviews
    assert page.lookups is None and page.interviewee.count() == 0
    with qtbot.waitSignal(win.ready, timeout=15_000):
        win.set_context(world.ctx)
    assert win.stack.currentWidget() is page
    # In the order the directory lists them, each with their post.
    assert _items(page.interviewee) == ["张建国（党组书记、局长）", "李红梅（副局长）", "王志强（财务科科长）"]
    assert _items(page.recorder) == ["（未指定）", "赵立新", "孙浩然", "钱文静"]
    win.close()


def test_after_switching_inspection_every_page_shows_the_new_pickers(qtbot, window, world):
    second = _second_inspection(world)
    window.refresh_inspections()
    qtbot.waitUntil(lambda: window.inspection_combo.count() == 2, timeout=10_000)
    qtbot.waitUntil(lambda: not window._preparing, timeout=20_000)
    # Pages held from before the switch, out of view while it happens.
    petitions, visits, meetings = window.petitions, window.visits, window.page(Page.MEETINGS)
    talks = meetings.group_talks
    assert _items(petitions.unit) == ["（未指明）", "市财政局"]
    window.show_page(Page.FINDINGS)
    with qtbot.waitSignal(window.ready, timeout=15_000):
        window.select_inspection(second.id)
    lookups = window.workspace.lookups
    assert lookups.inspection_id == second.id
    # By `ready` every page built has the new inspection's lists, in the same order as they were read.
    assert all(page.lookups is lookups for page in window.built_pages() if hasattr(page, "lookups"))
    assert _items(petitions.unit) == ["（未指明）", "市审计局"]
    assert _items(visits.unit) == ["（未指明）", "市审计局"]
    assert _items(talks.unit) == ["（未指明）", "市审计局"]
    assert [talks.hosts.item(n).text() for n in range(talks.hosts.count())] == ["钱文静（组长）"]
    assert _items(window.interviews.interviewee) == [p.text for p in lookups.people] == [
        "吴敏（办公室主任）", "周海峰（局长）"]


def test_meetings_tabs_are_built_when_shown_with_the_same_pickers(qtbot, window, world):
    page = window.page(Page.MEETINGS)
    window.show_page(Page.MEETINGS)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is page, timeout=5000)
    # Clicking a tab shows that tab's own page, with the inspection's lists.
    page.tabs.setCurrentIndex(2)
    surveys = page.tabs.currentWidget()
    assert isinstance(surveys, SurveysPage) and surveys is page.surveys
    assert surveys.heading.text() == page.tabs.tabText(2) == "民主测评/问卷"
    assert _items(surveys.unit)[1:] == ["市财政局"]
    page.tabs.setCurrentIndex(1)
    talks = page.tabs.currentWidget()
    assert isinstance(talks, GroupTalksPage)
    assert [talks.hosts.item(n).text() for n in range(talks.hosts.count())] == [
        "赵立新（组长）", "孙浩然（组员）", "钱文静（组员）"]
    assert _items(page.briefings.reporter) == ["张建国（党组书记、局长）", "李红梅（副局长）", "王志强（财务科科长）"]
    # Every tab is a page of its own in the tab order, and the window builds the rest while idle.
    qtbot.waitUntil(lambda: len(page.built_pages()) == 4, timeout=10_000)
    assert [page.tabs.widget(n) for n in range(4)] == [page.briefings, page.group_talks, page.surveys, page.meetings]


def test_a_meetings_tab_not_yet_built_opens_a_record_found_for_it(qtbot, world):
    survey = SurveyService(world.ctx).create(
        inspection_id=world.inspection.id, unit_id=world.unit.id, kind="democratic_evaluation", title="领导班子民主测评",
        held_at=dt.datetime(2026, 9, 4, 2, 30, tzinfo=dt.UTC), distributed=60, returned=58, valid=56,
        results=[{"item": "领导班子总体评价", "counts": [30, 20, 5, 1]}])
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.ready, timeout=15_000):
        win.set_context(world.ctx)
    win.open_record(SURVEY, survey.id)
    page = win.page(Page.MEETINGS)
    assert win.stack.currentWidget() is page and page.tabs.currentWidget() is page.surveys
    qtbot.waitUntil(lambda: page.surveys.current_id == survey.id, timeout=10_000)
    assert page.surveys.title.text() == "领导班子民主测评"
    win.close()


def test_the_overview_painted_at_launch_is_not_redrawn_when_the_pickers_arrive(qtbot, world):
    world.finding()
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    chosen: list[object] = []

    def choose_a_row() -> None:  # someone clicks the overview as soon as it shows
        table = win.dashboard.by_status
        table.setCurrentCell(1, 0)
        chosen.append(table.item(1, 0))

    win.usable.connect(choose_a_row)
    with qtbot.waitSignal(win.ready, timeout=15_000):
        win.set_context(world.ctx)
    table = win.dashboard.by_status
    assert chosen and table.item(1, 0) is chosen[0] and table.currentRow() == 1
    assert win.dashboard.findings_total.text() == "共 1 个问题"
    win.close()


def test_pages_opened_while_the_pickers_are_handed_on_have_them_and_ready_still_comes(qtbot, window, world):
    from PySide6.QtCore import QTimer

    qtbot.waitUntil(lambda: not window._preparing, timeout=20_000)
    centre = UnitService(world.ctx).create(name="市财政局机关服务中心", kind="gov_dept", parent_id=world.unit.id)
    InspectionUnitService(world.ctx).create(inspection_id=world.inspection.id, unit_id=centre.id)

    seen: list[str] = []

    def click_through_every_page() -> None:  # quicker than the background hand-over
        window.show_page(Page.CHECKLISTS)  # and back again: the one in view is never waiting
        for page in Page:
            window.show_page(page)

    def lookups_arrived(_lookups) -> None:
        seen.append("lookups")
        QTimer.singleShot(0, click_through_every_page)

    window.workspace.inspection_changed.connect(lookups_arrived)
    window.ready.connect(lambda: seen.append("ready"))
    window.refresh()  # F5: the inspection and its overview read again, then its pickers
    qtbot.waitUntil(lambda: "lookups" in seen and "ready" in seen[seen.index("lookups"):], timeout=15_000)
    assert window.stack.currentWidget() is window.page(Page.MEETINGS)
    assert _items(window.petitions.unit) == ["（未指明）", "市财政局", "市财政局机关服务中心"]
    assert _items(window.page(Page.MEETINGS).current().unit)[1:] == ["市财政局", "市财政局机关服务中心"]
