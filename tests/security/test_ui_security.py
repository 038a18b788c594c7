"""Login, first run, lock and unlock, the audit viewer and accounts: real widgets driven by qtbot."""

from __future__ import annotations

import pytest
from conftest import World
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QMainWindow, QVBoxLayout, QWidget

from app.models import crypto
from app.services.accounts import AccountService
from app.services.auth import authenticate
from app.services.findings import FindingService
from app.ui.accounts_page import AccountsPage, ChangePasswordDialog, NewAccountDialog
from app.ui.audit_page import AuditPage
from app.ui.lock import LockController, LockCover
from app.ui.login_dialog import LOGIN, SETUP, LoginDialog, backoff_seconds

from .conftest import OTHER_PASSWORD, PASSWORD


@pytest.fixture(autouse=True)
def _fresh_settings(tmp_path_factory):
    from PySide6.QtCore import QSettings

    folder = str(tmp_path_factory.mktemp("qsettings"))
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, folder)
    QSettings().clear()


def _type(qtbot, field: QLineEdit, text: str) -> None:
    """Type like a person: key presses for ASCII, an input-method commit for Chinese (as a pinyin IME
    delivers it; QTest cannot press keys for characters that have none)."""
    field.clear()
    field.setFocus()
    for chunk in _runs(text):
        if chunk.isascii():
            qtbot.keyClicks(field, chunk)
        else:
            event = QInputMethodEvent()
            event.setCommitString(chunk)
            QApplication.sendEvent(field, event)


def _runs(text: str) -> list[str]:
    runs: list[str] = []
    for ch in text:
        if runs and runs[-1][-1].isascii() == ch.isascii():
            runs[-1] += ch
        else:
            runs.append(ch)
    return runs


def test_first_run_creates_the_administrator_and_an_encrypted_database(qtbot, tmp_path):
    path = tmp_path / "first" / "xuncha.sqlite3"
    dialog = LoginDialog(path, mode=SETUP)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.username.text() == "admin"
    _type(qtbot, dialog.display_name, "周主任")
    _type(qtbot, dialog.password, PASSWORD)
    _type(qtbot, dialog.confirm, PASSWORD + "x")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "不一致" in dialog.error.text() and not path.exists()
    _type(qtbot, dialog.password, "short")
    _type(qtbot, dialog.confirm, "short")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "至少需要" in dialog.error.text()
    _type(qtbot, dialog.password, PASSWORD)
    _type(qtbot, dialog.confirm, PASSWORD)
    with qtbot.waitSignal(dialog.logged_in, timeout=20_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    opened = dialog.opened
    assert opened.actor.name == "周主任" and opened.actor.role == "admin" and opened.encrypted
    assert crypto.is_encrypted(path)
    assert dialog.password.text() == ""  # the typed password does not linger in the widget
    opened.db.dispose()


def test_login_refuses_a_wrong_password_then_opens(qtbot, enc_path):
    before = enc_path.read_bytes()
    dialog = LoginDialog(enc_path, mode=LOGIN)
    qtbot.addWidget(dialog)
    dialog.show()
    _type(qtbot, dialog.username, "admin")
    _type(qtbot, dialog.password, "wrong-password")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "用户名或密码不正确" in dialog.error.text(), timeout=20_000)
    assert dialog.isVisible() and dialog.opened is None and dialog.password.text() == ""
    assert enc_path.read_bytes() == before
    _type(qtbot, dialog.password, PASSWORD)
    with qtbot.waitSignal(dialog.logged_in, timeout=20_000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.opened.actor.username == "admin"
    dialog.opened.db.dispose()


def test_repeated_wrong_logins_wait_longer(qtbot, enc_path):
    assert [backoff_seconds(n) for n in range(1, 8)] == [0, 0, 2, 4, 8, 16, 30]
    dialog = LoginDialog(enc_path, mode=LOGIN, username="admin")
    qtbot.addWidget(dialog)
    dialog.show()
    for attempt in range(1, 4):
        _type(qtbot, dialog.password, f"wrong-{attempt}-password")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda n=attempt: dialog.failures == n, timeout=20_000)
    assert not dialog.ok_button.isEnabled() and "请等待" in dialog.ok_button.text()
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=5_000)


class _Window(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        central = QWidget(self)
        layout = QVBoxLayout(central)
        self.secret = QLabel("机密：谈话笔录内容", central)
        self.edit = QLineEdit(central)
        layout.addWidget(self.secret)
        layout.addWidget(self.edit)
        self.setCentralWidget(central)
        self.resize(800, 500)


def test_lock_after_idle_then_unlock_with_the_password(qtbot, enc):
    window = _Window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    username = enc.actor.username
    lock = LockController(lambda pw: authenticate(enc.db, username, pw), user_label=enc.actor.name, idle_ms=300,
                          parent=window)
    try:
        # Activity keeps it open.
        for _ in range(6):
            qtbot.keyClick(window.edit, Qt.Key.Key_A)
            qtbot.wait(100)
        assert not lock.is_locked and window.edit.text() == "aaaaaa"
        qtbot.waitUntil(lambda: lock.is_locked, timeout=5_000)
        covers = window.findChildren(LockCover)
        assert len(covers) == 1 and covers[0].isVisible() and covers[0].geometry() == window.rect()
        screen = lock.screen
        assert screen.isVisible() and screen.isModal()
        # Nothing reaches the window while locked.
        qtbot.keyClicks(window.edit, "xyz")
        assert window.edit.text() == "aaaaaa"
        qtbot.keyClick(screen, Qt.Key.Key_Escape)
        assert lock.is_locked
        # A wrong password keeps it locked.
        qtbot.keyClicks(screen.password, "wrong-password")
        qtbot.mouseClick(screen.unlock_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "用户名或密码不正确" in screen.error.text(), timeout=20_000)
        assert lock.is_locked and screen.password.text() == ""
        # The right one unlocks.
        with qtbot.waitSignal(lock.unlocked, timeout=20_000):
            _type(qtbot, screen.password, PASSWORD)
            qtbot.keyClick(screen.password, Qt.Key.Key_Return)
        assert not lock.is_locked
        qtbot.waitUntil(lambda: not any(c.isVisible() for c in window.findChildren(LockCover)), timeout=2_000)
        qtbot.keyClicks(window.edit, "b")
        assert window.edit.text() == "aaaaaab"
        # And it locks again after the next idle spell; "lock now" works too.
        qtbot.waitUntil(lambda: lock.is_locked, timeout=5_000)
        lock.unlock()
        lock.set_idle_ms(0)
        lock.lock()
        assert lock.is_locked
        lock.unlock()
    finally:
        lock.uninstall()


def test_audit_page_filters_and_shows_before_and_after(qtbot, enc):
    world = World(enc.ctx)
    finding = world.finding(title="旧标题")
    FindingService(enc.ctx).update(finding.id, title="新标题")
    page = AuditPage(enc.ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10_000)
    page.table.setCurrentIndex(page.table.findData("findings"))
    _type(qtbot, page.text, "新标题")
    qtbot.mouseClick(page.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    assert page.model.index(0, 2).data() == "修改" and page.model.index(0, 3).data() == "问题"
    qtbot.waitUntil(lambda: page.detail.rowCount() >= 1, timeout=5_000)
    rows = {page.detail.item(r, 0).text(): (page.detail.item(r, 1).text(), page.detail.item(r, 2).text())
            for r in range(page.detail.rowCount())}
    assert rows["问题标题"] == ("旧标题", "新标题")
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "校验通过" in page.verify_result.text(), timeout=10_000)


def test_accounts_page_and_password_dialogs(qtbot, enc, enc_path):
    dialog = NewAccountDialog(enc.ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    _type(qtbot, dialog.username, "qian")
    _type(qtbot, dialog.display_name, "钱文静")
    dialog.role.setCurrentIndex(dialog.role.findData("member"))
    _type(qtbot, dialog.password, OTHER_PASSWORD)
    _type(qtbot, dialog.again, OTHER_PASSWORD)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=10_000)
    page = AccountsPage(enc.ctx)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10_000)
    names = [page.model.index(r, 0).data() for r in range(2)]
    assert names == ["admin", "qian"] and page.model.index(1, 4).data() == "是"
    # A member sees the page but every button is off; the service refuses anyway.
    from app.services.setup import open_database

    member = open_database(enc_path, password=OTHER_PASSWORD, username="qian")
    try:
        member_page = AccountsPage(member.ctx)
        qtbot.addWidget(member_page)
        assert not member_page.add_button.isEnabled() and "只有管理员" in member_page.status.text()
        change = ChangePasswordDialog(member.ctx)
        qtbot.addWidget(change)
        change.show()
        _type(qtbot, change.old, "wrong-old-password")
        _type(qtbot, change.new, "钱的新口令-2026")
        _type(qtbot, change.again, "钱的新口令-2026")
        qtbot.mouseClick(change.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "原密码不正确" in change.error.text(), timeout=10_000)
        _type(qtbot, change.old, OTHER_PASSWORD)
        qtbot.mouseClick(change.ok_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: change.result() == QDialog.DialogCode.Accepted, timeout=10_000)
    finally:
        member.db.dispose()
    assert AccountService(enc.ctx).list(username="qian")[0].password_hash
    again = open_database(enc_path, password="钱的新口令-2026", username="qian")
    again.db.dispose()


def test_disabling_an_account_shows_the_rekey_on_a_bar(qtbot, enc, enc_path):
    """Disabling re-keys the encrypted database off the UI thread: a bar follows it to the end, and
    the button waits meanwhile."""
    AccountService(enc.ctx).create_account(username="qian", display_name="钱文静", role="member",
                                           password=OTHER_PASSWORD)
    old_key = enc.db.key
    page = AccountsPage(enc.ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10_000)
    values: list[int] = []
    page.progress.valueChanged.connect(values.append)
    page.view.selectRow([u.username for u in page.model.users].index("qian"))
    qtbot.mouseClick(page.toggle_button, Qt.MouseButton.LeftButton)
    assert not page.toggle_button.isEnabled()
    qtbot.waitUntil(lambda: page.status.text() == "已停用。", timeout=30_000)
    assert values and values[-1] == page.progress.maximum() and values == sorted(values)
    assert not page.progress.isVisible() and page.toggle_button.isEnabled()
    assert enc.db.key != old_key and not crypto.opens_with(enc_path, old_key)


def test_a_password_reset_shows_the_rekeys_progress(qtbot, enc):
    from app.ui.accounts_page import ResetPasswordDialog

    qian = AccountService(enc.ctx).create_account(username="qian", display_name="钱文静", role="member",
                                                  password=OTHER_PASSWORD)
    dialog = ResetPasswordDialog(enc.ctx, qian)
    qtbot.addWidget(dialog)
    dialog.show()
    shown: list[str] = []
    status = dialog.error.show_status
    dialog.error.show_status = lambda text: (shown.append(text), status(text))
    _type(qtbot, dialog.new, "钱的新口令-2026")
    _type(qtbot, dialog.again, "钱的新口令-2026")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=30_000)
    assert shown[0] == "正在保存……" and shown[-1] == "正在更换数据库密钥……100%", shown


def test_the_window_gets_the_lock_and_the_security_menu(qtbot, enc):
    from PySide6.QtGui import QAction

    from app.ui import lock as lock_module
    from app.ui.application import open_in_background
    from app.ui.main_window import MainWindow

    World(enc.ctx)
    window = MainWindow()
    qtbot.addWidget(window)
    open_in_background(window, enc.db.path, enc)
    window.show()
    controller = lock_module.install(window, enc)
    try:
        qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=10_000)
        assert window.ctx.actor.username == "admin"
        actions = {a.objectName(): a for a in window.findChildren(QAction)}
        assert {"changePassword", "manageAccounts", "auditLog", "lockNow"} <= set(actions)
        assert controller.idle_ms == 10 * 60_000  # the default idle time
        actions["lockNow"].trigger()
        assert controller.is_locked and window.findChildren(LockCover)[0].isVisible()
        with qtbot.waitSignal(controller.unlocked, timeout=20_000):
            _type(qtbot, controller.screen.password, PASSWORD)
            qtbot.keyClick(controller.screen.password, Qt.Key.Key_Return)
    finally:
        controller.uninstall()


def test_login_chooses_first_run_login_or_none(qtbot, tmp_path, enc_path, monkeypatch):
    from app.services.setup import open_database
    from app.ui import login_dialog

    modes = []

    def fake_exec(self):
        modes.append(self.mode)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(LoginDialog, "exec", fake_exec)
    plain = tmp_path / "plain.sqlite3"
    open_database(plain, create=True).db.dispose()
    assert login_dialog.login(plain) is None  # a plain database without accounts opens as before
    with pytest.raises(login_dialog.LoginCancelled):
        login_dialog.login(tmp_path / "new.sqlite3")
    with pytest.raises(login_dialog.LoginCancelled):
        login_dialog.login(enc_path)
    assert modes == [SETUP, LOGIN]
    assert not (tmp_path / "new.sqlite3").exists()
