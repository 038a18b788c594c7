"""The first main window opens the database off the UI thread and lists the inspections."""

from __future__ import annotations

from app.services.setup import open_database
from app.ui.application import open_in_background
from app.ui.main_window import MainWindow


def test_main_window_lists_inspections(qtbot, tmp_path, world):
    # The world's file, or (the [pg] variant) the office server's URL as a workstation is given it.
    path = world.ctx.db.location
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    open_in_background(window, path)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=10_000)
    assert window.model.index(0, 0).data() == "市委第一巡察组巡察市财政局党组"
    assert window.model.index(0, 1).data() == "常规巡察"
    assert window.model.index(0, 2).data() == "开展工作"
    assert "共 1 次巡察" in window.status_label.text()


def test_first_run_creates_the_database(qtbot, tmp_path):
    path = tmp_path / "first-run" / "xuncha.sqlite3"
    window = MainWindow()
    qtbot.addWidget(window)
    open_in_background(window, path)
    qtbot.waitUntil(lambda: "暂无巡察" in window.status_label.text(), timeout=10_000)
    assert path.exists()
    open_database(path).db.dispose()


def test_a_bad_database_shows_a_message_not_a_traceback(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: shown.append(args[2]))
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"garbage" * 1000)
    window = MainWindow()
    qtbot.addWidget(window)
    open_in_background(window, path)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert "无法打开数据库" in shown[0]
    assert "无法打开数据库" in window.status_label.text()


def test_the_overview_is_usable_before_the_pickers_and_ready_with_them(qtbot, world):
    """The launch waits only for the overview: it shows the chosen inspection's figures first (the
    window is usable), and the pickers every other page needs (names sorted by pinyin) follow."""
    from app.ui.page import Page

    world.finding()
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    seen: list[tuple[str, bool, str, str]] = []

    def note(what: str) -> None:
        seen.append((what, window.workspace.lookups is not None, window.windowTitle(),
                     window.dashboard.findings_total.text()))

    window.usable.connect(lambda: note("usable"))
    window.ready.connect(lambda: note("ready"))
    with qtbot.waitSignal(window.ready, timeout=15_000):
        open_in_background(window, world.ctx.db.location)
    # At usable the overview and the title already show the inspection; only the pickers follow.
    title = "巡察工作台 — 市委第一巡察组巡察市财政局党组"
    assert seen[:2] == [("usable", False, title, "共 1 个问题"), ("ready", True, title, "共 1 个问题")]
    assert window.dashboard.name_label.text() == "市委第一巡察组巡察市财政局党组"
    assert [m.name for m in window.workspace.lookups.team] == ["赵立新", "孙浩然", "钱文静"]
    assert {p.name for p in window.workspace.lookups.people} == {"张建国", "李红梅", "王志强"}
    assert window.page(Page.FINDINGS).lookups is window.workspace.lookups


def test_what_the_open_loaded_is_out_of_the_collectors_reach(qtbot, world):
    """SQLAlchemy, the models and the services live as long as the window: left in the collector's
    oldest generation, every full collection re-walked them with the interpreter lock held (the
    window froze 70 ms while a worker read the dashboard). The open freezes them."""
    import gc

    import sqlalchemy.sql.compiler

    from app.collation import load_pypinyin

    load_pypinyin()  # its own freeze (the pickers' dictionaries) is behind us, not what is tested
    gc.unfreeze()
    long_lived = sqlalchemy.sql.compiler.SQLCompiler.visit_select  # a function: tracked by the collector
    try:
        window = MainWindow()
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.ready, timeout=15_000):
            open_in_background(window, world.ctx.db.location)
        assert gc.isenabled()
        assert not any(o is long_lived for o in gc.get_objects())  # frozen: in no generation
    finally:
        gc.unfreeze()


def test_once_every_page_is_built_the_keyword_index_is_read_in_a_worker(qtbot, world, monkeypatch):
    """The first search after a start finds the keyword index in the system's cache: the window reads
    it through once, off the UI thread, after building its pages (docs/performance.md)."""
    import threading

    from app.services import search

    world.finding()
    reads: list[bool] = []
    monkeypatch.setattr(search, "read_index_once",
                        lambda ctx: reads.append(threading.current_thread() is threading.main_thread()) or 0)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=15_000):
        open_in_background(window, world.ctx.db.location)
    qtbot.waitUntil(lambda: bool(reads), timeout=30_000)
    assert reads == [False]  # once, in a worker
    window._read_index_ahead()  # asked again (a later build step): not read twice
    qtbot.waitUntil(lambda: window.tasks.pool.activeThreadCount() == 0, timeout=15_000)
    assert reads == [False]
