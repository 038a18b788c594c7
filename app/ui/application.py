"""Building the QApplication and opening the database without freezing the window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMessageBox

from app.paths import APP_AUTHOR, APP_NAME, default_database_path
from app.services.context import ServiceContext
from app.services.setup import Opened, open_database

from . import i18n, lock, login_dialog
from .i18n import translate
from .main_window import MainWindow, Opening, load_opening

UI_FONTS = ("Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC",
            "WenQuanYi Micro Hei")


WORKERS = 4


def create_application(argv: list[str] | None = None) -> QApplication:
    # Background work (opening the database, building pages) runs Python in worker threads; a
    # shorter switch interval hands the interpreter back to the UI thread sooner, so painting and
    # typing never wait long behind it.
    sys.setswitchinterval(0.001)
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setOrganizationName(APP_AUTHOR)
    app.setApplicationName(APP_NAME)
    i18n.install_translators(app)
    font = QFont(app.font())
    # The UI fonts an official's PC has, then the common open CJK fonts; the first found wins.
    font.setFamilies([*UI_FONTS, *font.families()])
    app.setFont(font)
    app.setApplicationDisplayName(translate("MainWindow", "巡察工作台"))
    # Reads mostly wait on the disk, not the CPU: a few more workers keep a quick query from
    # queueing behind a long one (an export, a 100,000-row key list).
    pool = QThreadPool.globalInstance()
    pool.setMaxThreadCount(max(pool.maxThreadCount(), WORKERS))
    return app


def open_in_background(window: MainWindow, path: Path | str, session: Opened | None = None) -> None:
    """Open (creating on first run) and upgrade the database off the UI thread, and read what the
    window shows first in the same job. `session`: the database the login dialog already opened."""
    path = Path(path)
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
    app = create_application()
    path = Path(db_path) if db_path else default_database_path()
    try:
        # First run creates the administrator and the encrypted database; an encrypted database (or
        # one with accounts) asks who is working. None: a plain database without accounts.
        session = login_dialog.login(path)
    except login_dialog.LoginCancelled:
        return 0
    window = MainWindow()
    # Opening starts first, so the database work overlaps the window's first layout and paint.
    open_in_background(window, path, session)
    window.show()
    if session is not None:
        lock.install(window, session)  # idle lock and the 安全 menu
    return app.exec()
