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
