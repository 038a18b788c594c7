"""A workstation of the office opens the window on the office's PostgreSQL server, as `xuncha --db
postgresql://…` does: it logs in with its workbench account, the main window lists the inspections,
the office window opens from it and what is saved there is on the server for the other workstations."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel
from sqlalchemy import select

from app.models import ChangeEvent, User
from app.services.inspections import InspectionService
from app.services.inspectors import InspectorService
from app.services.setup import OpenError, open_database

PASSWORD = "巡察办-服务器口令2026"


@pytest.fixture
def server_url(pg_empty_url):
    """The office's server database after `xuncha init`: schema, administrator, one inspection."""
    opened = open_database(pg_empty_url, create=True, password=PASSWORD, username="admin", display_name="王管理")
    InspectionService(opened.ctx).create(name="市委第一巡察组巡察市财政局党组", kind="regular", stage="fieldwork",
                                         team_name="市委第一巡察组", start_date=dt.date(2026, 9, 1))
    opened.db.dispose()
    return pg_empty_url


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path):
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


def _log_in(qtbot, url):
    from app.ui import login_dialog

    dialog = login_dialog.LoginDialog(url, mode=login_dialog.LOGIN)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_workstation_logs_in_and_works_in_the_office_window_on_the_server(qtbot, server_url):
    from app.ui.application import open_in_background
    from app.ui.main_window import MainWindow
    from app.ui.office.window import OfficeWindow

    dialog = _log_in(qtbot, server_url)
    intro = dialog.findChild(QLabel, "intro")
    # The server's URL, kept whole (a file path would have folded its '//').
    assert "postgresql://" in intro.text() and "host=" in intro.text()
    # Only the login's own fields are on screen (the set-up's name and confirmation once floated over
    # the first line).
    assert not dialog.display_name.isVisible() and not dialog.confirm.isVisible()
    assert dialog.username.isVisible() and dialog.password.isVisible()
    dialog.username.setText("admin")
    dialog.password.setText("不对的口令")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "密码" in dialog.error.text() and not dialog.tasks.busy, timeout=20_000)
    assert dialog.opened is None
    dialog._countdown.stop()
    dialog.ok_button.setEnabled(True)
    dialog.password.setText(PASSWORD)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.opened is not None, timeout=20_000)
    session = dialog.opened
    assert session.db.is_server and session.actor.username == "admin"

    main = MainWindow()
    qtbot.addWidget(main)
    main.show()
    open_in_background(main, server_url, session)
    qtbot.waitUntil(lambda: main.model.rowCount() == 1, timeout=20_000)
    assert main.model.index(0, 0).data() == "市委第一巡察组巡察市财政局党组"

    main.office_action.trigger()
    office = main._office_window
    assert isinstance(office, OfficeWindow) and office.isVisible()
    qtbot.waitUntil(lambda: not office.busy, timeout=20_000)
    page = office.show_page("pool")
    qtbot.waitUntil(lambda: not office.busy, timeout=20_000)
    page.new_person()
    page.name.setText("黄志明")
    page.home_unit_name.setText("市委巡察办")
    page.in_leader_pool.setChecked(True)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not office.busy, timeout=20_000)
    assert page.message.kind != "error", page.message.text()
    office.close()
    main.close()

    # Another workstation sees it at once, recorded in the server's change log as the administrator's act.
    other = open_database(server_url, password=PASSWORD, username="admin")
    try:
        person = next(p for p in InspectorService(other.ctx).list() if p.name == "黄志明")
        assert person.in_leader_pool and person.home_unit_name == "市委巡察办"
        with other.db.read() as s:
            admin = s.scalar(select(User.id).where(User.username == "admin"))
            authors = set(s.scalars(select(ChangeEvent.author_id).where(ChangeEvent.row_id == person.id)))
        assert authors == {admin}
    finally:
        other.db.dispose()
    session.db.dispose()


def test_the_window_on_a_server_without_the_schema_says_to_run_init(qtbot, pg_empty_url, monkeypatch):
    """`xuncha --db postgresql://…` on an empty server database: one message naming `init`, no wizard
    (which would make a laptop's encrypted file), nothing written to the server."""
    from PySide6.QtWidgets import QMessageBox

    from app.ui import application

    shown = []
    monkeypatch.setenv(application.ALLOW_HEADLESS, "1")
    # What run() sets up for a whole process is left as the test session has it.
    for name in ("setup_logging", "use_private_tempdir"):
        monkeypatch.setattr(application, name, lambda *_a: None)
    monkeypatch.setattr(application.errors, "install", lambda *_a: None)
    monkeypatch.setattr(application.sys, "setswitchinterval", lambda *_a: None)
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: shown.append(args[2]))
    # The wizard is imported only on a first start (app.ui.application), so it is refused where it lives.
    from app.ui import first_start

    monkeypatch.setattr(first_start, "FirstStartWizard", lambda *_a: pytest.fail("no first-start wizard on a server"))
    assert application.run(pg_empty_url) == 1
    assert len(shown) == 1 and "init" in shown[0] and "postgresql://" in shown[0]
    with pytest.raises(OpenError, match="init"):
        open_database(pg_empty_url)  # still empty: the window created nothing
