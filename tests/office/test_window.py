"""The office window over demo data: every page loads without an error, and the screenshot script works."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from app.services.demo import BASE_DATE, generate_demo
from app.ui.office.charts import StatTile

from .cells import background, cell, column_texts, rows


def test_every_page_loads_demo_data(qtbot, ctx):
    from app.ui.office.window import PAGES, OfficeWindow

    generate_demo(ctx.db, seed=5, units=20, findings=500, interviews=100)
    win = OfficeWindow(ctx, today=BASE_DATE)
    qtbot.addWidget(win)
    win.show()
    for key, _title, _cls in PAGES:
        page = win.show_page(key)
        qtbot.waitUntil(lambda: not win.busy, timeout=20_000)
        assert page.message.kind != "error", (key, page.message.text())
    assert win.page("coverage").tree.topLevelItemCount() > 0
    assert rows(win.page("followup").table) > 0
    assert rows(win.page("clues").table) > 0
    assert rows(win.page("team").candidates) > 0
    assert win.page("stats").figures.findings > 0
    assert rows(win.page("units").table) == 20
    win.close()


def test_screenshot_script_writes_every_page(qtbot, tmp_path, monkeypatch):
    from app.ui.office import screenshots

    monkeypatch.setattr(screenshots, "DEMO", {"seed": 2, "units": 30, "findings": 400, "interviews": 80})
    db_path = tmp_path / "demo.sqlite3"
    screenshots.build_demo_database(db_path)
    written = screenshots.take(tmp_path / "shots", db_path, (1366, 768))
    assert [p.name for p in written] == [f"office_{k}.png" for k in screenshots.SHOTS]
    image = QImage(str(written[0]))
    assert (image.width(), image.height()) == (1366, 768)


def test_pool_page_records_a_person_and_a_tie_for_recusal(qtbot, ctx, city):
    from PySide6.QtCore import Qt

    from app.services.inspectors import InspectorRelationService, InspectorService
    from app.ui.office.window import OfficeWindow

    win = OfficeWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    page = win.show_page("pool")
    qtbot.waitUntil(lambda: not win.busy, timeout=20_000)
    assert rows(page.table) == 9
    page.new_person()
    page.name.setText("黄志明")
    page.home_unit_name.setText("市委巡察办")
    page.in_leader_pool.setChecked(True)
    for n in range(page.expertise.count()):
        if page.expertise.item(n).text() in ("审计", "工程建设"):
            page.expertise.item(n).setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not win.busy, timeout=20_000)
    person = next(p for p in InspectorService(ctx).list() if p.name == "黄志明")
    assert person.in_leader_pool and person.home_unit_name == "市委巡察办" and person.expertise == ["audit", "construction"]
    page.relation_kind.setCurrentIndex(0)  # 亲属在该单位任职
    page.relation_unit.setCurrentIndex(next(n for n in range(page.relation_unit.count())
                                            if page.relation_unit.itemText(n) == "市城投集团有限公司"))
    qtbot.mouseClick(page.add_relation_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not win.busy, timeout=20_000)
    assert page.message.kind == "error" and "亲属姓名" in page.message.text()
    page.relative_name.setText("黄小明")
    page.relationship.setText("子女")
    qtbot.mouseClick(page.add_relation_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not win.busy, timeout=20_000)
    assert rows(page.relations) == 1 and cell(page.relations, 0, 1) == "市城投集团有限公司"
    [relation] = InspectorRelationService(ctx).list(inspector_id=person.id)
    assert (relation.person_name, relation.relationship) == ("黄小明", "子女")
    win.close()


def test_the_main_window_opens_the_office_window(qtbot, ctx, city, tmp_path):
    from PySide6.QtCore import QSettings

    from app.ui.main_window import MainWindow
    from app.ui.office.window import OfficeWindow

    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    main = MainWindow(ctx)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitUntil(lambda: not main.tasks.busy, timeout=20_000)
    main.office_action.trigger()
    office = main._office_window
    assert isinstance(office, OfficeWindow) and office.isVisible()
    qtbot.waitUntil(lambda: not office.busy, timeout=20_000)
    main.office_action.trigger()
    assert main._office_window is office  # one office window, brought to the front

    # One change bus: what the main window writes marks the office's pages stale, and an inspection
    # the office creates is listed in the main window's chooser.
    followup = office.page("followup")
    followup._stale = False
    main.workspace.announce("finding")
    assert followup._stale
    before = main.inspection_combo.count()
    from app.services.inspections import InspectionService

    InspectionService(ctx).create(name="对新设单位开展常规巡察", kind="regular", start_date=dt.date(2026, 12, 1))
    office.page("rounds").office.changes.announce("inspection")
    qtbot.waitUntil(lambda: main.inspection_combo.count() == before + 1, timeout=20_000)
    office.close()
    main.close()


def test_every_office_input_and_chart_is_named_and_states_are_words(qtbot, qapp, ctx):
    """A screen reader names every input of every page; charts and tiles say their figures; a late
    plan or clue says so in words, not only in colour."""
    from app.ui.office.window import PAGES, OfficeWindow
    from app.ui.widgets import accessibility

    accessibility.install(qapp)
    generate_demo(ctx.db, seed=5, units=20, findings=200, interviews=40)
    win = OfficeWindow(ctx, today=BASE_DATE)
    qtbot.addWidget(win)
    win.show()
    missing = {}
    for key, _title, _cls in PAGES:
        page = win.show_page(key)
        qtbot.waitUntil(lambda: not win.busy, timeout=20_000)
        names = [f"{type(w).__name__} in {type(w.parentWidget()).__name__}" for w in page.findChildren(QWidget)
                 if isinstance(w, accessibility.INPUTS) and w.isVisibleTo(page) and not w.accessibleName()
                 and not accessibility.is_part_of_another(w)]
        if names:
            missing[key] = names
    assert not missing, missing

    stats = win.page("stats")
    assert stats.by_category.accessibleName() and "；" in stats.by_category.accessibleDescription()
    assert any(str(stats.figures.findings) in tile.accessibleName() for tile in stats.findChildren(StatTile))

    followup = win.page("followup")
    plans = followup.plans_table
    late_cells = [cell(plans, r, c) for r in range(rows(plans)) for c in range(plans.model().columnCount())
                  if background(plans, r, c) is not None and "未报送（" in cell(plans, r, c)]
    coloured = [r for r in range(rows(plans)) if background(plans, r, 1) is not None]
    assert not coloured or late_cells, "a plan shown red or yellow says why in words"
    win.close()


def test_a_person_out_of_the_pool_says_so_in_words_as_well_as_in_grey(qtbot, ctx, city):
    from app.services.inspectors import InspectorService
    from app.ui.office.common import GREY_TEXT
    from app.ui.office.window import OfficeWindow

    InspectorService(ctx).update(city.former.id, active=False)
    win = OfficeWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    page = win.show_page("pool")
    qtbot.waitUntil(lambda: not win.busy and rows(page.table) == 9, timeout=20_000)
    r = column_texts(page.table, 0).index("吴敏（不在库）")
    grey = page.table.model().index(r, 0).data(Qt.ItemDataRole.ForegroundRole)
    assert grey is not None and grey.color() == GREY_TEXT
    assert "钱文静" in column_texts(page.table, 0)  # the others as they were
    win.close()
