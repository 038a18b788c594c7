"""Checking a large package in a second process: every received event's hash, then the import gate.

Recomputing the hashes of a 20,000-event package costs ~0.3 s of canonical JSON and SHA-256, and
authorizing its events (app.sync.authorize) ~0.4 s more; the rest of an import is Python holding the
GIL: only another process can do that work at the same time. The import goes on with its database
work meanwhile and asks for both verdicts before it commits, so a bad hash or a refused event still
leaves the database as it was. Small packages, and machines where a process cannot be started, are
checked in line.

The gate reads the database as it was before the import: on SQLite the import holds the write lock
from its first statement (BEGIN IMMEDIATE) and writes only in its own uncommitted transaction, so the
helper's read snapshot is that state; on PostgreSQL the helper takes the very snapshot the import
exported (pg_export_snapshot). The helper opens the database itself: an encrypted file's key travels
over the pool's pipe, never on a command line or in the environment.
"""

from __future__ import annotations

import multiprocessing
import re
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from app.eventhash import first_bad_event, first_bad_event_in

# Below this many events a helper process costs more than it saves.
PARALLEL_FROM = 5000

# Cleared when the helper once could not give the gate's verdict: this process then gates in line
# rather than doing every large import twice.
gate_in_helper = True

_SNAPSHOT = re.compile(r"[0-9A-F]+-[0-9A-F]+(-[0-9]+)?")


class GateUnavailable(Exception):  # noqa: N818 - a condition the import answers by checking in line
    """The helper could not give the gate's verdict (it died, or could not open the database): the
    import must be done again with the gate in line."""


@dataclass(frozen=True)
class GateRequest:
    """What the helper needs to authorize a package's new events as the importing process would."""

    url: str  # the database (SQLite file or server URL)
    key: bytes | None  # SQLCipher's raw key
    snapshot: str | None  # PostgreSQL: the importing transaction's exported snapshot
    fresh: list[int]  # positions, in the payload's events, of the events this copy lacks
    context: Any  # app.sync.authorize.Context
    signers: dict[tuple[str, str], str]
    keys: dict[tuple[str, str], str]


# The payload of the package the helper checks (one package per helper process).
_KEPT: list[bytes] = []


def _check_and_keep(plain: bytes) -> tuple[str, str] | None:
    """The hash verdict; the payload stays here for the gate that follows (same process)."""
    _KEPT[:] = [plain]
    return first_bad_event_in(plain)


def _gate(request: GateRequest) -> str | None:
    """The helper's half: the gate's refusal (its message), or None when every event passes."""
    from app.models.db import Database

    from . import authorize
    from .package import read_payload

    events = read_payload(_KEPT[0])["events"]
    fresh = [events[i] for i in request.fresh]
    for e in fresh:
        e.setdefault("batch", None)
    db = Database(request.url, key=request.key, read_only=request.snapshot is None)
    try:
        with db.read() as session:
            if request.snapshot is not None:
                if not _SNAPSHOT.fullmatch(request.snapshot):
                    raise ValueError("not a snapshot id")
                conn = session.connection()
                conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                conn.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{request.snapshot}'")
            try:
                authorize.check(session, request.context, fresh, request.signers, request.keys)
            except authorize.RefusedError as exc:
                return exc.message
    finally:
        db.dispose()
    return None


class HashCheck:
    def __init__(self, events: list[dict[str, Any]], plain: bytes | None = None, *, helper_from: int | None = None) -> None:
        """`plain`: the payload's JSON text, which the helper process reads for itself;
        `helper_from`: how many events make the helper worth starting (PARALLEL_FROM)."""
        self._events = events
        self._pool: ProcessPoolExecutor | None = None
        self._future: Future[tuple[str, str] | None] | None = None
        self._gate: Future[str | None] | None = None
        self._hash_verdict: list[tuple[str, str] | None] = []
        threshold = PARALLEL_FROM if helper_from is None else helper_from
        if plain is not None and len(events) >= threshold:
            try:
                # spawn: a fresh interpreter, never a fork of a process that runs Qt threads.
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
                self._future = self._pool.submit(_check_and_keep, plain)
            except Exception:  # noqa: BLE001 - any failure to start means: check in line
                self.close()

    @property
    def parallel(self) -> bool:
        return self._future is not None

    @property
    def gated(self) -> bool:
        """Whether the gate runs in the helper (its verdict: `refusal`)."""
        return self._gate is not None

    def verdict(self) -> tuple[str, str] | None:
        """(kind, event id) of the first event whose content does not match its hash, or None."""
        if self._hash_verdict:
            return self._hash_verdict[0]
        found: tuple[str, str] | None
        try:
            if self._future is not None:
                try:
                    found = self._future.result()
                    self._hash_verdict.append(found)
                    return found
                except Exception:  # noqa: BLE001 - the helper died: the answer is still needed
                    pass
            found = first_bad_event(self._events)
            self._hash_verdict.append(found)
            return found
        finally:
            if self._gate is None:
                self.close()

    def submit_gate(self, request: GateRequest) -> bool:
        """Authorize in the helper (after its hash check, in the same process); False: do it in line."""
        if self._pool is None or self._future is None:
            return False
        try:
            self._gate = self._pool.submit(_gate, request)
        except Exception:  # noqa: BLE001 - the pool is gone: the caller checks in line
            self._gate = None
        return self._gate is not None

    def refusal(self) -> str | None:
        """The gate's refusal from the helper, or None when it accepted every event; GateUnavailable
        when it could not tell."""
        assert self._gate is not None
        try:
            return self._gate.result()
        except Exception as exc:  # noqa: BLE001 - whatever stopped it, the verdict is missing
            raise GateUnavailable(str(exc)) from exc

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        self._future = None
        self._gate = None
