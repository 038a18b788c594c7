"""The login dialog is shown before what the login runs is imported (`prepare_login`, in a worker):
登录 pressed before that finished waits for it, saying 正在准备……, and then logs in once, with the
same checks and messages as before; a file whose accounts cannot be read still asks who is working."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.models import peek
from app.services import setup
from app.ui import login_dialog
from app.ui.login_dialog import LOGIN, LoginDialog

from .conftest import PASSWORD


@pytest.fixture
def held(monkeypatch):
    """prepare_login held until the test lets it go (a slow laptop still importing); the opens counted."""
    release = threading.Event()
    opens: list[str | None] = []
    real_open = setup.open_database

    def slow_prepare() -> None:
        assert release.wait(30)

    def counted_open(*args, **kwargs):
        opens.append(kwargs.get("username"))
        return real_open(*args, **kwargs)

    monkeypatch.setattr(login_dialog, "prepare_login", slow_prepare)
    monkeypatch.setattr(setup, "open_database", counted_open)
    yield release, opens
    release.set()


def _shown(qtbot, path) -> LoginDialog:
    dialog = LoginDialog(path, mode=LOGIN)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_enter_pressed_before_the_login_is_prepared_logs_in_once(qtbot, enc_path, held):
    release, opens = held
    dialog = _shown(qtbot, enc_path)
    qtbot.keyClicks(dialog.username, "admin")
    dialog.password.setFocus()
    dialog.password.setText(PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    dialog.submit()
    # Waiting, and saying so, with the dialog still turning (the fields and 登录 greyed).
    assert "正在准备" in dialog.error.text() and dialog.isVisible()
    assert not dialog.ok_button.isEnabled() and not dialog.password.isEnabled()
    assert opens == []
    with qtbot.waitSignal(dialog.logged_in, timeout=20_000):
        release.set()
    assert opens == ["admin"]  # once, whatever was pressed while waiting
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.opened.actor.username == "admin"
    assert dialog.opened.authenticated and dialog.password.text() == ""
    dialog.opened.db.dispose()


def test_a_wrong_password_pressed_early_still_says_so_and_counts(qtbot, enc_path, held):
    release, opens = held
    before = enc_path.read_bytes()
    dialog = _shown(qtbot, enc_path)
    dialog.username.setText("admin")
    dialog.password.setText("wrong-password")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert "正在准备" in dialog.error.text()
    release.set()
    qtbot.waitUntil(lambda: "用户名或密码不正确" in dialog.error.text(), timeout=20_000)
    assert dialog.failures == 1 and dialog.opened is None and dialog.isVisible() and dialog.password.text() == ""
    assert enc_path.read_bytes() == before and opens == ["admin"]
    # Prepared now: the next try goes straight to the check.
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.logged_in, timeout=20_000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert opens == ["admin", "admin"]
    dialog.opened.db.dispose()


def test_leaving_while_the_login_is_prepared_opens_nothing(qtbot, enc_path, held):
    release, opens = held
    dialog = _shown(qtbot, enc_path)
    dialog.username.setText("admin")
    dialog.password.setText(PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    dialog.reject()  # 退出 while 正在准备
    assert dialog.result() == QDialog.DialogCode.Rejected and not dialog.isVisible()
    release.set()
    qtbot.waitUntil(lambda: dialog._prepared, timeout=20_000)
    assert opens == [] and dialog.opened is None


def test_the_login_is_prepared_while_the_dialog_waits_for_typing(qtbot, enc_path):
    dialog = _shown(qtbot, enc_path)
    qtbot.waitUntil(lambda: dialog._prepared, timeout=60_000)
    dialog.username.setText("admin")
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.logged_in, timeout=20_000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.opened.actor.username == "admin"
    dialog.opened.db.dispose()


def _modes(monkeypatch) -> list[str]:
    modes: list[str] = []

    def fake_exec(self):
        modes.append(self.mode)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(LoginDialog, "exec", fake_exec)
    return modes


def test_a_plain_file_whose_accounts_cannot_be_read_asks_who_is_working(qtbot, tmp_path, monkeypatch):
    """Read before SQLAlchemy is loaded (app.models.peek), the safe answer is still the login."""
    path = tmp_path / "accounts.sqlite3"
    setup.open_database(path, create=True, password=PASSWORD, username="zhang", encrypt=False).db.dispose()
    modes = _modes(monkeypatch)
    monkeypatch.setattr(peek, "READ_TIMEOUT", 0.05)
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("PRAGMA journal_mode = DELETE")  # a rollback journal: an exclusive lock keeps readers out
        writer.execute("BEGIN EXCLUSIVE")
        with pytest.raises(login_dialog.LoginCancelled):
            login_dialog.login(path)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4080)
    with pytest.raises(login_dialog.LoginCancelled):
        login_dialog.login(damaged)
    assert modes == [LOGIN, LOGIN]


def test_a_damaged_file_refuses_the_login_in_chinese(qtbot, tmp_path):
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4080)
    dialog = _shown(qtbot, damaged)
    dialog.username.setText("admin")
    dialog.password.setText(PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.failures == 1, timeout=60_000)
    message = dialog.error.text()
    assert dialog.opened is None and "正在" not in message and "Traceback" not in message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message


def test_an_encrypted_file_without_its_key_file_is_opened_to_say_what_is_missing(tmp_path, enc_path, monkeypatch):
    """As before: no login for it (nothing to log in with); opening it names the missing key file."""
    from app.models import crypto

    modes = _modes(monkeypatch)
    crypto.keyfile_path(enc_path).rename(tmp_path / "elsewhere.keys")
    assert login_dialog.login(enc_path) is None and modes == []
