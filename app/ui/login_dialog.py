"""Logging in, and the first run that creates the administrator and the encrypted database.

The password check (Argon2id, about a quarter of a second, twice) and the opening of the database
run off the UI thread. A wrong password says so and leaves the dialog for another try; after a
few failures in a row the button waits a little longer each time.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.auth import DEFAULT_ADMIN_USERNAME, PasswordPolicyError, check_password_policy
from app.services.setup import DEFAULT_ADMIN_NAME, Opened, describe, location_of, open_database

from .i18n import translate
from .tasks import TaskRunner

LOGIN, SETUP = "login", "setup"
FREE_TRIES = 3
LONGEST_WAIT_S = 30


def backoff_seconds(failures: int) -> int:
    """Wait before the next try: none for the first few, then 2, 4, 8 … seconds (at most 30)."""
    if failures < FREE_TRIES:
        return 0
    return min(2 ** (failures - FREE_TRIES + 1), LONGEST_WAIT_S)


class LoginDialog(QDialog):
    """Asks who is working and opens the database for them. `opened` holds the result."""

    logged_in = Signal(object)

    def __init__(self, path: Path | str, *, mode: str = LOGIN, username: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = location_of(path)
        self.mode = mode
        self.opened: Opened | None = None
        self.failures = 0
        self.tasks = TaskRunner(self)
        self._wait_left = 0
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)

        self.setWindowTitle(translate("Security", "巡察工作台 — 登录") if mode == LOGIN
                            else translate("Security", "巡察工作台 — 首次使用"))
        self.setModal(True)
        layout = QVBoxLayout(self)
        intro = QLabel(self)
        intro.setWordWrap(True)
        intro.setObjectName("intro")
        if mode == SETUP:
            intro.setText(translate(
                "Security",
                "首次使用：请创建管理员账户。数据将加密保存在本机，密码是打开数据的唯一钥匙，"
                "遗失后无法找回，请牢记并妥善保管。"))
        else:
            intro.setText(translate("Security", "数据库：{path}").format(path=describe(self.path)))
        layout.addWidget(intro)

        form = QFormLayout()
        self.username = QLineEdit(self)
        self.username.setObjectName("username")
        self.username.setText(username or (DEFAULT_ADMIN_USERNAME if mode == SETUP else ""))
        form.addRow(translate("Security", "用户名"), self.username)
        self.display_name = QLineEdit(self)
        self.display_name.setObjectName("displayName")
        self.display_name.setText(DEFAULT_ADMIN_NAME)
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit(self)
        self.confirm.setObjectName("confirm")
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        if mode == SETUP:
            form.addRow(translate("Security", "姓名"), self.display_name)
        form.addRow(translate("Security", "密码"), self.password)
        if mode == SETUP:
            form.addRow(translate("Security", "确认密码"), self.confirm)
        else:
            # Not in the form, they would float over the dialog's first line.
            self.display_name.hide()
            self.confirm.hide()
        layout.addLayout(form)

        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("login")
        self.ok_button.setText(translate("Security", "登录") if mode == LOGIN else translate("Security", "创建并进入"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(translate("Security", "退出"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        (self.password if self.username.text() and mode == LOGIN else self.username).setFocus()

    # --- flow ----------------------------------------------------------------------------------
    def submit(self) -> None:
        if not self.ok_button.isEnabled():
            return
        username = self.username.text().strip()
        password = self.password.text()
        if not username:
            self.show_error(translate("Security", "请输入用户名。"))
            return
        if not password:
            self.show_error(translate("Security", "请输入密码。"))
            return
        if self.mode == SETUP:
            if password != self.confirm.text():
                self.show_error(translate("Security", "两次输入的密码不一致。"))
                return
            try:
                check_password_policy(password, username=username)
            except PasswordPolicyError as exc:
                self.show_error(exc.message)
                return
        self._busy(True)
        self.error.setText(translate("Security", "正在验证……"))
        path, create = self.path, self.mode == SETUP
        name = self.display_name.text().strip() or None

        def work() -> Opened:
            return open_database(path, create=create, password=password, username=username, display_name=name,
                                 login_required=True)

        self.tasks.run(work, self._done, self._failed)

    def _done(self, opened: Opened) -> None:
        self.opened = opened
        self.password.clear()
        self.confirm.clear()
        self.logged_in.emit(opened)
        self.accept()

    def _failed(self, message: str) -> None:
        self.failures += 1
        self.password.clear()
        self._busy(False)
        self.show_error(message)
        self.password.setFocus()
        wait = backoff_seconds(self.failures) if self.mode == LOGIN else 0
        if wait:
            self._wait_left = wait
            self.ok_button.setEnabled(False)
            self._tick_label()
            self._countdown.start()

    def _tick(self) -> None:
        self._wait_left -= 1
        if self._wait_left <= 0:
            self._countdown.stop()
            self.ok_button.setEnabled(True)
            self.ok_button.setText(translate("Security", "登录"))
        else:
            self._tick_label()

    def _tick_label(self) -> None:
        self.ok_button.setText(translate("Security", "请等待 {n} 秒").format(n=self._wait_left))

    def _busy(self, busy: bool) -> None:
        for widget in (self.username, self.password, self.confirm, self.display_name, self.ok_button):
            widget.setEnabled(not busy)
        self.setCursor(Qt.CursorShape.WaitCursor if busy else Qt.CursorShape.ArrowCursor)

    def show_error(self, message: str) -> None:
        self.error.setText(message)

    def reject(self) -> None:
        if self.tasks.busy:
            return  # the database is being opened; let it finish rather than leave it half-open
        super().reject()


class LoginCancelled(Exception):
    """The user closed the login (or first-run) dialog instead of logging in."""


def login(path: Path | str, parent: QWidget | None = None) -> Opened | None:
    """Ask who is working, as the database needs it, and open it for them.

    A missing file: the first-run dialog creates the administrator and the encrypted database.
    An encrypted file, or a plain one with accounts: the login dialog. A plain file without
    accounts (from before accounts existed, or demo data): None — the caller opens it as before.
    """
    from app.services.setup import database_exists, needs_login

    path = location_of(path)
    if database_exists(path):
        if not needs_login(path):
            return None
        mode = LOGIN
    else:
        mode = SETUP
    dialog = LoginDialog(path, mode=mode, parent=parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.opened is None:
        raise LoginCancelled()
    return dialog.opened
