"""Building the QApplication and opening the database without freezing the window."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from app.gc_pause import freeze_long_lived, paused_gc
from app.logs import setup_logging
from app.models import peek
from app.paths import APP_AUTHOR, APP_NAME, default_database_path
from app.services.launch_summary import LaunchSummary, read_summary
from app.tempfiles import use_private_tempdir

from . import errors, i18n
from .fonts import apply_ui_font
from .i18n import translate
from .main_window import MainWindow, Opening, load_opening
from .widgets import accessibility

if TYPE_CHECKING:
    # SQLAlchemy and the services: loaded by the login, or in a worker after the first paint.
    from app.services.context import ServiceContext
    from app.services.setup import Opened

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
    path = Path(path) if not peek.is_server_url(path) else path
    wanted = window.saved_inspection_id()

    def work() -> tuple[ServiceContext, Opening | None]:
        # What this imports (SQLAlchemy, the models, the services) lives as long as the window: built
        # without the cycle collector and then out of its reach, it is never walked by a full
        # collection (one froze the window 70 ms). Only the imports: opening the database may run
        # an upgrade, and what that leaves behind must stay collectable.
        with paused_gc():
            # Imported here, in the worker, after a first paint without them (`paint_first`).
            from app.services.context import ServiceContext
            from app.services.setup import open_database

            freeze_long_lived()
        # login_required: a file that gained accounts since `login` looked is refused, not opened
        # for the local administrator.
        opened = session or open_database(path, create=True, login_required=True)
        # Who logged in, when the services say so (encrypted databases); else the local administrator.
        ctx = getattr(opened, "ctx", None) or ServiceContext(opened.db)
        try:
            opening = load_opening(ctx, wanted)
        except Exception:  # noqa: BLE001 - the window reads again and reports it in plain words
            opening = None
        return ctx, opening

    def opened(result: tuple[ServiceContext, Opening | None]) -> None:
        window.set_context(*result)
        if session is not None and session.notice:  # e.g. a re-key still due the login could not finish
            window.show_error(session.notice)

    def failed(message: str) -> None:
        window.show_error(message)
        QMessageBox.critical(window, translate("MainWindow", "无法打开数据库"), message)

    window.tasks.run(work, opened, failed)


def paint_first(window: MainWindow, path: Path) -> None:
    """A plain file without accounts: paint the overview from a summary read with sqlite3 while
    nothing of SQLAlchemy is loaded yet, then open the database as usual. SQLAlchemy and the models
    (~0.5 s of CPU on the reference laptop) load in that worker after the window is usable."""
    wanted = window.saved_inspection_id()

    def painted(summary: LaunchSummary | None) -> None:
        if summary is not None:
            window.show_summary(summary)
        # After this turn of the event loop (the paint) rather than beside it: the worker's imports
        # hold the interpreter in pieces that would slow the paint.
        QTimer.singleShot(0, window, lambda: open_in_background(window, path))

    window.tasks.run(lambda: read_summary(path, wanted), painted, lambda _message: painted(None))


def start_opening(window: MainWindow, path: Path | str, session: Opened | None = None,
                  without_login: bool | None = None) -> None:
    """What `run` does once it knows who is working: a plain file without accounts painted first from
    its summary (`paint_first`), anything else opened as the login left it. `without_login`: what
    `peek.opens_without_login` said of `path`, if the caller asked it already."""
    path = path if peek.is_server_url(path) else Path(path)
    if without_login is None:
        without_login = isinstance(path, Path) and peek.opens_without_login(path)
    if session is None and isinstance(path, Path) and without_login:
        paint_first(window, path)
    else:
        open_in_background(window, path, session)


def _ask_who(path: Path | str) -> tuple[Opened | None, Path | str, bool] | None:
    """The login (or first-start) path: who is working, and the database they opened. None: cancelled."""
    from . import login_dialog

    if not isinstance(path, str) and not peek.file_exists(path):
        # First start: the wizard creates the office's database, imports a team kit, or opens the demo.
        from .first_start import FirstStartWizard  # only on a first start: the launch does not wait for it

        wizard = FirstStartWizard(path)
        if wizard.exec() != QDialog.DialogCode.Accepted or wizard.opened is None:
            return None
        return wizard.opened, wizard.database_path, wizard.is_demo
    probe: Callable[[login_dialog.LoginDialog], None] | None = None
    if os.environ.get("XUNCHA_LAUNCH_PROBE"):  # `xuncha bench` timing the launch to this dialog
        from .benchmark import probe_login

        probe = probe_login
    try:
        # An encrypted database (or one with accounts) asks who is working; the dialog is shown before
        # SQLAlchemy and the services load (login_dialog.prepare_login). None: a plain database
        # without accounts.
        return login_dialog.login(path, probe=probe), path, False
    except login_dialog.LoginCancelled:
        return None


def _server_ready(url: str) -> bool:
    """An office server: its schema and first administrator come from `xuncha init`, never from the
    first-start wizard (which makes an encrypted file); an unreachable server is one message."""
    from app.services.setup import OpenError, database_exists, describe

    try:
        ready = database_exists(url)
    except OpenError as exc:
        QMessageBox.critical(None, translate("MainWindow", "无法打开数据库"), str(exc))
        return False
    if not ready:
        QMessageBox.critical(None, translate("MainWindow", "无法打开数据库"), translate(
            "MainWindow", "服务器上的数据库 {url} 还没有巡察工作台的数据表。请由巡察办的管理员先运行"
            "“xuncha --db {url} init”（见 README“An office server”一节）。").format(url=describe(url)))
    return ready


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
    path: Path | str = (db_path if peek.is_server_url(db_path) else Path(db_path)) if db_path else default_database_path()
    if isinstance(path, str) and not _server_ready(path):
        return 1
    session: Opened | None = None
    is_demo = False
    # A plain file without accounts opens as the local administrator with no question asked: its
    # overview is painted before SQLAlchemy loads. Anything else asks first (app/ui/login_dialog.py).
    quick = not isinstance(path, str) and peek.opens_without_login(path)
    if not quick:
        asked = _ask_who(path)
        if asked is None:
            return 0
        session, path, is_demo = asked
    window = MainWindow()
    if is_demo:
        window.mark_demo(str(path))
    if os.environ.get("XUNCHA_LAUNCH_PROBE"):  # `xuncha bench` timing this launch
        from .benchmark import probe_launch

        probe_launch(window)
    # Reading starts first, so the database work overlaps the window's first layout and paint.
    start_opening(window, path, session, without_login=quick)
    window.show()
    if session is not None and session.authenticated:
        from . import lock

        lock.install(window, session)  # idle lock and the 安全 menu
    return app.exec()
