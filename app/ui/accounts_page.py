"""Accounts: the administrator's list (new, role, reset password, disable), and changing one's own
password. Also the 安全 menu that reaches them, the audit viewer and "lock now".

Every change goes through app.services.accounts, which checks the role again: hiding a button is a
convenience, not the protection.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models import User
from app.models.enums import UserRole
from app.services.accounts import AccountService
from app.services.auth import PasswordPolicyError, check_password_policy
from app.services.context import ServiceContext

from .i18n import QT_TRANSLATE_NOOP, label, translate
from .tasks import Progress, TaskRunner
from .widgets.status_line import StatusLine

_Index = QModelIndex | QPersistentModelIndex


def _password_field(parent: QWidget, name: str) -> QLineEdit:
    field = QLineEdit(parent)
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class _FormDialog(QDialog):
    """A small form whose OK runs `work` off the UI thread and closes only when it succeeded."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.tasks = TaskRunner(self)
        self.result_value: Any = None
        self.form = QFormLayout()
        self.error = StatusLine("error", self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("ok")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(380)

    def work(self) -> Callable[[Progress], Any] | None:
        """Check the form; return the job to run, or None (after showing why) to stay."""
        raise NotImplementedError

    def submit(self) -> None:
        job = self.work()
        if job is None:
            return
        self.ok_button.setEnabled(False)
        self.error.show_status(translate("Security", "正在保存……"))
        self.tasks.run_with_progress(job, self._done, self._failed, self._progressed)

    def _progressed(self, done: int, total: int) -> None:
        # Only a re-key reports progress: tens of seconds on a large encrypted database.
        self.error.show_status(rekey_text(done, total))

    def _done(self, value: Any) -> None:
        self.result_value = value
        self.accept()

    def _failed(self, message: str) -> None:
        self.ok_button.setEnabled(True)
        self.error.show_error(message)

    def _new_password_ok(self, password: str, again: str, username: str | None) -> bool:
        if password != again:
            self.error.show_error(translate("Security", "两次输入的新密码不一致。"))
            return False
        try:
            check_password_policy(password, username=username)
        except PasswordPolicyError as exc:
            self.error.show_error(exc.message)
            return False
        return True


def rekey_text(done: int, total: int) -> str:
    return translate("Security", "正在更换数据库密钥……{percent}%").format(percent=done * 100 // max(total, 1))


class ChangePasswordDialog(_FormDialog):
    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(translate("Security", "修改我的密码"), parent)
        self.ctx = ctx
        self.old = _password_field(self, "oldPassword")
        self.new = _password_field(self, "newPassword")
        self.again = _password_field(self, "newPasswordAgain")
        self.form.addRow(translate("Security", "原密码"), self.old)
        self.form.addRow(translate("Security", "新密码"), self.new)
        self.form.addRow(translate("Security", "再输入一次"), self.again)

    def work(self) -> Callable[[Progress], Any] | None:
        old, new = self.old.text(), self.new.text()
        if not self._new_password_ok(new, self.again.text(), self.ctx.actor.username):
            return None
        service = AccountService(self.ctx)
        return lambda _progress: service.change_password(old, new)


class ResetPasswordDialog(_FormDialog):
    def __init__(self, ctx: ServiceContext, user: User, parent: QWidget | None = None) -> None:
        super().__init__(translate("Security", "重设密码：{name}").format(name=user.display_name), parent)
        self.ctx, self.user = ctx, user
        self.new = _password_field(self, "newPassword")
        self.again = _password_field(self, "newPasswordAgain")
        self.form.addRow(translate("Security", "新密码"), self.new)
        self.form.addRow(translate("Security", "再输入一次"), self.again)

    def work(self) -> Callable[[Progress], Any] | None:
        new = self.new.text()
        if not self._new_password_ok(new, self.again.text(), self.user.username):
            return None
        service, user_id = AccountService(self.ctx), self.user.id
        return lambda progress: service.reset_password(user_id, new, progress=progress.report)


class NewAccountDialog(_FormDialog):
    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(translate("Security", "新建账户"), parent)
        self.ctx = ctx
        self.username = QLineEdit(self)
        self.username.setObjectName("username")
        self.display_name = QLineEdit(self)
        self.display_name.setObjectName("displayName")
        self.role = QComboBox(self)
        self.role.setObjectName("role")
        for role in UserRole:
            self.role.addItem(label(UserRole, role.value), role.value)
        self.password = _password_field(self, "newPassword")
        self.again = _password_field(self, "newPasswordAgain")
        self.form.addRow(translate("Security", "用户名"), self.username)
        self.form.addRow(translate("Security", "姓名"), self.display_name)
        self.form.addRow(translate("Security", "角色"), self.role)
        self.form.addRow(translate("Security", "初始密码"), self.password)
        self.form.addRow(translate("Security", "再输入一次"), self.again)

    def work(self) -> Callable[[Progress], Any] | None:
        username = self.username.text().strip()
        name = self.display_name.text().strip() or username
        password = self.password.text()
        if not self._new_password_ok(password, self.again.text(), username):
            return None
        service, role = AccountService(self.ctx), self.role.currentData()
        return lambda _progress: service.create_account(username=username, display_name=name, role=role,
                                                        password=password)


class AccountsModel(QAbstractTableModel):
    # Marked for lupdate; headerData translates them.
    HEADERS = (
        QT_TRANSLATE_NOOP("Security", "用户名"),
        QT_TRANSLATE_NOOP("Security", "姓名"),
        QT_TRANSLATE_NOOP("Security", "角色"),
        QT_TRANSLATE_NOOP("Security", "状态"),
        QT_TRANSLATE_NOOP("Security", "本机可登录"),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.users: list[User] = []
        self.here: set[str] = set()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt signature
        return 0 if parent.isValid() else len(self.users)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt signature
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return translate("Security", self.HEADERS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        u = self.users[index.row()]
        return (
            u.username, u.display_name, label(UserRole, u.role),
            translate("Security", "启用") if u.active else translate("Security", "停用"),
            translate("Security", "是") if u.username in self.here else translate("Security", "否（需重设密码）"),
        )[index.column()]

    def load(self, users: list[User], here: set[str]) -> None:
        self.beginResetModel()
        self.users, self.here = users, here
        self.endResetModel()


class AccountsPage(QWidget):
    """The administrator's list of accounts."""

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = TaskRunner(self)
        self.setWindowTitle(translate("Security", "账户管理"))
        self.model = AccountsModel(self)
        self.view = QTableView(self)
        self.view.setObjectName("accountsView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setStretchLastSection(True)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(translate("Security", "新建账户"), self)
        self.reset_button = QPushButton(translate("Security", "重设密码"), self)
        self.role_combo = QComboBox(self)
        for role in UserRole:
            self.role_combo.addItem(label(UserRole, role.value), role.value)
        self.role_button = QPushButton(translate("Security", "改为此角色"), self)
        self.toggle_button = QPushButton(translate("Security", "停用/启用"), self)
        for name, widget in (("addAccount", self.add_button), ("resetPassword", self.reset_button),
                             ("roleCombo", self.role_combo), ("setRole", self.role_button),
                             ("toggleActive", self.toggle_button)):
            widget.setObjectName(name)
            buttons.addWidget(widget)
        buttons.addStretch(1)
        self.status = QLabel(self)
        self.status.setObjectName("accountsStatus")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("rekeyProgress")
        self.progress.setVisible(False)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        self.add_button.clicked.connect(self.new_account)
        self.reset_button.clicked.connect(self.reset_password)
        self.role_button.clicked.connect(self.set_role)
        self.toggle_button.clicked.connect(self.toggle_active)
        is_admin = ctx.actor.role == UserRole.ADMIN
        for widget in (self.add_button, self.reset_button, self.role_combo, self.role_button, self.toggle_button):
            widget.setEnabled(is_admin)
        if not is_admin:
            self.status.setText(translate("Security", "只有管理员可以管理账户。"))
        self.resize(760, 460)
        self.refresh()

    def refresh(self) -> None:
        service = AccountService(self.ctx)
        self.tasks.run(lambda: (service.accounts(), service.can_log_in_here()), lambda r: self.model.load(*r),
                       self.show_error, key="accounts")

    def selected(self) -> User | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.users[rows[0].row()] if rows else None

    def show_error(self, message: str) -> None:
        self.status.setText(message)

    def _run(self, job: Callable[[], Any], done_text: str) -> None:
        def finished(_result: Any) -> None:
            self.status.setText(done_text)
            self.refresh()

        self.tasks.run(job, finished, self.show_error)

    def new_account(self) -> None:
        dialog = NewAccountDialog(self.ctx, self)
        if dialog.exec():
            self.status.setText(translate("Security", "已新建账户。"))
            self.refresh()

    def reset_password(self) -> None:
        user = self.selected()
        if user is None:
            self.show_error(translate("Security", "请先选择一个账户。"))
            return
        dialog = ResetPasswordDialog(self.ctx, user, self)
        if dialog.exec():
            self.status.setText(translate("Security", "已重设密码。"))
            self.refresh()

    def set_role(self) -> None:
        user = self.selected()
        if user is None:
            self.show_error(translate("Security", "请先选择一个账户。"))
            return
        service, role, user_id = AccountService(self.ctx), self.role_combo.currentData(), user.id
        self._run(lambda: service.set_role(user_id, role), translate("Security", "已修改角色。"))

    def toggle_active(self) -> None:
        user = self.selected()
        if user is None:
            self.show_error(translate("Security", "请先选择一个账户。"))
            return
        service, user_id, active = AccountService(self.ctx), user.id, user.active
        if not active:
            self._run(lambda: service.activate(user_id), translate("Security", "已启用。"))
            return
        # Disabling re-keys an encrypted database: a bar, and no second change meanwhile.
        self.toggle_button.setEnabled(False)

        def ended(message: str | None) -> None:
            self.progress.setVisible(False)
            self.toggle_button.setEnabled(True)
            if message is None:
                self.status.setText(translate("Security", "已停用。"))
                self.refresh()
            else:
                self.show_error(message)

        self.tasks.run_with_progress(lambda progress: service.deactivate(user_id, progress=progress.report),
                                     lambda _user: ended(None), ended, self._rekey_progressed)

    def _rekey_progressed(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.progress.setVisible(True)
        self.status.setText(rekey_text(done, total))


def add_security_menu(window: QMainWindow, ctx: ServiceContext, lock_now: Callable[[], None] | None = None) -> None:
    """The 安全 menu: change my password, accounts (管理员), audit (副组长 and above), lock now."""
    from .audit_page import AuditPage

    menu = window.menuBar().addMenu(translate("Security", "安全(&A)"))
    menu.setObjectName("securityMenu")
    opened: list[QWidget] = []

    def show(widget: QWidget) -> None:
        widget.setParent(window, Qt.WindowType.Window)
        widget.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        opened.append(widget)
        widget.show()

    def action(text: str, slot: Callable[[], Any], name: str, shortcut: str | None = None) -> QAction:
        act = QAction(text, window)
        act.setObjectName(name)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(slot)
        menu.addAction(act)
        return act

    action(translate("Security", "修改我的密码…"), lambda: ChangePasswordDialog(ctx, window).exec(), "changePassword")
    if ctx.actor.role == UserRole.ADMIN:
        action(translate("Security", "账户管理…"), lambda: show(AccountsPage(ctx)), "manageAccounts")
    if ctx.actor.role in (UserRole.DEPUTY, UserRole.LEADER, UserRole.ADMIN):
        action(translate("Security", "审计记录…"), lambda: show(AuditPage(ctx)), "auditLog")
    if lock_now is not None:
        menu.addSeparator()
        action(translate("Security", "立即锁定"), lock_now, "lockNow", "Ctrl+Shift+L")
