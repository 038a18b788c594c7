"""Where the application finds its shipped resources and keeps the user's data.

Kept Qt-free and free of other app imports so every layer may use it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "XunchaWorkbench"
APP_AUTHOR = "Xuncha"


def resources_dir() -> Path:
    # A frozen (PyInstaller) build unpacks resources next to the executable.
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def user_data_dir() -> Path:
    override = os.environ.get("XUNCHA_DATA_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def default_database_path() -> Path:
    return user_data_dir() / "xuncha.sqlite3"
