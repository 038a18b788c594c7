"""Locking the window after idle time: the data is covered until the password is typed again.

An event filter on the QApplication restarts a timer on every key press, click, wheel or mouse
move. When the timer runs out, every visible window is covered by an opaque panel and a modal lock
screen asks for the current user's password (checked off the UI thread). While locked, no input
reaches anything but the lock screen: shortcuts included.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import shiboken6
from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .i18n import translate
from .tasks import TaskRunner
from .widgets.look import scale_css
from .widgets.status_line import StatusLine

IDLE_SETTING = "security/idle_minutes"
DEFAULT_IDLE_MINUTES = 10

_ACTIVITY = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TabletPress,
})
_INPUT = _ACTIVITY | frozenset({
    QEvent.Type.KeyRelease, QEvent.Type.MouseButtonRelease, QEvent.Type.Shortcut, QEvent.Type.ShortcutOverride,
    QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd, QEvent.Type.ContextMenu, QEvent.Type.DragEnter, QEvent.Type.Drop,
})


def idle_minutes() -> int:
    """The configured idle time (QSettings `security/idle_minutes`); 0 turns locking off."""
    try:
        value = int(cast(Any, QSettings().value(IDLE_SETTING, DEFAULT_IDLE_MINUTES)))
    except (TypeError, ValueError):
        value = DEFAULT_IDLE_MINUTES
    return max(0, value)


class LockCover(QWidget):
    """An opaque panel over a window's whole content while the application is locked."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("lockCover")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)
        self.setStyleSheet(scale_css("QWidget#lockCover { background: #27374d; } QLabel { color: white; font-size: 18px; }"))
        layout = QVBoxLayout(self)
        label = QLabel(translate("Security", "巡察工作台已锁定"), self)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(label)
        self.setGeometry(window.rect())
        self.raise_()
        self.show()


class LockScreen(QDialog):
    """Asks for the password of the user who is working."""

    unlock_requested = Signal(str)
    quit_requested = Signal()

    def __init__(self, user_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Dialog | Qt.WindowType.CustomizeWindowHint | Qt.WindowType.WindowTitleHint)
        self.setObjectName("lockScreen")
        self.setWindowTitle(translate("Security", "巡察工作台已锁定"))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        layout = QVBoxLayout(self)
        message = QLabel(translate("Security", "长时间未操作，已锁定以保护数据。\n{user}，请输入密码继续。").format(user=user_label), self)
        message.setWordWrap(True)
        layout.addWidget(message)
        self.password = QLineEdit(self)
        self.password.setObjectName("lockPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self._submit)
        layout.addWidget(self.password)
        self.error = StatusLine("lockError", self)
        layout.addWidget(self.error)
        row = QHBoxLayout()
        self.quit_button = QPushButton(translate("Security", "退出程序"), self)
        self.quit_button.setObjectName("lockQuit")
        self.quit_button.clicked.connect(self.quit_requested)
        self.unlock_button = QPushButton(translate("Security", "解锁"), self)
        self.unlock_button.setObjectName("unlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self._submit)
        row.addWidget(self.quit_button)
        row.addStretch(1)
        row.addWidget(self.unlock_button)
        layout.addLayout(row)
        self.setMinimumWidth(380)

    def _submit(self) -> None:
        if not self.unlock_button.isEnabled():
            return
        if not self.password.text():
            self.error.show_error(translate("Security", "请输入密码。"))
            return
        self.set_busy(True)
        self.error.show_status(translate("Security", "正在验证……"))
        self.unlock_requested.emit(self.password.text())

    def set_busy(self, busy: bool) -> None:
        self.password.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)

    def failed(self, message: str) -> None:
        self.password.clear()
        self.set_busy(False)
        self.error.show_error(message)
        self.password.setFocus()

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape:
            return  # Escape must not close the lock screen
        super().keyPressEvent(event)

    def reject(self) -> None:
        """Only a correct password (or quitting) ends the lock."""


class LockController(QObject):
    """Locks after `idle_ms` without input; `verify(password)` raises (a ServiceError) when wrong."""

    locked = Signal()
    unlocked = Signal()

    def __init__(self, verify: Callable[[str], Any], *, user_label: str, idle_ms: int | None = None,
                 parent: QObject | None = None, on_quit: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self.verify = verify
        self.user_label = user_label
        self.on_quit = on_quit or QApplication.quit
        self.tasks = TaskRunner(self)
        self.screen: LockScreen | None = None
        self.covers: list[LockCover] = []
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.set_idle_ms(idle_minutes() * 60_000 if idle_ms is None else idle_ms)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def set_idle_ms(self, idle_ms: int) -> None:
        self.idle_ms = idle_ms
        if idle_ms > 0:
            self.timer.setInterval(idle_ms)
            if not self.is_locked:
                self.timer.start()
        else:
            self.timer.stop()

    @property
    def is_locked(self) -> bool:
        return self.screen is not None

    def uninstall(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.timer.stop()

    # --- activity ------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if self.screen is None:
            if kind in _ACTIVITY and self.idle_ms > 0:
                self.timer.start()
            return False
        if kind == QEvent.Type.Resize and isinstance(watched, QWidget):
            for cover in self.covers:
                if shiboken6.isValid(cover) and cover.parentWidget() is watched:
                    cover.setGeometry(watched.rect())
            return False
        # Swallow every input meant for anything but the lock screen.
        return kind in _INPUT and not self._on_lock_screen(watched)

    def _on_lock_screen(self, watched: QObject) -> bool:
        screen = self.screen
        if screen is None or not shiboken6.isValid(screen):
            return True
        if isinstance(watched, QWindow):
            return watched is screen.windowHandle()
        return isinstance(watched, QWidget) and (watched is screen or screen.isAncestorOf(watched))

    # --- locking -------------------------------------------------------------------------------
    def lock(self) -> None:
        if self.screen is not None:
            return
        self.timer.stop()
        popup = QApplication.activePopupWidget()
        while popup is not None:
            popup.close()
            popup = QApplication.activePopupWidget()
        windows = [w for w in QApplication.topLevelWidgets() if w.isVisible() and not isinstance(w, LockScreen)]
        self.covers = [LockCover(w) for w in windows]
        parent = next((w for w in windows if w.isWindow() and w.parentWidget() is None), None)
        self.screen = LockScreen(self.user_label, parent)
        self.screen.unlock_requested.connect(self._check)
        self.screen.quit_requested.connect(self.on_quit)
        self.screen.show()
        self.screen.raise_()
        self.screen.activateWindow()
        self.screen.password.setFocus()
        self.locked.emit()

    def _check(self, password: str) -> None:
        verify = self.verify
        self.tasks.run(lambda: verify(password), lambda _result: self.unlock(), self._failed)

    def _failed(self, message: str) -> None:
        if self.screen is not None:
            self.screen.failed(message)

    def unlock(self) -> None:
        for cover in self.covers:
            if shiboken6.isValid(cover):
                cover.hide()
                cover.deleteLater()
        self.covers = []
        screen, self.screen = self.screen, None
        if screen is not None:
            screen.hide()
            screen.deleteLater()
        if self.idle_ms > 0:
            self.timer.start()
        self.unlocked.emit()


def install(window: QWidget, opened: Any) -> LockController:
    """Lock `window` (and every other window) after the configured idle time, for the user who
    logged in; add the 安全 menu (change password, accounts, audit, lock now)."""
    from app.services.auth import authenticate

    from .accounts_page import add_security_menu

    ctx = opened.ctx
    username = ctx.actor.username or ""
    db = ctx.db

    def verify(password: str) -> Any:
        return authenticate(db, username, password)

    controller = LockController(verify, user_label=ctx.actor.name, parent=window)
    if hasattr(window, "menuBar"):
        add_security_menu(window, ctx, controller.lock)  # type: ignore[arg-type]
    return controller
