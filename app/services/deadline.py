"""A query the caller can do without: its answer if it comes within a time limit, else None.

The register's count of every live finding reads one whole index: 10 ms when the file is in the
page cache, 185–230 ms from a cold disk on the reference machine (243 pages of 100,000 findings,
read one by one), which alone put the first screen of 全部巡察 over its 200 ms budget. The first
screen can show "100+" and have the exact number a moment later with the keys (see
`register.first_rows`), so the count is given a deadline: SQLite calls a progress handler every few
thousand steps of its virtual machine, and the handler interrupts the statement once the time is up.
An interrupted SELECT ends only that statement; the read transaction goes on.

A server answers such counts from its own cache, and interrupting it would cost a round trip:
on PostgreSQL the query simply runs.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

from sqlalchemy import Executable
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

# Steps of SQLite's virtual machine between two looks at the clock (a few microseconds each).
_STEPS = 2_000


def scalar_within(session: Session, stmt: Executable, seconds: float) -> Any | None:
    """`session.scalar(stmt)`, or None when SQLite has not answered after `seconds`."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        return session.scalar(stmt)
    raw = conn.connection.driver_connection
    assert raw is not None  # (the session's connection is open: it has just been handed out)
    deadline = time.perf_counter() + seconds
    raw.set_progress_handler(lambda: time.perf_counter() > deadline, _STEPS)
    try:
        return session.scalar(stmt)
    except OperationalError as exc:
        if "interrupted" not in str(exc.orig):
            raise
        return None
    finally:
        # (A connection the failure closed has no handler left to remove, and must not hide it.)
        with contextlib.suppress(Exception):
            raw.set_progress_handler(None, 0)
