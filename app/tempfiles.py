"""Temporary files in a private folder, gone when they are no longer needed.

Libraries write temporary files of their own while an export runs (openpyxl keeps every sheet of a
large workbook in one until it saves): they hold finding titles and facts in plain text. The process
points Python's `tempfile` at a folder only its user can open (0700), removed at exit; one left by
a run that crashed is removed at the next start. An export runs in a `scratch()` folder of its own
inside it, removed as soon as the export ends — finished, cancelled or failed.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

PREFIX = "xuncha-run-"
_lock = threading.Lock()
_scratch_lock = threading.Lock()
_root: Path | None = None


def use_private_tempdir() -> Path:
    """Point `tempfile` at this process's private folder (once); returns it."""
    global _root
    with _lock:
        if _root is not None and _root.is_dir():
            return _root
        system = Path(tempfile.gettempdir())
        _remove_leftovers(system)
        # mkdtemp makes the folder 0700: only this user can list or open what is in it.
        _root = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=system))
        tempfile.tempdir = str(_root)
        atexit.register(_remove, _root)
        return _root


def _remove_leftovers(system: Path) -> None:
    """Folders of earlier runs whose process is gone (a crash, a power cut)."""
    with contextlib.suppress(OSError):
        for folder in system.glob(f"{PREFIX}*"):
            pid = folder.name[len(PREFIX):].split("-", 1)[0]
            if pid.isdigit() and not _alive(int(pid)) and folder.is_dir() and folder.owner() == _me():
                shutil.rmtree(folder, ignore_errors=True)


def _me() -> str:
    import getpass

    return getpass.getuser()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def scratch() -> Iterator[Path]:
    """A private folder for the temporary files of one export, removed when it ends, however it
    ends. Exports wait for one another here (`tempfile`'s folder is one setting for the process)."""
    root = use_private_tempdir()
    with _scratch_lock:
        folder = Path(tempfile.mkdtemp(prefix="export-", dir=root))
        previous = tempfile.tempdir
        tempfile.tempdir = str(folder)
        try:
            yield folder
        finally:
            tempfile.tempdir = previous
            shutil.rmtree(folder, ignore_errors=True)
