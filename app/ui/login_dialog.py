"""Logging in, and the first run that creates the administrator and the encrypted database.

The password check (Argon2id, about a quarter of a second, twice) and the opening of the database
run off the UI thread. A wrong password says so and leaves the dialog for another try; after a
few failures in a row the button waits a little longer each time.

A team laptop's launch shows this dialog first, so it is shown before SQLAlchemy, the services and
the crypto backends are imported (~1 s of CPU on the reference laptop; `tests/test_launch_imports.py`):
whether a file asks who is working is read with the standard library (`app.models.peek`), and what
the login runs is imported in a worker while the person types (`prepare_login`). 登录 pressed
before that finished says 正在准备…… and logs in once it has.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.models import peek

from .i18n import translate
from .tasks import Progress, TaskRunner
from .widgets.status_line import StatusLine

if TYPE_CHECKING:
    from app.services.setup import Opened

LOGIN, SETUP = "login", "setup"
FREE_TRIES = 3
LONGEST_WAIT_S = 30


def backoff_seconds(failures: int) -> int:
    """Wait before the next try: none for the first few, then 2, 4, 8 … seconds (at most 30)."""
    if failures < FREE_TRIES:
        return 0
    return min(2 ** (failures - FREE_TRIES + 1), LONGEST_WAIT_S)


def prepare_login() -> None:
    """Import what logging in runs (in a worker, while the dialog waits for typing): SQLAlchemy, the
    models and services that open a database, Argon2 and the AES-GCM and SQLCipher backends. The
    login itself then starts at once rather than behind ~1 s of imports."""
    import argon2.low_level  # noqa: F401 - the key derivation
    import cryptography.hazmat.primitives.ciphers.aead  # noqa: F401 - the key file's entries

    import app.services.setup  # noqa: F401 - SQLAlchemy, the models, auth, keyring
    from app.models import crypto

    crypto.sqlcipher_module()


def describe(location: Path | str) -> str:
    """The database's name in the dialog: the file, or the server URL without its password."""
    if not peek.is_server_url(location):
        return str(location)
    from app.services.setup import describe as describe_server  # a server's login loads SQLAlchemy anyway

    return describe_server(location)


class LoginDialog(QDialog):
    """Asks who is working and opens the database for them. `opened` holds the result."""

    logged_in = Signal(object)

    def __init__(self, path: Path | str, *, mode: str = LOGIN, username: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = peek.location_of(path)
        self.mode = mode
        self.opened: Opened | None = None
        self.failures = 0
        self.tasks = TaskRunner(self)
        # prepare_login in its own runner: 退出 stays possible while it runs.
        self._preparation = TaskRunner(self)
        self._prepare_started = self._prepared = False
        # 登录 pressed before prepare_login finished: log in when it has.
        self._waiting = False
        self._wait_left = 0
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)

        self.setWindowTitle(translate("Security", "巡察工作台 — 登录") if mode == LOGIN
                            else translate("Security", "巡察工作台 — 首次使用"))
        self.setModal(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self._intro())
        layout.addLayout(self._fields(username))
        self.error = StatusLine("error", self)
        layout.addWidget(self.error)
        layout.addWidget(self._buttons())
        self.setMinimumWidth(420)
        (self.password if self.username.text() and mode == LOGIN else self.username).setFocus()

    def _intro(self) -> QLabel:
        intro = QLabel(self)
        intro.setWordWrap(True)
        intro.setObjectName("intro")
        if self.mode == SETUP:
            intro.setText(translate(
                "Security",
                "首次使用：请创建管理员账户。数据将加密保存在本机，密码是打开数据的唯一钥匙，"
                "遗失后无法找回，请牢记并妥善保管。"))
        else:
            intro.setText(translate("Security", "数据库：{path}").format(path=describe(self.path)))
        return intro

    def _fields(self, username: str | None) -> QFormLayout:
        setup = self.mode == SETUP
        form = QFormLayout()
        self.username = QLineEdit(self)
        self.username.setObjectName("username")
        default_username, default_name = _setup_defaults() if setup else ("", "")
        self.username.setText(username or default_username)
        form.addRow(translate("Security", "用户名"), self.username)
        self.display_name = QLineEdit(self)
        self.display_name.setObjectName("displayName")
        self.display_name.setText(default_name)
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit(self)
        self.confirm.setObjectName("confirm")
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        if setup:
            form.addRow(translate("Security", "姓名"), self.display_name)
        form.addRow(translate("Security", "密码"), self.password)
        if setup:
            form.addRow(translate("Security", "确认密码"), self.confirm)
        else:
            # Not in the form, they would float over the dialog's first line.
            self.display_name.hide()
            self.confirm.hide()
        return form

    def _buttons(self) -> QDialogButtonBox:
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("login")
        self.ok_button.setText(translate("Security", "登录") if self.mode == LOGIN
                               else translate("Security", "创建并进入"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(translate("Security", "退出"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        return self.buttons

    # --- flow ----------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # After this turn of the event loop (the dialog's first paint): the imports hold the
        # interpreter in pieces that would slow it.
        QTimer.singleShot(0, self, self._prepare)

    def _prepare(self) -> None:
        if self._prepare_started:
            return
        self._prepare_started = True
        # A failure (a library missing) is logged by the runner; the login then says what is wrong.
        self._preparation.run(prepare_login, self._ready, lambda _message: self._ready(None))

    def _ready(self, _result: object) -> None:
        self._prepared = True
        if self._waiting:
            self._waiting = False
            self._open()

    def submit(self) -> None:
        if not self.ok_button.isEnabled() or self._waiting:
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
            # Loaded with the first run's dialog (_setup_defaults).
            from app.services.auth import PasswordPolicyError, check_password_policy

            try:
                check_password_policy(password, username=username)
            except PasswordPolicyError as exc:
                self.show_error(exc.message)
                return
        self._busy(True)
        if self._prepared:
            self._open()
        else:
            self._waiting = True
            self.show_status(translate("Security", "正在准备……"))
            self._prepare()

    def _open(self) -> None:
        """Check the account and open the database off the UI thread, with what the fields hold now
        (disabled since 登录 was pressed)."""
        self.show_status(translate("Security", "正在验证……"))
        path, create = self.path, self.mode == SETUP
        username, password = self.username.text().strip(), self.password.text()
        name = self.display_name.text().strip() or None

        def work(progress: Progress) -> Opened:
            from app.services.setup import open_database

            # progress: a re-key an interrupted disable left due, finished before the window opens.
            return open_database(path, create=create, password=password, username=username, display_name=name,
                                 login_required=True, progress=progress.report)

        self.tasks.run_with_progress(work, self._done, self._failed, self._rekeying)

    def _rekeying(self, done: int, total: int) -> None:
        self.show_status(translate("Security", "正在完成上次中断的更换密钥……{percent}%").format(
            percent=done * 100 // max(total, 1)))

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
        self.error.show_error(message)

    def show_status(self, message: str) -> None:
        self.error.show_status(message)

    def reject(self) -> None:
        if self.tasks.busy:
            return  # the database is being opened; let it finish rather than leave it half-open
        self._waiting = False  # nothing was opened yet: 退出 while 正在准备 just leaves
        super().reject()


def _setup_defaults() -> tuple[str, str]:
    """The first run's suggested user name and administrator's name (the services': the first run
    checks the password rule as it is typed in, so it loads them at once)."""
    from app.services.auth import DEFAULT_ADMIN_USERNAME
    from app.services.setup import DEFAULT_ADMIN_NAME

    return DEFAULT_ADMIN_USERNAME, DEFAULT_ADMIN_NAME


class LoginCancelled(Exception):
    """The user closed the login (or first-run) dialog instead of logging in."""


def login(path: Path | str, parent: QWidget | None = None,
          probe: Callable[[LoginDialog], None] | None = None) -> Opened | None:
    """Ask who is working, as the database needs it, and open it for them.

    A missing file: the first-run dialog creates the administrator and the encrypted database.
    An encrypted file, or a plain one with accounts: the login dialog. A plain file without
    accounts (from before accounts existed, or demo data): None — the caller opens it as before.
    `probe`: handed the dialog before it is shown (`xuncha bench` timing the launch).
    """
    path = peek.location_of(path)
    if _exists(path):
        if not _needs_login(path):
            return None
        mode = LOGIN
    else:
        mode = SETUP
    dialog = LoginDialog(path, mode=mode, parent=parent)
    if probe is not None:
        probe(dialog)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.opened is None:
        raise LoginCancelled()
    return dialog.opened


def _exists(location: Path | str) -> bool:
    if isinstance(location, Path):
        return peek.file_exists(location)
    from app.services.setup import database_exists  # a server: SQLAlchemy is needed to ask it

    return database_exists(location)


def _needs_login(location: Path | str) -> bool:
    """app.services.setup.needs_login; for a file, read with the standard library."""
    if isinstance(location, Path):
        return peek.file_needs_login(location)
    from app.services.setup import needs_login

    return needs_login(location)
