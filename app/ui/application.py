"""Building the QApplication and opening the database without freezing the window."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import cast

from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from app.logs import setup_logging
from app.paths import APP_AUTHOR, APP_NAME, default_database_path
from app.services.context import ServiceContext
from app.services.setup import Opened, OpenError, database_exists, describe, location_of, open_database
from app.tempfiles import use_private_tempdir

from . import errors, i18n, login_dialog
from .fonts import apply_ui_font
from .i18n import translate
from .main_window import MainWindow, Opening, load_opening
from .widgets import accessibility

# Qt platforms that draw nowhere a person can see.
HEADLESS_PLATFORMS = ("offscreen", "minimal")
# Set to run the window there anyway (a scripted check that never waits for input).
ALLOW_HEADLESS = "XUNCHA_ALLOW_HEADLESS"

WORKERS = 4


def create_application(argv: list[str] | None = None) -> QApplication:
    # Background work (opening the database, building pages) runs Python in worker threads; a
    # shorter switch interval hands the interpreter back to the UI thread sooner, so painting and
    # typing never wait long behind it.
    sys.setswitchinterval(0.001)
    app = cast(QApplication, QApplication.instance() or QApplication(argv or sys.argv[:1]))
    app.setOrganizationName(APP_AUTHOR)
    app.setApplicationName(APP_NAME)
    i18n.install_translators(app)
    # The UI fonts an official's PC has, then the common open CJK fonts; the shipped one when the
    # system has none that covers the interface's Chinese.
    apply_ui_font(app)
    accessibility.install(app)
    app.setApplicationDisplayName(translate("MainWindow", "巡察工作台"))
    # Reads mostly wait on the disk, not the CPU: a few more workers keep a quick query from
    # queueing behind a long one (an export, a 100,000-row key list).
    pool = QThreadPool.globalInstance()
    pool.setMaxThreadCount(max(pool.maxThreadCount(), WORKERS))
    return app


def open_in_background(window: MainWindow, path: Path | str, session: Opened | None = None) -> None:
    """Open (creating on first run) and upgrade the database off the UI thread, and read what the
    window shows first in the same job. `session`: the database the login dialog already opened."""
    path = location_of(path)
    wanted = window.saved_inspection_id()

    def work() -> tuple[ServiceContext, Opening | None]:
        opened = session or open_database(path, create=True)
        # Who logged in, when the services say so (encrypted databases); else the local administrator.
        ctx = getattr(opened, "ctx", None) or ServiceContext(opened.db)
        try:
            opening = load_opening(ctx, wanted)
        except Exception:  # noqa: BLE001 - the window reads again and reports it in plain words
            opening = None
        return ctx, opening

    def opened(result: tuple[ServiceContext, Opening | None]) -> None:
        window.set_context(*result)

    def failed(message: str) -> None:
        window.show_error(message)
        QMessageBox.critical(window, translate("MainWindow", "无法打开数据库"), message)

    window.tasks.run(work, opened, failed)


def run(db_path: str | None = None) -> int:
    setup_logging("xuncha-window")
    use_private_tempdir()
    app = create_application()
    if QGuiApplication.platformName() in HEADLESS_PLATFORMS and not os.environ.get(ALLOW_HEADLESS):
        # Nobody could see, let alone answer, the login or first-start dialog: say so and stop.
        print("xuncha: 没有可用的图形显示（Qt 平台为 "
              f"{QGuiApplication.platformName()}），无法打开窗口。请在桌面环境中运行；不需要窗口的工作请用命令行，"
              "例如 xuncha --help。", file=sys.stderr)
        return 2
    errors.install()
    path = location_of(db_path) if db_path else default_database_path()
    is_demo = False
    if isinstance(path, str):
        # An office server: its schema and first administrator come from `xuncha init`, never from the
        # first-start wizard (which makes an encrypted file); an unreachable server is one message.
        try:
            ready = database_exists(path)
        except OpenError as exc:
            QMessageBox.critical(None, translate("MainWindow", "无法打开数据库"), str(exc))
            return 1
        if not ready:
            QMessageBox.critical(None, translate("MainWindow", "无法打开数据库"), translate(
                "MainWindow", "服务器上的数据库 {url} 还没有巡察工作台的数据表。请由巡察办的管理员先运行"
                "“xuncha --db {url} init”（见 README“An office server”一节）。").format(url=describe(path)))
            return 1
    session: Opened | None
    if not isinstance(path, str) and not database_exists(path):
        # First start: the wizard creates the office's database, imports a team kit, or opens the demo.
        from .first_start import FirstStartWizard  # only on a first start: the launch does not wait for it

        wizard = FirstStartWizard(path)
        if wizard.exec() != QDialog.DialogCode.Accepted or wizard.opened is None:
            return 0
        session, path, is_demo = wizard.opened, wizard.database_path, wizard.is_demo
    else:
        try:
            # An encrypted database (or one with accounts) asks who is working. None: a plain
            # database without accounts.
            session = login_dialog.login(path)
        except login_dialog.LoginCancelled:
            return 0
    window = MainWindow()
    if is_demo:
        window.mark_demo(str(path))
    if os.environ.get("XUNCHA_LAUNCH_PROBE"):  # `xuncha bench` timing this launch
        from .benchmark import probe_launch

        probe_launch(window)
    # Opening starts first, so the database work overlaps the window's first layout and paint.
    open_in_background(window, path, session)
    window.show()
    if session is not None and session.authenticated:
        from . import lock

        lock.install(window, session)  # idle lock and the 安全 menu
    return app.exec()
