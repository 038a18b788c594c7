"""The window's last line of defence: an exception nobody caught becomes one Chinese line in a
dialog (with 复制详细信息 for whoever supports the user), its traceback goes to the log, and the
window keeps running with the user's unsaved edits where they were.

Also routes Qt's own warnings into the log. Installed once by app.ui.application.
"""

from __future__ import annotations

import sys
import threading
import types
from collections.abc import Callable

from PySide6.QtCore import QMessageLogContext, QObject, QtMsgType, Signal, qInstallMessageHandler
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.logs import describe_exception, format_exception, log_exception, log_path, logger

from .i18n import translate

# Called before the dialog is shown, so work in progress reaches the disk first (the transcript
# journal); each must be quick and must not raise.
_rescuers: list[Callable[[], None]] = []
_QT_LEVELS = {QtMsgType.QtDebugMsg: 10, QtMsgType.QtInfoMsg: 20, QtMsgType.QtWarningMsg: 30,
              QtMsgType.QtCriticalMsg: 40, QtMsgType.QtFatalMsg: 50}


def add_rescuer(fn: Callable[[], None]) -> None:
    _rescuers.append(fn)


def remove_rescuer(fn: Callable[[], None]) -> None:
    if fn in _rescuers:
        _rescuers.remove(fn)


class ErrorDialog(QDialog):
    """One line for the user; the (redacted) details one click away, for the person helping them."""

    def __init__(self, reason: str, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("ErrorDialog", "巡察工作台 — 出现错误"))
        self.details = details
        self.repeats = 0
        icon = QLabel(self)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(40, 40))
        self.reason = QLabel(reason, self)
        self.reason.setObjectName("reason")
        self.reason.setWordWrap(True)
        self.reason.setMinimumWidth(380)
        self.kept = QLabel(translate("ErrorDialog", "尚未保存的内容仍保留在窗口中，可以继续编辑和保存。"), self)
        self.kept.setWordWrap(True)
        self.kept.setObjectName("hint")
        self.repeat_label = QLabel(self)
        self.repeat_label.setObjectName("hint")
        self.repeat_label.setVisible(False)
        self.copy_button = QPushButton(translate("ErrorDialog", "复制详细信息(&C)"), self)
        self.copy_button.clicked.connect(self.copy_details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(translate("ErrorDialog", "关闭"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(icon)
        text = QVBoxLayout()
        text.addWidget(self.reason)
        text.addWidget(self.kept)
        text.addWidget(self.repeat_label)
        top.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details)
        self.copy_button.setText(translate("ErrorDialog", "已复制"))

    def repeated(self) -> None:
        self.repeats += 1
        self.repeat_label.setText(translate("ErrorDialog", "此后又发生 {n} 次错误（均已写入日志）。").format(n=self.repeats))
        self.repeat_label.setVisible(True)


class _Reporter(QObject):
    """Carries an exception from any thread to the UI thread."""

    raised = Signal(object, str)

    def __init__(self) -> None:
        super().__init__()
        self.dialog: ErrorDialog | None = None
        self.raised.connect(self._show)

    def _show(self, exc: BaseException, where: str) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.repeated()
            return
        details = (f"巡察工作台 {__version__}，{sys.platform}，Python {sys.version.split()[0]}\n"
                   f"{where}\n日志：{log_path()}\n\n{format_exception(exc)}")
        parent = QApplication.activeWindow()
        self.dialog = ErrorDialog(describe_exception(exc), details, parent)
        self.dialog.setObjectName("errorDialog")
        self.dialog.show()
        self.dialog.raise_()


_reporter: _Reporter | None = None


def report(exc: BaseException, where: str) -> None:
    """Log an unexpected exception, save what can be saved, and tell the user (from any thread)."""
    log_exception(exc, where)
    for rescue in list(_rescuers):
        try:
            rescue()
        except Exception as rescue_failed:  # noqa: BLE001 - a failing rescue must not hide the first error
            log_exception(rescue_failed, "rescuing unsaved work failed")
    if _reporter is not None:
        _reporter.raised.emit(exc, where)


def _excepthook(kind: type[BaseException], exc: BaseException, tb: types.TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    if exc.__traceback__ is None:
        exc = exc.with_traceback(tb)
    report(exc, "unhandled exception in the window")


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None:
        report(args.exc_value, f"unhandled exception in thread {getattr(args.thread, 'name', '?')}")


def _qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    # Qt's own chatter (a missing font, an unsupported call offscreen): the log, not the screen.
    logger("qt").log(_QT_LEVELS.get(kind, 30), "%s", message)


def install() -> None:
    global _reporter
    if _reporter is None:
        _reporter = _Reporter()
    sys.excepthook = _excepthook
    threading.excepthook = _thread_hook
    qInstallMessageHandler(_qt_message)
