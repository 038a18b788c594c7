"""Building the QApplication and opening the database without freezing the window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from app.paths import APP_AUTHOR, APP_NAME, default_database_path
from app.services.context import ServiceContext
from app.services.setup import open_database

from .main_window import MainWindow


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setOrganizationName(APP_AUTHOR)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("巡察工作台")
    return app


def open_in_background(window: MainWindow, path: Path) -> None:
    """Open (creating on first run) and upgrade the database off the UI thread."""

    def opened(result) -> None:
        window.set_context(ServiceContext(result.db))

    def failed(message: str) -> None:
        window.show_error(message)
        QMessageBox.critical(window, "无法打开数据库", message)

    window.tasks.run(lambda: open_database(path, create=True), opened, failed)


def run(db_path: str | None = None) -> int:
    app = create_application()
    window = MainWindow()
    window.show()
    open_in_background(window, Path(db_path) if db_path else default_database_path())
    return app.exec()
