"""`audit verify` on two cores: the log's checks in a helper process while this one replays the tables.

The two halves of the audit read different things: the log's checks (`audit.check_log`: every
event's hash, the chains, their tails, the row heads' events, the signed batches) read the events in
site order; the replay (`audit_replay.replay_tables`) reads them by table beside the tables' rows.
Each is Python holding the GIL for 10–20 s at the bench's size, so only a second process can do one
while this one does the other (the idea of app/sync/hashcheck.py).

The helper opens the same SQLite file read-only and reads it in one transaction of its own: each
half checks one consistent state (a write between the two halves' first reads is in one and not
the other, as it would be had the audit started a moment later). The key of an encrypted file
travels over the process's pipe, never on a command line or in the environment. A helper that
cannot start, dies or fails leaves the log's checks to this process (logged, never shown: the
user gets the same report, later). PostgreSQL and small logs are checked in line.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from app.gc_pause import paused_gc
from app.models.db import Database

if TYPE_CHECKING:
    from .audit import LogChecks

log = logging.getLogger(__name__)

# Below this many events starting a process (~1 s of CPU for the interpreter and SQLAlchemy) costs
# more than it saves.
HELPER_FROM = 50_000
# The helper reports its progress every this many events.
EVERY = 5000


class LogHelper:
    """A running helper: `poll` takes in its progress meanwhile, `result` waits for its checks."""

    def __init__(self, process: Any, pipe: Connection) -> None:
        self._process, self._pipe = process, pipe
        self._final: tuple[str, Any] | None = None

    def poll(self, add: Callable[[int], None]) -> None:
        """Pass on the progress reported so far (never waits)."""
        try:
            while self._pipe.poll():
                message = self._pipe.recv()
                if isinstance(message, int):
                    add(message)
                else:
                    self._final = message
                    return
        except (EOFError, OSError):
            return

    def result(self, add: Callable[[int], None]) -> LogChecks | None:
        """The helper's checks, passing on its progress while waiting; None when it failed."""
        try:
            while self._final is None:
                message = self._pipe.recv()
                if isinstance(message, int):
                    add(message)
                else:
                    self._final = message
        except (EOFError, OSError) as exc:
            log.warning("audit helper stopped without an answer: %r", exc)
            return None
        finally:
            self._close()
        assert self._final is not None
        kind, value = self._final
        if kind != "done":
            log.warning("audit helper failed: %s", value)
            return None
        return value

    def _close(self) -> None:
        self._pipe.close()
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()


def start(db: Database, events: int) -> LogHelper | None:
    """A helper checking the log of `db`, or None: check it in line (a small log, PostgreSQL, or no
    process could be started)."""
    if events < HELPER_FROM or db.path is None or db.engine.dialect.name != "sqlite":
        return None
    try:
        # spawn: a fresh interpreter, never a fork of a process that runs Qt threads.
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe(duplex=False)
        process = context.Process(target=_run, args=(child, db.url, db.key), daemon=True, name="xuncha-audit")
        process.start()
        child.close()
    except Exception:  # noqa: BLE001 - any failure to start means: check in line
        log.warning("audit helper could not start", exc_info=True)
        return None
    return LogHelper(process, parent)


def _run(pipe: Connection, url: str, key: bytes | None) -> None:
    """The helper's half: `audit.check_log` on its own read-only connection, progress on the way."""
    from .audit import check_log

    seen = [0]

    def tick() -> None:
        seen[0] += 1
        if seen[0] % EVERY == 0:
            pipe.send(EVERY)

    try:
        # Plain read-only with locks, never immutable: the application may write the file meanwhile.
        db = Database(url, key=key, read_only=True, locking=True)
        try:
            # A million events' ids and hashes held at once: see audit.verify_chains.
            with paused_gc(), db.read() as session:
                found = check_log(session, tick)
        finally:
            db.dispose()
        pipe.send(seen[0] % EVERY)
        pipe.send(("done", found))
    except Exception as exc:  # noqa: BLE001 - whatever it was, the parent checks in line
        pipe.send(("failed", repr(exc)))
    finally:
        pipe.close()
