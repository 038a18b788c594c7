"""An import's write-ahead log copied into the database file beside the import, not inside it.

A SQLite connection in WAL mode copies the log into the database file (a checkpoint, with an fsync)
at the commit that finds the log over 1,000 pages, and an import of 20,000 events leaves tens of
megabytes there: 0.3–0.6 s of each bench package's commit (4.1 s of 4.8 s over ten, at load 5),
in which the import waited for the disk. The import's connection commits without it; a thread then
checkpoints (PASSIVE: it never blocks a reader or a writer, and SQLite works without the GIL), so
the next import, or whatever the user does next, goes on meanwhile. Nothing changes for the data:
a committed transaction is in the log either way, and a checkpoint cut short (the program quit, the
power failed) is finished by the next one.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

_SAVED = "xuncha.wal_autocheckpoint"  # on a pooled connection: its setting while an import holds it
_lock = threading.Lock()
_running: dict[int, threading.Thread] = {}  # engine → its checkpoint thread
_again: set[int] = set()  # engines whose log grew again while their thread ran


def defer_checkpoint(session: Session) -> bool:
    """Keep this transaction's commit from checkpointing (SQLite in WAL mode); the connection's own
    setting comes back when it returns to the pool. True when deferred: `checkpoint_soon` then."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return False
    if str(conn.exec_driver_sql("PRAGMA journal_mode").scalar()).lower() != "wal":
        return False
    _restore_on_checkin(conn.engine)
    conn.connection.info[_SAVED] = conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
    conn.exec_driver_sql("PRAGMA wal_autocheckpoint = 0")
    return True


def _restore_on_checkin(engine: Engine) -> None:
    if not event.contains(engine, "checkin", _restore):
        event.listen(engine, "checkin", _restore)


def _restore(dbapi_connection: Any, record: Any) -> None:
    saved = record.info.pop(_SAVED, None) if record is not None else None
    if saved is not None and dbapi_connection is not None:
        try:
            dbapi_connection.execute(f"PRAGMA wal_autocheckpoint = {int(saved)}")
        except Exception:  # noqa: BLE001 - a connection that cannot take a PRAGMA is not used again
            log.warning("恢复写入检查点设置失败", exc_info=True)


def checkpoint_soon(engine: Engine) -> threading.Thread | None:
    """Checkpoint `engine`'s database in a thread (one at a time: an import that commits while one
    runs has it go round once more). Returns the thread it started, if it started one."""
    key = id(engine)
    with _lock:
        if key in _running:
            _again.add(key)
            return None
        thread = threading.Thread(target=_checkpoint, args=(engine, key), name="wal-checkpoint", daemon=True)
        _running[key] = thread
    thread.start()
    return thread


def wait_for_checkpoints() -> None:
    """Wait until every checkpoint thread started so far has finished (the bench, so that one
    merge's copying of its log is not timed as the next one's work)."""
    with _lock:
        threads = list(_running.values())
    for thread in threads:
        thread.join()


def _checkpoint(engine: Engine, key: int) -> None:
    try:
        while True:
            raw = engine.raw_connection()
            try:
                # Autocommit (the connect hook hands transactions to SQLAlchemy): no transaction is open.
                raw.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            finally:
                raw.close()
            with _lock:
                if key not in _again:
                    del _running[key]
                    return
                _again.discard(key)
    except Exception:  # noqa: BLE001 - the next commit or checkpoint copies the log instead
        log.warning("后台写入检查点失败", exc_info=True)
        with _lock:
            _running.pop(key, None)
            _again.discard(key)
