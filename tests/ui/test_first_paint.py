"""The launch of a plain file without accounts: the window is usable with the overview painted from
the sqlite3 summary (no services yet), then the services' full overview, the pickers and every page
follow, as with any other launch."""

from __future__ import annotations

import datetime as dt

from conftest import World

from app.services.context import ServiceContext
from app.services.inspections import InspectionService
from app.services.setup import open_database
from app.ui.application import paint_first
from app.ui.main_window import MainWindow
from app.ui.page import Page

TITLE = "巡察工作台 — 市委第一巡察组巡察市财政局党组"


def _world(tmp_path):
    path = tmp_path / "plain.sqlite3"
    db = open_database(path, create=True).db
    world = World(ServiceContext(db))
    world.finding()
    world.finding(title="违规发放津贴补贴")
    world.interview()
    return path, db, world


def test_the_first_paint_then_the_full_overview(qtbot, tmp_path):
    path, db, _world_ = _world(tmp_path)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    seen = []
    window.usable.connect(lambda: seen.append((
        window.workspace.ctx is None, window.windowTitle(), window.dashboard.name_label.text(),
        window.dashboard.findings_total.text(), window.dashboard.work_label.text().splitlines()[0],
        window.dashboard.review_count.text(), window.status_label.text(),
        {bar.text() for bar in window.dashboard.progress.values()})))
    with qtbot.waitSignal(window.ready, timeout=20_000):
        paint_first(window, path)
    # Usable before any service ran: the summary's title, facts and counts, the rest being read.
    assert seen == [(True, TITLE, "市委第一巡察组巡察市财政局党组", "共 2 个问题", "谈话 1 人次　信访 0 件　查阅资料 0 份　走访 0 次",
                     "正在读取…", "市委第一巡察组巡察市财政局党组　共 1 次巡察", {"正在读取…"})]
    # Then the services' overview replaced it: the same figures, and what only they read.
    qtbot.waitUntil(lambda: window.dashboard.data is not None)
    assert window.dashboard.findings_total.text() == "共 2 个问题"
    assert window.dashboard.review_count.text() != "正在读取…"
    assert window.dashboard.overdue_count.text() == "没有逾期的整改事项。"
    # The checklist bars count once the services say what is done (none of the default items yet).
    assert {bar.text().split(" / ")[0] for bar in window.dashboard.progress.values()} == {"0"}
    assert all(bar.maximum() > 1 for bar in window.dashboard.progress.values())
    assert window.user_label.text().startswith("当前身份：")
    # Every page works: the register lists the findings.
    window.show_page(Page.FINDINGS)
    qtbot.waitUntil(lambda: window.findings.model.rowCount() == 2, timeout=20_000)
    db.dispose()


def test_an_inspection_chosen_in_the_first_paint_is_the_one_opened(qtbot, tmp_path):
    path, db, world = _world(tmp_path)
    other = InspectionService(world.ctx).create(name="对市审计局党组开展专项巡察", kind="special", stage="plan",
                                                start_date=dt.date(2027, 1, 4))
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()

    def choose_other() -> None:
        assert window.workspace.ctx is None  # still the first paint, of the inspection at work
        assert window.dashboard.name_label.text() == "市委第一巡察组巡察市财政局党组"
        window.inspection_combo.setCurrentIndex(next(
            n for n in range(window.model.rowCount()) if window.model.row_object(n).id == other.id))

    window.usable.connect(choose_other)
    paint_first(window, path)
    qtbot.waitUntil(lambda: window.workspace.inspection_id == other.id, timeout=20_000)
    qtbot.waitUntil(lambda: window.dashboard.data is not None and window.dashboard.data.inspection.id == other.id)
    assert window.dashboard.name_label.text() == "对市审计局党组开展专项巡察"
    assert window.inspection_combo.currentText() == "对市审计局党组开展专项巡察"
    db.dispose()


def test_without_a_summary_the_window_waits_for_the_services(qtbot, tmp_path, monkeypatch):
    """A file the summary cannot read (an older or damaged schema) is opened as before: the window is
    usable once the services' overview is on screen."""
    from app.ui import application

    path, db, _world_ = _world(tmp_path)
    monkeypatch.setattr(application, "read_summary", lambda *_a: None)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    seen = []
    window.usable.connect(lambda: seen.append((window.workspace.ctx is not None, window.dashboard.data is not None,
                                               window.dashboard.findings_total.text())))
    with qtbot.waitSignal(window.ready, timeout=20_000):
        paint_first(window, path)
    assert seen == [(True, True, "共 2 个问题")]
    db.dispose()
