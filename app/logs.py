"""The program's log: a rotating file in the user's log folder, and one Chinese line for the user.

Qt-free, so the command line and the window share it. Every unexpected failure is written here
with its traceback (a windowed Windows program has no console for it), while the user reads one
line saying what went wrong and where the details are. `faulthandler` writes crashes of the
interpreter itself (a segfault in a C library) to a file beside the log, which the next start
copies into the log.

The log must never hold record contents: it may be read by whoever fixes the laptop. Tracebacks are
therefore written by `format_exception`, which leaves out SQL parameters (the values a statement
wrote) and masks every non-ASCII character of an exception's message (records are Chinese text;
the code's own messages, names and SQL are ASCII). Expected refusals (ServiceError: the user's own
input, explained to them) are not written at all.
"""

from __future__ import annotations

import contextlib
import faulthandler
import logging
import logging.handlers
import os
import re
import sqlite3
import sys
import threading
import traceback
from pathlib import Path
from typing import IO, Any

from app.paths import APP_AUTHOR, APP_NAME

LOG_FILE = "xuncha.log"
FAULT_FILE = "faults.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
LOGGER = "xuncha"

_lock = threading.Lock()
_state: dict[str, Any] = {"path": None, "fault_file": None}
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_SQL_PARAMETERS = re.compile(r"\[parameters: .*?\](?=\s*(\(Background|\[SQL|$))", re.S)


def log_dir() -> Path:
    """XUNCHA_LOG_DIR; else beside the data when XUNCHA_DATA_DIR moves it (tests, a portable
    install); else the platform's user log folder (~/.local/state/XunchaWorkbench/log,
    %LOCALAPPDATA%\\Xuncha\\XunchaWorkbench\\Logs, ~/Library/Logs/XunchaWorkbench)."""
    override = os.environ.get("XUNCHA_LOG_DIR")
    if override:
        return Path(override)
    data = os.environ.get("XUNCHA_DATA_DIR")
    if data:
        return Path(data) / "logs"
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def log_path() -> Path | None:
    """The log file in use (None until `setup_logging`, or when the folder cannot be written)."""
    return _state["path"]


def logger(name: str = "") -> logging.Logger:
    return logging.getLogger(f"{LOGGER}.{name}" if name else LOGGER)


# --- what goes into the file ---------------------------------------------------------------------
def mask(text: str) -> str:
    """Record contents are Chinese: every run of non-ASCII characters becomes one ＊."""
    return _NON_ASCII.sub("＊", text)


def redacted_message(exc: BaseException) -> str:
    """An exception's message without record contents: SQL parameters dropped, non-ASCII masked."""
    orig = getattr(exc, "orig", None)
    statement = getattr(exc, "statement", None)
    if orig is not None and isinstance(statement, str):
        # sqlalchemy.exc.StatementError: the driver's reason and the SQL, never the values bound.
        text = f"({type(orig).__module__}.{type(orig).__name__}) {orig} [SQL: {statement[:400]}]"
    else:
        try:
            text = str(exc)
        except Exception:  # noqa: BLE001 - a broken __str__ must not break the log
            text = "<unprintable>"
        text = _SQL_PARAMETERS.sub("[parameters: hidden]", text)
    return mask(text)[:600]


def format_exception(exc: BaseException) -> str:
    """A traceback like Python's (the chain, frames and source lines), messages redacted."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    parts: list[str] = []
    for n, item in enumerate(reversed(chain)):
        if n:
            parts.append("\nThe above exception led to the following one:\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_list(traceback.extract_tb(item.__traceback__)))
        parts.append(f"{type(item).__module__}.{type(item).__qualname__}: {redacted_message(item)}\n")
    return "".join(parts)


class RedactingFormatter(logging.Formatter):
    def formatException(self, ei: Any) -> str:  # noqa: N802 - logging's name
        exc = ei[1] if isinstance(ei, tuple) else ei
        return format_exception(exc).rstrip("\n") if exc is not None else ""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        return mask(super().formatMessage(record))


# --- setting up ----------------------------------------------------------------------------------
def setup_logging(program: str) -> Path | None:
    """Send the `xuncha` loggers to the rotating file (once per process); returns its path.

    A log folder that cannot be written (a locked-down profile) leaves logging off: the program
    itself must never fail because of its log.
    """
    with _lock:
        folder = log_dir()
        if _state["path"] is not None:
            if _state["path"].parent == folder:
                return _state["path"]
            _close()  # the data folder moved (a test, a portable install): follow it
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            path = folder / LOG_FILE
            # Created private before the handler opens it: the log names files and users.
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
            handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                                           encoding="utf-8", delay=True)
        except OSError:
            return None
        handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s [%(process)d %(name)s] %(message)s"))
        root = logging.getLogger(LOGGER)
        root.addHandler(handler)
        _state["handler"] = handler
        root.setLevel(logging.INFO)
        root.propagate = False
        _state["path"] = path
        _adopt_faults(folder)
        _enable_faulthandler(folder)
    from app import __version__

    logger().info("%s %s started (Python %s, %s)", program, __version__, sys.version.split()[0], sys.platform)
    return path


def _close() -> None:
    handler = _state.pop("handler", None)
    if handler is not None:
        logging.getLogger(LOGGER).removeHandler(handler)
        handler.close()
    fault_file = _state.get("fault_file")
    if fault_file is not None:
        with contextlib.suppress(Exception):
            faulthandler.disable()
            fault_file.close()
    _state.update(path=None, fault_file=None)


def _adopt_faults(folder: Path) -> None:
    """A crash the interpreter could not survive left its dump beside the log: take it in."""
    fault = folder / FAULT_FILE
    with contextlib.suppress(OSError):
        text = fault.read_text(encoding="utf-8", errors="replace").strip()
        if text:
            logger("fault").error("the previous run ended in a fatal error:\n%s", text)
            fault.write_text("", encoding="utf-8")


def _enable_faulthandler(folder: Path) -> None:
    with contextlib.suppress(OSError, ValueError, RuntimeError):
        fd = os.open(folder / FAULT_FILE, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        handle: IO[str] = os.fdopen(fd, "a", encoding="utf-8")
        faulthandler.enable(file=handle, all_threads=True)
        _state["fault_file"] = handle  # kept open for the process's lifetime


def log_exception(exc: BaseException, what: str) -> None:
    """Write an unexpected failure (with its redacted traceback) under a short English context."""
    logger().error("%s", what, exc_info=(type(exc), exc, exc.__traceback__))


# --- what the user reads -------------------------------------------------------------------------
def describe_exception(exc: BaseException) -> str:
    """One Chinese line saying what went wrong, in words a user can act on, and where the details are."""
    reason = _reason(exc)
    path = log_path()
    return f"{reason}（详细信息已写入日志：{path}）" if path is not None else reason


def _reason(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).lower()
    if isinstance(exc, MemoryError):
        return "内存不足，操作未能完成。请关闭其他程序后重试。"
    if "readonly" in text or "read-only" in text:
        return "数据库文件是只读的，无法写入：请检查文件和所在文件夹的权限，或把它复制到可写的位置。"
    if "database is locked" in text or "database is busy" in text:
        return "数据库正被另一个程序使用，请稍后再试。"
    if "disk is full" in text or "no space left" in text or getattr(exc, "errno", None) == 28:
        return "磁盘空间已满，操作未能完成。请腾出空间后重试。"
    if "disk i/o error" in text:
        return "读写磁盘出错，操作未能完成。请检查磁盘或U盘是否已拔出。"
    if "unable to open database" in text:
        return "无法打开数据库文件：请检查文件是否存在，以及所在文件夹是否可写。"
    if "malformed" in text or "not a database" in text:
        return "数据库文件已损坏或不是巡察工作台数据库，请运行“xuncha check”检查。"
    if isinstance(exc, PermissionError):
        return f"没有权限访问文件：{exc.filename or ''}".rstrip("：")
    if isinstance(exc, IsADirectoryError):
        return f"“{exc.filename}”是一个文件夹，这里需要文件。"
    if isinstance(exc, FileNotFoundError):
        return f"找不到文件：{exc.filename or ''}".rstrip("：")
    if isinstance(exc, OSError):
        return f"读写文件出错（{exc.strerror or type(exc).__name__}）。"
    if isinstance(exc, sqlite3.IntegrityError) or type(exc).__name__ == "IntegrityError":
        return "数据库拒绝了这次写入（与已有数据冲突），未做任何修改。"
    if type(exc).__name__ in ("OperationalError", "DatabaseError"):
        return "数据库操作失败，未做任何修改。"
    return f"程序内部错误（{type(exc).__name__}），操作未能完成。"
